"""Zensical runs the Obsidian extensions without our plugin: no draft or private note leaks, under any outcome."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from atlas_mkdocs.obsidian.extensions import MODULES
from tests.robustness.corpus import CANARY, write

ROOT = Path(__file__).resolve().parents[2]

VAULT = {
    "index.md": "# Home\n\n[[Public]] [[Draft]] [[Private|a private note]] ![[Private]] ![[Draft#Secret]]\n",
    "Public.md": "# Public\n\nPublished text. ![[Quoted draft]]\n",
    "Draft.md": f"---\ndraft: true\ntitle: {CANARY} title\n---\n# Secret\n\n{CANARY} in a draft.\n",
    "Private.md": f"---\npublish: false\naliases: [{CANARY}-alias]\n---\n# {CANARY}\n\n{CANARY} kept private.\n",
    "Quoted draft.md": f"---\ndraft: \"yes\"\n---\n{CANARY} with a string flag.\n",
    "Folder/Nested.md": f"---\npublish: off\n---\n{CANARY} in a folder.\n",
    "Folder/Deep.md": "# Deep\n\n[[Public]] [[Nested]] [[#Deep]]\n",
}
PRIVATE = ["Draft.md", "Folder/Nested.md", "Private.md", "Quoted draft.md"]


def site_config(root: Path, exclude: list[str] | None = None) -> Path:
    """Write a mkdocs.yml that lists the Obsidian extensions by name, as a Zensical site would."""
    lines = ["site_name: Vault", "site_url: https://example.org/", "docs_dir: docs", "site_dir: site",
             "markdown_extensions:", "  - toc", *(f"  - {name}" for name in MODULES)]
    if exclude:
        lines += ["exclude_docs: |", *(f"  /{path}" for path in exclude)]
    path = root / "mkdocs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def zensical_build(root: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "zensical", "build", "--clean"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def leaks(site: Path) -> list[str]:
    """Give back every output file that holds the canary."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes())


@pytest.fixture(scope="module")
def unguarded(tmp_path_factory):
    root = tmp_path_factory.mktemp("zensical")
    write(root / "docs", VAULT)
    site_config(root)
    return root, zensical_build(root)


def test_an_unpublished_note_stops_the_build_saying_why(unguarded):
    """The first unpublished note met fails the build (Zensical reports one error), naming it and giving the
    exclude_docs that leaves out every unpublished note of the vault."""
    _, result = unguarded
    output = result.stdout + result.stderr
    assert result.returncode == 1
    reasons = {"Draft.md": "draft: true", "Private.md": "publish: false", "Quoted draft.md": "draft: true",
               "Folder/Nested.md": "publish: false"}
    named = re.findall(r"UnpublishedNoteError: Doc file '([^']+)' is not to be published \(([^)]+)\)", output)
    assert len(named) == 1 and reasons[named[0][0]] == named[0][1], output
    patterns = "\n".join(f"    /{path}" for path in PRIVATE)
    assert (f"but Zensical publishes every file of docs_dir, so the build stops here and nothing of the note is "
            f"written. Leave the vault's unpublished notes out in mkdocs.yml:\n  exclude_docs: |\n{patterns}\nor "
            f"build with MkDocs and the atlas plugin, which leaves them out itself.") in output


def test_messages_name_the_note_and_line(unguarded):
    """Under Zensical too, a link to a private note is reported with the note and line that hold it."""
    _, result = unguarded
    assert ("Doc file 'index.md', line 3: link '[[Draft]]' does not resolve to a published note or attachment. "
            "It names 'Draft.md', which is not published (draft: true).") in result.stdout + result.stderr


def test_nothing_private_is_in_any_file_it_wrote(unguarded):
    """Pages, search index, sitemap: no file holds a private note's text, title, alias or path."""
    root, _ = unguarded
    site = root / "site"
    assert (site / "Public" / "index.html").exists() and (site / "search.json").exists()
    assert leaks(site) == []
    for path in ("Draft", "Private", "Quoted draft", "Folder/Nested"):
        assert not (site / path).exists(), path


def test_with_the_suggested_exclude_docs_the_vault_builds_clean(tmp_path):
    """Leaving them out as the message says, the build succeeds; links to them read as unresolved text."""
    write(tmp_path / "docs", VAULT)
    site_config(tmp_path, exclude=PRIVATE)
    result = zensical_build(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert leaks(site) == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a class="obsidian-link" href="Public/">Public</a>' in home
    assert '<span class="obsidian-unresolved" title="Not published or missing">a private note</span>' in home
    assert '<span class="obsidian-unresolved obsidian-embed--missing" title="Not published or missing">Draft &gt; ' \
           'Secret</span>' in home
    deep = (site / "Folder" / "Deep" / "index.html").read_text(encoding="utf-8")  # links resolve from its folder
    assert '<a class="obsidian-link" href="../../Public/">Public</a>' in deep
    assert '<span class="obsidian-unresolved" title="Not published or missing">Nested</span>' in deep
    assert '<a class="obsidian-link" href="#deep">Deep</a>' in deep


def test_a_draft_behind_broken_frontmatter_stops_zensical_itself(tmp_path):
    """Zensical stops on frontmatter it cannot read, before our guard could: nothing of the note leaks either."""
    write(tmp_path / "docs", {"index.md": "# Home\n", "Broken.md": f"---\ntitle: [unclosed\ndraft: [yes\n---\n{CANARY}\n"})
    site_config(tmp_path)
    result = zensical_build(tmp_path)
    assert result.returncode == 1
    assert "RuntimeError: error reading page metadata 'Broken.md'" in result.stdout + result.stderr
    assert leaks(tmp_path / "site") == [] if (tmp_path / "site").exists() else True
