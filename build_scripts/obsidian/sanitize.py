"""Notes never run code in the reader's browser: raw ``<script>``, event handlers, ``javascript:`` URLs.

Obsidian renders a note's HTML but runs none of its scripts or ``on*`` handlers. Python-Markdown (and
so MkDocs) passes raw HTML through untouched, and ``attr_list``, ``md_in_html`` and ``[x](javascript:..)``
add handlers and script URLs of their own. A vault published to strangers is built from notes people
did not write for us (clipped pages, contributions), so by default (``sanitize_html: true``):

- raw HTML is cleaned by nh3 (the Python binding of Ammonia, a maintained HTML sanitiser) with the
  allow-list below: what the browser reads is what Ammonia parsed and wrote back, attribute values
  quoted, comments dropped;
- an element the allow-list does not hold (``script``, ``iframe``, ``svg``, ``<T>`` in ``List<T>``) is
  shown as text, as written, rather than silently dropped; a ``script`` or ``style`` element with its
  content;
- ``on*`` handlers, ``srcdoc``, and URLs whose scheme runs code (``javascript:``, ``vbscript:``, ``data:``
  other than an image's) are dropped. A scheme that opens an app (``obsidian://``, ``zotero://``,
  ``mailto:``) is a link like any other;

and each thing that would have run is named in one warning per note, with its line. An image, video
or audio file from another host is named in a warning too: the site's security policy loads media
from the site alone, so the reader would see a broken image. HTML the build itself makes (code
blocks, calculators, embeds) is not raw HTML and is left as it is; elements Markdown builds from the
note (links, images, ``attr_list`` attributes) are checked against the same scheme and handler rules.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown import Markdown
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from atlas_mkdocs.obsidian.base import ObsidianExtension
from atlas_mkdocs.obsidian.lines import line_at
from atlas_mkdocs.obsidian.session import ObsidianSession, log

#: The elements a note may hold as raw HTML: Ammonia's defaults (text, lists, tables, figures, details),
#: media players, and the legacy formatting clipped web pages carry.
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS | {
    "audio", "video", "source", "track", "tfoot", "font", "big", "section", "article", "main",
})
#: Attributes any allowed element may carry (``data-*`` and ``aria-*`` too, see ALLOWED_PREFIXES).
_GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "style", "align", "hidden", "role", "width", "height"}
#: Attributes of particular elements, beside the global ones.
ALLOWED_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "name", "target", "rel", "download", "hreflang", "type"},
    "img": {"src", "alt", "loading", "decoding"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "video": {"src", "controls", "loop", "muted", "preload", "playsinline", "poster"},
    "source": {"src", "type", "media"},
    "track": {"src", "kind", "label", "srclang", "default"},
    "details": {"open"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "data": {"value"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "font": {"color", "face", "size"},
}
ALLOWED_PREFIXES = {"data-", "aria-"}
#: Elements whose whole purpose is to run or load something: named in the warning (shown as text).
RUNNING_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "noscript", "template", "svg", "math", "portal", "param", "form",
})
#: Elements whose content is raw text to the browser: shown as text together with their content.
_RAW_TEXT_TAGS = frozenset({"script", "style"})
#: URL schemes that run code when followed. Any other scheme (an app's, such as obsidian:// or
#: zotero://) is a link. ``data:`` is refused except in an image's ``src``, where it cannot run.
REFUSED_SCHEMES = frozenset({"javascript", "vbscript", "data"})
#: Attributes that run script whatever their value.
_RUNNING_ATTRIBUTES = ("srcdoc", "formaction")
#: Attributes that hold a URL the browser may follow or load.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "codebase",
    "dynsrc", "lowsrc", "ping", "longdesc", "usemap", "manifest", "icon", "profile", "archive", "classid",
    "srcset", "imagesrcset",
})
#: Elements that load media from their ``src`` (a remote one is blocked by the site's policy).
MEDIA_TAGS = frozenset({"img", "audio", "video", "source", "track"})
# Browsers drop tabs, newlines and other controls inside a URL before they read its scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Every scheme a fragment names, so that Ammonia's scheme allow-list can hold exactly those not refused.
_ANY_SCHEME = re.compile(r"(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*):", re.IGNORECASE)
#: Schemes Ammonia always accepts (its defaults); app schemes found in a fragment are added to them.
_BASE_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES) - REFUSED_SCHEMES


def url_scheme(value: str) -> str | None:
    """Give back the scheme of a URL as a browser reads it (controls dropped, lower case), or None."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", value).lower())
    return match.group(1) if match else None


def refused_url(value: str, tag: str = "", attribute: str = "") -> bool:
    """Give back whether a URL would run code (entities already decoded): javascript:, vbscript:, data:."""
    scheme = url_scheme(value)
    if scheme not in REFUSED_SCHEMES:
        return False
    if scheme == "data":
        return not (tag == "img" and attribute == "src"
                    and _IGNORED_IN_URL.sub("", value).lower().startswith("data:image/"))
    return True


def running_attribute(tag: str, name: str, value: str | None) -> bool:
    """Give back whether an attribute runs script: an event handler, srcdoc, or a URL that runs code."""
    name = name.lower()
    if name.startswith("on") or name in _RUNNING_ATTRIBUTES:
        return True
    return name in URL_ATTRIBUTES and value is not None and refused_url(value, tag, name)


def remote_url(value: str | None) -> bool:
    """Give back whether a URL names another host (http(s) with a host, or a protocol-relative //host)."""
    if not value:
        return False
    parts = urlsplit(_IGNORED_IN_URL.sub("", value))
    return bool(parts.netloc) and parts.scheme.lower() in ("", "http", "https")


def _keep_data_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Ammonia's attribute filter: drop a ``data:`` URL unless it is an image's source."""
    if url_scheme(value) == "data" and refused_url(value, tag, attribute):
        return None
    return value


@functools.lru_cache(maxsize=64)
def _cleaner(schemes: frozenset[str]) -> nh3.Cleaner:
    """Give back the Ammonia cleaner that accepts ``schemes`` (built once per set of schemes)."""
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(),  # elements outside the allow-list are shown as text before Ammonia runs
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        generic_attribute_prefixes=set(ALLOWED_PREFIXES),
        attribute_filter=_keep_data_images_only,
        strip_comments=True,
        link_rel=None,  # notes' own rel (and none by default), as Obsidian writes them
        url_schemes=set(schemes),
    )


def ammonia(fragment: str) -> str:
    """Give back ``fragment`` cleaned by Ammonia with our allow-list; any scheme but the refused is a link."""
    named = {match.group(1).lower() for match in _ANY_SCHEME.finditer(_IGNORED_IN_URL.sub("", html.unescape(fragment)))}
    schemes = _BASE_SCHEMES | (named - REFUSED_SCHEMES)
    if "data" in named:
        schemes |= {"data"}  # an image's data: source; every other data: URL is dropped by the filter
    return _cleaner(frozenset(schemes)).clean(fragment)


@dataclass(frozen=True)
class Tag:
    """A start or end tag of an HTML fragment: where it is in the fragment, its name and attributes."""

    start: int
    end: int
    name: str
    attrs: tuple[tuple[str, str | None], ...] = ()
    closing: bool = False


class _TagScanner(HTMLParser):
    """List the tags of a fragment with their places; the parse is for showing and reporting, not for
    safety (Ammonia decides what is published)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.tags: list[Tag] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.feed(text)
        self.close()

    def parse_html_declaration(self, i):
        """Python's parser asserts on a malformed marked section (``<![[``, hypothesis found it): read its
        ``<!`` as text, as a browser does, instead of letting the assertion end the build."""
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            self.handle_data("<!")
            return i + 2

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        self.tags.append(Tag(start, start + len(self.get_starttag_text() or ""), tag, tuple(attrs)))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        start = self._offset()
        end = self.text.find(">", start)
        self.tags.append(Tag(start, len(self.text) if end < 0 else end + 1, tag, closing=True))


@dataclass
class Findings:
    """What cleaning a note's HTML took out, and the media it loads from other hosts."""

    removed: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)

    def extend(self, other: "Findings") -> None:
        self.removed += other.removed
        self.remote += other.remote


def _show_unknown_as_text(fragment: str, tags: list[Tag], findings: Findings) -> str:
    """Give back ``fragment`` with every tag outside the allow-list escaped, so that it reads as written
    (a script or style element with its content)."""
    pieces, position = [], 0
    skip_to = -1
    for index, tag in enumerate(tags):
        if tag.start < skip_to or tag.name in ALLOWED_TAGS:
            continue
        if not tag.closing and tag.name in RUNNING_TAGS:
            findings.removed.append(f"<{tag.name}>")
        end = tag.end
        if not tag.closing and tag.name in _RAW_TEXT_TAGS:
            closing = next((t for t in tags[index + 1:] if t.closing and t.name == tag.name), None)
            end = closing.end if closing else len(fragment)
        pieces += [fragment[position:tag.start], html.escape(fragment[tag.start:end], quote=False)]
        position = skip_to = end
    pieces.append(fragment[position:])
    return "".join(pieces)


def _attributes(tags: list[Tag]) -> Counter:
    """Give back the (element, attribute, value) of every allowed start tag, counted."""
    return Counter((t.name, name, value) for t in tags if not t.closing and t.name in ALLOWED_TAGS
                   for name, value in t.attrs)


def _compare(before: list[Tag], after: list[Tag], findings: Findings) -> None:
    """Note the attributes Ammonia took out that would have run, and media loaded from other hosts."""
    for (tag, name, value), _ in (_attributes(before) - _attributes(after)).items():
        if running_attribute(tag, name, value):
            findings.removed.append(f"{name}={value!r}" if value is not None else name)
    for tag in after:
        if not tag.closing and tag.name in MEDIA_TAGS:
            findings.remote += [value for name, value in tag.attrs if name == "src" and remote_url(value)]


def clean_html(raw: str) -> tuple[str, list[str]]:
    """Give back a raw HTML block cleaned so that nothing in it runs, and what was taken out or shown as text."""
    cleaned, findings = clean_block(raw)
    return cleaned, findings.removed


def clean_block(raw: str) -> tuple[str, Findings]:
    """Give back a raw HTML block cleaned by Ammonia (unknown elements shown as text) and what was found."""
    findings = Findings()
    before = _TagScanner(raw).tags
    cleaned = ammonia(_show_unknown_as_text(raw, before, findings))
    _compare(before, _TagScanner(cleaned).tags, findings)
    return cleaned, findings


#: What a lone table part needs around it to be parsed as itself.
_TABLE_CONTEXT = {"caption": "<table>", "colgroup": "<table>", "thead": "<table>", "tbody": "<table>",
                  "tfoot": "<table>", "tr": "<table>", "col": "<table><colgroup>", "td": "<table><tr>",
                  "th": "<table><tr>"}


def clean_tag(raw: str) -> tuple[str, Findings]:
    """Give back one inline tag (as Python-Markdown stashes it) cleaned, and what was found.

    Ammonia cleans whole fragments, closing what it opens, so a lone ``<b>`` would come back as
    ``<b></b>``: the start tag is taken from its output alone, and an end tag is kept if its element is
    allowed. Comments, processing instructions and CDATA show nothing and are dropped.
    """
    findings = Findings()
    tags = _TagScanner(raw).tags
    if not tags:
        return ("" if raw.startswith("<!") or raw.startswith("<?") else html.escape(raw, quote=False)), findings
    tag = tags[0]
    if tag.name not in ALLOWED_TAGS:
        return _show_unknown_as_text(raw, tags[:1], findings), findings
    if tag.closing:
        return f"</{tag.name}>", findings
    # A table's parts are only parsed inside a table: Ammonia is given one around them.
    cleaned = ammonia(_TABLE_CONTEXT.get(tag.name, "") + raw)
    kept = re.search(rf"<{re.escape(tag.name)}\b[^>]*>", cleaned)  # Ammonia escapes ">" in attribute values
    start = kept.group(0) if kept else html.escape(raw, quote=False)
    _compare(tags[:1], _TagScanner(start).tags, findings)
    return start, findings


def clean_tree(root: etree.Element) -> Findings:
    """Strip event handlers and URLs that run code from an element tree in place; give back what was found.

    These elements are built by Markdown, not parsed from HTML: links and images, ``attr_list``
    attributes, ``md_in_html`` elements. Their attributes are checked against the rules Ammonia is given.
    """
    findings = Findings()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        for name, value in list(element.attrib.items()):
            if running_attribute(tag, name, html.unescape(value.replace(AMP_SUBSTITUTE, "&"))):
                findings.removed.append(f"{name}={value!r}")
                if (tag, name) in (("a", "href"), ("img", "src")):
                    element.set(name, "")  # MkDocs expects every link and image to keep its URL attribute
                else:
                    del element.attrib[name]
        if tag in MEDIA_TAGS and remote_url(element.get("src")):
            findings.remote.append(element.get("src"))
        if tag in RUNNING_TAGS and not (tag == "iframe" and "obsidian-embed-pdf" in element.get("class", "")):
            findings.removed.append(f"<{tag}>")
            element.tag = "span"
            element.attrib.clear()
    return findings


class _Reporter:
    """Gather what was taken out of one note's HTML; log it once per note, with the line of the first."""

    def __init__(self, session: ObsidianSession) -> None:
        self.session = session
        self.found = Findings()

    def add(self, findings: Findings) -> None:
        self.found.extend(findings)

    def _in_order(self, found: list[str]) -> tuple[list[str], str]:
        """Give back what was found in the order of the note's text, and "Doc file 'x', line n" of the first.

        Each is looked for in the source by its value as written ("window.x=1") or its tag ("<script").
        """
        context = self.session.current
        source = (context.source or "").lower()

        def place(item: str) -> int:
            probe = item.split("=", 1)[1][1:-1] if "=" in item and not item.startswith("<") else item.rstrip(">")
            at = source.find(probe.lower()) if probe else -1
            return at if at >= 0 else len(source)

        ordered = sorted(dict.fromkeys(found), key=place)
        where = f"Doc file '{context.note}'" if context.note else "Markdown"
        first = place(ordered[0])
        if first < len(source):
            where += f", line {line_at(source, first)}"
        return ordered, where

    def flush(self) -> None:
        found, self.found = self.found, Findings()
        if self.session.current.embed_chain:
            return  # the embedded note's own page reports it
        if found.removed:
            removed, where = self._in_order(found.removed)
            log.warning("%s: HTML that would run in the reader's browser is not published as such (%s): "
                        "scripts, event handlers and javascript: URLs do not run in notes, as in Obsidian "
                        "(sanitize_html: false keeps them, for a vault whose every author you trust).",
                        where, ", ".join(removed))
        if found.remote:
            remote, where = self._in_order([f"src={url!r}" for url in found.remote])
            shown = ", ".join(item.split("=", 1)[1] for item in remote)
            log.warning("%s: media from another host (%s): the site loads images, audio and video from itself "
                        "alone (its security policy blocks other hosts), so readers would see nothing there. "
                        "Save the file into the vault and embed it with ![[...]].", where, shown)


class SafeHtmlInlineProcessor(HtmlInlineProcessor):
    """Python-Markdown's inline raw HTML, each tag cleaned before it is stashed."""

    def __init__(self, pattern: str, md: Markdown, reporter: _Reporter) -> None:
        super().__init__(pattern, md)
        self.reporter = reporter

    def handleMatch(self, m, data):  # noqa: N802
        placeholder, start, end = super().handleMatch(m, data)
        stash = self.md.htmlStash.rawHtmlBlocks
        stash[-1], findings = clean_tag(stash[-1])
        self.reporter.add(findings)
        return placeholder, start, end


class SafeHtmlBlockPreprocessor(Preprocessor):
    """Run the raw-HTML block preprocessor it replaces, then clean every block it stashed."""

    def __init__(self, md: Markdown, wrapped: Preprocessor, reporter: _Reporter) -> None:
        super().__init__(md)
        self.wrapped = wrapped
        self.reporter = reporter

    def run(self, lines):
        stash = self.md.htmlStash.rawHtmlBlocks
        before = len(stash)
        lines = self.wrapped.run(lines)
        for index in range(before, len(stash)):
            if isinstance(stash[index], str):  # md_in_html's elements are cleaned with the tree
                stash[index], findings = clean_block(stash[index])
                self.reporter.add(findings)
        return lines


class SafeTreeprocessor(Treeprocessor):
    """Strip handlers and URLs that run code from the page's elements (attr_list, Markdown links) and from
    the elements md_in_html stashed; then log what the note's HTML lost, once.

    Once per render: Python-Markdown runs postprocessors more than once (toc renders its own HTML
    through them), so the report is made here, when every raw HTML piece has been cleaned.
    """

    def __init__(self, md: Markdown, reporter: _Reporter) -> None:
        super().__init__(md)
        self.reporter = reporter

    def run(self, root):
        self.reporter.add(clean_tree(root))
        for entry in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(entry, etree.Element):
                self.reporter.add(clean_tree(entry))
        self.reporter.flush()


class SanitizeExtension(ObsidianExtension):
    """Scripts, event handlers and script URLs in notes never run."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        session = self.session_for(md)
        if not getattr(session, "sanitize_html", True):
            return
        reporter = _Reporter(session)
        if "html" in md.inlinePatterns:
            pattern = md.inlinePatterns["html"]
            # Replaces Python-Markdown's own raw-HTML inline processor, at its priority (90).
            md.inlinePatterns.register(SafeHtmlInlineProcessor(pattern.pattern, md, reporter), "html", 90)
        if "html_block" in md.preprocessors:
            wrapped = md.preprocessors["html_block"]
            # Wraps whichever raw-HTML block preprocessor is registered (core's, or md_in_html's), at
            # its priority (20): after fenced code (25) is stashed, so code is never touched.
            md.preprocessors.register(SafeHtmlBlockPreprocessor(md, wrapped, reporter), "html_block", 20)
        md.treeprocessors.register(
            SafeTreeprocessor(md, reporter),
            # After inline (20) and every processor that adds attributes (attr_list at 8); before
            # MkDocs' title extraction (1) and link rewriting (0), which only read and rewrite hrefs.
            "obsidian_sanitize",
            2,
        )
        md.registerExtension(self)


def makeExtension(**kwargs) -> SanitizeExtension:  # noqa: N802
    return SanitizeExtension(**kwargs)
