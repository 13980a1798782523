"""Each Material workaround can be switched off on its own (`material:` under the atlas plugin), and then
the site is as Material makes it: its own navigation macro, its own search worker, search reading all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import atlas_mkdocs.material.manager as manager
from atlas_mkdocs.material.nav_cache import NavCache
from atlas_mkdocs.material.search_excluded import hold_excluded
from atlas_mkdocs.material.search_gate import GATE
from tests.helpers import ROOT

NOTES = {
    "index.md": "# Home\n\n![[Costs]]\n\nSee [[Costs]].\n",
    "Costs.md": "# Costs\n\nA rented GPU, by the hour.\n\n```calculator\nwidget: rental-cost\n```\n",
}


def _build(tmp_path: Path, monkeypatch, **switches) -> tuple[Path, dict[str, int]]:
    """Build a two-note vault with a calculator and an embed, with the workarounds ``switches`` set;
    give back the site and how often each workaround ran."""
    vault, site = tmp_path / "vault", tmp_path / "site"
    vault.mkdir(parents=True)
    for name, text in NOTES.items():
        (vault / name).write_text(text, encoding="utf-8")
    ran = {"nav_cache": 0, "hold": 0}

    class CountingNavCache(NavCache):
        def __init__(self):
            ran["nav_cache"] += 1
            super().__init__()

    def counting_hold(html):
        ran["hold"] += 1
        return hold_excluded(html)

    monkeypatch.setattr(manager, "NavCache", CountingNavCache)
    monkeypatch.setattr(manager, "hold_excluded", counting_hold)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    atlas = {"calculators": True, "compile_bytecode": False, "startup_snapshot": False, "catalogue": False,
             "cache_dir": str(tmp_path / "cache"), "material": switches}
    build(load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(vault), site_dir=str(site),
                      plugins=["search", {"atlas": atlas}]))
    return site, ran


def _search_config(page: str) -> str:
    """Give back the search worker's address in a page's Material `__config`."""
    config = page[page.index('<script id="__config" type="application/json">'):]
    return json.loads(config[config.index(">") + 1:config.index("</script>")])["search"]


def test_every_workaround_is_on_by_default(tmp_path, monkeypatch):
    """By default the navigation is cached, search's skipped content is held aside, and the page with a
    calculator names the gate instead of Material's search worker."""
    site, ran = _build(tmp_path, monkeypatch)
    assert ran["nav_cache"] == 1 and ran["hold"] == 2
    assert (site / GATE).is_file()
    assert _search_config((site / "Costs" / "index.html").read_text(encoding="utf-8")) == f"../{GATE}"


@pytest.mark.parametrize("switch", ["nav_cache", "search_gate", "search_excluded"])
def test_each_workaround_switches_off_alone(tmp_path, monkeypatch, switch):
    """`material: {SWITCH: false}` turns that workaround off and leaves the others on; search's index is
    the same either way."""
    site, ran = _build(tmp_path / "off", monkeypatch, **{switch: False})
    default, _ = _build(tmp_path / "on", monkeypatch)
    assert ran["nav_cache"] == (0 if switch == "nav_cache" else 1)
    assert ran["hold"] == (0 if switch == "search_excluded" else 2)
    page = (site / "Costs" / "index.html").read_text(encoding="utf-8")
    if switch == "search_gate":
        assert not (site / GATE).exists()
        assert _search_config(page).startswith("../assets/javascripts/workers/search.")
    else:
        assert _search_config(page) == f"../{GATE}"
    index = site / "search" / "search_index.json"
    assert index.read_bytes() == (default / "search" / "search_index.json").read_bytes()
