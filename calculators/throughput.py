"""Throughput: a roofline estimate of tokens per second and time per request.

Decode makes one token per sequence per step, and each step reads every weight and the batch's KV cache
from memory, so it is bound by memory bandwidth (times an efficiency factor: real kernels reach 60-80%
of the datasheet figure). Prefill pushes the whole prompt through at once, so it is bound by compute
(2 FLOPs per parameter per token, plus attention, times a utilisation factor). Each phase takes the slower
of its two bounds. Batching shares one read of the weights across the batch, which is why it raises
decode throughput until compute or KV-cache reads catch up.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import InputError, require_choice, require_fraction, require_whole
from atlas_mkdocs.engine.sizing import KV_BITS, WEIGHT_BITS
from atlas_mkdocs.engine.specs import GpuSpec, ModelShape
from atlas_mkdocs.engine.units import BYTES_PER_GB

TFLOPS = 1e12


@dataclass(frozen=True)
class ThroughputInputs:
    """A model on ``gpus`` GPUs (tensor parallel), a request's shape and the batch size."""

    shape: ModelShape
    gpu: GpuSpec
    prompt_tokens: int
    output_tokens: int
    gpus: int = 1
    weight_bits: int = 16
    kv_bits: int = 16
    batch_size: int = 1
    memory_efficiency: float = 0.7
    compute_utilisation: float = 0.5

    def __post_init__(self) -> None:
        require_whole("prompt_tokens", self.prompt_tokens, 0)
        require_whole("output_tokens", self.output_tokens, 0)
        require_whole("gpus", self.gpus, 1)
        require_choice("weight_bits", self.weight_bits, WEIGHT_BITS)
        require_choice("kv_bits", self.kv_bits, KV_BITS)
        require_whole("batch_size", self.batch_size, 1)
        require_fraction("memory_efficiency", self.memory_efficiency,
                         "The share of datasheet bandwidth real kernels reach, e.g. 0.7.")
        require_fraction("compute_utilisation", self.compute_utilisation,
                         "The share of datasheet TFLOPS prefill reaches, e.g. 0.5.")
        if self.prompt_tokens + self.output_tokens == 0:
            raise InputError("output_tokens", self.output_tokens, "above 0 when prompt_tokens is 0",
                             "A request has at least one token.")


@dataclass(frozen=True)
class ThroughputEstimate:
    """Roofline results: prefill and decode speed, time per request, and per-GPU throughput."""

    prefill_tokens_per_second: float
    prefill_seconds: float
    prefill_bound: str
    decode_step_seconds: float
    decode_tokens_per_second: float
    decode_tokens_per_second_per_sequence: float
    decode_tokens_per_second_per_gpu: float
    decode_bound: str
    seconds_per_request: float
    requests_per_second: float


def attention_flops(shape: ModelShape, context_tokens: float) -> float:
    """Give back the attention FLOPs of one token reading ``context_tokens`` of context.

    QK^T and AV each take 2 x context x (query heads x head size) FLOPs per layer; without a known
    query-head count the term is left out (it matters only for long contexts).
    """
    if shape.attention_heads is None:
        return 0.0
    return 4 * shape.layers * context_tokens * shape.attention_heads * shape.head_dim


def estimate_throughput(inputs: ThroughputInputs) -> ThroughputEstimate:
    """Give back the roofline estimate for a batch of identical requests."""
    shape, gpu = inputs.shape, inputs.gpu
    bandwidth = gpu.memory_bandwidth_gbs * BYTES_PER_GB * inputs.gpus * inputs.memory_efficiency
    compute = gpu.peak_tflops(inputs.weight_bits) * TFLOPS * inputs.gpus * inputs.compute_utilisation
    weight_bytes = shape.params * inputs.weight_bits / 8
    batch = inputs.batch_size

    # Prefill, per sequence: linear layers plus causal attention (token i attends to i tokens, so the
    # total is 2 x context^2 x ... rather than 4 x).
    prompt = inputs.prompt_tokens
    prefill_flops = 2 * shape.params * prompt + attention_flops(shape, prompt) * prompt / 2
    prefill_compute_s = prefill_flops * batch / compute
    prefill_memory_s = weight_bytes / bandwidth if prompt else 0.0
    prefill_s = max(prefill_compute_s, prefill_memory_s)
    prefill_bound = "compute" if prefill_compute_s >= prefill_memory_s else "memory"

    # Decode: one step per output token; the KV cache read grows with the context, so use the middle.
    mean_context = prompt + inputs.output_tokens / 2
    kv_bytes = shape.kv_bytes_per_token(inputs.kv_bits) * mean_context * batch
    step_memory_s = (weight_bytes + kv_bytes) / bandwidth
    step_flops = (2 * shape.params + attention_flops(shape, mean_context)) * batch
    step_compute_s = step_flops / compute
    step_s = max(step_memory_s, step_compute_s)
    decode_bound = "memory" if step_memory_s >= step_compute_s else "compute"

    request_s = prefill_s + inputs.output_tokens * step_s
    decode_tps = batch / step_s
    return ThroughputEstimate(
        prefill_tokens_per_second=prompt * batch / prefill_s if prefill_s else 0.0,
        prefill_seconds=prefill_s,
        prefill_bound=prefill_bound,
        decode_step_seconds=step_s,
        decode_tokens_per_second=decode_tps,
        decode_tokens_per_second_per_sequence=1 / step_s,
        decode_tokens_per_second_per_gpu=decode_tps / inputs.gpus,
        decode_bound=decode_bound,
        seconds_per_request=request_s,
        requests_per_second=batch / request_s,
    )
