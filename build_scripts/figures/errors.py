"""Errors of the figures extension, and where in the note being rendered a figure or a block sits.

An error must stop the build and name the note and the line: a sentence that quietly showed a wrong
or missing figure is exactly what this extension exists to prevent.
"""

from __future__ import annotations

from pymdownx.superfences import SuperFencesException

from atlas_mkdocs.note_context import current_note

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
