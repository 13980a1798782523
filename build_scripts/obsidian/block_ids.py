"""Block ids: ``^id`` at the end of a paragraph or list item, or alone after a block, becomes its id.

``[[Note#^id]]`` links to ``#^id`` and ``![[Note#^id]]`` embeds the element; the marker itself
disappears from the text. (A callout's trailing ``^id`` is taken by the callouts extension.)
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from atlas_mkdocs.obsidian.base import ObsidianExtension

#: The marker at the end of a block's text, after whitespace (or alone), or right after an embed's "]]"
#: (``![[chart.png]]^fig``, as Obsidian's own help vault writes it).
BLOCK_ID = re.compile(r"(?:^|(?<=\s)|(?<=\]\]))\^(?P<id>[A-Za-z0-9-]+)[ \t]*$")


def element_id(block_id: str) -> str:
    """Give back the HTML id of a block id: ``^id``, as Obsidian writes it in links."""
    return "^" + block_id


class BlockIdTreeprocessor(Treeprocessor):
    """Move each trailing ``^id`` marker into the id of its block."""

    def run(self, root):
        for parent in list(root.iter()):
            previous = None
            for element in list(parent):
                if element.tag in ("p", "li") and element.text and len(element) == 0:
                    marker = BLOCK_ID.search(element.text)
                    if marker:
                        text = element.text[: marker.start()].rstrip()
                        if not text and element.tag == "p" and previous is not None:
                            # "^id" alone after a list, table or quote names that block
                            previous.set("id", element_id(marker.group("id")))
                            parent.remove(element)
                            continue
                        element.text = text
                        # a loose list item's paragraph: the item is the block
                        owner = parent if parent.tag == "li" and element.tag == "p" else element
                        owner.set("id", element_id(marker.group("id")))
                previous = element


class BlockIdExtension(ObsidianExtension):
    """Obsidian block ids."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        self.session_for(md)  # the unpublished-note guard, under Zensical
        md.treeprocessors.register(
            BlockIdTreeprocessor(md),
            # Above inline (20): the marker is still raw text at the end of the block, not yet split
            # around links and emphasis.
            "obsidian_block_id",
            21,
        )


def makeExtension(**kwargs) -> BlockIdExtension:  # noqa: N802
    return BlockIdExtension(**kwargs)
