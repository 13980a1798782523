"""Notes never run code in the reader's browser: raw ``<script>``, event handlers, ``javascript:`` URLs.

Obsidian renders a note's HTML but runs none of its scripts or ``on*`` handlers. Python-Markdown (and
so MkDocs) passes raw HTML through untouched, and ``attr_list``, ``md_in_html`` and ``[x](javascript:..)``
add handlers and script URLs of their own. A vault published to strangers is built from notes people
did not write for us (clipped pages, contributions), so by default (``sanitize_html: true``):

- raw HTML is re-parsed and written back tag by tag from what was parsed, attribute values quoted and
  escaped, text escaped, comments dropped: what the browser reads is exactly what was checked;
- ``script``, ``style``, ``iframe``, ``object``, ``svg`` and the like are shown as text, as written;
- ``on*`` attributes, ``srcdoc``, and URLs with a scheme other than http(s), mailto, tel (or an image's
  ``data:image/``) are dropped, from raw HTML and from elements Markdown made alike;

and each is named in a warning with the note and line. HTML the build itself makes (code blocks,
calculators, embeds) is not raw HTML and is left as it is.
"""

from __future__ import annotations

import copy
import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown import Extension, Markdown
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from atlas_mkdocs.obsidian.session import EXTENSION_CONFIG, ObsidianSession, extension_session, log

#: Elements whose whole purpose is to run or load something; shown as text.
BLOCKED_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "noscript", "template", "svg", "math", "portal", "param",
})
#: Attributes that hold a URL the browser may follow or load.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "codebase",
    "dynsrc", "lowsrc", "ping", "longdesc", "usemap", "manifest", "icon", "profile", "archive", "classid",
    "srcset", "imagesrcset",
})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "ftps", "sms"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_TAG_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def unsafe_url(value: str, tag: str = "", attribute: str = "") -> bool:
    """Give back whether a URL would run script or load from an unknown scheme (entities already decoded)."""
    normal = _IGNORED_IN_URL.sub("", value).lower()  # browsers drop tabs, newlines and controls in URLs
    scheme = _SCHEME.match(normal)
    if not scheme:
        return False
    if scheme.group(1) == "data":
        return not (tag == "img" and attribute in ("src", "srcset") and normal.startswith("data:image/"))
    return scheme.group(1) not in SAFE_SCHEMES


def unsafe_attribute(tag: str, name: str, value: str | None) -> bool:
    """Give back whether an attribute runs script: an event handler, srcdoc, or a script URL."""
    name = name.lower()
    if name.startswith("on") or name in ("srcdoc", "formaction"):
        return True
    return name in URL_ATTRIBUTES and value is not None and unsafe_url(value, tag, name)


class _Cleaner(HTMLParser):
    """Write raw HTML back from its parse, keeping only what cannot run; collect what was removed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removed: list[str] = []

    def _tag(self, tag: str, attrs, closing: str) -> None:
        if tag in BLOCKED_TAGS or not _TAG_NAME.match(tag):
            self.removed.append(f"<{tag}>")
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))
            return
        kept = []
        for name, value in attrs:
            if unsafe_attribute(tag, name, value) or not re.fullmatch(r"[^\s\"'<>/=\x00-\x1f]+", name):
                self.removed.append(f"{name}={value!r}" if value is not None else name)
                continue
            kept.append(f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}{closing}>")

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, " /")

    def handle_endtag(self, tag):
        if tag in BLOCKED_TAGS or not _TAG_NAME.match(tag):
            self.out.append(html.escape(f"</{tag}>"))
        else:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))

    # Comments, declarations and processing instructions are dropped: they show nothing, and browsers
    # and parsers disagree on where odd ones end.
    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def clean_html(raw: str) -> tuple[str, list[str]]:
    """Give back raw HTML rewritten so that nothing in it runs, and what was removed or shown as text."""
    cleaner = _Cleaner()
    cleaner.feed(raw)
    cleaner.close()
    return "".join(cleaner.out), cleaner.removed


def clean_tree(root: etree.Element) -> list[str]:
    """Strip event handlers and script URLs from an element tree in place; give back what was removed."""
    removed: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        for name, value in list(element.attrib.items()):
            if unsafe_attribute(tag, name, html.unescape(value)):
                removed.append(f"{name}={value!r}")
                if (tag, name) in (("a", "href"), ("img", "src")):
                    element.set(name, "")  # MkDocs expects every link and image to keep its URL attribute
                else:
                    del element.attrib[name]
        if tag in BLOCKED_TAGS and not (tag == "iframe" and "obsidian-embed-pdf" in element.get("class", "")):
            removed.append(f"<{tag}>")
            element.tag = "span"
            element.attrib.clear()
    return removed


class _Reporter:
    """Log, once per note and kind, what was taken out, with the note and line."""

    def __init__(self, session: ObsidianSession) -> None:
        self.session = session

    def report(self, removed: list[str]) -> None:
        if not removed:
            return
        context = self.session.current
        where = f"Doc file '{context.note}'" if context.note else "Markdown"
        # The line of the first thing removed: its value as written ("window.x=1"), or its tag ("<script").
        first = removed[0]
        probe = first.split("=", 1)[1][1:-1] if "=" in first else first.rstrip(">")
        source = context.source or ""
        at = source.lower().find(probe.lower()) if probe else -1
        if at >= 0:
            where += f", line {source.count(chr(10), 0, at) + 1}"
        shown = ", ".join(dict.fromkeys(removed))
        log.warning("%s: HTML that would run in the reader's browser is not published as such (%s): scripts, "
                    "event handlers and javascript: URLs do not run in notes, as in Obsidian "
                    "(sanitize_html: false keeps them, for a vault whose every author you trust).", where, shown)


class SafeHtmlInlineProcessor(HtmlInlineProcessor):
    """Python-Markdown's inline raw HTML, cleaned before it is stashed."""

    def __init__(self, pattern: str, md: Markdown, reporter: _Reporter) -> None:
        super().__init__(pattern, md)
        self.reporter = reporter

    def handleMatch(self, m, data):  # noqa: N802
        placeholder, start, end = super().handleMatch(m, data)
        stash = self.md.htmlStash.rawHtmlBlocks
        cleaned, removed = clean_html(stash[-1])
        stash[-1] = cleaned
        self.reporter.report(removed)
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
        removed: list[str] = []
        for index in range(before, len(stash)):
            entry = stash[index]
            if isinstance(entry, str):
                stash[index], found = clean_html(entry)
            else:
                found = clean_tree(entry)
            removed += found
        self.reporter.report(removed)
        return lines


class SafeTreeprocessor(Treeprocessor):
    """Strip handlers and script URLs from the page's elements: attr_list, md_in_html, Markdown links."""

    def __init__(self, md: Markdown, reporter: _Reporter) -> None:
        super().__init__(md)
        self.reporter = reporter

    def run(self, root):
        self.reporter.report(clean_tree(root))


class SafeStashPostprocessor(Postprocessor):
    """Clean elements md_in_html stashed after its preprocessor ran, before they become text."""

    def __init__(self, md: Markdown, reporter: _Reporter) -> None:
        super().__init__(md)
        self.reporter = reporter

    def run(self, text):
        removed: list[str] = []
        for entry in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(entry, etree.Element):
                removed += clean_tree(entry)
        self.reporter.report(removed)
        return text


class SanitizeExtension(Extension):
    """Scripts, event handlers and script URLs in notes never run."""

    def __init__(self, **kwargs) -> None:
        self.config = copy.deepcopy(EXTENSION_CONFIG)
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        session = extension_session(self)
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
        md.postprocessors.register(
            SafeStashPostprocessor(md, reporter),
            # Before raw_html (30) turns stashed elements into text.
            "obsidian_sanitize_stash",
            31,
        )
        md.registerExtension(self)


def makeExtension(**kwargs) -> SanitizeExtension:  # noqa: N802
    return SanitizeExtension(**kwargs)
