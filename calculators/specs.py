"""Specs the physical models need: a GPU's datasheet numbers and a transformer's shape."""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import InputError, require_positive, require_whole


@dataclass(frozen=True)
class GpuSpec:
    """One GPU: memory (GB), memory bandwidth (GB/s), dense tensor TFLOPS, board power (W).

    ``fp8_dense_tflops`` is None for a GPU without FP8 tensor cores (an RTX 3090, an A100).
    """

    name: str
    vram_gb: float
    memory_bandwidth_gbs: float
    fp16_dense_tflops: float
    fp8_dense_tflops: float | None = None
    board_watts: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError("gpu name", self.name, "a non-empty name")
        require_positive("vram_gb", self.vram_gb, "From the datasheet, e.g. 80 for an H100.")
        require_positive("memory_bandwidth_gbs", self.memory_bandwidth_gbs,
                         "From the datasheet, e.g. 3350 for an H100 SXM.")
        require_positive("fp16_dense_tflops", self.fp16_dense_tflops,
                         "Dense (not sparse) FP16 tensor TFLOPS, e.g. 989 for an H100 SXM.")
        if self.fp8_dense_tflops is not None:
            require_positive("fp8_dense_tflops", self.fp8_dense_tflops)
        if self.board_watts is not None:
            require_positive("board_watts", self.board_watts)

    def peak_tflops(self, weight_bits: int) -> float:
        """Give back the dense TFLOPS a model at ``weight_bits`` computes with.

        8-bit weights use FP8 tensor cores where the GPU has them; 4-bit weights are weight-only
        quantisation, dequantised to FP16 for the matrix multiply.
        """
        if weight_bits == 8 and self.fp8_dense_tflops is not None:
            return self.fp8_dense_tflops
        return self.fp16_dense_tflops


@dataclass(frozen=True)
class ModelShape:
    """A transformer's shape: parameters (billions), layers, KV heads, head size, query heads.

    ``kv_heads`` below ``attention_heads`` is grouped-query attention: the KV cache holds one key and
    one value per KV head, not per query head.
    """

    name: str
    params_billion: float
    layers: int
    kv_heads: int
    head_dim: int
    attention_heads: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError("model name", self.name, "a non-empty name")
        require_positive("params_billion", self.params_billion, "e.g. 70.6 for Llama-3-70B.")
        require_whole("layers", self.layers, 1, "From the model's config.json: num_hidden_layers.")
        require_whole("kv_heads", self.kv_heads, 1, "From config.json: num_key_value_heads.")
        require_whole("head_dim", self.head_dim, 1, "From config.json: head_dim, or hidden_size / heads.")
        if self.attention_heads is not None:
            require_whole("attention_heads", self.attention_heads, 1)
            if self.attention_heads < self.kv_heads:
                raise InputError("attention_heads", self.attention_heads,
                                 f"at least kv_heads ({self.kv_heads})")

    @property
    def params(self) -> float:
        """Give back the parameter count."""
        return self.params_billion * 1e9

    def kv_bytes_per_token(self, kv_bits: int = 16) -> float:
        """Give back the KV-cache bytes one token holds: 2 (K and V) x layers x KV heads x head size x bytes."""
        return 2 * self.layers * self.kv_heads * self.head_dim * kv_bits / 8
