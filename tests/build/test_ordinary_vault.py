"""Issue 17's "done when": an ordinary vault, built the way a newcomer builds one (`make site VAULT=...`).

It has what real vaults have and ours does not: ghost links (notes not written yet, one with a heading
part), an app link (`obsidian://`), a malformed calculator block, a symbolic-link loop, a link to a folder
outside the vault, and no index.md. The lenient build publishes every other note and reports each problem
once, naming note and line; STRICT=1 fails on the same problems.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT

NOTES = {
    "Garden.md": "# Garden\n\nPlant [[Ferns]] in shade; see [[Soil#pH]] and [[Compost]].\n\n"
                 "Open it in [the app](obsidian://open?vault=garden&file=Ferns).\n",
    "Ferns.md": "---\ntags: [plants]\n---\n# Ferns\n\nThey like water. Back to [[Garden]].\n",
    "Budget.md": "# Budget\n\n```calculator\nwidget: rental-cots\n```\n\nThe rest of the note stays.\n",
    "Trips/Kew.md": "# Kew\n\nA day at Kew, with [[Ferns]].\n",
}


def make_site(vault: Path, site: Path, *, strict: bool) -> subprocess.CompletedProcess:
    """Give back `make site VAULT=vault SITE_DIR=site` (and STRICT=1), run as a user runs it."""
    command = ["make", "--no-print-directory", "site", f"VAULT={vault}", f"SITE_DIR={site}"]
    if strict:
        command.append("STRICT=1")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ATLAS_", "MAKE"))}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def problems(log: str) -> list[str]:
    """Give back the WARNING lines of a build's log."""
    return [line for line in log.splitlines() if line.startswith("WARNING")]


@pytest.fixture(scope="module")
def vault(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("ordinary")
    outside = base / "outside"
    outside.mkdir()
    (outside / "Secret.md").write_text("# Secret\n\nNever published.\n", encoding="utf-8")
    vault = base / "vault"
    for name, text in NOTES.items():
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_text(text, encoding="utf-8")
    (vault / "loop").symlink_to(".")
    (vault / "elsewhere").symlink_to(outside)
    return vault


@pytest.fixture(scope="module")
def lenient(vault, tmp_path_factory):
    site = tmp_path_factory.mktemp("lenient") / "site"
    return site, make_site(vault, site, strict=False)


def test_every_problem_is_reported_once_with_note_and_line(vault, lenient):
    """Two ghost links (one with a heading part), the bad widget name with a "did you mean", and each
    symbolic link: one warning each, and nothing about the app link."""
    site, result = lenient
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    outside = vault.parent / "outside"
    assert sorted(problems(log)) == sorted([
        "WARNING -  Budget.md, line 3: calculator block names unknown widget 'rental-cots'. Did you mean "
        "'rental-cost'?",
        "WARNING -  Doc file 'Garden.md', line 3: link '[[Soil#pH]]' does not resolve to a published note or "
        "attachment.",
        "WARNING -  Doc file 'Garden.md', line 3: link '[[Compost]]' does not resolve to a published note or "
        "attachment.",
        "WARNING -  Doc folder 'loop' is a symbolic link to the vault's root, a folder that holds it (a loop): "
        "it is skipped.",
        f"WARNING -  Doc folder 'elsewhere' is a symbolic link to '{outside.resolve()}', outside the vault: it is "
        "skipped.",
    ])


def test_every_other_note_is_published_and_the_root_lists_them(lenient):
    """Each note has its page; the ghost links are text marked unresolved; the app link is a link; the bad
    block is a visible box and the rest of its note is there; nothing from outside the vault or the loop."""
    site, _ = lenient
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert {"index.html", "Garden/index.html", "Ferns/index.html", "Budget/index.html",
            "Trips/Kew/index.html"} <= pages
    assert not [page for page in pages if page.startswith(("loop/", "elsewhere/"))], pages
    assert "Never published" not in "".join(p.read_text(encoding="utf-8", errors="replace")
                                            for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml"))
    garden = (site / "Garden" / "index.html").read_text(encoding="utf-8")
    assert 'href="obsidian://open?vault=garden&amp;file=Ferns"' in garden
    assert '<a class="obsidian-link" href="../Ferns/">Ferns</a>' in garden
    assert "Compost" in garden and 'href="../Compost/"' not in garden
    budget = (site / "Budget" / "index.html").read_text(encoding="utf-8")
    assert "atlas-block-error" in budget and "The rest of the note stays." in budget
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "4 notes in this vault." in home and 'href="Trips/Kew/"' in home


def test_strict_fails_on_the_same_problems(vault, lenient, tmp_path):
    """STRICT=1 turns the same warnings into a failed build."""
    _, relaxed = lenient
    result = make_site(vault, tmp_path / "site", strict=True)
    assert result.returncode != 0
    assert problems(result.stdout + result.stderr) == problems(relaxed.stdout + relaxed.stderr)
