"""Link resolution as Obsidian does it, as a table of (vault, linking note, link) -> target."""

from __future__ import annotations

import pytest

from atlas_mkdocs.obsidian.paths import href_between, parse_wikilink, slugify
from atlas_mkdocs.obsidian.vault import VaultIndex, resolve

VAULT = VaultIndex.from_sources({
    "Home.md": "# Home",
    "Note.md": "# Note",
    "note.md": "lower-case twin of Note.md",
    "Projects/Note.md": "same name, deeper",
    "Projects/Plan.md": "plan",
    "Projects/Deep/Plan.md": "deeper plan",
    "Archive/Old/Plan.md": "oldest plan",
    "2024/Books.md": "2024 books",
    "2025/Books.md": "2025 books",
    "Reading/2024/Books.md": "a longer path ending 2024/Books",
    "Names/Q&A 100% done?.md": "punctuation",
    "Names/v1.2 release.md": "dots",
    "Names/C# tips.md": "a hash in the name",
    "Names/Café crème.md": "accents",
    "Names/🚀 Launch.md": "emoji",
    "Aliased.md": "---\naliases: [Other name, AKA]\n---\nbody",
    "Draft.md": "---\ndraft: true\n---\nnot published",
    "Hidden.md": "---\npublish: false\n---\nnot published",
    "Figure 1.png": None,
    "Projects/diagram.svg": None,
    ".obsidian/workspace.md": "settings",
    ".trash/Deleted.md": "gone",
})

TABLE = [
    # (linking note, link, target)
    ("Home.md", "Note", "Note.md"),                                 # exact vault path, exact case
    ("Home.md", "note", "note.md"),                                 # exact case preferred over Note.md
    ("Home.md", "NOTE", "Note.md"),                                 # case-insensitive; tie -> stable order
    ("Home.md", "Note.md", "Note.md"),                              # with .md
    ("Projects/Plan.md", "Note", "Note.md"),                        # exact vault path beats same folder
    ("Projects/Plan.md", "Projects/Note", "Projects/Note.md"),      # full path
    ("Projects/Plan.md", "/Note", "Note.md"),                       # vault-absolute
    ("Home.md", "Plan", "Projects/Plan.md"),                        # shortest path
    ("Projects/Deep/Plan.md", "Plan", "Projects/Deep/Plan.md"),     # own folder first
    ("Archive/Old/Plan.md", "Plan", "Archive/Old/Plan.md"),         # own folder first
    ("Home.md", "Deep/Plan", "Projects/Deep/Plan.md"),              # partial path narrows
    ("Home.md", "Old/Plan", "Archive/Old/Plan.md"),
    ("Home.md", "2024/Books", "2024/Books.md"),                     # exact path beats longer suffix match
    ("Home.md", "Books", "2024/Books.md"),                          # equal length: stable order
    ("Projects/Deep/Plan.md", "../Plan", "Projects/Plan.md"),       # relative path
    ("Projects/Plan.md", "../../Note", None),                       # outside the vault
    ("Home.md", "Q&A 100% done?", "Names/Q&A 100% done?.md"),
    ("Home.md", "v1.2 release", "Names/v1.2 release.md"),           # a dot is not an extension
    ("Home.md", "C# tips", "Names/C# tips.md"),                     # "#" in the name
    ("Home.md", "C# tips#Intro", "Names/C# tips.md"),
    ("Home.md", "café crème", "Names/Café crème.md"),               # accents, case-insensitive
    ("Home.md", "Cafe\u0301 cre\u0300me", "Names/Café crème.md"),   # NFD as macOS writes it
    ("Home.md", "🚀 Launch", "Names/🚀 Launch.md"),
    ("Home.md", "Figure 1.png", "Figure 1.png"),                    # attachment
    ("Home.md", "diagram.svg", "Projects/diagram.svg"),
    ("Home.md", "Other name", "Aliased.md"),                        # alias
    ("Home.md", "aka", "Aliased.md"),
    ("Home.md", "Draft", None),                                     # draft: true is not published
    ("Home.md", "Hidden", None),                                    # publish: false
    ("Home.md", "workspace", None),                                 # .obsidian/ is ignored
    ("Home.md", "Deleted", None),                                   # .trash/ is ignored
    ("Home.md", "Missing", None),
    (None, "Plan", "Projects/Plan.md"),                             # no linking note: from the root
    ("Home.md", "#Heading", "Home.md"),                             # same page
]


@pytest.mark.parametrize(("source", "link", "target"), TABLE, ids=[f"{s}->{l}" for s, l, _ in TABLE])
def test_resolution_table(source, link, target):
    """Each (linking note, link) resolves to the file Obsidian opens."""
    assert resolve(VAULT, source, link).target == target


def test_fragments_name_the_last_heading_or_block():
    """#H1#H2 lands on H2; #^id is a block reference; the alias is trimmed."""
    assert resolve(VAULT, "Home.md", "Note#Intro#Costs | the costs ").heading == "Costs"
    resolution = resolve(VAULT, "Home.md", "Note#^abc-1")
    assert (resolution.block, resolution.heading) == ("abc-1", None)
    assert parse_wikilink("Note#Intro#Costs | the costs ").alias == "the costs"


def test_table_cell_alias_separator():
    """Inside a table the alias follows an escaped pipe."""
    assert parse_wikilink(r"Note\|alias") == parse_wikilink("Note|alias").__class__(
        raw=r"Note\|alias", path="Note", alias="alias")


def test_default_text():
    """A link without alias shows 'Note > Heading', or the heading alone on the same page."""
    assert parse_wikilink("Note#A#B").default_text() == "Note > A > B"
    assert parse_wikilink("#Costs").default_text() == "Costs"
    assert parse_wikilink("Note#^id").default_text() == "Note > ^id"


def test_slug_drops_punctuation_like_obsidian():
    """A fragment written without the heading's punctuation has the heading's id."""
    assert slugify("A header: With a colon") == slugify("A header With a colon") == "a-header-with-a-colon"
    assert slugify("数据 中心") == "数据-中心"


def test_href_is_relative_and_percent_encoded():
    """Hrefs are relative to the linking file and percent-encode spaces, &, %, ?, # and emoji."""
    assert href_between("Projects/Plan.md", "Names/Q&A 100% done?.md", "a-b") == \
        "../Names/Q%26A%20100%25%20done%3F.md#a-b"
    assert href_between("Home.md", "Names/C# tips.md") == "Names/C%23%20tips.md"
    assert href_between("Home.md", "Names/🚀 Launch.md") == "Names/%F0%9F%9A%80%20Launch.md"
    assert href_between("Home.md", "Home.md", "^id") == "Home.md#^id"


def test_did_you_mean():
    """An unresolved name gets the closest published name, never an unpublished one."""
    assert VAULT.close_name("Nite") == "Note"
    assert VAULT.close_name("Draft") is None
    assert VAULT.unpublished_match("Draft", "Home.md").unpublished_reason == "draft: true"


def test_index_lookup_does_not_scan(monkeypatch):
    """Resolving goes through dictionaries: the file list is never iterated per link."""
    index = VaultIndex.from_sources({f"f{i}/N{i}.md": "" for i in range(2000)})
    monkeypatch.setattr(index, "files", None)
    assert resolve(index, None, "N1999").target == "f1999/N1999.md"
