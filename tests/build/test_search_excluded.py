"""What Material's search skips is held aside while it reads a page: the index stays the same."""

from __future__ import annotations

import re
from types import SimpleNamespace

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import SearchIndex

from atlas_mkdocs.material.search_excluded import MARK, hold_excluded, restore_excluded

EMBED = ('<div class="obsidian-embed" data-embed="Costs/API.md" data-search-exclude="">'
         '<p class="obsidian-embed__title"><a href="../Costs/API/">API</a></p>\n'
         '<h2 data-search-exclude="" id="prices">Prices</h2>\n<p>Embedded text.</p>\n</div>')
BACKLINKS = ('<aside class="obsidian-backlinks" data-search-exclude=""><p class="obsidian-backlinks__title">'
             'Linked from</p><ul><li><a href="../A/">A</a></li></ul></aside>')


def index(content: str) -> list[dict]:
    """Give back the entries Material's search makes of a page holding ``content``."""
    search = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=[], fields={})
    page = SimpleNamespace(content=content, toc=[], url="note/", title="Note", meta={})
    search.add_entry_from_context(page)
    return search.entries


def held_index(content: str) -> list[dict]:
    masked, held = hold_excluded(content)
    assert restore_excluded(masked, held) == content
    return index(masked)


def inner(element_html: str) -> str:
    return element_html[element_html.index(">") + 1:element_html.rindex("<")]


def test_embeds_and_backlinks_are_held_aside_and_put_back():
    page = f"<h1 id=\"note\">Note</h1>\n<p>Own text.</p>\n{EMBED}\n<p>After.</p>\n{BACKLINKS}"
    masked, held = hold_excluded(page)
    assert held == [inner(EMBED), inner(BACKLINKS)]
    assert "Embedded text" not in masked and "Linked from" not in masked
    # The elements stay, empty but for a comment: Material sees the same tags where they were.
    assert '<div class="obsidian-embed" data-embed="Costs/API.md" data-search-exclude=""><!--atlas-search-excluded-' \
        in masked
    assert masked.count("<!--atlas-search-excluded-") == 2 and masked.endswith("--></aside>")
    assert restore_excluded(masked, held) == page
    assert held_index(page) == index(page) == [
        {"location": "note/", "title": "Note", "text": "<p>Own text.</p> <p>After.</p>"}]


def test_a_page_of_one_embed_keeps_its_entry():
    """Material gives a page whose only content is excluded an entry with its title and no text."""
    assert held_index(EMBED) == index(EMBED) == [{"location": "note/", "title": "Note", "text": ""}]


def test_what_is_not_clearly_one_element_stays_in_place():
    valued = '<div data-search-exclude="true"><p>Material strips this value after indexing.</p></div>'
    unclosed = '<div data-search-exclude=""><p>No end tag.</p>'
    in_text = '<p>Write data-search-exclude="" on an element.</p>'
    in_code = '<pre><code>&lt;div data-search-exclude=""&gt;</code></pre>'
    void = '<img alt="x" data-search-exclude=""><p>After.</p>'
    for html in (valued, unclosed, in_text, in_code, void):
        assert hold_excluded(html) == (html, []), html
    # An element's content ends at its own end tag, past nested ones of the same name.
    nested = '<div data-search-exclude=""><div class="admonition"><p>In.</p></div><p>Still in.</p></div><p>Out.</p>'
    masked, held = hold_excluded(nested)
    assert held == ['<div class="admonition"><p>In.</p></div><p>Still in.</p>']
    assert masked.endswith("--></div><p>Out.</p>")


def test_material_itself_lets_text_after_a_nested_element_of_the_same_name_back_in():
    """Material's parser compares elements by tag name: once a <div> inside an excluded <div> ends, the
    rest of the excluded one is indexed. Held aside, an embed holding a callout stays out entirely."""
    page = ('<h1 id="n">N</h1><div data-search-exclude=""><div class="admonition"><p>Callout.</p></div>'
            '<p>Embedded after the callout.</p></div><p>Own.</p>')
    assert "Embedded after the callout" in index(page)[0]["text"]
    assert held_index(page)[0]["text"] == "<p>Own.</p>"


def test_material_itself_starts_entries_at_headings_inside_an_excluded_element():
    """An unmarked heading with an id in an excluded element starts an entry in Material's index (the
    page's title, no text); held aside, it starts none. Our embeds mark their headings, for Material."""
    page = '<h1 id="n">N</h1><p>Own.</p><div data-search-exclude=""><h2 id="inner">Inner</h2><p>x</p></div>'
    assert [entry["location"] for entry in index(page)] == ["note/", "note/#inner"]
    assert [entry["location"] for entry in held_index(page)] == ["note/"]


# Random pages as Markdown makes them: headings with and without ids, paragraphs and list items of text,
# lists, and containers (div, aside, section, blockquote) of blocks; any of them may be marked excluded.
TEXT = st.sampled_from(["alpha", "beta gamma", " ", "\n", "delta\nepsilon"])
MARKED = st.booleans()


def tagged(tag: str, marked: bool, content: str) -> str:
    return f"<{tag}{MARK if marked else ''}>{content}</{tag}>"


HEADING = st.builds(lambda level, ident, marked, text: (
    f"<h{level}{f' id=\"{ident}\"' if ident else ''}{MARK if marked else ''}>{text}</h{level}>"),
    st.integers(1, 3), st.sampled_from(["", "one", "two"]), MARKED, TEXT)
PARAGRAPH = st.builds(lambda marked, text: tagged("p", marked, text), MARKED, st.lists(TEXT, max_size=3).map("".join))


def containers(blocks):
    item = st.builds(lambda marked, inner: tagged("li", marked, "".join(inner)), MARKED,
                     st.lists(TEXT | blocks, max_size=3))
    listed = st.builds(lambda marked, items: tagged("ul", marked, "".join(items)), MARKED, st.lists(item, max_size=3))
    box = st.builds(lambda tag, marked, inner: tagged(tag, marked, "".join(inner)),
                    st.sampled_from(["div", "aside", "section", "blockquote"]), MARKED,
                    st.lists(blocks | TEXT, max_size=4))
    return listed | box


BLOCK = st.recursive(HEADING | PARAGRAPH, containers, max_leaves=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCK | TEXT, max_size=6).map("".join))
@example(f"<p>a</p><div{MARK}><h2 id=\"one\"{MARK}>T</h2><p>b</p></div><p>c</p>")
@example(f"<div><h2 id=\"one\">T</h2></div><aside{MARK}><p>b</p></aside>\n<p>c</p>")
@example(f"<h2 id=\"one\">T</h2><section><h3 id=\"two\">U</h3><p{MARK}>x</p></section>alpha")
@example(f"<h2 id=\"one\"{MARK}>T</h2><p>hidden with its heading</p><h2 id=\"two\">U</h2><p>shown</p>")
def test_index_is_the_same_with_excluded_content_held_aside(html):
    """Material's own index of the page, but where its quirks (above) let excluded text or headings in."""
    masked, held = hold_excluded(html)
    assume(not _quirk(masked, held))
    try:
        expected = index(html)
    except ValueError:  # Material's parser fails on some nestings (a heading in a list item): not ours
        assume(False)
    assert held_index(html) == expected


def _quirk(masked: str, held: list[str]) -> bool:
    """Whether some held content has an element named as the element that held it, or a heading with an
    id that is not marked itself: the two cases where Material's index differs, on purpose (above)."""
    for match in re.finditer(r"<([a-z0-9]+)[^>]*><!--atlas-search-excluded-[0-9a-f]+:(\d+)-->", masked):
        tag, content = match.group(1), held[int(match.group(2))]
        if f"<{tag}>" in content or f"<{tag}{MARK}>" in content or re.search(r"<h\d id=\"\w+\">", content):
            return True
    return False
