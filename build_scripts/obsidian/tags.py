"""Inline ``#tags`` as tag pills; not ``#1984``, nor inside code, links, URLs or headings.

The page's tags reach Material's tags plugin through ``page.meta['tags']``, which the manager fills
from the vault index (the same rule, ``scan.TAG``) before the tags plugin reads it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor

from atlas_mkdocs.obsidian.base import ObsidianExtension
from atlas_mkdocs.obsidian.scan import TAG, valid_tag


class TagInlineProcessor(InlineProcessor):
    """Turn ``#tag`` into ``<span class="md-tag obsidian-tag">``."""

    #: A tag never lives in a link, in code, or in a heading (where "#" is the heading's own).
    ANCESTOR_EXCLUDES = ("a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6")

    def handleMatch(self, m, data):  # noqa: N802
        body = m.group(1)
        if not valid_tag(body):
            return None, None, None
        element = etree.Element("span", {"class": "md-tag obsidian-tag", "data-tag": body})
        element.text = "#" + body
        return element, m.start(0), m.end(0)


class SpacedHashHeaderProcessor(HashHeaderProcessor):
    """An ATX heading needs a space after its "#"s, as in Obsidian: a line "#tag" is a tag, not a heading."""

    # A run of "#" is taken whole, so the closing "#*" is tried once per run ("# ####...x" is linear).
    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|#++|[^\\#])*?)#*+(?:\n|$)")


class TagExtension(ObsidianExtension):
    """Obsidian inline tags."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        self.session_for(md)  # the unpublished-note guard, under Zensical
        md.inlinePatterns.register(
            TagInlineProcessor(TAG.pattern),
            # Below autolink and automail (120, 110): "<https://x/#frag>" is a link before we look;
            # above html (90) and emphasis (60), so "#tag" is whole before "_" can be emphasis.
            "obsidian_tag",
            105,
        )
        md.parser.blockprocessors.register(
            SpacedHashHeaderProcessor(md.parser),
            # Replaces Python-Markdown's own heading processor, at its priority (70).
            "hashheader",
            70,
        )


def makeExtension(**kwargs) -> TagExtension:  # noqa: N802
    return TagExtension(**kwargs)
