"""The build session: data/ read once per build, the page being rendered named in messages, and nothing
kept on the Markdown instance (a calculator's number is counted in its own document)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import markdown
from mkdocs.commands.build import build
from mkdocs.config import load_config

import atlas_mkdocs.session
from atlas_mkdocs.runtime.calculator_fence import format_calculator
from atlas_mkdocs.session import BuildSession
from tests.helpers import ROOT

CALCULATOR = "```calculator\nwidget: rental-cost\n```\n"


def test_a_build_reads_data_once(tmp_path: Path, monkeypatch):
    """The plugin, the figures, the data tables and the calculators of a build share one load of data/."""
    reads = []
    load = atlas_mkdocs.session.load_data
    monkeypatch.setattr(atlas_mkdocs.session, "load_data", lambda *a, **k: reads.append(a) or load(*a, **k))
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text(
        "# Home\n\nAn H100 holds `=data.gpus[h100-sxm].vram_gb` GB.\n\n"
        f"```datatable\ntable: gpus\ncolumns: [name, vram_gb]\nwhere: {{id: l4}}\n```\n\n{CALCULATOR}",
        encoding="utf-8")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    atlas = {"calculators": True, "compile_bytecode": False, "startup_snapshot": False, "catalogue": False,
             "data_dir": str(ROOT / "data"), "cache_dir": str(tmp_path / "cache")}
    build(load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(vault), site_dir=str(tmp_path / "site"),
                      plugins=["search", {"atlas": atlas}]))
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<span class="atlas-figure" title="=data.gpus[h100-sxm].vram_gb">80</span>' in page
    assert "<td>NVIDIA L4</td>" in page and '<div class="atlas-calculator" id="calc-1"' in page
    assert reads == [(ROOT / "data",)]


def test_calculators_are_numbered_in_their_own_document():
    """Two calculators are calc-1 and calc-2; the same Markdown, reset for its next document (as MkDocs
    makes one per page and the embeds reset theirs), starts again at calc-1, and nothing of ours is left
    on the Markdown instance."""
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs={"pymdownx.superfences": {
        "custom_fences": [{"name": "calculator", "class": "calculator", "format": format_calculator}]}})
    first = md.convert(f"{CALCULATOR}\nText.\n\n{CALCULATOR}")
    assert 'id="calc-1"' in first and 'id="calc-2"' in first and 'id="calc-3"' not in first
    second = md.reset().convert(CALCULATOR)
    assert 'id="calc-1"' in second and 'id="calc-2"' not in second
    assert [name for name in vars(md) if "atlas" in name] == []


def test_a_broken_block_names_the_page_and_its_line(caplog):
    """A calculator that cannot be shown is a warning naming the page being rendered and the fence's line,
    also inside a callout; outside any page it names the block alone."""
    session = BuildSession(data_dir=ROOT / "data")
    note = "---\ntitle: T\n---\n# T\n\n> [!note]\n> ```calculator\n> widget: rental-cots\n> ```\n"
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs={"pymdownx.superfences": {
        "custom_fences": [{"name": "calculator", "class": "calculator",
                           "format": lambda *a, **k: format_calculator(*a, session=session, **k)}]}})
    session.begin_page("Folder/T.md", note)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.atlas"):
        md.convert("```calculator\nwidget: rental-cots\n```\n")
        session.begin_page(None, None)
        md.convert("```calculator\nwidget: rental-cots\n```\n")
    assert [r.getMessage() for r in caplog.records] == [
        "Folder/T.md, line 7: calculator block names unknown widget 'rental-cots'. Did you mean 'rental-cost'?",
        "calculator block names unknown widget 'rental-cots'. Did you mean 'rental-cost'?"]
