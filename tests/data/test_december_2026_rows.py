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
from tests.engine.conftest import bundled_catalogue
from tests.figures.conftest import forget_the_note, render

CATALOGUE = bundled_catalogue()

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
    """Seven providers for B200, nine for H200 and eight for H100 SXM, all read between August and November 2026;
    the A100 40GB and H100 PCIe from three each, the A100 80GB from six, the L40S from four."""
    assert providers(data, "b200") == {"lambda", "runpod", "nebius", "hyperstack", "coreweave", "aws", "oracle"}
    assert providers(data, "h200-sxm") == {"runpod", "nebius", "crusoe", "hyperstack", "coreweave", "aws", "azure",
                                           "gcp", "oracle"}
    assert providers(data, "h100-sxm") == {"lambda", "runpod", "nebius", "crusoe", "hyperstack", "aws", "vast.ai",
                                           "gcp"}
    assert providers(data, "a100-40gb-sxm") == {"lambda", "aws", "gcp"}
    assert providers(data, "h100-pcie") == {"lambda", "runpod", "hyperstack"}
    assert providers(data, "a100-80gb-sxm") == {"lambda", "runpod", "crusoe", "hyperstack", "coreweave", "aws"}
    assert providers(data, "l40s") == {"runpod", "crusoe", "coreweave", "aws"}
    for gpu in ("l4", "rtx-4090", "rtx-3090"):
        assert providers(data, gpu) == {"runpod", "vast.ai"}, gpu


def test_b200_h200_h100_have_current_spot_prices(data):
    """Nebius's preemptible floor, CoreWeave's spot nodes and Google Cloud's spot VMs, per GPU, for each of the
    three."""
    assert providers(data, "b200", "spot") == {"nebius", "coreweave", "gcp"}
    assert providers(data, "h200-sxm", "spot") == {"nebius", "coreweave", "gcp"}
    assert providers(data, "h100-sxm", "spot") == {"nebius", "coreweave", "gcp"}
    by_id = {row["id"]: row for row in data.rental_offers}
    assert by_id["coreweave-spot-h100-sxm"]["usd_per_gpu_hour"] == pytest.approx(19.71 / 8)
    assert by_id["gcp-spot-h100-sxm"]["usd_per_gpu_hour"] == pytest.approx(53.0936245479452 / 8, abs=1e-5)


def test_nebius_preemptible_prices_were_fixed_in_september_and_a_floor_in_october(data):
    """The 2026-09-21 capture gives fixed preemptible prices (B200 3.95, H200 2.45, H100 2.15); the page read
    2026-10-07 gives only 'from' 0.99 (B300/B200) and 'from' 0.79 (H200/H100) and says the live spot price is in
    the console. The fixed ones are records, the floors current, and each says so."""
    by_id = {row["id"]: row for row in data.rental_offers}
    for gpu, fixed, floor in [("b200", 3.95, 0.99), ("h200", 2.45, 0.79), ("h100-sxm", 2.15, 0.79)]:
        old, new = by_id[f"nebius-spot-{gpu}"], by_id[f"nebius-spot-{gpu}-2026-10"]
        assert (old["usd_per_gpu_hour"], old.get("historical"), str(old["as_of"])) == (fixed, True, "2026-09-21")
        assert (new["usd_per_gpu_hour"], new.get("historical"), str(new["as_of"]), new["term"]) == (
            floor, None, "2026-10-07", "spot")
        assert f"nebius-spot-{gpu}-2026-10" in old["note"]
        assert "'from'" in new["offer"] and "every 15 minutes" in new["note"]
        assert "api-evangelist/nebius" in new["source"]


def test_one_year_commitments_are_google_clouds_month_1y_over_730_hours_and_8_gpus(data):
    """Google Cloud's 1-year committed-use prices of its 8-GPU VMs in us-central1 (billing catalog of
    2026-08-20): a3-highgpu-8g 44,810.08 a month, a2-highgpu-8g 13,514.97, a month being 730 hours; each below
    the same VM on demand (88.49 and 29.39 an hour)."""
    by_id = {row["id"]: row for row in data.rental_offers}
    assert by_id["gcp-cud-1y-h100-sxm"]["usd_per_gpu_hour"] == pytest.approx(44810.08066464 / 730 / 8, abs=1e-5)
    assert by_id["gcp-cud-1y-a100-40gb"]["usd_per_gpu_hour"] == pytest.approx(13514.9691136 / 730 / 8, abs=1e-5)
    assert by_id["gcp-a3-h100-2026-08"]["usd_per_gpu_hour"] == pytest.approx(88.4899999025753 / 8, abs=1e-5)
    assert by_id["gcp-a2-a100-40gb"]["usd_per_gpu_hour"] == pytest.approx(29.38708 / 8, abs=1e-6)
    reserved = [row for row in data.rental_offers if row.get("term") == "reserved_1y" and row.get("historical") is not True]
    assert {(row["gpu"], row["provider"]) for row in reserved} == {("h100-sxm", "gcp"), ("a100-40gb-sxm", "gcp")}
    for row in reserved:
        assert str(row["as_of"]) == "2026-08-20" and "Cyclenerd/google-cloud-pricing-cost-calculator" in row["source"]
        on_demand = by_id[re.search(r"row (\S+)\)", row["note"]).group(1)]
        assert row["usd_per_gpu_hour"] < on_demand["usd_per_gpu_hour"]
    # The only other one-year price is SemiAnalysis's March 2026 index, a record of its date.
    assert [row["id"] for row in data.rental_offers if row.get("term") == "reserved_1y" and row.get("historical")] == [
        "semianalysis-reserved-1y-h100-sxm"]


def test_mi300x_and_rtx_5090_have_at_least_three_current_providers(data):
    """MI300X: Crusoe, DigitalOcean, Azure, Oracle and RunPod current (August to October 2026), TensorWave and
    Vultr kept as May 2026 records; RTX 5090: Akash, RunPod and Vast.ai current, Spheron and an older Vast.ai
    price as records."""
    assert providers(data, "mi300x") == {"crusoe", "digitalocean", "azure", "oracle", "runpod"}
    assert providers(data, "mi300x", current=False) == {"crusoe", "digitalocean", "azure", "oracle", "runpod",
                                                        "tensorwave", "vultr"}
    assert providers(data, "mi300x", "spot") == {"azure"}
    assert providers(data, "rtx-5090") == {"akash", "runpod", "vast.ai"}
    assert providers(data, "rtx-5090", current=False) == {"akash", "runpod", "vast.ai", "spheron"}
    by_id = {row["id"]: row for row in data.rental_offers}
    # Azure's ND MI300X v5 VM holds 8 GPUs: 48.00 an hour on demand and 8.8704 on spot in East US 2.
    assert by_id["azure-mi300x"]["usd_per_gpu_hour"] == pytest.approx(48.00 / 8)
    assert by_id["azure-spot-mi300x"]["usd_per_gpu_hour"] == pytest.approx(8.8704 / 8)
    assert [str(by_id[key]["as_of"]) for key in ("azure-mi300x", "oracle-mi300x", "runpod-secure-mi300x",
                                                 "runpod-rtx-5090", "vast-rtx-5090-2026-10")] == [
        "2026-10-10", "2026-10-10", "2026-10-10", "2026-10-01", "2026-10-01"]


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


def test_runpod_secure_prices_of_september_are_records_beside_its_api_prices_of_october(data):
    """RunPod's secure cloud asked 6.79 (B200) and 4.59 (H200) on its page on 2026-09-28 and 7.99 and 5.29 in its
    API on 2026-10-10: the October ones are current, the September ones records that name them."""
    by_id = {row["id"]: row for row in data.rental_offers}
    for key, before, after in [("b200", 6.79, 7.99), ("h200", 4.59, 5.29)]:
        old, new = by_id[f"runpod-secure-{key}"], by_id[f"runpod-secure-{key}-2026-10"]
        assert (old["usd_per_gpu_hour"], old.get("historical")) == (before, True)
        assert (new["usd_per_gpu_hour"], new.get("historical"), str(new["as_of"])) == (after, None, "2026-10-10")
        assert f"runpod-secure-{key}-2026-10" in old["note"] and "GraphQL" in new["source"]


def test_a_node_price_is_divided_by_its_gpu_count(data):
    """CoreWeave sells HGX nodes of 8 GPUs: 68.80 and 50.44 an hour are 8.60 and 6.305 per GPU."""
    by_id = {row["id"]: row for row in data.rental_offers}
    assert by_id["coreweave-b200"]["usd_per_gpu_hour"] == pytest.approx(68.80 / 8)
    assert by_id["coreweave-h200"]["usd_per_gpu_hour"] == pytest.approx(50.44 / 8)
    assert "/ 8" in by_id["coreweave-b200"]["note"]


def test_every_added_rental_row_names_a_page_and_a_date_it_was_read(data):
    """Each row dated May 2026 or later (all added on 2026-12-05, in two passes) has a month or a day, and its
    source names the page or the public record of it where the price was read."""
    added = [row for row in data.rental_offers if str(row["as_of"]) >= "2026-05"]
    assert len(added) == 89  # 37 on the first pass, 52 on the second
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
    # Two tables of every offer priced per token, and one of Google Cloud's prices by term beside the one-year ones.
    assert len(rental_blocks) == 3 and "gcp-cud-1y-h100-sxm" in rental_blocks[2]
    rental_blocks = rental_blocks[:2]
    seen_gpus = set()
    for block in rental_blocks:
        page = render(block, note="Reference/Price tables.md", source=text)
        head = re.findall(r"<th[^>]*>(.*?)</th>", page)
        assert "$ per 1M output tokens, kept busy" in [html.unescape(h) for h in head]
        assert not [h for h in head if "1M tokens" in h]
        gpu_at, price_at = head.index("GPU"), head.index("$ per GPU-hour")
        speed_at, cost_at = head.index("Output tokens/s (estimate)"), head.index("$ per 1M output tokens, kept busy")
        for row in cells(page):
            speed = calculate("throughput", {**WORKLOAD, "gpu": row[gpu_at]}, CATALOGUE)["output_tokens_per_second"]
            hourly = float(row[price_at].lstrip("$").replace(",", ""))
            assert row[speed_at] == f"{round(speed):,}"
            # The hourly price is shown to the cent: allow for that rounding as well as the cost's own.
            assert float(row[cost_at].lstrip("$")) == pytest.approx(hourly * 1e6 / 3600 / speed,
                                                                   abs=0.005 + 0.005 * 1e6 / 3600 / speed)
            seen_gpus.add(row[gpu_at])
    forget_the_note()
    assert {"b200", "mi300x", "h200-sxm", "h100-sxm", "rtx-5090", "l4"} <= seen_gpus
    speeds = {gpu: calculate("throughput", {**WORKLOAD, "gpu": gpu}, CATALOGUE)["output_tokens_per_second"]
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
    needed = {m: calculate("sizing", {"model": m, "quant": "fp8", "gpu": "h200-sxm"}, CATALOGUE)["gpus_needed"]
              for m in ("qwen3-32b", "llama-4-scout", "llama-4-maverick", "deepseek-v3.2")}
    assert needed == {"qwen3-32b": 1, "llama-4-scout": 1, "llama-4-maverick": 4, "deepseek-v3.2": 8}


def test_the_price_tables_page_compares_the_one_year_price_with_on_demand_and_spot(monkeypatch):
    """The paragraph on commitments computes from the rows: 7.67 committed against 11.06 on demand is 31% less,
    so a commitment pays only for a GPU rented more than 69% of the hours; spot 6.64; the A100 40GB 2.31 against
    3.67. Worked by hand: 44,810.08 / 730 / 8 = 7.673; 88.49 / 8 = 11.061; 7.673 / 11.061 = 0.694."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796472000")  # 2026-12-05 12:00 UTC
    text = PAGE.read_text(encoding="utf-8")
    paragraph = next(line for line in text.splitlines() if line.startswith("Of the providers in"))
    page = re.sub(r"<[^>]+>", "", render(paragraph, note="Reference/Price tables.md", source=text))
    forget_the_note()
    assert "costs $7.67 per GPU-hour on a one-year commitment, 31% below its on-demand price of $11.06" in page
    assert "on spot it is $6.64" in page and "$2.31 committed against $3.67 on demand" in page
    assert "more than 69% of the hours" in page
