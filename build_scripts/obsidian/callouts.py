"""Callouts: ``> [!type]± Title`` blockquotes as Material's admonitions, folds as ``<details>``.

The HTML is what Python-Markdown's admonition and pymdownx.details emit, so Material styles it:
``<div class="admonition tip"><p class="admonition-title">..</p>..</div>`` and, folded,
``<details class="tip" open><summary>..</summary>..</details>``. The type Obsidian knows is the class;
the name as written stays in ``data-callout``. A type Obsidian does not know keeps its name as a class
and gets ``callout-unknown``, which the Obsidian stylesheet draws as a note.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor

from atlas_mkdocs.obsidian.base import ObsidianExtension

#: Obsidian's 13 callout types, and the aliases of each.
CALLOUT_TYPES = {
    "note": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info",
    "todo": "todo",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote", "cite": "quote",
}

_QUOTE_PREFIX = re.compile(r"^[ ]{0,3}>[ ]?")
_CALLOUT_START = re.compile(r"^[ ]{0,3}>[ ]?\[!(?P<type>[^\]\s]+)\](?P<fold>[+-]?)(?:[ \t]+(?P<title>(?:[^ \t]|[ \t]++)*?))?[ \t]*+$")
_BLOCK_ID_LINE = re.compile(r"^\^(?P<id>[A-Za-z0-9-]+)[ \t]*$")


class CalloutProcessor(BlockProcessor):
    """Turn a blockquote whose first line is ``[!type]`` into an admonition or a details fold."""

    def test(self, parent, block):
        return self._start(block.split("\n")) is not None

    @staticmethod
    def _start(lines: list[str]) -> int | None:
        """Give back the index of the block's first quoted line if it opens a callout, else None.

        Text before it (a paragraph, or a parent callout's text) belongs to the block before the
        quote, as it does for Python-Markdown's own blockquote processor.
        """
        for number, line in enumerate(lines):
            if _QUOTE_PREFIX.match(line):
                return number if _CALLOUT_START.match(line) else None
        return None

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n")
        first = self._start(lines)
        if first:
            self.parser.parseBlocks(parent, ["\n".join(lines[:first])])
            lines = lines[first:]
        start = _CALLOUT_START.match(lines[0])
        written = start.group("type")
        kind = CALLOUT_TYPES.get(written.lower())
        classes = [kind] if kind else [written.lower(), "callout-unknown"]
        title = (start.group("title") or "").strip() or written[:1].upper() + written[1:].lower()
        body = [_QUOTE_PREFIX.sub("", line, count=1) for line in lines[1:]]
        block_id = None
        if body and _BLOCK_ID_LINE.match(body[-1].strip()):
            block_id = _BLOCK_ID_LINE.match(body.pop().strip()).group("id")  # "^id" after a callout names it
        fold = start.group("fold")
        if fold:
            callout = etree.SubElement(parent, "details", {"class": " ".join(classes)})
            if fold == "+":
                callout.set("open", "open")
            heading = etree.SubElement(callout, "summary")
        else:
            callout = etree.SubElement(parent, "div", {"class": " ".join(["admonition", *classes])})
            heading = etree.SubElement(callout, "p", {"class": "admonition-title"})
        callout.set("data-callout", written.lower())
        if block_id:
            callout.set("id", "^" + block_id)
        heading.text = title  # Markdown in the title is rendered by the inline processors
        if any(line.strip() for line in body):
            self.parser.parseChunk(callout, "\n".join(body))


class CalloutExtension(ObsidianExtension):
    """Obsidian callouts."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        self.session_for(md)  # the unpublished-note guard, under Zensical
        md.parser.blockprocessors.register(
            CalloutProcessor(md.parser),
            # Right before the blockquote processor (20), which would otherwise take the block; below
            # everything else, so a callout never claims what is a list or code.
            "obsidian_callout",
            21,
        )
        md.registerExtension(self)


def makeExtension(**kwargs) -> CalloutExtension:  # noqa: N802
    return CalloutExtension(**kwargs)
