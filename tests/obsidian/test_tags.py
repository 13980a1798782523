"""Tags as Obsidian counts them: case-insensitive, frontmatter and inline merged, nested tags under parents."""

from __future__ import annotations

import os
import re

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from atlas_mkdocs.obsidian.vault import VaultIndex
from tests.obsidian.test_build import site_config
from tests.robustness.corpus import write

VAULT = {
    "index.md": "# Home\n\n<!-- material/tags -->\n",
    "Alpha.md": "---\ntags: [Band]\n---\n# Alpha\n\nInline #music/rock/indie too.\n",
    "Beta.md": "# Beta\n\nA #band note, and #BAND again.\n",
    "Gamma.md": "---\ntags: music, Live\n---\n# Gamma\n\n#MUSIC/jazz\n",
}


def test_page_tags_merge_spellings_and_count_parents():
    """One spelling per tag across the vault (the most used), parents of nested tags after the note's own."""
    index = VaultIndex.from_sources(VAULT)
    assert index.page_tags(index.notes["Alpha.md"]) == ["Band", "music/rock/indie", "music", "music/rock"]
    assert index.page_tags(index.notes["Beta.md"]) == ["Band"]
    assert index.page_tags(index.notes["Gamma.md"]) == ["music", "Live", "music/jazz"]


@pytest.fixture(scope="module")
def listing(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("tags")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    build(load_config(str(site_config(tmp_path, write(tmp_path / "vault", VAULT)))))
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<span class="md-tag">([^<]*)</span>.*?<ul>(.*?)</ul>', html, re.DOTALL)
    return {tag: sorted(re.findall(r"<a href=\"[^\"]*\">\s*([^<]*?)\s*</a>", items)) for tag, items in sections}


def test_one_tag_page_entry_per_tag_whatever_its_case(listing):
    """#Band, #band and tags: [Band] are one tag, listing both notes; nested tags list under their parents."""
    assert listing == {
        "Band": ["Alpha", "Beta"],
        "Live": ["Gamma"],
        "music": ["Alpha", "Gamma"],
        "music/jazz": ["Gamma"],
        "music/rock": ["Alpha"],
        "music/rock/indie": ["Alpha"],
    }


def test_emoji_and_symbols_are_tag_characters_as_in_obsidian():
    """Obsidian's "Tag format": letters, digits, _ - / and "commonly accepted Unicode characters, including
    emojis"; punctuation and markup end a tag (kepano's vault tags its evergreen notes "0🌲")."""
    index = VaultIndex.from_sources({
        "Tree.md": "---\ntags:\n  - 0🌲\n---\n# Tree\n\nSee #🌲/oak, #über. And #1984, #a<b>, #done.\n",
    })
    note = index.notes["Tree.md"]
    assert index.page_tags(note) == ["0🌲", "🌲/oak", "über", "a", "done", "🌲"]
    assert note.rejected_tags == ()
