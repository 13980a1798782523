"""Long folders in the navigation: a window of their notes on each page, and one page listing them all.

Material writes every note of a section into the navigation of each page that shows the section, so
a page of a vault of N notes carries N links and the site N * N: 350 KB a page and 125 MB in all at
2,000 notes (500 a folder). With ``navigation.prune`` Material leaves out the children of the
sections that do not hold the page, but not those of the section holding it, nor (under
``navigation.sections``) those of the top-level sections, which it always shows open.

A section whose notes outnumber the window (the ``nav_window`` switch of the ``material`` option, W)
is shown with W of them: on the pages it holds, the W around the page's own (the one holding it, for
a page further down; the window moves in steps of W/4, so the page is within W/8 of its middle),
elsewhere its first W. After them comes a plain link, "All 500 notes in
Rentals", to a page of the folder's own that lists every note of it (and of its subfolders) with a
plain link: everything stays one click away, with or without JavaScript, and the links are ordinary
ones that Material's instant navigation follows like any other. A page's navigation thus holds at most
W notes of each section it shows, whatever the size of the vault.

How it is done: the theme's ``render`` macro (overrides/partials/nav-item.html) goes through
``NavWindow.renderer``, which hands Material, for such a section, a stand-in that is the section in
every way but its ``children``. Stand-ins are made once per section and window start and kept for the
build, so the navigation cache (nav_cache.py), which keys subtrees by the item, serves each of them as
it serves a section: a section's first W rendered once for the build, a window once for each of its
starts and then in slices on the pages that share it.

The listing pages (``<folder>/all-notes/``, or ``all-notes-2``... when a note of the vault has that
name or URL) are written by the build for each folder that needs one, out of the navigation (Material
draws no section for them), and out of search (they hold only the titles search has already). They
are made from the files MkDocs publishes, after drafts and ``publish: false`` notes have left them
(obsidian/manager.py), so no unpublished note is ever listed. A folder note or ``index.md`` stays what it
is: under ``navigation.indexes`` it remains the section's link and is always shown; the listing is a
page of its own, listing the index first as the navigation does, so a vault's own index is never
rewritten. Only folders are windowed: a ``nav`` written in mkdocs.yml is the author's choice of what
each section shows, and notes at the vault's root (Material's top level, outside any section) are
shown as they are.
"""

from __future__ import annotations

import html
import posixpath
from typing import Any, Callable

from markupsafe import Markup, escape
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

#: The listing's name inside its folder; ``all-notes-2`` and on when a note of the vault holds it.
LISTING_NAME = "all-notes"


class _Windowed:
    """A section as the navigation shows it on some pages: some of its children, then the listing.

    Everything but ``children`` is the section's own, read when Material reads it (``active`` changes
    from page to page).
    """

    def __init__(self, section: Section, children: list[Any]) -> None:
        #: The section itself: its pages' ``parent`` (nav_cache.py finds the child holding a page by it).
        self.windowed_section = section
        self.children = children

    def __getattr__(self, name: str) -> Any:
        return getattr(self.windowed_section, name)


class NavWindow:
    """Shows sections of more than ``size`` notes as a window of ``size`` and a link to a listing page."""

    def __init__(self, size: int) -> None:
        self.size = size
        #: folder (src_uri's folder) -> the listing page's file, for each folder that needs one.
        self.listings: dict[str, File] = {}
        #: id(section) -> its _Long: filled in on_env, once the navigation is known.
        self._sections: dict[int, _Long] = {}
        self._indexes = False

    # -- the build ---------------------------------------------------------------------------------

    def on_files(self, files: Files, config: Any) -> Files:
        """Add a listing page to each folder whose section would show more than ``size`` notes."""
        self.listings = {}
        self._indexes = "navigation.indexes" in (config.theme.get("features") or [])
        if config.nav:  # the author's own sections (see the module's docstring)
            return files
        pages = [f for f in files.documentation_pages() if f.inclusion.is_in_nav()]
        entries: dict[str, set[str]] = {}  # folder -> its notes' src_uri and its subfolders, as MkDocs nests them
        for file in pages:
            if self._indexes and file.name == "index":
                continue  # the section's own link under navigation.indexes, not one of its entries
            path = file.src_uri
            while "/" in path:
                folder = posixpath.dirname(path)
                entries.setdefault(folder, set()).add(path)
                path = folder
        taken_sources = {f.src_uri for f in files}
        taken_dests = {f.dest_uri for f in files}
        for folder in sorted(entries):
            if len(entries[folder]) <= self.size:
                continue
            for number in range(1, 1000):
                name = LISTING_NAME if number == 1 else f"{LISTING_NAME}-{number}"
                listing = File.generated(config, f"{folder}/{name}.md", content=_listing_markdown(),
                                         inclusion=InclusionLevel.NOT_IN_NAV)
                if listing.src_uri not in taken_sources and listing.dest_uri not in taken_dests:
                    break
            taken_dests.add(listing.dest_uri)
            files.append(listing)
            self.listings[folder] = listing
        return files

    def on_env(self, files: Files) -> None:
        """Find each listing's section in the navigation, and write the listing: its title and every note."""
        self._sections = {}
        for folder, listing in self.listings.items():
            section = _section_of(files, folder)
            page = listing.page
            if page is None:
                continue
            if section is None:  # a plugin moved the folder's notes: list them as the files hold them
                notes = [f.page for f in files.documentation_pages() if f.page is not None
                         and f.inclusion.is_in_nav() and f.src_uri.startswith(folder + "/")]
                title, items = folder.rsplit("/", 1)[-1], [(note, None) for note in notes]
            else:
                title, items = section.title, _tree(section)
                self._sections[id(section)] = _Long(section, page, self._indexes)
            count = _count(items)
            page.meta["title"] = Markup(f"All {count:,} notes in ") + escape(title)
            page.content = _list_html(items, page)

    # -- the navigation ----------------------------------------------------------------------------

    def renderer(self, render: Callable[..., Any], page: Any) -> Callable[..., Any]:
        """Give back Material's ``render(nav_item, path, level, parent)`` for ``page``, long sections windowed."""
        if not self._sections:
            return render

        def windowed(nav_item, *arguments):
            return render(self.window(nav_item, page), *arguments)

        return windowed

    def window(self, nav_item: Any, page: Any) -> Any:
        """Give back ``nav_item`` as the navigation of ``page`` shows it: a stand-in for a long section."""
        long = self._sections.get(id(nav_item))
        if long is None or long.section is not nav_item or len(long.entries) <= self.size:
            return nav_item
        start = 0
        if getattr(nav_item, "active", False):
            position = long.positions.get(id(_holder(nav_item, page)))
            if position is not None:
                start = min(max(_start(position, self.size), 0), len(long.entries) - self.size)
        kept = long.windows.get(start)
        if kept is None:
            shown = long.entries[start:start + self.size]
            kept = long.windows[start] = _Windowed(nav_item, [*([long.index] if long.index else []), *shown,
                                                               long.listing])
        return kept


class _Long:
    """A section with a listing page: its entries (the children but its index under navigation.indexes),
    where each stands, and the stand-ins made of it so far (by window start)."""

    def __init__(self, section: Section, listing: Page, indexes: bool) -> None:
        self.section, self.listing = section, listing
        self.index = next((child for child in section.children if getattr(child, "is_index", False)), None) \
            if indexes else None
        self.entries = [child for child in section.children if child is not self.index]
        self.positions = {id(child): number for number, child in enumerate(self.entries)}
        self.windows: dict[int, _Windowed] = {}


def _start(position: int, size: int) -> int:
    """Give back where the window of a page at ``position`` begins (before it is kept inside the section).

    The page sits near the window's middle, between size/2 - step/2 and size/2 + step/2 notes from its
    start: the window moves in steps of a quarter of its size, so that each window is shared by a
    quarter of ``size`` pages, and the navigation cache joins it once and serves it in slices, as it
    serves a whole section (a window per page cost a seventh of the build at 1,000 notes).
    """
    step = max(size // 4, 1)
    return (position - size // 2 + step // 2) // step * step


def _listing_markdown() -> str:
    """Give back the listing page's Markdown: front matter keeping it out of search; its HTML, the list,
    is written once every page is known (``NavWindow.on_env``)."""
    return "---\nsearch:\n  exclude: true\n---\n"


def _section_of(files: Files, folder: str) -> Section | None:
    """Give back the section MkDocs made of ``folder``, from a note directly in it, or None."""
    for file in files.documentation_pages():
        if posixpath.dirname(file.src_uri) == folder and file.inclusion.is_in_nav() and file.page is not None:
            parent = file.page.parent
            return parent if isinstance(parent, Section) else None
    return None


def _holder(section: Section, page: Any) -> Any:
    """Give back the child of ``section`` that holds ``page`` (the page, or a section above it), or None."""
    item = page
    while item is not None:
        parent = getattr(item, "parent", None)
        if parent is section:
            return item
        item = parent
    return None


def _tree(section: Section) -> list[tuple[Any, list | None]]:
    """Give back a section's children in navigation order: (page, None) or (subsection, its tree)."""
    items: list[tuple[Any, list | None]] = []
    for child in section.children:
        if isinstance(child, Section):
            items.append((child, _tree(child)))
        elif isinstance(child, Page):
            items.append((child, None))
    return items


def _count(items: list[tuple[Any, list | None]]) -> int:
    return sum(1 if tree is None else _count(tree) for _, tree in items)


def _list_html(items: list[tuple[Any, list | None]], listing: Page) -> str:
    """Give back the listing's HTML: a plain list of links, a subfolder's notes nested under its title."""
    lines = ['<ul class="atlas-listing">']
    for item, tree in items:
        if tree is None:
            href = html.escape(get_relative_url(item.url, listing.url))
            lines.append(f'<li><a href="{href}">{escape(item.title)}</a></li>')
        else:
            lines.append(f"<li>{escape(item.title)}\n{_list_html(tree, listing)}</li>")
    lines.append("</ul>")
    return "\n".join(lines)
