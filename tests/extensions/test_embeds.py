"""Focused tests of embeds: the warnings of cycles and missing sections, and standalone use."""

from __future__ import annotations

import logging

from .conftest import render

LOGGER = "mkdocs.plugins.atlas"


def messages(caplog) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == LOGGER]


def test_cycles_warn_with_the_ring(caplog):
    """A self-embed and a three-note ring each log one warning naming the note, line and ring."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("![[Self]]\n\n![[Ring A]]\n")
    assert html.count("Circular embed") == 2
    assert messages(caplog) == [
        (logging.WARNING, "Doc file 'Self.md', line 3: embed '![[Self]]' is circular "
                          "(Golden.md > Self.md > Self.md); a marker is shown instead."),
        (logging.WARNING, "Doc file 'Ring C.md', line 3: embed '![[Ring A]]' is circular "
                          "(Golden.md > Ring A.md > Ring B.md > Ring C.md > Ring A.md); a marker is shown instead."),
    ]


def test_missing_section_and_block_warn(caplog):
    """An embed of a heading or block the note lacks logs what is missing and where."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        render("![[Embedded#Nope]]\n![[Embedded#^nope]]\n![[Nowhere.png]]")
    assert messages(caplog) == [
        (logging.WARNING, "Doc file 'Golden.md', line 1: embed '![[Embedded#Nope]]' names a heading 'Nope' "
                          "that 'Embedded.md' does not have."),
        (logging.WARNING, "Doc file 'Golden.md', line 2: embed '![[Embedded#^nope]]' names a block '^nope' "
                          "that 'Embedded.md' does not have."),
        (logging.WARNING, "Doc file 'Golden.md', line 3: embed '![[Nowhere.png]]' does not resolve to a "
                          "published note or attachment."),
    ]


def test_two_sections_of_one_note_are_not_a_cycle(caplog):
    """A section embedding another section of its own note renders both, with no warning."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("![[Embedded#Part two]]")
    assert "Part one text." in html and "Circular" not in html and messages(caplog) == []


def test_embedded_links_point_from_the_embedding_page():
    """Links inside an embedded note resolve from its folder and point from the embedding page."""
    session_html = render("![[Embedded]]", note="Projects/Plan.md")
    assert '<a class="obsidian-link" href="#">Plan</a>' in session_html  # Plan is this very page
    assert 'href="../Note.md#costs"' in session_html
