"""Build benchmark: our site against plain MkDocs Material on the same notes, in the same run.

Each build is a separate `mkdocs build` process, started by the tiny bench/_measure.py launcher, which
waits for it with os.wait4 so its own peak RSS and CPU time come back with it (RUSAGE_CHILDREN would
report the largest child so far, and a child forked from this process would count its size). The two
builds of one size alternate run by run, so a slow patch of the shared machine hits both, and each
overhead ratio is taken between the two builds of one round. The growth from 1,000 to 2,000 notes comes
from its own pairs of our builds, the two of a pair run back to back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.stats import figure
from bench.vault import generate_vault, write_plain_vault
from tests.helpers import ROOT

MEASURE = Path(__file__).resolve().parent / "_measure.py"
OVERHEAD_GOAL = 1.15  # our build at most 15% slower than plain Material
GROWTH_GOAL = 2.1     # 1,000 -> 2,000 notes at most 2.1x the time
BYTES_GROWTH_GOAL = 1.1  # bytes per page at 2,000 notes at most 1.1x those at 1,000
#: Zensical, Material's successor, installed beside MkDocs (requirements.txt pins 0.0.73).
ZENSICAL = Path(sys.executable).with_name("zensical")

#: Plain MkDocs Material: the project's theme settings (features, palette, no web fonts) without its
#: custom_dir overrides, no atlas plugin, and the standard extensions only, so a calculator fence is an
#: ordinary code block. Everything below the theme is fixed here; the theme is read from mkdocs.yml.
PLAIN_CONFIG = """\
site_name: Plain Material baseline
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
docs_dir: !ENV ATLAS_VAULT
site_dir: !ENV ATLAS_SITE_DIR
theme: {theme}
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


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: its !ENV and !!python tags become None."""


_LenientLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def project_theme() -> dict[str, object]:
    """Give back the theme settings of the project's mkdocs.yml, without its custom_dir."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    theme = dict(config.get("theme") or {"name": "material"})
    theme.pop("custom_dir", None)
    return theme


@dataclass(frozen=True)
class BuildRun:
    """One `mkdocs build`: wall and CPU seconds, peak resident memory, exit status and warnings."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    warnings: int
    log: Path


def plain_config_text() -> str:
    """Give back the plain-Material mkdocs.yml."""
    return PLAIN_CONFIG.format(theme=json.dumps(project_theme()))


def plain_config(directory: Path) -> Path:
    """Write the plain-Material mkdocs.yml into ``directory`` and give back its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "mkdocs-plain.yml"
    path.write_text(plain_config_text(), encoding="utf-8")
    return path


def bytes_per_page(site: Path, vault: Path) -> float:
    """Give back the mean size in bytes of the HTML pages written for the vault's notes.

    Only the notes' own pages count (index.html of each note's folder in the site), so pages a build
    adds of its own (tag lists, a catalogue) do not move the figure between builds of different vaults.
    """
    sizes = []
    for note in vault.rglob("*.md"):
        relative = note.relative_to(vault).with_suffix("")
        page = site / ("index.html" if relative.name == "index" and relative.parent == Path(".")
                       else relative / "index.html")
        if page.is_file():
            sizes.append(page.stat().st_size)
    if not sizes:
        raise RuntimeError(f"no page of {vault}'s notes was found in {site}")
    return sum(sizes) / len(sizes)


def zensical_project(plain_vault: Path, directory: Path) -> Path:
    """Give back a Zensical project building ``plain_vault`` with plain Material's settings.

    Zensical reads mkdocs.yml but resolves docs_dir inside the project folder and has no !ENV, so the
    stripped notes are copied in and the configuration is written with plain paths.
    """
    import shutil

    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(plain_vault, directory / "docs")
    text = plain_config_text()
    text = text.replace("site_url: !ENV [SITE_URL, \"http://127.0.0.1:8000/\"]", "site_url: http://127.0.0.1:8000/")
    text = text.replace("docs_dir: !ENV ATLAS_VAULT", "docs_dir: docs").replace("site_dir: !ENV ATLAS_SITE_DIR",
                                                                             "site_dir: site")
    text = text.replace("""      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
""", "")
    (directory / "mkdocs.yml").write_text(text, encoding="utf-8")
    return directory / "mkdocs.yml"


def run_zensical(config: Path, log: Path) -> BuildRun:
    """Give back the measurements of one clean `zensical build` of the project of ``config``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    os.sync()
    command = [str(ZENSICAL), "build", "--clean", "-f", str(config)]
    done = subprocess.run([sys.executable, str(MEASURE), str(log), *command], cwd=config.parent,
                          capture_output=True, text=True, check=True)
    measured = json.loads(done.stdout)
    text = log.read_text(encoding="utf-8", errors="replace")
    return BuildRun(wall_s=measured["wall_s"], cpu_s=measured["cpu_s"], peak_rss_mb=measured["peak_rss_kib"] / 1024,
                    returncode=measured["returncode"],
                    warnings=sum(1 for line in text.splitlines() if "warning" in line.lower()), log=log)


def run_build(config: Path, vault: Path, site_dir: Path, log: Path,
              site_url: str = "http://127.0.0.1:8000/", python: str = sys.executable, root: Path = ROOT) -> BuildRun:
    """Give back the measurements of one `mkdocs build` of ``vault`` with ``config`` (not strict).

    ``python`` and ``root`` are the interpreter and checkout that build: another revision's for an
    A/B run (bench/ab.py).
    """
    env = os.environ | {
        "ATLAS_VAULT": str(vault),
        "ATLAS_SITE_DIR": str(site_dir),
        "SITE_URL": site_url,
        "NO_MKDOCS_2_WARNING": "1", "ATLAS_CATALOGUE": "false",
    }
    # Not --strict: the synthetic vault is built the same way whether or not the Obsidian extensions
    # are wired in yet; warnings are counted and reported instead.
    command = [python, "-m", "mkdocs", "build", "-f", str(config)]
    log.parent.mkdir(parents=True, exist_ok=True)
    # The previous build's output (1.3 GB for plain Material at 2,000 notes) is still being written
    # back to disk: flush it first, so a build is not timed while the kernel writes another's pages.
    os.sync()
    done = subprocess.run([sys.executable, str(MEASURE), str(log), *command], cwd=root, env=env,
                          capture_output=True, text=True, check=True)
    measured = json.loads(done.stdout)
    text = log.read_text(encoding="utf-8", errors="replace")
    return BuildRun(
        wall_s=measured["wall_s"],
        cpu_s=measured["cpu_s"],
        peak_rss_mb=measured["peak_rss_kib"] / 1024,
        returncode=measured["returncode"],
        warnings=sum(1 for line in text.splitlines() if line.startswith("WARNING")),
        log=log,
    )


def _last_error(run: BuildRun) -> str:
    lines = [line for line in run.log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    return (lines[-1] if lines else "no output")[:300]


def bench_build(work: Path, sizes: tuple[int, ...], runs: dict[int, int], say,
                growth_pairs: int) -> dict[str, object]:
    """Give back the build figures for vaults of ``sizes`` notes, ``runs[size]`` rounds each.

    When the largest size is twice the one before it, ``growth_pairs`` more pairs of our build at those
    two sizes give the growth figure (see _growth_pairs).
    """
    project = ROOT / "mkdocs.yml"
    plain = plain_config(work)
    figures: list[dict[str, object]] = []
    details: dict[str, object] = {"sizes": {}, "plain_config": plain_config_text()}
    plain_walls: dict[int, list[float]] = {}
    plain_cpu: dict[int, list[float]] = {}
    errors: list[str] = []
    page_bytes: dict[int, dict[str, float]] = {}

    # One unmeasured build of each kind first: the atlas plugin packs the engine wheel into its cache,
    # and both warm the page cache and .pyc files, which a first build would otherwise pay alone.
    warm_vault = work / "vaults" / "warmup"
    generate_vault(warm_vault, 50)
    write_plain_vault(warm_vault, work / "vaults" / "warmup-plain")
    run_build(project, warm_vault, work / "sites" / "warmup", work / "logs" / "warmup-atlas.log")
    run_build(plain, work / "vaults" / "warmup-plain", work / "sites" / "warmup-plain",
              work / "logs" / "warmup-plain.log")

    vaults: dict[int, Path] = {}
    for size in sizes:
        vault = vaults[size] = work / "vaults" / f"obsidian-{size}"
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
        # Zensical on the same stripped notes, as many rounds, after ours and plain Material's.
        zensical: list[BuildRun] = []
        if ZENSICAL.exists():
            project_file = zensical_project(plain_vault, work / "zensical" / f"plain-{size}")
            for round_ in range(runs[size]):
                run = run_zensical(project_file, work / "logs" / f"zensical-{size}-{round_}.log")
                if run.returncode != 0:
                    errors.append(f"zensical build of {size} notes failed ({run.returncode}): {_last_error(run)}")
                else:
                    zensical.append(run)
            if zensical:
                say(f"    zensical: {', '.join(f'{run.wall_s:.2f} s' for run in zensical)}")
        else:
            errors.append(f"zensical is not installed beside {sys.executable}: no Zensical figures")
        ok = [(a, b) for a, b in zip(atlas, baseline) if a.returncode == 0 and b.returncode == 0]
        plain_walls[size] = [b.wall_s for _, b in ok]
        plain_cpu[size] = [b.cpu_s for _, b in ok]
        figures += [
            figure(f"build.ours.{size}.time", "s", [a.wall_s for a, _ in ok]),
            figure(f"build.plain.{size}.time", "s", [b.wall_s for _, b in ok]),
            figure(f"build.ours.{size}.cpu", "s", [a.cpu_s for a, _ in ok], note="user + system CPU seconds"),
            figure(f"build.plain.{size}.cpu", "s", [b.cpu_s for _, b in ok], note="user + system CPU seconds"),
            figure(f"build.overhead.{size}.time", "ratio", [a.wall_s / b.wall_s for a, b in ok],
                   goal=OVERHEAD_GOAL, note="ours / plain Material, paired by round"),
            figure(f"build.overhead.{size}.cpu", "ratio", [a.cpu_s / b.cpu_s for a, b in ok],
                   note="CPU seconds (user + system), less sensitive to a busy machine than wall time"),
            figure(f"build.ours.{size}.peak_rss", "MB", [a.peak_rss_mb for a, _ in ok]),
            figure(f"build.plain.{size}.peak_rss", "MB", [b.peak_rss_mb for _, b in ok]),
            figure(f"build.overhead.{size}.peak_rss", "ratio", [a.peak_rss_mb / b.peak_rss_mb for a, b in ok],
                   note="ours / plain Material peak RSS"),
        ]
        if zensical:
            figures.append(figure(f"build.zensical.{size}.time", "s", [run.wall_s for run in zensical],
                                  note="zensical build --clean of the stripped notes plain Material builds"))
            pairs = list(zip([a.wall_s for a in atlas if a.returncode == 0], [z.wall_s for z in zensical]))
            figures.append(figure(f"build.vs_zensical.{size}.time", "ratio", [a / z for a, z in pairs],
                                  goal=1.0 if size == 1000 else None,
                                  note="our full build / Zensical's on the stripped notes, round by round"))
        try:
            page_bytes[size] = {"ours": bytes_per_page(work / "sites" / f"atlas-{size}", vault),
                                "plain": bytes_per_page(work / "sites" / f"plain-{size}", plain_vault)}
        except RuntimeError as error:
            errors.append(str(error))
        else:
            figures += [figure(f"build.bytes_per_page.ours.{size}", "KB", [page_bytes[size]["ours"] / 1000],
                               note="mean size of a note's HTML page"),
                        figure(f"build.bytes_per_page.plain.{size}", "KB", [page_bytes[size]["plain"] / 1000])]
        details["sizes"][str(size)] = {
            "notes_with_index": summary.notes,
            "calculators": summary.calculators,
            "warnings_ours": [a.warnings for a in atlas],
            "warnings_plain": [b.warnings for b in baseline],
        }
    # Growth between the two largest sizes when the larger is twice the smaller (1,000 -> 2,000 in a
    # full run). Ours comes from pairs of builds run back to back (_growth_pairs); plain Material's own
    # growth beside it, from the rounds above, says how much of a square in the note count is the theme's.
    if len(sizes) >= 2 and sizes[-1] == 2 * sizes[-2]:
        small, big = sizes[-2], sizes[-1]
        if small in page_bytes and big in page_bytes:
            for kind in ("ours", "plain"):
                figures.append(figure(f"build.bytes_growth.{kind}.{small}_to_{big}", "ratio",
                                      [page_bytes[big][kind] / page_bytes[small][kind]],
                                      goal=BYTES_GROWTH_GOAL if kind == "ours" else None,
                                      note=f"bytes per page at {big:,} notes / at {small:,}"))
        walls, cpus = _growth_pairs(project, {small: vaults[small], big: vaults[big]}, work, growth_pairs, say,
                                    errors)
        details["growth_pairs"] = [{"order": order, "ours_s": pair} for order, pair in walls]
        figures.append(figure(f"build.growth.ours.{small}_to_{big}", "ratio",
                              [pair[big] / pair[small] for _, pair in walls], goal=GROWTH_GOAL,
                              note=f"our build time at {big:,} notes / at {small:,}, in pairs of builds run "
                                   "back to back"))
        figures.append(figure(f"build.growth_cpu.ours.{small}_to_{big}", "ratio",
                              [pair[big] / pair[small] for _, pair in cpus],
                              note=f"our build CPU seconds at {big:,} notes / at {small:,}, same pairs"))
        pairs = list(zip(plain_walls[small], plain_walls[big]))
        figures.append(figure(f"build.growth.plain.{small}_to_{big}", "ratio",
                              [large / little for little, large in pairs],
                              note=f"plain build time at {big:,} notes / at {small:,}, paired by round"))
        pairs = list(zip(plain_cpu[small], plain_cpu[big]))
        figures.append(figure(f"build.growth_cpu.plain.{small}_to_{big}", "ratio",
                              [large / little for little, large in pairs],
                              note=f"plain build CPU seconds at {big:,} notes / at {small:,}"))
    return {"figures": figures, "details": details, "errors": errors}


def _growth_pairs(project: Path, vaults: dict[int, Path], work: Path, pairs: int, say, errors: list[str],
                  ) -> tuple[list[tuple[str, dict[int, float]]], list[tuple[str, dict[int, float]]]]:
    """Give back ``pairs`` pairs of our build times (wall, then CPU) at the two sizes of ``vaults``.

    The size rounds above put minutes of other builds (plain Material's 2,000-note build alone takes
    two) between our build at one size and at the next, and this machine's speed drifts by 20% over
    minutes: a growth ratio taken across that gap measured the drift as much as the build. Within a
    pair the two builds follow each other, and the pairs alternate which size goes first.
    """
    walls: list[tuple[str, dict[int, float]]] = []
    cpus: list[tuple[str, dict[int, float]]] = []
    small, big = sorted(vaults)
    for index in range(pairs):
        order = [small, big] if index % 2 == 0 else [big, small]
        wall: dict[int, float] = {}
        cpu: dict[int, float] = {}
        for size in order:
            run = run_build(project, vaults[size], work / "sites" / f"atlas-{size}",
                            work / "logs" / f"growth-{size}-{index}.log")
            if run.returncode != 0:
                errors.append(f"growth build of {size} notes failed ({run.returncode}): {_last_error(run)}")
                break
            wall[size], cpu[size] = run.wall_s, run.cpu_s
        else:
            label = " then ".join(f"{size:,}" for size in order)
            walls.append((label, wall))
            cpus.append((label, cpu))
            say(f"  growth pair {index + 1}/{pairs} ({label} notes): {wall[small]:6.2f} s and "
                f"{wall[big]:6.2f} s, {wall[big] / wall[small]:.2f}x")
    return walls, cpus
