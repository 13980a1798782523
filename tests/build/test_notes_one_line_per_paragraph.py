"""Our notes read right under the vault's own rule: a single line break is kept, as in Obsidian.

So a paragraph or list item is written on one line; a line that continues the one before it shows as
a break in mid-sentence on the page. Only a break meant as one (a demonstration of the rule) may stay.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT

#: Lines that open a block of their own rather than continue the line before them.
_BLOCK = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|\||>|```|~~~|%%|!\[\[|<!--|\^[\w-]+$|\$\$)")
#: Breaks written on purpose, as (note, the line that follows the break).
MEANT = {("Obsidian syntax.md", "as in Obsidian (the `strict_line_breaks` option restores strict Markdown).")}


def continued_lines(path) -> list[str]:
    """Give back each line of a note that continues the paragraph or list item of the line before it."""
    found, fence, previous = [], None, ""
    text = path.read_text()
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    for line in body.splitlines():
        opener = re.match(r"^\s*(?:>\s*)*(`{3,}|~{3,})", line)
        if opener:
            fence = None if fence and opener.group(1).startswith(fence) else (fence or opener.group(1))
        elif fence is None and line.strip() and previous.strip() and not _BLOCK.match(line) \
                and not _BLOCK.match(previous) and (path.name, line.strip()) not in MEANT:
            found.append(line)
        previous = "" if opener or fence else line
    return found


NOTES = sorted(str(path.relative_to(ROOT / "docs")) for path in (ROOT / "docs").rglob("*.md"))


@pytest.mark.parametrize("note", NOTES)
def test_paragraphs_are_one_line_each(note):
    """The note has no paragraph or list item broken over two lines (Obsidian syntax: but the one it shows)."""
    assert continued_lines(ROOT / "docs" / note) == []


def test_a_hard_wrapped_paragraph_is_found(tmp_path):
    """The check sees a paragraph broken over lines, and leaves code, tables and lists alone."""
    note = tmp_path / "Note.md"
    note.write_text("---\ntitle: x\n---\n# Note\n\nOne sentence broken\nover two lines.\n\n"
                    "```\ncode line\nnext code line\n```\n\n| a |\n| b |\n\n- item\n- item\n")
    assert continued_lines(note) == ["over two lines."]
