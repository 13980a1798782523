"""A generated vault with the shapes of real ones (tests/vaults/realistic.py), built as a new user would.

The build is checked against what Obsidian makes of the vault, recorded as it was written: every
ghost link, link to a private note and missing heading is reported once with its note and line;
links that open apps are links; each published note has its page; every link and image in the site
lands on a file; nothing private, nothing from outside the vault and no internal marker is written.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.helpers import build_site
from tests.vaults.realistic import SECRET, generate

MARKERS = ("\x02", "\x03", "wzxhzdk", "klzzwxh")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("realistic")
    vault = generate(root)
    lenient = build_site(vault.root, root / "site", strict=False)
    return vault, root / "site", lenient


def log_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]


def test_the_build_finishes_without_a_traceback(built):
    """Hundreds of notes, ghost links, loops and broken frontmatter: the build ends, and says what it met."""
    vault, _, result = built
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert not [line for line in log_lines(result) if line.startswith("ERROR")]


def test_every_unresolved_link_is_reported_once_with_note_and_line(built):
    """Each ghost link, link to a private note and link to a missing heading: one warning, at its line."""
    vault, _, result = built
    reported = [line for line in log_lines(result) if ": link '" in line or ": embed '" in line]
    expected = []
    for link in vault.links:
        if link.note not in vault.published or link.outcome not in ("ghost", "private", "missing-heading"):
            continue
        expected.append(f"WARNING -  Doc file '{link.note}', line {link.line}: {link.kind} '{link.written}' ")
    assert len(reported) == len(expected) > 200
    for start in expected:
        assert sum(line.startswith(start) for line in reported) == expected.count(start), start
    private = [line for line in reported if "which is not published" in line]
    assert len(private) == sum(1 for link in vault.links if link.note in vault.published and link.outcome == "private")


def test_links_that_open_apps_are_links_without_a_warning(built):
    """obsidian://, zotero://, mailto: and other app links are published as links; nothing warns of them."""
    vault, site, result = built
    assert not [line for line in log_lines(result) if "would run" in line]
    note = next(link.note for link in vault.links if link.outcome == "app" and link.note in vault.published)
    page = (site / note[:-3] / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="(obsidian|zotero|mailto|x-devonthink-item|things|bear):[^"]*">open it</a>', page)


def test_the_other_warnings_are_the_vaults_real_problems(built):
    """Besides links: one warning per broken frontmatter and per link to a folder, and nothing else."""
    vault, _, result = built
    others = sorted(line for line in log_lines(result) if ": link '" not in line and ": embed '" not in line)
    expected = sorted(
        [f"Doc file '{path}', line" for path in vault.broken_frontmatter]
        + [f"Doc folder '{path}' is a symbolic link to" for path in vault.folder_links])
    assert len(others) == len(expected)
    for line, start in zip(others, expected):
        assert line.startswith(f"WARNING -  {start}"), (line, start)


def test_each_published_note_has_its_own_page(built):
    """Every published note is at its path's URL; Band.md keeps Band/, the folder's index is at Band/index/."""
    vault, site, _ = built
    for path in vault.published:
        url = {"index.md": "", "Band/index.md": "Band/index/"}.get(path, path[:-3] + "/")
        assert (site / url / "index.html").exists(), path
    for path in vault.private:
        assert not (site / path[:-3]).exists(), path
    assert '<h1 id="band">Band' in (site / "Band" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="index">index' in (site / "Band" / "index" / "index.html").read_text(encoding="utf-8")


def test_every_link_and_image_in_the_site_lands_on_a_file(built):
    """Each relative href and src of every page names a file of the site: embeds found by name, Markdown links
    by Obsidian's rule, media players by their final URL."""
    _, site, _ = built
    broken = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'\b(?:href|src)="([^"]*)"', text):
            parts = urlsplit(html.unescape(url))
            if parts.scheme or parts.netloc or not parts.path:
                continue
            base = site if parts.path.startswith("/") else page.parent  # the 404 page's are site-absolute
            target = base / unquote(parts.path).lstrip("/")
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((str(page.relative_to(site)), url))
    assert broken == []


def test_nothing_private_outside_or_internal_reaches_any_file(built):
    """No output file holds a private note's text or title, the outside folder's note, or a stash marker."""
    _, site, _ = built
    files = [path for path in site.rglob("*") if path.is_file()]
    assert [p for p in files if SECRET.encode() in p.read_bytes()] == []
    pages = [p for p in files if p.suffix in (".html", ".json", ".xml")]
    assert [p for p in pages if any(m in p.read_text(encoding="utf-8", errors="replace") for m in MARKERS)] == []
    assert not (site / "loop").exists() and not (site / "outside-folder").exists()


def test_strict_fails_on_the_same_problems(built, tmp_path):
    """--strict is how an author asks for failures: the same vault stops the build."""
    vault, _, _ = built
    result = build_site(vault.root, tmp_path / "site", strict=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(log_lines(result)) > 200


def test_the_generated_vault_is_realistic(built):
    """The vault holds what the tests rely on: hundreds of notes, unicode names, attachments in odd places."""
    vault, _, _ = built
    assert len(vault.notes) >= 300 and len(vault.private) >= 10 and len(vault.broken_frontmatter) >= 3
    assert any("日本語" in path for path in vault.notes) and any("Café" in path for path in vault.attachments)
    assert {link.outcome for link in vault.links} == {"resolved", "ghost", "private", "missing-heading", "app"}
    assert Path(vault.root / "loop").is_symlink()
