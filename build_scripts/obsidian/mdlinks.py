"""Markdown links and images (``[text](Note.md)``, ``![alt|300](chart.png)``) as Obsidian reads them.

Obsidian resolves a Markdown link's path as it resolves a wikilink: from the linking note's folder
first, then by name anywhere in the vault ("shortest path when possible" is how it writes them), so
``[x](chart.png)`` finds ``Attachments/chart.png``. MkDocs only looks beside the note. Each link to a
vault file is pointed at the file it lands on; a fragment that names a heading by its text
(``Note.md#My%20Heading``, as Obsidian writes it) is turned into the heading's id. A link to a file
that is missing or not published shows as an unresolved link, as a wikilink does, and is reported
once at the ``broken_links`` level (MkDocs never sees it, so it is not reported twice). An image takes
Obsidian's size: ``![alt|100x200](path)``, ``![alt|100](path)``.

Links with a scheme or a host, site-absolute links, and folder links (``dir/``) are left to MkDocs.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from atlas_mkdocs.obsidian.base import ObsidianExtension
from atlas_mkdocs.obsidian.sanitize import url_scheme
from atlas_mkdocs.obsidian.paths import VaultPath, heading_id, parse_wikilink
from atlas_mkdocs.obsidian.session import ObsidianSession
from atlas_mkdocs.obsidian.vault import Resolution, resolve_markdown_path
from atlas_mkdocs.obsidian.wikilinks import unresolved

#: ``100x200`` or ``100``: Obsidian's image size, after the last "|" of the alt text.
_IMAGE_SIZE = re.compile(r"\s*(?P<width>\d+)(?:x(?P<height>\d+))?\s*")
#: How far back a link's text is looked for in its line, for the message (a link's text is short).
_LINK_TEXT_REACH = 1000


def image_size(element: etree.Element) -> None:
    """Move Obsidian's ``|100x200`` from an image's alt text into its width and height."""
    alt, bar, size = (element.get("alt") or "").rpartition("|")
    size = _IMAGE_SIZE.fullmatch(size) if bar else None
    if size:
        element.set("alt", alt.rstrip())
        element.set("width", size.group("width"))
        if size.group("height"):
            element.set("height", size.group("height"))


class MarkdownLinkTreeprocessor(Treeprocessor):
    """Point Markdown links and images at the vault files they name, as Obsidian resolves them."""

    def __init__(self, md: Markdown, session: ObsidianSession) -> None:
        super().__init__(md)
        self.session = session

    def run(self, root):
        for parent in list(root.iter()):
            for index, element in enumerate(list(parent)):
                if element.tag not in ("a", "img") or "obsidian" in (element.get("class") or ""):
                    continue
                if element.tag == "img":
                    image_size(element)
                replacement = self.visit(element)
                if replacement is not None:
                    replacement.tail = element.tail
                    parent.remove(element)
                    parent.insert(index, replacement)

    def visit(self, element: etree.Element) -> etree.Element | None:
        """Point one link or image at its file; give back what replaces it if it lands nowhere."""
        attribute = "href" if element.tag == "a" else "src"
        value = element.get(attribute)
        if not value or self.session.index is None:
            return None
        # The URL as the browser reads it: entities decoded ("javascript&#58;", and Python-Markdown's own
        # for an e-mail address, <a@b.c>, whose "&" it keeps as a placeholder until the end).
        value = html.unescape(value.replace(AMP_SUBSTITUTE, "&"))
        parts = urlsplit(value)
        if url_scheme(value) or parts.scheme or parts.netloc or parts.path.startswith("/") \
                or parts.path.endswith("/"):
            return None
        context = self.session.current
        if not parts.path:  # "#Heading text" on this page
            fragment = self.heading_fragment(context.note, parts.fragment)
            if fragment is not None:
                element.set(attribute, "#" + fragment)
            return None
        path = unquote(parts.path)
        target = resolve_markdown_path(self.session.index, context.note, path)
        if target is None:
            return self.report(element, attribute, value, path)
        fragment = parts.fragment or None
        if fragment is not None:
            fragment = self.heading_fragment(target, fragment) or fragment
        element.set(attribute, self.session.href(target, fragment))
        return None


    def heading_fragment(self, note: VaultPath | None, fragment: str) -> str | None:
        """Give back the id of the heading a fragment names by its text (``My%20Heading``), or None."""
        if not fragment or note is None or fragment.startswith("^"):
            return None
        ids = self.session.heading_ids(note)
        if fragment in ids:
            return None  # already an id
        wanted = heading_id(unquote(fragment), self.session.slug)
        return wanted if wanted in ids else None

    def report(self, element: etree.Element, attribute: str, value: str, path: str) -> etree.Element:
        """Report a link or image that lands nowhere; give back the unresolved text that replaces it."""
        text = "".join(element.itertext()) if element.tag == "a" else element.get("alt") or ""
        source = self.session.current.source or ""
        # The line is that of the link's target as the source spells it: plain, or in <...>.
        probe = next((p for p in (f"]({value}", f"](<{unquote(value)}>") if p in source), f"]({value}")
        written = as_in_source(source, probe) or f"{'!' if element.tag == 'img' else ''}[{text}]({value})"
        self.session.report_unresolved(Resolution(link=parse_wikilink(path), target=None), written,
                                       markdown=True, path=path, probe=probe)
        replacement = unresolved(text or posixpath.basename(path))
        if element.tag == "a" and len(element):  # keep the link's own markup (code, emphasis) inside
            replacement.text = element.text
            replacement.extend(list(element))
        return replacement


def as_in_source(source: str, probe: str) -> str | None:
    """Give back the whole Markdown link around ``probe`` (its "](target" part) as the source writes it."""
    at = source.find(probe)
    if at < 0:
        return None
    line_start = max(source.rfind("\n", 0, at) + 1, at - _LINK_TEXT_REACH)
    end = source.find(")", at + len(probe) - 1)
    depth, opening = 0, -1
    for index in range(at, line_start - 1, -1):  # back to the "[" that opens the link text
        depth += {"]": 1, "[": -1}.get(source[index], 0)
        if depth == 0:
            opening = index
            break
    if opening < 0 or end < 0 or "\n" in source[at:end]:
        return None
    return source[opening - (source[opening - 1:opening] == "!"):end + 1]


class MarkdownLinkExtension(ObsidianExtension):
    """Markdown links and images resolved as Obsidian resolves them."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.treeprocessors.register(
            MarkdownLinkTreeprocessor(md, self.session_for(md)),
            # After inline (20), when Markdown links and images exist; before the embedded-heading
            # marks (15), the sanitiser (2) and MkDocs' own link rewriting (0), which then finds each
            # href naming a file it knows.
            "obsidian_markdown_links",
            17,
        )
        md.registerExtension(self)


def makeExtension(**kwargs) -> MarkdownLinkExtension:  # noqa: N802
    return MarkdownLinkExtension(**kwargs)
