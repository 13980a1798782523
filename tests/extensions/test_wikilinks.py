"""Focused tests of the wikilinks extension: messages, severities, standalone use."""

from __future__ import annotations

import logging

import markdown

from .conftest import VAULT_DIR, make_session, render

LOGGER = "mkdocs.plugins.atlas"


def messages(caplog) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == LOGGER]


def test_unresolved_link_warnings_name_note_line_target_and_fix(caplog):
    """Each unresolved link logs its note, line, the link as written, and a close name or the reason."""
    text = "intro\n\n[[Nowhere]] and [[Nite|typo]]\n[[Draft]] and [[Nowhere]]\n"
    with caplog.at_level(logging.INFO, logger=LOGGER):
        render(text)
    prefix = "Doc file 'Golden.md', line"
    tail = "does not resolve to a published note or attachment."
    assert messages(caplog) == [
        (logging.WARNING, f"{prefix} 3: link '[[Nowhere]]' {tail}"),
        (logging.WARNING, f"{prefix} 3: link '[[Nite|typo]]' {tail} Did you mean '[[Note]]'?"),
        (logging.WARNING, f"{prefix} 4: link '[[Draft]]' {tail} It names 'Draft.md', which is not published (draft: true)."),
        (logging.WARNING, f"{prefix} 4: link '[[Nowhere]]' {tail}"),
    ]


def test_severity_info_and_ignore(caplog):
    """broken_links: info logs at INFO (no --strict failure); ignore logs nothing."""
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        render("[[Nowhere]]", session=make_session(broken_links="info"))
        render("[[Nowhere]]", session=make_session(broken_links="ignore"))
    assert messages(caplog) == [(logging.INFO, "Doc file 'Golden.md', line 1: link '[[Nowhere]]' does not "
                                               "resolve to a published note or attachment.")]


def test_resolved_links_log_nothing(caplog):
    """A clean note logs no message at all."""
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        render("[[Note]] [[Note#Costs]] [[#Local heading]] [[Figure 1.png]]")
    assert messages(caplog) == []


def test_links_resolve_from_a_subfolder_note():
    """From a note in a folder, hrefs climb out of it."""
    html = render("[[Note]] [[Café crème]] [[Plan#^step]]", note="Projects/Plan.md")
    assert 'href="../Note.md"' in html and 'href="../Names/Caf%C3%A9%20cr%C3%A8me.md"' in html
    assert 'href="#^step"' in html  # a link to the page itself stays on the page


def test_standalone_by_name_with_vault():
    """Listed by name with a vault folder, links resolve as from the vault root."""
    html = markdown.markdown("[[Plan#^step]] [[Other name]]", extensions=["atlas_mkdocs.obsidian.wikilinks"],
                             extension_configs={"atlas_mkdocs.obsidian.wikilinks": {"vault": str(VAULT_DIR)}})
    assert html == ('<p><a class="obsidian-link" href="Projects/Plan.md#^step">Plan &gt; ^step</a> '
                    '<a class="obsidian-link" href="Note.md">Other name</a></p>')


def test_standalone_without_vault_takes_links_as_paths():
    """With no vault known, a link names the file it spells, for MkDocs or Zensical to check."""
    html = markdown.markdown("[[My note#Part]] [[a.pdf]]", extensions=["atlas_mkdocs.obsidian.wikilinks"])
    assert html == ('<p><a class="obsidian-link" href="My%20note.md#part">My note &gt; Part</a> '
                    '<a class="obsidian-link" href="a.pdf">a.pdf</a></p>')
