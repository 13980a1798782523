"""Errors of the figures extension, and where in the note being rendered a figure or a block sits.

An error must name the note and the line, show in the page where the figure or table stood, and fail
`mkdocs build --strict`: a sentence that quietly showed a wrong or missing figure is exactly what this
extension exists to prevent. It does not stop a lenient build: the rest of the site is published.
"""

from __future__ import annotations

from atlas_mkdocs.note_context import current_note

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - plain Python-Markdown without MkDocs
    PluginError = Exception  # type: ignore[misc,assignment]


class FigureError(PluginError):
    """The data or a note's front matter figures cannot be read; the figures and tables that need them
    show this message in their place.

    A PluginError is a BuildError, which MkDocs prints as one line (no traceback), should one escape.
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
