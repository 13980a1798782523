"""The live preview: `make serve` re-renders a saved note and the pages that depend on it, nothing else.

MkDocs rebuilds the whole site on every save. With ``mkdocs serve --dirty`` it re-renders only the pages
whose note is newer than the page it wrote last time, which is wrong for a vault in four ways, each
answered here by the ``Preview`` the plugin keeps from one build to the next:

- A page that embeds the saved note, lists it under "Linked from", links to a heading it renamed, or
  lists its tags, is not re-rendered. ``plan`` works out those pages from the vault index the build has
  just made (links, embeds, tags, headings) and deletes what they wrote, so MkDocs renders them again.
  A change to the site's shape (a note created, renamed or deleted, a title, a permalink, an
  attachment) or to mkdocs.yml or the theme re-renders every page; a change to data/ or the engine, the
  pages that compute figures or calculators from them, and the notes that embed those.
- The pages MkDocs skips have no title for the navigation, no tags for the tags plugin's listings: they
  are read again and go through ``on_page_markdown`` (``restore``), without being rendered.
- Material's search keeps only the pages rendered last: ``finish`` writes the search index whole, each
  page's entries from the build that last rendered it, in the order a clean build writes them.
- A deleted or renamed note's page, and an attachment's copy, would stay: ``plan`` deletes them.

The result is the site a clean build writes (tests/build/test_incremental.py compares them page for
page after a sequence of edits, renames and deletions). Between builds it also keeps what is slow to
make again and cannot have changed: each note text's scan and link targets, the validated data while
data/ is unchanged, and the compiled templates. And the browser reloads as soon as the pages that
changed are written, not after the rest of the build (``page_written``).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import material
from jinja2 import BytecodeCache
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, get_markdown_title
from mkdocs.utils import write_file
from mkdocs.utils.meta import get_data

from atlas_mkdocs.obsidian.embeds import MAX_DEPTH, block, section
from atlas_mkdocs.obsidian.manager import ObsidianManager, Remembered
from atlas_mkdocs.obsidian.paths import VaultPath, note_name
from atlas_mkdocs.obsidian.vault import resolve

log = logging.getLogger("mkdocs.plugins.atlas")

#: A note that reads data/ or the engine: a calculator or data table, an inline figure, front-matter figures.
USES_DATA = re.compile(r"^[ \t>]*(?:```|~~~)[ \t]*(?:calculator|datatable)\b|`=|^figures:", re.M)
#: A page holding a listing of Material's tags plugin, which the plugin fills into the page on every build.
TAGS_LISTING = "<!-- material/tags"
_MATERIAL = Path(material.__file__).resolve().parent


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, kept in memory from one build to the next (a template whose source
    changed is compiled again: Jinja checks each one's checksum)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def fingerprint(*places: str | Path | None) -> tuple:
    """Give back (path, modification time, size) of every file in ``places`` (files or folders): it
    changes when a file is saved, added or removed."""
    found = []
    for place in places:
        if place is None:
            continue
        if os.path.isfile(place):
            stat = os.stat(place)
            found.append((str(place), stat.st_mtime_ns, stat.st_size))
            continue
        for folder, folders, names in os.walk(place):
            folders[:] = sorted(name for name in folders if name != "__pycache__" and not name.startswith("."))
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@dataclass
class Published:
    """What one build published, as the next build compares it with its own."""

    #: Each published note's text.
    sources: dict[VaultPath, str]
    #: The files, and each page's URL and title: what the navigation shows and every link resolves to.
    shape: tuple
    #: What mkdocs.yml and the theme's own templates were.
    settings: tuple
    #: What data/ and the engine were.
    data: tuple
    #: Where each note's body starts (after its front matter).
    starts: dict[VaultPath, int]
    #: What a link into each note may name (headings, block ids).
    anchors: dict[VaultPath, tuple]
    #: The notes that link to each note; what each note embeds (note, heading, block, link as written).
    backlinks: dict[VaultPath, frozenset[VaultPath]]
    embeds: dict[VaultPath, tuple[tuple[VaultPath, str | None, str | None, str], ...]]
    #: The notes each note links to with a heading or block named ([[Note#Heading]], [[Note#^id]]).
    fragment_links: dict[VaultPath, frozenset[VaultPath]]
    #: Every file written (site-relative).
    outputs: frozenset[str]
    #: What each file the build writes from memory (alias redirects, the stylesheet) held.
    generated: dict[str, object] = field(default_factory=dict)
    #: Per page URL: the title its first heading gave it, and its search entries, when it was rendered.
    titles: dict[str, Any] = field(default_factory=dict)
    entries: dict[str, list] = field(default_factory=dict)


class Preview:
    """What `mkdocs serve` keeps from one build to the next (the plugin object outlives its rebuilds).

    ``dirty`` is `mkdocs serve --dirty` (what `make serve` runs): only then are pages re-rendered
    selectively. Without it every build renders every page, and only the caches apply.
    """

    def __init__(self, dirty: bool) -> None:
        self.dirty = dirty
        self.remembered = Remembered()
        self.bytecode = MemoryBytecodeCache()
        self.server = None
        self.last: Published | None = None
        self._data_key: tuple | None = None
        self._data = None
        # This build's.
        self._now: Published | None = None
        self._docs: list = []
        self._search_mark = 0
        self._waiting = 0
        self._restored: set[str] = set()
        self._read: dict[str, tuple[str, dict]] = {}
        self._listings: dict[tuple, list[str]] = {}
        self._read_now: dict[str, tuple[str, dict]] = {}
        self.stale: set[str] = set()

    def announce(self) -> None:
        """Say once what the preview does, instead of MkDocs' warning on every rebuild that a dirty
        build leaves the navigation and links wrong (this module is what makes them right)."""
        logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
        log.info("atlas: live preview: a saved note re-renders the pages that depend on it, nothing else")

    # -- the caches ------------------------------------------------------------------------------

    def kept_data(self, data_dir: Path | None):
        """Give back the facts validated at the last build if data/ has not changed since, else None."""
        key = fingerprint(data_dir)
        if key == self._data_key:
            return self._data
        self._data_key, self._data = key, None
        return None

    def keep_data(self, data) -> None:
        """Keep the facts this build validated (kept_data has recorded what data/ was)."""
        self._data = data

    def theme_listing(self, config) -> None:
        """Have the theme's Jinja environment list its files once per preview, not on every build.

        MkDocs asks the environment for every file of the theme to copy its static ones, and Material's
        folder holds thousands of icons: walking and matching them is the largest fixed cost of a rebuild
        (a quarter of one at 250 notes). The listing is kept while the theme's folders outside Material's
        own package (a project's overrides) are unchanged.
        """
        theme = config.theme
        make_env = theme.get_env
        own = [d for d in theme.dirs if not Path(d).resolve().is_relative_to(_MATERIAL)]
        key = (tuple(theme.dirs), tuple(sorted(theme.static_templates)), fingerprint(*own))
        listings = self._listings

        def get_env():
            env = make_env()
            list_templates = env.list_templates

            def listed(extensions=None, filter_func=None):
                if extensions is not None or key not in listings:
                    found = list_templates(extensions, filter_func)
                    if extensions is not None:
                        return found
                    listings.clear()
                    listings[key] = found
                return list(listings[key])

            env.list_templates = listed
            return env

        theme.get_env = get_env

    # -- before the pages: what to render ---------------------------------------------------------

    def plan(self, files: Files, config, obsidian: ObsidianManager, data: tuple) -> None:
        """Work out this build's pages that depend on what changed, and delete what they wrote last time
        (MkDocs renders a page whose output is missing); delete the outputs of files that are gone."""
        if not self.dirty:
            return
        index = obsidian.index
        self._docs = list(files.documentation_pages())
        sources = {path: text for path, text in obsidian.sources.items() if path in index.notes}
        once = self.remembered.resolved_once
        embeds, fragment_links = {}, {}
        for path, note in index.notes.items():
            text = sources.get(path, "")
            embeds[path] = once("embeds", path, text, lambda: self._embeds(index, path, note))
            fragment_links[path] = once("fragment links", path, text, lambda: frozenset(
                resolve(index, path, link.raw).target for link in note.links if "#" in link.raw and not link.markdown))
        self._slug = obsidian.session.slug
        theme = [d for d in config.theme.dirs if not Path(d).resolve().is_relative_to(_MATERIAL)]
        now = Published(
            sources=sources,
            shape=(tuple(sorted(f.src_uri for f in files)),
                   tuple((f.src_uri, f.dest_uri, self._title(f, index, sources)) for f in self._docs)),
            settings=fingerprint(config.config_file_path, *theme),
            data=data,
            starts={p: n.body_start for p, n in index.notes.items()},
            anchors={p: (tuple(map(repr, n.headings)), tuple(sorted(n.block_ids))) for p, n in index.notes.items()},
            backlinks={p: frozenset(s) for p, s in obsidian.backlinks.items()},
            embeds=embeds,
            fragment_links=fragment_links,
            outputs=frozenset(f.dest_uri for f in files),
            generated={f.dest_uri: f._content for f in files
                       if not f.is_documentation_page() and getattr(f, "_content", None) is not None},
        )
        self._now = now
        last = self.last
        if last is None or last.shape != now.shape or last.settings != now.settings:
            self.stale = {f.src_uri for f in self._docs}
            why = ("the first build of this preview" if last is None else
                   "the notes or their titles changed" if last.shape != now.shape else "mkdocs.yml or the theme changed")
            log.debug("atlas: preview: every page is rendered (%s)", why)
        else:
            self.stale = {str(p) for p in self._depending(last, now, self._slug)}
        site = Path(config.site_dir)
        for file in self._docs:
            if file.src_uri in self.stale:
                _remove(site, file.dest_uri)
        if last is not None:
            for gone in last.outputs - now.outputs:
                _remove(site, gone)
            # MkDocs writes a file made in memory on every build (a vault's alias redirects: thousands);
            # one that holds what it held last time, and is still there, is left as it is.
            for file in files:
                if file.dest_uri in now.generated and last.generated.get(file.dest_uri) == now.generated[file.dest_uri] \
                        and file.dest_uri not in self.stale and (site / file.dest_uri).is_file():
                    file.is_modified = _unchanged

    @staticmethod
    def _title(file, index, sources) -> str | None:
        """The title a page gets: a front-matter title, the note's name, or an index's first heading."""
        note = index.notes.get(VaultPath(file.src_uri))
        if note is None:
            return None
        if note.meta.get("title") is not None:
            return str(note.meta["title"])
        if note_name(note.path).lower() not in ("index", "readme"):
            return note_name(note.path)
        return get_markdown_title(sources.get(note.path, "")[note.body_start:])

    @staticmethod
    def _embeds(index, path: VaultPath, note) -> tuple:
        """Give back what a note embeds: (note, heading, block, the link as written) for each embed of a
        note of the vault."""
        found = []
        for link in note.links:
            if link.embed:
                resolution = resolve(index, path, link.raw)
                if resolution.target is not None and resolution.target in index.notes:
                    found.append((resolution.target, resolution.heading, resolution.block, link.raw))
        return tuple(found)

    @staticmethod
    def _depending(last: Published, now: Published, slug) -> set[VaultPath]:
        """Give back the notes to render again, the site's shape being the same as at the last build."""
        changed = {p for p, text in now.sources.items() if last.sources.get(p) != text}
        stale = set(changed)
        # A link into a note may name a heading or block of it: those linkers check it again.
        for path in changed:
            if last.anchors.get(path) != now.anchors.get(path):
                stale |= {linker for linker in now.backlinks.get(path, frozenset())
                          if any(target == path for target in now.fragment_links.get(linker, ()))}
        # "Linked from" lists.
        for path in now.backlinks.keys() | last.backlinks.keys():
            if now.backlinks.get(path) != last.backlinks.get(path):
                stale.add(path)
        # The tags plugin fills its listings into the rendered page, on every build.
        stale |= {p for p, text in now.sources.items() if TAGS_LISTING in text}
        computed = {p for p, text in now.sources.items() if USES_DATA.search(text)} if last.data != now.data else set()
        stale |= computed
        # An embed shows a part of another note (all of it, a section, a block) and the embeds inside
        # that part: a note is rendered again when a part it shows, at any depth, reads differently.
        fragments = _Fragments(last, now, changed, computed, slug)
        stale |= {path for path, embeds in now.embeds.items() if any(fragments.differs(*e[:3]) for e in embeds)}
        return stale & now.sources.keys()

    def restore(self, config, files: Files, sources: dict[VaultPath, str]) -> None:
        """Read again, without rendering, the pages MkDocs will skip: their titles, their tags."""
        self._restored = set()
        if not self.dirty or self.last is None:
            return
        self._read_now = {}
        for file in self._docs:
            if file.is_modified():
                continue
            page = file.page if file.page is not None else Page(None, file, config)
            page = config.plugins.on_pre_page(page, config=config, files=files)
            self._read_source(page, config, sources)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            page._title_from_render = self.last.titles.get(page.url)
            self._restored.add(file.src_uri)
        self._read = self._read_now

    def _read_source(self, page: Page, config, sources: dict) -> None:
        """Page.read_source, with the front matter of a text already read taken from the last build."""
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            # The note's text as the vault index read it (MkDocs would read the file again), unless
            # reading it as text (MkDocs does) would change its line ends.
            source = sources.get(VaultPath(page.file.src_uri))
            if source is None or "\r" in source:
                source = page.file.content_string
        read = self._read.get(source)
        if read is None:
            read = self._read[source] = get_data(source)
        self._read_now[source] = read
        page.markdown, page.meta = read[0], dict(read[1])

    # -- the pages -------------------------------------------------------------------------------

    def before_pages(self, env, config) -> None:
        """Use the kept templates; put the tags plugin's pages back in the order a clean build reads
        them; count the pages to be written before the browser may reload."""
        env.bytecode_cache = self.bytecode
        if not self.dirty:
            return
        tags = config.plugins.get("material/tags")
        mapped = getattr(getattr(tags, "mappings", None), "data", None)
        if isinstance(mapped, dict) and self._restored:
            order = [f.page.url for f in self._docs if f.page is not None]
            tags.mappings.data = {url: mapped[url] for url in order if url in mapped} | mapped
        self._waiting = sum(1 for f in self._docs if f.page is not None and f.page.content is not None)
        self._search_mark = len(_search_entries(config))

    def page_rendered(self, page, config) -> None:
        """Keep a rendered page's title from its heading and its search entries (after search read it)."""
        if not self.dirty or self._now is None:
            return
        entries = _search_entries(config)
        self._now.entries[page.url] = entries[self._search_mark:]
        self._search_mark = len(entries)
        self._now.titles[page.url] = page._title_from_render

    def page_written(self, output: str | None, page) -> None:
        """Once the last page that changed is written, let the browsers reload."""
        if not self.dirty or page.content is None:
            return
        self._waiting -= 1
        if self._waiting or self.server is None or output is None:
            return
        # MkDocs writes the page after this event: written here first, the browser finds it whole.
        write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
        _let_browsers_reload(self.server)

    # -- after the pages -------------------------------------------------------------------------

    def finish(self, config) -> None:
        """Write the search index whole, and keep what this build published for the next."""
        if not self.dirty or self._now is None:
            return
        now, last = self._now, self.last
        for file in self._docs:
            url = file.page.url if file.page is not None else None
            if file.src_uri in self._restored and last is not None:
                now.entries[url] = last.entries.get(url, [])
                now.titles[url] = last.titles.get(url)
        search = config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if last is not None and index is not None and getattr(search.config, "enabled", True):
            index.entries = [entry for file in self._docs if file.page is not None
                             for entry in now.entries.get(file.page.url, [])]
            data = index.generate_search_index(None)
            write_file(data.encode("utf-8"), os.path.join(config.site_dir, "search", "search_index.json"))
        if not self._read:
            # After the first build, so the first save does not read every note's front matter again.
            for file in self._docs:
                source = now.sources.get(VaultPath(file.src_uri))
                if source is not None and "\r" not in source:
                    self._read[source] = get_data(source)
        self.last, self._now = now, None


class _Fragments:
    """Whether the part of a note an embed shows (the note, a section, a block) reads differently now."""

    def __init__(self, last: Published, now: Published, changed: set, computed: set, slug) -> None:
        self.last, self.now, self.changed, self.computed, self.slug = last, now, changed, computed, slug
        self._known: dict[tuple, bool] = {}

    def text(self, published: Published, note: VaultPath, heading: str | None, block_id: str | None) -> str | None:
        source = published.sources.get(note)
        if source is None:
            return None
        body = source[published.starts.get(note, 0):]
        if block_id:
            return block(body, block_id)
        return section(body, heading, self.slug) if heading else body

    def differs(self, note: VaultPath, heading: str | None, block_id: str | None, depth: int = 0) -> bool:
        key = (note, heading, block_id)
        if key in self._known:
            return self._known[key]
        self._known[key] = False  # a ring of embeds ends here (the renderer shows it as circular)
        if note in self.computed:
            result = True
        else:
            now = None
            result = False
            if note in self.changed:
                now = self.text(self.now, note, heading, block_id)
                result = now != self.text(self.last, note, heading, block_id)
            if not result and depth < MAX_DEPTH:
                # The note's embeds that show something new, if their link stands in the part shown.
                inner = [e for e in self.now.embeds.get(note, ()) if self.differs(*e[:3], depth=depth + 1)]
                if inner:
                    now = now if now is not None else self.text(self.now, note, heading, block_id) or ""
                    result = any(f"![[{e[3]}]]" in now for e in inner)
        self._known[key] = result
        return result


def _unchanged() -> bool:
    return False


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def _search_entries(config) -> list:
    """Give back the entries Material's search has read so far in this build ([] without search)."""
    index = getattr(config.plugins.get("material/search"), "search_index", None)
    return getattr(index, "entries", [])


def _remove(site: Path, dest_uri: str) -> None:
    """Delete a file the last build wrote, and the folders it leaves empty."""
    path = site / dest_uri
    try:
        path.unlink()
    except OSError:
        return
    folder = path.parent
    while folder != site and folder.is_relative_to(site):
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def watch_natively(server) -> None:
    """Have MkDocs' live-reload server hear of a save from the system (inotify, FSEvents) at once,
    instead of looking at every file's time twice a second (its polling watcher: a quarter of a second
    on average before a rebuild starts, and a walk of the whole vault each time).

    Done before the server starts, by moving each watched path onto the system's watcher; where there is
    none (watchdog's Observer is its polling one) or the server is not MkDocs' own, nothing changes.
    """
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    watched = getattr(server, "_watched_paths", None)
    observer = getattr(server, "observer", None)
    if (Observer is PollingObserver or not isinstance(observer, PollingObserver) or observer.is_alive()
            or not isinstance(watched, dict) or not hasattr(server, "unwatch")):
        return
    counts = dict(watched)
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = Observer()
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)


def _let_browsers_reload(server) -> None:
    """Tell MkDocs' live-reload server the site is ready (it says so itself after the whole build).

    Its pages wait while a build runs, and the browsers poll for the build's "epoch" to change. Both read
    the server's private _visible_epoch; a server without it (another MkDocs) reloads after the build.
    """
    condition = getattr(server, "_epoch_cond", None)
    if condition is None or not hasattr(server, "_wanted_epoch") or not hasattr(server, "_visible_epoch"):
        return
    with condition:
        server._visible_epoch = server._wanted_epoch
        condition.notify_all()
