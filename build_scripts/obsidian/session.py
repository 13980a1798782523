"""What the Obsidian extensions share during a build: the vault index, the page being rendered, the log.

Under the plugin, the manager owns one session, hands it to every extension it configures, and says
which note is being rendered before MkDocs renders it. Used standalone (listed by name in a plain
mkdocs.yml, or in ``markdown.Markdown(extensions=[...])``), each extension makes its own session over
the ``vault`` folder it is given, and with no current note resolves links as from the vault root.
"""

from __future__ import annotations

import difflib
import functools
import html
import logging
import posixpath
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from atlas_mkdocs.obsidian.lines import line_of
from atlas_mkdocs.obsidian.paths import (
    DEFAULT_SLUGIFY,
    Href,
    Slugify,
    VaultPath,
    fragment_suffix,
    heading_id,
    heading_text,
    href_between,
    href_to_url,
    is_note,
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
        return line_of(self.source, written, self._seen[written])


class ObsidianSession:
    """The vault index, the options and the current page, shared by the Obsidian extensions."""

    def __init__(self, index: VaultIndex | None = None, *, broken_links: str = "warn",
                 slug: Slugify | None = None, sanitize_html: bool = True) -> None:
        self._index: VaultIndex | None = None
        #: The ids toc gives each note's headings (by the session's slug), worked out once per note.
        self._heading_ids: dict[VaultPath, dict[str, str]] = {}
        self.index = index
        self.broken_links = broken_links
        #: Notes' raw scripts, handlers and javascript: URLs never run (build_scripts/obsidian/sanitize.py).
        self.sanitize_html = sanitize_html
        self._slug: Slugify = slug or DEFAULT_SLUGIFY
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
    def index(self) -> VaultIndex | None:
        return self._index

    @index.setter
    def index(self, index: VaultIndex | None) -> None:
        self._index = index
        self._heading_ids = {}

    @property
    def slug(self) -> Slugify:
        """The slug function toc gives headings their ids with: link fragments must name the same ids."""
        return self._slug

    @slug.setter
    def slug(self, slug: Slugify) -> None:
        if slug is not self._slug:
            self._slug = slug
            self._heading_ids = {}

    @property
    def current(self) -> PageContext:
        """The note being rendered: inside an embed, the embedded note."""
        return self._stack[-1]

    @property
    def page(self) -> PageContext:
        """The page being rendered, whatever it embeds: the note MkDocs (or Zensical) is rendering."""
        return next(context for context in reversed(self._stack) if not context.embed_chain)

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
        """Give back the id a link's fragment names: the heading's id as toc writes it, or ``^block-id``."""
        if resolution.block:
            return "^" + resolution.block
        if resolution.heading:
            return heading_id(resolution.heading, self.slug)
        return None

    def heading_ids(self, path: VaultPath) -> dict[str, str]:
        """Give back {id: heading as written} of a note's headings, or {} if the note is not indexed."""
        if path not in self._heading_ids:
            note = self.index.notes.get(path) if self.index is not None else None
            headings = note.headings if note is not None else ()
            self._heading_ids[path] = {heading_id(h.text, self.slug): h.text for h in reversed(headings)}
        return self._heading_ids[path]

    def missing_part(self, resolution: Resolution) -> str | None:
        """Give back what a resolved link names that its note does not have ("a heading 'X'"), or None.

        Only notes of the index are checked: without a vault (standalone) nothing is known to be missing.
        """
        target = resolution.target
        if self.index is None or target is None or target not in self.index.notes:
            return None
        if resolution.block:
            if resolution.block in self.index.notes[target].block_ids:
                return None
            return f"a block '^{resolution.block}'"
        if resolution.heading and self.fragment(resolution) not in self.heading_ids(target):
            return f"a heading '{resolution.heading}'"
        return None

    def close_heading(self, resolution: Resolution) -> str | None:
        """Give back the heading of the link's note closest to the one it names, to suggest it."""
        if not resolution.heading or resolution.target is None:
            return None
        headings = {heading_text(text).casefold(): text for text in self.heading_ids(resolution.target).values()}
        match = difflib.get_close_matches(heading_text(resolution.heading).casefold(), list(headings), n=1, cutoff=0.6)
        return headings[match[0]] if match else None

    def href(self, target: VaultPath, fragment: str | None = None) -> Href:
        """Give back the href from the current page to a vault file."""
        context = self.current
        if target == context.page and is_note(target):
            return Href(fragment_suffix(fragment) or "#")
        if context.page_url is not None and target in self.urls:
            return href_to_url(self.urls[target], context.page_url, fragment)
        return href_between(context.page, target, fragment)

    def file_href(self, target: VaultPath, fragment: str | None = None) -> Href:
        """Give back the final URL of a vault file from the current page, where no one will rewrite it.

        MkDocs turns a link's href and an image's src into the target's URL, but no other element's
        (audio, video, iframe): those are given the published file's URL, relative to the page's own,
        once MkDocs has assigned URLs (under the plugin); else the file's path, as ``href`` gives it.
        """
        context = self.current
        page_url = context.page_url if context.page_url is not None else self.urls.get(context.page)
        if page_url is not None and target in self.urls:
            return href_to_url(self.urls[target], page_url, fragment)
        return href_between(context.page, target, fragment)

    def report(self, written: str, problem: str, *, kind: str | None = None, probe: str | None = None) -> None:
        """Log, at the ``broken_links`` level, that the link or embed ``written`` has ``problem``.

        Once: a note's links are reported when its own page renders, never again inside the pages
        that embed it. The message names the note and the line of ``written`` (each call moves on to
        its next occurrence; ``probe`` is looked for instead where ``written`` is not the source's text).
        """
        level = _LEVELS[self.broken_links]
        context = self.current
        if level is None or context.embed_chain:
            return
        where = f"Doc file '{context.note}'" if context.note else "Markdown"
        line = context.line_of(probe or written)
        if line is not None:
            where += f", line {line}"
        kind = kind or ("embed" if written.startswith("!") else "link")
        log.log(level, f"{where}: {kind} '{written}' {problem}")

    def report_unresolved(self, resolution: Resolution, written: str, *, markdown: bool = False,
                          path: str | None = None, probe: str | None = None) -> None:
        """Log that ``written`` (``[[..]]``, ``![[..]]``, a Markdown link) resolves to nothing, with a fix."""
        message = "does not resolve to a published note or attachment."
        path = resolution.link.path if path is None else path
        context = self.current
        unpublished = self.index.unpublished_match(path, context.note) if self.index and path else None
        if unpublished is not None:
            message += f" It names '{unpublished.path}', which is not published ({unpublished.unpublished_reason})."
        else:
            close = self.index.close_name(path) if self.index and path else None
            if close:
                message += f" Did you mean '{close}'?" if markdown else f" Did you mean '[[{close}]]'?"
        self.report(written, message, kind="link" if markdown else None, probe=probe)

    def report_missing_part(self, resolution: Resolution, written: str, missing: str) -> None:
        """Log that ``written`` names a heading or block its note does not have, with the closest heading."""
        message = f"names {missing} that '{resolution.target}' does not have."
        close = self.close_heading(resolution)
        if close:
            message += f" Did you mean '#{close}'?"
        self.report(written, message)


_STASHED = re.compile(r"\x02(?:wzxhzdk|klzzwxh):(\d+)\x03")
_TAGS = re.compile(r"<[^<>]*>")


def as_written(md: Any, text: str) -> str:
    """Give back inline text as the author wrote it, with what other processors stashed put back.

    Code spans run before our patterns (and pymdownx.inlinehilite keeps their HTML in the stash), so
    ``[[#The `foo` function]]`` reaches us holding a placeholder; no placeholder may reach an id, an
    href or a message. A stashed code span is written back in backticks, anything else as its text.
    """
    inline = md.treeprocessors["inline"].stashed_nodes if "inline" in md.treeprocessors else {}
    raw_blocks = md.htmlStash.rawHtmlBlocks

    def written(match: re.Match) -> str:
        key = match.group(1)
        if match.group(0).startswith("\x02klzzwxh"):
            node = inline.get(key)
            if node is None or isinstance(node, str):
                return text_of(node or "")
            content = text_of("".join(node.itertext()))
            return f"`{content}`" if node.tag == "code" else content
        index = int(key)
        node = raw_blocks[index] if index < len(raw_blocks) else ""
        if not isinstance(node, str):
            return text_of("".join(node.itertext()))
        content = text_of(html.unescape(_TAGS.sub("", node)))
        return f"`{content}`" if node.lstrip().startswith("<code") else content

    def text_of(value: str) -> str:  # a stashed node may hold placeholders of its own (a code span's text)
        return _STASHED.sub(written, value)

    return text_of(text)


@functools.lru_cache(maxsize=8)
def standalone_session(vault: str, build: int = 0) -> ObsidianSession:
    """Give back the session of an extension used without the plugin, over the vault folder if given.

    ``build`` tells one build from the next in a long-running process (Zensical's serve), so that a
    rebuild indexes the vault anew.
    """
    index = VaultIndex.from_directory(vault) if vault else None
    session = ObsidianSession(index)
    if index is not None:
        session.sources = dict(index.texts)
    return session


#: The config every Obsidian extension takes: the shared session (given by the plugin's manager), or
#: the vault folder to index when the extension is used on its own. ("" and not None as the default:
#: Python-Markdown turns an option whose default is None into a bool.)
EXTENSION_CONFIG = {
    "session": ["", "The ObsidianSession shared with the Atlas plugin (set by the plugin)"],
    "vault": ["", "Vault folder to resolve links in when used without the plugin ('' = Zensical's docs_dir, "
                  "else take links as paths)"],
}


@dataclass(frozen=True)
class ZensicalPage:
    """The page Zensical is rendering, as its rendering-context preprocessor holds it."""

    path: str  # the note's path in docs_dir
    docs_dir: Path
    config: Any  # Zensical's configuration (a new one for each build)


def zensical_page(md: Any) -> ZensicalPage | None:
    """Give back the page Zensical renders with ``md``, or None outside Zensical.

    Zensical makes a Markdown per page and puts its own context extension first, whose preprocessor
    holds the page and the configuration (zensical/markdown/render.py, zensical/extensions/context.py).
    """
    context = md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None
    page, config = getattr(context, "page", None), getattr(context, "config", None)
    if page is None or not isinstance(config, dict) or "docs_dir" not in config:
        return None
    docs_dir = Path(config["docs_dir"])
    if not docs_dir.is_absolute():
        docs_dir = Path(config.get("root_dir") or ".") / docs_dir
    return ZensicalPage(str(page.path), docs_dir, config)


def extension_session(extension: Any, md: Any = None) -> ObsidianSession:
    """Give back the session an extension works with: the plugin's, or its own over its ``vault`` (under
    Zensical, its docs_dir when no vault is named)."""
    session = extension.getConfig("session")
    if isinstance(session, ObsidianSession):
        return session
    vault = str(extension.getConfig("vault") or "")
    zensical = zensical_page(md) if md is not None else None
    if zensical is not None:
        return standalone_session(vault or str(zensical.docs_dir), id(zensical.config))
    return standalone_session(vault)
