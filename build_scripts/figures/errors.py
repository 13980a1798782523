"""Errors of the figures extension (where in the note a figure or a block sits: session.where_text).

An error must name the note and the line, show in the page where the figure or table stood, and fail
`mkdocs build --strict`: a sentence that quietly showed a wrong or missing figure is exactly what this
extension exists to prevent. It does not stop a lenient build: the rest of the site is published.
"""

from __future__ import annotations

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

