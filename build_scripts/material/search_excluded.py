"""Material's search is not made to read what it leaves out of its index.

Material's search plugin reads every page's HTML with Python's HTMLParser and skips each element that
carries ``data-search-exclude``, after reading it tag by tag all the same. Our pages hold a lot of such
HTML: each embed renders part of another note, and "Linked from" lists other notes' titles (both are
found in their own notes, see build_scripts/obsidian/embeds.py). At 250 notes that is almost half of
what search reads.

So just before Material's search reads a page, the content of each element marked
``data-search-exclude=""`` is held aside, and a comment stands in its place; just after, the content is
put back. Material still sees each such element, empty, where it was, so its index is the same
(``tests/build/test_search_excluded.py`` compares whole indexes of random pages). Two differences are
meant, where Material's parser lets excluded content in, and nothing of it is now indexed, as the
attribute asks:

- it tells elements apart by tag name only, so when an element nested in an excluded one of the same
  name ends (a callout's <div> in an embed's <div>), it indexes the rest of the excluded element;
- a heading with an id inside an excluded element still starts an entry (the page's title, no text).
  Our embeds mark each of their headings for that reason, so their pages' indexes do not change.

Only the empty value is looked for, which our HTML and ``attr_list``'s bare ``{ data-search-exclude }``
write: Material strips non-empty ``data-search-*`` values from the page after indexing, and that is
left to it as it is.
"""

from __future__ import annotations

import functools
import re
import secrets

from atlas_mkdocs.material.markers import SEARCH_EXCLUDE

#: The attribute as our embeds and "Linked from" lists write it (and attr_list's bare form does).
MARK = f' {SEARCH_EXCLUDE}=""'
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
# Elements with no closing tag: nothing inside them to hold aside.
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"))
# Named with a token of this run, so no comment a note may hold can be taken for one of ours.
_TOKEN = secrets.token_hex(8)
PLACEHOLDER = "<!--atlas-search-excluded-" + _TOKEN + ":{}-->"
_PLACEHOLDER_RE = re.compile(r"<!--atlas-search-excluded-" + _TOKEN + r":(\d+)-->")


@functools.lru_cache(maxsize=32)
def _tags(tag: str) -> re.Pattern[str]:
    """Give back the pattern of ``tag``'s start and end tags."""
    return re.compile(rf"<(/?){tag}(?=[\s/>])[^>]*>", re.IGNORECASE)


def _element_end(html: str, tag: str, after: int) -> int | None:
    """Give back where the element of ``tag`` whose start tag ends at ``after`` ends, or None."""
    depth = 1
    for match in _tags(tag).finditer(html, after):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return None


def hold_excluded(html: str) -> tuple[str, list[str]]:
    """Give back ``html`` with the content of each element Material's search leaves out replaced by a
    comment, and those contents, in order, for ``restore_excluded``. Anything not clearly one element's
    content is left in place."""
    if MARK not in html:
        return html, []
    held: list[str] = []
    parts: list[str] = []
    done = 0  # html[:done] is in parts
    position = html.find(MARK)
    while position >= 0:
        start = html.rfind("<", done, position)
        name = _TAG_NAME.match(html, start) if start >= 0 else None
        close = html.find(">", position)
        tag = name.group(1).lower() if name else ""
        # The mark must sit in this start tag (no ">" between "<" and it), on an element that has content.
        if not name or ">" in html[start:position] or close < 0 or tag in _VOID:
            position = html.find(MARK, position + len(MARK))
            continue
        end = _element_end(html, tag, close + 1)
        if end is None:
            break
        # The element itself stays, empty: Material sees the same tags, and only its content is held.
        inner_end = html.rfind("<", close, end)
        parts.append(html[done:close + 1])
        parts.append(PLACEHOLDER.format(len(held)))
        held.append(html[close + 1:inner_end])
        done = inner_end
        position = html.find(MARK, end)
    if not held:
        return html, []
    parts.append(html[done:])
    return "".join(parts), held


def restore_excluded(html: str, held: list[str]) -> str:
    """Put back what ``hold_excluded`` held aside."""
    if not held:
        return html
    return _PLACEHOLDER_RE.sub(lambda match: held[int(match.group(1))], html)
