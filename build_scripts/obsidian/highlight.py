"""``==highlight==`` as ``<mark class="obsidian-highlight">``, with links and emphasis inside working."""

from __future__ import annotations


from markdown import Markdown
from markdown.inlinepatterns import SimpleTagInlineProcessor

from atlas_mkdocs.obsidian.base import ObsidianExtension

#: "==" then text that neither starts nor ends with a space, then "==". The text never holds "==", so
#: each attempt ends at the next "==" and "==a ==a ==a ..." stays linear (it was quadratic).
HIGHLIGHT_RE = r"(==)(?![\s=])((?:[^=]|=(?!=))+?)(?<![\s=])=="


class HighlightInlineProcessor(SimpleTagInlineProcessor):
    """Wrap the text between ``==`` in ``<mark>``."""

    def handleMatch(self, m, data):  # noqa: N802
        element, start, end = super().handleMatch(m, data)
        element.set("class", "obsidian-highlight")
        return element, start, end


class HighlightExtension(ObsidianExtension):
    """Obsidian highlights."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        self.session_for(md)  # the unpublished-note guard, under Zensical
        md.inlinePatterns.register(
            HighlightInlineProcessor(HIGHLIGHT_RE, "mark"),
            # Below link (160): a URL holding "==" is already a link, and wikilinks (185) and links
            # inside the highlight are placeholders by now; above emphasis (60), which runs inside it.
            "obsidian_highlight",
            155,
        )


def makeExtension(**kwargs) -> HighlightExtension:  # noqa: N802
    return HighlightExtension(**kwargs)
