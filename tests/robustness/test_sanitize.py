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
    '<iframe srcdoc="<script>x()</script>"></iframe>': '&lt;iframe srcdoc=&quot;&lt;script&gt;x()&lt;/script&gt;&quot;&gt;&lt;/iframe&gt;',
    "<!-- <script>x()</script> -->": "",
    '<img src=x alt=">" onerror=x()>': '<img src="x" alt="&gt;">',
    "<details open><summary>s</summary>t</details>": "<details open><summary>s</summary>t</details>",
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
