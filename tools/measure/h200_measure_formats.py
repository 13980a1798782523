#!/usr/bin/env python3
"""Measure decode and prefill of a minimal Llama-style decoder on one GPU in several weight formats.

Companion of ../../../shared/tools/h200_measure.py (bf16 dense) and h200_measure_moe.py (MoE): the same
model, static KV cache, CUDA-graph timing and ceilings, with the linear layers of each decoder layer stored
in one of these formats (embedding, norms, LM head and KV cache stay bf16, as vLLM keeps them):

  bf16            F.linear, the in-run baseline.
  fp8_static      fp8 e4m3 weights with one per-tensor scale; activations cast to fp8 with a static
                  per-tensor scale (1.0): one cast kernel per linear, about what a serving stack's fused
                  static quantisation costs; torch._scaled_mm (cuBLASLt) with bf16 output.
  fp8_dyn_tensor  the same weights; activations scaled dynamically per tensor (amax, scale, multiply,
                  cast: what vLLM's online `--quantization fp8` does, here in ~4 unfused kernels).
  fp8_dyn_row     fp8 weights with one scale per output channel; activations scaled dynamically per token
                  (the compressed-tensors FP8_DYNAMIC scheme); torch._scaled_mm with row-wise scales.
  int4_g128       int4 weight-only, asymmetric, group size 128 along K, bf16 scales and zeros (4.25 bits
                  per weight), bf16 activations; torch._weight_int4pack_mm (the "tinygemm" kernel
                  torchao's int4 weight-only path used), if it works in this PyTorch.

Parts (all in one run, results written incrementally):
  A  decode at context 1024, batch 1, 8, 32, 64, 128, Llama-3.1-8B and -70B shapes, every format.
  B  long-context decode, 8B shape, bf16: context 4096, 16384, 32768 at batch 1, 8, 32 (context 1024 is
     part A's), skipping points whose KV cache would exceed 80 GB.
  C  prefill, 8B shape, batch 1, 512 / 2048 / 8192 prompt tokens, bf16 and the fp8 formats.

Usage:
    python3 h200_measure_formats.py --smoke      # 2 layers, batch [1, 8], short contexts: < 1 min
    python3 h200_measure_formats.py              # full run
    MEASURE_DEVICE=cpu python3 h200_measure_formats.py --smoke --tiny   # logic test without a GPU

Results: $OUT/formats_results.json (formats_smoke.json with --smoke; ./ if OUT is unset), rewritten after
every model and part, so a run cut short still leaves what it did. Every probe, build and point is wrapped:
an error is recorded with its text and the run goes on.

Method notes
  * Random weights (std 1/sqrt(fan_in)), random KV cache; nothing downloaded. Each distinct layer's bf16
    weights come from a seeded generator, so every format quantises the same bf16 weights and its logits
    can be compared with the bf16 model's (recorded as logits_vs_bf16_rel_err).
  * 70B: 20 distinct layer weight sets executed as 80 layers (layer i uses set i % 20), each set far larger
    than the 60 MB L2, every layer with its own KV cache: bytes per step equal the real model's.
  * decode: one step = K/V written at position `ctx`, attention over ctx + 1 positions, all layers and the
    LM head; captured in a CUDA graph, timed by replay (median of trials). prefill: eager, event-timed.
  * Bytes counted: the stored tensors (quantised weights + their scales/zeros), norms, LM head (the
    embedding rows a step reads are negligible); KV bytes = layers x batch x (ctx + 1) x 2 x kv_heads x
    head_dim x 2.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import subprocess
import sys
import time
import traceback

os.environ.setdefault("PYTHONUNBUFFERED", "1")
try:
    sys.stdout.reconfigure(line_buffering=True)
except Exception:  # pragma: no cover
    pass

import torch
import torch.nn.functional as F

DEV = os.environ.get("MEASURE_DEVICE", "cuda")   # "cpu" only for a logic test, never for timing
CUDA = DEV == "cuda"
DT = torch.bfloat16
F8 = getattr(torch, "float8_e4m3fn", None)
F8_MAX = 448.0
T0 = time.time()

SHAPES = {
    "llama-3.1-8b": dict(layers=32, hidden=4096, heads=32, kv_heads=8, head_dim=128,
                         intermediate=14336, vocab=128256, distinct_layers=32),
    "llama-3.1-70b": dict(layers=80, hidden=8192, heads=64, kv_heads=8, head_dim=128,
                          intermediate=28672, vocab=128256, distinct_layers=20),
}
TINY = {  # same structure, small dimensions: for MEASURE_DEVICE=cpu logic tests only
    "llama-3.1-8b": dict(layers=4, hidden=256, heads=4, kv_heads=2, head_dim=64,
                         intermediate=512, vocab=1000, distinct_layers=4),
    "llama-3.1-70b": dict(layers=6, hidden=512, heads=8, kv_heads=2, head_dim=64,
                          intermediate=1024, vocab=1000, distinct_layers=3),
}
FORMATS = ["bf16", "fp8_static", "fp8_dyn_tensor", "fp8_dyn_row", "int4_g128"]
PREFILL_FORMATS = ["bf16", "fp8_static", "fp8_dyn_tensor", "fp8_dyn_row"]
CTX = 1024
DEC_PAD = 8
GROUP = 128           # int4 group size along K
INNER_K_TILES = 8     # int4 pack layout (torchao's default)
KV_LIMIT_BYTES = 80e9
ROPE_THETA = 500000.0
EPS = 1e-5

# chosen by the probes
FP8_OK = {"tensor": False, "row": False}
FP8_PAD_M = 0         # pad activation rows up to this many if small M fails (0: no padding needed)
INT4_OK = False
INT4_ORDER = "hi"     # which nibble of each byte holds the even K index (CUDA packing input)


def log(msg: str) -> None:
    print(f"[{time.time() - T0:7.1f}s] {msg}", flush=True)


def nvsmi() -> str:
    if not CUDA:
        return "cpu"
    outs = []
    for q in ("clocks.sm,clocks.mem", "clocks.max.sm,power.draw,temperature.gpu,memory.used"):
        try:
            r = subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv"],
                               capture_output=True, text=True, timeout=15)
            outs.append((r.stdout + r.stderr).strip())
        except Exception as e:  # noqa: BLE001
            outs.append(f"nvidia-smi failed: {e!r}")
    return "\n".join(outs)


OOM_ERR = getattr(torch, "OutOfMemoryError", RuntimeError)


def is_oom(e: BaseException) -> bool:
    return isinstance(e, OOM_ERR) or "out of memory" in str(e).lower()


def err_rec(e: BaseException) -> dict:
    return dict(result="oom" if is_oom(e) else "error", error=repr(e)[:600])


def sync() -> None:
    if CUDA:
        torch.cuda.synchronize()


def cleanup() -> None:
    gc.collect()
    if CUDA:
        torch.cuda.synchronize()
        torch.cuda.empty_cache()


def mem_gb() -> float:
    return torch.cuda.memory_allocated() / 1e9 if CUDA else 0.0


def rel(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.double(), b.double()
    return float((a - b).norm() / b.norm())


def elapsed(fn, reps: int) -> float:
    """Seconds per call of fn over reps calls (device events on CUDA)."""
    if CUDA:
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        for _ in range(reps):
            fn()
        b.record()
        b.synchronize()
        return a.elapsed_time(b) / 1e3 / reps
    t = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t) / reps


# ----------------------------------------------------------------------------------------- formats
def quant_fp8(w: torch.Tensor, per_row: bool):
    """w [N, K] bf16 -> (fp8 [N, K], float32 scale: 0-dim, or [1, N] for per-row)."""
    wf = w.float()
    if per_row:
        amax = wf.abs().amax(dim=1, keepdim=True).clamp(min=1e-12)      # [N, 1]
        s = amax / F8_MAX
        q = (wf / s).to(F8)
        return q, s.t().contiguous()                                     # [1, N]
    amax = wf.abs().amax().clamp(min=1e-12)
    s = amax / F8_MAX
    return (wf / s).to(F8), s.reshape(())


def quant_int4(w: torch.Tensor):
    """w [N, K] -> (q int32 [N, K] in 0..15, scale_zero bf16 [K/G, N, 2]); w ~ (q - 8) * scale + zero."""
    N, K = w.shape
    wg = w.float().view(N, K // GROUP, GROUP)
    mn, mx = wg.amin(-1, keepdim=True), wg.amax(-1, keepdim=True)
    scale = ((mx - mn) / 15).clamp(min=1e-6)
    q = ((wg - mn) / scale).round().clamp(0, 15).to(torch.int32).view(N, K)
    zero = mn + 8 * scale
    sz = torch.stack([scale.squeeze(-1), zero.squeeze(-1)], dim=-1)     # [N, K/G, 2]
    return q, sz.transpose(0, 1).contiguous().to(DT)                    # [K/G, N, 2]


def dequant_int4(q: torch.Tensor, sz: torch.Tensor) -> torch.Tensor:
    N, K = q.shape
    s = sz[..., 0].t().float().repeat_interleave(GROUP, dim=1)          # [N, K]
    z = sz[..., 1].t().float().repeat_interleave(GROUP, dim=1)
    return (q.float() - 8) * s + z


def pack_int4(q: torch.Tensor, order: str | None = None) -> torch.Tensor:
    if not CUDA:
        return torch._convert_weight_to_int4pack_for_cpu(q.contiguous(), INNER_K_TILES)
    order = order or INT4_ORDER
    even, odd = q[:, ::2], q[:, 1::2]
    u8 = ((even << 4) | odd) if order == "hi" else ((odd << 4) | even)
    return torch._convert_weight_to_int4pack(u8.to(torch.uint8).contiguous(), INNER_K_TILES)


def int4_mm(x2: torch.Tensor, packed: torch.Tensor, sz: torch.Tensor) -> torch.Tensor:
    if CUDA:
        return torch._weight_int4pack_mm(x2, packed, GROUP, sz)
    return torch._weight_int4pack_mm_for_cpu(x2, packed, GROUP, sz)


def act_fp8(x2: torch.Tensor, mode: str):
    """Activation quantisation of x2 [M, K] bf16 -> (fp8 [M, K], float32 scale)."""
    if mode == "static":
        return x2.to(F8), None                                           # scale 1.0 (a constant)
    if mode == "tensor":
        amax = torch.linalg.vector_norm(x2, ord=float("inf"), dtype=torch.float32)
        s = amax.clamp(min=1e-12) / F8_MAX                                   # 0-dim
        return (x2 / s).to(F8), s
    amax = torch.linalg.vector_norm(x2, ord=float("inf"), dim=-1, keepdim=True, dtype=torch.float32)
    s = amax.clamp(min=1e-12) / F8_MAX                                   # [M, 1]
    return (x2 / s).to(F8), s


class Lin:
    """One linear layer y = x W^T, W [N, K], stored in format `fmt`."""

    def __init__(self, fmt: str, w: torch.Tensor):
        self.fmt, (self.N, self.K) = fmt, w.shape
        self.tensors: dict[str, torch.Tensor] = {}
        if fmt == "bf16":
            self.tensors["w"] = w
        elif fmt in ("fp8_static", "fp8_dyn_tensor"):
            q, s = quant_fp8(w, per_row=False)
            self.tensors.update(w=q, sw=s)
            self.one = torch.ones((), device=w.device, dtype=torch.float32)
        elif fmt == "fp8_dyn_row":
            q, s = quant_fp8(w, per_row=True)
            self.tensors.update(w=q, sw=s)
        elif fmt == "int4_g128":
            q, sz = quant_int4(w)
            self.tensors.update(w=pack_int4(q), sz=sz)
        else:
            raise ValueError(f"unknown format {fmt}")

    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in self.tensors.values())

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        t = self.tensors
        if self.fmt == "bf16":
            return F.linear(x, t["w"])
        lead = x.shape[:-1]
        x2 = x.reshape(-1, self.K)
        if self.fmt == "int4_g128":
            y = int4_mm(x2.contiguous(), t["w"], t["sz"])
            return y.view(*lead, self.N)
        M = x2.shape[0]
        if FP8_PAD_M and M < FP8_PAD_M:
            x2 = F.pad(x2, (0, 0, 0, FP8_PAD_M - M))
        if self.fmt == "fp8_static":
            xq, _ = act_fp8(x2, "static")
            y = torch._scaled_mm(xq, t["w"].t(), scale_a=self.one, scale_b=t["sw"], out_dtype=DT)
        elif self.fmt == "fp8_dyn_tensor":
            xq, sa = act_fp8(x2, "tensor")
            y = torch._scaled_mm(xq, t["w"].t(), scale_a=sa, scale_b=t["sw"], out_dtype=DT)
        else:
            xq, sa = act_fp8(x2, "row")
            y = torch._scaled_mm(xq, t["w"].t(), scale_a=sa, scale_b=t["sw"], out_dtype=DT)
        if y.shape[0] != M:
            y = y[:M]
        return y.view(*lead, self.N)


# ----------------------------------------------------------------------------------------- probes
def probe_fp8() -> dict:
    """_scaled_mm per-tensor and row-wise on small shapes, several M; against fp64 of the fp8 operands."""
    global FP8_PAD_M
    out: dict = {"has_scaled_mm": hasattr(torch, "_scaled_mm"), "has_float8_e4m3fn": F8 is not None}
    try:
        out["schema"] = str(torch.ops.aten._scaled_mm.default._schema)
    except Exception as e:  # noqa: BLE001
        out["schema"] = f"n/a: {e!r}"[:200]
    if not (out["has_scaled_mm"] and out["has_float8_e4m3fn"]):
        return out
    K, N = 512, 768
    w = torch.randn(N, K, device=DEV, dtype=DT) / math.sqrt(K)
    calls = {}
    for kind in ("tensor", "row"):
        wq, sw = quant_fp8(w, per_row=kind == "row")
        wdq = wq.double() * (sw.double().t() if kind == "row" else sw.double())
        ok_m = []
        for M in (1, 8, 16, 17, 128):
            x = torch.randn(M, K, device=DEV, dtype=DT)
            key = f"{kind}:M{M}"
            try:
                xq, sa = act_fp8(x, kind)
                got = torch._scaled_mm(xq, wq.t(), scale_a=sa, scale_b=sw, out_dtype=DT)
                sync()
                ref_q = (xq.double() * sa.double()) @ wdq.t()          # same quantised operands
                ref = x.double() @ w.double().t()                      # unquantised
                calls[key] = dict(ok=True, rel_err_vs_quantised_operands=rel(got, ref_q),
                                  rel_err_vs_bf16=rel(got, ref))
                if calls[key]["rel_err_vs_quantised_operands"] < 2e-2:
                    ok_m.append(M)
            except Exception as e:  # noqa: BLE001
                calls[key] = dict(ok=False, error=repr(e)[:300])
        FP8_OK[kind] = 128 in ok_m and (1 in ok_m or 16 in ok_m)
        if FP8_OK[kind] and 1 not in ok_m:
            FP8_PAD_M = 16
    # static mode: unit activation scale
    try:
        wq, sw = quant_fp8(w, per_row=False)
        x = torch.randn(8, K, device=DEV, dtype=DT)
        got = torch._scaled_mm(x.to(F8), wq.t(), scale_a=torch.ones((), device=DEV), scale_b=sw,
                               out_dtype=DT)
        calls["static:M8"] = dict(ok=True, rel_err_vs_bf16=rel(got, x.double() @ w.double().t()))
    except Exception as e:  # noqa: BLE001
        calls["static:M8"] = dict(ok=False, error=repr(e)[:300])
    out["calls"] = calls
    out["per_tensor_ok"], out["row_wise_ok"], out["pad_m_to"] = FP8_OK["tensor"], FP8_OK["row"], FP8_PAD_M
    return out


def probe_int4() -> dict:
    """_weight_int4pack_mm: which nibble order the packing wants, and the error against the dequantised ref."""
    global INT4_OK, INT4_ORDER
    out: dict = {}
    for n in ("_weight_int4pack_mm", "_convert_weight_to_int4pack"):
        try:
            out[n] = str(getattr(torch.ops.aten, n).default._schema)
        except Exception as e:  # noqa: BLE001
            out[n] = f"missing: {e!r}"[:200]
    K, N = 1024, 768
    w = torch.randn(N, K, device=DEV, dtype=DT) / math.sqrt(K)
    try:
        q, sz = quant_int4(w)
        wdq = dequant_int4(q, sz).double()
        out["quantisation_rel_err"] = rel(wdq, w)
    except Exception as e:  # noqa: BLE001
        out["error"] = repr(e)[:300]
        return out
    orders = ("hi", "lo") if CUDA else ("cpu",)
    calls = {}
    for order in orders:
        for M in (1, 8, 32, 128):
            key = f"{order}:M{M}"
            try:
                packed = pack_int4(q, order if CUDA else None)
                x = torch.randn(M, K, device=DEV, dtype=DT)
                got = int4_mm(x, packed, sz)
                sync()
                calls[key] = dict(ok=True, rel_err_vs_dequantised=rel(got, x.double() @ wdq.t()),
                                  rel_err_vs_bf16=rel(got, x.double() @ w.double().t()),
                                  packed_shape=list(packed.shape), packed_dtype=str(packed.dtype))
            except Exception as e:  # noqa: BLE001
                calls[key] = dict(ok=False, error=repr(e)[:300])
    out["calls"] = calls
    for order in orders:
        if all(calls.get(f"{order}:M{M}", {}).get("rel_err_vs_dequantised", 1.0) < 2e-2 for M in (1, 8, 32, 128)):
            INT4_OK, INT4_ORDER = True, order
            break
    out["ok"], out["nibble_order"] = INT4_OK, INT4_ORDER if INT4_OK else None
    if not INT4_OK:
        out["why_skipped"] = "no packing order gave rel err < 2e-2 against the dequantised weights (see calls)"
    return out


def format_available(fmt: str) -> tuple[bool, str]:
    if fmt == "bf16":
        return True, ""
    if fmt in ("fp8_static", "fp8_dyn_tensor"):
        return FP8_OK["tensor"], "torch._scaled_mm per-tensor failed its probe"
    if fmt == "fp8_dyn_row":
        return FP8_OK["row"], "torch._scaled_mm row-wise failed its probe"
    if fmt == "int4_g128":
        return INT4_OK, "torch._weight_int4pack_mm failed its probe"
    return False, "unknown format"


def check_attention() -> dict:
    B, nh, nkv, hd, L = 2, 8, 2, 64, 77
    g = nh // nkv
    q = torch.randn(B, nh, hd, device=DEV, dtype=DT)
    k = torch.randn(B, nkv, L, hd, device=DEV, dtype=DT)
    v = torch.randn(B, nkv, L, hd, device=DEV, dtype=DT)
    got = F.scaled_dot_product_attention(q.view(B, nkv, g, hd), k, v).reshape(B, nh, hd)
    kr, vr = k.double().repeat_interleave(g, 1), v.double().repeat_interleave(g, 1)
    s = torch.einsum("bhd,bhld->bhl", q.double(), kr) / math.sqrt(hd)
    ref = torch.einsum("bhl,bhld->bhd", s.softmax(-1), vr)
    return {"decode_gqa_rel_err": rel(got, ref)}


# ----------------------------------------------------------------------------------------- ceilings
def measure_ceilings(smoke: bool) -> dict:
    res: dict = {}
    n = (512 if CUDA else 4) * 1024 * 1024
    src = torch.empty(n, dtype=torch.float32, device=DEV).normal_()
    dst = torch.empty_like(src)
    for _ in range(3):
        dst.copy_(src)
    times = [elapsed(lambda: dst.copy_(src), 1) for _ in range(10)]
    byts = 2 * n * 4
    res["hbm_copy"] = dict(bytes_read_plus_written=byts, GBps_mean=byts / (sum(times) / len(times)) / 1e9,
                           GBps_best=byts / min(times) / 1e9)
    del src, dst
    cleanup()
    m = 8192 if CUDA else 256
    A = torch.randn(m, m, device=DEV, dtype=DT)
    B = torch.randn(m, m, device=DEV, dtype=DT)
    fl = 2 * m ** 3

    def rate(fn):
        for _ in range(3):
            fn()
        ts = [elapsed(fn, 1) for _ in range(10)]
        return dict(TFLOPs_mean=fl / (sum(ts) / len(ts)) / 1e12, TFLOPs_best=fl / min(ts) / 1e12)

    res["bf16_matmul_8192"] = rate(lambda: A @ B)
    if FP8_OK["tensor"] or FP8_OK["row"]:
        try:
            Aq, sa = quant_fp8(A, per_row=False)
            Bq, sb = quant_fp8(B, per_row=False)      # B stored [N, K]: passed transposed (column-major)
            if FP8_OK["tensor"]:
                res["fp8_matmul_8192_per_tensor"] = rate(
                    lambda: torch._scaled_mm(Aq, Bq.t(), scale_a=sa, scale_b=sb, out_dtype=DT))
                res["fp8_matmul_8192_per_tensor_fast_accum"] = rate(
                    lambda: torch._scaled_mm(Aq, Bq.t(), scale_a=sa, scale_b=sb, out_dtype=DT,
                                             use_fast_accum=True))
            if FP8_OK["row"]:
                sar = torch.ones(m, 1, device=DEV, dtype=torch.float32)
                sbr = torch.ones(1, m, device=DEV, dtype=torch.float32)
                res["fp8_matmul_8192_row_wise"] = rate(
                    lambda: torch._scaled_mm(Aq, Bq.t(), scale_a=sar, scale_b=sbr, out_dtype=DT))
            del Aq, Bq
        except Exception as e:  # noqa: BLE001
            res["fp8_matmul_error"] = repr(e)[:300]
    del A, B
    cleanup()
    return res


# ----------------------------------------------------------------------------------------- model
def rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1)


def gen(seed: int) -> torch.Generator:
    g = torch.Generator(device=DEV)
    g.manual_seed(seed)
    return g


class KV:
    """One flat K and V buffer per executed layer; views [B, nkv, L, hd] of any B * L <= tokens."""

    def __init__(self, cfg: dict, n_layers: int, tokens: int, seed: int):
        self.nkv, self.hd, self.tokens = cfg["kv_heads"], cfg["head_dim"], tokens
        n = tokens * self.nkv * self.hd
        g = gen(seed)
        self.k = [torch.empty(n, device=DEV, dtype=DT).normal_(generator=g) for _ in range(n_layers)]
        self.v = [torch.empty(n, device=DEV, dtype=DT).normal_(generator=g) for _ in range(n_layers)]

    def nbytes(self) -> int:
        return 2 * len(self.k) * self.k[0].numel() * 2

    def views(self, B: int, L: int):
        n = B * self.nkv * L * self.hd
        if n > self.k[0].numel():
            raise ValueError(f"cache view {B}x{L} exceeds the buffer of {self.tokens} tokens")
        return [(k[:n].view(B, self.nkv, L, self.hd), v[:n].view(B, self.nkv, L, self.hd))
                for k, v in zip(self.k, self.v)]


class Model:
    def __init__(self, cfg: dict, fmt: str, n_layers: int, n_distinct: int, maxpos: int, seed: int = 1234):
        self.cfg, self.fmt = cfg, fmt
        H, nh, nkv, hd, I, V = (cfg["hidden"], cfg["heads"], cfg["kv_heads"], cfg["head_dim"],
                                cfg["intermediate"], cfg["vocab"])
        self.H, self.nh, self.nkv, self.hd, self.I, self.V = H, nh, nkv, hd, I, V
        self.g = nh // nkv
        self.n_layers, self.n_distinct = n_layers, n_distinct

        def w(out_f, in_f, g):
            return torch.empty(out_f, in_f, device=DEV, dtype=DT).normal_(0.0, 1.0 / math.sqrt(in_f),
                                                                           generator=g)

        self.layers = []
        for j in range(n_distinct):
            g = gen(seed * 1000 + j)          # same bf16 weights for every format
            L = dict(ln1=torch.ones(H, device=DEV, dtype=DT), ln2=torch.ones(H, device=DEV, dtype=DT))
            for name, (o, i) in (("wqkv", ((nh + 2 * nkv) * hd, H)), ("wo", (H, nh * hd)),
                                 ("wgu", (2 * I, H)), ("wd", (H, I))):
                L[name] = Lin(fmt, w(o, i, g))
            self.layers.append(L)
            if CUDA and fmt != "bf16":
                torch.cuda.empty_cache()      # drop the bf16 temporaries of the quantisation
        g = gen(seed * 1000 + 999)
        self.embed = torch.empty(V, H, device=DEV, dtype=DT).normal_(0.0, 0.02, generator=g)
        self.norm = torch.ones(H, device=DEV, dtype=DT)
        self.head = w(V, H, g)                # LM head stays bf16 in every format
        inv = 1.0 / (ROPE_THETA ** (torch.arange(0, hd, 2, device=DEV, dtype=torch.float32) / hd))
        ang = torch.outer(torch.arange(maxpos, device=DEV, dtype=torch.float32), inv)
        self.cos, self.sin = ang.cos().to(DT), ang.sin().to(DT)

    LIN = ("wqkv", "wo", "wgu", "wd")

    def linear_bytes_per_layer(self) -> int:
        return sum(self.layers[0][n].nbytes() for n in self.LIN)

    def linear_params_per_layer(self) -> int:
        return sum(self.layers[0][n].N * self.layers[0][n].K for n in self.LIN)

    def step_weight_bytes(self) -> int:
        norms = 2 * self.H * 2
        return self.n_layers * (self.linear_bytes_per_layer() + norms) + self.head.numel() * 2 + self.H * 2

    def sizes(self) -> dict:
        lb, lp = self.linear_bytes_per_layer(), self.linear_params_per_layer()
        return dict(linear_params_per_layer=lp, linear_bytes_per_layer=lb,
                    linear_bits_per_weight=8 * lb / lp,
                    head_bytes=self.head.numel() * 2,
                    weight_bytes_per_decode_step=self.step_weight_bytes(),
                    params_executed=self.n_layers * (lp + 2 * self.H) + self.head.numel()
                    + self.embed.numel() + self.H)

    def decode(self, tokens: torch.Tensor, caches, pos: int) -> torch.Tensor:
        B = tokens.shape[0]
        H, nh, nkv, hd, g = self.H, self.nh, self.nkv, self.hd, self.g
        cos, sin = self.cos[pos], self.sin[pos]
        x = F.embedding(tokens, self.embed)
        for i in range(self.n_layers):
            Wt = self.layers[i % self.n_distinct]
            kc, vc = caches[i]
            h = F.rms_norm(x, (H,), Wt["ln1"], EPS)
            qkv = Wt["wqkv"](h)
            q, k, v = qkv.split([nh * hd, nkv * hd, nkv * hd], dim=-1)
            q = rope(q.reshape(B, nh, hd), cos, sin)
            k = rope(k.reshape(B, nkv, hd), cos, sin)
            kc[:, :, pos] = k
            vc[:, :, pos] = v.reshape(B, nkv, hd)
            o = F.scaled_dot_product_attention(q.view(B, nkv, g, hd), kc[:, :, :pos + 1], vc[:, :, :pos + 1])
            x = x + Wt["wo"](o.reshape(B, nh * hd))
            h = F.rms_norm(x, (H,), Wt["ln2"], EPS)
            gate, up = Wt["wgu"](h).chunk(2, dim=-1)
            x = x + Wt["wd"](F.silu(gate) * up)
        x = F.rms_norm(x, (H,), self.norm, EPS)
        return F.linear(x, self.head)

    def prefill(self, tokens: torch.Tensor, caches) -> torch.Tensor:
        B, T = tokens.shape
        H, nh, nkv, hd, g = self.H, self.nh, self.nkv, self.hd, self.g
        cos, sin = self.cos[:T].unsqueeze(1), self.sin[:T].unsqueeze(1)
        x = F.embedding(tokens, self.embed)
        for i in range(self.n_layers):
            Wt = self.layers[i % self.n_distinct]
            kc, vc = caches[i]
            h = F.rms_norm(x, (H,), Wt["ln1"], EPS)
            qkv = Wt["wqkv"](h)
            q, k, v = qkv.split([nh * hd, nkv * hd, nkv * hd], dim=-1)
            q = rope(q.reshape(B, T, nh, hd), cos, sin).transpose(1, 2)
            k = rope(k.reshape(B, T, nkv, hd), cos, sin).transpose(1, 2)
            v = v.reshape(B, T, nkv, hd).transpose(1, 2)
            kc[:, :, :T] = k
            vc[:, :, :T] = v
            kk = k[:, :, None].expand(B, nkv, g, T, hd).reshape(B, nh, T, hd)
            vv = v[:, :, None].expand(B, nkv, g, T, hd).reshape(B, nh, T, hd)
            o = F.scaled_dot_product_attention(q, kk, vv, is_causal=True)
            x = x + Wt["wo"](o.transpose(1, 2).reshape(B, T, nh * hd))
            h = F.rms_norm(x, (H,), Wt["ln2"], EPS)
            gate, up = Wt["wgu"](h).chunk(2, dim=-1)
            x = x + Wt["wd"](F.silu(gate) * up)
        x = F.rms_norm(x[:, -1], (H,), self.norm, EPS)
        return F.linear(x, self.head)


# ----------------------------------------------------------------------------------------- checks
def check_model(model: Model, n_layers: int, ref_logits: dict) -> dict:
    """decode after prefill matches a longer prefill; logits against the bf16 model's on the same input."""
    out: dict = {}
    cfg = model.cfg
    kv = KV(cfg, n_layers, 2 * (CTX + DEC_PAD), seed=77)
    caches = kv.views(2, CTX + DEC_PAD)
    toks = torch.randint(0, model.V, (2, CTX + 1), device=DEV, generator=gen(5))
    # same-input logits, position CTX over the seeded random cache
    dec = model.decode(toks[:, CTX], caches, CTX).float()
    out["finite"] = bool(torch.isfinite(dec).all())
    if model.fmt == "bf16":
        ref_logits["bf16"] = dec
    elif "bf16" in ref_logits:
        out["logits_vs_bf16_rel_err"] = rel(dec, ref_logits["bf16"])
        out["top1_agree_with_bf16"] = float((dec.argmax(-1) == ref_logits["bf16"].argmax(-1)).float().mean())
    T = 16
    model.prefill(toks[:, :T], caches)
    d = model.decode(toks[:, T], caches, T)
    full = model.prefill(toks[:, :T + 1], caches)
    out["decode_vs_prefill_logits_rel_err"] = rel(d, full)
    del kv, caches
    return out


# ----------------------------------------------------------------------------------------- timing
def time_decode(model: Model, kv: KV, B: int, ctx: int, trials: int, target_s: float) -> dict:
    caches = kv.views(B, ctx + DEC_PAD)
    tokens = torch.randint(0, model.V, (B,), device=DEV)
    if CUDA:
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for _ in range(2):
                eager = model.decode(tokens, caches, ctx)
        torch.cuda.current_stream().wait_stream(s)
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            out = model.decode(tokens, caches, ctx)
        replay = graph.replay
    else:
        eager = model.decode(tokens, caches, ctx)
        box = {}

        def replay():
            box["o"] = model.decode(tokens, caches, ctx)
        replay()
        out, graph = box["o"], None
    replay()
    sync()
    graph_vs_eager = rel(out if CUDA else box["o"], eager)
    finite = bool(torch.isfinite(out).all())
    for _ in range(2):
        replay()
    t1 = elapsed(replay, 1)
    reps = max(3, min(60, int(target_s / max(t1, 1e-6))))
    per_trial = sorted(elapsed(replay, reps) for _ in range(trials))
    del graph, out, eager
    med = per_trial[len(per_trial) // 2]
    attended = ctx + 1
    kv_bytes = model.n_layers * B * attended * 2 * model.nkv * model.hd * 2
    wbytes = model.step_weight_bytes()
    sz = model.sizes()
    flops = 2 * B * (sz["params_executed"] - model.embed.numel()) \
        + 4 * model.n_layers * B * attended * model.nh * model.hd
    return dict(batch=B, context=ctx, attended=attended, ms_per_step=med * 1e3,
                ms_per_step_min=per_trial[0] * 1e3, ms_per_step_max=per_trial[-1] * 1e3,
                tokens_per_s=B / med, trials=trials, replays_per_trial=reps,
                weight_bytes=wbytes, kv_bytes=kv_bytes,
                achieved_GBps=(wbytes + kv_bytes) / med / 1e9,
                achieved_TFLOPs=flops / med / 1e12,
                graph_vs_eager_rel_err=graph_vs_eager, finite=finite)


def time_prefill(model: Model, kv: KV, B: int, T: int, warm: int, reps: int) -> dict:
    caches = kv.views(B, T)
    tokens = torch.randint(0, model.V, (B, T), device=DEV)
    for _ in range(warm):
        out = model.prefill(tokens, caches)
    sync()
    box = {}

    def run():
        box["o"] = model.prefill(tokens, caches)
    times = sorted(elapsed(run, 1) for _ in range(reps))
    finite = bool(torch.isfinite(box["o"]).all())
    del out, box
    med = times[len(times) // 2]
    sz = model.sizes()
    linear_flops = 2 * B * T * model.n_layers * sz["linear_params_per_layer"] + 2 * B * model.head.numel()
    attn_flops = 2 * model.n_layers * B * T * T * model.nh * model.hd
    return dict(batch=B, prompt=T, ms_median=med * 1e3, ms_min=times[0] * 1e3, ms_max=times[-1] * 1e3,
                tokens_per_s=B * T / med, reps=reps,
                achieved_TFLOPs=(linear_flops + attn_flops) / med / 1e12,
                linear_flops=linear_flops, attn_flops=attn_flops, finite=finite)


# ----------------------------------------------------------------------------------------- runner
class Run:
    def __init__(self, args):
        self.args = args
        self.smoke = args.smoke
        self.shapes = TINY if args.tiny else SHAPES
        self.trials = 3 if self.smoke else 5
        self.target_s = 0.04 if self.smoke else 0.12
        self.budget_s = args.budget_s
        out_dir = os.environ.get("OUT") or "."
        os.makedirs(out_dir, exist_ok=True)
        self.path = os.path.join(out_dir, "formats_smoke.json" if self.smoke else "formats_results.json")
        self.res: dict = {}

    def dump(self) -> None:
        self.res.setdefault("meta", {})["wall_s"] = time.time() - T0
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.res, f, indent=1)
        os.replace(tmp, self.path)

    def over_budget(self) -> bool:
        return time.time() - T0 > self.budget_s

    def depth(self, cfg: dict) -> tuple[int, int]:
        n = 2 if self.smoke else cfg["layers"]
        return n, min(n, cfg["distinct_layers"])

    def note(self, cfg: dict) -> str:
        n, d = self.depth(cfg)
        if self.smoke:
            return f"SMOKE: only {n} layers executed; numbers are not full-model numbers"
        if d < n:
            return (f"all {n} layers executed; layer i uses weight set i % {d} (each set >> 60 MB L2); "
                    f"every layer has its own KV cache; times are unscaled")
        return f"all {n} layers distinct; times are unscaled"

    def build(self, name: str, fmt: str, maxpos: int):
        cfg = self.shapes[name]
        n, d = self.depth(cfg)
        t = time.time()
        m = Model(cfg, fmt, n, d, maxpos)
        sync()
        log(f"{name} {fmt}: built in {time.time() - t:.1f}s; {mem_gb():.1f} GB allocated; "
            f"linear {8 * m.linear_bytes_per_layer() / m.linear_params_per_layer():.3f} bits/weight; "
            f"{m.step_weight_bytes() / 1e9:.2f} GB weights/step")
        return m

    def decode_point(self, tag: str, model: Model, kv: KV, B: int, ctx: int) -> dict:
        if self.over_budget():
            return dict(batch=B, context=ctx, result="skipped", error="time budget of the run spent")
        try:
            r = time_decode(model, kv, B, ctx, self.trials, self.target_s)
            log(f"{tag}: decode B={B} ctx={ctx}: {r['ms_per_step']:.3f} ms/step, {r['tokens_per_s']:.1f} tok/s, "
                f"{r['achieved_GBps']:.0f} GB/s (w {r['weight_bytes'] / 1e9:.2f} + kv {r['kv_bytes'] / 1e9:.2f} GB), "
                f"graph/eager {r['graph_vs_eager_rel_err']:.1e}")
        except Exception as e:  # noqa: BLE001
            r = dict(batch=B, context=ctx, **err_rec(e))
            log(f"{tag}: decode B={B} ctx={ctx}: {r['result']} {r['error'][:300]}")
            if not is_oom(e):
                traceback.print_exc()
        cleanup()
        return r

    def prefill_point(self, tag: str, model: Model, kv: KV, B: int, T: int) -> dict:
        if self.over_budget():
            return dict(batch=B, prompt=T, result="skipped", error="time budget of the run spent")
        try:
            r = time_prefill(model, kv, B, T, warm=1 if self.smoke else 2, reps=3 if self.smoke else 5)
            log(f"{tag}: prefill {B}x{T}: {r['ms_median']:.1f} ms, {r['tokens_per_s']:.0f} tok/s, "
                f"{r['achieved_TFLOPs']:.0f} TFLOP/s")
        except Exception as e:  # noqa: BLE001
            r = dict(batch=B, prompt=T, **err_rec(e))
            log(f"{tag}: prefill {B}x{T}: {r['result']} {r['error'][:300]}")
            if not is_oom(e):
                traceback.print_exc()
        cleanup()
        return r

    # ---- part A: formats at context 1024
    def part_a(self, name: str) -> dict:
        cfg = self.shapes[name]
        n, d = self.depth(cfg)
        batches = [1, 8] if self.smoke else [1, 8, 32, 64, 128]
        rec = dict(shape=cfg, layers_executed=n, distinct_layer_weight_sets=d, full_depth=cfg["layers"],
                   context=CTX, note=self.note(cfg), formats={})
        self.res["part_a"][name] = rec
        kv = None
        ref_logits: dict = {}
        try:
            kv = KV(cfg, n, max(batches) * (CTX + DEC_PAD), seed=11)
            rec["kv_buffer_bytes"] = kv.nbytes()
            log(f"{name}: KV buffer {kv.nbytes() / 1e9:.1f} GB")
            for fmt in self.args.formats.split(","):
                frec: dict = dict(decode=[])
                rec["formats"][fmt] = frec
                ok, why = format_available(fmt)
                if not ok:
                    frec.update(result="skipped", error=why)
                    log(f"{name} {fmt}: skipped: {why}")
                    continue
                if self.over_budget():
                    frec.update(result="skipped", error="time budget of the run spent")
                    continue
                model = None
                try:
                    model = self.build(name, fmt, CTX + DEC_PAD + 8)
                    frec.update(model.sizes())
                    with torch.inference_mode():
                        try:
                            frec["check"] = check_model(model, n, ref_logits)
                            log(f"{name} {fmt}: check {frec['check']}")
                        except Exception as e:  # noqa: BLE001
                            frec["check"] = err_rec(e)
                            log(f"{name} {fmt}: check failed {e!r}"[:300])
                            traceback.print_exc()
                        cleanup()
                        for B in batches:
                            frec["decode"].append(self.decode_point(f"{name} {fmt}", model, kv, B, CTX))
                except Exception as e:  # noqa: BLE001
                    frec.update(build=err_rec(e))
                    log(f"{name} {fmt}: build failed {e!r}"[:300])
                    traceback.print_exc()
                finally:
                    del model
                    cleanup()
                self.dump()
        except Exception as e:  # noqa: BLE001
            rec.update(err_rec(e))
            log(f"{name}: part A failed {e!r}"[:300])
            traceback.print_exc()
        finally:
            del kv
            cleanup()
        self.dump()
        return rec

    # ---- part B: long context, bf16
    def part_b(self, name: str) -> dict:
        cfg = self.shapes[name]
        n, d = self.depth(cfg)
        ctxs = [4096] if self.smoke else [4096, 16384, 32768]
        batches = [1, 8] if self.smoke else [1, 8, 32]
        per_tok = n * 2 * cfg["kv_heads"] * cfg["head_dim"] * 2
        pts, skipped = [], []
        for c in ctxs:
            for B in batches:
                kvb = B * (c + DEC_PAD) * per_tok
                (pts if kvb <= KV_LIMIT_BYTES else skipped).append((B, c))
        rec = dict(format="bf16", layers_executed=n, note=self.note(cfg), decode=[],
                   skipped_kv_over_80GB=[dict(batch=B, context=c) for B, c in skipped])
        self.res["part_b"][name] = rec
        if self.over_budget():
            rec.update(result="skipped", error="time budget of the run spent")
            return rec
        kv = model = None
        try:
            tokens = max(B * (c + DEC_PAD) for B, c in pts)
            kv = KV(cfg, n, tokens, seed=12)
            rec["kv_buffer_bytes"] = kv.nbytes()
            log(f"{name} long context: KV buffer {kv.nbytes() / 1e9:.1f} GB for {len(pts)} points; "
                f"skipped {skipped}")
            model = self.build(name, "bf16", max(ctxs) + DEC_PAD + 8)
            with torch.inference_mode():
                for B, c in sorted(pts, key=lambda p: (p[1], p[0])):
                    rec["decode"].append(self.decode_point(f"{name} bf16 long", model, kv, B, c))
                    self.dump()
        except Exception as e:  # noqa: BLE001
            rec.update(err_rec(e))
            log(f"{name}: part B failed {e!r}"[:300])
            traceback.print_exc()
        finally:
            del model, kv
            cleanup()
        self.dump()
        return rec

    # ---- part C: prefill
    def part_c(self, name: str) -> dict:
        cfg = self.shapes[name]
        n, d = self.depth(cfg)
        prompts = [512] if self.smoke else [512, 2048, 8192]
        rec = dict(layers_executed=n, note=self.note(cfg), formats={})
        self.res["part_c"][name] = rec
        if self.over_budget():
            rec.update(result="skipped", error="time budget of the run spent")
            return rec
        kv = None
        try:
            kv = KV(cfg, n, max(prompts), seed=13)
            for fmt in PREFILL_FORMATS:
                if fmt not in self.args.formats.split(","):
                    continue
                frec: dict = dict(prefill=[])
                rec["formats"][fmt] = frec
                ok, why = format_available(fmt)
                if not ok:
                    frec.update(result="skipped", error=why)
                    continue
                if self.over_budget():
                    frec.update(result="skipped", error="time budget of the run spent")
                    continue
                model = None
                try:
                    model = self.build(name, fmt, max(prompts) + 8)
                    with torch.inference_mode():
                        for T in prompts:
                            frec["prefill"].append(self.prefill_point(f"{name} {fmt}", model, kv, 1, T))
                except Exception as e:  # noqa: BLE001
                    frec.update(build=err_rec(e))
                    log(f"{name} {fmt}: prefill build failed {e!r}"[:300])
                    traceback.print_exc()
                finally:
                    del model
                    cleanup()
                self.dump()
        except Exception as e:  # noqa: BLE001
            rec.update(err_rec(e))
            traceback.print_exc()
        finally:
            del kv
            cleanup()
        self.dump()
        return rec

    def main(self) -> int:
        a = self.args
        if CUDA:
            torch.backends.cuda.matmul.allow_tf32 = False
            props = torch.cuda.get_device_properties(0)
            gpu, sms, mem = torch.cuda.get_device_name(0), props.multi_processor_count, props.total_memory / 1e9
        else:
            gpu, sms, mem = "cpu (logic test only)", 0, 0.0
        sdpa = {}
        for k in ("flash_sdp_enabled", "mem_efficient_sdp_enabled", "cudnn_sdp_enabled", "math_sdp_enabled"):
            fn = getattr(torch.backends.cuda, k, None)
            sdpa[k] = fn() if fn else None
        self.res = dict(meta=dict(
            date_utc=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            smoke=self.smoke, tiny=a.tiny, device=DEV, gpu=gpu, sms=sms, gpu_mem_GB=mem,
            torch=torch.__version__, cuda=torch.version.cuda, python=sys.version.split()[0],
            nvidia_smi_start=nvsmi(), budget_s=self.budget_s, sdpa_backends_enabled=sdpa,
            formats=a.formats, context=CTX, kv_dtype="bfloat16",
            weights="random normal, std 1/sqrt(fan_in), seeded per layer (same bf16 weights in every "
                    "format); KV cache random normal; embedding, norms and LM head bf16"))
        log(f"{gpu} torch {torch.__version__} cuda {torch.version.cuda}")
        log(self.res["meta"]["nvidia_smi_start"].replace("\n", " | "))
        for key, fn in (("attention_check", check_attention), ("fp8_probe", probe_fp8), ("int4_probe", probe_int4)):
            try:
                self.res[key] = fn()
            except Exception as e:  # noqa: BLE001
                self.res[key] = err_rec(e)
                traceback.print_exc()
            log(f"{key}: {json.dumps(self.res[key])[:1500]}")
            cleanup()
        try:
            self.res["ceilings"] = measure_ceilings(self.smoke)
            log(f"ceilings: {json.dumps(self.res['ceilings'])}")
        except Exception as e:  # noqa: BLE001
            self.res["ceilings"] = err_rec(e)
            traceback.print_exc()
        self.res["meta"]["nvidia_smi_after_ceilings"] = nvsmi()
        self.dump()
        parts = a.parts.upper()
        self.res["part_a"], self.res["part_b"], self.res["part_c"] = {}, {}, {}
        if "A" in parts:
            for name in a.shapes.split(","):
                self.part_a(name)
        first = a.shapes.split(",")[0]
        if "B" in parts:
            self.part_b(first)
        if "C" in parts:
            self.part_c(first)
        self.res["meta"]["nvidia_smi_end"] = nvsmi()
        self.dump()
        self.summary()
        return 0

    def summary(self) -> None:
        print("\n=== summary ===")
        hbm = self.res.get("ceilings", {}).get("hbm_copy", {}).get("GBps_mean")
        print(f"ceilings: {json.dumps(self.res.get('ceilings'))}")
        for name, rec in self.res["part_a"].items():
            print(f"A {name}: {rec.get('note', '')}")
            for fmt, f in rec.get("formats", {}).items():
                if "linear_bits_per_weight" not in f:
                    print(f"  {fmt:15s} {f.get('result', '')} {f.get('error', f.get('build', ''))}"[:200])
                    continue
                print(f"  {fmt:15s} {f['linear_bits_per_weight']:.3f} bits/w, {f['weight_bytes_per_decode_step'] / 1e9:.2f}"
                      f" GB/step, check {json.dumps(f.get('check', {}))[:160]}")
                for r in f["decode"]:
                    if "tokens_per_s" in r:
                        eff = f" eff {r['achieved_GBps'] / hbm:.2f}" if hbm else ""
                        print(f"    B={r['batch']:4d}: {r['ms_per_step']:8.3f} ms {r['tokens_per_s']:9.1f} tok/s "
                              f"{r['achieved_GBps']:6.0f} GB/s{eff}")
                    else:
                        print(f"    B={r['batch']:4d}: {r.get('result')} {r.get('error', '')[:120]}")
        for name, rec in self.res["part_b"].items():
            print(f"B {name} long context bf16; skipped {rec.get('skipped_kv_over_80GB')}")
            for r in rec.get("decode", []):
                if "tokens_per_s" in r:
                    print(f"    ctx={r['context']:6d} B={r['batch']:3d}: {r['ms_per_step']:8.3f} ms "
                          f"{r['tokens_per_s']:9.1f} tok/s {r['achieved_GBps']:6.0f} GB/s (kv {r['kv_bytes'] / 1e9:.1f} GB)")
                else:
                    print(f"    ctx={r['context']} B={r['batch']}: {r.get('result')} {r.get('error', '')[:120]}")
        for name, rec in self.res["part_c"].items():
            print(f"C {name} prefill batch 1")
            for fmt, f in rec.get("formats", {}).items():
                for r in f.get("prefill", []):
                    if "tokens_per_s" in r:
                        print(f"    {fmt:15s} T={r['prompt']:5d}: {r['ms_median']:8.1f} ms {r['tokens_per_s']:9.0f} tok/s "
                              f"{r['achieved_TFLOPs']:5.0f} TFLOP/s")
                    else:
                        print(f"    {fmt:15s} T={r['prompt']}: {r.get('result')} {r.get('error', '')[:120]}")
                if "prefill" not in f or not f["prefill"]:
                    print(f"    {fmt:15s} {f.get('result', '')} {f.get('error', f.get('build', ''))}"[:200])
        print(f"wrote {self.path}; wall {time.time() - T0:.1f}s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="2 layers, batch [1, 8], short contexts")
    ap.add_argument("--tiny", action="store_true", help="small dimensions (CPU logic test)")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--parts", default="ABC")
    ap.add_argument("--budget-s", type=float, default=1e9,
                    help="stop starting new points after this many seconds (results so far are kept)")
    return Run(ap.parse_args()).main()


if __name__ == "__main__":
    sys.exit(main())
