"""``%%comments%%``: removed from the output, inline and as blocks, and never inside code.

Block comments (a line that starts with ``%%``, to the line that closes it, blank lines included)
are removed by a preprocessor that runs after fenced code is stashed, so ``%%`` in a code block stays.
A comment inside a paragraph (even across its lines) is an inline processor below the backtick
processor, so ``%%`` in inline code stays too.
"""

from __future__ import annotations


from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from atlas_mkdocs.obsidian.base import ObsidianExtension

INLINE_COMMENT_RE = r"%%(?:.|\n)*?%%"


class BlockCommentPreprocessor(Preprocessor):
    """Drop comment blocks: from a line starting with ``%%`` to the next ``%%``."""

    def run(self, lines):
        kept: list[str] = []
        in_comment = False
        for line in lines:
            if not in_comment:
                if not line.lstrip().startswith("%%"):
                    kept.append(line)
                    continue
                in_comment, line = True, line.lstrip()[2:]
            end = line.find("%%")
            if end < 0:
                continue
            in_comment = False
            rest = line[end + 2:]
            if rest.strip():
                kept.append(rest)
        return kept


class InlineCommentProcessor(InlineProcessor):
    """Drop ``%%...%%`` inside a paragraph."""

    def handleMatch(self, m, data):  # noqa: N802
        return "", m.start(0), m.end(0)


class CommentExtension(ObsidianExtension):
    """Obsidian comments."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        self.session_for(md)  # the unpublished-note guard, under Zensical
        md.preprocessors.register(
            BlockCommentPreprocessor(md),
            # Below fenced code (25): code blocks are already stashed, so their "%%" lines stay; above
            # html_block (20) so a comment holding HTML never becomes a raw HTML block.
            "obsidian_block_comment",
            24,
        )
        md.inlinePatterns.register(
            InlineCommentProcessor(INLINE_COMMENT_RE),
            # Below backtick (190): "%%" in inline code stays; above every other inline processor, so
            # a commented-out [[link]] or #tag is never resolved, reported or collected.
            "obsidian_inline_comment",
            189,
        )


def makeExtension(**kwargs) -> CommentExtension:  # noqa: N802
    return CommentExtension(**kwargs)
