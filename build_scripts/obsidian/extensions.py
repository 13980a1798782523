"""The Obsidian Markdown extensions, configured together over one session."""

from __future__ import annotations

from markdown import Extension

from atlas_mkdocs.obsidian.session import ObsidianSession

#: Every Obsidian syntax, one module each, in the order they are registered (their priorities decide
#: the order they run in; see each module).
MODULES = (
    "atlas_mkdocs.obsidian.embeds",
    "atlas_mkdocs.obsidian.wikilinks",
    "atlas_mkdocs.obsidian.mdlinks",
    "atlas_mkdocs.obsidian.callouts",
    "atlas_mkdocs.obsidian.block_ids",
    "atlas_mkdocs.obsidian.comments",
    "atlas_mkdocs.obsidian.highlight",
    "atlas_mkdocs.obsidian.tags",
    "atlas_mkdocs.obsidian.sanitize",
)


def obsidian_extensions(session: ObsidianSession) -> list[Extension]:
    """Give back one configured instance of each Obsidian extension, sharing ``session``."""
    import importlib

    return [importlib.import_module(name).makeExtension(session=session) for name in MODULES]
