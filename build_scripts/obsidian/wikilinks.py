"""``[[Note]]``, ``[[Note|alias]]``, ``[[Note#Heading]]``, ``[[Note#^block]]``, ``[[#Heading]]`` as links.

A resolved link is an ``<a>`` whose href names the target file relative to the page, which MkDocs
then turns into the page's URL (so ``use_directory_urls`` and permalinks hold) and validates. An
unresolved link is a ``<span class="obsidian-unresolved">`` with no href, and a logged message that
names the note, the line and the target.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor

from atlas_mkdocs.obsidian.base import ObsidianExtension
from atlas_mkdocs.obsidian.paths import parse_wikilink
from atlas_mkdocs.obsidian.session import ObsidianSession, as_written

#: ``[[...]]`` not preceded by "!" (that is an embed); the inside may hold ``\|`` (in a table cell).
#: The "!" is checked behind the brackets, so the pattern opens with a literal the regex engine can
#: skip to (see scan.TAG).
WIKILINK_RE = r"\[\[(?<!!\[\[)([^\[\]\n]+?)\]\]"


def link_text(text: str) -> str:
    """Give back a link's text (alias or target as written) so that it is never HTML markup.

    The text is still inline Markdown (``[[Note|`code`]]`` shows code, as in Obsidian), but a "<" is
    written as the entity "&lt;", which the entity processor (80) keeps and the raw-HTML processor (90)
    never sees: an unclosed ``<b>`` in an alias reads as text and bolds nothing after it.
    """
    return text.replace("<", "&lt;")


def unresolved(text: str) -> etree.Element:
    """Give back what a link that lands nowhere shows, as Obsidian Publish shows it: its text, marked."""
    element = etree.Element("span", {"class": "obsidian-unresolved", "title": "Not published or missing"})
    element.text = link_text(text)
    return element


class WikilinkInlineProcessor(InlineProcessor):
    """Turn ``[[target|text]]`` into a link to the resolved note, heading or block."""

    def __init__(self, pattern: str, session: ObsidianSession, md: Markdown | None = None) -> None:
        super().__init__(pattern, md)
        self.session = session

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
        written = m.group(0)
        # Code spans inside the brackets are placeholders by now (backtick runs first, at 190): the
        # target is resolved from their text, the alias keeps them so the code still shows.
        raw = as_written(self.md, m.group(1))
        written = as_written(self.md, written)
        # Escaped pipes reach us as the escape processor's placeholders only if it ran first; it runs
        # after us (we are above 180), so a table cell's "\|" is still a backslash and a pipe here.
        resolution = self.session.resolve(raw)
        # Shown as written, code spans and all, split where the resolution split it ("C# tips" keeps its "#").
        shown = parse_wikilink(m.group(1), name_hashes=resolution.link.path.count("#"))
        text = shown.alias or shown.default_text() or raw
        if not resolution.resolved and resolution.link.path:
            self.session.report_unresolved(resolution, written)
            return unresolved(text), m.start(0), m.end(0)
        fragment = self.session.fragment(resolution)
        missing = self.session.missing_part(resolution)
        if missing:  # Obsidian opens the note at its top: so does the link, and the build says why
            self.session.report_missing_part(resolution, written, missing)
            fragment = None
        if not resolution.link.path:  # [[#Heading]]: this page, whatever its name
            href = "#" + (fragment or "")
        else:
            href = self.session.href(resolution.target, fragment)
        element = etree.Element("a", {"href": href, "class": "obsidian-link"})
        element.text = link_text(text)
        return element, m.start(0), m.end(0)


class WikilinkExtension(ObsidianExtension):
    """Obsidian wikilinks."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(
            WikilinkInlineProcessor(WIKILINK_RE, self.session_for(md), md),
            # Below backtick (190) so code spans are never links; above escape (180) so a table cell's
            # "\|" still separates the alias; above reference/link (170/160), which would read
            # "[[Note]]" as a bracketed "[Note]".
            "obsidian_wikilink",
            185,
        )


def makeExtension(**kwargs) -> WikilinkExtension:  # noqa: N802
    return WikilinkExtension(**kwargs)
