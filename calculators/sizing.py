"""Sizing: the GPU memory a model needs (weights + KV cache + overhead), and which GPUs it fits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from atlas_mkdocs.engine.errors import InputError, require_choice, require_finite, require_whole
from atlas_mkdocs.engine.specs import GpuSpec, ModelShape
from atlas_mkdocs.engine.units import BYTES_PER_GB

WEIGHT_BITS = (16, 8, 4)
KV_BITS = (16, 8)


@dataclass(frozen=True)
class SizingInputs:
    """A model at a quantisation, serving ``concurrent_sequences`` of ``context_tokens`` each."""

    shape: ModelShape
    weight_bits: int = 16
    context_tokens: int = 8192
    concurrent_sequences: int = 1
    kv_bits: int = 16
    overhead_fraction: float = 0.10

    def __post_init__(self) -> None:
        require_choice("weight_bits", self.weight_bits, WEIGHT_BITS)
        require_choice("kv_bits", self.kv_bits, KV_BITS)
        require_whole("context_tokens", self.context_tokens, 1, "Prompt plus output, e.g. 8192.")
        require_whole("concurrent_sequences", self.concurrent_sequences, 1)
        overhead = require_finite("overhead_fraction", self.overhead_fraction)
        if not 0 <= overhead <= 1:
            raise InputError("overhead_fraction", self.overhead_fraction, "in [0, 1]",
                             "Activations, CUDA context and fragmentation; 0.1 adds 10%.")


@dataclass(frozen=True)
class VramEstimate:
    """GPU memory a model needs, in GB (1 GB = 10^9 bytes)."""

    weights_gb: float
    kv_cache_gb: float
    overhead_gb: float
    total_gb: float


@dataclass(frozen=True)
class GpuFit:
    """How one GPU model copes: whether one card holds it, and how many cards it needs."""

    gpu: str
    vram_gb: float
    fits_one: bool
    gpus_needed: int
    total_vram_gb: float


def vram_required(inputs: SizingInputs) -> VramEstimate:
    """Give back weights + KV cache + overhead, in GB.

    KV cache = 2 x layers x KV heads x head size x context x concurrent sequences x bytes, so a model
    with grouped-query attention (8 KV heads for 64 query heads) needs an eighth of the cache.
    """
    shape = inputs.shape
    weights = shape.params * inputs.weight_bits / 8 / BYTES_PER_GB
    kv = (shape.kv_bytes_per_token(inputs.kv_bits) * inputs.context_tokens
          * inputs.concurrent_sequences / BYTES_PER_GB)
    overhead = (weights + kv) * inputs.overhead_fraction
    return VramEstimate(weights, kv, overhead, weights + kv + overhead)


def gpu_fits(estimate: VramEstimate, gpus: Sequence[GpuSpec], max_gpus: int = 64) -> tuple[GpuFit, ...]:
    """Give back, for each GPU, whether one card holds the model and how many cards (split evenly) do."""
    require_whole("max_gpus", max_gpus, 1)
    fits = []
    for gpu in gpus:
        needed = max(1, math.ceil(estimate.total_gb / gpu.vram_gb - 1e-12))
        fits.append(GpuFit(gpu.name, gpu.vram_gb, needed == 1, needed, needed * gpu.vram_gb))
    return tuple(fits)

