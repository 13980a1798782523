"""A real `mkdocs build --strict` of a tiny vault: figures and a data table rendered, a bad figure named."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from tests.helpers import ROOT, build_site

NOTE = """---
title: Figures
figures:
  rent: rental-rate(hourly_price_usd=3.5, tokens_per_second=100, utilisation=0.3)
---
# Figures

At 30% use the node costs `=rent.cost_per_million_tokens_usd|usd` per 1M tokens.

> [!note] In a callout
> An H100 SXM holds `=data.gpus[h100-sxm].vram_gb` GB.

```datatable
table: gpus
columns: [name, {field: vram_gb, label: VRAM (GB)}]
where: {id: [l4, h100-sxm]}
sort: vram_gb
```
"""


def site_config(tmp_path: Path) -> Path:
    """Give back the project's mkdocs.yml in ``tmp_path``, naming the project's data/ (the plugin then wires
    the figures and the datatable fence), as it would find data/ beside mkdocs.yml."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - atlas:\n" in text
    text = text.replace("\n  - atlas:\n", f"\n  - atlas:\n      data_dir: {ROOT / 'data'}\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tiny vault built strictly, and the result of building it."""
    base = tmp_path_factory.mktemp("figures")
    vault = base / "vault"
    vault.mkdir()
    (vault / "index.md").write_text(NOTE, encoding="utf-8")
    site = base / "site"
    result = build_site(vault, site, config=site_config(base))
    return site, result


def test_figures_and_table_are_in_the_built_page(built):
    """The page holds the engine's figures and the data table with its sources; no warning is logged."""
    site, result = built
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    page = (site / "index.html").read_text(encoding="utf-8")
    assert ('<span class="atlas-figure" title="=rent.cost_per_million_tokens_usd|usd">$32.41</span> per 1M tokens'
            in page)
    assert '<span class="atlas-figure" title="=data.gpus[h100-sxm].vram_gb">80</span> GB' in page
    assert '<div class="atlas-datatable" data-table="gpus">' in page
    assert page.index("<td>NVIDIA L4</td>") < page.index("<td>NVIDIA H100 SXM 80GB</td>")
    assert "<th>As of</th><th>Source</th>" in page


@pytest.mark.parametrize(("broken", "message"), [
    ("Text.\n\nThe GPU has `=data.gpus[h100-sxm].vram_gib` GB.\n",
     "Broken.md, line 3: figure `=data.gpus[h100-sxm].vram_gib`: data.gpus[h100-sxm] has no field 'vram_gib' "
     "(did you mean 'vram_gb'?)"),
    ("Text.\n\n```datatable\ntable: gpus\ncolumns: [vram]\n```\n",
     "Broken.md, line 3: datatable block: column 1 names 'vram', which is not a field of gpus"),
])
def test_a_bad_figure_or_table_is_named_shown_and_fails_strict(tmp_path, broken, message):
    """A figure or table naming what does not exist is a warning with the note, line and fix: a lenient
    build publishes every note, the broken place showing what is wrong; --strict fails."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text("# Home\n", encoding="utf-8")
    (vault / "Broken.md").write_text(broken, encoding="utf-8")
    config = site_config(tmp_path)
    lenient = build_site(vault, tmp_path / "site", config=config, strict=False)
    assert lenient.returncode == 0, lenient.stderr
    warnings = [line for line in lenient.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and warnings[0].startswith(f"WARNING -  {message}"), lenient.stderr
    page = (tmp_path / "site" / "Broken" / "index.html").read_text(encoding="utf-8")
    assert "<p>Text.</p>" in page
    assert html.escape(message, quote=False) in page and 'role="alert"' in page
    assert (tmp_path / "site" / "index.html").exists()
    strict = build_site(vault, tmp_path / "site2", config=config)
    assert strict.returncode == 1
    assert message in strict.stderr and "Aborted with 1 warnings in strict mode!" in strict.stdout + strict.stderr
