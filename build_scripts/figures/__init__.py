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

from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from atlas_mkdocs.data.loader import AtlasData
from atlas_mkdocs.figures.inline import FigureInlineProcessor, NoteEvaluators
from atlas_mkdocs.figures.sources import data_of, standalone_session
from atlas_mkdocs.obsidian.session import zensical_page
from atlas_mkdocs.session import BuildSession


class ZensicalNote(Preprocessor):
    """Under Zensical, which runs no MkDocs plugin, tells the extension's session the note being rendered,
    so figures find the note's front matter `figures:` and every error names the note and line, as under
    MkDocs. Zensical keeps the page in a preprocessor of its own ("rendering_context"); without one (plain
    Python-Markdown) the session's page is left as it is."""

    def __init__(self, md: Markdown, extension: FiguresExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        page = zensical_page(self.md)
        if page is not None:
            try:
                source = (page.docs_dir / page.path).read_text(encoding="utf-8-sig")
            except OSError:
                source = None
            self.extension.session.begin_page(page.path, source)
        return lines


class FiguresExtension(Extension):
    """Evaluates figure expressions and data-table blocks against the engine and data/."""

    def __init__(self, **kwargs):
        # ("" and not None as the session's default: Python-Markdown turns an option whose default is
        # None into a bool.)
        self.config = {"data_dir": ["data", "The folder of dated, sourced YAML facts (without the plugin)."],
                       "session": ["", "The BuildSession of the atlas plugin (set by the plugin)"]}
        super().__init__(**kwargs)
        self.evaluators = NoteEvaluators(self)

    @property
    def session(self) -> BuildSession:
        """The plugin's session, or (without the plugin) one over ``data_dir``, loaded once per folder and
        again when a file of it changes."""
        given = self.getConfig("session")
        return given if isinstance(given, BuildSession) else standalone_session(Path(self.getConfig("data_dir")))

    def data(self) -> AtlasData:
        """Give back the validated data/ (FigureError naming every problem in it)."""
        return data_of(self.session, self.getConfig("data_dir"))

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.registerExtension(self)
        # First of all preprocessors (normalize_whitespace is 30, fenced code 25): the datatable fence
        # and every figure after it ask which note they are in.
        md.preprocessors.register(ZensicalNote(md, self), "atlas_zensical_note", 40)
        md.inlinePatterns.register(
            FigureInlineProcessor(md, self.evaluators),
            # Just above backtick (190), the one exception to "inline syntax below 190": a figure *is*
            # a code span, so it must be claimed before the backtick processor turns it into <code>.
            # Every other code span is handed to that processor unchanged, so nothing inside code is
            # ever interpreted.
            "atlas_figure",
            191,
        )


def figures_extension_of(md: Markdown, session: BuildSession | None = None) -> FiguresExtension:
    """Give back the FiguresExtension registered on ``md``, else one over ``session`` (or over data/)."""
    for extension in getattr(md, "registeredExtensions", ()):
        if isinstance(extension, FiguresExtension):
            return extension
    return FiguresExtension(session=session) if session is not None else FiguresExtension()


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's entry point
    return FiguresExtension(**kwargs)
