"""Specs the physical models need: a GPU, a transformer's shape, a weight format, a link, a serving stack.

Each is a frozen dataclass that checks itself; the figures come from data/ (gpus.yaml, model_shapes.yaml,
quant_formats.yaml, interconnects.yaml, serving_stacks.yaml), turned into these by atlas_mkdocs.engine.catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import InputError, require_choice, require_fraction, require_non_negative, \
    require_positive, require_whole

#: The tensor-core paths a matrix multiply can take; a GPU without one falls back to fp16.
COMPUTE_KINDS = ("fp16", "fp8", "fp4")
#: A GPU datasheet's memory "GB" is binary: HBM stacks and GDDR chips come in powers of two, so an H100's
#: "80GB" is 80 x 2^30 bytes (nvidia-smi shows 81,559 MiB of its 81,920 usable), where its bandwidth's GB/s
#: and every model's weights are decimal.
BYTES_PER_DATASHEET_GB = 2**30


def _require_name(kind: str, name: object) -> None:
    if not isinstance(name, str) or not name:
        raise InputError(f"{kind} name", name, "a non-empty name")


@dataclass(frozen=True)
class GpuSpec:
    """One GPU: memory (the datasheet's GB, which are GiB), memory bandwidth (GB/s), dense tensor TFLOPS per
    precision, board power (W).

    ``fp8_dense_tflops`` is None for a GPU without FP8 tensor cores (an RTX 3090, an A100) and
    ``fp4_dense_tflops`` None for one without FP4 (everything before Blackwell): a format that needs
    them runs weight-only there, dequantised to fp16 for the multiply.
    """

    name: str
    vram_gb: float
    memory_bandwidth_gbs: float
    fp16_dense_tflops: float
    fp8_dense_tflops: float | None = None
    board_watts: float | None = None
    fp4_dense_tflops: float | None = None

    def __post_init__(self) -> None:
        _require_name("gpu", self.name)
        require_positive("vram_gb", self.vram_gb, "From the datasheet, e.g. 80 for an H100.")
        require_positive("memory_bandwidth_gbs", self.memory_bandwidth_gbs,
                         "From the datasheet, e.g. 3350 for an H100 SXM.")
        require_positive("fp16_dense_tflops", self.fp16_dense_tflops,
                         "Dense (not sparse) FP16 tensor TFLOPS, e.g. 989 for an H100 SXM.")
        for field in ("fp8_dense_tflops", "fp4_dense_tflops", "board_watts"):
            if getattr(self, field) is not None:
                require_positive(field, getattr(self, field))

    @property
    def memory_bytes(self) -> float:
        """Give back the memory in bytes: the datasheet's GB are GiB (80 for an H100: 85.9e9 bytes)."""
        return self.vram_gb * BYTES_PER_DATASHEET_GB

    def tensor_tflops(self, compute: str) -> float:
        """Give back the dense TFLOPS a multiply on the ``compute`` path gets (fp16 where the GPU lacks it)."""
        require_choice("compute", compute, COMPUTE_KINDS)
        if compute == "fp4" and self.fp4_dense_tflops is not None:
            return self.fp4_dense_tflops
        if compute == "fp8" and self.fp8_dense_tflops is not None:
            return self.fp8_dense_tflops
        # Weight-only elsewhere (vLLM's Marlin kernels for FP8 on Ampere, FP4 on Hopper): fp16 multiplies.
        return self.fp16_dense_tflops

    def runs_natively(self, compute: str) -> bool:
        """Give back whether the GPU has tensor cores for the ``compute`` path."""
        require_choice("compute", compute, COMPUTE_KINDS)
        return {"fp16": True, "fp8": self.fp8_dense_tflops is not None,
                "fp4": self.fp4_dense_tflops is not None}[compute]


@dataclass(frozen=True)
class ModelShape:
    """A transformer's shape, as its config.json gives it.

    ``params_billion`` counts every weight (all experts of a mixture of experts); ``active_params_billion``
    the weights one token uses (attention, shared experts, ``experts_per_token`` routed experts, embedding
    and head), None for a dense model. ``kv_heads`` below ``attention_heads`` is grouped-query attention;
    ``kv_latent_dim`` is multi-head latent attention (DeepSeek), which caches one compressed vector per
    token and layer instead of a key and a value per KV head. ``sliding_window`` layers (gpt-oss) keep at
    most that many tokens. ``hidden_size`` and ``vocab_size`` size the embedding and the output head: the
    head is read every step, an untied input embedding only looked up.
    """

    name: str
    params_billion: float
    layers: int
    kv_heads: int
    head_dim: int
    attention_heads: int | None = None
    hidden_size: int | None = None
    vocab_size: int | None = None
    tied_embeddings: bool = False
    active_params_billion: float | None = None
    experts: int | None = None
    experts_per_token: int | None = None
    shared_experts: int = 0
    moe_layers: int | None = None
    kv_latent_dim: int | None = None
    sliding_window: int | None = None
    sliding_window_layers: int = 0

    def __post_init__(self) -> None:
        _require_name("model", self.name)
        require_positive("params_billion", self.params_billion, "e.g. 70.6 for Llama-3-70B.")
        require_whole("layers", self.layers, 1, "From the model's config.json: num_hidden_layers.")
        require_whole("kv_heads", self.kv_heads, 1, "From config.json: num_key_value_heads.")
        require_whole("head_dim", self.head_dim, 1, "From config.json: head_dim, or hidden_size / heads.")
        if self.attention_heads is not None:
            require_whole("attention_heads", self.attention_heads, 1)
            if self.attention_heads < self.kv_heads:
                raise InputError("attention_heads", self.attention_heads,
                                 f"at least kv_heads ({self.kv_heads})")
        for field in ("hidden_size", "vocab_size", "kv_latent_dim", "sliding_window"):
            if getattr(self, field) is not None:
                require_whole(field, getattr(self, field), 1)
        require_whole("shared_experts", self.shared_experts, 0)
        require_whole("sliding_window_layers", self.sliding_window_layers, 0)
        if self.sliding_window_layers > self.layers:
            raise InputError("sliding_window_layers", self.sliding_window_layers, f"at most layers ({self.layers})")
        if self.sliding_window_layers and self.sliding_window is None:
            raise InputError("sliding_window", None, "given when sliding_window_layers is above 0",
                             "The window in tokens, e.g. 128 for gpt-oss.")
        moe = (self.active_params_billion, self.experts, self.experts_per_token)
        if any(value is not None for value in moe):
            if any(value is None for value in moe):
                raise InputError("experts", self.experts, "given with active_params_billion and experts_per_token",
                                 "A mixture of experts needs all three, from its config.json and model card.")
            require_positive("active_params_billion", self.active_params_billion)
            require_whole("experts", self.experts, 2)
            require_whole("experts_per_token", self.experts_per_token, 1)
            if self.experts_per_token >= self.experts:
                raise InputError("experts_per_token", self.experts_per_token, f"below experts ({self.experts})")
            if self.active_params_billion >= self.params_billion:
                raise InputError("active_params_billion", self.active_params_billion,
                                 f"below params_billion ({self.params_billion:g})")
            if self.moe_layers is not None:
                require_whole("moe_layers", self.moe_layers, 1)
                if self.moe_layers > self.layers:
                    raise InputError("moe_layers", self.moe_layers, f"at most layers ({self.layers})")
        elif self.moe_layers is not None:
            raise InputError("moe_layers", self.moe_layers, "left out of a dense model")

    @property
    def params(self) -> float:
        """Give back the parameter count (all experts)."""
        return self.params_billion * 1e9

    @property
    def is_moe(self) -> bool:
        """Give back whether the model is a mixture of experts."""
        return self.experts is not None

    @property
    def active_params(self) -> float:
        """Give back the parameters one token uses (all of them for a dense model)."""
        return self.active_params_billion * 1e9 if self.is_moe else self.params

    @property
    def embedding_params(self) -> float:
        """Give back one vocab x hidden matrix (0 when the shape does not say)."""
        if self.hidden_size is None or self.vocab_size is None:
            return 0.0
        return float(self.hidden_size * self.vocab_size)

    @property
    def embedding_matrices_params(self) -> float:
        """Give back the input embedding and output head together (one matrix when they are tied)."""
        return self.embedding_params * (1 if self.tied_embeddings else 2)

    @property
    def expert_params(self) -> float:
        """Give back one routed expert's weights summed over all MoE layers (0 for a dense model).

        From the published totals: total - active = (experts - experts per token) x one expert's weights.
        """
        if not self.is_moe:
            return 0.0
        return (self.params - self.active_params) / (self.experts - self.experts_per_token)

    def experts_touched(self, tokens: float) -> float:
        """Give back the routed experts ``tokens`` tokens reach in one layer: E x (1 - (1 - k/E)^tokens).

        Routing taken as uniform; real routers are skewed and reach fewer (moe_measured.yaml's caveat).
        """
        if not self.is_moe:
            return 0.0
        if tokens <= 0:
            return 0.0
        return self.experts * (1 - (1 - self.experts_per_token / self.experts) ** tokens)

    @property
    def moe_layer_count(self) -> int:
        """Give back the layers with routed experts (every layer unless the shape says)."""
        if not self.is_moe:
            return 0
        return self.moe_layers if self.moe_layers is not None else self.layers

    def kv_bytes_per_token(self, kv_bits: float = 16) -> float:
        """Give back the KV-cache bytes one token holds in every layer.

        2 (K and V) x layers x KV heads x head size x bytes; with latent attention, layers x latent size.
        """
        per_layer = self.kv_latent_dim if self.kv_latent_dim is not None else 2 * self.kv_heads * self.head_dim
        return self.layers * per_layer * kv_bits / 8

    def kv_cache_bytes(self, context_tokens: float, kv_bits: float = 16) -> float:
        """Give back the KV-cache bytes of one sequence of ``context_tokens`` (sliding layers capped)."""
        per_layer_token = self.kv_bytes_per_token(kv_bits) / self.layers
        full_layers = self.layers - self.sliding_window_layers
        window = min(context_tokens, self.sliding_window) if self.sliding_window_layers else 0
        return per_layer_token * (full_layers * context_tokens + self.sliding_window_layers * window)


@dataclass(frozen=True)
class QuantFormat:
    """A weight (or KV-cache) format: its real bits per weight, scales included, and its compute path.

    ``embedding_bits`` is what the input embedding and output head are stored at (AWQ, GPTQ and FP8
    checkpoints keep them at 16 bits); None: the same as the rest (a GGUF file's average).
    """

    name: str
    bits_per_weight: float
    compute: str = "fp16"
    embedding_bits: float | None = None

    def __post_init__(self) -> None:
        _require_name("format", self.name)
        bits = require_positive("bits_per_weight", self.bits_per_weight, "e.g. 4.85 for q4_k_m.")
        if bits > 32:
            raise InputError("bits_per_weight", self.bits_per_weight, "at most 32")
        require_choice("compute", self.compute, COMPUTE_KINDS)
        if self.embedding_bits is not None:
            require_positive("embedding_bits", self.embedding_bits)

    @property
    def head_bits(self) -> float:
        """Give back the bits the embedding and head are stored at."""
        return self.embedding_bits if self.embedding_bits is not None else self.bits_per_weight


@dataclass(frozen=True)
class Interconnect:
    """A link between GPUs: bandwidth per GPU in one direction (GB/s) and the latency of one exchange (us)."""

    name: str
    bandwidth_gbs: float
    latency_us: float

    def __post_init__(self) -> None:
        _require_name("link", self.name)
        require_positive("bandwidth_gbs", self.bandwidth_gbs, "Per GPU and direction, e.g. 450 for NVLink 4.")
        require_non_negative("latency_us", self.latency_us, "One small all-reduce, e.g. 6 for NVLink 4.")

    def exchange_seconds(self, message_bytes: float, gpus: int, all_reduce: bool = True) -> float:
        """Give back the time of one all-reduce among ``gpus`` (ring: 2(n-1)/n of the message) or one hop."""
        share = 2 * (gpus - 1) / gpus if all_reduce else 1.0
        return self.latency_us * 1e-6 + share * message_bytes / (self.bandwidth_gbs * 1e9)


@dataclass(frozen=True)
class ServingStack:
    """How efficiently a serving stack uses a GPU, as fitted to measurements (data/serving_stacks.yaml).

    - ``bandwidth_efficiency``: share of the datasheet bandwidth reached reading weights and KV cache;
    - ``layer_overhead_us``: fixed time each layer costs each step (kernel launches, small kernels);
    - ``compute_utilisation``: share of the datasheet dense TFLOPS reached in prompt-sized multiplies;
    - ``decode_compute_utilisation``: the same for decode tokens, a few rows per weight matrix (llama.cpp's
      matrix-vector kernels reach far less than its prompt kernels);
    - ``activation_passes``: how many times each token's hidden vector is read or written per layer by the
      small kernels between the multiplies (norms, residual adds, activation quantisation, sampling): a
      cost that grows with the batch where the per-layer overhead does not;
    - ``expert_read_efficiency``: routed experts are read, and multiplied, at this share of the rest's
      efficiency (grouped multiplies over many small matrices);
    - ``moe_layer_overhead_us``: routing, sorting and scattering tokens, per MoE layer and step;
    - ``attention_parallelism``: how many (sequence, KV head) pairs per GPU the decode attention kernel needs
      to read the KV cache at full speed: one that does not split a sequence's context over several blocks
      reads it at a share of the bandwidth until the batch times the KV heads fills the GPU; 0 for kernels
      that split the context (FlashDecoding, paged attention), at full speed whatever the batch;
    - ``fp8_matmul_share``: the share of the datasheet's FP8 speed-up over FP16/BF16 that FP8 multiplies
      reach (measured: 1,360 against 751 TFLOPS on our H200's 8192-cube matmuls, where the datasheet says
      1,979 against 989); not fitted;
    - ``expert_overhead_us``: a fixed time for each routed expert a step reaches, per MoE layer: each is
      its own small multiply in a grouped GEMM, whose start and last partial tiles cost the same whatever
      the expert's size, so many small experts (Qwen3, gpt-oss, DeepSeek) cost more per byte than few large
      ones (Mixtral);
    - ``fp4_matmul_share``: the same for FP4 multiplies on Blackwell, fitted (no matmul measurement of ours);
    - ``link_efficiency``: the share of the GPUs' link bandwidth its all-reduces and hops reach (NCCL over
      NVLink or PCIe, message sizes of a serving step);
    - ``memory_share_of``: what ``memory_utilisation`` is a share of: "total" (vLLM's gpu_memory_utilization
      caps weights, cache and all) or "free" (TensorRT-LLM's kv_cache_free_gpu_mem_fraction is a share of the
      memory left once the weights and the reserve are in);
    - ``memory_utilisation`` and ``reserve_gb``: the share of each GPU's memory the stack lets itself use,
      and what it keeps of that per GPU for the CUDA context, activations and its own buffers;
    - ``max_batch``: the most sequences it schedules at once; ``prefill_chunk_tokens``: the most tokens
      one step takes (llama.cpp's micro-batch, vLLM's token budget).
    """

    name: str
    bandwidth_efficiency: float
    layer_overhead_us: float
    compute_utilisation: float
    decode_compute_utilisation: float = 1.0
    activation_passes: float = 0.0
    expert_read_efficiency: float = 1.0
    moe_layer_overhead_us: float = 0.0
    memory_utilisation: float = 0.9
    reserve_gb: float = 1.0
    max_batch: int = 256
    prefill_chunk_tokens: int = 8192
    attention_parallelism: float = 0.0
    fp8_matmul_share: float = 1.0
    memory_share_of: str = "total"
    link_efficiency: float = 1.0
    expert_overhead_us: float = 0.0
    fp4_matmul_share: float = 1.0

    def __post_init__(self) -> None:
        _require_name("stack", self.name)
        require_fraction("bandwidth_efficiency", self.bandwidth_efficiency,
                         "The share of datasheet bandwidth real kernels reach, e.g. 0.8.")
        require_non_negative("layer_overhead_us", self.layer_overhead_us)
        require_fraction("compute_utilisation", self.compute_utilisation,
                         "The share of datasheet TFLOPS prefill reaches, e.g. 0.6.")
        require_fraction("decode_compute_utilisation", self.decode_compute_utilisation,
                         "The share of datasheet TFLOPS decode steps reach, e.g. 0.5.")
        require_non_negative("activation_passes", self.activation_passes)
        require_fraction("expert_read_efficiency", self.expert_read_efficiency)
        require_non_negative("moe_layer_overhead_us", self.moe_layer_overhead_us)
        require_fraction("memory_utilisation", self.memory_utilisation,
                         "The share of GPU memory the stack may use, e.g. 0.9 (vLLM's default).")
        require_non_negative("reserve_gb", self.reserve_gb)
        require_whole("max_batch", self.max_batch, 1)
        require_whole("prefill_chunk_tokens", self.prefill_chunk_tokens, 1)
        require_non_negative("attention_parallelism", self.attention_parallelism)
        require_choice("memory_share_of", self.memory_share_of, ("total", "free"))
        require_non_negative("expert_overhead_us", self.expert_overhead_us)
        require_fraction("fp4_matmul_share", self.fp4_matmul_share)
        require_fraction("link_efficiency", self.link_efficiency,
                         "The share of the link's bandwidth all-reduces reach, e.g. 0.6.")
        require_fraction("fp8_matmul_share", self.fp8_matmul_share,
                         "FP8 matmuls' speed-up over BF16 as a share of the datasheet's, e.g. 0.9.")
