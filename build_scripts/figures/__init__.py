"""Figures that cannot drift: build-time expressions and data tables in notes (a Markdown extension).

- An inline code span that starts with "=" is a figure the engine computes when the site is built:
  `=rental-rate(hourly_price_usd=3.5, tokens_per_second=100, utilisation=0.3).cost_per_million_tokens_usd|usd`
  shows as "$32.41" (grammar and formats in ``expressions``; note-level names under ``figures:`` in the
  front matter). In Obsidian it stays a readable code span.
- A ```datatable fence renders rows of data/ with their source and date (``tables``); it is a
  pymdownx.superfences custom fence, which the atlas plugin adds where there is a data folder (under
  Zensical, zensical.toml lists it).

- Anything that does not exist (a model, an input, an output, a table, a row, a field, a scenario)
  stops the build with a message naming the note, the line and the known names.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from atlas_mkdocs.figures.inline import FigureInlineProcessor, NoteEvaluators
from atlas_mkdocs.figures.sources import atlas_data
from atlas_mkdocs.note_context import note_from_zensical


class ZensicalNote(Preprocessor):
    """Under Zensical, which runs no MkDocs plugin, records the note being rendered, so figures find the
    note's front matter `figures:` and every error names the note and line, as under MkDocs."""

    def run(self, lines: list[str]) -> list[str]:
        note_from_zensical(self.md)
        return lines


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
        # First of all preprocessors (normalize_whitespace is 30, fenced code 25): the datatable fence
        # and every figure after it ask which note they are in.
        md.preprocessors.register(ZensicalNote(md), "atlas_zensical_note", 40)
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
