"""Statistics, goal checks and report formatting of the benchmark (no timing here)."""

import json

import pytest

from bench.build import plain_config_text
from bench.cli import build_parser
from bench.engine import engine_config
from bench.report import console_table, fmt, markdown_report
from bench.stats import figure, meets, percentile, summarise


def test_summary_gives_median_quartiles_and_range():
    """Median, min, max, quartiles and count of an odd-sized sample."""
    assert summarise([5, 1, 3, 2, 4]) == {"median": 3, "min": 1, "max": 5, "q1": 2, "q3": 4, "runs": 5}


def test_percentile_interpolates_between_ranks():
    """The median of an even sample is the mean of the middle two; p95 interpolates."""
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile(list(range(1, 101)), 0.95) == pytest.approx(95.05)
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_figure_checks_its_goal_on_the_median():
    """A time is good at or under its goal; no goal, no verdict; no values, no median."""
    assert figure("t", "ms", [10, 30, 20], goal=20)["meets_goal"] is True
    assert figure("t", "ms", [10, 30, 25], goal=20)["meets_goal"] is False
    assert figure("t", "ms", [1])["meets_goal"] is None
    empty = figure("t", "ms", [], goal=1)
    assert empty["median"] is None and empty["runs"] == 0 and empty["meets_goal"] is None
    assert meets(3, 2, "min") is True


def test_formatting_units():
    """Each unit reads as the report shows it."""
    assert fmt(1234.4, "ms") == "1,234 ms"
    assert fmt(1.234, "ratio") == "1.23x"
    assert fmt(0.0271, "s") == "27.1 ms"
    assert fmt(None, "ms") == "-"


def test_report_renders_sections_and_findings():
    """A results document with every section renders to Markdown with its tables and findings."""
    results = {
        "machine": {"cpu": "Test CPU", "cores": 2},
        "sections": {
            "page": {"date": "d", "mode": "full", "seconds": 1, "errors": [],
                     "figures": [figure("page.cold.time_to_live", "ms", [2000, 2100], goal=1500),
                                 figure("page.cold.worker_ready", "ms", [1500, 1600]),
                                 figure("page.bytes.before_interaction.gzip", "KB", [250, 260], goal=400),
                                 figure("page.bytes.runtime.gzip", "KB", [9000])],
                     "details": {"largest_transfers": [{"path": "/a/pyodide.asm.wasm", "raw_kb": 9000,
                                                        "gzip_kb": 3500}]}},
            "build": {"date": "d", "mode": "full", "seconds": 1, "errors": ["x failed"], "details": {},
                      "figures": [figure("build.growth.ours.1000_to_2000", "ratio", [3.5], goal=2.1),
                                  figure("build.growth.plain.1000_to_2000", "ratio", [3.6])]},
            "engine": {"date": "d", "mode": "full", "seconds": 1, "errors": [],
                       "details": {"cases": ["widget.rental-cost"]},
                       "figures": [figure("engine.cpython.widget.rental-cost", "µs", [5, 6]),
                                   figure("engine.pyodide.widget.rental-cost", "µs", [9, 10]),
                                   figure("engine.ratio.widget.rental-cost", "ratio", [1.7])]},
        },
    }
    text = markdown_report(results)
    assert "Test CPU, 2 cores" in text
    assert "| page.cold.time_to_live | 2,050 ms | 2,000 ms – 2,100 ms | 2 | <= 1,500 ms | NO |" in text
    assert "of which 1,550 ms (76%) is the worker" in text
    assert ("Before the first interaction the page weighs 255 KB gzip; the calculator runtime, which the worker "
            "fetches in the background, adds 9,000 KB gzip, most of it `pyodide.asm.wasm` (3,500 KB).") in text
    assert "the site's bytes grow with the square of the note count" in text
    assert "| widget.rental-cost | 5.5 µs (5.0 µs – 6.0 µs) | 9.5 µs (9.0 µs – 10.0 µs) | 1.70x |" in text
    assert "- x failed" in text
    assert "page.cold.time_to_live" in console_table(results["sections"]["page"]["figures"])


def test_plain_config_drops_the_atlas_plugin_and_overrides():
    """The baseline keeps the project's theme but neither its custom_dir nor the atlas plugin or fence."""
    text = plain_config_text()
    assert "atlas" not in text and "custom_dir" not in text and "calculator" not in text
    assert '"name": "material"' in text


def test_engine_config_is_json_for_both_runtimes():
    """The engine work (model examples, seed scenarios) survives a JSON round trip unchanged."""
    config = engine_config(repeats=1, budget_s=0.01, sweep_repeats=1)
    assert json.loads(json.dumps(config)) == config
    assert config["repeats"] == 1


def test_only_accepts_known_sections():
    """--only takes build, page, engine, comma-separated; anything else is a usage error."""
    assert build_parser().parse_args(["--only", "page,engine"]).only == ("page", "engine")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--only", "speed"])


def test_engine_work_runs_every_case_without_errors():
    """Every model example, seed scenario and sweep runs in the engine (one tiny repeat, nothing timed)."""
    from bench.engine_work import run

    config = engine_config(repeats=1, budget_s=0.001, sweep_repeats=1)
    answer = run(config)
    assert answer["errors"] == {}
    assert "sweep.widget_10000" in answer["cases"] and "widget.rental-cost" in answer["cases"]
    assert len([c for c in answer["cases"] if c.startswith("model.")]) == len(config["models"])


def test_growth_pairs_run_back_to_back_and_alternate(monkeypatch, tmp_path):
    """Each growth pair builds both sizes in a row, the first size alternating; a failed build drops its pair."""
    from bench import build

    times = iter([10.0, 19.0, 22.0, 11.0, 12.0, 99.0, 21.0, 10.0])
    calls = []

    def fake_run(config, vault, site_dir, log, site_url="http://127.0.0.1:8000/"):
        calls.append(vault.name)
        wall = next(times)
        # The third pair's second build fails: its pair is dropped with a message naming size and cause.
        failed = len(calls) == 6
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("ERROR - Config value 'docs_dir': missing\n" if failed else "INFO - done\n")
        return build.BuildRun(wall_s=wall, cpu_s=wall / 2, peak_rss_mb=100.0, returncode=1 if failed else 0,
                              warnings=0, log=log)

    monkeypatch.setattr(build, "run_build", fake_run)
    said, errors = [], []
    vaults = {1000: tmp_path / "obsidian-1000", 2000: tmp_path / "obsidian-2000"}
    walls, cpus = build._growth_pairs(tmp_path / "mkdocs.yml", vaults, tmp_path, 4, said.append, errors)

    assert calls == ["obsidian-1000", "obsidian-2000", "obsidian-2000", "obsidian-1000",
                     "obsidian-1000", "obsidian-2000", "obsidian-2000", "obsidian-1000"]
    assert [order for order, _ in walls] == ["1,000 then 2,000", "2,000 then 1,000", "2,000 then 1,000"]
    assert [pair[2000] / pair[1000] for _, pair in walls] == [1.9, 2.0, 2.1]
    assert [pair[2000] / pair[1000] for _, pair in cpus] == [1.9, 2.0, 2.1]
    assert errors == ["growth build of 2000 notes failed (1): ERROR - Config value 'docs_dir': missing"]
    assert said[0] == "  growth pair 1/4 (1,000 then 2,000 notes):  10.00 s and  19.00 s, 1.90x"
    assert len(said) == 3
