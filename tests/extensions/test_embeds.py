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


def test_every_missing_embed_is_reported(caplog):
    """Embeds of missing notes, headings, blocks, files and private notes each log one message."""
    from pathlib import Path

    with caplog.at_level(logging.INFO, logger=LOGGER):
        render((Path(__file__).parent / "embeds" / "missing.md").read_text())
    ghost = "does not resolve to a published note or attachment."
    private = "It names 'Private.md', which is not published (publish: false)."
    assert messages(caplog) == [
        (logging.WARNING, f"Doc file 'Golden.md', line 1: embed '![[Not written yet]]' {ghost}"),
        (logging.WARNING, f"Doc file 'Golden.md', line 3: embed '![[Not written yet#Heading]]' {ghost}"),
        (logging.WARNING, "Doc file 'Golden.md', line 5: embed '![[Embedded#No such heading]]' names a heading "
                          "'No such heading' that 'Embedded.md' does not have."),
        (logging.WARNING, "Doc file 'Golden.md', line 7: embed '![[Embedded#^no-such-block]]' names a block "
                          "'^no-such-block' that 'Embedded.md' does not have."),
        (logging.WARNING, f"Doc file 'Golden.md', line 9: embed '![[missing.png]]' {ghost}"),
        (logging.WARNING, f"Doc file 'Golden.md', line 9: embed '![[missing.png|300]]' {ghost}"),
        (logging.WARNING, f"Doc file 'Golden.md', line 11: embed '![[Private]]' {ghost} {private}"),
        (logging.WARNING, f"Doc file 'Golden.md', line 13: embed '![[Private#Secret heading]]' {ghost} {private}"),
    ]


def test_media_players_get_the_published_files_url():
    """Audio, video and PDF players name the file's final URL from the page's (MkDocs rewrites only a and img)."""
    from .conftest import make_session

    session = make_session()
    session.urls = {"Projects/Plan.md": "Projects/Plan/", "clip.mp3": "clip.mp3", "movie.mp4": "movie.mp4",
                    "paper.pdf": "paper.pdf", "Figure 1.png": "Figure%201.png"}
    html = render("![[clip.mp3]] ![[movie.mp4#t=5]] ![[paper.pdf#page=2]] ![[Figure 1.png]]", session=session,
                  note="Projects/Plan.md")
    assert 'src="../../clip.mp3"' in html and 'src="../../movie.mp4#t=5"' in html
    assert 'src="../../paper.pdf#page=2"' in html
    assert 'src="../Figure%201.png"' in html  # an image names the file; MkDocs makes it the page's URL
