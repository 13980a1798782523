"""Drafts and private notes never reach a page, under any engine: the guard for Zensical.

Under MkDocs the atlas plugin drops a note marked ``draft: true`` or ``publish: false`` before anything
is rendered. Zensical runs the Obsidian extensions without the plugin: it publishes every file of
``docs_dir`` (what ``exclude_docs`` leaves out aside), renders each with the extensions, and indexes
what they give back. An extension cannot take a page out of Zensical's site, so rendering an
unpublished note stops: the note's content reaches no page, no search index and no embed (Zensical
then leaves the page out of its navigation, sitemap and search too), the build fails, and the message
says how to leave such notes out. A silent leak is the one outcome not allowed.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from atlas_mkdocs.obsidian.session import ObsidianSession, zensical_page
from atlas_mkdocs.obsidian.vault import note_from_source
from atlas_mkdocs.obsidian.paths import VaultPath
from atlas_mkdocs.obsidian.scan import scan_note


class UnpublishedNoteError(RuntimeError):
    """A note that must not be published is being rendered by an engine that would publish it."""


class UnpublishedGuard(Preprocessor):
    """Stop Zensical rendering a note that is a draft or not to be published, saying how to leave it out."""

    NAME = "obsidian_unpublished_guard"

    def __init__(self, md: Markdown, session: ObsidianSession) -> None:
        super().__init__(md)
        self.session = session

    def run(self, lines):
        page = zensical_page(self.md)
        if page is None:
            return lines
        reason = self.unpublished_reason(page.docs_dir, page.path)
        if reason is None:
            return lines
        private = sorted({page.path, *(self.session.index.unpublished if self.session.index else ())})
        patterns = "\n".join(f"    /{path}" for path in private)
        raise UnpublishedNoteError(
            f"Doc file '{page.path}' is not to be published ({reason}), but Zensical publishes every file of "
            f"docs_dir, so the build stops here and nothing of the note is written. Leave the vault's "
            f"unpublished notes out in mkdocs.yml:\n  exclude_docs: |\n{patterns}\nor build with MkDocs and "
            f"the atlas plugin, which leaves them out itself.")

    def unpublished_reason(self, docs_dir, path: str) -> str | None:
        """Give back why the note at ``path`` is not published (read from its own file), or None."""
        index = self.session.index
        if index is not None and VaultPath(path) in index.unpublished:
            return index.unpublished[VaultPath(path)].unpublished_reason
        try:
            text = (docs_dir / path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None  # Zensical reads it itself, and says what is wrong
        return note_from_source(VaultPath(path), scan_note(text)).unpublished_reason


def guard(md: Markdown, session: ObsidianSession) -> None:
    """Register the guard once per Markdown, whichever Obsidian extension comes first."""
    if UnpublishedGuard.NAME not in md.preprocessors:
        # Above every other preprocessor (normalize_whitespace is 30): a note that is not published is
        # not rendered at all.
        md.preprocessors.register(UnpublishedGuard(md, session), UnpublishedGuard.NAME, 40)
