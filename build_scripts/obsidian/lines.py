"""Which line of a note holds something: the one finder behind every message that names a note's line.

Python-Markdown knows nothing of files or lines, so a message about a link, a tag, a figure or a fenced
block finds its line in the note's text (front matter included) by what the author wrote there.
"""

from __future__ import annotations

import re

#: Quote and callout markers before a line's text (">", "> >"), which nested blocks carry on each line.
_QUOTED = re.compile(r"^\s*(?:>\s?)*")


def line_at(source: str, offset: int) -> int:
    """Give back the line (from 1) of ``source`` that holds the character at ``offset``."""
    return source.count("\n", 0, offset) + 1


def line_of(source: str | None, text: str, occurrence: int = 1) -> int | None:
    """Give back the line (from 1) of the ``occurrence``-th appearance of ``text`` in ``source``, or None."""
    if not source:
        return None
    start = -1
    for _ in range(occurrence):
        start = source.find(text, start + 1)
        if start < 0:
            return None
    return line_at(source, start)


def first_line_of(source: str | None, *texts: str) -> int | None:
    """Give back the first line of ``source`` holding any of ``texts`` (spellings of one thing), or None."""
    lines = [line for text in texts if (line := line_of(source, text)) is not None]
    return min(lines, default=None)


def fence_line(source: str | None, fence_name: str, block_source: str) -> int | None:
    """Give back the line opening the ``fence_name`` fence whose content is ``block_source``, or None.

    Fences nested in callouts or block quotes (lines starting with ">") are found too.
    """
    if not source:
        return None
    lines = source.splitlines()
    body = [entry.strip() for entry in block_source.strip("\n").splitlines()]
    opening = re.compile(r"\s*(?:>\s*)*(`{3,}|~{3,})\s*" + re.escape(fence_name) + r"\b")
    for number, line in enumerate(lines):
        if opening.match(line):
            following = [_QUOTED.sub("", entry).strip() for entry in lines[number + 1: number + 1 + len(body)]]
            if following == body:
                return number + 1
    return None
