"""One page per GPU and per model of data/, written at build time: built in a project of its own with a copy
of data/, and checked against data/ and against sizes worked out by hand."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from atlas_mkdocs.figures.catalogue import uses
from tests.build.test_any_vault import problems, project
from tests.helpers import ROOT, build_site

NOTES = {
    "index.md": "# Garden\n\nOne H100 holds `=data.gpus[h100-sxm].vram_gb` GB.\n",
    "Rent.md": "# Rent\n\nLambda asks `=data.rental_offers[lambda-h100-sxm].usd_per_gpu_hour|usd` an hour.\n",
    "Prose.md": "# Prose\n\nThe h100-sxm is only named here, in running text.\n",
}


def rows(table: str) -> list[dict]:
    return yaml.safe_load((ROOT / "data" / f"{table}.yaml").read_text(encoding="utf-8"))[table]


def section(page: str, heading_id: str) -> str:
    """The HTML of the page from the heading ``heading_id`` to the next h2."""
    start = page.index(f'<h2 id="{heading_id}">')
    ends = [end for end in (page.find("<h2 ", start + 1), page.find("</article>", start)) if end != -1]
    return page[start:min(ends)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("catalogue")
    vault, config = project(base, NOTES)
    shutil.copytree(ROOT / "data", base / "data")
    result = build_site(vault, base / "site", config=config)
    return base / "site", result


def page(built, path: str) -> str:
    return (built[0] / path / "index.html").read_text(encoding="utf-8")


def test_every_gpu_and_model_has_a_page_and_the_build_is_clean(built):
    site, result = built
    assert result.returncode == 0, result.stderr
    assert problems(result.stderr) == []
    for gpu in rows("gpus"):
        name = re.escape(html.escape(gpu["name"]))
        assert re.search(f"<h1[^>]*>{name}</h1>", page(built, f"Catalogue/GPUs/{gpu['id']}"))
    for model in rows("model_shapes"):
        name = re.escape(html.escape(model["name"]))
        assert re.search(f"<h1[^>]*>{name}</h1>", page(built, f"Catalogue/Models/{model['id']}"))
    index = page(built, "Catalogue")
    assert len(re.findall(r'<a class="obsidian-link" href="GPUs/[^"]+/">', index)) == len(rows("gpus"))
    assert len(re.findall(r'<a class="obsidian-link" href="Models/[^"]+/">', index)) == len(rows("model_shapes"))


def test_a_gpu_page_shows_its_specs_offers_and_their_history(built):
    h100 = next(row for row in rows("gpus") if row["id"] == "h100-sxm")
    offers = [row for row in rows("rental_offers") if row["gpu"] == "h100-sxm"]
    text = page(built, "Catalogue/GPUs/h100-sxm")
    specs = section(text, "specifications")
    assert f'<td align="right">{h100["vram_gb"]:,.0f}</td><td align="right">{h100["memory_bandwidth_gbs"]:,}</td>' in specs
    rent = section(text, "to-rent")
    prices = [float(p.replace(",", "")) for p in re.findall(r'<td align="right">\$([\d,.]+)</td>', rent)]
    assert prices == sorted(round(row["usd_per_gpu_hour"], 2) for row in offers)  # every offer, cheapest first
    assert len(re.findall(r"<circle ", rent)) == len(offers)  # one dot per dated price
    terms = sorted({(row.get("term") or "on_demand").replace("_", " ") for row in offers})
    assert re.findall(r'<text class="atlas-chart__legend"[^>]*>([^<]+)</text>', rent) == terms


def test_which_models_a_gpu_holds_matches_sizes_worked_by_hand(built):
    """Llama 3.1 8B in BF16 is 16 GB of weights: one 80 GB H100. Llama 3.1 405B in BF16 is 810 GB of
    weights, more than eight H100s (640 GB) hold: sixteen, over two servers; in FP8 about 405 GB, eight; in
    4-bit about 215 GB plus its reserve, four (3 is not a tensor-parallel size, and 2 hold only 160 GB).
    Sixteen RTX 3090s hold 384 GB: not 405B in BF16."""
    fits = section(page(built, "Catalogue/GPUs/h100-sxm"), "which-models-it-holds")
    assert re.search(r"<tr><td>Meta Llama 3.1 8B</td><td>1</td><td[^>]*>1</td><td[^>]*>1</td>", fits)
    assert re.search(r"<tr><td>Meta Llama 3.1 405B</td><td>16</td><td[^>]*>8</td><td[^>]*>4</td>", fits)
    small = section(page(built, "Catalogue/GPUs/rtx-3090"), "which-models-it-holds")
    assert re.search(r"<tr><td>Meta Llama 3.1 405B</td><td>more than 16</td>", small)


def test_a_model_page_lists_speed_only_where_it_fits_and_its_api_prices(built):
    """405B in FP8 is about 405 GB of weights: sixteen RTX 3090s (384 GB) cannot hold it, four H200s (564 GB) can."""
    text = page(built, "Catalogue/Models/llama-3.1-405b")
    speed = section(text, "speed-where-it-fits")
    assert "NVIDIA GeForce RTX 3090" not in speed
    assert re.search(r"<td>NVIDIA H200 SXM 141GB</td><td[^>]*>4</td>", speed)
    assert "It is a dense model" in text
    moe = page(built, "Catalogue/Models/gpt-oss-120b")
    assert "It is a mixture of experts" in moe
    hosted = sorted({row["provider"] for row in rows("api_prices")
                     if str(row["model"]).rsplit("/", 1)[-1] == "gpt-oss-120b" and not row.get("historical")})
    api = section(moe, "through-an-api")
    assert sorted(re.findall(r"<tr><td>([^<]+)</td><td align=\"right\">\$", api)) == hosted
    assert len(hosted) >= 2


def test_pages_link_back_to_the_notes_that_use_their_rows(built):
    """A figure naming the GPU or one of its offers counts; the GPU's id in running text does not."""
    used = section(page(built, "Catalogue/GPUs/h100-sxm"), "in-the-notes")
    assert re.findall(r'<a class="obsidian-link" href="([^"]+)">([^<]+)</a>', used) == [
        ("../../../Rent/", "Rent"), ("../../../", "index")]
    assert "No note of this site uses it yet." in section(page(built, "Catalogue/GPUs/b200"), "in-the-notes")


def test_uses_reads_figures_tables_and_calculators():
    sources = {"a.md": "`=data.gpus[l4].vram_gb`", "b.md": "```calculator\nwidget: vram-fit\ninputs:\n  gpu: l4\n```",
               "c.md": "where: {gpu: l4}", "d.md": "an l4 in prose", "e.md": "`=data.gpus[l40s].vram_gb`",
               "f.md": "calibration(measurement=\"m-l4\")"}
    assert uses(sources, ["l4"]) == ["a.md", "b.md", "c.md"]
    assert uses(sources, ["l4", "m-l4"]) == ["a.md", "b.md", "c.md", "f.md"]


def test_a_vault_note_at_a_catalogue_path_wins_and_catalogue_false_writes_none(tmp_path):
    vault, config = project(tmp_path / "own", {**NOTES, "Catalogue/GPUs/l4.md": "# My L4\n\nMine.\n"})
    shutil.copytree(ROOT / "data", tmp_path / "own" / "data")
    result = build_site(vault, tmp_path / "own" / "site", config=config)
    assert result.returncode == 0, result.stderr
    assert ("INFO    -  'Catalogue/GPUs/l4.md' is a note of the vault; the page the build would write there is "
            "left out.") in result.stderr
    assert '<h1 id="my-l4">My L4</h1>' in (tmp_path / "own" / "site" / "Catalogue/GPUs/l4/index.html").read_text(encoding="utf-8")
    vault, config = project(tmp_path / "off", NOTES,
                            "plugins:\n  - search\n  - atlas:\n      catalogue: false\n")
    shutil.copytree(ROOT / "data", tmp_path / "off" / "data")
    result = build_site(vault, tmp_path / "off" / "site", config=config)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "off" / "site" / "Catalogue").exists()
    assert (tmp_path / "off" / "site" / "Rent" / "index.html").exists()
