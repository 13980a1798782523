"""``![[Note]]``, ``![[Note#Heading]]``, ``![[Note#^id]]`` and ``![[file|300]]`` as embedded content.

A note (or its section, or its block) is rendered from its source with the page's own extensions:
its links resolve from the embedded note's folder and point where they must from the embedding page;
its frontmatter is not shown. Images, audio, video and PDFs become the matching element. A cycle
(a note embedding itself, two notes embedding each other, a longer ring) ends in a visible
"circular embed" marker and a warning; two sections of one note are not a cycle. Only files of the
vault index can be embedded, so nothing outside the vault is ever read.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
import xml.etree.ElementTree as etree
from urllib.parse import quote

import markdown
from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from atlas_mkdocs.material.markers import SEARCH_EXCLUDE
from atlas_mkdocs.obsidian.base import ObsidianExtension
from atlas_mkdocs.obsidian.paths import heading_id, is_note, note_name, parse_wikilink
from atlas_mkdocs.obsidian.scan import _HEADING, prose_lines, split_frontmatter
from atlas_mkdocs.obsidian.session import (
    ObsidianSession,
    PageContext,
    as_written,
    log,
)
from atlas_mkdocs.obsidian.wikilinks import link_text, unresolved
from atlas_mkdocs.obsidian.vault import Resolution

EMBED_RE = r"!\[\[([^\[\]\n]+?)\]\]"
IMAGE = {"png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif"}
AUDIO = {"mp3", "wav", "m4a", "ogg", "flac", "3gp"}
VIDEO = {"mp4", "webm", "ogv", "mov", "mkv"}
#: Files Obsidian shows as views of the vault rather than as content: Bases (tables of notes by their
#: properties) and Canvases (boards of cards).
APP_VIEWS = {"base": "a Base, a table of notes", "canvas": "a Canvas, a board of cards"}
_SIZE = re.compile(r"^(?P<width>\d+)(?:x(?P<height>\d+))?$")
_PDF_HEIGHT = re.compile(r"(?:^|&)height=(\d+)")
#: What a file's fragment keeps unencoded: Obsidian's "page=3&height=400", media's "t=10,20".
FRAGMENT_SAFE = "=&,;:^!$'()*+~-._"
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
#: Deeper than any sensible chain of embeds; a guard against pathological vaults, not the cycle check.
MAX_DEPTH = 12


def section(body: str, heading: str, slug) -> str | None:
    """Give back the section under ``heading`` (matched by slug) up to the next heading as high, or None."""
    wanted = heading_id(heading, slug)
    lines = body.split("\n")
    start = level = None
    for number, line in prose_lines(body):
        match = _HEADING.match(line)
        if not match:
            continue
        if start is None:
            if heading_id(match.group(2), slug) == wanted:
                start, level = number - 1, len(match.group(1))
        elif len(match.group(1)) <= level:
            return "\n".join(lines[start:number - 1]).strip("\n")
    return "\n".join(lines[start:]).strip("\n") if start is not None else None


def block(body: str, block_id: str) -> str | None:
    """Give back the paragraph, list item or block named ``^block_id``, without the marker, or None."""
    lines = body.split("\n")
    marker = re.compile(r"(?:^|\s|(?<=\]\]))\^" + re.escape(block_id) + r"[ \t]*$")
    for number, line in prose_lines(body):
        if not marker.search(line):
            continue
        end = number - 1
        text = marker.sub("", lines[end]).rstrip()
        if text and _LIST_ITEM.match(text):
            return text
        if not text:  # "^id" alone: the block just above it
            end -= 1
            while end >= 0 and not lines[end].strip():
                end -= 1
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        kept = lines[start:end] + ([text] if text else [lines[end]] if end >= 0 else [])
        return "\n".join(kept).strip("\n")
    return None


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


class EmbedInlineProcessor(InlineProcessor):
    """Turn ``![[target]]`` into the embedded note, section, block, image, audio, video or PDF."""

    def __init__(self, pattern: str, md: Markdown, session: ObsidianSession) -> None:
        super().__init__(pattern, md)
        self.session = session

    def handleMatch(self, m, data):  # noqa: N802
        written = as_written(self.md, m.group(0))
        resolution = self.session.resolve(as_written(self.md, m.group(1)))
        if not resolution.resolved:
            self.session.report_unresolved(resolution, written)
            shown = parse_wikilink(m.group(1))
            words = [part for part in (shown.alias or "").split("|") if part.strip() and not _SIZE.match(part.strip())]
            element = unresolved("|".join(words) or shown.default_text())
            element.set("class", "obsidian-unresolved obsidian-embed--missing")
            return element, m.start(0), m.end(0)
        if is_note(resolution.target):
            html_text = self.note_embed(resolution, written)
            return self.md.htmlStash.store(html_text), m.start(0), m.end(0)
        return self.media(resolution), m.start(0), m.end(0)

    def media(self, resolution: Resolution) -> etree.Element:
        """Give back the element of an embedded file: img (with size or alt), audio, video, iframe or link.

        A file's fragment is its own, passed on as written (``#page=3`` of a PDF, ``#t=10`` of a video).
        An image's src and a link's href name the file, for MkDocs to turn into its URL; MkDocs rewrites
        no other element, so audio, video and PDF players are given the file's final URL.
        """
        target = resolution.target
        link = resolution.link
        fragment = "#".join([*link.headings, *(["^" + link.block] if link.block else [])]) or None
        extension = posixpath.splitext(target)[1].lower().lstrip(".")
        alias = link.alias or ""
        if extension in IMAGE:
            src = self.session.href(target, quote(fragment, safe=FRAGMENT_SAFE) if fragment else None)
            element = etree.Element("img", {"src": src, "alt": note_name(target), "class": "obsidian-embed-image"})
            for part in alias.split("|"):
                size = _SIZE.match(part.strip())
                if size:
                    element.set("width", size.group("width"))
                    if size.group("height"):
                        element.set("height", size.group("height"))
                elif part.strip():
                    element.set("alt", part.strip())
            return element
        src = self.session.file_href(target, quote(fragment, safe=FRAGMENT_SAFE) if fragment else None)
        if extension in AUDIO or extension in VIDEO:
            tag = "audio" if extension in AUDIO else "video"
            element = etree.Element(tag, {"src": src, "controls": "controls", "class": f"obsidian-embed-{tag}"})
            element.text = note_name(target)
            return element
        if extension == "pdf":
            element = etree.Element("iframe", {"src": src, "title": note_name(target), "class": "obsidian-embed-pdf"})
            height = _PDF_HEIGHT.search(fragment or "")
            if height:  # Obsidian's ![[paper.pdf#height=400]]
                element.set("height", height.group(1))
            return element
        if extension in APP_VIEWS:
            # A Base or a Canvas is a view Obsidian draws from the vault; a web page cannot draw it, and
            # a link to its source (YAML or JSON) would show the reader nothing useful.
            element = etree.Element("span", {"class": "obsidian-embed-view", "role": "note"})
            element.text = (f"{link_text(alias or posixpath.splitext(note_name(target))[0])}: {APP_VIEWS[extension]} "
                            "that Obsidian draws from the vault; this site cannot show it.")
            return element
        element = etree.Element("a", {"href": self.session.href(target), "class": "obsidian-link"})
        element.text = link_text(alias or note_name(target))
        return element

    def note_embed(self, resolution: Resolution, written: str) -> str:
        """Give back the HTML of an embedded note, section or block, or of a circular-embed marker."""
        session, context = self.session, self.session.current
        target = resolution.target
        key = (target, session.fragment(resolution) or "")
        chain = context.embed_chain or (((context.note, ""),) if context.note else ())
        label = html.escape(resolution.link.default_text())
        if key in chain or len(chain) >= MAX_DEPTH:
            ring = " > ".join(f"{p}#{f}" if f else str(p) for p, f in chain + (key,))
            line = context.line_of(written)
            where = f"Doc file '{context.note}'" + (f", line {line}" if line else "")
            log.warning("%s: embed '%s' is circular (%s); a marker is shown instead.", where, written, ring)
            return f'<div class="obsidian-embed obsidian-embed--circular">Circular embed: {label}</div>'
        full = session.sources.get(target)
        if full is None:
            return f'<div class="obsidian-embed obsidian-embed--missing">{label}</div>'
        indexed = session.index.notes.get(target) if session.index is not None else None
        body = full[indexed.body_start:] if indexed is not None else note_body(full)
        if resolution.block:
            text = block(body, resolution.block)
        elif resolution.heading:
            text = section(body, resolution.heading, session.slug)
        else:
            text = body
        if text is None:
            missing = f"a block '^{resolution.block}'" if resolution.block else f"a heading '{resolution.heading}'"
            session.report_missing_part(resolution, written, missing)
            return f'<div class="obsidian-embed obsidian-embed--missing">{label}</div>'
        page_url = context.page_url or session.urls.get(context.page)
        inner = PageContext(note=target, page=context.page, page_url=page_url, source=full,
                            embed_chain=chain + (key,))
        with session.rendering(inner):
            rendered = embed_renderer(session, self.md, len(chain)).convert(text)
            source_href = session.href(target, session.fragment(resolution))
        return (f'<div class="obsidian-embed" data-embed="{html.escape(str(target))}" {SEARCH_EXCLUDE}="">'
                f'<p class="obsidian-embed__title"><a href="{html.escape(source_href)}">{label}</a></p>'
                f"\n{rendered}\n</div>")


@functools.lru_cache(maxsize=1024)
def note_body(text: str) -> str:
    """Give back a note's text without its frontmatter (read once per note however often it is embedded)."""
    return split_frontmatter(text)[1]


def embed_renderer(session: ObsidianSession, page_md: Markdown, depth: int) -> Markdown:
    """Give back a Markdown, reset, with the page's extensions, to render an embed ``depth`` embeds deep.

    Making a Markdown builds every extension anew (a third of an embed's time), so under the plugin,
    where every page has the same extensions, one per depth is kept for the build: an embed inside an
    embed renders while its parent's render is under way, so each depth needs its own. Standalone, the
    extensions are the page's own, which may change from one Markdown to the next.
    """
    if not session.extensions:
        return markdown.Markdown(extensions=list(page_md.registeredExtensions),
                                 extension_configs=session.extension_configs)
    renderers = session.embed_renderers
    while len(renderers) <= depth:
        renderers.append(markdown.Markdown(extensions=session.extensions,
                                           extension_configs=session.extension_configs))
    renderer = renderers[depth]
    renderer.reset()  # as a new Markdown would be: no stash, references, footnotes or toc of the last embed
    return renderer


class EmbeddedHeadingsTreeprocessor(Treeprocessor):
    """In an embedded note, keep its headings out of the page's search entries.

    Material's search starts a new entry at every heading with an id, even inside an excluded block:
    each embedded heading is excluded itself (see SEARCH_EXCLUDE). The embedded note's Markdown links
    are pointed from the embedding page by build_scripts/obsidian/mdlinks.py, as its wikilinks are.
    """

    def __init__(self, md: Markdown, session: ObsidianSession) -> None:
        super().__init__(md)
        self.session = session

    def run(self, root):
        if not self.session.current.embed_chain:
            return
        for element in root.iter():
            if element.tag in _HEADINGS:
                element.set(SEARCH_EXCLUDE, "")


class EmbedExtension(ObsidianExtension):
    """Obsidian embeds."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        session = self.session_for(md)
        md.inlinePatterns.register(
            EmbedInlineProcessor(EMBED_RE, md, session),
            # Below backtick (190) and inline comments (189); above wikilinks (185), which would take
            # the "[[...]]" of "![[...]]", and above escape (180) so "\|" in a table cell separates.
            "obsidian_embed",
            186,
        )
        md.treeprocessors.register(
            EmbeddedHeadingsTreeprocessor(md, session),
            # After inline (20); before prettify (10). toc (5) gives the ids afterwards, which the
            # mark leaves alone.
            "obsidian_embedded_headings",
            15,
        )
        md.registerExtension(self)


def makeExtension(**kwargs) -> EmbedExtension:  # noqa: N802
    return EmbedExtension(**kwargs)
