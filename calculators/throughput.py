"""Throughput: tokens per second, time to first token and memory, for a model served on one or more GPUs.

One step of the engine processes some sequences' next tokens (decode) and some prompt tokens (prefill)
together, as continuous-batching servers do. A step costs

- memory time: the weights it must read (all of a dense model; attention, shared experts and the routed
  experts its tokens reach for a mixture of experts), plus each decoding sequence's KV cache, at the
  stack's share of the datasheet bandwidth, plus the hidden vectors its small kernels read and write per
  token and layer, plus a fixed time per layer (and per MoE layer) that kernel launches cost whatever
  the size;
- compute time: 2 FLOPs per active parameter per token plus attention, at the stack's share of the
  datasheet tensor TFLOPS for the weight format's path (fp8 or fp4 only where the GPU has them);
- communication: two all-reduces per layer under tensor parallelism, one hop per stage boundary under
  pipeline parallelism, each a latency plus bytes over the link.

Memory and compute time overlap but neither hides the other fully near the ridge, so a step takes
sqrt(memory^2 + compute^2) (+ communication): the roofline's max() with a smooth corner, which our H200
measurements follow within a few per cent where the plain max() is 13% fast (Methodology note).

Serving (continuous batching): ``batch`` sequences are in flight; each request's prompt is prefilled in
chunks that ride along with the others' decode steps, so its weight reads are shared. Over one request's
life the GPU runs ``output_tokens`` steps (more if the prompts exceed the stack's token budget), each
carrying every sequence's next token and a share of the newcomers' prompts. Output tokens per second,
time per output token and time to first token follow from that step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from atlas_mkdocs.engine.errors import InputError, require_choice, require_whole
from atlas_mkdocs.engine.specs import GpuSpec, Interconnect, ModelShape, QuantFormat, ServingStack
from atlas_mkdocs.engine.units import BYTES_PER_GB

TFLOPS = 1e12
PARALLEL_MODES = ("tensor", "pipeline")
#: Tensor parallelism splits every layer's heads evenly, within one 8-GPU node (HGX/DGX) or across two.
TENSOR_PARALLEL_SIZES = (1, 2, 4, 8, 16)
GPUS_PER_NODE = 8
ACTIVATION_BYTES = 2  # activations travel between GPUs in bf16


@dataclass(frozen=True)
class ThroughputInputs:
    """A model in a weight format on ``gpus`` GPUs under a serving stack, and the workload.

    ``batch_size`` is the number of sequences in flight; None asks for the largest that fits (capped at
    the stack's ``max_batch``). ``link`` joins the GPUs of one node, ``node_link`` two nodes (16 GPUs).
    """

    shape: ModelShape
    gpu: GpuSpec
    prompt_tokens: int
    output_tokens: int
    stack: ServingStack
    weights: QuantFormat
    kv_cache: QuantFormat
    gpus: int = 1
    parallel: str = "tensor"
    link: Interconnect | None = None
    node_link: Interconnect | None = None
    batch_size: int | None = 1

    def __post_init__(self) -> None:
        require_whole("prompt_tokens", self.prompt_tokens, 0)
        require_whole("output_tokens", self.output_tokens, 0)
        if self.prompt_tokens + self.output_tokens == 0:
            raise InputError("output_tokens", self.output_tokens, "above 0 when prompt_tokens is 0",
                             "A request has at least one token.")
        require_whole("gpus", self.gpus, 1)
        require_choice("parallel", self.parallel, PARALLEL_MODES)
        if self.batch_size is not None:
            require_whole("batch_size", self.batch_size, 1, "Sequences in flight, or 'max' for the largest that fits.")
        if self.parallel == "tensor" and self.gpus not in TENSOR_PARALLEL_SIZES:
            raise InputError("gpus", self.gpus, "1, 2, 4, 8 or 16 for tensor parallelism",
                             "Tensor parallelism splits each layer's heads evenly over 2, 4 or 8 GPUs of a node "
                             "(16 across two nodes); to use another count, split by layers (parallel: pipeline).")
        if self.parallel == "pipeline" and self.gpus > self.shape.layers:
            raise InputError("gpus", self.gpus, f"at most the model's {self.shape.layers} layers for pipeline "
                             "parallelism", "Each GPU holds at least one layer.")
        if self.gpus > 1 and self.link is None:
            raise InputError("link", None, "given when gpus is above 1",
                             "Name the link between the GPUs, e.g. nvlink-4 or pcie-4.")
        if self.gpus > GPUS_PER_NODE and self.node_link is None:
            raise InputError("node_link", None, f"given when more than {GPUS_PER_NODE} GPUs (two nodes) are used",
                             "Name the link between nodes, e.g. infiniband-ndr.")


@dataclass(frozen=True)
class ThroughputEstimate:
    """Memory fit, prefill and decode speed, and the serving figures of a workload."""

    fits: bool
    memory_needed_gb: float
    memory_available_gb: float
    memory_needed_per_gpu_gb: float
    weights_gb: float
    kv_cache_gb: float
    max_batch: int
    batch: int
    prefill_tokens_per_second: float
    prefill_seconds: float
    prefill_bound: str
    decode_step_seconds: float
    decode_tokens_per_second: float
    decode_tokens_per_second_per_sequence: float
    decode_tokens_per_second_per_gpu: float
    decode_bound: str
    output_tokens_per_second: float
    time_to_first_token_s: float
    time_per_output_token_s: float
    seconds_per_request: float
    requests_per_second: float
    experts_touched_per_layer: float
    communication_seconds_per_step: float


@dataclass(frozen=True)
class _Work:
    """FLOPs of prompt tokens: linear layers (weight format's path) and attention (KV cache's path)."""

    linear: float = 0.0
    attention: float = 0.0

    def __truediv__(self, parts: float) -> _Work:
        return _Work(self.linear / parts, self.attention / parts)


@dataclass(frozen=True)
class _Step:
    """One engine step's parts, in seconds."""

    memory: float
    compute: float
    communication: float

    @property
    def seconds(self) -> float:
        return math.hypot(self.memory, self.compute) + self.communication

    @property
    def bound(self) -> str:
        return "memory" if self.memory >= self.compute else "compute"


# ---- bytes and FLOPs ------------------------------------------------------------------------------------

def weight_bytes(shape: ModelShape, weights: QuantFormat) -> float:
    """Give back the bytes every weight takes (all experts), embedding and head at the format's own bits."""
    matrices = shape.embedding_matrices_params
    return (shape.params - matrices) * weights.bits_per_weight / 8 + matrices * weights.head_bits / 8


def _input_embedding(shape: ModelShape) -> float:
    """An untied input embedding is looked up, never read whole or multiplied."""
    return 0.0 if shape.tied_embeddings else shape.embedding_params


def _dense_read_bytes(shape: ModelShape, weights: QuantFormat) -> float:
    """Give back the bytes a step reads whatever its tokens: all but the routed experts and the input embedding."""
    matrices = shape.embedding_matrices_params
    body = shape.active_params - matrices - shape.experts_per_token * shape.expert_params if shape.is_moe \
        else shape.params - matrices
    return body * weights.bits_per_weight / 8 + shape.embedding_params * weights.head_bits / 8


def _expert_bytes(shape: ModelShape, weights: QuantFormat, tokens: float) -> float:
    """Give back the routed experts' bytes ``tokens`` tokens reach in a step (0 for a dense model)."""
    return shape.experts_touched(tokens) * shape.expert_params * weights.bits_per_weight / 8


def _attended(shape: ModelShape, context: float) -> float:
    """Give back layer-tokens attended at ``context`` (sliding-window layers see at most their window)."""
    full = shape.layers - shape.sliding_window_layers
    window = min(context, shape.sliding_window) if shape.sliding_window_layers else 0
    return full * context + shape.sliding_window_layers * window


def attention_flops(shape: ModelShape, context_tokens: float) -> float:
    """Give back the attention FLOPs of one token reading ``context_tokens`` of context.

    QK^T and AV each take 2 x context x (query heads x head size) FLOPs per layer; without a known
    query-head count the term is left out (it matters only for long contexts).
    """
    if shape.attention_heads is None:
        return 0.0
    return 4 * _attended(shape, context_tokens) * shape.attention_heads * shape.head_dim


def prompt_attention_flops(shape: ModelShape, prompt_tokens: float) -> float:
    """Give back the causal attention FLOPs of one prompt: token i attends to i tokens (half of 4 x P^2)."""
    if shape.attention_heads is None:
        return 0.0
    per_layer = 2 * prompt_tokens * prompt_tokens
    if shape.sliding_window_layers and prompt_tokens > shape.sliding_window:
        window = shape.sliding_window
        sliding = 4 * (prompt_tokens * window - window * window / 2)
    else:
        sliding = per_layer
    full = shape.layers - shape.sliding_window_layers
    return (full * per_layer + shape.sliding_window_layers * sliding) * shape.attention_heads * shape.head_dim


def _token_flops(shape: ModelShape) -> float:
    """Give back the linear-layer FLOPs of one token, output head included."""
    return 2 * (shape.active_params - _input_embedding(shape))


def _expert_flops(shape: ModelShape) -> float:
    """Give back the routed experts' FLOPs of one token (0 for a dense model)."""
    return 2 * shape.experts_per_token * shape.expert_params if shape.is_moe else 0.0


def _message_bytes(shape: ModelShape, tokens: float) -> float:
    width = shape.hidden_size or (shape.attention_heads or shape.kv_heads) * shape.head_dim
    return tokens * width * ACTIVATION_BYTES


# ---- the engine ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Engine:
    """The fixed parts of a deployment, so each step is cheap to cost."""

    inputs: ThroughputInputs

    @property
    def tensor_ways(self) -> int:
        return self.inputs.gpus if self.inputs.parallel == "tensor" else 1

    def communication(self, tokens: float) -> float:
        i = self.inputs
        if i.gpus == 1:
            return 0.0
        # NCCL reaches a share of a link's datasheet bandwidth (the stack's link_efficiency); latency is as measured.
        message = _message_bytes(i.shape, tokens) / i.stack.link_efficiency
        if i.parallel == "pipeline":
            return (i.gpus - 1) * i.link.exchange_seconds(message, 2, all_reduce=False)
        per_all_reduce = i.link.exchange_seconds(message, min(i.gpus, GPUS_PER_NODE))
        if i.gpus > GPUS_PER_NODE:
            per_all_reduce += i.node_link.exchange_seconds(message, i.gpus // GPUS_PER_NODE)
        return 2 * i.shape.layers * per_all_reduce

    def peak_flops(self, compute: str) -> float:
        """Give back the datasheet FLOP/s of the GPUs on a multiply path, FP8 at the share real matmuls reach."""
        i = self.inputs
        share = 1.0
        if compute in ("fp8", "fp4") and i.gpu.runs_natively(compute):
            share = i.stack.fp8_matmul_share if compute == "fp8" else i.stack.fp4_matmul_share
        return i.gpu.tensor_tflops(compute) * TFLOPS * self.tensor_ways * share

    def kv_read_share(self, decoding: float) -> float:
        """Give back the share of the bandwidth the decode attention reads the KV cache at.

        A kernel that gives each (sequence, KV head) pair one block of threads, without splitting its context,
        has only batch x KV heads per GPU blocks at work: below the stack's ``attention_parallelism`` they
        cannot keep every memory channel busy (our H200 run: batch 1 read the cache at a thirteenth of batch
        32's rate, batch 8 at three fifths). Latent attention (DeepSeek) shares one latent over all heads.
        """
        needed = self.inputs.stack.attention_parallelism
        if needed <= 0 or decoding <= 0:
            return 1.0
        shape = self.inputs.shape
        heads = 1 if shape.kv_latent_dim else shape.kv_heads
        return min(1.0, decoding * max(1.0, heads / self.tensor_ways) / needed)

    def step(self, decoding: float, context: float, prefill_tokens: float = 0.0,
             prefill: _Work = _Work()) -> _Step:
        """Give back one step carrying ``decoding`` sequences' next tokens and ``prefill_tokens`` of prompts.

        ``prefill`` is the prompts' work in this step (linear-layer and attention FLOPs).
        """
        i, shape, stack = self.inputs, self.inputs.shape, self.inputs.stack
        ways = self.tensor_ways
        bandwidth = i.gpu.memory_bandwidth_gbs * BYTES_PER_GB * stack.bandwidth_efficiency * ways
        tokens = decoding + prefill_tokens
        kv = decoding * shape.kv_cache_bytes(context, i.kv_cache.bits_per_weight)
        activations = tokens * shape.layers * stack.activation_passes * _message_bytes(shape, 1)
        memory = (_dense_read_bytes(shape, i.weights) + activations) / bandwidth \
            + kv / (bandwidth * self.kv_read_share(decoding)) \
            + _expert_bytes(shape, i.weights, tokens) / (bandwidth * stack.expert_read_efficiency) \
            + (shape.layers * stack.layer_overhead_us + shape.moe_layer_count * stack.moe_layer_overhead_us
               + shape.moe_layer_count * shape.experts_touched(tokens) * stack.expert_overhead_us) * 1e-6
        # Routed experts' share of the linear FLOPs is multiplied at the experts' lower efficiency.
        expert_share = _expert_flops(shape) / _token_flops(shape)
        slowdown = 1 - expert_share + expert_share / stack.expert_read_efficiency
        # Linear layers run on the weight format's tensor-core path, attention on the KV cache's.
        linear_peak = self.peak_flops(i.weights.compute)
        attention_peak = self.peak_flops(i.kv_cache.compute)
        decode_s = (decoding * _token_flops(shape) * slowdown / linear_peak
                    + decoding * attention_flops(shape, context) / attention_peak) / stack.decode_compute_utilisation
        prefill_s = (prefill.linear * slowdown / linear_peak
                     + prefill.attention / attention_peak) / stack.compute_utilisation
        return _Step(memory, decode_s + prefill_s, self.communication(tokens))

    def prefill_work(self, prompts: float, prompt_tokens: float) -> _Work:
        """Give back the work of ``prompts`` prompts of ``prompt_tokens``: linear layers (one head row), attention."""
        shape = self.inputs.shape
        head = 2 * shape.embedding_params
        return _Work(prompts * (prompt_tokens * (_token_flops(shape) - head) + head),
                     prompts * prompt_attention_flops(shape, prompt_tokens))

    def chunked(self, tokens: float, work: _Work, decoding: float, context: float,
                budget: float) -> tuple[float, _Step]:
        """Give back the time to push ``tokens`` prompt tokens through in steps of at most ``budget``, and a step."""
        steps = max(1, math.ceil(tokens / max(1.0, budget) - 1e-9))
        step = self.step(decoding, context, tokens / steps, work / steps)
        return steps * step.seconds, step


def _memory(inputs: ThroughputInputs) -> tuple[float, float, float, float]:
    """Give back (weights, KV bytes per sequence, usable bytes, reserve bytes), all GPUs together."""
    stack = inputs.stack
    weights = weight_bytes(inputs.shape, inputs.weights)
    per_sequence = inputs.shape.kv_cache_bytes(inputs.prompt_tokens + inputs.output_tokens,
                                               inputs.kv_cache.bits_per_weight)
    total = inputs.gpus * inputs.gpu.memory_bytes  # the datasheet's GB are GiB
    reserve = inputs.gpus * stack.reserve_gb * BYTES_PER_GB
    if stack.memory_share_of == "free" and total > weights + reserve:
        # TensorRT-LLM gives the KV cache its share of what the weights and the reserve leave free.
        usable = weights + reserve + (total - weights - reserve) * stack.memory_utilisation
    else:
        usable = total * stack.memory_utilisation
    return weights, per_sequence, usable, reserve


def largest_batch(inputs: ThroughputInputs) -> int:
    """Give back the most sequences whose KV cache fits beside the weights and reserve (0: the weights do not)."""
    weights, per_sequence, usable, reserve = _memory(inputs)
    room = usable - weights - reserve
    if room < per_sequence:
        return 0
    if not math.isfinite(room / per_sequence):  # memory beyond a float's range: the stack's cap decides
        return inputs.stack.max_batch
    return min(inputs.stack.max_batch, int(room // per_sequence))


def estimate_throughput(inputs: ThroughputInputs) -> ThroughputEstimate:
    """Give back the memory fit and serving figures of ``inputs`` (figures also when it does not fit)."""
    shape, stack = inputs.shape, inputs.stack
    weights, per_sequence, usable, reserve = _memory(inputs)
    most = largest_batch(inputs)
    batch = inputs.batch_size if inputs.batch_size is not None else max(1, most)
    needed = weights + batch * per_sequence + reserve
    engine = _Engine(inputs)
    prompt, output = inputs.prompt_tokens, inputs.output_tokens
    budget = stack.prefill_chunk_tokens
    context = prompt + output / 2

    # Prefill of the whole batch's prompts, in chunks of the stack's token budget.
    if prompt:
        prefill_s, prefill_step = engine.chunked(batch * prompt, engine.prefill_work(batch, prompt), 0, context,
                                                 budget)
        prefill_bound = prefill_step.bound
    else:
        prefill_s, prefill_bound = 0.0, "memory"

    decode = engine.step(batch, context)
    # Time to first token: a newcomer's prompt rides along with the other sequences' decode steps.
    others = batch - 1
    if prompt:
        ttft, _ = engine.chunked(prompt, engine.prefill_work(1, prompt), others, context,
                                 max(1.0, budget - others))
    else:
        ttft = engine.step(batch, context).seconds
    # A request's life: output steps (more if the prompts overflow the budget), each with a share of prompts.
    if output:
        steps = max(output, math.ceil(batch * (prompt + output) / budget - 1e-9))
        cycle_step = engine.step(batch * output / steps, context, batch * prompt / steps,
                                 engine.prefill_work(batch, prompt) / steps if prompt else _Work())
        cycle = steps * cycle_step.seconds
        tpot = cycle / output
        output_tps = batch * output / cycle
        request_s = ttft + (output - 1) * tpot
    else:
        cycle, tpot, output_tps = prefill_s, 0.0, 0.0
        request_s = ttft
    decode_tps = batch / decode.seconds
    return ThroughputEstimate(
        fits=needed <= usable * (1 + 1e-12),
        memory_needed_gb=needed / BYTES_PER_GB,
        memory_available_gb=usable / BYTES_PER_GB,
        memory_needed_per_gpu_gb=needed / inputs.gpus / BYTES_PER_GB,
        weights_gb=weights / BYTES_PER_GB,
        kv_cache_gb=batch * per_sequence / BYTES_PER_GB,
        max_batch=most,
        batch=batch,
        prefill_tokens_per_second=batch * prompt / prefill_s if prefill_s else 0.0,
        prefill_seconds=prefill_s,
        prefill_bound=prefill_bound,
        decode_step_seconds=decode.seconds,
        decode_tokens_per_second=decode_tps,
        decode_tokens_per_second_per_sequence=1 / decode.seconds,
        decode_tokens_per_second_per_gpu=decode_tps / inputs.gpus,
        decode_bound=decode.bound,
        output_tokens_per_second=output_tps,
        time_to_first_token_s=ttft,
        time_per_output_token_s=tpot,
        seconds_per_request=request_s,
        requests_per_second=batch / cycle if cycle else 0.0,
        experts_touched_per_layer=shape.experts_touched(batch),
        communication_seconds_per_step=decode.communication,
    )
