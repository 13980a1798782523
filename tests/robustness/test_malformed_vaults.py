"""Malformed vaults build to the end (or fail under --strict) with messages naming file and line, never a traceback."""

from __future__ import annotations

import re

import pytest

from tests.helpers import build_site
from tests.robustness.corpus import CANARY, NAMES, malformed_vault, write

#: Every warning the malformed vault gives, exactly (order aside).
EXPECTED_WARNINGS = {
    "WARNING -  Doc file 'Binary.md', line 1: not UTF-8 text (byte 0x89 at offset 0); it is not published. "
    "Save it as UTF-8, or rename it if it is not a note.",
    "WARNING -  Doc file 'List frontmatter.md', line 2: frontmatter is a YAML list, not a mapping of properties "
    "such as 'title: ...'; the note is published without it.",
    "WARNING -  Doc file 'Broken draft.md', line 3: frontmatter is not valid YAML (expected ',' or ']', but got "
    "'<stream end>'); the note is not published until it is fixed, as it may be a draft.",
    "WARNING -  Doc file 'Broken quote.md', line 3: frontmatter is not valid YAML (found unexpected end of stream); "
    "the note is published with the properties that could be read ('title', 'tags'), without 'description'.",
    "WARNING -  Doc file 'Bad yaml.md', line 2: frontmatter is not valid YAML (expected ',' or ']', but got ':'); "
    "the note is not published until it is fixed, as it may be a draft.",
    "WARNING -  Doc files 'Note.md' and 'note.md' differ only in case: Obsidian, macOS and Windows cannot hold "
    "them side by side, and a link reaches only one. Rename one of them.",
    "WARNING -  Doc file 'Self.md', line 1: embed '![[Self]]' is circular (Self.md > Self.md); a marker is shown instead.",
    "WARNING -  Doc file 'Two A.md', line 1: embed '![[Two B]]' is circular (Two B.md > Two A.md > Two B.md); "
    "a marker is shown instead.",
    "WARNING -  Doc file 'Two B.md', line 1: embed '![[Two A]]' is circular (Two A.md > Two B.md > Two A.md); "
    "a marker is shown instead.",
    "WARNING -  Doc file 'Ring 1.md', line 1: embed '![[Ring 2]]' is circular "
    "(Ring 2.md > Ring 3.md > Ring 1.md > Ring 2.md); a marker is shown instead.",
    "WARNING -  Doc file 'Ring 2.md', line 1: embed '![[Ring 3]]' is circular "
    "(Ring 3.md > Ring 1.md > Ring 2.md > Ring 3.md); a marker is shown instead.",
    "WARNING -  Doc file 'Ring 3.md', line 1: embed '![[Ring 1]]' is circular "
    "(Ring 1.md > Ring 2.md > Ring 3.md > Ring 1.md); a marker is shown instead.",
}


def messages(stderr: str) -> set[str]:
    """Give back the WARNING and ERROR lines of a build's log."""
    return {line for line in stderr.splitlines() if line.startswith(("WARNING", "ERROR"))}


@pytest.fixture(scope="module")
def malformed(tmp_path_factory):
    """The malformed vault built once leniently and once strictly; give back (vault, site, lenient, strict)."""
    root = tmp_path_factory.mktemp("malformed")
    vault = write(root / "vault", malformed_vault())
    lenient = build_site(vault, root / "site", strict=False)
    strict = build_site(vault, root / "strict-site", strict=True)
    return vault, root / "site", lenient, strict


def test_lenient_build_finishes_with_exact_messages(malformed):
    """Without --strict the build finishes; every problem is one warning naming file and line; no traceback."""
    _, site, lenient, _ = malformed
    assert lenient.returncode == 0, lenient.stderr
    assert "Traceback" not in lenient.stderr
    assert messages(lenient.stderr) == EXPECTED_WARNINGS


def test_strict_build_fails_with_the_same_messages(malformed):
    """Under --strict the same warnings stop the build, as MkDocs' own do, still without a traceback."""
    *_, strict = malformed
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr
    assert messages(strict.stderr) == EXPECTED_WARNINGS


def test_broken_frontmatter_keeps_what_can_be_read(malformed):
    """A note whose frontmatter breaks on one property is published with the others, its block not shown."""
    _, site, *_ = malformed
    page = (site / "Broken quote" / "index.html").read_text(encoding="utf-8")
    assert "<title>Kept title - " in page and "Body of the note" in page
    assert "unclosed" not in page and "description:" not in page
    assert re.search(r'class="md-tag[^"]*"[^>]*>\s*kept-tag', page)
    listed = (site / "List frontmatter" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"list\">List" in listed and "<li>a</li>" not in listed


def test_unreadable_notes_are_not_published(malformed):
    """The binary note and the drafts whose frontmatter is broken YAML are left out, canary and all."""
    _, site, *_ = malformed
    assert not (site / "Binary").exists() and not (site / "Bad yaml").exists()
    assert not (site / "Broken draft").exists()
    for path in site.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_odd_names_are_published_and_linked(malformed):
    """Unicode, emoji, %, #, quotes: each note has its page, and the home page links to it."""
    _, site, *_ = malformed
    home = (site / "index.html").read_text(encoding="utf-8")
    for name in NAMES:
        assert (site / name / "index.html").exists(), name
    assert 'href="%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20note/"' in home
    assert 'href="%F0%9F%9A%80%20launch/"' in home
    assert 'href="100%25%20done/"' in home and 'href="C%23%20tips/"' in home
    assert 'href="%22quoted%22%20%27name%27/"' in home and 'href="a%2520b/"' in home
    assert 'href="note/">note</a> <a class="obsidian-link" href="Note/">Note</a>' in home


def test_big_notes_render(malformed):
    """The 1 MB line, 10,000 links and 100 nested callouts are all on their pages."""
    _, site, *_ = malformed
    many = (site / "Many links" / "index.html").read_text(encoding="utf-8")
    assert many.count('<a class="obsidian-link" href="../Target/">Target</a>') == 10_000
    nested = (site / "Nested" / "index.html").read_text(encoding="utf-8")
    assert nested.count('<div class="admonition note" data-callout="note">') == 100
    assert "deepest" in nested
    long = (site / "Long line" / "index.html").read_text(encoding="utf-8")
    assert long.count('<mark class="obsidian-highlight">hi</mark>') == 100


def test_empty_notes_get_pages(malformed):
    """Empty, blank and frontmatter-only notes are published pages, titled by name."""
    _, site, *_ = malformed
    for name in ("Empty", "Blank", "Only frontmatter"):
        assert (site / name / "index.html").exists(), name


def test_cycles_show_markers(malformed):
    """Each embed cycle ends in a visible marker."""
    _, site, *_ = malformed
    for name in ("Self", "Two A", "Ring 1"):
        page = (site / name / "index.html").read_text(encoding="utf-8")
        assert '<div class="obsidian-embed obsidian-embed--circular">Circular embed:' in page, name


#: Each bad block, and what its message must name (the wording is the calculator fence's own).
CALCULATOR_CASES = {
    "bad-yaml": ("```calculator\nwidget: [rental\n```\n", ("not valid YAML", "line 1 of the block")),
    "not-a-mapping": ("```calculator\n- rental-cost\n```\n", ("mapping", "widget: rental-cost")),
    "unknown-widget": ("```calculator\nwidget: nope\n```\n", ("unknown widget 'nope'", "rental-cost")),
    "unknown-input": ("```calculator\nwidget: rental-cost\ninputs:\n  nope: 1\n```\n",
                      ("widget 'rental-cost' has no input 'nope'", "utilisation_percent")),
    "out-of-bounds": ("```calculator\nwidget: rental-cost\ninputs:\n  utilisation_percent: -5\n```\n",
                      ("input 'utilisation_percent' of widget 'rental-cost' is -5", "bounds")),
    "not-a-number": ("```calculator\nwidget: rental-cost\ninputs:\n  hourly_price_usd: lots\n```\n",
                     ("input 'hourly_price_usd'", "'lots'")),
}


@pytest.mark.parametrize("case", sorted(CALCULATOR_CASES))
def test_bad_calculator_blocks_warn_naming_note_and_line(tmp_path, case):
    """A bad calculator block does not stop a lenient build: one warning names note, line and the fault, the
    block's place shows it, and the other notes are published; --strict fails on it."""
    block, named = CALCULATOR_CASES[case]
    vault = write(tmp_path / "vault", {"index.md": "# Home\n", "Bad.md": "# Bad\n\n" + block})
    result = build_site(vault, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert len(problems) == 1 and problems[0].startswith("WARNING -  Bad.md, line 3: "), problems
    assert all(part in problems[0] for part in named), problems
    page = (tmp_path / "site" / "Bad" / "index.html").read_text(encoding="utf-8")
    assert '<div class="admonition failure atlas-block-error" role="alert">' in page
    assert (tmp_path / "site" / "index.html").is_file()
    strict = build_site(vault, tmp_path / "strict", strict=True)
    assert strict.returncode == 1 and problems[0] in strict.stderr


def test_hostile_permalinks_and_aliases_stay_inside_the_site(tmp_path):
    """A permalink or alias with '..' is refused with a warning; nothing is written outside site_dir."""
    vault = write(tmp_path / "vault", {
        "index.md": "# Home\n",
        "Climb.md": "---\npermalink: ../../escaped-permalink\naliases: [../../escaped-alias, fine alias]\n---\n# C\n",
    })
    site = tmp_path / "deep" / "site"
    result = build_site(vault, site, strict=False)
    assert result.returncode == 0, result.stderr
    assert messages(result.stderr) == {
        "WARNING -  Doc file 'Climb.md', line 2: permalink '../../escaped-permalink' points outside the site; "
        "the note keeps its own URL.",
        "WARNING -  Doc file 'Climb.md', line 3: alias '../../escaped-alias' points outside the site; "
        "no redirect published.",
    }
    assert not list(tmp_path.rglob("escaped-*"))
    assert (site / "Climb" / "index.html").exists() and (site / "fine alias" / "index.html").exists()


def test_string_flags_keep_drafts_private(tmp_path):
    """draft: "yes" and publish: "false" as people type them keep the note out."""
    vault = write(tmp_path / "vault", {
        "index.md": "# Home\n",
        "D1.md": f"---\ndraft: \"true\"\n---\n{CANARY}\n",
        "D2.md": f"---\npublish: 'no'\n---\n{CANARY}\n",
        "D3.md": f"---\ndraft: 1\n---\n{CANARY}\n",
    })
    result = build_site(vault, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not [p for p in (tmp_path / "site").rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]


def test_hostile_frontmatter_tags_are_left_out(tmp_path):
    """A frontmatter tag holding markup is not a tag (Obsidian agrees) and never reaches the page; a
    draft's bad tag reaches no page either, so it is not reported."""
    vault = write(tmp_path / "vault", {
        "index.md": "---\ntags: [fine, \"<img src=x onerror=alert(1)>\"]\n---\n# Home\n",
        "Draft.md": "---\npublish: false\ntags: [\"<b>secret\"]\n---\n# Draft\n",
    })
    result = build_site(vault, tmp_path / "site", strict=False)
    assert messages(result.stderr) == {
        "WARNING -  Doc file 'index.md', line 2: tag '<img src=x onerror=alert(1)>' is not a tag Obsidian "
        "accepts (letters, digits, emoji, '_', '-', '/'; no spaces or other punctuation); it is left out."
    }
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "onerror" not in page and re.search(r'class="md-tag[^"]*"[^>]*>\s*fine', page)
