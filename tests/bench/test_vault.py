"""The synthetic vault and its stripped copy: what the build benchmark compares must be like for like."""

import re

from bench.vault import (
    generate_vault,
    note_name,
    note_path,
    slug,
    strip_obsidian,
    vault_index,
    write_plain_vault,
)

NOTE = """---
title: Sample
tags: [cost, seed]
---

# Sample heading

See [[Other note]], [[Other note|an alias]], [[Other note#Section 2]] and [[#Local part|below]].
Tagged #cost/gpu, with ==a highlight== and a missing [[Nowhere]]. ^block-1
Code `[[kept]]` and `#kept` stay.

> [!warning] Mind the month
> A [[Other note]] inside a callout. #energy

> [!tip]-
> Folded.

![[Other note#Section 1]]
![[chart.png]]

```calculator
widget: rental-cost
```

```bash
if [[ -f x ]]; then echo "#no ==no=="; fi
```
"""


def _index():
    return {"other note": "guides/Other note.md", "chart.png": "attachments/chart.png", "sample": "apis/Sample.md"}


def test_generated_vault_has_every_note_and_feature(tmp_path):
    """12 notes plus the index; one calculator per 5 notes, one bash trap per 7, one image per 10."""
    summary = generate_vault(tmp_path / "vault", 12)
    notes = sorted((tmp_path / "vault").rglob("*.md"))
    assert len(notes) == summary.notes == 13
    texts = [path.read_text(encoding="utf-8") for path in notes]
    assert sum(text.count("```calculator") for text in texts) == summary.calculators == 2
    assert sum("[[ -f" in text for text in texts) == summary.bash_traps == 1
    assert sum(text.count("![[chart-") for text in texts) == summary.image_embeds == 1
    assert (tmp_path / "vault" / note_path(3)).is_file()
    assert note_name(3) in (tmp_path / "vault" / "index.md").read_text(encoding="utf-8")


def test_generated_calculators_name_the_rental_widget_and_its_inputs(tmp_path):
    """Every calculator block names rental-cost with its three inputs."""
    generate_vault(tmp_path / "vault", 10)
    text = (tmp_path / "vault" / note_path(5)).read_text(encoding="utf-8")
    block = text.split("```calculator\n", 1)[1].split("```", 1)[0]
    assert block.startswith("widget: rental-cost\ninputs:\n")
    assert [line.split(":")[0].strip() for line in block.splitlines()[2:]] == [
        "hourly_price_usd", "tokens_per_second", "utilisation_percent"]


def test_generated_links_all_resolve(tmp_path):
    """Every wikilink and embed outside code names a note or attachment of the vault."""
    generate_vault(tmp_path / "vault", 30)
    index = vault_index(tmp_path / "vault")
    for path in (tmp_path / "vault").rglob("*.md"):
        text = re.sub(r"`[^`\n]+`", "", path.read_text(encoding="utf-8"))
        text = re.sub(r"```bash.*?```", "", text, flags=re.S)
        for target in re.findall(r"\[\[([^\]]+)\]\]", text):
            name = target.split("|")[0].split("#")[0]
            assert not name or name.lower() in index, (path.name, target)


def test_generation_is_deterministic(tmp_path):
    """The same size and seed give byte-identical notes, so runs compare the same work."""
    generate_vault(tmp_path / "a", 8)
    generate_vault(tmp_path / "b", 8)
    for path in (tmp_path / "a").rglob("*.md"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_strip_turns_links_and_embeds_into_relative_markdown():
    """Wikilinks become relative, percent-encoded links; a heading becomes its slug; images stay images."""
    out = strip_obsidian(NOTE, "apis/Sample.md", _index())
    assert "[Other note](../guides/Other%20note.md)" in out
    assert "[an alias](../guides/Other%20note.md)" in out
    assert "[Other note > Section 2](../guides/Other%20note.md#section-2)" in out
    assert "[below](#local-part)" in out
    assert "[Other note > Section 1](../guides/Other%20note.md#section-1)" in out
    assert "![chart.png](../attachments/chart.png)" in out
    assert "a missing Nowhere." in out


def test_strip_turns_callouts_tags_highlights_and_block_ids_into_plain_text():
    """Callouts become bold-titled quotes; #tags and ==marks== their text; block ids go."""
    out = strip_obsidian(NOTE, "apis/Sample.md", _index())
    assert "> **Mind the month**" in out
    assert "> **Tip**" in out
    assert "Tagged cost/gpu, with a highlight and" in out
    assert "^block-1" not in out
    assert "> A [Other note](../guides/Other%20note.md) inside a callout. energy" in out
    assert "# Sample heading" in out


def test_strip_leaves_code_and_front_matter_alone():
    """Code spans, the bash block and front matter are untouched; a calculator fence becomes text."""
    out = strip_obsidian(NOTE, "apis/Sample.md", _index())
    assert out.startswith("---\ntitle: Sample\ntags: [cost, seed]\n---\n")
    assert "Code `[[kept]]` and `#kept` stay." in out
    assert 'if [[ -f x ]]; then echo "#no ==no=="; fi' in out
    assert "```text\nwidget: rental-cost\n```" in out
    assert "```calculator" not in out


def test_plain_vault_has_no_obsidian_syntax_outside_code(tmp_path):
    """The stripped copy keeps every note and attachment, skips .obsidian, and has no [[ outside code."""
    generate_vault(tmp_path / "vault", 20)
    count = write_plain_vault(tmp_path / "vault", tmp_path / "plain")
    assert count == 21
    assert not (tmp_path / "plain" / ".obsidian").exists()
    assert len(list((tmp_path / "plain" / "attachments").iterdir())) == len(
        list((tmp_path / "vault" / "attachments").iterdir()))
    for path in (tmp_path / "plain").rglob("*.md"):
        text = re.sub(r"```bash.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"`[^`\n]+`", "", text)
        assert "[[" not in text and "> [!" not in text and "==" not in text, path.name


def test_slug_matches_the_site_heading_ids():
    """'Section 2' -> 'section-2', punctuation dropped."""
    assert slug("Section 2") == "section-2"
    assert slug("What it costs?") == "what-it-costs"
