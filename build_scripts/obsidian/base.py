"""What every Obsidian extension shares: its configuration, its session, and the unpublished-note guard."""

from __future__ import annotations

import copy

from markdown import Extension, Markdown

from atlas_mkdocs.obsidian.publishing import guard
from atlas_mkdocs.obsidian.paths import VaultPath
from atlas_mkdocs.obsidian.session import (
    EXTENSION_CONFIG,
    ObsidianSession,
    PageContext,
    extension_session,
    zensical_page,
)


class ObsidianExtension(Extension):
    """An Obsidian syntax: configured with the plugin's session, or a vault folder when used on its own."""

    def __init__(self, **kwargs) -> None:
        self.config = copy.deepcopy(EXTENSION_CONFIG)
        super().__init__(**kwargs)

    def session_for(self, md: Markdown) -> ObsidianSession:
        """Give back the session to render ``md`` with; under Zensical, guard it against unpublished notes.

        Whichever Obsidian extension a Zensical site lists, the guard comes with it
        (build_scripts/obsidian/publishing.py), and the page is the current note: its links resolve
        from its folder and its messages name it.
        """
        session = extension_session(self, md)
        if isinstance(self.getConfig("session"), ObsidianSession):
            return session  # the plugin's: it configures the session itself
        if "toc" in md.treeprocessors:  # link fragments name the ids toc gives, with the site's slug
            session.slug = getattr(md.treeprocessors["toc"], "slugify", session.slug)
        page = zensical_page(md)
        if page is None:
            return session
        guard(md, session)
        if not session.extensions:  # embeds render with the site's own extensions, as under the plugin
            session.extensions = list(page.config.get("markdown_extensions") or [])
            session.extension_configs = page.config.get("mdx_configs") or {}
        # Zensical makes one Markdown per page and renders one page at a time; a Markdown made while
        # an embed renders belongs to that embed, and must not change the page.
        if not session.current.embed_chain and session.current.note != page.path:
            session.begin_page(PageContext(note=VaultPath(page.path), page=VaultPath(page.path),
                                           source=session.sources.get(VaultPath(page.path))))
        return session
