"""The serve benchmark's edits, and the build section's bytes per page and Zensical project (no server run)."""

from __future__ import annotations

import re

import pytest

from bench.build import bytes_per_page, zensical_project
from bench.serve import KINDS, apply_edit, page_url, plan_edits
from bench.vault import generate_vault, write_plain_vault


@pytest.fixture(scope="module")
def vaults(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    generate_vault(root / "obsidian", 40)
    write_plain_vault(root / "obsidian", root / "plain")
    return root / "obsidian", root / "plain"


def test_one_edit_of_each_kind_on_different_notes(vaults):
    vault, _ = vaults
    edits = plan_edits(vault, 40, plain=False, run="ours")
    assert [edit.kind for edit in edits] == list(KINDS)
    assert len({edit.note for edit in edits}) == 5
    assert len({edit.token for edit in edits}) == 5


def test_the_embed_edit_watches_a_note_that_embeds_the_edited_section(vaults):
    vault, _ = vaults
    embed = plan_edits(vault, 40, plain=False, run="ours")[-1]
    assert embed.watch != embed.note
    watched = (vault / embed.watch).read_text(encoding="utf-8")
    name = embed.note.rsplit("/", 1)[1].removesuffix(".md")
    assert f"![[{name}#{embed.section}]]" in watched


def test_edits_write_their_token_where_each_kind_says(tmp_path):
    vault = tmp_path / "v"
    generate_vault(vault, 40)
    edits = {edit.kind: edit for edit in plan_edits(vault, 40, plain=False, run="x")}
    for edit in edits.values():
        apply_edit(vault, edit, plain=False)
    read = {kind: (vault / edit.note).read_text(encoding="utf-8") for kind, edit in edits.items()}
    assert read["text"].endswith(f"\nA new paragraph: {edits['text'].token}.\n")
    assert f"## Section 3 {edits['heading'].token}\n" in read["heading"]
    assert re.search(rf"\[\[Note 0002 [^|\]]+\|{edits['link'].token}\]\]", read["link"])
    assert f"tags: [{edits['tag'].token}, " in read["tag"]
    embed = edits["embed"]
    assert f"## {embed.section}\n\nEdited: {embed.token}.\n" in read["embed"]
    # Only the five edited notes differ from a vault generated afresh.
    fresh = tmp_path / "fresh"
    generate_vault(fresh, 40)
    changed = sorted(str(p.relative_to(vault)) for p in vault.rglob("*.md")
                     if p.read_text(encoding="utf-8") != (fresh / p.relative_to(vault)).read_text(encoding="utf-8"))
    assert changed == sorted(edit.note for edit in edits.values())


def test_plain_edits_are_plain_markdown(tmp_path):
    vault = tmp_path / "v"
    generate_vault(vault, 40)
    write_plain_vault(vault, tmp_path / "p")
    edits = {edit.kind: edit for edit in plan_edits(tmp_path / "p", 40, plain=True, run="plain")}
    assert edits["embed"].watch == edits["embed"].note  # no embeds in plain Markdown: its own page
    apply_edit(tmp_path / "p", edits["link"], plain=True)
    text = (tmp_path / "p" / edits["link"].note).read_text(encoding="utf-8")
    assert f"See [{edits['link'].token}](../rentals/Note%200002%20power%20draw.md)" in text


def test_page_url_is_the_notes_folder_address():
    assert page_url("guides/Note 0003 KV cache.md") == "guides/Note%200003%20KV%20cache/"


def test_bytes_per_page_averages_the_notes_pages_only(tmp_path):
    vault, site = tmp_path / "vault", tmp_path / "site"
    (vault / "a").mkdir(parents=True)
    (vault / "index.md").write_text("home")
    (vault / "a" / "One.md").write_text("one")
    (site / "a" / "One").mkdir(parents=True)
    (site / "index.html").write_bytes(b"x" * 100)
    (site / "a" / "One" / "index.html").write_bytes(b"x" * 300)
    (site / "tags").mkdir()
    (site / "tags" / "index.html").write_bytes(b"x" * 10_000)  # a page of the build's own: not counted
    assert bytes_per_page(site, vault) == 200


def test_bytes_per_page_names_the_site_when_no_page_is_found(tmp_path):
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "Only.md").write_text("x")
    with pytest.raises(RuntimeError, match=r"no page of .*vault's notes was found in .*site"):
        bytes_per_page(tmp_path / "site", tmp_path / "vault")


def test_zensical_project_has_plain_paths_and_the_notes(tmp_path, vaults):
    _, plain = vaults
    config = zensical_project(plain, tmp_path / "z")
    text = config.read_text(encoding="utf-8")
    assert "!ENV" not in text and "!!python" not in text
    assert "docs_dir: docs\n" in text and "site_dir: site\n" in text
    assert "site_url: http://127.0.0.1:8000/\n" in text
    assert len(list((tmp_path / "z" / "docs").rglob("*.md"))) == len(list(plain.rglob("*.md")))
