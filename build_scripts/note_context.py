"""Which note is being rendered, so a fence or an inline figure can name the note and line of a fault.

Python-Markdown knows nothing of files. The atlas plugin records each note (path and full text,
front matter included) before MkDocs renders it; pages render one at a time. Under Zensical the figures
extension records it from Zensical's own rendering context. Otherwise (plain Python-Markdown) nothing is
recorded and messages name the block alone.
"""

from __future__ import annotations

import re
from pathlib import Path

_current: dict[str, str] = {}


def set_current_note(path: str, markdown_source: str) -> None:
    """Record the note about to be rendered and its full text."""
    _current.clear()
    _current.update(path=path, source=markdown_source)


def current_note() -> tuple[str | None, str | None]:
    """Give back (path, full text) of the note being rendered, or (None, None) outside the plugin."""
    return _current.get("path"), _current.get("source")


def note_from_zensical(md) -> None:
    """Record the note Zensical is rendering, when Zensical (not MkDocs with the atlas plugin) renders it.

    Zensical runs the Markdown extensions but no MkDocs plugin; it keeps the page being rendered in a
    preprocessor of its own ("rendering_context", holding the page's path in docs_dir and the project's
    configuration). Without one (plain Python-Markdown) nothing is recorded.
    """
    context = md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None
    page, config = getattr(context, "page", None), getattr(context, "config", None)
    if page is None or not isinstance(config, dict):
        return
    path = str(page.path)
    try:
        docs = Path(config.get("root_dir") or ".") / (config.get("docs_dir") or "docs")
        source = (docs / path).read_text(encoding="utf-8-sig")
    except OSError:
        source = None
    set_current_note(path, source)


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
