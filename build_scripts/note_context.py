"""Which note is being rendered, so a fence or an inline figure can name the note and line of a fault.

Python-Markdown knows nothing of files. The atlas plugin records each note (path and full text,
front matter included) before MkDocs renders it; pages render one at a time. Without the plugin
(plain Python-Markdown, another site generator) nothing is recorded and messages name the block alone.
"""

from __future__ import annotations

import re

_current: dict[str, str] = {}


def set_current_note(path: str, markdown_source: str) -> None:
    """Record the note about to be rendered and its full text."""
    _current.clear()
    _current.update(path=path, source=markdown_source)


def current_note() -> tuple[str | None, str | None]:
    """Give back (path, full text) of the note being rendered, or (None, None) outside the plugin."""
    return _current.get("path"), _current.get("source")


def where_fence(fence_name: str, block_source: str) -> str:
    """Give back "note.md, line N: " for the ``fence_name`` fence holding ``block_source``.

    Fences nested in callouts or block quotes (lines starting with ">") are found too.
    """
    path, source = current_note()
    if not path:
        return ""
    if source is None:
        return f"{path}: "
    lines = source.splitlines()
    body = [entry.strip() for entry in block_source.strip("\n").splitlines()]
    opening = re.compile(r"\s*(?:>\s*)*(`{3,}|~{3,})\s*" + re.escape(fence_name) + r"\b")
    for number, line in enumerate(lines):
        if opening.match(line):
            following = [re.sub(r"^\s*(?:>\s?)*", "", entry).strip()
                         for entry in lines[number + 1: number + 1 + len(body)]]
            if following == body:
                return f"{path}, line {number + 1}: "
    return f"{path}: "
