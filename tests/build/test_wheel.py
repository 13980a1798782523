"""The plugin as a user installs it: the wheel, in a fresh virtual environment outside the repository,
building a small vault of a project whose mkdocs.yml says no more than `theme: material` and
`plugins: [search, atlas]`.

The dependencies come from a wheelhouse in .cache/wheelhouse, filled from PyPI the first time (at the
versions requirements.txt pins) and read without the network afterwards. The standard library's
bytecode for Pyodide is seeded from the repository's own build cache when it has one: it is Pyodide's
file, not ours, and compiling it takes ten seconds. The engine's bytecode and the start-up snapshot are
made by the installed package, with its own Node helpers and the runtime the wheel carries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

WHEELHOUSE = ROOT / ".cache" / "wheelhouse"
REQUIREMENTS = ROOT / "requirements.txt"

CONFIG = "site_name: Field notes\ntheme: material\nplugins: [search, atlas]\n"

#: A vault as Obsidian keeps one: no index.md, a folder, a wikilink, and one calculator.
VAULT = {
    "Rented GPUs.md": ("# Rented GPUs\n\nSee [[Reading list]].\n\n"
                       "```calculator\nwidget: rental-cost\ninputs:\n  hourly_price_usd: 3.5\n"
                       "  tokens_per_second: 100\n  utilisation_percent: 30\n```\n"),
    "Reading list.md": "# Reading list\n\nNothing yet.\n",
    "Projects/Plan.md": "# Plan\n\nA [[Rented GPUs|link back]].\n",
}


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    """Give back the finished ``command`` (output captured, not checked)."""
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=600, **kwargs)


def checked(command: list, **kwargs) -> subprocess.CompletedProcess:
    """Give back the finished ``command``, which must succeed."""
    result = run(command, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def install(python: Path, wheel: Path) -> None:
    """Install ``wheel`` and its dependencies into the environment of ``python``, from the wheelhouse."""
    command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", REQUIREMENTS,
               "--no-index", "--find-links", WHEELHOUSE, wheel]
    if run(command).returncode != 0:  # a first run, or new dependencies: fetch them once
        checked([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                 "-c", REQUIREMENTS, "--dest", WHEELHOUSE, wheel])
        for copy in WHEELHOUSE.glob("inference_cost_atlas-*.whl"):  # only the dependencies are kept
            copy.unlink()
        checked(command)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel .` builds from the repository."""
    dist = tmp_path_factory.mktemp("dist")
    checked([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "--wheel-dir", dist, ROOT])
    (built,) = dist.glob("inference_cost_atlas-*.whl")
    return built


@pytest.fixture(scope="module")
def project(wheel, tmp_path_factory):
    """A fresh virtual environment with the wheel installed, and a user's project built with it:
    (project folder, site-packages, build result)."""
    base = tmp_path_factory.mktemp("user")
    assert not base.resolve().is_relative_to(ROOT.resolve())
    venv = base / "venv"
    checked([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    install(python, wheel)
    project = base / "project"
    for name, text in VAULT.items():
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(text, encoding="utf-8")
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    seeded = sorted((ROOT / ".cache" / "atlas" / "pyc").glob("python_stdlib-*.zip"))
    if seeded:
        (project / ".cache" / "atlas" / "pyc").mkdir(parents=True)
        shutil.copy(seeded[-1], project / ".cache" / "atlas" / "pyc")
    site_packages = Path(checked([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                                 ).stdout.strip())
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("ATLAS_", "PYTHON"))}
    result = run([venv / "bin" / "mkdocs", "build"], cwd=project, env=environment | {"NO_MKDOCS_2_WARNING": "1"})
    return project, site_packages, result


def test_the_wheel_carries_every_module_and_file_the_plugin_uses(wheel):
    """Every module of build_scripts/ and calculators/, under its installed name, and every asset,
    template, stylesheet, Node helper, runtime file and default fact they read."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {f"atlas_mkdocs/{p.relative_to(ROOT / 'build_scripts').as_posix()}"
                for p in (ROOT / "build_scripts").rglob("*") if p.is_file() and "__pycache__" not in p.parts
                and p.suffix != ".sh"}
    expected |= {f"atlas_mkdocs/engine/{p.relative_to(ROOT / 'calculators').as_posix()}"
                 for p in (ROOT / "calculators").rglob("*.py") if "__pycache__" not in p.parts}
    expected |= {f"atlas_mkdocs/pyodide/{name}" for name in (
        "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", "package.json")}
    expected |= {f"atlas_mkdocs/default_data/{p.name}" for p in (ROOT / "data").glob("*.yaml")}
    assert {"atlas_mkdocs/overrides/partials/nav-item.html", "atlas_mkdocs/runtime/pyodide_snapshot.mjs",
            "atlas_mkdocs/hosting/assets/sw.js", "atlas_mkdocs/obsidian/obsidian.css"} <= expected
    assert sorted(expected - names) == []
    assert {name.split("/")[0] for name in names} == {"atlas_mkdocs", "inference_cost_atlas-0.1.0.dist-info"}
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read("inference_cost_atlas-0.1.0.dist-info/entry_points.txt").decode()
    assert "[mkdocs.plugins]\natlas = atlas_mkdocs.plugin:AtlasPlugin\n" in entry_points


def test_installed_names_say_what_they_are(project):
    """site-packages holds atlas_mkdocs (the engine as atlas_mkdocs.engine), no build_scripts or calculators."""
    _, site_packages, _ = project
    assert (site_packages / "atlas_mkdocs" / "engine" / "widgets.py").is_file()
    assert not (site_packages / "build_scripts").exists() and not (site_packages / "calculators").exists()


def test_a_users_vault_builds_with_the_installed_plugin(project):
    """The build succeeds; its only warning is the one about the missing site_url."""
    _, _, result = project
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert warnings == ["WARNING -  site_url is not set: Material's instant navigation, the sitemap, robots.txt "
                        "and social previews need it. Set SITE_URL, e.g. SITE_URL=https://you.github.io/repo/."]
    assert "Traceback" not in result.stderr


def test_the_vault_without_index_gets_a_home_page_listing_its_notes(project):
    """The root lists every note by folder, linked by title; the site's name is the user's."""
    root, _, _ = project
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Field notes</title>" in home and '<div class="atlas-home">\n<h1>Field notes</h1>' in home
    assert '<p>3 notes in this vault.</p>' in home
    assert ('<ul class="atlas-home__notes"><li><a href="Reading%20list/">Reading list</a></li>'
            '<li><a href="Rented%20GPUs/">Rented GPUs</a></li></ul>') in home
    assert '<h2>Projects</h2><ul class="atlas-home__notes"><li><a href="Projects/Plan/">Plan</a></li></ul>' in home
    assert "Inference Cost Atlas" not in home


def test_the_calculator_is_prerendered_and_its_runtime_comes_from_the_wheel(project):
    """The engine computed the block's results at build time; the Pyodide runtime in the site is the one
    the wheel carries, beside the engine wheel, its lock file and the start-up snapshot."""
    root, site_packages, _ = project
    site = root / "site"
    page = (site / "Rented GPUs" / "index.html").read_text(encoding="utf-8")
    assert '<dd data-output="cost_per_million_tokens" data-value="32.40740740740741">$32.41</dd>' in page
    assert '<p>See <a class="obsidian-link" href="../Reading%20list/">Reading list</a>.</p>' in page
    assert '<script src="../assets/atlas/widgets.js" type="module"></script>' in page
    wasm = site / "assets" / "pyodide" / "pyodide.asm.wasm"
    assert wasm.read_bytes() == (site_packages / "atlas_mkdocs" / "pyodide" / "pyodide.asm.wasm").read_bytes()
    engine = site / "assets" / "atlas" / "engine"
    (engine_wheel,) = engine.glob("atlas_calculators-*.whl")
    with zipfile.ZipFile(engine_wheel) as archive:
        assert "atlas_mkdocs/engine/widgets.pyc" in archive.namelist()
    assert len(list(engine.glob("startup-*.snapshot"))) == 1
    assert "assets/pyodide/pyodide.asm.wasm" in (site / "sw.js").read_text(encoding="utf-8")


def test_build_caches_live_beside_the_users_mkdocs_yml(project):
    """The engine wheel and the snapshot are cached in the project's .cache/atlas, never in site-packages."""
    root, site_packages, _ = project
    cache = root / ".cache" / "atlas"
    assert list(cache.glob("atlas_calculators-*.whl")) and list((cache / "snapshot").glob("startup-*.snapshot"))
    assert not list(site_packages.glob("**/.cache"))
