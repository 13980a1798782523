"""Engine benchmark: the same work (bench/engine_work.py) in CPython and in Pyodide under Node.

Each runtime runs in fresh processes, several times; every case is timed per call over many calls, and
the two runtimes are compared case by case as a ratio of medians. The inputs are the engine tests'
example per model (tests/engine/examples.py) and the seed scenarios (data/scenarios.yaml), passed as
JSON so both runtimes see identical values.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bench.stats import figure
from tests.helpers import ROOT

BENCH_DIR = Path(__file__).resolve().parent


def engine_config(repeats: int, budget_s: float, sweep_repeats: int) -> dict[str, object]:
    """Give back the work both runtimes do: model examples, seed scenarios, and timing settings."""
    try:
        from tests.engine.examples import EXAMPLES
    except ImportError:
        EXAMPLES = {}
    scenarios_file = ROOT / "data" / "scenarios.yaml"
    scenarios = []
    if scenarios_file.is_file():
        document = yaml.safe_load(scenarios_file.read_text(encoding="utf-8")) or {}
        scenarios = document.get("scenarios", document) if isinstance(document, dict) else document
    # The validated data/ as the browser gets it: throughput and sizing read formats and stacks from it.
    from atlas_mkdocs.data import export_json, load_data

    catalogue = json.loads(export_json(load_data(ROOT / "data")))
    # Dates (as_of) and other YAML-only types go over as text, as the browser would receive them.
    return json.loads(json.dumps({"models": EXAMPLES, "scenarios": scenarios or [], "repeats": repeats,
                                  "budget_s": budget_s, "sweep_repeats": sweep_repeats, "catalogue": catalogue},
                                 default=str))


def _run(command: list[str]) -> dict[str, object]:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed: {done.stderr.strip()[-400:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_engine(work: Path, processes: int, repeats: int, budget_s: float, sweep_repeats: int,
                 say) -> dict[str, object]:
    """Give back per-case figures for CPython and Pyodide, and their ratio, over ``processes`` runs each."""
    work.mkdir(parents=True, exist_ok=True)
    config_path = work / "engine-config.json"
    config_path.write_text(json.dumps(engine_config(repeats, budget_s, sweep_repeats)), encoding="utf-8")
    runtimes = {
        "cpython": [sys.executable, str(BENCH_DIR / "engine_work.py"), str(config_path)],
        "pyodide": [shutil.which("node") or "node", str(BENCH_DIR / "engine_pyodide.mjs"), str(ROOT),
                    str(config_path)],
    }
    answers: dict[str, list[dict[str, object]]] = {name: [] for name in runtimes}
    errors: list[str] = []
    for index in range(processes):
        for name, command in runtimes.items():
            try:
                answers[name].append(_run(command))
            except Exception as error:  # reported, never raised
                errors.append(f"{name} run {index + 1}: {error}")
        say(f"  process {index + 1}/{processes} of each runtime done")

    figures: list[dict[str, object]] = []
    details: dict[str, object] = {}
    for name, runs in answers.items():
        if not runs:
            continue
        details[f"{name}_version"] = runs[0]["python"]
        figures.append(figure(f"engine.{name}.import", "ms", [r["import_ms"] for r in runs],
                              note="import atlas_mkdocs.engine.models, scenarios and widgets in a fresh interpreter"))
        if name == "pyodide":
            figures.append(figure("engine.pyodide.load_runtime", "ms", [r["load_ms"] for r in runs],
                                  note="loadPyodide() under Node, from node_modules/pyodide"))
        for run in runs:
            for case, message in run["errors"].items():
                errors.append(f"{name} {case}: {message}")
    cases = sorted({case for runs in answers.values() for run in runs for case in run["cases"]})
    for case in cases:
        medians = {}
        for name, runs in answers.items():
            values = [v for run in runs for v in run["cases"].get(case, [])]
            if not values:
                continue
            unit = "s" if case.startswith("sweep.") else "µs"
            record = figure(f"engine.{name}.{case}", unit, values,
                            note="per 10,000-point sweep" if unit == "s" else "per call")
            medians[name] = record["median"]
            figures.append(record)
        if len(medians) == 2:
            figures.append(figure(f"engine.ratio.{case}", "ratio", [medians["pyodide"] / medians["cpython"]],
                                  note="Pyodide median / CPython median"))
    details["cases"] = cases
    return {"figures": figures, "details": details, "errors": errors}
