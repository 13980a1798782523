"""`make prices`: rows from the installed genai-prices, the file region it owns, and what it says changed."""

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import yaml
from genai_prices.data import providers

from atlas_mkdocs.data import load_data
from atlas_mkdocs.data.genai_prices import (
    BEGIN,
    END,
    TRACKED,
    PricesError,
    Tracked,
    changes,
    format_row,
    replace_region,
    row_for,
    update,
)

DATA = Path(__file__).resolve().parents[2] / "data"
ON = dt.date(2026, 12, 4)


def test_a_row_with_a_long_context_tier_batch_and_cache_writes():
    """Claude Sonnet 4.5: $3 / $15, cache reads $0.30, writes $3.75 (5 min) and $6 (1 h), all doubled past 200k;
    batch halves input and output."""
    row = row_for(Tracked("anthropic/claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5"), providers, ON, "2026-11",
                  "0.2.3")
    assert row == {
        "id": "anthropic/claude-sonnet-4-5", "provider": "anthropic", "model": "claude-sonnet-4-5",
        "input_per_million_usd": 3, "output_per_million_usd": 15, "cached_input_per_million_usd": 0.3,
        "cache_write_5m_per_million_usd": 3.75, "cache_write_1h_per_million_usd": 6,
        "batch_input_per_million_usd": 1.5, "batch_output_per_million_usd": 7.5,
        "long_context": {"above_input_tokens": 200000, "input_per_million_usd": 6, "output_per_million_usd": 22.5,
                         "cached_input_per_million_usd": 0.6, "cache_write_5m_per_million_usd": 7.5,
                         "cache_write_1h_per_million_usd": 12},
        "as_of": "2026-11", "source": "genai-prices 0.2.3 (anthropic claude-sonnet-4-5); https://www.anthropic.com/pricing#api"}


def test_dated_prices_and_off_peak_hours():
    """A price with a start date carries it as valid_from; o3 has cost $2 / $8 since 2025-06-10 (it was $10 / $40);
    DeepSeek V4 Pro is read at noon UTC, its standard hours: $0.66 / $1.98, not the off-peak price."""
    o3 = row_for(Tracked("openai/o3", "openai", "o3"), providers, ON, "2026-11", "0.2.3")
    assert (o3["input_per_million_usd"], o3["output_per_million_usd"], o3["valid_from"]) == (2, 8, dt.date(2025, 6, 10))
    before = row_for(Tracked("openai/o3", "openai", "o3"), providers, dt.date(2025, 6, 1), "2026-11", "0.2.3")
    assert (before["input_per_million_usd"], before["output_per_million_usd"]) == (10, 40)
    pro = row_for(Tracked("deepseek/deepseek-v4-pro", "deepseek", "deepseek-v4-pro"), providers, ON, "2026-11", "0.2.3")
    assert (pro["input_per_million_usd"], pro["output_per_million_usd"]) == (0.66, 1.98)
    assert "batch_input_per_million_usd" not in pro


def test_unknown_model_is_named():
    """A model genai-prices does not have stops the run, naming it and the provider."""
    with pytest.raises(PricesError) as caught:
        row_for(Tracked("openai/gpt-9", "openai", "gpt-9"), providers, ON, "2026-11", "0.2.3")
    assert str(caught.value) == "openai/gpt-9: genai-prices 0.2.3 has no model 'gpt-9' under 'openai'"


def test_rows_are_written_as_flow_mappings_that_read_back():
    """A written row is valid YAML that reads back to the same values, wrapped under 118 characters."""
    row = {"id": "x/y", "provider": "x", "model": "meta-llama/Llama-4: FP8", "input_per_million_usd": 0.27,
           "output_per_million_usd": 0.85, "valid_from": dt.date(2026, 7, 30), "as_of": "2026-11",
           "source": 'genai-prices 0.2.3 (x "y"); https://example.org/pricing'}
    text = format_row(row)
    assert text.startswith("  - {id: x/y, provider: x, model: \"meta-llama/Llama-4: FP8\", input_per_million_usd: 0.27,")
    assert all(len(line) <= 118 for line in text.splitlines())
    assert yaml.safe_load("rows:\n" + text)["rows"] == [row]


def test_the_region_between_the_markers_is_all_it_rewrites():
    """Hand-written rows after the end marker, and the header, stay as they were."""
    text = f"# header\napi_prices:\n{BEGIN}\n  - {{id: old}}\n{END}\n  - {{id: by-hand}}\n"
    new = replace_region(text, [{"id": "a/b", "provider": "a"}], "data/api_prices.yaml")
    assert new == f"# header\napi_prices:\n{BEGIN}\n  - {{id: a/b, provider: a}}\n{END}\n  - {{id: by-hand}}\n"
    with pytest.raises(PricesError) as caught:
        replace_region("api_prices:\n", [], "data/api_prices.yaml")
    assert str(caught.value).startswith("data/api_prices.yaml: the marker comments are missing;")


def test_changes_name_each_row_and_field():
    """Added and removed rows, and each changed field as old -> new; 10.0 and 10 are the same price."""
    old = [{"id": "a", "input_per_million_usd": 10.0, "as_of": "2025-07"}, {"id": "gone"}]
    new = [{"id": "a", "input_per_million_usd": 10, "as_of": "2026-11", "long_context": {"above_input_tokens": 5}},
           {"id": "new"}]
    assert changes(old, new) == ["+ new", "- gone", "~ a: as_of 2025-07 -> 2026-11",
                                 "~ a: long_context.above_input_tokens (none) -> 5"]


def test_the_shipped_rows_are_what_genai_prices_gives(tmp_path):
    """data/api_prices.yaml is in step with the pinned genai-prices: a dry run finds nothing to change; a row
    edited by hand is put back, and the summary says so."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)
    out = io.StringIO()
    assert update(data_dir, ON, dry_run=True, out=out) == []
    assert out.getvalue() == (f"genai-prices 0.2.3 (released 2026-11), prices in force on 2026-12-04: {len(TRACKED)} "
                              "rows, 0 changes\n")
    path = data_dir / "api_prices.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "model: gpt-4o, input_per_million_usd: 2.5,", "model: gpt-4o, input_per_million_usd: 9,"), encoding="utf-8")
    out = io.StringIO()
    assert update(data_dir, ON, out=out) == ["~ openai/gpt-4o: input_per_million_usd 9 -> 2.5"]
    assert out.getvalue().splitlines()[-2:] == ["  ~ openai/gpt-4o: input_per_million_usd 9 -> 2.5",
                                                "wrote data/api_prices.yaml"]
    assert load_data(data_dir, today=ON).api_price("openai/gpt-4o").input_per_million_usd == 2.5
    assert path.read_text(encoding="utf-8") == (DATA / "api_prices.yaml").read_text(encoding="utf-8")


def test_open_models_are_hosted_by_two_providers_or_more():
    """gpt-oss, Qwen3 32B, Llama 4 Maverick and Scout, DeepSeek V4 Pro and V3.2: each priced by two hosts or more."""
    hosts: dict[str, set[str]] = {}
    for row in load_data(DATA, today=ON).api_prices:
        name = row["id"].split("/", 1)[1]
        for family in ("gpt-oss-120b", "gpt-oss-20b", "qwen3-32b", "llama-4-maverick", "llama-4-scout",
                       "deepseek-v4-pro", "deepseek-v3.2"):
            if name.startswith(family):
                hosts.setdefault(family, set()).add(row["provider"])
    assert {family: len(found) >= 2 for family, found in hosts.items()} == dict.fromkeys(
        ("gpt-oss-120b", "gpt-oss-20b", "qwen3-32b", "llama-4-maverick", "llama-4-scout", "deepseek-v4-pro",
         "deepseek-v3.2"), True)
