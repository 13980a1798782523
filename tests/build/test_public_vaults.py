"""Public vaults nobody here wrote (tests/vaults/public/), built as a newcomer builds theirs.

kepano-obsidian is Steph Ango's vault template (MIT). Before this test it took `make site VAULT=...` down
with a traceback: `icon: trees` in one note's properties made Material include `.icons/trees.svg`, which
does not exist; `template:`, `hide:` and `search:` properties did the same in smaller vaults. Now every
note is published, and what the theme cannot use is reported at info level, naming note and property.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.build.test_ordinary_vault import make_site, problems
from tests.helpers import ROOT

KEPANO = ROOT / "tests" / "vaults" / "public" / "kepano-obsidian"


@pytest.fixture(scope="module")
def kepano(tmp_path_factory):
    site = tmp_path_factory.mktemp("kepano") / "site"
    result = make_site(KEPANO, site, strict=False)
    return result, site


def test_every_note_of_a_public_vault_is_published(kepano):
    result, site = kepano
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert "Traceback" not in log and "ERROR" not in log
    notes = sorted(p.relative_to(KEPANO).with_suffix("") for p in KEPANO.rglob("*.md")
                   if ".obsidian" not in p.parts)
    assert len(notes) == 103
    missing = [str(n) for n in notes if not (site / n / "index.html").is_file()]
    assert missing == []
    assert not (site / ".obsidian").exists()
    # No index.md: the home page lists the notes, headed by the vault's folder name.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<div class="atlas-home">\n<h1>kepano-obsidian</h1>\n<p>103 notes in this vault.</p>' in home


def test_properties_the_theme_would_act_on_are_reported_not_fatal(kepano):
    result, site = kepano
    log = result.stdout + result.stderr
    assert ("INFO    -  Doc file 'References/Parks.md': property 'icon: trees' is not an icon of the theme "
            "(a name like material/tree, from its .icons folder); the page shows no icon.") in log
    assert ("INFO    -  Doc file 'Notes/Minimal Theme.md': property 'status: ['[[Active]]']' is not a single "
            "word; the navigation shows no status.") in log
    parks = (site / "References" / "Parks" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Parks</h1>" in parks


def test_ghost_links_and_template_placeholders_are_warnings_naming_note_and_line(kepano):
    result, _ = kepano
    warnings = problems(result.stdout + result.stderr)
    ghosts = [w for w in warnings if "does not resolve to a published note" in w]
    placeholders = [w for w in warnings if "frontmatter is not valid YAML (found unhashable key)" in w]
    assert len(ghosts) == 11 and len(placeholders) == 28 and len(warnings) == 11 + 28
    assert ("WARNING -  Doc file 'Notes/Evergreen notes turn ideas into objects that you can manipulate.md', "
            "line 36: link '[[Everything is a remix]]' does not resolve to a published note or attachment.") in ghosts
    # {{date}} is a Templates placeholder, not YAML: Obsidian reads that property as invalid too.
    assert ("WARNING -  Doc file 'Templates/Book Template.md', line 13: frontmatter is not valid YAML (found "
            "unhashable key); the note is published with the properties that could be read ('categories', "
            "'author', 'cover', 'genre', 'pages', 'isbn', 'isbn13', 'year', 'rating', 'topics', 'last', 'via', "
            "'tags'), without 'created'.") in placeholders


def test_strict_fails_on_the_same_vault(tmp_path):
    vault = tmp_path / "vault"
    shutil.copytree(KEPANO, vault, symlinks=True)
    result = make_site(vault, tmp_path / "site", strict=True)
    assert result.returncode != 0
    assert "Aborted with 39 warnings in strict mode!" in result.stdout + result.stderr


def test_each_page_carries_its_own_folder_of_the_navigation(kepano):
    """starter/mkdocs.yml prunes the navigation: a note lists its folder's notes and each other folder as
    one link (to its first note), not all 103 notes: the whole navigation in every page grows a site with
    the square of its notes (obsidian-hub, 6,537 notes: 7.3 GB, 2.3 GB pruned)."""
    _, site = kepano
    page = (site / "Notes" / "Minimal Theme" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"#]*)" class="md-nav__link', page)  # the page's own headings aside
    assert "../Product%20usage%20analysis/" in links and "../2023%20Japan%20Trip/" in links  # its folder
    assert "../../Templates/Actor%20Template/" in links  # another folder: one link
    assert "../../Templates/Book%20Template/" not in links and len(links) < 20


def test_a_base_embed_says_what_it_is(kepano):
    """The category notes are one `![[Books.base]]` each: a view Obsidian draws, said so on the page, not a
    link to the Base's YAML."""
    _, site = kepano
    page = (site / "Categories" / "Books" / "index.html").read_text(encoding="utf-8")
    assert ('<p><span class="obsidian-embed-view" role="note">Books: a Base, a table of notes that Obsidian '
            'draws from the vault; this site cannot show it.</span></p>') in page
    assert "Books.base" not in page
