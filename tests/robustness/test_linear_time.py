"""The Obsidian extensions' regular expressions run in linear time on long adversarial input.

Each case is timed at n and 4n characters in the same test: a linear pass takes about 4 times as long,
catastrophic backtracking 16 times or worse. The bound (ratio < 10, and 10 s at most) catches that
without being a speed test. Python-Markdown's own link processors are quadratic on unclosed "[" (50,000
"[" take minutes without any extension of ours), so the Markdown cases that open brackets run with
those core processors removed: what is timed is ours.
"""

from __future__ import annotations

import re
import time

import markdown
import pytest

from atlas_mkdocs.obsidian import callouts, comments, embeds, highlight, paths, sanitize, scan, tags, wikilinks
from atlas_mkdocs.obsidian.scan import scan_note
from tests.extensions.conftest import SITE_CONFIGS, SITE_EXTENSIONS, make_session
from atlas_mkdocs.obsidian.extensions import obsidian_extensions
from atlas_mkdocs.obsidian.session import PageContext

N = 50_000
#: Python-Markdown's bracket processors, quadratic on unclosed "[" by themselves.
CORE_BRACKETS = ("link", "image_link", "reference", "image_reference", "short_reference", "short_image_ref")

ADVERSARIAL = {
    "[": lambda n: "[" * n,
    "[[": lambda n: "[[" * (n // 2),
    "![[": lambda n: "![[" * (n // 3),
    "[[x|": lambda n: "[[x|" * (n // 4),
    "[x](": lambda n: "[x](" * (n // 4),
    "[](": lambda n: "[](" * (n // 3),
    "==": lambda n: "=" * n,
    "==a ": lambda n: "==a " * (n // 4),
    "%%": lambda n: "%" * n,
    "a %%": lambda n: "a %%" * (n // 4),
    "#": lambda n: "#" * n,
    " #a": lambda n: " #a" * (n // 3),
    "# ###x": lambda n: "# " + "#" * n + "x",
    "heading blanks": lambda n: "# a" + " \t" * (n // 2) + "b",
    "callout blanks": lambda n: "> [!note] a" + " \t" * (n // 2) + "b",
    "callout type": lambda n: "> [!" + "x" * n,
    "block id blanks": lambda n: "a ^b" + " \t" * (n // 2) + "x",
    "a.": lambda n: "a." * (n // 2),
    "<a:": lambda n: "<a:" * (n // 3),
    "`": lambda n: "`a" * (n // 2),
}


def seconds(function, text: str) -> float:
    """Give back the best of three CPU times of ``function(text)``: CPU time, as other jobs on a shared
    machine stretch wall time (which made the ratio flaky under load); best, not mean, for the same reason."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        function(text)
        best = min(best, time.process_time() - start)
    return best


def assert_linear(function, make) -> None:
    small, large = seconds(function, make(N)), seconds(function, make(4 * N))
    assert large < 10, f"{large:.2f} s for {4 * N} characters"
    # Below 0.1 s the ratio is noise; a quadratic pass at 200,000 characters takes seconds.
    assert large < 0.1 or large / small < 10, f"{small:.3f} s -> {large:.3f} s: not linear"


def markdown_render():
    """Give back a function rendering text with the site's extensions and ours, core bracket processors removed."""
    session = make_session()
    extensions = SITE_EXTENSIONS + obsidian_extensions(session) + ["nl2br"]
    session.extensions, session.extension_configs = extensions, SITE_CONFIGS

    def render(text: str) -> str:
        md = markdown.Markdown(extensions=extensions, extension_configs=SITE_CONFIGS)
        for name in CORE_BRACKETS:
            md.inlinePatterns.deregister(name, strict=False)
        with session.rendering(PageContext(note="Golden.md", page="Golden.md", source=text)):
            return md.convert(text)

    return render


#: Inputs quadratic in Python-Markdown or the standard library themselves, with no extension of ours;
#: they are timed below against our patterns and scanner alone.
CORE_QUADRATIC = {
    "<a:": "CPython 3.12's html.parser rescans to the end for each unclosed start tag (md_in_html's parser)",
    " #a": "Python-Markdown rebuilds the whole paragraph for each inline match (16,000 tags here)",
    "%%": "the same per-match rebuild, for 50,000 empty comments '%%%%'",
    # 8x to 12x at 4n between runs (a CI run failed at 11.4x); plain Python-Markdown reaches 14x on
    # '*a*' repeated, with no extension at all. The comment pattern itself is timed alone below.
    "a %%": "the same per-match rebuild, for 12,500 comments '%%a %%' between words",
    "heading blanks": "attr_list's heading pattern backtracks over trailing blanks",
}


@pytest.mark.parametrize("case", sorted(set(ADVERSARIAL) - set(CORE_QUADRATIC)))
def test_markdown_with_obsidian_extensions_is_linear(case):
    """A long adversarial paragraph renders in linear time through every extension."""
    assert_linear(markdown_render(), ADVERSARIAL[case])


@pytest.mark.parametrize("case", sorted(ADVERSARIAL))
def test_vault_scanner_is_linear(case):
    """The index scanner (run on every note at build time) is linear on the same input."""
    assert_linear(scan_note, ADVERSARIAL[case])


PATTERNS = {
    "wikilink": re.compile(wikilinks.WIKILINK_RE),
    "embed": re.compile(embeds.EMBED_RE),
    "inline comment": re.compile(comments.INLINE_COMMENT_RE),
    "highlight": re.compile(highlight.HIGHLIGHT_RE),
    "tag": scan.TAG,
    "heading (tags)": tags.SpacedHashHeaderProcessor.RE,
    "callout start": callouts._CALLOUT_START,
    "scan wikilink": scan.WIKILINK,
    "scan markdown link": scan._MD_LINK,
    "scan autolink": scan._AUTOLINK,
    "scan heading": scan._HEADING,
    "scan block id": scan._BLOCK_ID,
    "scan code span": scan._CODE_SPAN,
    "scan frontmatter property": scan._PROPERTY,
    "scan setext underline": scan._SETEXT,
    "scan not a paragraph": scan._NOT_PARAGRAPH,
    "sanitize schemes": sanitize._ANY_SCHEME,
    "heading text: embeds": paths._EMBED_IN_TEXT,
    "heading text: links": paths._LINK_IN_TEXT,
    "heading text: comments": paths._COMMENT_IN_TEXT,
    "heading text: tags": paths._TAG_IN_TEXT,
}


#: pymdownx.slugs strips tags with "<[^>]+>", which rescans to the end for each unclosed "<" (toc slugifies
#: every heading with it too); heading_text's own patterns are timed on that input below.
SLUG_QUADRATIC = {"<a:"}


@pytest.mark.parametrize("case", sorted(set(ADVERSARIAL) - SLUG_QUADRATIC))
def test_heading_ids_are_linear(case):
    """The id a link's heading names (heading_text, then the slug) is linear on any heading text."""
    assert_linear(paths.heading_id, ADVERSARIAL[case])


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_each_pattern_is_linear_on_every_adversarial_input(pattern):
    """Every pattern of ours, searched over every adversarial input, is linear."""
    regex = PATTERNS[pattern]
    for case, make in ADVERSARIAL.items():
        try:
            assert_linear(lambda text: list(regex.finditer(text)), make)
        except AssertionError as error:
            raise AssertionError(f"{pattern} on {case!r}: {error}") from None
