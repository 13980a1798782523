"""``[[Note]]``, ``[[Note|alias]]``, ``[[Note#Heading]]``, ``[[Note#^block]]``, ``[[#Heading]]`` as links.

A resolved link is an ``<a>`` whose href names the target file relative to the page, which MkDocs
then turns into the page's URL (so ``use_directory_urls`` and permalinks hold) and validates. An
unresolved link is a ``<span class="obsidian-unresolved">`` with no href, and a logged message that
names the note, the line and the target.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from atlas_mkdocs.obsidian.session import EXTENSION_CONFIG, ObsidianSession, extension_session

#: ``[[...]]`` not preceded by "!" (that is an embed); the inside may hold ``\|`` (in a table cell).
#: The "!" is checked behind the brackets, so the pattern opens with a literal the regex engine can
#: skip to (see scan.TAG).
WIKILINK_RE = r"\[\[(?<!!\[\[)([^\[\]\n]+?)\]\]"


class WikilinkInlineProcessor(InlineProcessor):
    """Turn ``[[target|text]]`` into a link to the resolved note, heading or block."""

    def __init__(self, pattern: str, session: ObsidianSession) -> None:
        super().__init__(pattern)
        self.session = session

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
        raw = m.group(1)
        # Escaped pipes reach us as the escape processor's placeholders only if it ran first; it runs
        # after us (we are above 180), so a table cell's "\|" is still a backslash and a pipe here.
        resolution = self.session.resolve(raw)
        text = resolution.link.alias or resolution.link.default_text() or raw
        if not resolution.link.path:  # [[#Heading]]: this page, whatever its name
            element = etree.Element("a", {"href": "#" + (self.session.fragment(resolution) or ""),
                                          "class": "obsidian-link"})
            element.text = text
            return element, m.start(0), m.end(0)
        if not resolution.resolved:
            self.session.report_unresolved(resolution, m.group(0))
            element = etree.Element("span", {"class": "obsidian-unresolved", "title": "Not published or missing"})
            element.text = text
            return element, m.start(0), m.end(0)
        element = etree.Element("a", {
            "href": self.session.href(resolution.target, self.session.fragment(resolution)),
            "class": "obsidian-link",
        })
        element.text = text
        return element, m.start(0), m.end(0)


class WikilinkExtension(Extension):
    """Obsidian wikilinks."""

    def __init__(self, **kwargs) -> None:
        self.config = copy.deepcopy(EXTENSION_CONFIG)
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(
            WikilinkInlineProcessor(WIKILINK_RE, extension_session(self)),
            # Below backtick (190) so code spans are never links; above escape (180) so a table cell's
            # "\|" still separates the alias; above reference/link (170/160), which would read
            # "[[Note]]" as a bracketed "[Note]".
            "obsidian_wikilink",
            185,
        )


def makeExtension(**kwargs) -> WikilinkExtension:  # noqa: N802
    return WikilinkExtension(**kwargs)
