"""Typed path kinds of the vault, the one slug function, and the parts of a link as written.

A link travels through distinct kinds of path, and mixing them up is how site generators 404 on a
name with a space or a `#`. Each kind has its own type (after Quartz's FilePath / FullSlug / RelativeURL):

- ``VaultPath``: a file's path from the vault root, POSIX, with its extension: ``"Folder/My note.md"``.
- ``LinkPath``: the path part of a link as the author wrote it: ``"My note"``, ``"2024/Books"``, ``"a.png"``.
- ``Href``: what an ``<a href>`` holds: percent-encoded, relative to the linking file (``"../My%20note.md"``,
  turned into a page URL by MkDocs) or to the page's URL (``"../My%20note/"``) inside embedded HTML.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, NewType
from urllib.parse import quote

from pymdownx.slugs import slugify as _slugify_factory

VaultPath = NewType("VaultPath", str)
LinkPath = NewType("LinkPath", str)
Href = NewType("Href", str)

#: The slug of a heading, as toc writes the heading's id and as a link's fragment must name it. The same
#: function mkdocs.yml gives toc (pymdownx.slugs, lower case): unicode stays unicode ("数据" keeps its
#: characters, where Python-Markdown's default gives "_1"), punctuation is dropped as Obsidian drops it.
Slugify = Callable[[str, str], str]
DEFAULT_SLUGIFY: Slugify = _slugify_factory(case="lower")

NOTE_SUFFIX = ".md"


def slugify(text: str, slug: Slugify | None = None) -> str:
    """Give back the id of a heading with this text: the one function for heading ids and link fragments."""
    return (slug or DEFAULT_SLUGIFY)(text, "-")


# What a heading's Markdown turns into once rendered, for heading_text below.
_EMBED_IN_TEXT = re.compile(r"!\[\[[^\[\]\n]*\]\]|!\[[^\[\]\n]*\]\([^()\n]*\)")
_WIKILINK_IN_TEXT = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
_LINK_IN_TEXT = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")
_COMMENT_IN_TEXT = re.compile(r"%%.*?%%")
_TAG_IN_TEXT = re.compile(r"<[^<>\n]*>")
# "_" is a word character, kept by the slug: the underscores of _emphasis_ go, those of snake_case stay.
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)_+|_+(?!\w)")


def heading_text(markdown: str) -> str:
    """Give back a heading's text as it reads once rendered: a link's text for the link, an embed or
    image dropped, comments, tags and ``_emphasis_`` markers gone, entities decoded, blanks collapsed.

    The slug of a heading is taken from this text on both sides: toc slugifies the rendered heading,
    and a link's ``#Heading`` may be written with or without the heading's Markdown. The other markup
    (backticks, ``*``, ``==``, ``~~``) is punctuation the slug drops anyway.
    """
    text = _COMMENT_IN_TEXT.sub("", markdown)
    text = _EMBED_IN_TEXT.sub("", text)
    text = _WIKILINK_IN_TEXT.sub(lambda m: _link_text(m.group(1)), text)
    text = _LINK_IN_TEXT.sub(r"\1", text)
    text = _TAG_IN_TEXT.sub("", text)
    return " ".join(html.unescape(_UNDERSCORE_EMPHASIS.sub("", text)).split())  # as toc's strip_tags does


def _link_text(inner: str) -> str:
    link = parse_wikilink(inner)
    return link.alias or link.default_text()


def heading_id(text: str, slug: Slugify | None = None) -> str:
    """Give back the id toc gives a heading written ``text`` (Markdown), as links must name it."""
    return slugify(heading_text(text), slug)


def fold(text: str) -> str:
    """Give back the case- and normalization-insensitive key of a name (NFC, casefolded)."""
    return unicodedata.normalize("NFC", text).casefold()


def is_note(path: str) -> bool:
    """Give back whether a vault path names a Markdown note rather than an attachment."""
    return path.lower().endswith(NOTE_SUFFIX)


def note_name(path: VaultPath) -> str:
    """Give back a note's name as Obsidian shows it: the file name without folder and ``.md``."""
    name = posixpath.basename(path)
    return name[: -len(NOTE_SUFFIX)] if is_note(name) else name


def folder_of(path: VaultPath | None) -> str:
    """Give back the folder of a vault path ("" for the vault root or no path)."""
    return posixpath.dirname(path) if path else ""


def href_between(source: VaultPath | None, target: VaultPath, fragment: str | None = None) -> Href:
    """Give back the percent-encoded href from the file ``source`` to the file ``target``.

    MkDocs turns such a source-relative link to a ``.md`` file into the target page's URL (honouring
    ``use_directory_urls`` and permalinks), and validates it; so does Zensical.
    """
    relative = posixpath.relpath(target, folder_of(source) or ".")
    return Href(quote(relative, safe="/") + fragment_suffix(fragment))


def href_to_url(url: str, page_url: str, fragment: str | None = None) -> Href:
    """Give back the percent-encoded href from the page at ``page_url`` to the site URL ``url``."""
    from mkdocs.utils import get_relative_url

    return Href(quote(get_relative_url(url, page_url), safe="/%") + fragment_suffix(fragment))


def fragment_suffix(fragment: str | None) -> str:
    """Give back ``#fragment`` as written in an href, or "".

    Slugs and block ids hold only word characters and "-" (and "^"), and MkDocs compares the fragment
    with the target page's ids as written, so the fragment is not percent-encoded.
    """
    return "#" + fragment if fragment else ""


@dataclass(frozen=True)
class WikiLink:
    """The parts of ``[[path#Heading#Sub|alias]]`` as written (``^id`` block references included)."""

    raw: str
    path: LinkPath
    headings: tuple[str, ...] = ()
    block: str | None = None
    alias: str | None = None

    @property
    def target_text(self) -> str:
        """Give back the link without its alias: ``Note#Heading``, as messages quote it."""
        return self.raw.split("|", 1)[0].replace("\\", "").strip() if self.alias is not None else self.raw.strip()

    def default_text(self) -> str:
        """Give back the text Obsidian shows for a link without alias: ``Note > Heading``, ``Heading``."""
        parts = [self.path] if self.path else []
        parts += list(self.headings)
        if self.block:
            parts.append("^" + self.block)
        return " > ".join(parts)


# An alias follows the first "|"; inside a table cell the author writes "\|" so the table keeps its cells.
_ALIAS_SPLIT = re.compile(r"\\?\|")


def parse_wikilink(raw: str, name_hashes: int = 0) -> WikiLink:
    """Give back the parts of the inside of ``[[...]]``.

    ``name_hashes`` keeps that many ``#`` inside the name, for a file whose name contains ``#``
    (the resolver retries with more when the usual reading names no file).
    """
    inner, alias = raw, None
    split = _ALIAS_SPLIT.split(raw, maxsplit=1)
    if len(split) == 2:
        inner, alias = split[0], split[1].strip()
    pieces = inner.split("#")
    path = "#".join(pieces[: 1 + name_hashes]).strip()
    fragments = [piece.strip() for piece in pieces[1 + name_hashes :]]
    block = None
    if fragments and fragments[-1].startswith("^"):
        block = fragments.pop()[1:]
    headings = tuple(f for f in fragments if f)
    return WikiLink(raw=raw, path=LinkPath(path), headings=headings, block=block, alias=alias or None)
