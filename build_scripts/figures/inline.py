"""The inline figure: a code span that starts with "=", replaced by the value the engine computes.

    A rented node costs `=rental-rate(hourly_price_usd=3.5, tokens_per_second=100, utilisation=0.3).cost_per_million_tokens_usd|usd`
    per 1M tokens.            ->   A rented node costs $32.41 per 1M tokens.

In Obsidian the same text shows as a readable code span holding the formula.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from typing import TYPE_CHECKING

import yaml
from markdown import Markdown, util
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

from atlas_mkdocs.figures.errors import ExpressionError, FigureError
from atlas_mkdocs.figures.expressions import Evaluator, format_value, parse
from atlas_mkdocs.session import log

if TYPE_CHECKING:
    from atlas_mkdocs.figures import FiguresExtension

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def front_matter_figures(path: str | None, source: str | None) -> dict[str, str]:
    """Give back the ``figures:`` a note defines in its front matter (name: expression), or raise FigureError."""
    if not source:
        return {}
    match = FRONT_MATTER_RE.match(source)
    if not match:
        return {}
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError:
        return {}  # MkDocs reports a broken front matter itself
    figures = meta.get("figures") if isinstance(meta, Mapping) else None
    if figures is None:
        return {}
    # Every message is shown after "Note.md, line N: figure `=...`: ", which names the note already.
    where = "front matter: "
    if not isinstance(figures, Mapping):
        raise FigureError(f"{where}'figures' must be a mapping of name: expression; got {figures!r}")
    named: dict[str, str] = {}
    for name, expression in figures.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise FigureError(f"{where}figure name {name!r} must be a word of letters, digits and "
                              "'_' (no '-': it would read as a minus)")
        if isinstance(expression, bool) or not isinstance(expression, (str, int, float)):
            raise FigureError(f"{where}figure {name!r} must be an expression; got {expression!r}")
        if name in ("data", "scenario", "row", "true", "false", "none"):
            raise FigureError(f"{where}figure name {name!r} is reserved")
        named[name] = str(expression)
    return named


class FigureInlineProcessor(BacktickInlineProcessor):
    """Replaces a `=...` code span by its figure; hands every other code span to the backtick processor."""

    def __init__(self, md: Markdown, evaluators: NoteEvaluators) -> None:
        # The very regex of the backtick processor: this processor sees each code span whole, exactly
        # as the backtick processor would, so "=" inside a longer span is never mistaken for a figure.
        # The lookahead only lets the regex engine skip to the next backslash or backtick (a third of
        # the time on a typical paragraph); it matches exactly where BACKTICK_RE does.
        super().__init__(r"(?=[\\`])" + BACKTICK_RE)
        self.md = md
        self.evaluators = evaluators

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Python-Markdown's name
        if not m.group(1):
            begin = m.start(0)
            start, end = self.find_code_spans(begin, data)
            if end is not None and data.startswith("=", start) and not data.startswith("==", start):
                return self.figure(data[start:end]), begin, end + (start - begin)
        # Not a figure: the registered backtick processor (pymdownx.inlinehilite's, or Python-Markdown's)
        # renders it, so code spans look exactly as they would without this extension.
        backtick = self.md.inlinePatterns["backtick"] if "backtick" in self.md.inlinePatterns else None
        if backtick is not None and backtick is not self:
            return backtick.handleMatch(m, data)
        return super().handleMatch(m, data)

    def figure(self, span: str) -> etree.Element:
        """Give back the <span> showing the figure ``span`` ("=expression|format") computes.

        A figure that cannot be computed shows what is wrong in its place and is a build warning naming
        the note and line (which fails --strict): one bad figure does not take the site down.
        """
        written = " ".join(span.split())
        try:
            figure = parse(written[1:])
            shown = format_value(self.evaluators().value(figure), figure.format)
        except ExpressionError as error:
            return self._error(f"{self.evaluators.where(span)}figure `{written}`: {error}")
        except FigureError as error:  # the note's front matter figures, or data/ itself
            return self._error(f"{self.evaluators.where(span)}figure `{written}`: {error}")
        element = etree.Element("span", {"class": "atlas-figure", "title": written.replace("\\|", "|")})
        element.text = util.AtomicString(shown)
        return element

    @staticmethod
    def _error(message: str) -> etree.Element:
        log.warning("%s", message)
        element = etree.Element("span", {"class": "atlas-figure atlas-figure--error", "role": "alert"})
        element.text = util.AtomicString(f"[figure error: {message}]")
        return element


class NoteEvaluators:
    """One evaluator per note, with that note's named figures; a new note (or a new text) gets a new one."""

    def __init__(self, extension: FiguresExtension) -> None:
        self.extension = extension
        self._key: tuple[object, ...] | None = None
        self._evaluator: Evaluator | None = None

    def __call__(self) -> Evaluator:
        # The note that holds the figure: inside an embed, the embedded note, whose front matter names it.
        note = self.extension.session.note
        path, source = note.note, note.source
        # The data object too: under `mkdocs serve` an edit in data/ must not reuse cached figures.
        key = (path, hash(source), id(self.data()))
        if self._evaluator is None or key != self._key:
            self._evaluator = Evaluator(self.data, front_matter_figures(path, source))
            self._key = key
        return self._evaluator

    def data(self):
        return self.extension.data()

    def where(self, span_text: str) -> str:
        """Give back "note.md, line N: " for the first line of the page holding ``span_text``."""
        return self.extension.session.where_text(span_text, span_text.replace("|", "\\|"))

    def with_bindings(self, bindings: Mapping[str, object]) -> Evaluator:
        """Give back a fresh evaluator over this note's figures plus ``bindings`` (a table row)."""
        return Evaluator(self.data, self().figures, bindings)
