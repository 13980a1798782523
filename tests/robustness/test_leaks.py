"""Nothing private leaks, and nothing outside the vault is read: grep every file of the built site."""

from __future__ import annotations

import os

import pytest

from tests.helpers import build_site
from tests.robustness.corpus import CANARY, write

OUTSIDE = "OUTSIDE-5e1b7d-never-read"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A vault with drafts, publish: false notes, their attachments, climbing links and symlinks out."""
    root = tmp_path_factory.mktemp("leaks")
    secret = root / "secret"
    secret.mkdir()
    (secret / "outside.md").write_text(f"# Outside\n{OUTSIDE}\n")
    (secret / "outside.png").write_bytes(b"\x89PNG" + OUTSIDE.encode())
    vault = write(root / "a" / "b" / "vault", {
        "index.md": "# Home\n\n[[Draft]] [[Private]] ![[Draft]] ![[Private#Secret]] ![[Private#^blk]]\n\n"
                    "[up](../../../secret/outside.md) ![up](../../../secret/outside.png)\n\n"
                    f"[[../../../secret/outside]] ![[../../../secret/outside.png]] ![[{secret}/outside]]\n\n"
                    f"[[/etc/passwd]] ![[{root}/secret/outside.md]] [abs]({secret}/outside.md)\n\n"
                    "[[Linked outside]] ![[Linked outside]] ![[linked.png]]\n",
        "Draft.md": f"---\ndraft: true\ntitle: Draft {CANARY}\ndescription: {CANARY}\naliases: [{CANARY}-alias]\n"
                    f"tags: [{CANARY}]\n---\n# {CANARY}\n\n![[draft-only.png]]\n",
        "Private.md": f"---\npublish: false\n---\n# Secret\n\n{CANARY} ^blk\n\n![[private-only.png]]\n",
        "draft-only.png": b"\x89PNG" + CANARY.encode(),
        "private-only.png": b"\x89PNG" + CANARY.encode(),
        "Folder/Nested draft.md": f"---\ndraft: yes\n---\n{CANARY}\n",
    })
    os.symlink(secret / "outside.md", vault / "Linked outside.md")
    os.symlink(secret / "outside.png", vault / "linked.png")
    os.symlink(secret, vault / "linked-folder")
    site = root / "site"
    result = build_site(vault, site, strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return site, result


def every_file(site):
    return [path for path in site.rglob("*") if path.is_file()]


def test_no_output_file_holds_the_private_canary(built):
    """No HTML, search index, sitemap, tags JSON or copied attachment holds a private note's text."""
    site, _ = built
    files = every_file(site)
    assert any(path.name == "search_index.json" for path in files)
    assert any(path.name == "sitemap.xml" for path in files)
    leaks = [path.relative_to(site) for path in files if CANARY.encode() in path.read_bytes()]
    assert leaks == []
    assert not (site / "draft-only.png").exists() and not (site / "private-only.png").exists()


def test_no_output_file_holds_anything_from_outside_the_vault(built):
    """Climbing links, absolute paths and symlinks out of the vault read nothing from outside it."""
    site, _ = built
    leaks = [path.relative_to(site) for path in every_file(site) if OUTSIDE.encode() in path.read_bytes()]
    assert leaks == []


def test_links_to_private_notes_are_reported_not_followed(built):
    """A link to a draft is unresolved, and the warning says why."""
    _, result = built
    assert ("WARNING -  Doc file 'index.md', line 3: link '[[Draft]]' does not resolve to a published note or "
            "attachment. It names 'Draft.md', which is not published (draft: true).") in result.stderr
