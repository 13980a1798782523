"""The index's reading of a note: tags, headings, block ids and links, never from code or comments."""

from __future__ import annotations

from atlas_mkdocs.obsidian.scan import scan_note

NOTE = """---
tags: Alpha, beta
---
# Title #not-a-tag

Text #gamma and #ALPHA, not #1984, not `#code`, not [#x](u), not https://h/#frag %% #hidden %%.
A link [[Other#Part|alias]] and ![[pic.png|300]] and [md](Some%20note.md#x). ^blk-1

```bash
[[ -f x ]] && echo #not-a-tag
```
> [!note] #delta
"""


def test_tags_merge_frontmatter_and_inline_case_insensitively():
    """Frontmatter (comma string) and inline tags merge, first spelling kept, without duplicates."""
    assert scan_note(NOTE).tags == ["Alpha", "beta", "gamma", "delta"]


def test_frontmatter_tags_as_a_list():
    """A YAML list of tags, with or without '#', is read as tags."""
    assert scan_note("---\ntags: [a, '#b', c/d]\n---\n").tags == ["a", "b", "c/d"]


def test_links_headings_and_block_ids_with_file_lines():
    """Links, headings and block ids are found outside code, with their line in the file."""
    source = scan_note(NOTE)
    assert [(l.raw, l.line, l.embed, l.markdown) for l in source.links] == [("u", 6, False, True),
        ("Other#Part|alias", 7, False, False), ("pic.png|300", 7, True, False), ("Some%20note.md#x", 7, False, True)]
    assert [(h.level, h.text, h.line) for h in source.headings] == [(1, "Title #not-a-tag", 4)]
    assert source.block_ids == {"blk-1"}
