"""A folder longer than the navigation's window shows that many of its notes around the page, and a link
to a page of the build's own that lists them all (build_scripts/material/nav_window.py)."""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

import atlas_mkdocs.material.manager
from atlas_mkdocs.material.nav_cache import NavCache
from atlas_mkdocs.material.nav_window import NavWindow
from bench.build import project_theme
from tests.helpers import ROOT

THEME = {**project_theme(), "custom_dir": str(ROOT / "build_scripts" / "overrides")}
FEATURES = THEME["features"]
#: One link of Material's navigation: (href, title), the page's own heading links ("#...") aside.
NAV_LINK = re.compile(r'<a href="([^"#]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>',
                      re.S)


def _rentals(number: int) -> str:
    return f"Note {number:03d}"


def _vault(root: Path, notes: int = 120) -> Path:
    """A home page, a folder of ``notes`` notes (and a draft and a private note beside them), a short folder."""
    (root / "rentals").mkdir(parents=True)
    (root / "guides").mkdir()
    (root / "index.md").write_text("# Home\n\nThe atlas.\n", encoding="utf-8")
    for number in range(1, notes + 1):
        (root / "rentals" / f"{_rentals(number)}.md").write_text(
            f"# {_rentals(number)}\n\nA rented GPU, offer {number}.\n", encoding="utf-8")
    (root / "rentals" / "Note 050 draft.md").write_text("---\ndraft: true\n---\n# Unfinished\n", encoding="utf-8")
    (root / "rentals" / "Note 051 private.md").write_text("---\npublish: false\n---\n# Private\n", encoding="utf-8")
    for name in ("Batching", "Power"):
        (root / "guides" / f"{name}.md").write_text(f"# {name}\n\nA guide.\n", encoding="utf-8")
    return root


def _build(vault: Path, site: Path, features: list[str] | None = None, **material) -> dict[str, str]:
    """Build ``vault`` with the project's mkdocs.yml and the ``material`` switches; give back every page's HTML."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    atlas = {"catalogue": False, "cache_dir": str(site.parent / "cache"), "material": material}
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(vault), site_dir=str(site),
                         plugins=["search", {"atlas": atlas}],
                         theme={**THEME, "features": FEATURES if features is None else features})
    build(config)
    return {str(path.relative_to(site)): path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))}


def _nav(page: str) -> str:
    """Give back a page's primary navigation."""
    start = page.index('<div class="md-sidebar md-sidebar--primary"')
    return page[start:page.index('<div class="md-content"', start)]


def _links(page: str) -> list[tuple[str, str]]:
    """Give back the (href, title) of each link in a page's primary navigation, in order."""
    return NAV_LINK.findall(_nav(page))


def _titles(page: str) -> list[str]:
    return [title for _, title in _links(page)]


@pytest.fixture(scope="module")
def windowed(tmp_path_factory):
    """The 120-note vault built with a window of 40, and the log records of its build."""
    root = tmp_path_factory.mktemp("windowed")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        pages = _build(_vault(root / "vault"), root / "site", nav_window=40)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return pages, records, root / "site"


def test_a_middle_page_lists_the_forty_notes_around_it_and_a_link_to_all(windowed):
    """Note 060 of 120: the rentals section holds Notes 041 to 080 and "All 120 notes in Rentals", nothing else."""
    pages, _, _ = windowed
    links = _links(pages["rentals/Note 060/index.html"])
    rentals = [title for _, title in links if title.startswith("Note ")]
    assert rentals == [_rentals(number) for number in range(41, 81)]
    assert ("../all-notes/", "All 120 notes in Rentals") in links
    assert [title for _, title in links] == ["Home", "Batching", "Power", *rentals, "All 120 notes in Rentals"]
    # The page's own entry is Material's active one, in the middle of the window.
    nav = _nav(pages["rentals/Note 060/index.html"])
    assert re.search(r'<a href="\./" class="md-nav__link md-nav__link--active">\s*<span class="md-ellipsis">\s*'
                     r'Note 060\s*</span>', nav)
    assert "Note 040" not in nav and "Note 081" not in nav


def test_the_first_and_last_pages_get_the_first_and_last_forty(windowed):
    pages, _, _ = windowed
    first = _titles(pages["rentals/Note 001/index.html"])
    assert first == ["Home", "Batching", "Power", *[_rentals(n) for n in range(1, 41)], "All 120 notes in Rentals"]
    assert [t for t in _titles(pages["rentals/Note 020/index.html"]) if t.startswith("Note")] == \
        [_rentals(n) for n in range(1, 41)]
    assert [t for t in _titles(pages["rentals/Note 021/index.html"]) if t.startswith("Note")] == \
        [_rentals(n) for n in range(1, 41)]
    # The window moves ten notes at a time (a quarter of it): the page stays within five of its middle.
    assert [t for t in _titles(pages["rentals/Note 025/index.html"]) if t.startswith("Note")] == \
        [_rentals(n) for n in range(1, 41)]
    assert [t for t in _titles(pages["rentals/Note 026/index.html"]) if t.startswith("Note")] == \
        [_rentals(n) for n in range(11, 51)]
    last = _titles(pages["rentals/Note 120/index.html"])
    assert last == ["Home", "Batching", "Power", *[_rentals(n) for n in range(81, 121)], "All 120 notes in Rentals"]


def test_a_page_outside_the_folder_shows_its_first_forty(windowed):
    """navigation.sections shows every top-level folder open: a long one elsewhere shows its first notes."""
    pages, _, _ = windowed
    for name in ("guides/Power/index.html", "index.html"):
        rentals = [(href, title) for href, title in _links(pages[name]) if title.startswith(("Note", "All"))]
        prefix = "rentals/" if name == "index.html" else "../../rentals/"
        assert rentals == [*[(f"{prefix}Note%20{n:03d}/", _rentals(n)) for n in range(1, 41)],
                           (f"{prefix}all-notes/", "All 120 notes in Rentals")]


def test_the_listing_page_lists_every_published_note_of_the_folder(windowed):
    pages, _, site = windowed
    listing = pages["rentals/all-notes/index.html"]
    assert "<title>All 120 notes in Rentals - Inference Cost Atlas</title>" in listing
    assert "<h1>All 120 notes in Rentals</h1>" in listing
    body = listing[listing.index('<ul class="atlas-listing">'):]
    body = body[:body.index("</ul>") + len("</ul>")]
    assert body == "\n".join(['<ul class="atlas-listing">',
                              *[f'<li><a href="../Note%20{n:03d}/">{_rentals(n)}</a></li>' for n in range(1, 121)],
                              "</ul>"])
    # The draft and the private note beside them are on no page, and in no list.
    assert not any("Unfinished" in page or "Private" in page or "draft" in name for name, page in pages.items())
    assert len([name for name in pages if name.startswith("rentals/")]) == 121
    # The listing is out of search (its titles are the notes' own) and out of the navigation as a section.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in index["docs"] if doc["location"].startswith("rentals/all-notes")]
    assert "Note 061" not in _nav(listing)


def test_a_windowed_site_builds_without_a_warning(windowed):
    """A clean vault: no warning about the listing pages (not in the nav, on purpose)."""
    _, records, _ = windowed
    assert [record.getMessage() for record in records if record.levelno >= logging.WARNING] == []


def test_the_window_is_off_at_zero_or_false(tmp_path):
    vault = _vault(tmp_path / "vault", notes=45)
    for value in (0, False):
        pages = _build(vault, tmp_path / f"site-{value}", nav_window=value)
        assert [t for t in _titles(pages["rentals/Note 030/index.html"]) if t.startswith("Note")] == \
            [_rentals(n) for n in range(1, 46)]
        assert "rentals/all-notes/index.html" not in pages
        assert "All 45 notes" not in pages["rentals/Note 030/index.html"]


def test_the_default_window_is_forty(tmp_path):
    pages = _build(_vault(tmp_path / "vault", notes=41), tmp_path / "site")
    assert [t for t in _titles(pages["rentals/Note 041/index.html"]) if t.startswith(("Note", "All"))] == \
        [*[_rentals(n) for n in range(2, 42)], "All 41 notes in Rentals"]
    # A folder of exactly forty is shown whole, and gets no listing.
    pages = _build(_vault(tmp_path / "vault-40", notes=40), tmp_path / "site-40")
    assert "rentals/all-notes/index.html" not in pages
    assert [t for t in _titles(pages["rentals/Note 040/index.html"]) if t.startswith(("Note", "All"))] == \
        [_rentals(n) for n in range(1, 41)]


def test_a_negative_window_is_refused_with_a_fix(tmp_path, caplog):
    with pytest.raises(Abort), caplog.at_level(logging.ERROR):
        load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(_vault(tmp_path / "vault", notes=1)),
                    plugins=["search", {"atlas": {"material": {"nav_window": -5}}}])
    assert ("nav_window is the number of notes a long folder shows around the page; got -5. Write a number such "
            "as 40, or 0 or false to show every note.") in caplog.text


def test_a_note_named_like_the_listing_keeps_its_page(tmp_path):
    """rentals/all-notes.md is the author's: the listing goes to all-notes-2, and the nav links there."""
    vault = _vault(tmp_path / "vault", notes=8)
    (vault / "rentals" / "all-notes.md").write_text("---\ntitle: My own list\n---\nHand-picked.\n", encoding="utf-8")
    pages = _build(vault, tmp_path / "site", nav_window=5)
    assert "Hand-picked." in pages["rentals/all-notes/index.html"]
    assert "<h1>All 9 notes in Rentals</h1>" in pages["rentals/all-notes-2/index.html"]
    assert '<li><a href="../all-notes/">My own list</a></li>' in pages["rentals/all-notes-2/index.html"]
    assert ("../all-notes-2/", "All 9 notes in Rentals") in _links(pages["rentals/Note 004/index.html"])


def test_a_folder_index_stays_the_sections_link(tmp_path):
    """Under navigation.indexes a folder's index.md is the section's own link, always shown; the window
    holds the notes beside it, and the listing lists the index first, as the navigation does."""
    vault = _vault(tmp_path / "vault", notes=12)
    (vault / "rentals" / "index.md").write_text("# Rentals overview\n\nAll offers.\n", encoding="utf-8")
    pages = _build(vault, tmp_path / "site", features=[*FEATURES, "navigation.indexes"], nav_window=5)
    links = _links(pages["rentals/Note 008/index.html"])
    # Material titles the section's link with the section's name, and links it to the index.
    assert [title for _, title in links] == ["Home", "Batching", "Power", "Rentals",
                                             *[_rentals(n) for n in range(6, 11)], "All 13 notes in Rentals"]
    assert links[3][0] == "../"
    listing = pages["rentals/all-notes/index.html"]
    assert listing.index('<li><a href="../">Rentals overview</a></li>') < listing.index(">Note 001</a>")
    assert "All offers." in pages["rentals/index.html"]


def test_a_long_subfolder_is_windowed_where_it_is_open(tmp_path):
    """Under navigation.prune a subfolder shows only its title unless it holds the page; open, it is windowed."""
    vault = _vault(tmp_path / "vault", notes=2)
    (vault / "rentals" / "spot").mkdir()
    for number in range(1, 13):
        (vault / "rentals" / "spot" / f"Spot {number:02d}.md").write_text(f"# Spot {number:02d}\n", encoding="utf-8")
    pages = _build(vault, tmp_path / "site", nav_window=5)
    assert "rentals/all-notes/index.html" not in pages  # rentals holds 2 notes and a folder
    inside = _titles(pages["rentals/spot/Spot 09/index.html"])
    assert inside == ["Home", "Batching", "Power", "Note 001", "Note 002",  # Spot is a label, not a link
                      "Spot 07", "Spot 08", "Spot 09", "Spot 10", "Spot 11", "All 12 notes in Spot"]
    beside = _nav(pages["rentals/Note 001/index.html"])
    assert "md-nav__item--pruned" in beside and "Spot 02" not in beside and "All 12 notes" not in beside
    assert "<h1>All 12 notes in Spot</h1>" in pages["rentals/spot/all-notes/index.html"]


def test_the_cache_serves_windows_as_material_renders_them(tmp_path, monkeypatch):
    """Every page's navigation is the same with the nav cache and without it (but for folded whitespace):
    its keys and the sections it keeps tell the windows apart. With it, Material's macro ran less than half as often."""
    vault = _vault(tmp_path / "vault", notes=60)
    (vault / "rentals" / "spot").mkdir()  # a long subfolder, windowed inside a windowed section
    for number in range(1, 31):
        (vault / "rentals" / "spot" / f"Spot {number:02d}.md").write_text(f"# Spot {number:02d}\n", encoding="utf-8")
    calls = {"cached": 0, "uncached": 0}

    def counting(renderer, mode):
        def counted_renderer(self, render_uncached, page):
            def counted(*arguments):
                calls[mode] += 1
                return render_uncached(*arguments)
            return renderer(self, counted, page)
        return counted_renderer

    monkeypatch.setattr(NavCache, "renderer", counting(NavCache.renderer, "cached"))
    monkeypatch.setattr(NavWindow, "renderer", counting(NavWindow.renderer, "uncached"))
    cached = _build(vault, tmp_path / "cached", nav_window=10)
    uncached = _build(vault, tmp_path / "uncached", nav_window=10, nav_cache=False)
    assert sorted(cached) == sorted(uncached)
    fold = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
    different = [name for name in cached if "md-sidebar--primary" in cached[name]
                 and fold.sub("\n", _nav(cached[name])) != fold.sub("\n", _nav(uncached[name]))]
    assert different == []
    assert [t for t in _titles(cached["rentals/Note 030/index.html"]) if t.startswith("Note")] == \
        [_rentals(n) for n in range(25, 35)]
    assert [t for t in _titles(cached["rentals/spot/Spot 21/index.html"]) if t.startswith(("Spot", "All"))] == \
        [*[f"Spot {n:02d}" for n in range(17, 27)], "All 30 notes in Spot", "All 90 notes in Rentals"]
    assert 0 < 2 * calls["cached"] < calls["uncached"]


def test_the_bundled_site_is_the_same_when_no_folder_reaches_the_window(tmp_path):
    """docs/ has no folder of more than 40 notes: every page is the same byte for byte with the window on."""
    def bundled(site: Path, window) -> dict[str, str]:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
        config.plugins["atlas"].config.material["nav_window"] = window
        build(config)
        return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}

    on, off = bundled(tmp_path / "on", 40), bundled(tmp_path / "off", False)
    assert len(on) > 20 and sorted(on) == sorted(off)
    assert [name for name in on if on[name] != off[name]] == []
    assert not any("all-notes" in name for name in on)
