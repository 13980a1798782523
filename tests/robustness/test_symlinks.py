"""Symbolic links in a vault: a link to a folder is skipped with one warning naming it; nothing outside is read."""

from __future__ import annotations

import os

import pytest

from tests.helpers import build_site
from tests.robustness.corpus import write

OUTSIDE = "OUTSIDE-0c9e4a-never-walked"


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """A vault with two loops (together they make MkDocs' own walk endless), links out and dangling links."""
    root = tmp_path_factory.mktemp("symlinks")
    (root / "outside").mkdir()
    (root / "outside" / "Outside.md").write_text(f"# Outside\n\n{OUTSIDE}\n", encoding="utf-8")
    vault = write(root / "vault", {
        "index.md": "# Home\n\n[[A]] [[N]]\n",
        "sub/A.md": "# A\n",
        "notes/N.md": "# N\n",
    })
    os.symlink(".", vault / "loop")
    os.symlink("..", vault / "sub" / "up")
    os.symlink("../outside", vault / "ext")
    os.symlink("notes", vault / "alias")
    os.symlink("nowhere.md", vault / "dangling.md")
    os.symlink("../outside/Outside.md", vault / "outfile.md")
    lenient = build_site(vault, root / "site", strict=False)
    strict = build_site(vault, root / "strict", strict=True)
    return root, lenient, strict


EXPECTED = {
    "WARNING -  Doc folder 'alias' is a symbolic link to 'notes', a folder of the vault published under its own "
    "path: it is skipped.",
    "WARNING -  Doc folder 'ext' is a symbolic link to '{root}/outside', outside the vault: it is skipped.",
    "WARNING -  Doc folder 'loop' is a symbolic link to the vault's root, a folder that holds it (a loop): it is "
    "skipped.",
    "WARNING -  Doc folder 'sub/up' is a symbolic link to the vault's root, a folder that holds it (a loop): it is "
    "skipped.",
    "WARNING -  Doc file 'dangling.md' is a symbolic link to 'nowhere.md', which does not exist; it is skipped.",
    "WARNING -  Doc file 'outfile.md' is a link to '{root}/outside/Outside.md', outside the vault; it is not "
    "published.",
}


def warnings(stderr: str) -> set[str]:
    return {line for line in stderr.splitlines() if line.startswith(("WARNING", "ERROR"))}


def test_each_link_is_one_warning_and_the_build_finishes(linked):
    """Without --strict the build ends (MkDocs alone walks the two loops for ever), one warning per link."""
    root, lenient, _ = linked
    assert lenient.returncode == 0, lenient.stderr
    assert "Traceback" not in lenient.stderr
    assert warnings(lenient.stderr) == {line.format(root=root.resolve()) for line in EXPECTED}


def test_strict_fails_on_them(linked):
    """Under --strict the same warnings stop the build."""
    root, _, strict = linked
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert warnings(strict.stderr) == {line.format(root=root.resolve()) for line in EXPECTED}


def test_only_the_vaults_own_notes_are_published(linked):
    """Each note once, under its own path; nothing from outside the vault, nothing under a link."""
    root, *_ = linked
    site = root / "site"
    # Catalogue/: the pages our mkdocs.yml's data/ gives every site it builds, none from the vault.
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")
                   if not p.relative_to(site).as_posix().startswith(("search", "tags", "assets", "Catalogue")))
    assert pages == [".", "notes/N", "sub/A"]
    assert not [p for p in site.rglob("*") if p.is_file() and OUTSIDE.encode() in p.read_bytes()]
