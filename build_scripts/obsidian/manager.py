"""The Obsidian side of the build, driven by the Atlas plugin's events.

The plugin stays thin: each MkDocs event it receives is handed to this manager, which owns the vault
index and the Obsidian Markdown extensions. Every method mirrors the MkDocs event of the same name and
returns what that event returns (None where the event's return value is unused).

The flow, as Material's tags plugin does it: ``on_config`` configures the extensions over one shared
session; ``on_files`` indexes the vault once and drops what is not published before anything can reach
a page, the search index, the sitemap, the nav or an embed; ``on_page_markdown`` tells the extensions
which note they render and hands the note's tags to the tags plugin (which runs after us);
``on_page_content`` adds backlinks, known from the index.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
from pathlib import Path
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from atlas_mkdocs.material.markers import SEARCH_EXCLUDE
from atlas_mkdocs.obsidian import disk
from atlas_mkdocs.obsidian.config import option
from atlas_mkdocs.obsidian.extensions import MODULES, obsidian_extensions
from atlas_mkdocs.obsidian.home import ensure_home
from atlas_mkdocs.obsidian.lines import line_of
from atlas_mkdocs.obsidian.paths import VaultPath, fold, folder_of, is_note, note_name
from atlas_mkdocs.obsidian.scan import LinkOccurrence, NoteSource, scan_note
from atlas_mkdocs.obsidian.session import ObsidianSession, PageContext
from atlas_mkdocs.obsidian.theme_meta import theme_safe_meta
from atlas_mkdocs.obsidian.vault import Note, VaultIndex, ignored, resolve, resolve_markdown_path

log = logging.getLogger("mkdocs.plugins.atlas")

#: The stylesheet for unresolved links, callouts Material has no style for, embeds and backlinks.
STYLESHEET = Path(__file__).with_name("obsidian.css")
SITE_STYLESHEET = "assets/obsidian/obsidian.css"


@dataclass
class Remembered:
    """What a live preview keeps of the vault from one build to the next (build_scripts/preview.py).

    Each note text's scan, and each note's link targets for as long as the vault's files and aliases
    (all that resolving a link reads) stay the same: a saved note is scanned and resolved again, the other
    thousand are not.
    """

    scans: dict[str, NoteSource] = field(default_factory=dict)
    targets: dict[tuple[VaultPath, str], set[VaultPath]] = field(default_factory=dict)
    targets_key: object = None
    #: Anything else worked out from a note's text by resolving its links (the preview's embeds),
    #: kept under the same condition as the targets.
    resolved: dict[tuple[str, VaultPath, str], object] = field(default_factory=dict)

    def scan(self, text: str) -> NoteSource:
        """Give back the scan of a note's text, scanning it only the first time it is seen."""
        found = self.scans.get(text)
        if found is None:
            found = self.scans[text] = scan_note(text)
        return found

    def resolved_once(self, what: str, path: VaultPath, text: str, work: Callable[[], object]) -> object:
        """Give back ``work()`` for a note's text, worked out once while the vault's names stay the same."""
        key = (what, path, text)
        if key not in self.resolved:
            self.resolved[key] = work()
        return self.resolved[key]

    def keep_only(self, texts: set[str]) -> None:
        """Forget the scans of texts no note holds any more (a preview runs for hours)."""
        for text in self.scans.keys() - texts:
            del self.scans[text]


class ObsidianManager:
    """Owns the vault index and wires the Obsidian extensions into each page build."""

    def __init__(self, options: Any, remembered: Remembered | None = None) -> None:
        self.options = options
        #: Kept between the builds of a live preview (None for a single build).
        self.remembered = remembered
        self.session = ObsidianSession(broken_links=option(options, "broken_links"),
                                       sanitize_html=option(options, "sanitize_html"))
        self.index: VaultIndex | None = None
        self.sources: dict[VaultPath, str] = {}
        self.backlinks: dict[VaultPath, set[VaultPath]] = {}

    # -- configuration ---------------------------------------------------------------------------

    def on_config(self, config):
        """Configure the Obsidian extensions over the shared session, line breaks, and the stylesheet."""
        toc = config.mdx_configs.get("toc") or {}
        if callable(toc.get("slugify")):
            self.session.slug = toc["slugify"]  # link fragments must match the ids toc gives headings
        # A vault that also builds without the plugin (Zensical) lists the extensions by name; under the
        # plugin they are replaced by instances sharing the session, never run twice.
        config.markdown_extensions[:] = [
            ext for ext in config.markdown_extensions if not (isinstance(ext, str) and ext in MODULES)
        ]
        for name in MODULES:
            config.mdx_configs.pop(name, None)
        config.markdown_extensions.extend(obsidian_extensions(self.session))
        if not option(self.options, "strict_line_breaks") and "nl2br" not in config.markdown_extensions:
            config.markdown_extensions.append("nl2br")  # Obsidian shows a single newline as a line break
        self.session.extensions = config.markdown_extensions
        self.session.extension_configs = config.mdx_configs
        if SITE_STYLESHEET not in config.extra_css:
            config.extra_css.append(SITE_STYLESHEET)
        links = disk.folder_links(config.docs_dir)
        if links:  # MkDocs would walk into each (outside the vault, or round a loop for ever)
            disk.report(links)
            disk.list_this_build_without_folder_links(config)
        return config

    # -- the vault index -------------------------------------------------------------------------

    def on_files(self, files: Files, config, generate: Callable[[Mapping[VaultPath, str]], Mapping[str, str]] | None = None):
        """Index the vault once; drop unpublished notes, their own attachments, and hidden folders.

        ``generate``, given the vault's note sources, gives back notes written at build time ({vault path:
        Markdown}, the data catalogue's pages): they are indexed and rendered like the vault's own, and a
        note of the vault at the same path wins."""
        docs: dict[VaultPath, File] = {}
        # Paths as strings: this runs for every file of the vault on every build of a live preview.
        docs_dir = os.path.normpath(os.path.abspath(config.docs_dir))
        vault = os.path.realpath(docs_dir)
        for file in list(files):
            if file.generated_by or not file.abs_src_path:
                continue
            if ignored(file.src_uri):
                files.remove(file)
                continue
            source = os.path.normpath(file.abs_src_path)  # theme files come from elsewhere, on purpose
            if os.path.islink(source) and not os.path.exists(source):
                log.warning("Doc file '%s' is a symbolic link to '%s', which does not exist; it is skipped.",
                            file.src_uri, os.readlink(source))
                files.remove(file)
                continue
            if _inside(source, docs_dir) and not _inside(os.path.realpath(source), vault):
                # MkDocs follows symlinks: one pointing out of the vault would publish what it points to.
                log.warning("Doc file '%s' is a link to '%s', outside the vault; it is not published.",
                            file.src_uri, Path(file.abs_src_path).resolve())
                files.remove(file)
                continue
            docs[VaultPath(file.src_uri)] = file
        self.sources = {}
        for path, file in list(docs.items()):
            if is_note(path):
                text = read_note(path, Path(file.abs_src_path))
                if text is None:  # not text: MkDocs would stop with a traceback reading it
                    files.remove(file)
                    del docs[path]
                else:
                    self.sources[path] = text
        for src_uri, text in (generate(dict(self.sources)) if generate else {}).items():
            path = VaultPath(src_uri)
            if path in docs:
                log.info("'%s' is a note of the vault; the page the build would write there is left out.", path)
                continue
            docs[path] = File.generated(config, src_uri, content=text)
            files.append(docs[path])
            self.sources[path] = text
        everything = {path: self.sources.get(path) for path in docs}
        if self.remembered is None:
            self.index = VaultIndex.from_sources(everything)
        else:
            self.index = VaultIndex.from_sources(everything, scan=self.remembered.scan)
            self.remembered.keep_only(set(self.sources.values()))
        self.session.index = self.index
        self.session.sources = self.sources
        self._report_notes()
        for path in self.index.unpublished:
            files.remove(docs[path])
        self._drop_private_attachments(files, docs)
        for note in self.index.notes.values():
            self._apply_permalink(note, docs[note.path], config, self.sources.get(note.path))
        self._separate_urls(files, docs, config)
        self.session.urls = {VaultPath(f.src_uri): f.url for f in files}
        self.backlinks = self._collect_backlinks()
        if option(self.options, "alias_redirects"):
            self._add_alias_redirects(files, docs, config)
        if files.get_file_from_path(SITE_STYLESHEET) is None:
            files.append(File.generated(config, SITE_STYLESHEET, abs_src_path=str(STYLESHEET)))
        return files

    def ensure_home(self, files: Files, config) -> None:
        """Give the site a home page (obsidian/home.py): the vault's index.md, the note the `home` option
        names, or a generated list of the notes."""
        titles = {str(path): note.title for path, note in self.index.notes.items()} if self.index else {}
        moved = ensure_home(files, config, getattr(self.options, "home", None), titles)
        if moved is not None:  # links resolved to final URLs (inside embeds) must find it at the root
            self.session.urls[VaultPath(moved.src_uri)] = moved.url

    def published_sources(self) -> dict[VaultPath, str]:
        """Give back the text of each published note (the vault's and the build's own)."""
        return {path: self.sources.get(path) or "" for path in (self.index.notes if self.index else ())}

    def _report_notes(self) -> None:
        """Warn about what MkDocs passes over silently: bad frontmatter, bad tags, names equal but for case."""
        for note in [*self.index.notes.values(), *self.index.unpublished.values()]:
            if note.frontmatter_problem:
                line, problem = note.frontmatter_problem
                log.warning("Doc file '%s', line %d: %s; %s.", note.path, line, problem, frontmatter_outcome(note))
            # An unpublished note's tags reach no page: nothing to warn about.
            for tag in note.rejected_tags if note.path in self.index.notes else ():
                line = line_of(self.sources.get(note.path), tag)
                log.warning("Doc file '%s'%s: tag '%s' is not a tag Obsidian accepts (letters, digits, "
                            "emoji, '_', '-', '/'; no spaces or other punctuation); it is left out.", note.path, f", line {line}" if line else "", tag)
        by_key: dict[str, list[VaultPath]] = {}
        for path in self.index.files:
            by_key.setdefault(fold(path), []).append(path)
        for paths in by_key.values():
            if len(paths) > 1:
                named = " and ".join(f"'{p}'" for p in sorted(paths))
                log.warning("Doc files %s differ only in case: Obsidian, macOS and Windows cannot hold them "
                            "side by side, and a link reaches only one. Rename one of them.", named)

    def _targets(self, index: VaultIndex, note: Note) -> set[VaultPath]:
        """Give back the files a note links to or embeds: wikilinks, and Markdown links to vault files."""
        targets: set[VaultPath] = set()
        for link in note.links:
            target = self._target(index, note.path, link)
            if target is not None and target != note.path:
                targets.add(target)
        return targets

    @staticmethod
    def _target(index: VaultIndex, source: VaultPath, link: LinkOccurrence) -> VaultPath | None:
        if not link.markdown:
            return resolve(index, source, link.raw).target
        parts = urlsplit(link.raw)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return None
        return resolve_markdown_path(index, source, unquote(parts.path))

    def _drop_private_attachments(self, files: Files, docs: dict[VaultPath, File]) -> None:
        """Remove attachments that only unpublished notes use: publishing them would leak them."""
        if not self.index.unpublished:
            return
        everything = VaultIndex(list(docs))  # unpublished notes link into the whole vault
        public = set().union(*(self._targets(everything, n) for n in self.index.notes.values()))
        private = set().union(*(self._targets(everything, n) for n in self.index.unpublished.values()))
        for path in private - public:
            if not is_note(path) and path in docs and path in files:
                files.remove(docs[path])
                self.index = VaultIndex([p for p in self.index.files if p != path],
                                        {**self.index.notes, **self.index.unpublished})
        self.session.index = self.index

    @staticmethod
    def _apply_permalink(note: Note, file: File, config, source: str | None = None) -> None:
        """Publish a note with ``permalink: some/url`` at that URL instead of its file's path."""
        permalink = str(note.meta.get("permalink") or "").strip().strip("/")
        if not permalink:
            return
        if not inside_site(permalink):
            line = line_of(source, "permalink")
            log.warning("Doc file '%s'%s: permalink '%s' points outside the site; the note keeps its own URL.",
                        note.path, f", line {line}" if line else "", permalink)
            return
        move(file, f"{permalink}/index.html" if config.use_directory_urls else f"{permalink}.html")

    def _separate_urls(self, files: Files, docs: dict[VaultPath, File], config) -> None:
        """Give two notes whose URLs would be one their own pages, or let one win with a warning naming both.

        A note and a folder of the same name (``Band.md`` beside ``Band/index.md``) both want ``Band/``:
        the note named Band keeps it, as ``[[Band]]`` names it, and the folder's index moves to
        ``Band/index/``. A permalink that is another note's URL is refused: that note keeps its URL.
        Anything else that would be written over (an attachment named like a page) loses to the first.
        """
        for _ in range(3):  # a note moved back to its own URL may meet a third
            by_dest: dict[str, list[File]] = {}
            for file in docs.values():
                if file.src_uri in files:
                    by_dest.setdefault(file.dest_uri, []).append(file)
            groups = [group for group in by_dest.values() if len(group) > 1]
            if not groups:
                return
            for group in groups:
                group.sort(key=lambda f: (f.dest_uri != own_dest(f, config), is_index(f.src_uri), f.src_uri))
                keeper, *others = group
                for other in others:
                    self._make_room(keeper, other, files, config)

    def _make_room(self, keeper: File, other: File, files: Files, config) -> None:
        """Move ``other`` off ``keeper``'s URL (see _separate_urls), saying what became of it."""
        url = keeper.url or "/"
        if other.dest_uri != own_dest(other, config):  # a permalink onto another note's URL
            permalink = str(self.index.notes[VaultPath(other.src_uri)].meta.get("permalink")).strip()
            line = line_of(self.sources.get(VaultPath(other.src_uri)), "permalink")
            move(other, own_dest(other, config))
            log.warning("Doc file '%s'%s: permalink '%s' is the URL of '%s'; the note keeps its own URL '%s'.",
                        other.src_uri, f", line {line}" if line else "", permalink, keeper.src_uri, other.url)
        elif is_index(other.src_uri) and is_note(other.src_uri) and config.use_directory_urls:
            folder = posixpath.dirname(other.src_uri)
            move(other, posixpath.join(folder, "index", "index.html"))
            log.info("Doc files '%s' and '%s' would both be published at '%s': '%s' keeps it, '%s' is at '%s'.",
                     keeper.src_uri, other.src_uri, url, keeper.src_uri, other.src_uri, other.url)
        else:
            files.remove(other)
            log.warning("Doc files '%s' and '%s' would both be published at '%s'; '%s' is, '%s' is left out. "
                        "Rename one of them.", keeper.src_uri, other.src_uri, url, keeper.src_uri, other.src_uri)

    def _collect_backlinks(self) -> dict[VaultPath, set[VaultPath]]:
        """Give back, for each published note, the published notes that link to it or embed it."""
        backlinks: dict[VaultPath, set[VaultPath]] = {}
        kept = self.remembered
        if kept is not None:
            # Resolving reads the vault's files and the notes' aliases, nothing else.
            key = (frozenset(self.index.files), frozenset((p, n.aliases) for p, n in self.index.notes.items()))
            if kept.targets_key != key:
                kept.targets, kept.resolved, kept.targets_key = {}, {}, key
        for note in self.index.notes.values():
            if kept is None:
                targets = self._targets(self.index, note)
            else:
                text = self.sources.get(note.path, "")
                targets = kept.targets.get((note.path, text))
                if targets is None:
                    targets = kept.targets[(note.path, text)] = self._targets(self.index, note)
            for target in targets:
                if is_note(target):
                    backlinks.setdefault(target, set()).add(note.path)
        return backlinks

    def _add_alias_redirects(self, files: Files, docs: dict[VaultPath, File], config) -> None:
        """Publish a redirect page at each alias of a note, beside the note."""
        taken = {f.dest_uri for f in files}
        for note in self.index.notes.values():
            target = docs[note.path]
            for alias in note.aliases:
                stem = posixpath.join(folder_of(note.path), alias.strip().strip("/"))
                if not inside_site(stem):
                    line = line_of(self.sources.get(note.path), alias)
                    log.warning("Doc file '%s'%s: alias '%s' points outside the site; no redirect published.",
                                note.path, f", line {line}" if line else "", alias)
                    continue
                dest = f"{stem}/index.html" if config.use_directory_urls else f"{stem}.html"
                if dest in taken:
                    log.info("Alias '%s' of '%s' is already a page; no redirect published.", alias, note.path)
                    continue
                taken.add(dest)
                alias_url = dest[: -len("index.html")] if config.use_directory_urls else dest
                href = html.escape(get_relative_url(target.url, alias_url))
                files.append(File.generated(config, dest, content=redirect_page(href, note.title)))

    # -- pages -----------------------------------------------------------------------------------

    def on_nav(self, nav, config, files):
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        """Say which note is rendered; give it a title and hand its tags to the tags plugin."""
        path = VaultPath(page.file.src_uri)
        # Its full text, front matter included, that messages name lines of (a page MkDocs has that the
        # vault has not, the generated home page, is its Markdown).
        source = self.sources.get(path, markdown)
        self.session.begin_page(PageContext(note=path, page=path, source=source))
        note = self.index.notes.get(path) if self.index else None
        if note is None:
            return markdown
        source = self.sources.get(path)
        if source is not None and markdown != source[note.body_start:] and source.endswith(markdown):
            # MkDocs kept a broken frontmatter block as text, or took "Key: value" lines for metadata
            # (its MultiMarkdown style, not Obsidian's): the page is the note's body, with the
            # properties the index read (see scan.read_frontmatter).
            markdown, page.meta = source[note.body_start:], dict(note.meta)
        title = page.meta.get("title")
        if title is None and note_name(path).lower() not in ("index", "readme"):
            title = note_name(path)  # Obsidian shows the file name, not the first heading
        if title is not None:
            # Material prints a page title as HTML ({{ nav_item.title }}): a frontmatter title or a file
            # name is text, so it goes in escaped, as Markup so that `| e` does not escape it twice.
            page.meta["title"] = Markup(html.escape(str(title)))
        tags = self.index.page_tags(note)  # frontmatter and inline tags, one spelling per tag, with parents
        if tags:
            page.meta["tags"] = tags
        elif "tags" in page.meta:
            page.meta["tags"] = []
        # template, icon, hide, status, search: Obsidian properties Material would act on (theme_meta.py).
        page.meta, notices = theme_safe_meta(page.meta, config.theme.dirs)
        for notice in notices:
            log.info("Doc file '%s': %s.", path, notice)
        return markdown

    def on_page_content(self, html_content, page, config, files):
        """Append the list of pages that link to this one."""
        if not option(self.options, "backlinks") or self.index is None:
            return html_content
        sources = sorted(self.backlinks.get(VaultPath(page.file.src_uri), ()),
                         key=lambda p: self.index.notes[p].title.casefold())
        items = []
        for source in sources:
            file = files.get_file_from_path(source)
            if file is not None:
                title = html.escape(self.index.notes[source].title)
                items.append(f'<li><a href="{html.escape(file.url_relative_to(page.file))}">{title}</a></li>')
        if not items:
            return html_content
        # Left out of search, as embeds are: a list of other notes' titles.
        return (f'{html_content}<aside class="obsidian-backlinks" {SEARCH_EXCLUDE}="">'
                f'<p class="obsidian-backlinks__title">Linked from</p><ul>{"".join(items)}</ul></aside>')

    def on_env(self, env, config, files):
        return env

    def on_post_page(self, output, page, config):
        return output

    def on_post_build(self, config):
        self.session.begin_page(PageContext())
        return None


def _inside(path: str, folder: str) -> bool:
    """Whether normalised ``path`` is ``folder`` or lies in it (Path.is_relative_to, on strings)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def own_dest(file: File, config) -> str:
    """Give back where MkDocs would write a file from its path alone (before any permalink)."""
    return File(file.src_uri, config.docs_dir, config.site_dir, config.use_directory_urls).dest_uri


def move(file: File, dest_uri: str) -> None:
    """Publish ``file`` at ``dest_uri``, forgetting the URL MkDocs worked out from the old one."""
    file.dest_uri = dest_uri
    for cached in ("url", "abs_dest_path"):
        file.__dict__.pop(cached, None)


def is_index(path: str) -> bool:
    """Give back whether a file is its folder's page for MkDocs (index.md or README.md)."""
    return posixpath.splitext(posixpath.basename(path))[0].lower() in ("index", "readme")


def frontmatter_outcome(note: Note) -> str:
    """Give back what became of a note whose frontmatter is broken, as its warning says it."""
    if not note.published:
        return "the note is not published until it is fixed, as it may be a draft"
    if not note.unreadable_properties:
        return "the note is published without it"
    kept = ", ".join(f"'{name}'" for name in note.meta)
    lost = ", ".join(f"'{name}'" if name else "a line with no property name" for name in note.unreadable_properties)
    return (f"the note is published with the properties that could be read ({kept})" if kept
            else "the note is published without properties") + f", without {lost}"


def read_note(path: VaultPath, file: Path) -> str | None:
    """Give back a note's text, or None (with a warning naming file, line and byte) if it is not UTF-8 text."""
    try:
        data = file.read_bytes()
    except OSError as error:
        log.warning("Doc file '%s': cannot be read (%s); it is not published.", path, error.strerror or error)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        log.warning("Doc file '%s', line %d: not UTF-8 text (byte 0x%02x at offset %d); it is not published. "
                    "Save it as UTF-8, or rename it if it is not a note.", path, line, data[error.start], error.start)
        return None


def inside_site(url_path: str) -> bool:
    """Give back whether a permalink or alias path stays inside the site (no "..", no drive, no NUL)."""
    normal = posixpath.normpath(url_path.replace("\\", "/"))
    return bool(url_path.strip()) and "\0" not in url_path and ":" not in url_path \
        and normal not in (".", "..") and not normal.startswith(("../", "/"))


def redirect_page(href: str, title: str) -> str:
    """Give back a page that sends the reader on to ``href`` (an escaped relative URL)."""
    title = html.escape(title)
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{href}"><meta name="robots" content="noindex">'
        f'<meta http-equiv="refresh" content="0; url={href}"></head>'
        f'<body><p>This page has moved to <a href="{href}">{title}</a>.</p></body></html>\n'
    )
