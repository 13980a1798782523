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
#: A setext heading's underline, and the quote markers before a heading inside a quote or callout.
_SETEXT = re.compile(r"^[ ]{0,3}(=+|-+)[ \t]*$")
_QUOTED = re.compile(r"^[ ]{0,3}(?:>[ \t]?)+")
_NOT_PARAGRAPH = re.compile(r"^(?:[ ]{4}|\t|[ ]{0,3}(?:[-*+>|#]|\d+[.)])(?:[ \t]|$)|[ ]{0,3}(?:=+|-+)[ \t]*$)")
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
#: What a tag may hold, inline or in frontmatter: Obsidian takes letters, digits, "_", "-", "/" and
#: "commonly accepted Unicode characters, including emojis and other symbols" (its help, "Tag format"),
#: so a tag ends at whitespace or punctuation; "<", ">", "&" and quotes end it too, which matters because
#: the tags plugin shows a tag's name as HTML, unescaped. Control characters end it: Python-Markdown's
#: placeholders (STX ... ETX) are never part of a tag.
_TAG_CHAR = "[^\\x00-\\x1f\\x7f\\s!\"#$%&'()*+,.:;<=>?@\\[\\]\\\\^`{|}~，。、；：？！「」『』（）【】《》“”‘’…]"
#: An inline tag: "#" after whitespace or at line start, then tag characters.
#: Written "#" first, then "not after a non-space", rather than "(?<=\s)|(?<=^)" first: a pattern that
#: opens with a literal lets the regex engine skip to each "#" (4.8 against 0.6 us on a typical paragraph,
#: and Python-Markdown runs every inline pattern over every text node).
TAG = re.compile(rf"#(?<!\S#)({_TAG_CHAR}+)", re.UNICODE)
_TAG_BODY = re.compile(rf"{_TAG_CHAR}+")


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
    #: Properties of a broken frontmatter block that could not be read (see read_frontmatter).
    unreadable_properties: list[str] = field(default_factory=list)
    may_be_unpublished: bool = False


#: A top-level property in a frontmatter block: "key:" at the start of a line (quoted keys too).
_PROPERTY = re.compile(r"""^(?:"[^"\n]*"|'[^'\n]*'|[^\s#\-"'][^:\n]*|-[^\s:\n][^:\n]*):(?:[ \t]|$)""")
#: Properties that decide whether a note is published: one that cannot be read keeps the note out.
PUBLISHING_PROPERTIES = ("draft", "publish")


@dataclass(frozen=True)
class Frontmatter:
    """A note's frontmatter as Obsidian reads it: the ``---`` block, its properties and what went wrong."""

    meta: dict[str, Any]
    #: Characters and lines the block takes (the body is text[body_start:], body line n is file line n + lines).
    body_start: int = 0
    lines: int = 0
    #: (file line, what is wrong) when the block is not a YAML mapping; MkDocs ignores it silently.
    problem: tuple[int, str] | None = None
    #: The properties that could not be read (their names as written; "" for lines before any name).
    unreadable: tuple[str, ...] = ()
    #: Whether what could not be read mentions draft or publish: the note is then kept out.
    may_be_unpublished: bool = False


def _yaml_problem(error: yaml.YAMLError) -> tuple[int, str]:
    """Give back (line in the block, 0-based; what is wrong) of a YAML error."""
    # Where the broken construct opens (an unclosed "[" or quote), else where reading failed.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    return (mark.line if mark else 0), getattr(error, "problem", None) or "cannot be read"


def _salvage(block: str) -> tuple[dict[str, Any], list[str], bool]:
    """Give back the properties of a broken block that can be read one by one, the names of the rest,
    and whether the rest mentions a property that decides publishing.

    Each top-level property (its line and the indented or list lines under it) is read on its own, so
    a stray quote in one property loses that property only.
    """
    entries: list[list[str]] = []
    for line in block.split("\n"):
        if _PROPERTY.match(line) or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
    meta: dict[str, Any] = {}
    unreadable: list[str] = []
    private = False
    for entry in entries:
        text = "\n".join(entry)
        if not text.strip() or text.lstrip().startswith("#") and len(entry) == 1:
            continue
        try:
            data = yaml.load(text, yaml.SafeLoader)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            meta.update(data)
        else:
            name = _PROPERTY.match(entry[0])
            unreadable.append(name.group(0).rstrip().rstrip(":").strip("'\" \t") if name else "")
            private = private or any(word in text.lower() for word in PUBLISHING_PROPERTIES)
    return meta, unreadable, private


def read_frontmatter(text: str) -> Frontmatter:
    """Give back a note's frontmatter: the ``---`` block at its top, read as Obsidian reads it.

    A block that is not valid YAML never stops the build nor shows as text on the page: its properties
    that can be read are kept, the rest are named. MkDocs' other metadata style ("Key: value" lines
    with no ``---``) is not Obsidian's: such lines are the note's text.
    """
    match = YAML_RE.match(text)
    if not match:
        return Frontmatter(meta={})
    rest = text[match.end():]
    body_start = len(text) - len(rest.lstrip("\n"))
    lines = text.count("\n", 0, body_start)
    source = match.group(1)
    try:
        data = yaml.load(source, yaml.SafeLoader)
    except yaml.YAMLError as error:
        line, problem = _yaml_problem(error)
        meta, unreadable, private = _salvage(source)
        return Frontmatter(meta, body_start, lines, (2 + line, f"frontmatter is not valid YAML ({problem})"),
                           tuple(unreadable), private)
    if data is not None and not isinstance(data, dict):
        problem = f"frontmatter is a YAML {type(data).__name__}, not a mapping of properties such as 'title: ...'"
        return Frontmatter({}, body_start, lines, (2, problem))
    return Frontmatter(data or {}, body_start, lines)


def frontmatter_problem(text: str) -> tuple[int, str] | None:
    """Give back (file line, problem) if the note opens with frontmatter that is not a YAML mapping."""
    return read_frontmatter(text).problem


def split_frontmatter(text: str) -> tuple[dict[str, Any], str, int]:
    """Give back (frontmatter, body, lines the frontmatter took), as Obsidian reads them."""
    body, meta = get_data(text) if text.startswith("---") else (text, {})
    if isinstance(meta, dict) and meta and len(body) < len(text):  # MkDocs (with libyaml) read a mapping
        return meta, body, text[: len(text) - len(body)].count("\n")
    front = read_frontmatter(text)
    return front.meta, text[front.body_start:], front.lines


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
    # MkDocs (with libyaml) strips the frontmatter it reads as a mapping: only what it left in place needs
    # the pure-Python parse that names the problem and its line (a third of scanning a note, otherwise).
    body, meta = get_data(text) if text.startswith("---") else (text, {})
    if isinstance(meta, dict) and meta and len(body) < len(text):
        front = Frontmatter(meta, len(text) - len(body), text[: len(text) - len(body)].count("\n"))
    else:
        front = read_frontmatter(text)
    body, offset = text[front.body_start:], front.lines
    source = NoteSource(meta=front.meta, body=body, body_offset=offset, body_start=front.body_start,
                        frontmatter_problem=front.problem, unreadable_properties=list(front.unreadable),
                        may_be_unpublished=front.may_be_unpublished)
    previous: tuple[int, str] = (0, "")  # the line before, for a setext heading's underline
    written = body.split("\n")  # a heading's text as written: prose_lines blanks its code spans
    for number, line in prose_lines(body):
        file_line = number + offset
        underline = _SETEXT.match(line)
        if underline and previous[0] == number - 1 and _paragraph_line(previous[1]):
            level = 1 if underline.group(1)[0] == "=" else 2
            source.headings.append(Heading(level, written[number - 2].strip(), file_line - 1))
        previous = (number, line)
        for match in WIKILINK.finditer(line):
            source.links.append(LinkOccurrence(match.group(2), file_line, embed=bool(match.group(1))))
        for match in _MD_LINK.finditer(line):
            source.links.append(LinkOccurrence(match.group(2), file_line, embed=bool(match.group(1)), markdown=True))
        heading = _HEADING.match(_QUOTED.sub("", line, count=1))  # a heading in a quote or callout has an id too
        if heading:
            text = _HEADING.match(_QUOTED.sub("", written[number - 1], count=1))
            source.headings.append(Heading(len(heading.group(1)), (text or heading).group(2).strip(), file_line))
            continue
        block = _BLOCK_ID.search(line)
        if block:
            source.block_ids.add(block.group(1))
        source.tags.extend(inline_tags(line))
    merged: dict[str, str] = {}
    declared = frontmatter_tags(front.meta)
    source.rejected_tags = [tag for tag in declared if not _TAG_BODY.fullmatch(tag) or not valid_tag(tag)]
    for tag in [tag for tag in declared if tag not in source.rejected_tags] + source.tags:
        merged.setdefault(tag_key(tag), tag)
    source.tags = list(merged.values())
    return source


def _paragraph_line(line: str) -> bool:
    """Give back whether a line can be a setext heading's text (a paragraph's, not a list's, quote's...)."""
    return bool(line.strip()) and not _NOT_PARAGRAPH.match(line)


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
