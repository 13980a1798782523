"""Material's navigation, each subtree rendered once per build rather than once per page.

Material lists every page of the site in the navigation of every page, so a vault of N notes renders
N * N navigation entries: at 500 notes that was 15 of 32 build seconds. The theme override
build_scripts/overrides/partials/nav-item.html routes each call of Material's `render` macro through
``NavCache.renderer``, which gives back the HTML of a subtree from the cache when it can be sure the
HTML would come out the same, and renders it (and caches it) otherwise.

What the HTML of a subtree that does not hold the current page depends on, read from Material 9.8.1's
macro: the subtree itself, the ``path`` and ``level`` it is rendered at, whether its parent is active
(under navigation.tabs), the theme's features and config (fixed for a build), and the current page only
through MkDocs' ``url`` filter, which writes each link relative to the page's folder. A relative link
from folder F to page T is "../" once for each part of F past the parts F shares with T, then the rest
of T (mkdocs.utils.get_relative_url). All the pages of a subtree share the leading parts of their URLs
(a prefix P: "rentals/" for a folder's section). When F leaves P before its end, F shares with every
page of the subtree exactly the parts it shares with P, so every link in the subtree comes out the
same for any folder with as many parts that leaves P at the same place: the cache key holds those two
numbers instead of the folder. Pages of the same folder and pages further down share their subtrees;
a subtree seen from a folder inside P is rendered as Material renders it.

The section holding the current page lists its other pages too (all of a folder's notes, under
navigation.sections), and rendering them one macro call at a time was still a square in the number
of notes. Its own HTML, apart from its children's, is the same on each of its pages, so it is rendered
once with a stand-in for each child (a "skeleton"), and on each page the children, cached or not, are
put in the stand-ins' places.

Even so, each page went through its section's children one by one, and at 2,000 notes (500 a folder)
that was 2.5 of 36 seconds. Seen from any page of the section at the same folder depth, a child that
does not hold the page and whose links do not run through the page's own folder has the same HTML (its
key above then holds the same two numbers). So once each child has been seen that way, the section is
kept as one string per folder depth, and a page takes slices of it around the few children it renders
itself: the one holding it, and any whose links run through its folder.

A section longer than the plugin's ``nav_window`` is shown as a window of its children (nav_window.py):
``NavCache.window`` gives, for each item and page, the item to render, a stand-in for such a section.
The cache keys and joins stand-ins as it does sections (the window moves in steps, so each is shared by
a run of pages), and a skeleton's calls name the sections themselves, so that each page gets its own
window of a long section inside another.

The HTML kept is Material's with each run of whitespace that holds a line break folded to one line
break: Material's template indents every entry, and the whitespace was half of every page's bytes at
2,000 notes (0.6 of 1.3 GB). A browser renders it the same, as HTML collapses such runs to one space;
a subtree with preformatted text (<pre>, <code>, <textarea>) is kept as it came.
"""

from __future__ import annotations

import functools
import posixpath
import re
from typing import Any, Callable
from urllib.parse import urlsplit

from jinja2 import Undefined
from markupsafe import Markup

#: A subtree whose links all leave the site ("https://..."): its HTML is the same from every page.
#: (Not an empty tuple: that is the prefix of a subtree holding the home page, which is no such thing.)
_ANY_FOLDER = ("any folder",)
#: ``parent`` not given: Material's top level calls ``render(nav_item, path, 1)``.
_NO_PARENT = object()
#: A run of HTML whitespace (not U+00A0, which a browser keeps) holding a line break.
_BROKEN_RUN = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
#: Where whitespace is kept as written, so a subtree holding one is not folded.
_PREFORMATTED = ("<pre", "<code", "<textarea")


class NavCache:
    """The rendered navigation subtrees of one build, keyed by what their HTML depends on."""

    def __init__(self) -> None:
        self._html: dict[tuple, tuple[Any, Any]] = {}
        self._prefixes: dict[int, tuple[Any, tuple[str, ...] | None]] = {}
        self._plain: dict[int, tuple[Any, bool]] = {}
        #: ``NavWindow.window``, when the build shows long sections as windows: (item, page) -> item.
        self.window: Callable[[Any, Any], Any] | None = None

    def renderer(self, render_uncached: Callable[..., Any], page: Any) -> Callable[..., Any]:
        """Give back Material's ``render(nav_item, path, level, parent)`` for ``page``, served from the cache."""
        if isinstance(page, Undefined) or page is None or not isinstance(getattr(page, "url", None), str):
            # 404.html: links are written from the site's base URL instead (long sections still windowed).
            window = self.window
            if window is None:
                return render_uncached
            return lambda nav_item, *arguments: render_uncached(window(nav_item, page), *arguments)
        folder = _folder_parts(page.url)
        children: list[tuple] | None = None  # while a skeleton renders: the calls for its children

        def render(nav_item, path, level, parent=_NO_PARENT):
            nonlocal children
            # The macro is called as Material calls it: without a parent at the top level.
            arguments = (nav_item, path, level) if parent is _NO_PARENT else (nav_item, path, level, parent)
            if children is not None:
                children.append(arguments)
                return Markup(_slot(len(children) - 1))
            # A long section is shown as a window of its children (nav_window.py), chosen for this page:
            # the calls a skeleton keeps name the section itself, so another page gets its own window.
            if self.window is not None:
                nav_item = self.window(nav_item, page)
                arguments = (nav_item, *arguments[1:])
            key = self._key(nav_item, path, level, parent, folder)
            if key is not None:
                cached = self._html.get(key)
                if cached is None:
                    # The item is kept with its HTML, so its id cannot be reused by another item this build.
                    cached = self._html[key] = (_fold(render_uncached(*arguments)), nav_item)
                return cached[0]
            if not self._plain_skeleton(nav_item):
                return render_uncached(*arguments)
            skeleton_key = (id(nav_item), path, level, _parent_active(parent), "skeleton")
            skeleton = self._html.get(skeleton_key)
            if skeleton is None:
                children = []
                try:
                    html = render_uncached(*arguments)
                finally:
                    calls, children = children, None
                split = _split_skeleton(_fold(html), calls)
                section = _Section.of(self, nav_item, *split) if split is not None else None
                skeleton = self._html[skeleton_key] = (split, nav_item, section)
            split, _, section = skeleton
            if split is None:
                return render_uncached(*arguments)
            if section is not None:
                html = section.assemble(page, folder, render)
                if html is not None:
                    return html
            kind, parts, calls = split
            return kind(_interleave(parts, [render(*call) for call in calls]))

        return render

    def _key(self, nav_item: Any, path: Any, level: Any, parent: Any,
             folder: tuple[str, ...]) -> tuple | None:
        """Give back the cache key of a subtree rendered from a page in ``folder``, or None to render it."""
        if getattr(nav_item, "active", False):
            return None  # it holds the current page
        prefix = self._prefix(nav_item)
        if prefix is None:
            return None
        parent_active = _parent_active(parent)
        if prefix is _ANY_FOLDER:
            return (id(nav_item), path, level, parent_active)
        shared = 0
        for mine, theirs in zip(folder, prefix):
            if mine != theirs:
                break
            shared += 1
        if shared == len(prefix):
            return None  # the page's folder is inside the subtree's prefix: its links differ page by page
        return (id(nav_item), path, level, parent_active, len(folder), shared)

    def _prefix(self, nav_item: Any) -> tuple[str, ...] | None:
        """Give back the URL parts all links of a subtree share, ``_ANY_FOLDER``, or None if unsure."""
        known = self._prefixes.get(id(nav_item))
        if known is not None and known[0] is nav_item:
            return known[1]
        # Material checks `page in nav_item.pages` (blog views): such an item is always rendered.
        prefix = None if hasattr(nav_item, "pages") else _links_prefix(nav_item)
        self._prefixes[id(nav_item)] = (nav_item, prefix)
        return prefix

    def _plain_skeleton(self, nav_item: Any) -> bool:
        """Give back whether a section's own HTML, apart from its children's, is the same on all its pages.

        True for the section holding the current page, when it has no index page (Material links that,
        and marks it active on its own page) and no blog view's ``pages``: its classes, checkbox, label
        and title then depend only on its being active, its path and level, and its parent being active.
        Whether it is active is read on each page; its children, once per build.
        """
        if not (getattr(nav_item, "active", False) and getattr(nav_item, "children", None)):
            return False
        known = self._plain.get(id(nav_item))
        if known is None or known[0] is not nav_item:
            plain = not hasattr(nav_item, "pages") and not any(
                getattr(child, "is_index", False) for child in nav_item.children)
            known = self._plain[id(nav_item)] = (nav_item, plain)
        return known[1]


class _Section:
    """The section holding the current page, kept as one string per folder depth of its pages.

    For pages whose folder has ``depth`` parts and begins with the section's prefix P, a child is
    "common" when its links share a prefix longer than P that the page's folder leaves at P: its HTML
    is then the cache's entry for (child, path, level, parent active, depth, len(P)), the same from
    each such page. ``_joined[depth]`` is the skeleton with every child's common HTML in its place (an
    empty string for children that are never common); a page takes it in slices around the children
    it renders through ``render``: those never common, the one holding the page, and those whose
    links run through the page's folder. Until every child has been seen as common at a depth, pages
    at that depth are put together child by child, and what they render is recorded.
    """

    def __init__(self, nav_item: Any, kind: type, parts: list[str], calls: list[tuple], depth: int,
                 prefix: tuple[str, ...], never_common: frozenset[int], by_part: dict[str, tuple[int, ...]]):
        self.nav_item = nav_item
        #: What its pages name as their ``parent``: the section, also when ``nav_item`` shows only a window
        #: of its children (nav_window.py).
        self.section = getattr(nav_item, "windowed_section", nav_item)
        self.kind, self.parts, self.calls = kind, parts, calls
        self.prefix, self.depth = prefix, depth
        self.never_common = never_common   # children rendered on every page
        self.by_part = by_part             # the part after P -> children whose links all run through it
        self.index = {id(call[0]): number for number, call in enumerate(calls)}
        self._seen: dict[int, list[str | None]] = {}                       # folder depth -> common HTML
        self._joined: dict[int, tuple[str, list[int], list[int]]] = {}     # folder depth -> (text, starts, ends)

    @classmethod
    def of(cls, cache: NavCache, nav_item: Any, kind: type, parts: list[str], calls: list[tuple]) -> _Section | None:
        """Give back the section of a skeleton, or None when its children cannot be kept this way."""
        prefix = cache._prefix(nav_item)
        if prefix is None or prefix is _ANY_FOLDER:
            return None
        # Material passes the section itself as each child's parent: active, so the keys hold True.
        if any(len(call) != 4 or call[3] is not nav_item for call in calls):
            return None
        depth = len(prefix)
        never_common: set[int] = set()
        by_part: dict[str, list[int]] = {}
        for number, call in enumerate(calls):
            child = cache._prefix(call[0])
            if child is _ANY_FOLDER:
                continue  # links off the site: the same HTML from every page
            if child is None or len(child) <= depth:
                never_common.add(number)
            else:
                by_part.setdefault(child[depth], []).append(number)
        return cls(nav_item, kind, parts, calls, depth, prefix, frozenset(never_common),
                   {part: tuple(numbers) for part, numbers in by_part.items()})

    def assemble(self, page: Any, folder: tuple[str, ...], render: Callable[..., Any]) -> Any:
        """Give back the section's HTML on ``page``, or None to have it put together child by child."""
        if len(folder) < self.depth or folder[:self.depth] != self.prefix:
            return None
        holder = self._holder(page)
        if holder is None:
            return None
        special = set(self.never_common)
        special.add(holder)
        if len(folder) > self.depth:
            special.update(self.by_part.get(folder[self.depth], ()))
        joined = self._joined.get(len(folder))
        if joined is None:
            return self._record(len(folder), special, render)
        text, starts, ends = joined
        pieces = []
        position = 0
        for number in sorted(special):
            pieces.append(text[position:starts[number]])
            pieces.append(render(*self.calls[number]))
            position = ends[number]
        pieces.append(text[position:])
        return self.kind("".join(pieces))

    def _holder(self, page: Any) -> int | None:
        """Give back the number of the child holding ``page`` (itself or a section above it), or None."""
        item = page
        for _ in range(64):
            if item is None:
                return None
            parent = getattr(item, "parent", None)
            if parent is self.section:
                number = self.index.get(id(item))
                return number if number is not None and self.calls[number][0] is item else None
            item = parent
        return None

    def _record(self, depth: int, special: set[int], render: Callable[..., Any]) -> Any:
        """Put the section together child by child, keeping the common HTML seen; join it once complete."""
        seen = self._seen.setdefault(depth, [None] * len(self.calls))
        htmls = [render(*call) for call in self.calls]
        for number, html in enumerate(htmls):
            if number not in special:
                seen[number] = html
        if all(html is not None or number in self.never_common for number, html in enumerate(seen)):
            common = ["" if html is None else str(html) for html in seen]
            starts, ends = [], []
            offset = len(self.parts[0])
            for html, part in zip(common, self.parts[1:]):
                starts.append(offset)
                offset += len(html)
                ends.append(offset)
                offset += len(part)
            self._joined[depth] = (_interleave(self.parts, common), starts, ends)
            del self._seen[depth]
        return self.kind(_interleave(self.parts, htmls))


def _fold(html: Any) -> Any:
    """Give back ``html`` with each whitespace run that holds a line break folded to one line break."""
    text = str(html)
    if any(tag in text for tag in _PREFORMATTED):
        return html
    return type(html)(_BROKEN_RUN.sub("\n", text))


def _parent_active(parent: Any) -> bool:
    """Give back ``parent.active`` as the macro reads it (false when no parent is given)."""
    return parent is not _NO_PARENT and not isinstance(parent, Undefined) and bool(getattr(parent, "active", False))


def _interleave(parts: list[str], htmls: list[Any]) -> str:
    """Give back a skeleton's text with each child's HTML between the parts around its stand-in."""
    pieces = [parts[0]]
    for html, part in zip(htmls, parts[1:]):
        pieces.append(html)
        pieces.append(part)
    return "".join(pieces)


def _slot(number: int) -> str:
    """Give back the stand-in for a child's HTML in a skeleton (NUL never occurs in rendered HTML)."""
    return f"\x00atlas-nav-{number}\x00"


def _split_skeleton(html: Any, calls: list[tuple]) -> tuple[type, list[str], list[tuple]] | None:
    """Give back (type, the text around each child, each child's render call) of a skeleton, or None.

    None when the stand-ins are not each there once and in order, so the section is rendered whole.
    """
    parts: list[str] = []
    rest = str(html)
    for number in range(len(calls)):
        before, found, rest = rest.partition(_slot(number))
        if not found or "\x00" in before:
            return None
        parts.append(before)
    if "\x00" in rest:
        return None
    parts.append(rest)
    return type(html), parts, calls


@functools.lru_cache(maxsize=None)
def _path_parts(path: str) -> tuple[str, ...]:
    """Give back the parts of a URL path as MkDocs' ``url`` filter splits it (mkdocs.utils.normalize_url
    and get_relative_url): from the site's root, with "." and ".." worked out."""
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)[1:]
    return tuple(path.split("/")) if path else ()


@functools.lru_cache(maxsize=None)
def _relative_url_parts(url: str) -> tuple[str, ...] | None:
    """Give back the parts of a link's URL the ``url`` filter writes relative to each page, or None for
    one it writes as it is from every page (a full URL, or one from the root or of a fragment)."""
    if not url:
        url = "."
    url = url.replace("\\", "/")  # MkDocs warns about such a path when it renders it, and reads it so
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("/", "#")):
        return None
    return _path_parts(url)


def _folder_parts(page_url: str) -> tuple[str, ...]:
    """Give back the folder relative links are written from, as mkdocs.utils.get_relative_url finds it."""
    folder, _, name = page_url.rpartition("/")
    return _path_parts(folder if "." in name else page_url)


def _links_prefix(nav_item: Any) -> tuple[str, ...] | None:
    """Give back the leading URL parts shared by every relative link under ``nav_item``.

    Material links a subtree's pages (leaves, section indexes, a pruned section's first page), and only
    those: every item without children is a link. ``_ANY_FOLDER`` when no link is relative; None when an
    item has no URL, as the cache would then rest on Material's handling of a missing one.
    """
    prefix: list[str] | None = None
    stack = [nav_item]
    while stack:
        item = stack.pop()
        children = getattr(item, "children", None)
        if children:
            stack.extend(children)
            continue
        url = getattr(item, "url", None)
        if not isinstance(url, str):
            return None
        parts = _relative_url_parts(url)
        if parts is None:
            continue  # an absolute URL is written as it is, from every page
        if prefix is None:
            prefix = list(parts)
        else:
            shared = 0
            for mine, theirs in zip(prefix, parts):
                if mine != theirs:
                    break
                shared += 1
            del prefix[shared:]
    return _ANY_FOLDER if prefix is None else tuple(prefix)
