"""The sanitizer: exact output for each kind of hostile HTML, untouched code, and the opt-out."""

from __future__ import annotations

import pytest

from atlas_mkdocs.obsidian.sanitize import clean_html
from tests.extensions.conftest import make_session, render

CASES = {
    "<script>x()</script>": "&lt;script&gt;x()&lt;/script&gt;",
    '<img src="a.png" onerror="x()" alt="a">': '<img src="a.png" alt="a">',
    '<a href=" java\tscript:x()">y</a>': "<a>y</a>",
    '<a href="https://example.org/?a=1&amp;b=2">y</a>': '<a href="https://example.org/?a=1&amp;b=2">y</a>',
    '<img src="data:image/png;base64,AA==">': '<img src="data:image/png;base64,AA==">',
    '<a href="data:text/html,<script>x()</script>">y</a>': "<a>y</a>",
    '<iframe srcdoc="<script>x()</script>"></iframe>': '&lt;iframe srcdoc="&lt;script&gt;x()&lt;/script&gt;"&gt;&lt;/iframe&gt;',
    "<!-- <script>x()</script> -->": "",
    '<img src=x alt=">" onerror=x()>': '<img src="x" alt="&gt;">',
    "<details open><summary>s</summary>t</details>": '<details open=""><summary>s</summary>t</details>',
    # A scheme that opens an app is a link; only schemes that run code are refused.
    '<a href="obsidian://open?vault=v&amp;file=n">o</a>': '<a href="obsidian://open?vault=v&amp;file=n">o</a>',
    '<a href="zotero://select/items/@key">z</a> <a href="mailto:a@b.c">m</a>':
        '<a href="zotero://select/items/@key">z</a> <a href="mailto:a@b.c">m</a>',
    '<a href="VBScript:x()">v</a>': "<a>v</a>",
    '<img src="data:image/svg+xml;base64,AA" onload="x()">': '<img src="data:image/svg+xml;base64,AA">',
    # What the allow-list does not hold reads as written; a lone closing tag of it too.
    "<div>List<T> and <font color=red>red</font></div>": '<div>List&lt;T&gt; and <font color="red">red</font></div>',
    "<style>p { color: red }</style><p>after</p>": "&lt;style&gt;p { color: red }&lt;/style&gt;<p>after</p>",
    # Ammonia closes what the block leaves open, so a note cannot swallow the page's layout.
    "<div><table><tr><td>cell": "<div><table><tbody><tr><td>cell</td></tr></tbody></table></div>",
}


@pytest.mark.parametrize("raw", sorted(CASES))
def test_clean_html(raw):
    """Each hostile construct is dropped or shown as text; harmless HTML is kept."""
    assert clean_html(raw)[0] == CASES[raw]


def test_code_is_never_touched():
    """<script> and onclick= in code blocks and inline code stay as code."""
    html = render("```text\n<script>x()</script> onclick=\"y\"\n```\n\n`<b onclick=\"z\">`\n")
    assert '&lt;script&gt;x()&lt;/script&gt; onclick="y"' in html and '<code>&lt;b onclick="z"&gt;</code>' in html


def test_links_and_attr_lists_lose_script():
    """A javascript: Markdown link keeps its text, not its target; attr_list handlers are dropped."""
    html = render("[t](javascript:x()) [u](JaVaScRiPt&#58;y())\n\n## H {onclick=\"x()\"}\n")
    assert '<a href="">t</a>' in html and '<a href="">u</a>' in html and "onclick" not in html


def test_sanitize_html_false_keeps_raw_html():
    """With sanitize_html: false (a vault whose every author is trusted) raw HTML passes as MkDocs passes it."""
    session = make_session()
    session.sanitize_html = False
    assert "<script>x()</script>" in render("<script>x()</script>\n", session)


LOGGER = "mkdocs.plugins.atlas"


def messages(caplog) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == LOGGER]


def test_app_links_are_links_with_no_warning(caplog):
    """obsidian://, zotero://, mailto: and the like, in Markdown or raw HTML, are links and log nothing."""
    import logging

    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("[o](obsidian://open?vault=v) [z](zotero://select/x) [m](mailto:a@b.c) "
                      "<a href=\"x-devonthink-item://1\">d</a> [s](shortcuts://run-shortcut?name=A)\n")
    assert html == ('<p><a href="obsidian://open?vault=v">o</a> <a href="zotero://select/x">z</a> '
                    '<a href="mailto:a@b.c">m</a> <a href="x-devonthink-item://1">d</a> '
                    '<a href="shortcuts://run-shortcut?name=A">s</a></p>')
    assert messages(caplog) == []


def test_what_would_run_is_one_warning_per_note(caplog):
    """Scripts, handlers and script URLs of a note are named in one warning, in the note's order, with the line
    of the first."""
    import logging

    with caplog.at_level(logging.INFO, logger=LOGGER):
        render("Fine.\n\n<b onclick=\"go()\">b</b> [x](javascript:run())\n\n<script>s()</script>\n")
    assert messages(caplog) == [(logging.WARNING, (
        "Doc file 'Golden.md', line 3: HTML that would run in the reader's browser is not published as such "
        "(onclick='go()', href='javascript:run()', <script>): scripts, event handlers and javascript: URLs do "
        "not run in notes, as in Obsidian (sanitize_html: false keeps them, for a vault whose every author you "
        "trust)."))]


def test_media_from_another_host_is_reported(caplog):
    """An image, video or audio file from another host is named: the site's policy would block it."""
    import logging

    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("Text.\n\n![chart](https://example.org/chart.png)\n\n<video src=\"//cdn.example.org/v.mp4\">"
                      "</video>\n\n[a page](https://example.org/page) ![local](Figure%201.png)\n")
    assert 'src="https://example.org/chart.png"' in html  # kept: the author sees what the reader will miss
    assert messages(caplog) == [(logging.WARNING, (
        "Doc file 'Golden.md', line 3: media from another host ('https://example.org/chart.png', "
        "'//cdn.example.org/v.mp4'): the site loads images, audio and video from itself alone (its security "
        "policy blocks other hosts), so readers would see nothing there. Save the file into the vault and embed "
        "it with ![[...]]."))]


TAGS = {
    '<b onclick="x()">': "<b>",
    "</b>": "</b>",
    "<script>": "&lt;script&gt;",
    "</script>": "&lt;/script&gt;",
    "<T>": "&lt;T&gt;",
    "<!-- a comment -->": "",
    '<td align="right" onmouseover="x()">': '<td align="right">',
    "<th colspan=2>": '<th colspan="2">',
    '<a href=" javascript:x()" title="t">': '<a title="t">',
    '<img src="x" alt=">">': '<img src="x" alt="&gt;">',
}


@pytest.mark.parametrize("raw", sorted(TAGS))
def test_clean_tag(raw):
    """A lone inline tag, as Python-Markdown stashes it, comes back alone: cleaned, or shown as text."""
    from atlas_mkdocs.obsidian.sanitize import clean_tag

    assert clean_tag(raw)[0] == TAGS[raw]
