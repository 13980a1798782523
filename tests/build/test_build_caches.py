"""The build's caches (navigation subtrees, embed renderers) give the pages the uncached build gives.

The one difference on purpose: the navigation the cache keeps has each whitespace run that holds a line
break folded to one line break (nav_cache._fold). Everything outside the primary navigation is the same
byte for byte, and the navigation is the same once such runs are folded on both sides.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import atlas_mkdocs.material.manager
from bench.build import project_theme
from bench.vault import generate_vault
from atlas_mkdocs.material.nav_cache import NavCache, _Section
from atlas_mkdocs.obsidian import embeds
from tests.helpers import ROOT

MATERIAL_NAV_ITEM = Path(__import__("material").__file__).parent / "templates" / "partials" / "nav-item.html"
OUR_NAV_ITEM = ROOT / "build_scripts" / "overrides" / "partials" / "nav-item.html"


def test_nav_item_override_is_materials_file_but_for_the_macro_name():
    """The override holds Material's nav-item.html as installed; only `render` is renamed, then wrapped."""
    ours = OUR_NAV_ITEM.read_text(encoding="utf-8")
    material = MATERIAL_NAV_ITEM.read_text(encoding="utf-8")
    body = ours[ours.index("-#}\n") + len("-#}\n"):ours.rindex("{#- Without the atlas plugin")]
    renamed = "{% macro render_uncached(nav_item, path, level, parent) %}"
    assert body.count(renamed) == 1
    assert body.replace(renamed, "{% macro render(nav_item, path, level, parent) %}") == material


def _vault(root: Path) -> Path:
    """A synthetic vault plus what the cache keys must tell apart: nesting, a folder index, permalinks
    out of a note's folder, embeds two deep, and footnotes and duplicate headings inside embeds."""
    generate_vault(root, 24)
    (root / "guides" / "deep" / "deeper").mkdir(parents=True)
    (root / "guides" / "deep" / "Nested.md").write_text(
        "# Nested\n\nSee [[Embedder]].\n\n![[Footnoted]]\n\n![[Footnoted]]\n", encoding="utf-8")
    (root / "guides" / "deep" / "deeper" / "Deepest.md").write_text(
        "# Deepest\n\n![[Nested]]\n\n## Section 1\n\n## Section 1\n", encoding="utf-8")
    (root / "guides" / "deep" / "index.md").write_text("# Deep guides\n\n[[Deepest]]\n", encoding="utf-8")
    (root / "apis" / "Embedder.md").write_text(
        "---\npermalink: elsewhere/embedder\n---\n# Embedder\n\n![[Nested]]\n", encoding="utf-8")
    # Pages whose folders lie inside another section's URLs: links to that section differ between them.
    (root / "guides" / "Intruder.md").write_text("---\npermalink: hardware/intruder/deeper\n---\n# Intruder\n",
                                                 encoding="utf-8")
    (root / "guides" / "Lodger.md").write_text(
        "---\npermalink: hardware/Note 0004 batching/lodger\n---\n# Lodger\n", encoding="utf-8")
    (root / "rentals" / "Footnoted.md").write_text(
        "# Footnoted\n\nA claim.[^1] [[Deepest#Section 1]]\n\n## Section 1\n\n[^1]: Its source.\n",
        encoding="utf-8")
    return root


def _build(vault: Path, site: Path, **config) -> dict[str, bytes]:
    """Build ``vault`` in this process with the project's mkdocs.yml; give back every HTML page's bytes."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    build(load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(vault), site_dir=str(site), **config))
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*.html"))}


def _uncached(monkeypatch) -> None:
    """Render as before the caches: Material's own macro, and a new Markdown for every embed."""
    monkeypatch.setattr(NavCache, "renderer", lambda self, render_uncached, page: render_uncached)
    monkeypatch.setattr(embeds, "embed_renderer", lambda session, page_md, depth: markdown.Markdown(
        extensions=session.extensions, extension_configs=session.extension_configs))


def _split_nav(page: bytes) -> tuple[str, str]:
    """Give back (the page without its primary navigation, that navigation's HTML: empty if it has none)."""
    html = page.decode("utf-8")
    start = html.find('<div class="md-sidebar md-sidebar--primary"')
    if start == -1:
        return html, ""
    end = html.index('<div class="md-content"', start)
    return html[:start] + html[end:], html[start:end]


def _folded(html: str) -> str:
    return re.sub(r"[ \t\r\f]*\n[ \t\r\n\f]*", "\n", html)


THEME = {**project_theme(), "custom_dir": str(ROOT / "build_scripts" / "overrides")}
FEATURES = THEME["features"]


@pytest.mark.parametrize("config", [
    {},
    {"use_directory_urls": False},
    # Every branch of Material's macro that looks at the current page or the parent.
    {"theme": {**THEME, "features": [*FEATURES, "navigation.tabs", "navigation.indexes", "navigation.prune"]}},
    {"theme": {**THEME, "features": [f for f in FEATURES if f != "navigation.sections"] + ["navigation.expand"]}},
    # A nav written out: links off the site and up out of it, a section of pages from three folders.
    {"nav": [{"Home": "index.md"},
             {"Mixed": ["hardware/Note 0004 batching.md", "apis/Note 0001 API pricing.md",
                        "guides/deep/deeper/Deepest.md", {"Off site": "https://example.com/x/"}]},
             {"Hardware": ["hardware/Note 0008 egress.md", "hardware/Note 0012 H100 rental.md"]},
             {"Links": [{"Up": "../outside/"}, {"Mail": "mailto:atlas@example.com"}]},
             "guides/Intruder.md", "guides/Lodger.md", "guides/deep/Nested.md", "apis/Embedder.md"]},
], ids=["directory-urls", "file-urls", "tabs-indexes-prune", "expand", "written-nav"])
def test_cached_build_gives_the_same_pages(tmp_path, monkeypatch, config):
    """Every page of a vault is the same with the caches as without them (the navigation but for its
    folded whitespace), and the nav cache served some."""
    vault = _vault(tmp_path / "vault")
    macro_calls = {"cached": 0, "uncached": 0}
    mode = "cached"

    class CountingNavCache(NavCache):
        def renderer(self, render_uncached, page):
            def counted(*arguments):
                macro_calls[mode] += 1
                return render_uncached(*arguments)
            return super().renderer(counted, page)

    monkeypatch.setattr(atlas_mkdocs.material.manager, "NavCache", CountingNavCache)
    sections = {"assembled": 0, "child by child": 0}
    assemble, record = _Section.assemble, _Section._record

    def counted_assemble(self, *arguments):
        html = assemble(self, *arguments)
        sections["assembled"] += html is not None
        return html

    def counted_record(self, *arguments):
        sections["child by child"] += 1
        return record(self, *arguments)

    monkeypatch.setattr(_Section, "assemble", counted_assemble)
    monkeypatch.setattr(_Section, "_record", counted_record)
    cached = _build(vault, tmp_path / "cached", **config)
    mode = "uncached"
    with monkeypatch.context() as patch:
        _uncached(patch)  # CountingNavCache still counts: the uncached renderer is its counting macro
        uncached = _build(vault, tmp_path / "uncached", **config)

    assert len(cached) > 30
    assert sorted(cached) == sorted(uncached)
    outside = [name for name in cached if _split_nav(cached[name])[0] != _split_nav(uncached[name])[0]]
    assert outside == []
    navs = {name: (_split_nav(cached[name])[1], _split_nav(uncached[name])[1]) for name in cached}
    assert sum(1 for ours, theirs in navs.values() if ours and theirs) > 30  # all but the redirect stubs
    different = [name for name, (ours, theirs) in navs.items() if _folded(ours) != _folded(theirs)]
    assert different == []
    # The folding did its work: the navigation the cache served is smaller by its indentation.
    assert sum(len(ours) for ours, _ in navs.values()) < 0.8 * sum(len(theirs) for _, theirs in navs.values())
    deepest = "guides/deep/deeper/Deepest" + (".html" if "use_directory_urls" in config else "/index.html")
    assert cached[deepest].decode().count('class="obsidian-embed"') == 3  # Nested, and Footnoted twice in it
    # The cache did the work it is for: fewer renders of Material's macro than without it (pruning
    # leaves less to spare, as it renders little of each section but the current page's).
    # And the current section came in slices of its joined HTML on most pages of a folder (the written
    # nav's sections are too small and mixed for that).
    if "nav" not in config:
        assert sections["assembled"] - sections["child by child"] >= 10
    assert 0 < macro_calls["cached"] * (1 if "navigation.prune" in str(config) else 3) < macro_calls["uncached"]


def test_fold_keeps_everything_but_indentation():
    """Runs holding a line break become one line break; other spaces, U+00A0 and preformatted subtrees stay."""
    from markupsafe import Markup

    from atlas_mkdocs.material.nav_cache import _fold

    html = Markup('<li class="md-nav__item">\n      <a href="x/">\n  \n    <span>A  B\u00a0\n C</span>\t\n</a>\n</li>')
    folded = _fold(html)
    assert isinstance(folded, Markup)
    assert str(folded) == '<li class="md-nav__item">\n<a href="x/">\n<span>A  B\u00a0\nC</span>\n</a>\n</li>'
    for tag in ("<pre>", "<code>", "<textarea>"):
        kept = Markup(f"<li>\n    {tag}a\n    b</li>")
        assert _fold(kept) is kept
