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


GHOST = "does not resolve to a published note or attachment."


def test_ghost_and_private_links_are_each_reported_once(caplog):
    """Each ghost link, missing heading or block, and link to a private note is one message naming the fix."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render((VAULT_DIR.parent.parent / "extensions" / "wikilinks" / "ghost.md").read_text())
    prefix = "Doc file 'Golden.md', line"
    private = "It names 'Private.md', which is not published (publish: false)."
    assert messages(caplog) == [
        (logging.WARNING, f"{prefix} 1: link '[[Not written yet]]' {GHOST}"),
        (logging.WARNING, f"{prefix} 1: link '[[Not written yet|with an alias]]' {GHOST}"),
        (logging.WARNING, f"{prefix} 2: link '[[Not written yet#A heading]]' {GHOST}"),
        (logging.WARNING, f"{prefix} 2: link '[[Not written yet#^a-block]]' {GHOST}"),
        (logging.WARNING, f"{prefix} 4: link '[[Note#No such heading]]' names a heading 'No such heading' that "
                          "'Note.md' does not have."),
        (logging.WARNING, f"{prefix} 4: link '[[Note#^no-such-block]]' names a block '^no-such-block' that "
                          "'Note.md' does not have."),
        (logging.WARNING, f"{prefix} 4: link '[[#Not on this page]]' names a heading 'Not on this page' that "
                          "'Golden.md' does not have."),
        (logging.WARNING, f"{prefix} 6: link '[[Private]]' {GHOST} {private}"),
        (logging.WARNING, f"{prefix} 6: link '[[Hidden alias]]' {GHOST} {private}"),
        (logging.WARNING, f"{prefix} 6: link '[[Private#Secret heading]]' {GHOST} {private}"),
        (logging.WARNING, f"{prefix} 7: link '[[Private#^secret-block|my words]]' {GHOST} {private}"),
        (logging.WARNING, f"{prefix} 7: link '[[Draft]]' {GHOST} It names 'Draft.md', which is not published "
                          "(draft: true)."),
        (logging.WARNING, f"{prefix} 9: link '[[Missing <i>x]]' {GHOST}"),
    ]
    for private_text in ("Secret title", "Secret text", "secret-block\"", "Private.md", "Private/"):
        assert private_text not in html, private_text


def test_missing_heading_suggests_the_closest(caplog):
    """A heading written slightly wrong is reported with the note's closest heading; the link opens the note."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("[[Note#Cost]]")
    assert html == '<p><a class="obsidian-link" href="Note.md">Note &gt; Cost</a></p>'
    assert messages(caplog) == [(logging.WARNING, "Doc file 'Golden.md', line 1: link '[[Note#Cost]]' names a "
                                                  "heading 'Cost' that 'Note.md' does not have. Did you mean "
                                                  "'#Costs'?")]


def test_ghost_links_follow_the_severity(caplog):
    """broken_links: info reports ghost links and missing headings at INFO; ignore reports nothing."""
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        render("[[Nowhere#Part]] [[Note#Nope]]", session=make_session(broken_links="info"))
        render("[[Nowhere#Part]] [[Note#Nope]]", session=make_session(broken_links="ignore"))
    assert [level for level, _ in messages(caplog)] == [logging.INFO, logging.INFO]


def test_a_link_inside_an_embed_is_reported_by_its_own_note_only(caplog):
    """A ghost link in an embedded note is reported when that note renders, not again by each embedder."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        embedded = render("![[With ghost]]\n")
        render((VAULT_DIR / "With ghost.md").read_text(), note="With ghost.md")
    assert '<span class="obsidian-unresolved" title="Not published or missing">Not written yet</span>' in embedded
    assert messages(caplog) == [
        (logging.WARNING, f"Doc file 'With ghost.md', line 3: link '[[Not written yet]]' {GHOST}"),
        (logging.WARNING, f"Doc file 'With ghost.md', line 3: link '[a missing note](Gone.md)' {GHOST}"),
    ]


def test_no_placeholder_reaches_a_link_or_a_message(caplog):
    """Code spans in a link's target: the href and the message hold the text as written, no stash marker."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        html = render("[[Headings#The `foo` function]] [[Missing `x`]]")
    assert 'href="Headings.md#the-foo-function"' in html
    assert messages(caplog) == [(logging.WARNING, f"Doc file 'Golden.md', line 1: link '[[Missing `x`]]' {GHOST}")]
    for marker in ("\x02", "\x03", "wzxhzdk", "klzzwxh"):
        assert marker not in html
