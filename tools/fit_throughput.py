"""Fit the serving stacks' efficiency factors to the measurements, and write data/serving_stacks.yaml.

    .venv/bin/python tools/fit_throughput.py           # fit, print the hit rates, rewrite serving_stacks.yaml
    .venv/bin/python tools/fit_throughput.py --check   # fit and compare with the file; exit 1 if they differ

Reproducible: no randomness, a fixed start and a fixed number of Nelder-Mead iterations, so the same
measurements give the same factors. Only rows marked ``split: fit`` in throughput_measurements.yaml enter
the fit; the held-out rows are scored after, as tests/engine/test_calibration.py does.

How: the ten fitted factors of atlas_mkdocs.engine.specs.ServingStack (bandwidth efficiency, per-layer overhead,
prompt and decode compute utilisation, activation passes, expert efficiency, per-MoE-layer overhead, link
efficiency, per-expert overhead, FP4 matmul share) are first fitted once for all
stacks together, minimising the squared log error of every fit row. Then each stack with rows of its own
is fitted again, its factors pulled towards the shared ones by a penalty (SHRINK per factor, in the
fitted log or logit space), so a factor its rows say nothing about (MoE factors for a stack with no MoE
row) stays at the shared value instead of wandering. SGLang has no rows: it takes vLLM's factors, as its file says.
Three figures are measured or documented, never fitted (MEASURED): FP8 matmuls' share of the datasheet's speed-up,
how many (sequence, KV head) pairs a stack's decode attention needs to read the cache at full speed, and whether
its memory share is of the whole memory or of what the weights leave free. Nelder-Mead runs twice (a restart from
where the first run stopped), and each row's engine inputs are built once.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atlas_mkdocs.data import export_json, load_data  # noqa: E402
from atlas_mkdocs.engine import calibration  # noqa: E402
from atlas_mkdocs.engine.catalogue import Catalogue  # noqa: E402
from atlas_mkdocs.engine.specs import ServingStack  # noqa: E402
from atlas_mkdocs.engine.throughput import estimate_throughput  # noqa: E402

DATA = ROOT / "data"
#: (factor, kind): shares are fitted as logits (kept in (0, 1)), overheads as log(1 + us). Bandwidth is kept
#: below 0.92 of the datasheet: our H200's own copy test reached 0.86-0.89 (h200_measured.yaml ceilings).
FACTORS = (("bandwidth_efficiency", "bandwidth"), ("layer_overhead_us", "us"), ("compute_utilisation", "share"),
           ("decode_compute_utilisation", "share"), ("activation_passes", "us"), ("expert_read_efficiency", "share"),
           ("moe_layer_overhead_us", "us"), ("link_efficiency", "share"), ("expert_overhead_us", "us"),
           ("fp4_matmul_share", "share"))
#: Penalty weight per factor pulling a stack's fit towards the shared one. The MoE factors are held close
#: (a stack's MoE rows are few, and all at one batch regime, so alone they cannot tell a fixed per-layer cost
#: from slow expert multiplies); the dense factors are free to follow each stack's rows.
SHRINK = {"bandwidth_efficiency": 0.002, "layer_overhead_us": 0.5, "compute_utilisation": 0.002,
          "decode_compute_utilisation": 0.002, "activation_passes": 0.002, "expert_read_efficiency": 0.05,
          "moe_layer_overhead_us": 0.05, "link_efficiency": 0.05, "expert_overhead_us": 0.05, "fp4_matmul_share": 0.05}
BANDWIDTH_CEILING = 0.92
ITERATIONS = 600
#: Where the shared fit starts: a plain roofline's textbook factors, no overheads.
START = {"bandwidth_efficiency": 0.7, "layer_overhead_us": 10.0, "compute_utilisation": 0.5,
         "decode_compute_utilisation": 0.5, "activation_passes": 10.0, "expert_read_efficiency": 0.8,
         "moe_layer_overhead_us": 10.0, "link_efficiency": 0.7, "expert_overhead_us": 1.0, "fp4_matmul_share": 0.9}
BORROWED = {"sglang": "vllm"}


def to_free(name: str, kind: str, value: float) -> float:
    if kind == "bandwidth":
        return to_free(name, "share", value / BANDWIDTH_CEILING)
    if kind == "share":
        value = min(max(value, 1e-4), 0.9999)
        return math.log(value / (1 - value))
    return math.log1p(max(value, 0.0))


def from_free(kind: str, x: float) -> float:
    if kind == "bandwidth":
        return BANDWIDTH_CEILING * from_free("share", x)
    if kind == "share":
        return 1 / (1 + math.exp(-x))
    return max(0.0, math.expm1(x))  # an overhead is never negative, wherever the simplex strays


def factors_of(x: list[float]) -> dict[str, float]:
    return {name: from_free(kind, value) for (name, kind), value in zip(FACTORS, x)}


def free_of(factors: dict[str, float]) -> list[float]:
    return [to_free(name, kind, factors[name]) for name, kind in FACTORS]


def loss(rows: list[dict], stacks: dict[str, ServingStack], factors: dict[str, float]) -> float:
    """Give back the squared log error of ``rows`` with ``factors`` in every stack (rows carry their inputs)."""
    trial = {key: replace(stack, **factors) for key, stack in stacks.items()}
    total = 0.0
    for row in rows:
        estimate = estimate_throughput(replace(row["_inputs"], stack=trial[row["stack"]]))
        total += math.log(getattr(estimate, row["metric"]) / row["value"]) ** 2
    return total


def nelder_mead(f, x0: list[float], step: float = 0.5, iterations: int = ITERATIONS) -> list[float]:
    """Give back the minimum found from ``x0``: plain Nelder-Mead, fixed iterations, no randomness."""
    n = len(x0)
    simplex = [list(x0)] + [[x0[j] + (step if j == i else 0.0) for j in range(n)] for i in range(n)]
    values = [f(point) for point in simplex]
    for _ in range(iterations):
        order = sorted(range(n + 1), key=lambda k: values[k])
        simplex, values = [simplex[k] for k in order], [values[k] for k in order]
        centre = [sum(point[j] for point in simplex[:-1]) / n for j in range(n)]
        worst = simplex[-1]
        reflected = [centre[j] + (centre[j] - worst[j]) for j in range(n)]
        fr = f(reflected)
        if fr < values[0]:
            expanded = [centre[j] + 2 * (centre[j] - worst[j]) for j in range(n)]
            fe = f(expanded)
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = [centre[j] + 0.5 * (worst[j] - centre[j]) for j in range(n)]
            fc = f(contracted)
            if fc < values[-1]:
                simplex[-1], values[-1] = contracted, fc
            else:
                best = simplex[0]
                simplex = [best] + [[best[j] + 0.5 * (point[j] - best[j]) for j in range(n)] for point in simplex[1:]]
                values = [values[0]] + [f(point) for point in simplex[1:]]
    return simplex[min(range(n + 1), key=lambda k: values[k])]


def fit() -> tuple[dict[str, dict[str, float]], dict[str, list[str]]]:
    """Give back the fitted factors of every stack and the fit rows each was fitted on."""
    data = load_data(DATA)
    catalogue = Catalogue.from_export(json.loads(export_json(data)))
    rows = [dict(row, _inputs=calibration.throughput_inputs(catalogue, row))
            for row in catalogue.rows("throughput_measurements") if row["split"] == "fit"]
    stacks = {key: replace(catalogue.serving_stack(key), **{name: STACK_DEFAULTS[key][name] for name in MEASURED})
              for key in catalogue.keys("serving_stacks")}
    shared_loss = lambda x: loss(rows, stacks, factors_of(x))  # noqa: E731
    shared_x = nelder_mead(shared_loss, nelder_mead(shared_loss, free_of(START)))  # a restart: a fresh simplex
    shared = factors_of(shared_x)
    fitted: dict[str, dict[str, float]] = {}
    fitted_on: dict[str, list[str]] = {}
    for key in stacks:
        own = [row for row in rows if row["stack"] == key]
        if not own:
            continue
        weights = [SHRINK[name] for name, _ in FACTORS]
        penalty = lambda x: sum(w * (a - b) ** 2 for w, a, b in zip(weights, x, shared_x))  # noqa: E731
        own_loss = lambda x: loss(own, stacks, factors_of(x)) + penalty(x)  # noqa: E731
        x = nelder_mead(own_loss, nelder_mead(own_loss, shared_x))
        fitted[key] = factors_of(x)
        fitted_on[key] = [row["id"] for row in own]
    for key, lender in BORROWED.items():
        fitted[key], fitted_on[key] = fitted[lender], fitted_on[lender]
    fitted["_shared"] = shared
    return fitted, fitted_on


def rounded(factors: dict[str, float]) -> dict[str, float]:
    """Give back the factors as written to data/: shares to 3 places, overheads to 0.1 us."""
    return {name: round(factors[name], 1 if kind == "us" else 3) for name, kind in FACTORS}


# ---- writing serving_stacks.yaml -------------------------------------------------------------------------

HEADER = """\
# Serving stacks: how much of a GPU's datasheet bandwidth and compute each reaches, and its per-step
# overheads. The ten efficiency factors are FITTED by tools/fit_throughput.py (do not edit them by hand: run
# it) on the rows of throughput_measurements.yaml listed under fitted_on, each row with its own source; the
# rows marked held-out there are not used. memory_utilisation, reserve_gb, max_batch and prefill_chunk_tokens
# are the stacks' documented defaults (sources below) or, where marked, our assumptions; fp8_matmul_share,
# attention_parallelism and memory_share_of are measured or documented (sources below), not fitted.
# Shared fit over all fit rows (where a stack's own rows say nothing, its factors stay near these):
#   {shared}
serving_stacks:
"""

#: FP8 multiplies' speed-up over BF16 as a share of the datasheet's 2x, on the hardware: our H200's 8192-cube
#: matmuls reached 1,360 TFLOPS in FP8 (torch._scaled_mm, cuBLASLt) and 751 in BF16 in the same run, 1.81x where
#: the datasheet's 1,979 and 989 say 2.00x (tools/measure/h200_formats_measured.yaml, ceilings). The same for every
#: stack: cuBLASLt and CUTLASS FP8 kernels are what vLLM, TensorRT-LLM and SGLang call.
FP8_MATMUL_SHARE = round((1360 / 751) / (1979 / 989), 3)
#: Decode attention that gives each (sequence, KV head) pair one block of threads and does not split the context
#: (PyTorch's scaled_dot_product_attention as our H200 runs called it) needs as many pairs as the GPU has SMs
#: (an H200 has 132) to keep every memory channel busy; the serving stacks' decode kernels split the context
#: (vLLM's paged attention v2 and FlashAttention's split-KV, TensorRT-LLM's multi-block XQA, llama.cpp's
#: FlashAttention kernels), so for them it is 0: full speed at any batch.
H200_SMS = 132
ATTENTION_SOURCE = {
    "split": "attention_parallelism 0: its decode attention splits the context (FlashDecoding)",
    "pytorch": "attention_parallelism 132: one block per (sequence, KV head), no context split; an H200 has 132 SMs "
               "(tools/measure/h200_formats_measured.yaml; NVIDIA Hopper architecture whitepaper)"}
#: The not-fitted figures that come from measurements or datasheets, the same for every stack but where noted.
MEASURED = ("fp8_matmul_share", "attention_parallelism", "memory_share_of")
FP8_SOURCE = ("fp8_matmul_share: our H200's FP8 matmuls ran 1.81x BF16's rate, not the datasheet's 2x "
              "(tools/measure/h200_formats_measured.yaml)")

#: The stacks' defaults that are not fitted, with their sources.
STACK_DEFAULTS = {
    "vllm": dict(name="vLLM", memory_utilisation=0.9, reserve_gb=1.5, max_batch=256, prefill_chunk_tokens=8192,
                 fp8_matmul_share=FP8_MATMUL_SHARE, attention_parallelism=0, memory_share_of="total",
                 as_of="2025-06", source=[
                     "vLLM engine arguments: --gpu-memory-utilization 0.9, --max-num-seqs 256, "
                     "--max-num-batched-tokens 8192 for the OpenAI-compatible server (docs.vllm.ai, engine args)",
                     "reserve_gb 1.5 per GPU: CUDA context, CUDA graphs and activation peak; our assumption "
                     "(vLLM profiles it at start-up)"]),
    "sglang": dict(name="SGLang", memory_utilisation=0.9, reserve_gb=1.5, max_batch=256, prefill_chunk_tokens=8192,
                   fp8_matmul_share=FP8_MATMUL_SHARE, attention_parallelism=0, memory_share_of="total",
                   as_of="2025-06", source=[
                       "No SGLang measurement was found: SGLang takes vLLM's fitted factors and memory defaults; "
                       "its own mem_fraction_static is set per GPU size (sglang server arguments)"]),
    "trt-llm": dict(name="TensorRT-LLM", memory_utilisation=0.9, memory_share_of="free", reserve_gb=1.5,
                    max_batch=2048,
                    prefill_chunk_tokens=8192, fp8_matmul_share=FP8_MATMUL_SHARE, attention_parallelism=0,
                    as_of="2025-08", source=[
                        "TensorRT-LLM perf overview: kv_cache_free_gpu_mem_fraction default 0.90; LLM API defaults "
                        "max_batch_size 2048, max_num_tokens 8192 (tensorrt_llm/llmapi/llm_args.py); the fraction is "
                        "of the memory free once the model is loaded (memory_share_of: free)",
                        "reserve_gb 1.5 per GPU: our assumption, as for vLLM"]),
    "llama.cpp": dict(name="llama.cpp", memory_utilisation=1.0, reserve_gb=0.5, max_batch=4,
                      prefill_chunk_tokens=512, fp8_matmul_share=FP8_MATMUL_SHARE, attention_parallelism=0,
                      memory_share_of="total", as_of="2025-09", source=[
                          "llama.cpp: --ubatch-size 512 (physical batch) and llama-server --parallel 4 slots by "
                          "default (tools/server/README.md); memory is not capped",
                          "reserve_gb 0.5 per GPU: CUDA context and compute buffer; our assumption"]),
    "pytorch": dict(name="PyTorch (our H200 runs)", memory_utilisation=1.0, reserve_gb=0.5,
                    max_batch=128, prefill_chunk_tokens=16384, fp8_matmul_share=FP8_MATMUL_SHARE,
                    attention_parallelism=H200_SMS, memory_share_of="total", as_of="2026-12-04", source=[
                        "../shared/reference/h200_measured.yaml and moe_measured.yaml: PyTorch 2.11, CUDA graphs "
                        "for decode, no serving stack; batches up to 128 and prompts of up to 8,192 tokens in one "
                        "pass were measured"]),
}
ORDER = ("vllm", "trt-llm", "sglang", "llama.cpp", "pytorch")


def render(fitted: dict[str, dict[str, float]], fitted_on: dict[str, list[str]]) -> str:
    shared = ", ".join(f"{k} {v:g}" for k, v in rounded(fitted["_shared"]).items())
    lines = [HEADER.format(shared=shared)]
    for key in ORDER:
        meta = STACK_DEFAULTS[key]
        lines.append(f"  - id: {key}\n    name: {meta['name']}\n")
        for name, value in rounded(fitted[key]).items():
            lines.append(f"    {name}: {value:g}\n")
        for name in ("memory_utilisation", "reserve_gb", "max_batch", "prefill_chunk_tokens", *MEASURED):
            value = meta[name]
            lines.append(f"    {name}: {value}\n" if isinstance(value, str) else f"    {name}: {value:g}\n")
        lines.append("    fitted_on:\n" + "".join(f"      - {row}\n" for row in fitted_on[key]))
        lines.append(f"    as_of: {meta['as_of']}\n    source:\n")
        attention = ATTENTION_SOURCE["pytorch" if meta["attention_parallelism"] else "split"]
        lines.extend(f'      - "{text}"\n' for text in (*meta["source"], FP8_SOURCE, attention))
        if key in BORROWED:
            lines.append(f'    note: "Fitted on {BORROWED[key]}\'s rows: no {meta["name"]} measurement was found."\n')
    return "".join(lines)


def report() -> None:
    data = load_data(DATA)
    catalogue = Catalogue.from_export(json.loads(export_json(data)))
    found = calibration.compare(catalogue, catalogue.rows("throughput_measurements"))
    for split in ("fit", "held-out"):
        hits, total = calibration.hit_rate(c for c in found if c.split == split)
        print(f"{split}: {hits}/{total} within 30% ({hits / total:.0%})")
    for item in found:
        if not item.hit:
            print(f"  miss: {item.id} ({item.split}): estimate {item.ratio:.2f}x the measurement")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fit, and exit 1 if serving_stacks.yaml differs")
    args = parser.parse_args(argv)
    fitted, fitted_on = fit()
    text = render(fitted, fitted_on)
    path = DATA / "serving_stacks.yaml"
    if args.check:
        same = path.read_text(encoding="utf-8") == text
        print("serving_stacks.yaml matches the fit" if same else "serving_stacks.yaml differs from the fit")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
