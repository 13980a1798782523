"""`python -m bench`: run the build, page and engine benchmarks, print them, and save them."""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

from bench.machine import machine_info
from bench.report import console_table, load_results, markdown_report, write_results
from tests.helpers import ROOT

SECTIONS = ("engine", "page", "build", "serve")  # fastest first, so a broken setup shows within a minute

#: Runs per mode. On 2 cores the 2,000-note builds dominate a full run (nearly two minutes each for
#: plain Material alone, whose navigation is quadratic in the note count), hence two rounds at the
#: larger sizes, and five at 250 notes, whose builds take seconds (single rounds ranged from 0.99x to
#: 1.18x on one day). The growth figure has its own pairs of our builds (bench/build.py): single pairs
#: ranged from 1.85x to 2.20x that day, so five. A full run takes about 13 minutes on a quiet machine,
#: and --quick about one.
MODES = {
    "full": {
        "build_sizes": (250, 1000, 2000), "build_runs": {250: 5, 1000: 2, 2000: 2}, "growth_pairs": 5,
        "page_runs": 4, "page_changes": 100,
        "engine_processes": 2, "engine_repeats": 5, "engine_budget_s": 0.1, "engine_sweeps": 5,
        "serve_sizes": (250, 1000, 2000),
    },
    "quick": {
        "build_sizes": (50, 100), "build_runs": {50: 2, 100: 2}, "growth_pairs": 2,
        "page_runs": 2, "page_changes": 30,
        "engine_processes": 1, "engine_repeats": 3, "engine_budget_s": 0.03, "engine_sweeps": 2,
        "serve_sizes": (50,),
    },
}


def _sections(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in SECTIONS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"--only takes {', '.join(SECTIONS)} (comma-separated); got {text!r}")
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of issue 8: build, page and engine figures against their goals. "
                    "Prints a table per section and writes results.json and report.md.")
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs and smaller vaults (about 2 minutes); writes to bench/runs/quick/ "
                             "unless --out is given, so the committed full-run figures stay")
    parser.add_argument("--only", type=_sections, default=SECTIONS, metavar="SECTIONS",
                        help="run only these sections: build, page, engine, serve (comma-separated); the other "
                             "sections already in results.json are kept")
    parser.add_argument("--out", type=Path, help="where results.json and report.md go (default: bench/)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "runs",
                        help="scratch space for vaults, sites and logs (default: bench/runs/, git-ignored)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    mode = "quick" if args.quick else "full"
    settings = MODES[mode]
    out = (args.out or (ROOT / "bench" / "runs" / "quick" if args.quick else ROOT / "bench")).resolve()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    def say(line: str) -> None:
        print(line, flush=True)

    results_path = out / "results.json"
    results = load_results(results_path)
    results["machine"] = machine_info()
    say(f"Benchmarks ({mode} mode) on {results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"{results['machine']['ram_gb']} GB RAM; results to {out}")
    started_all = time.perf_counter()
    for name in SECTIONS:
        if name not in args.only:
            continue
        say(f"\n== {name} ==")
        started = time.perf_counter()
        try:
            section = _run_section(name, settings, work, say)
        except Exception as error:  # a section that cannot run is reported; the others still run
            section = {"figures": [], "details": {}, "errors": [f"{type(error).__name__}: {error}"]}
        section.update(mode=mode, seconds=time.perf_counter() - started,
                       date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
        results["sections"][name] = section
        say(console_table(section["figures"]) if section["figures"] else "  (no figures)")
        for error in section["errors"]:
            say(f"  ! {error}")
        # Saved after every section, so an interrupted run keeps what it measured.
        write_results(results_path, results)
        (out / "report.md").write_text(markdown_report(results), encoding="utf-8")
    say(f"\nDone in {time.perf_counter() - started_all:.0f} s: {results_path} and {out / 'report.md'}")
    return 0


def _run_section(name: str, settings: dict, work: Path, say) -> dict:
    if name == "build":
        from bench.build import bench_build
        return bench_build(work / "build", settings["build_sizes"], settings["build_runs"], say,
                           settings["growth_pairs"])
    if name == "serve":
        from bench.serve import bench_serve
        return bench_serve(work / "serve", settings["serve_sizes"], say)
    if name == "page":
        from bench.page import bench_page
        return bench_page(work / "page", settings["page_runs"], settings["page_changes"], say)
    from bench.engine import bench_engine
    return bench_engine(work / "engine", settings["engine_processes"], settings["engine_repeats"],
                        settings["engine_budget_s"], settings["engine_sweeps"], say)


if __name__ == "__main__":
    sys.exit(main())
