"""The Obsidian Markdown extensions, configured together over one session."""

from __future__ import annotations

from markdown import Extension

from build_scripts.obsidian.session import ObsidianSession

#: Every Obsidian syntax, one module each, in the order they are registered (their priorities decide
#: the order they run in; see each module).
MODULES = (
    "build_scripts.obsidian.embeds",
    "build_scripts.obsidian.wikilinks",
    "build_scripts.obsidian.mdlinks",
    "build_scripts.obsidian.callouts",
    "build_scripts.obsidian.block_ids",
    "build_scripts.obsidian.comments",
    "build_scripts.obsidian.highlight",
    "build_scripts.obsidian.tags",
    "build_scripts.obsidian.sanitize",
)


def obsidian_extensions(session: ObsidianSession) -> list[Extension]:
    """Give back one configured instance of each Obsidian extension, sharing ``session``."""
    import importlib

    return [importlib.import_module(name).makeExtension(session=session) for name in MODULES]
