"""A real `mkdocs build --strict` of a tiny vault: figures and a data table rendered, a bad figure named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, build_site

DATATABLE_FENCE = """        - name: datatable
          class: datatable
          format: !!python/name:atlas_mkdocs.figures.tables.format_datatable
"""

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
    """Give back the project's mkdocs.yml, with the datatable fence added if it is not there yet."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: build_scripts/overrides", f"custom_dir: {ROOT / 'build_scripts/overrides'}")
    if "name: datatable" not in text:
        text = text.rstrip("\n") + "\n" + DATATABLE_FENCE
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
def test_build_fails_naming_the_note_and_line(tmp_path, broken, message):
    """A figure or table naming what does not exist aborts the build with the note, line and fix."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text("# Home\n", encoding="utf-8")
    (vault / "Broken.md").write_text(broken, encoding="utf-8")
    result = build_site(vault, tmp_path / "site", config=site_config(tmp_path))
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "Error reading page 'Broken.md'" in result.stderr
