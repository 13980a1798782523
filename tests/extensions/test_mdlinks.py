"""Focused tests of Markdown links and images: their messages, severities and the lines they name."""

from __future__ import annotations

import logging
from pathlib import Path

from .conftest import make_session, render

LOGGER = "mkdocs.plugins.atlas"
GHOST = "does not resolve to a published note or attachment."


def messages(caplog) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == LOGGER]


def test_unresolved_markdown_links_are_reported_as_written(caplog):
    """Each Markdown link or image that lands nowhere is one message, quoting it as the note writes it."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        render((Path(__file__).parent / "mdlinks" / "links.md").read_text())
    prefix = "Doc file 'Golden.md', line"
    assert messages(caplog) == [
        (logging.WARNING, f"{prefix} 7: link '[not written yet](Not%20written%20yet.md)' {GHOST}"),
        (logging.WARNING, f"{prefix} 7: link '[a draft](Draft.md)' {GHOST} It names 'Draft.md', which is not "
                          "published (draft: true)."),
        (logging.WARNING, f"{prefix} 7: link '[private](Private.md)' {GHOST} It names 'Private.md', which is not "
                          "published (publish: false)."),
        (logging.WARNING, f"{prefix} 8: link '[**with markup**](Gone.md#Part)' {GHOST}"),
        (logging.WARNING, f"{prefix} 11: link '![a missing image](nothing.png)' {GHOST}"),
    ]


def test_a_close_name_is_suggested_as_a_path(caplog):
    """A typo in a Markdown link's path gets the close note's name, written as a Markdown link takes it."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("[x](Nite.md)")
    assert html == '<p><span class="obsidian-unresolved" title="Not published or missing">x</span></p>'
    assert messages(caplog) == [(logging.WARNING, f"Doc file 'Golden.md', line 1: link '[x](Nite.md)' {GHOST} "
                                                  "Did you mean 'Note'?")]


def test_markdown_links_follow_the_severity(caplog):
    """broken_links: info logs at INFO; ignore logs nothing; the link is unresolved either way."""
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        info = render("[x](Gone.md)", session=make_session(broken_links="info"))
        ignored = render("[x](Gone.md)", session=make_session(broken_links="ignore"))
    assert info == ignored == '<p><span class="obsidian-unresolved" title="Not published or missing">x</span></p>'
    assert messages(caplog) == [(logging.INFO, f"Doc file 'Golden.md', line 1: link '[x](Gone.md)' {GHOST}")]


def test_links_with_a_scheme_or_a_folder_are_left_to_mkdocs(caplog):
    """Web, app, site-absolute and folder links are neither resolved nor reported here."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("[a](https://x.org/Gone.md) [b](zotero://select/Gone.md) [c](/Gone.md) [d](Gone/)")
    assert html == ('<p><a href="https://x.org/Gone.md">a</a> <a href="zotero://select/Gone.md">b</a> '
                    '<a href="/Gone.md">c</a> <a href="Gone/">d</a></p>')
    assert messages(caplog) == []
