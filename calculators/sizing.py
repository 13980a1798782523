"""Sizing: the GPU memory a model needs (weights + KV cache + overhead), and how many GPUs of a kind hold it.

Bits are real bits per weight, scales included (4.85 for q4_k_m, 4.16 for AWQ at group size 128), as
data/quant_formats.yaml gives them per format; the engine's Catalogue (atlas_mkdocs.engine.catalogue) turns a format's name into them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atlas_mkdocs.engine.errors import InputError, require_finite, require_positive, require_whole
from atlas_mkdocs.engine.specs import GpuSpec, ModelShape
from atlas_mkdocs.engine.throughput import TENSOR_PARALLEL_SIZES
from atlas_mkdocs.engine.units import BYTES_PER_GB


@dataclass(frozen=True)
class SizingInputs:
    """A model at ``weight_bits`` per weight, serving ``concurrent_sequences`` of ``context_tokens`` each.

    ``embedding_bits``: what the embedding and output head are stored at, when it differs (16 for AWQ).
    """

    shape: ModelShape
    weight_bits: float = 16
    context_tokens: int = 8192
    concurrent_sequences: int = 1
    kv_bits: float = 16
    overhead_fraction: float = 0.10
    embedding_bits: float | None = None

    def __post_init__(self) -> None:
        for name in ("weight_bits", "kv_bits"):
            bits = require_positive(name, getattr(self, name), "Real bits per weight, e.g. 4.85 for q4_k_m.")
            if bits > 32:
                raise InputError(name, getattr(self, name), "at most 32")
        if self.embedding_bits is not None:
            require_positive("embedding_bits", self.embedding_bits)
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
    """How one GPU model copes: whether one card holds it, and the fewest cards (a tensor-parallel size) that do.

    ``vram_gb`` and ``total_vram_gb`` are as the datasheet states them (GiB, as GPU memory is sold).

    ``gpus_needed`` is None when not even 16 (two 8-GPU nodes) hold it.
    """

    gpu: str
    vram_gb: float
    fits_one: bool
    gpus_needed: int | None
    total_vram_gb: float | None


def vram_required(inputs: SizingInputs) -> VramEstimate:
    """Give back weights + KV cache + overhead, in GB.

    KV cache = 2 x layers x KV heads x head size x context x concurrent sequences x bytes, so a model
    with grouped-query attention (8 KV heads for 64 query heads) needs an eighth of the cache.
    """
    shape = inputs.shape
    matrices = shape.embedding_matrices_params
    head_bits = inputs.embedding_bits if inputs.embedding_bits is not None else inputs.weight_bits
    weights = ((shape.params - matrices) * inputs.weight_bits + matrices * head_bits) / 8 / BYTES_PER_GB
    kv = (shape.kv_cache_bytes(inputs.context_tokens, inputs.kv_bits) * inputs.concurrent_sequences
          / BYTES_PER_GB)
    overhead = (weights + kv) * inputs.overhead_fraction
    return VramEstimate(weights, kv, overhead, weights + kv + overhead)


def gpus_needed(total_gb: float, vram_gb: float) -> int | None:
    """Give back the fewest GPUs of ``vram_gb`` in a valid tensor-parallel size (1, 2, 4, 8, 16) that hold it.

    Both in decimal GB (10^9 bytes): a datasheet's memory GB are GiB, so an 80 GB card holds 85.9 of these.

    Never 3, 6 or 12: tensor parallelism splits every layer evenly. None when 16 are not enough.
    """
    for size in TENSOR_PARALLEL_SIZES:
        if total_gb <= size * vram_gb * (1 + 1e-12):
            return size
    return None


def gpu_fits(estimate: VramEstimate, gpus: Sequence[GpuSpec]) -> tuple[GpuFit, ...]:
    """Give back, for each GPU, whether one card holds the model and how many cards (split evenly) do."""
    fits = []
    for gpu in gpus:
        needed = gpus_needed(estimate.total_gb, gpu.memory_bytes / BYTES_PER_GB)
        fits.append(GpuFit(gpu.name, gpu.vram_gb, needed == 1, needed,
                           needed * gpu.vram_gb if needed is not None else None))
    return tuple(fits)
