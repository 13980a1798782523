"""Parity: the engine gives the same answers in Pyodide (under Node) as in CPython."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.engine.examples import EXAMPLES
from tests.engine.parity_runner import run_cases

ROOT = Path(__file__).resolve().parents[2]
#: Mixture of experts, several GPUs both ways, a long context, the largest batch: every branch of the physics.
PHYSICS_CASES = [
    {"model": "mixtral-8x7b", "gpu": "h200-sxm", "gpus": 2, "quant": "fp8", "prompt_tokens": 1000,
     "output_tokens": 250, "batch": "max", "stack": "vllm"},
    {"model": "llama-3-70b", "gpu": "rtx-4090", "gpus": 3, "parallel": "pipeline", "quant": "q4_k_m",
     "stack": "llama.cpp", "prompt_tokens": 512, "output_tokens": 128},
    {"model": "llama-3.1-405b", "gpu": "h100-sxm", "gpus": 16, "quant": "fp8", "kv_quant": "fp8",
     "stack": "trt-llm", "prompt_tokens": 2048, "output_tokens": 512, "batch": 64},
    {"model": "gpt-oss-120b", "gpu": "b200", "quant": "mxfp4", "stack": "trt-llm", "prompt_tokens": 32768,
     "output_tokens": 1024, "batch": 8},
    {"model": "deepseek-v3", "gpu": "h200-sxm", "gpus": 8, "quant": "fp8", "prompt_tokens": 4096,
     "output_tokens": 256, "batch": 32},
]
PYODIDE = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"


def _cases() -> list[dict]:
    scenarios = yaml.safe_load((ROOT / "data" / "scenarios.yaml").read_text(encoding="utf-8"))["scenarios"]
    from atlas_mkdocs.data import export_json, load_data

    data = json.loads(export_json(load_data(ROOT / "data")))
    cases = [{"kind": "catalogue", "data": data}]
    cases += [{"kind": "model", "model": name, "inputs": inputs} for name, inputs in sorted(EXAMPLES.items())]
    cases += [{"kind": "scenario", "scenario": scenario} for scenario in scenarios]
    cases += [{"kind": "model", "model": "throughput", "inputs": inputs} for inputs in PHYSICS_CASES]
    cases += [  # issue 18's prices: cache writes, reasoning, a batch discount, staff; a batch with no price
        {"kind": "model", "model": "api", "inputs": {
            "input_per_million_usd": 3, "output_per_million_usd": 15, "input_tokens": 250_000, "output_tokens": 800,
            "reasoning_tokens": 3_000, "cached_input_tokens": 20_000, "cached_input_per_million_usd": 0.3,
            "cache_write_5m_tokens": 30_000, "cache_write_5m_per_million_usd": 3.75, "cache_write_1h_tokens": 5_000,
            "cache_write_1h_per_million_usd": 6, "long_context_above_tokens": 200_000,
            "long_context_input_per_million_usd": 6, "long_context_output_per_million_usd": 22.5,
            "long_context_cached_input_per_million_usd": 0.6, "long_context_cache_write_5m_per_million_usd": 7.5,
            "long_context_cache_write_1h_per_million_usd": 12, "batch": True, "batch_discount": 0.5,
            "requests_per_month": 3_000}},
        {"kind": "model", "model": "api", "inputs": {"input_per_million_usd": 1, "output_per_million_usd": 2,
                                                      "input_tokens": 10, "output_tokens": 10, "batch": True}},
        {"kind": "ranges", "model": "rental-month", "inputs": {
            "hourly_price_per_gpu_usd": [1.5, 2.0, 3.0], "tokens_per_second": 1000, "tokens_per_month": 1e9,
            "staff_per_month_usd": [0, 4279.27, 8558.54]}},
    ]
    cases += [
        {"kind": "ranges", "model": "rental-rate",
         "inputs": {"hourly_price_usd": [8, 9, 10], "tokens_per_second": [1029, 1300, 1646], "utilisation": 0.9}},
        {"kind": "model", "model": "rental-rate", "inputs": {"hourly_price_usd": 3.5, "tokens_per_second": 0}},
        {"kind": "model", "model": "own-hardware", "inputs": {"purchase_price_usd": 1200, "amortisation_months": 24}},
        {"kind": "model", "model": "rental-month", "inputs": {"hourly_price_per_gpu_usd": 2, "tokens_per_second": 10,
         "tokens_per_month": 1e7, "billing": "active_window", "active_hours_per_day": 8}},
    ]
    return cases


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed, so Pyodide cannot run")
@pytest.mark.skipif(not PYODIDE.exists(), reason="node_modules/pyodide is missing: run npm ci")
def test_pyodide_gives_the_same_answers_as_cpython(tmp_path):
    """Every example model, every seed scenario, a range run and three rejections agree exactly."""
    cases = _cases()
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases, default=str), encoding="utf-8")
    done = subprocess.run(["node", str(ROOT / "tests" / "engine" / "parity.mjs"), str(ROOT), str(cases_file)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["python"].startswith("3.")
    cases = json.loads(cases_file.read_text(encoding="utf-8"))  # what Pyodide reads, dates as text
    expected = json.loads(json.dumps(run_cases(cases)))
    assert len(answer["results"]) == len(expected) == len(cases)
    for case, got, want in zip(cases, answer["results"], expected):
        assert got == want, case
    assert [r.get("error") for r in expected[-3:]] == ["InputError", "UnknownSpecError", "CapacityError"]
