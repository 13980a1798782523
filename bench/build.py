"""Build benchmark: our site against plain MkDocs Material on the same notes, in the same run.

Each build is a separate `mkdocs build` process, waited for with os.wait4 so its own peak RSS and CPU
time come back with it (RUSAGE_CHILDREN would report the largest child so far, not this one). The two
builds of one size alternate run by run, so a slow patch of the shared machine hits both, and each
overhead ratio is taken between the two builds of one round.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.stats import figure
from bench.vault import generate_vault, write_plain_vault
from tests.helpers import ROOT

OVERHEAD_GOAL = 1.15  # our build at most 15% slower than plain Material
GROWTH_GOAL = 2.1     # 1,000 -> 2,000 notes at most 2.1x the time

#: Plain MkDocs Material: the project's mkdocs.yml (theme, features, palette) inherited, without the
#: atlas plugin and with the standard extensions only, so the calculator fence is an ordinary code block.
PLAIN_CONFIG = """\
INHERIT: {project}
site_name: Plain Material baseline
plugins:
  - search
  - tags
markdown_extensions:
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - admonition
  - attr_list
  - md_in_html
  - tables
  - footnotes
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences
"""


@dataclass(frozen=True)
class BuildRun:
    """One `mkdocs build`: wall and CPU seconds, peak resident memory, exit status and warnings."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    warnings: int
    log: Path


def plain_config(directory: Path) -> Path:
    """Write the plain-Material mkdocs.yml into ``directory`` and give back its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "mkdocs-plain.yml"
    path.write_text(PLAIN_CONFIG.format(project=ROOT / "mkdocs.yml"), encoding="utf-8")
    return path


def run_build(config: Path, vault: Path, site_dir: Path, log: Path,
              site_url: str = "http://127.0.0.1:8000/") -> BuildRun:
    """Give back the measurements of one `mkdocs build` of ``vault`` with ``config`` (not strict)."""
    env = os.environ | {
        "ATLAS_VAULT": str(vault),
        "ATLAS_SITE_DIR": str(site_dir),
        "SITE_URL": site_url,
        "NO_MKDOCS_2_WARNING": "1",
    }
    # Not --strict: the synthetic vault is built the same way whether or not the Obsidian extensions
    # are wired in yet; warnings are counted and reported instead.
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    return BuildRun(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        returncode=process.returncode,
        warnings=sum(1 for line in text.splitlines() if line.startswith("WARNING")),
        log=log,
    )


def _last_error(run: BuildRun) -> str:
    lines = [line for line in run.log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    return (lines[-1] if lines else "no output")[:300]


def bench_build(work: Path, sizes: tuple[int, ...], runs: dict[int, int], say) -> dict[str, object]:
    """Give back the build figures for vaults of ``sizes`` notes, ``runs[size]`` rounds each."""
    project = ROOT / "mkdocs.yml"
    plain = plain_config(work)
    figures: list[dict[str, object]] = []
    details: dict[str, object] = {"sizes": {}, "plain_config": PLAIN_CONFIG.format(project="mkdocs.yml")}
    atlas_walls: dict[int, list[float]] = {}
    errors: list[str] = []

    # One unmeasured build of each kind first: the atlas plugin packs the engine wheel into its cache,
    # and both warm the page cache and .pyc files, which a first build would otherwise pay alone.
    warm_vault = work / "vaults" / "warmup"
    generate_vault(warm_vault, 50)
    write_plain_vault(warm_vault, work / "vaults" / "warmup-plain")
    run_build(project, warm_vault, work / "sites" / "warmup", work / "logs" / "warmup-atlas.log")
    run_build(plain, work / "vaults" / "warmup-plain", work / "sites" / "warmup-plain",
              work / "logs" / "warmup-plain.log")

    for size in sizes:
        vault = work / "vaults" / f"obsidian-{size}"
        summary = generate_vault(vault, size)
        plain_vault = work / "vaults" / f"plain-{size}"
        write_plain_vault(vault, plain_vault)
        say(f"  vault of {size} notes: {summary.calculators} calculators, {summary.bash_traps} bash traps, "
            f"{summary.image_embeds} image embeds")
        atlas: list[BuildRun] = []
        baseline: list[BuildRun] = []
        for round_ in range(runs[size]):
            # Alternate which build goes first, so neither always follows the other's cache effects.
            order = [("atlas", project, vault), ("plain", plain, plain_vault)]
            if round_ % 2:
                order.reverse()
            for kind, config, source in order:
                run = run_build(config, source, work / "sites" / f"{kind}-{size}",
                                work / "logs" / f"{kind}-{size}-{round_}.log")
                (atlas if kind == "atlas" else baseline).append(run)
                if run.returncode != 0:
                    errors.append(f"{kind} build of {size} notes failed ({run.returncode}): {_last_error(run)}")
            say(f"    round {round_ + 1}/{runs[size]}: ours {atlas[-1].wall_s:6.2f} s "
                f"({atlas[-1].peak_rss_mb:5.0f} MB), plain {baseline[-1].wall_s:6.2f} s "
                f"({baseline[-1].peak_rss_mb:5.0f} MB)")
        ok = [(a, b) for a, b in zip(atlas, baseline) if a.returncode == 0 and b.returncode == 0]
        atlas_walls[size] = [a.wall_s for a, _ in ok]
        figures += [
            figure(f"build.ours.{size}.time", "s", [a.wall_s for a, _ in ok]),
            figure(f"build.plain.{size}.time", "s", [b.wall_s for _, b in ok]),
            figure(f"build.overhead.{size}.time", "ratio", [a.wall_s / b.wall_s for a, b in ok],
                   goal=OVERHEAD_GOAL, note="ours / plain Material, paired by round"),
            figure(f"build.overhead.{size}.cpu", "ratio", [a.cpu_s / b.cpu_s for a, b in ok],
                   note="CPU seconds (user + system), less sensitive to a busy machine than wall time"),
            figure(f"build.ours.{size}.peak_rss", "MB", [a.peak_rss_mb for a, _ in ok]),
            figure(f"build.plain.{size}.peak_rss", "MB", [b.peak_rss_mb for _, b in ok]),
            figure(f"build.overhead.{size}.peak_rss", "ratio", [a.peak_rss_mb / b.peak_rss_mb for a, b in ok],
                   note="ours / plain Material peak RSS"),
        ]
        details["sizes"][str(size)] = {
            "notes_with_index": summary.notes,
            "calculators": summary.calculators,
            "warnings_ours": [a.warnings for a in atlas],
            "warnings_plain": [b.warnings for b in baseline],
        }
    if 1000 in atlas_walls and 2000 in atlas_walls:
        pairs = list(zip(atlas_walls[1000], atlas_walls[2000]))
        figures.append(figure("build.growth.1000_to_2000", "ratio", [big / small for small, big in pairs],
                              goal=GROWTH_GOAL, note="our build time at 2,000 notes / at 1,000, paired by round"))
    return {"figures": figures, "details": details, "errors": errors}
