"""The rows added for December 2026 and the Price tables page that shows them.

Rentals: the GPUs a buyer compares now, from several providers, on demand and spot, each dated. Open
models: each hosted by at least two providers. The page: a per-GPU throughput from the engine instead of
one figure for every GPU, and a cost column that says it is per output token.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from atlas_mkdocs.data import load_data
from atlas_mkdocs.engine import calculate
from tests.figures.conftest import forget_the_note, render

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PAGE = ROOT / "docs" / "Reference" / "Price tables.md"
DEC_5_2026 = dt.date(2026, 12, 5)
WORKLOAD = {"model": "llama-3.1-8b", "batch": "max", "prompt_tokens": 1000, "output_tokens": 250}


@pytest.fixture(scope="module")
def data():
    return load_data(DATA, None, DEC_5_2026)


def providers(data, gpu: str, term: str = "on_demand", current: bool = True) -> set[str]:
    """Give back the providers with a row for ``gpu`` on ``term`` (current rows only, unless told)."""
    return {row["provider"] for row in data.rental_offers
            if row["gpu"] == gpu and row.get("term", "on_demand") == term
            and (not current or row.get("historical") is not True)}


def test_b200_h200_h100_have_current_on_demand_prices_from_at_least_three_providers(data):
    """Five providers for B200 and H200 and seven for H100 SXM, all read between August and November 2026."""
    assert providers(data, "b200") == {"lambda", "runpod", "nebius", "hyperstack", "coreweave"}
    assert providers(data, "h200-sxm") == {"runpod", "nebius", "crusoe", "hyperstack", "coreweave"}
    assert providers(data, "h100-sxm") == {"lambda", "runpod", "nebius", "crusoe", "hyperstack", "aws", "vast.ai"}


def test_b200_h200_h100_have_current_spot_prices(data):
    """Nebius's preemptible and CoreWeave's spot nodes, per GPU: a spot price for each of the three."""
    assert providers(data, "b200", "spot") == {"nebius", "coreweave"}
    assert providers(data, "h200-sxm", "spot") == {"nebius", "coreweave"}
    assert providers(data, "h100-sxm", "spot") == {"nebius", "coreweave"}
    by_id = {row["id"]: row for row in data.rental_offers}
    assert by_id["nebius-spot-b200"]["usd_per_gpu_hour"] == 3.95
    assert by_id["coreweave-spot-h100-sxm"]["usd_per_gpu_hour"] == pytest.approx(19.71 / 8)


def test_mi300x_and_rtx_5090_have_three_providers_counting_dated_records(data):
    """MI300X: Crusoe and DigitalOcean current, TensorWave and Vultr kept as May 2026 records; RTX 5090: Akash
    current, Spheron and Vast.ai as records. What was found, no more."""
    assert providers(data, "mi300x") == {"crusoe", "digitalocean"}
    assert providers(data, "mi300x", current=False) == {"crusoe", "digitalocean", "tensorwave", "vultr"}
    assert providers(data, "rtx-5090") == {"akash"}
    assert providers(data, "rtx-5090", current=False) == {"akash", "spheron", "vast.ai"}


def test_nebius_on_demand_prices_are_the_ones_in_force_since_2026_10_01(data):
    """Nebius's page read 2026-10-07 gives new on-demand prices from 2026-10-01 (H100 3.85 -> 4.50, H200 4.50 ->
    5.40, B200 7.15 -> 8.50): the new ones are current, the September ones are kept as records of their date."""
    by_id = {row["id"]: row for row in data.rental_offers}
    for old, new, before, after in [("nebius-h100-sxm", "nebius-h100-sxm-2026-10", 3.85, 4.50),
                                    ("nebius-h200-2026-09", "nebius-h200-2026-10", 4.50, 5.40),
                                    ("nebius-b200", "nebius-b200-2026-10", 7.15, 8.50)]:
        assert (by_id[old]["usd_per_gpu_hour"], by_id[old].get("historical")) == (before, True)
        assert (by_id[new]["usd_per_gpu_hour"], by_id[new].get("historical"), str(by_id[new]["as_of"])) == (
            after, None, "2026-10-07")
        assert new in by_id[old]["note"] and "api-evangelist/nebius" in by_id[new]["source"]
    current_nebius = [row for row in data.rental_offers if row["provider"] == "nebius"
                      and row.get("term", "on_demand") == "on_demand" and row.get("historical") is not True]
    assert sorted(row["usd_per_gpu_hour"] for row in current_nebius) == [4.50, 5.40, 8.50]


def test_a_node_price_is_divided_by_its_gpu_count(data):
    """CoreWeave sells HGX nodes of 8 GPUs: 68.80 and 50.44 an hour are 8.60 and 6.305 per GPU."""
    by_id = {row["id"]: row for row in data.rental_offers}
    assert by_id["coreweave-b200"]["usd_per_gpu_hour"] == pytest.approx(68.80 / 8)
    assert by_id["coreweave-h200"]["usd_per_gpu_hour"] == pytest.approx(50.44 / 8)
    assert "/ 8" in by_id["coreweave-b200"]["note"]


def test_every_added_rental_row_names_a_page_and_a_date_it_was_read(data):
    """Each row dated May 2026 or later (all added on 2026-12-05) has a month or a day, and its source names
    the page or the public record of it where the price was read."""
    added = [row for row in data.rental_offers if str(row["as_of"]) >= "2026-05"]
    assert len(added) == 37
    for row in added:
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(row["as_of"])), row["id"]
        # A web page (domain) or a public repository or dataset (owner/name) that recorded the page.
        assert re.search(r"\w\.(com|io|ai|network|cloud)\b|\b[\w-]+/[\w.-]+\b", row["source"]), row["id"]


OPEN_MODELS = {
    "gpt-oss-120b": {"groq", "together", "fireworks", "cerebras", "baseten"},
    "qwen3": {"groq", "aws", "fireworks"},
    "llama-4": {"groq", "together", "databricks", "cloudflare"},
    "deepseek-v3.2": {"deepseek", "fireworks"},
}


@pytest.mark.parametrize("family", OPEN_MODELS)
def test_each_open_model_is_hosted_by_at_least_two_providers(data, family):
    """genai-prices already covers the four open models the issue names, each by two providers or more."""
    found = {row["provider"] for row in data.api_prices if row["id"].split("/", 1)[1].startswith(family)}
    assert found == OPEN_MODELS[family]
    assert len(found) >= 2


def datatable_blocks(text: str) -> list[str]:
    """Give back the ```datatable blocks of a note, fences included, in page order."""
    return re.findall(r"```datatable\n.*?\n```", text, re.S)


def cells(table_html: str) -> list[list[str]]:
    """Give back the body rows of a rendered table as lists of cell texts, unescaped."""
    body = table_html.split("<tbody>", 1)[1]
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_page_prices_tokens_with_each_gpus_own_throughput_and_says_output_tokens(monkeypatch):
    """Every rental table of the page takes tokens/s from the engine for the row's GPU, not 1,000 for all,
    and its cost column says it is per output token; the figures match the engine computed here."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796472000")  # 2026-12-05 12:00 UTC
    text = PAGE.read_text(encoding="utf-8")
    assert "1,000 tokens/s" not in text
    rental_blocks = [block for block in datatable_blocks(text) if "table: rental_offers" in block]
    assert len(rental_blocks) == 2
    seen_gpus = set()
    for block in rental_blocks:
        page = render(block, note="Reference/Price tables.md", source=text)
        head = re.findall(r"<th[^>]*>(.*?)</th>", page)
        assert "$ per 1M output tokens, kept busy" in [html.unescape(h) for h in head]
        assert not [h for h in head if "1M tokens" in h]
        gpu_at, price_at = head.index("GPU"), head.index("$ per GPU-hour")
        speed_at, cost_at = head.index("Output tokens/s (estimate)"), head.index("$ per 1M output tokens, kept busy")
        for row in cells(page):
            speed = calculate("throughput", {**WORKLOAD, "gpu": row[gpu_at]})["output_tokens_per_second"]
            hourly = float(row[price_at].lstrip("$").replace(",", ""))
            assert row[speed_at] == f"{round(speed):,}"
            # The hourly price is shown to the cent: allow for that rounding as well as the cost's own.
            assert float(row[cost_at].lstrip("$")) == pytest.approx(hourly * 1e6 / 3600 / speed,
                                                                   abs=0.005 + 0.005 * 1e6 / 3600 / speed)
            seen_gpus.add(row[gpu_at])
    forget_the_note()
    assert {"b200", "mi300x", "h200-sxm", "h100-sxm", "rtx-5090", "l4"} <= seen_gpus
    speeds = {gpu: calculate("throughput", {**WORKLOAD, "gpu": gpu})["output_tokens_per_second"]
              for gpu in ("l4", "h100-sxm", "b200")}
    assert speeds["l4"] < 1000 < speeds["h100-sxm"] < speeds["b200"]


def test_the_open_models_have_shapes_for_sizing(data):
    """Each hosted open model has a shape: Qwen3 32B dense, the others mixtures of experts with the counts their
    configurations give; at 8-bit weights Scout fits one H200, Maverick does not, DeepSeek V3.2 needs eight."""
    shapes = {row["id"]: row for row in data.model_shapes}
    assert "active_params_billion" not in shapes["qwen3-32b"]
    assert [(shapes[m]["experts"], shapes[m]["experts_per_token"], shapes[m].get("shared_experts", 0))
            for m in ("qwen3-235b-a22b", "llama-4-scout", "llama-4-maverick", "deepseek-v3.2")] == [
        (128, 8, 0), (16, 1, 1), (128, 1, 1), (256, 8, 1)]
    assert shapes["llama-4-maverick"]["moe_layers"] == 24
    needed = {m: calculate("sizing", {"model": m, "quant": "fp8", "gpu": "h200-sxm"})["gpus_needed"]
              for m in ("qwen3-32b", "llama-4-scout", "llama-4-maverick", "deepseek-v3.2")}
    assert needed == {"qwen3-32b": 1, "llama-4-scout": 1, "llama-4-maverick": 4, "deepseek-v3.2": 8}
