"""The engine benchmark's work, run unchanged in CPython and in Pyodide (stdlib only, no bench imports).

``run(config)`` times each case and gives back plain JSON-able data: per-call microseconds for every
model example, seed scenario and widget call, and seconds per 10,000-point sweep. In CPython it runs as
``python bench/engine_work.py config.json``; under Node, bench/engine_pyodide.mjs writes this file and
calculators/ into Pyodide's filesystem and calls the same function.
"""

from __future__ import annotations

import json
import sys
import time

SWEEP_POINTS = 10_000


def _per_call_us(call, repeats: int, budget_s: float) -> list[float]:
    """Give back ``repeats`` per-call times (µs) of ``call``, each over enough calls to fill ``budget_s``."""
    call()  # first call pays for imports and caches, as a page's first recompute does; not counted
    number, elapsed = 1, 0.0
    while True:
        started = time.perf_counter()
        for _ in range(number):
            call()
        elapsed = time.perf_counter() - started
        if elapsed >= budget_s / 10 or number >= 1 << 20:
            break
        number *= 2
    number = max(1, int(number * (budget_s / max(elapsed, 1e-9)) / 10) or 1)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(number):
            call()
        times.append((time.perf_counter() - started) / number * 1e6)
    return times


def _sweep_s(call, repeats: int) -> list[float]:
    """Give back ``repeats`` timings (s) of one full sweep."""
    call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def run(config: dict) -> dict:
    """Give back the timings of every case in ``config`` (models, scenarios, repeats, budget_s)."""
    started = time.perf_counter()
    from atlas_mkdocs.engine.models import calculate
    from atlas_mkdocs.engine.scenarios import run_scenario
    from atlas_mkdocs.engine.widgets import run_widget
    import_ms = (time.perf_counter() - started) * 1000
    data: tuple = ()  # the catalogue, for the engine calls that take one
    if config.get("catalogue"):
        try:
            from atlas_mkdocs.engine.catalogue import Catalogue

            data = (Catalogue.from_export(config["catalogue"]),)
        except ImportError:  # an engine from before the catalogue was an argument (an A/B run's old side)
            from atlas_mkdocs.engine import catalogue

            catalogue.use_catalogue(config["catalogue"])

    repeats, budget = config["repeats"], config["budget_s"]
    cases: dict[str, list[float]] = {}
    errors: dict[str, str] = {}

    def attempt(name, timer, *args):
        try:
            cases[name] = timer(*args)
        except Exception as error:  # noqa: BLE001 - a broken case is reported, the others still run
            errors[name] = f"{type(error).__name__}: {error}"

    form = {"hourly_price_usd": "3.5", "tokens_per_second": "100", "utilisation_percent": "30"}
    attempt("widget.rental-cost", _per_call_us, lambda: run_widget("rental-cost", form), repeats, budget)
    for name, inputs in config["models"].items():
        attempt(f"model.{name}", _per_call_us, lambda n=name, i=inputs: calculate(n, i, *data), repeats, budget)
    for scenario in config["scenarios"]:
        attempt(f"scenario.{scenario['id']}", _per_call_us, lambda s=scenario: run_scenario(s, *data), repeats, budget)

    def widget_sweep():
        # A slider dragged across utilisation 1..100%: 10,000 recomputes of the page's widget.
        for i in range(SWEEP_POINTS):
            values = dict(form, utilisation_percent=1 + 99 * i / (SWEEP_POINTS - 1))
            if not run_widget("rental-cost", values)["ok"]:
                raise RuntimeError(f"rental-cost rejected {values}")

    def chart_sweep():
        # A break-even chart's series: two options' $/month at 10,000 volumes, with their crossings.
        from atlas_mkdocs.engine.compare import CostOption, cost_series
        local = CostOption("local", fixed_per_month_usd=30, upfront_usd=1200, amortisation_months=24,
                           capacity_tokens_per_month=200_000_000)
        cloud = CostOption("cloud", variable_per_million_tokens_usd=2)
        cost_series([local, cloud], max_tokens_per_day=50_000_000, points=SWEEP_POINTS)

    attempt("sweep.widget_10000", _sweep_s, widget_sweep, config["sweep_repeats"])
    attempt("sweep.cost_series_10000", _sweep_s, chart_sweep, config["sweep_repeats"])
    return {"python": sys.version.split()[0], "import_ms": import_ms, "cases": cases, "errors": errors}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print(json.dumps(run(json.load(handle))))
