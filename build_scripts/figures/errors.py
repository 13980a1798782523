"""Errors of the figures extension, and where in the note being rendered a figure or a block sits.

An error must stop the build and name the note and the line: a sentence that quietly showed a wrong
or missing figure is exactly what this extension exists to prevent.
"""

from __future__ import annotations

import re

from pymdownx.superfences import SuperFencesException

# The note being rendered, as the atlas plugin records it before each page (one page renders at a
# time). The calculator fence owns this state; the figures read it rather than keep a second copy.
from build_scripts import calculator_fence

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - plain Python-Markdown without MkDocs
    PluginError = Exception  # type: ignore[misc,assignment]


class FigureError(PluginError):
    """A figure expression or a data table that cannot be computed: the build stops with this message.

    A PluginError is a BuildError, which MkDocs prints as one line (no traceback) and aborts on.
    """


class FigureBlockError(SuperFencesException, FigureError):
    """A data-table fence that cannot be rendered.

    SuperFences re-raises only its own exception from a custom fence's formatter; any other exception
    makes it show the block as plain code and carry on, so the build would pass with a broken table.
    """


class ExpressionError(ValueError):
    """A problem inside one expression (syntax, unknown name, engine refusal); located by the caller."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        if self.column is None:
            return self.message
        return f"{self.message} (at character {self.column + 1} of the expression)"


def current_note() -> tuple[str | None, str | None]:
    """Give back (path, full text) of the note being rendered, or (None, None) outside the plugin."""
    note = calculator_fence._current_note
    return note.get("path"), note.get("source")


def where_inline(span_text: str) -> str:
    """Give back "note.md, line N: " for the first line of the current note holding ``span_text``."""
    path, source = current_note()
    if not path:
        return ""
    if source is not None:
        candidates = (span_text, span_text.replace("|", "\\|"))
        for number, line in enumerate(source.splitlines(), 1):
            if any(candidate in line for candidate in candidates):
                return f"{path}, line {number}: "
    return f"{path}: "


def where_fence(fence_name: str, block_source: str) -> str:
    """Give back "note.md, line N: " for the ``fence_name`` fence holding ``block_source``.

    The same matching as calculator_fence's own locator, for any fence name (a generalised
    ``calculator_fence._where`` would let both share one function; see the figures report).
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
