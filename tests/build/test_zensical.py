"""The bundled vault built by Zensical (0.0.73), Material's successor, from zensical.toml.

Zensical runs our Markdown extensions but not the atlas plugin, so this is the vault as zensical.toml
wires it: Obsidian syntax, build-time figures and data tables, and prerendered calculators (results and
charts computed by the engine in CPython), without the live runtime. Zensical keeps its site inside the
project folder, so the project (zensical.toml, docs/, data/) is copied to a temporary one first.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

ZENSICAL = Path(sys.executable).with_name("zensical")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    """The bundled vault built with `zensical build`: (site folder, the build's output)."""
    project = tmp_path_factory.mktemp("zensical")
    shutil.copy(ROOT / "zensical.toml", project)
    shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns(".obsidian"))
    shutil.copytree(ROOT / "data", project / "data")
    result = subprocess.run([str(ZENSICAL), "build"], cwd=project, capture_output=True, text=True, timeout=300,
                            env={"PATH": str(ZENSICAL.parent) + ":/usr/bin:/bin", "NO_COLOR": "1"})
    return project / "site", result


def test_zensical_builds_the_bundled_vault(zensical_site):
    """`zensical build` succeeds and writes a page for every note of docs/."""
    site, result = zensical_site
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Build finished" in result.stdout + result.stderr
    notes = [p.relative_to(ROOT / "docs").with_suffix("") for p in (ROOT / "docs").rglob("*.md")]
    missing = [str(note) for note in notes if note.name != "index" and not (site / note / "index.html").is_file()]
    assert missing == []


def test_calculators_are_prerendered_with_their_figures(zensical_site):
    """A calculator shows the engine's results and its chart; the facts come from data/ without the plugin."""
    site, _ = zensical_site
    page = (site / "Rented GPU cost" / "index.html").read_text(encoding="utf-8")
    assert '<dd data-output="cost_per_million_tokens" data-value="32.40740740740741">$32.41</dd>' in page
    personas = (site / "Costs" / "Two personas" / "index.html").read_text(encoding="utf-8")
    assert personas.count('<svg class="atlas-chart"') == 2
    assert "could not be shown" not in page + personas


def test_figures_and_data_tables_are_computed(zensical_site):
    """Figures named in a note's front matter resolve (Zensical's page tells the extension which note),
    and data tables list rows of data/ with their source."""
    site, result = zensical_site
    payback = (site / "Costs" / "Break-even and payback" / "index.html").read_text(encoding="utf-8")
    assert '<span class="atlas-figure" title="=light.cost_over_months_usd|usd0">$720</span>' in payback
    tables = (site / "Reference" / "Price tables" / "index.html").read_text(encoding="utf-8")
    assert '<div class="atlas-datatable" data-table="gpus">' in tables and "<th>As of</th><th>Source</th>" in tables
    every_page = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "figure error" not in every_page and "figure error" not in result.stdout + result.stderr


def test_obsidian_links_resolve_and_no_runtime_is_shipped(zensical_site):
    """Wikilinks are links to the notes' pages; the live runtime (a plugin's work) is not in the site."""
    site, _ = zensical_site
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a class="obsidian-link" href="Costs/Two%20personas/">Two personas</a>' in home
    assert not (site / "assets" / "pyodide").exists() and not (site / "assets" / "atlas").exists()
    assert "widgets.js" not in home
