"""A/B build benchmark: an older revision against a newer one (this checkout by default), same vaults, one run.

Both revisions build each size's vault in turn, the order alternating round by round so a slow patch of
the shared machine hits both, after one unmeasured build of each (wheel, caches, .pyc files); every
ratio is new over old within one round. Each side is a checkout with its own environment, where
atlas_mkdocs is installed (editable) from that checkout; a checkout being edited during the run would
rebuild its engine mid-run, so compare exported revisions:

    git archive OLD | tar -x -C /tmp/old; cp -a .venv /tmp/old/; ln -s "$PWD/node_modules" /tmp/old/
    /tmp/old/.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e /tmp/old
    (the same for NEW in /tmp/new)
    python -m bench.ab /tmp/old --new /tmp/new --sizes 50,100 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.build import BuildRun, _last_error, bytes_per_page, run_build
from bench.report import console_table
from bench.stats import figure
from bench.vault import generate_vault
from tests.helpers import ROOT


def ab_figures(size: int, old: list[BuildRun], new: list[BuildRun], page_bytes: dict[str, float]) -> list[dict]:
    """Give back the figures of one size: each side's times, and new / old by round for time, CPU and memory."""
    ok = [(a, b) for a, b in zip(old, new) if a.returncode == 0 and b.returncode == 0]
    figures = [figure(f"ab.{side}.{size}.time", "s", [pair[i].wall_s for pair in ok])
               for i, side in enumerate(("old", "new"))]
    for measure, unit in (("wall_s", "time"), ("cpu_s", "cpu"), ("peak_rss_mb", "peak_rss")):
        figures.append(figure(f"ab.new_over_old.{size}.{unit}", "ratio",
                              [getattr(b, measure) / getattr(a, measure) for a, b in ok],
                              note="new / old, paired by round"))
    if page_bytes:
        figures.append(figure(f"ab.new_over_old.{size}.bytes_per_page", "ratio",
                              [page_bytes["new"] / page_bytes["old"]], note="mean size of a note's HTML page"))
    return figures


def bench_ab(sides: dict[str, tuple[str, Path]], sizes: tuple[int, ...], rounds: int, work: Path, say) -> dict:
    """Give back the A/B figures and any failed build: ``sides`` names the "old" and "new" (python, checkout)."""
    figures: list[dict] = []
    errors: list[str] = []
    for size in sizes:
        vault = work / "vaults" / f"ab-{size}"
        generate_vault(vault, size)
        runs: dict[str, list[BuildRun]] = {"old": [], "new": []}
        for round_ in range(-1, rounds):  # round -1 warms both up and is not counted
            for side in (("old", "new") if round_ % 2 else ("new", "old")):
                python, root = sides[side]
                run = run_build(root / "mkdocs.yml", vault, work / "sites" / f"{side}-{size}",
                                work / "logs" / f"ab-{side}-{size}-{round_}.log", python=python, root=root)
                if run.returncode != 0:
                    errors.append(f"{side} build of {size} notes failed ({run.returncode}): {_last_error(run)}")
                if round_ >= 0:
                    runs[side].append(run)
            if round_ >= 0:
                say(f"  {size} notes, round {round_ + 1}/{rounds}: old {runs['old'][-1].wall_s:6.2f} s, "
                    f"new {runs['new'][-1].wall_s:6.2f} s")
        try:
            page_bytes = {side: bytes_per_page(work / "sites" / f"{side}-{size}", vault) for side in sides}
        except RuntimeError as error:
            errors.append(str(error))
            page_bytes = {}
        figures += ab_figures(size, runs["old"], runs["new"], page_bytes)
    return {"figures": figures, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.splitlines()[0])
    parser.add_argument("old_root", type=Path, help="a checkout of the old revision")
    parser.add_argument("--new", type=Path, help="a checkout of the new revision (default: this one, run by this "
                        "interpreter)")
    parser.add_argument("--sizes", default="50,100", help="note counts, comma-separated (default: 50,100)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "runs" / "ab")
    args = parser.parse_args(argv)
    sides = {"old": (str(args.old_root / ".venv" / "bin" / "python"), args.old_root.resolve()),
             "new": (str(args.new / ".venv" / "bin" / "python"), args.new.resolve()) if args.new
             else (sys.executable, ROOT)}
    found = bench_ab(sides, tuple(int(size) for size in args.sizes.split(",")), args.rounds, args.work.resolve(),
                     lambda line: print(line, flush=True))
    print(console_table(found["figures"]))
    for error in found["errors"]:
        print(f"  ! {error}")
    (args.work / "ab.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    return 1 if found["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
