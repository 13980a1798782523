"""Figures that cannot drift: build-time expressions and data tables in notes (a Markdown extension).

- An inline code span that starts with "=" is a figure the engine computes when the site is built:
  `=rental-rate(hourly_price_usd=3.5, tokens_per_second=100, utilisation=0.3).cost_per_million_tokens_usd|usd`
  shows as "$32.41" (grammar and formats in ``expressions``; note-level names under ``figures:`` in the
  front matter). In Obsidian it stays a readable code span.
- A ```datatable fence renders rows of data/ with their source and date (``tables``); it is a
  pymdownx.superfences custom fence, so it needs its own entry in mkdocs.yml::

      - name: datatable
        class: datatable
        format: !!python/name:atlas_mkdocs.figures.tables.format_datatable

- Anything that does not exist (a model, an input, an output, a table, a row, a field, a scenario)
  stops the build with a message naming the note, the line and the known names.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from atlas_mkdocs.figures.inline import FigureInlineProcessor, NoteEvaluators
from atlas_mkdocs.figures.sources import atlas_data


class FiguresExtension(Extension):
    """Evaluates figure expressions and data-table blocks against the engine and data/."""

    def __init__(self, **kwargs):
        self.config = {"data_dir": ["data", "The folder of dated, sourced YAML facts."]}
        super().__init__(**kwargs)
        self.evaluators = NoteEvaluators(self.data)

    def data(self):
        """Give back the validated data/ (loaded once, reloaded when a file changes)."""
        return atlas_data(self.getConfig("data_dir"))

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.registerExtension(self)
        md.inlinePatterns.register(
            FigureInlineProcessor(md, self.evaluators),
            # Just above backtick (190), the one exception to "inline syntax below 190": a figure *is*
            # a code span, so it must be claimed before the backtick processor turns it into <code>.
            # Every other code span is handed to that processor unchanged, so nothing inside code is
            # ever interpreted.
            "atlas_figure",
            191,
        )


def figures_extension_of(md: Markdown) -> FiguresExtension:
    """Give back the FiguresExtension registered on ``md`` (a default one if the page has none)."""
    for extension in getattr(md, "registeredExtensions", ()):
        if isinstance(extension, FiguresExtension):
            return extension
    fallback = getattr(md, "_atlas_figures_fallback", None)
    if fallback is None:
        fallback = md._atlas_figures_fallback = FiguresExtension()
    return fallback


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's entry point
    return FiguresExtension(**kwargs)
