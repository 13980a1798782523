"""What the Obsidian extensions share during a build: the vault index, the page being rendered, the log.

Under the plugin, the manager owns one session, hands it to every extension it configures, and says
which note is being rendered before MkDocs renders it. Used standalone (listed by name in a plain
mkdocs.yml, or in ``markdown.Markdown(extensions=[...])``), each extension makes its own session over
the ``vault`` folder it is given, and with no current note resolves links as from the vault root.
"""

from __future__ import annotations

import functools
import logging
import posixpath
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from atlas_mkdocs.obsidian.paths import (
    DEFAULT_SLUGIFY,
    Href,
    Slugify,
    VaultPath,
    fragment_suffix,
    href_between,
    href_to_url,
    is_note,
    slugify,
)
from atlas_mkdocs.obsidian.vault import Resolution, VaultIndex, resolve

#: The plugin's logger: MkDocs counts its warnings, so `mkdocs build --strict` fails on them.
log = logging.getLogger("mkdocs.plugins.atlas")

_LEVELS = {"warn": logging.WARNING, "info": logging.INFO, "ignore": None}


@dataclass
class PageContext:
    """The note being rendered: links resolve from ``note``; hrefs are written for ``page``.

    They differ inside an embed: the embedded note's links resolve from its own folder, and their
    hrefs must work on the embedding page. ``page_url`` is set when hrefs must be final URLs (embedded
    HTML is not seen by MkDocs' link rewriting); otherwise hrefs name the target file, for MkDocs.
    """

    note: VaultPath | None = None
    page: VaultPath | None = None
    page_url: str | None = None
    source: str | None = None  # the note's file text, to give a message its line number
    embed_chain: tuple[tuple[VaultPath, str], ...] = ()
    _seen: Counter = field(default_factory=Counter)

    def line_of(self, written: str) -> int | None:
        """Give back the line of the next occurrence of ``written`` in the note (each call moves on)."""
        if not self.source:
            return None
        self._seen[written] += 1
        start = -1
        for _ in range(self._seen[written]):
            start = self.source.find(written, start + 1)
            if start < 0:
                return None
        return self.source.count("\n", 0, start) + 1


class ObsidianSession:
    """The vault index, the options and the current page, shared by the Obsidian extensions."""

    def __init__(self, index: VaultIndex | None = None, *, broken_links: str = "warn",
                 slug: Slugify | None = None, sanitize_html: bool = True) -> None:
        self.index = index
        self.broken_links = broken_links
        #: Notes' raw scripts, handlers and javascript: URLs never run (build_scripts/obsidian/sanitize.py).
        self.sanitize_html = sanitize_html
        self.slug: Slugify = slug or DEFAULT_SLUGIFY
        #: Site URL of each published file, once MkDocs has assigned them (set by the manager).
        self.urls: dict[VaultPath, str] = {}
        #: Extensions and their configs for rendering an embedded note (the page's own, under MkDocs).
        self.extensions: list[Any] = []
        self.extension_configs: dict[str, Any] = {}
        #: The Markdown that renders embeds at each depth, made once per build (build_scripts/obsidian/embeds.py).
        self.embed_renderers: list[Any] = []
        #: Text of each note, for embeds (set by the manager, or read from the vault folder standalone).
        self.sources: dict[VaultPath, str] = {}
        self._stack: list[PageContext] = [PageContext()]

    @property
    def current(self) -> PageContext:
        return self._stack[-1]

    @contextmanager
    def rendering(self, context: PageContext) -> Iterator[PageContext]:
        """Make ``context`` the current page for the duration of a render."""
        self._stack.append(context)
        try:
            yield context
        finally:
            self._stack.pop()

    def begin_page(self, context: PageContext) -> None:
        """Make ``context`` the current page until the next page begins (MkDocs renders one at a time)."""
        self._stack[1:] = [context]

    def resolve(self, raw: str) -> Resolution:
        """Give back where ``[[raw]]`` lands from the current note."""
        context = self.current
        if self.index is None:  # no vault known: take the link as a path from the vault root
            resolution = resolve(VaultIndex([]), context.note, raw)
            path = resolution.link.path
            target = VaultPath(path if "." in posixpath.basename(path) else path + ".md") if path else context.note
            return Resolution(resolution.link, target, resolution.heading, resolution.block)
        return resolve(self.index, context.note, raw)

    def fragment(self, resolution: Resolution) -> str | None:
        """Give back the id a link's fragment names: the heading's slug, or ``^block-id``."""
        if resolution.block:
            return "^" + resolution.block
        if resolution.heading:
            return slugify(resolution.heading, self.slug)
        return None

    def href(self, target: VaultPath, fragment: str | None = None) -> Href:
        """Give back the href from the current page to a vault file."""
        context = self.current
        if target == context.page and is_note(target):
            return Href(fragment_suffix(fragment) or "#")
        if context.page_url is not None and target in self.urls:
            return href_to_url(self.urls[target], context.page_url, fragment)
        return href_between(context.page, target, fragment)

    def report_unresolved(self, resolution: Resolution, written: str) -> None:
        """Log that ``written`` (``[[..]]`` or ``![[..]]``) resolves to nothing: where, what, and a fix."""
        level = _LEVELS[self.broken_links]
        if level is None:
            return
        context = self.current
        where = f"Doc file '{context.note}'" if context.note else "Markdown"
        line = context.line_of(written)
        if line is not None:
            where += f", line {line}"
        kind = "embed" if written.startswith("!") else "link"
        message = f"{where}: {kind} '{written}' does not resolve to a published note or attachment."
        path = resolution.link.path
        unpublished = self.index.unpublished_match(path, context.note) if self.index and path else None
        if unpublished is not None:
            message += f" It names '{unpublished.path}', which is not published ({unpublished.unpublished_reason})."
        else:
            close = self.index.close_name(path) if self.index and path else None
            if close:
                message += f" Did you mean '[[{close}]]'?"
        log.log(level, message)


@functools.lru_cache(maxsize=8)
def standalone_session(vault: str) -> ObsidianSession:
    """Give back the session of an extension used without the plugin, over the vault folder if given."""
    session = ObsidianSession(VaultIndex.from_directory(vault) if vault else None)
    if vault:
        from pathlib import Path

        session.sources = {path: (Path(vault) / path).read_text(encoding="utf-8-sig")
                           for path in session.index.notes}
    return session


#: The config every Obsidian extension takes: the shared session (given by the plugin's manager), or
#: the vault folder to index when the extension is used on its own. ("" and not None as the default:
#: Python-Markdown turns an option whose default is None into a bool.)
EXTENSION_CONFIG = {
    "session": ["", "The ObsidianSession shared with the Atlas plugin (set by the plugin)"],
    "vault": ["", "Vault folder to resolve links in when used without the plugin ('' = take links as paths)"],
}


def extension_session(extension: Any) -> ObsidianSession:
    """Give back the session an extension works with: the plugin's, or its own over its ``vault``."""
    session = extension.getConfig("session")
    return session if isinstance(session, ObsidianSession) else standalone_session(str(extension.getConfig("vault") or ""))
