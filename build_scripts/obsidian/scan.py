"""Read a note's source once for the vault index: frontmatter, headings, block ids, tags and links.

This is indexing, not rendering: the page itself is rendered by the Markdown extensions, which never
see code. The scanner keeps to the same rule by walking lines, skipping fenced code, inline code and
``%%comments%%`` before it looks for anything, so ``[[ -f x ]]`` in a bash block is never a link and
``%%`` in R code is never a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml
from mkdocs.utils.meta import YAML_RE, get_data

# A fence opens with 3+ backticks or tildes, possibly inside blockquotes/callouts ("> ```") or lists.
_FENCE = re.compile(r"^(?P<prefix>[ \t]*(?:>[ \t]*)*)(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1")
# The heading text is taken one character or one whole run of blanks at a time, so the closing
# "[ \t]+#+" is tried once per run, not once per blank: a line of 100,000 spaces stays linear.
_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+((?:[^ \t]|[ \t]++)*?)(?:[ \t]++#++)?[ \t]*+$")
_BLOCK_ID = re.compile(r"(?:^|[ \t]|(?<=\]\]))\^([A-Za-z0-9-]+)[ \t]*$")
#: ``[[...]]`` and ``![[...]]``: the inside may hold "\|" (tables) but no brackets.
WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
# Linear time on any line: the link text stops at the next bracket and the target at the next "(", so
# attempts from successive "[" never rescan the rest of the line (a line of 20,000 "[x](" took minutes).
_MD_LINK = re.compile(r"(!?)\[[^\[\]\n]*\]\(<?([^()\s>]++)>?(?:[ \t]+\"[^\"\n]*\")?\)")
# Likewise: a scheme starts only where no scheme character precedes it ("a.a.a..." is one attempt,
# not one per dot), and "<...>" stops at the next "<".
_AUTOLINK = re.compile(r"<[a-z][a-z0-9+.-]*+:[^<>\s]*>|(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*+://\S+",
                       re.IGNORECASE)
#: An inline tag: "#" after whitespace or at line start, then letters, digits, "_", "-", "/".
#: Written "#" first, then "not after a non-space", rather than "(?<=\s)|(?<=^)" first: a pattern that
#: opens with a literal lets the regex engine skip to each "#" (4.8 against 0.6 us on a typical paragraph,
#: and Python-Markdown runs every inline pattern over every text node).
TAG = re.compile(r"#(?<!\S#)([\w/-]+)", re.UNICODE)
#: What a tag may hold, inline or in frontmatter; the tags plugin shows a tag's name as HTML, unescaped.
_TAG_BODY = re.compile(r"[\w/-]+")


def valid_tag(body: str) -> bool:
    """Give back whether ``#body`` is a tag: Obsidian needs one character that is not a digit (not #1984)."""
    return any(not ch.isdigit() and ch not in "/" for ch in body) and not body.startswith("/")


def tag_key(tag: str) -> str:
    """Give back the tag's identity: tags are case-insensitive in Obsidian (#AI is #ai)."""
    return tag.casefold()


@dataclass(frozen=True)
class Heading:
    """A heading of a note: its level, its text as written and its 1-based line in the file."""

    level: int
    text: str
    line: int


@dataclass(frozen=True)
class LinkOccurrence:
    """A link as written in a note: ``[[raw]]`` (``embed`` for ``![[raw]]``) or a Markdown link."""

    raw: str
    line: int
    embed: bool = False
    markdown: bool = False


@dataclass
class NoteSource:
    """What the index needs from one note's text."""

    meta: dict[str, Any]
    body: str
    body_offset: int  # lines taken by the frontmatter, so body line n is file line n + body_offset
    body_start: int = 0  # characters taken by the frontmatter: the body is text[body_start:]
    headings: list[Heading] = field(default_factory=list)
    block_ids: set[str] = field(default_factory=set)
    tags: list[str] = field(default_factory=list)
    links: list[LinkOccurrence] = field(default_factory=list)
    #: (file line, what is wrong) when the frontmatter is not a YAML mapping; MkDocs ignores it silently.
    frontmatter_problem: tuple[int, str] | None = None
    #: Frontmatter tags Obsidian would not accept as tags (left out of the page's tags).
    rejected_tags: list[str] = field(default_factory=list)


def frontmatter_problem(text: str) -> tuple[int, str] | None:
    """Give back (file line, problem) if the note opens with frontmatter that is not a YAML mapping."""
    block = YAML_RE.match(text)
    if not block:
        return None
    try:
        data = yaml.load(block.group(1), yaml.SafeLoader)
    except yaml.YAMLError as error:
        # Where the broken construct opens (an unclosed "[" or quote), else where reading failed.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)  # the block starts on the line after "---"
        problem = getattr(error, "problem", None) or "cannot be read"
        return line, f"frontmatter is not valid YAML ({problem})"
    if data is not None and not isinstance(data, dict):
        return 2, f"frontmatter is a YAML {type(data).__name__}, not a mapping of properties such as 'title: ...'"
    return None


def split_frontmatter(text: str) -> tuple[dict[str, Any], str, int]:
    """Give back (frontmatter, body, lines the frontmatter took), as MkDocs reads them."""
    body, meta = get_data(text)
    offset = text[: len(text) - len(body)].count("\n") if body and text.endswith(body) else 0
    return (meta if isinstance(meta, dict) else {}), body, offset


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """Give back (1-based line, text) of each line outside code, with inline code and comments blanked."""
    fence: str | None = None
    in_comment = False
    for number, line in enumerate(body.split("\n"), start=1):
        if fence is not None:
            stripped = _FENCE.match(line)
            if stripped and stripped.group("fence")[0] == fence[0] and len(stripped.group("fence")) >= len(fence) \
                    and not line[stripped.end():].strip():
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened and not in_comment:
            fence = opened.group("fence")
            continue
        line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        # Walk the line by index (slicing the rest at each "%%" made a line of "%%%%..." quadratic).
        kept, position = [], 0
        while position <= len(line):
            if in_comment:
                end = line.find("%%", position)
                if end < 0:
                    break
                position, in_comment = end + 2, False
            start = line.find("%%", position)
            if start < 0:
                kept.append(line[position:])
                break
            kept.append(line[position:start])
            position, in_comment = start + 2, True
        yield number, "".join(kept)


def scan_note(text: str) -> NoteSource:
    """Give back the frontmatter, headings, block ids, inline and frontmatter tags, and links of a note."""
    meta, body, offset = split_frontmatter(text)
    # MkDocs (with libyaml) strips the frontmatter it reads as a mapping: only what it left in place needs
    # the pure-Python parse that names the problem and its line (a third of scanning a note, otherwise).
    problem = frontmatter_problem(text) if len(body) == len(text) else None
    source = NoteSource(meta=meta, body=body, body_offset=offset, body_start=len(text) - len(body),
                        frontmatter_problem=problem)
    for number, line in prose_lines(body):
        file_line = number + offset
        for match in WIKILINK.finditer(line):
            source.links.append(LinkOccurrence(match.group(2), file_line, embed=bool(match.group(1))))
        for match in _MD_LINK.finditer(line):
            source.links.append(LinkOccurrence(match.group(2), file_line, embed=bool(match.group(1)), markdown=True))
        heading = _HEADING.match(line)
        if heading:
            source.headings.append(Heading(len(heading.group(1)), heading.group(2).strip(), file_line))
            continue
        block = _BLOCK_ID.search(line)
        if block:
            source.block_ids.add(block.group(1))
        source.tags.extend(inline_tags(line))
    merged: dict[str, str] = {}
    declared = frontmatter_tags(meta)
    source.rejected_tags = [tag for tag in declared if not _TAG_BODY.fullmatch(tag) or not valid_tag(tag)]
    for tag in [tag for tag in declared if tag not in source.rejected_tags] + source.tags:
        merged.setdefault(tag_key(tag), tag)
    source.tags = list(merged.values())
    return source


def inline_tags(line: str) -> list[str]:
    """Give back the tags of one prose line: not inside links, URLs, or a heading."""
    if _HEADING.match(line):
        return []
    line = WIKILINK.sub(" ", line)
    line = _MD_LINK.sub(" ", line)
    line = _AUTOLINK.sub(" ", line)
    return [m.group(1) for m in TAG.finditer(line) if valid_tag(m.group(1))]


def frontmatter_tags(meta: dict[str, Any]) -> list[str]:
    """Give back the frontmatter's ``tags`` (or ``tag``), as a YAML list or a comma/space string."""
    value = meta.get("tags", meta.get("tag"))
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
    return [str(item).strip().lstrip("#") for item in items if item is not None and str(item).strip().lstrip("#")]
