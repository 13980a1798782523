"""Calibration you can see: the engine against every measurement in data/, on the fit rows and the held-out ones.

The serving stacks' factors were fitted (tools/fit_throughput.py) on the rows marked ``split: fit``; the
held-out rows never entered the fit. Run with ``-s`` to see the table.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from atlas_mkdocs.engine.calibration import HIT_TOLERANCE, compare, hit_rate
from tests.engine.conftest import bundled_catalogue

#: data/, as the build passes it to the engine: read once per test run.
DATA = bundled_catalogue()

ROOT = Path(__file__).resolve().parents[2]


def test_hit_rates_on_fit_and_held_out_rows():
    """Every row printed with its ratio; hit rates within 30% on the fit and held-out rows, published and ours.

    Issue 18's goal is 90% of the published held-out rows within 30%: 153 of 160 (96%) reach it, the 26 vLLM
    and llama.cpp rows added on 2026-12-05 among them; the misses are named in docs/Reference/Methodology.md.
    """
    found = compare(DATA, DATA.rows("throughput_measurements"))
    for item in found:
        mark = "" if item.hit else "  MISS"
        print(f"{item.split:8s} {item.id:55s} measured {item.measured:10.1f}  engine {item.estimated:10.1f}  "
              f"x{item.ratio:.2f}{mark}")
    counts = {}
    for who in ("published", "ours"):
        for split in ("fit", "held-out"):
            hits, rows = hit_rate(c for c in found if c.split == split and (c.stack == "pytorch") == (who == "ours"))
            counts[who, split] = (hits, rows)
            print(f"{who} {split}: {hits} of {rows} within {HIT_TOLERANCE:.0%} ({hits / rows:.0%})")
    assert len(found) == 474 and sum(1 for c in found if c.split == "held-out") == 186
    assert counts["published", "fit"] == (263, 271)
    assert counts["published", "held-out"] == (153, 160)
    assert counts["ours", "fit"] == (17, 17) and counts["ours", "held-out"] == (26, 26)


def test_our_h200_rows_within_15_percent():
    """Our H200 rows (24 of the first runs, 19 of the second: FP8 and long contexts, all held out) within 15%
    but one: an eager 512-token prompt (Methodology says why)."""
    ours = [c for c in compare(DATA, DATA.rows("throughput_measurements")) if c.stack == "pytorch"]
    second_run = {row["id"] for row in DATA.rows("throughput_measurements")
                  if "h200_formats_measured.yaml" in row["source"]}
    assert (len(ours), len([c for c in ours if c.id not in second_run])) == (43, 24)
    outside = sorted(c.id for c in ours if abs(c.ratio - 1) > 0.15)
    print("outside 15%:", outside)
    assert outside == ["h200-llama-3.1-8b-bf16-prefill-512"]
    long_context = {c.id: round(c.ratio, 2) for c in ours if "-ctx" in c.id}
    print("long context:", long_context)
    assert max(abs(ratio - 1) for ratio in long_context.values()) <= 0.15


def test_each_stack_names_the_rows_it_was_fitted_on():
    """fitted_on lists exactly the stack's fit rows (SGLang borrows vLLM's); no held-out row is among them."""
    rows = {row["id"]: row for row in DATA.rows("throughput_measurements")}
    for stack in DATA.rows("serving_stacks"):
        fitted = stack["fitted_on"]
        lender = "vllm" if stack["id"] == "sglang" else stack["id"]
        assert all(rows[key]["split"] == "fit" and rows[key]["stack"] == lender for key in fitted), stack["id"]
        assert sorted(fitted) == sorted(key for key, row in rows.items()
                                        if row["stack"] == lender and row["split"] == "fit"), stack["id"]


def test_the_fit_reproduces_the_factors_in_data():
    """tools/fit_throughput.py --check refits from the measurements and finds serving_stacks.yaml unchanged."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "fit_throughput.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.stdout.strip() == "serving_stacks.yaml matches the fit", done.stdout + done.stderr
    assert done.returncode == 0


def test_hit_rates_per_stack_show_what_the_published_figure_leans_on():
    """The published held-out rate leans on TensorRT-LLM's tables (122 rows); vLLM has 17 held-out rows and
    llama.cpp 21, most from sources added on 2026-12-05; an unknown stack is an error naming the closest."""
    from atlas_mkdocs.engine.errors import UnknownSpecError
    from atlas_mkdocs.engine.models import calculate

    held = {stack: (out["held_out_hits"], out["held_out_rows"])
            for stack in ("trt-llm", "llama.cpp", "vllm") for out in [calculate("calibration", {"stack": stack}, DATA)]}
    print("held out per stack:", held)
    assert held == {"trt-llm": (121, 122), "llama.cpp": (19, 21), "vllm": (13, 17)}
    with pytest.raises(UnknownSpecError, match="did you mean 'vllm'"):
        calculate("calibration", {"stack": "vllmx"}, DATA)
