"""The sample vault (tests/vaults/sample) built by MkDocs with the atlas and tags plugins."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "vaults" / "sample"


def site_config(tmp_path: Path, vault: Path, **extra) -> Path:
    """Write a mkdocs.yml for ``vault`` with the site's markdown_extensions and plugins [atlas, tags]."""
    config = {
        "site_name": "Sample", "site_url": "http://127.0.0.1:8000/", "docs_dir": str(vault),
        "site_dir": str(tmp_path / "site"), "theme": {"name": "material", "font": False},
        "plugins": ["search", "atlas", "tags"],
        **extra,
    }
    text = yaml.safe_dump(config) + MARKDOWN_EXTENSIONS
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _markdown_extensions() -> str:
    """Give back the markdown_extensions block of the project's mkdocs.yml, verbatim."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return text[text.index("markdown_extensions:"):]


MARKDOWN_EXTENSIONS = _markdown_extensions()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the sample vault once; give back (site dir, log records)."""
    tmp_path = tmp_path_factory.mktemp("sample")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        build(load_config(str(site_config(tmp_path, SAMPLE))))
    finally:
        logger.removeHandler(handler)
    return tmp_path / "site", records


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_clean_vault_builds_without_warnings(built):
    """Every link, embed and tag of the sample vault resolves: no warning at all."""
    _, records = built
    warnings = [r.getMessage() for r in records if r.levelno >= logging.WARNING
                and "failed to parse top level import name" not in r.getMessage()]  # the engine bundler's
    assert warnings == []


def test_links_are_page_urls_relative_and_encoded(built):
    """Wikilinks land on directory URLs, relative to the page, percent-encoded, with fragments."""
    site, _ = built
    html = (site / "index.html").read_text(encoding="utf-8")
    for href in ('href="Archive/Plan/"', 'href="Costs/#per-month"', 'href="Costs/#a-header-with-a-colon"',
                 'href="Costs/#^total"', 'href="#callouts"', 'href="Q%26A%20100%25%20done%3F/"',
                 'href="custom/url/"', 'src="Media/chart.png"'):
        assert href in html, href
    assert '<td><a class="obsidian-link" href="Costs/">the costs</a></td>' in html
    assert "A comment" not in html and "<mark" in html and "<br" in html


def test_unpublished_notes_and_their_attachments_are_gone(built):
    """Drafts, publish: false, their private attachment and hidden folders are nowhere in the site."""
    site, _ = built
    assert not (site / "Draft").exists() and not (site / "Hidden").exists()
    assert not (site / "Media" / "secret.png").exists() and (site / "Media" / "chart.png").exists()
    assert not (site / ".obsidian").exists() and not (site / ".trash").exists()
    everything = (site / "search" / "search_index.json").read_text() + (site / "sitemap.xml").read_text()
    everything += page(site, "tags") + (site / "index.html").read_text()
    for leaked in ("Secret draft", "Draft/", "Hidden/", "hidden-tag", "secret.png"):
        assert leaked not in everything, leaked


def test_tags_reach_the_tags_plugin(built):
    """Frontmatter and inline tags are merged and listed by Material's tags plugin."""
    site, _ = built
    listing = page(site, "tags")
    for tag in ("home", "sample", "nested/tag", "costs", "money", "planning"):
        assert f">{tag}<" in listing, tag


def test_alias_redirect_permalink_and_backlinks(built):
    """An alias has a redirect page, a permalink moves the page, backlinks list linking pages."""
    site, _ = built
    assert 'url=../Costs/' in page(site, "Other name")
    assert "Served at a permalink" in page(site, "custom/url") and not (site / "Perma").exists()
    costs = page(site, "Costs")
    assert 'class="obsidian-backlinks"' in costs
    assert '<a href="../Archive/Plan/">Plan</a>' in costs and '<a href="../">Sample vault</a>' in costs


def test_broken_vault_fails_strict(tmp_path):
    """An unresolved link is a warning, so --strict fails the build and names note, line and target."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text("# Home\n\nSee [[Cots]].\n", encoding="utf-8")
    (vault / "Costs.md").write_text("# Costs\n", encoding="utf-8")
    config = load_config(str(site_config(tmp_path, vault)), strict=True)
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort, match="Aborted with 1 warnings in strict mode"):
        build(config)


def test_a_markdown_link_counts_as_a_backlink_where_it_lands(tmp_path):
    """A Markdown link that names a note by its name alone, from another folder, lands on it by Obsidian's
    rule, as the page renders it; the note it lands on lists the linking note among its backlinks."""
    vault = tmp_path / "vault"
    (vault / "Notes").mkdir(parents=True)
    (vault / "Costs.md").write_text("# Costs\n\nWhat it costs.\n", encoding="utf-8")
    (vault / "Notes" / "Deep.md").write_text("# Deep\n\nSee [the costs](Costs.md).\n", encoding="utf-8")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    build(load_config(str(site_config(tmp_path, vault))))
    site = tmp_path / "site"
    assert '<a href="../../Costs/">the costs</a>' in page(site, "Notes/Deep")
    assert ('<aside class="obsidian-backlinks" data-search-exclude=""><p class="obsidian-backlinks__title">'
            'Linked from</p><ul><li><a href="../Notes/Deep/">Deep</a></li></ul></aside>') in page(site, "Costs")
