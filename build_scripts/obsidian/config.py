"""Options of the Obsidian side of the `atlas` plugin (``obsidian:`` under ``atlas`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

#: How loudly an unresolved link or embed is reported (once, by its own note); "warn" fails --strict.
SEVERITIES = ("warn", "info", "ignore")


class ObsidianConfig(base.Config):
    """How the vault is read and rendered."""

    #: A [[link]], ![[embed]] or Markdown link that lands on no published note or file, or names a heading
    #: or block its note lacks: a warning (fails --strict), an info line, or nothing.
    broken_links = c.Choice(SEVERITIES, default="warn")
    #: Obsidian's default shows a single newline as a line break; True keeps strict Markdown.
    strict_line_breaks = c.Type(bool, default=False)
    #: List, at the end of each page, the pages that link to it.
    backlinks = c.Type(bool, default=True)
    #: Publish a redirect page at each alias of a note (`aliases:` in its frontmatter).
    alias_redirects = c.Type(bool, default=True)
    #: Show raw <script>, <iframe>, on* handlers and javascript: URLs in notes as text or drop them, as
    #: Obsidian does: a published vault is read by strangers. False only if you trust every author.
    sanitize_html = c.Type(bool, default=True)


def option(options: object, name: str):
    """Give back an Obsidian option, or its default when the plugin has no ``obsidian`` sub-config yet."""
    obsidian = getattr(options, "obsidian", None)
    if obsidian is not None:
        value = obsidian.get(name) if isinstance(obsidian, dict) else getattr(obsidian, name, None)
        if value is not None:
            return value
    return dict(ObsidianConfig._schema)[name].default
