"""The data loader: the shipped data validates, broken fixtures report every problem by file, row and field."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from atlas_mkdocs.data import DataError, load_data, export_json, parse_as_of
from atlas_mkdocs.engine.errors import UnknownSpecError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
TODAY = dt.date(2026, 12, 4)


def test_shipped_data_validates():
    """data/ loads with no problems, every table filled, and every row sourced and dated."""
    data = load_data(DATA, None, TODAY)
    assert data.warnings == ()
    assert [len(data.gpus) > 5, len(data.api_prices) > 10, len(data.rental_offers) > 10,
            len(data.power_prices) > 3, len(data.model_shapes) > 3, len(data.scenarios)] == [True] * 5 + [3]
    for table in data.as_dict().values():
        for row in table:
            assert row["source"] and row["as_of"]
    assert {s["id"] for s in data.scenarios} == {"seed-001", "seed-002", "seed-003"}


def test_shipped_data_gives_engine_inputs():
    """Rows turn into the engine's dataclasses; the batch discount comes from the batch prices."""
    data = load_data(DATA, None, TODAY)
    h100 = data.gpu_spec("h100-sxm")
    assert (h100.vram_gb, h100.memory_bandwidth_gbs, h100.fp16_dense_tflops, h100.fp8_dense_tflops) == (80, 3350, 989, 1979)
    assert data.gpu_spec("rtx-3090").fp8_dense_tflops is None
    shape = data.model_shape("llama-3-70b")
    assert (shape.layers, shape.kv_heads, shape.head_dim, shape.attention_heads) == (80, 8, 128, 64)
    gpt4o = data.api_price("openai/gpt-4o")
    assert gpt4o.batch_discount == 0.5
    sonnet = data.api_price("anthropic/claude-sonnet-4-5")
    assert sonnet.long_context.above_input_tokens == 200_000
    assert (sonnet.cache_write_5m_per_million_usd, sonnet.cache_write_1h_per_million_usd) == (3.75, 6)
    assert (sonnet.long_context.cache_write_5m_per_million_usd, sonnet.model) == (7.5, "anthropic/claude-sonnet-4-5")


def test_batch_discount_from_the_row_the_provider_or_nowhere():
    """GPT-5.5's own batch price halves it; Gemini 3.5 Flash has none, so Google's provider row (0.5) applies;
    Groq's Llama 3.3 has neither, so its discount is unknown (None) and a batch is refused by the engine."""
    data = load_data(DATA, None, TODAY)
    assert data.api_price("openai/gpt-5.5").batch_discount == 0.5
    flash = next(row for row in data.api_prices if row["id"] == "google/gemini-3.5-flash")
    assert "batch_input_per_million_usd" not in flash
    assert data.api_price("google/gemini-3.5-flash").batch_discount == 0.5
    assert data.api_price("groq/llama-3.3-70b-versatile").batch_discount is None
    assert [row["provider"] for row in data.api_batch_discounts] == ["openai", "anthropic", "google", "mistral"]


def test_unknown_id_is_an_engine_error():
    """Asking for a GPU the data does not have is an UnknownSpecError listing the known ones."""
    data = load_data(DATA, None, TODAY)
    with pytest.raises(UnknownSpecError) as caught:
        data.gpu_spec("h100")
    assert str(caught.value).startswith("unknown gpu 'h100' (did you mean 'h100-sxm'?); known: rtx-3090, rtx-4090,")


def test_broken_fixtures_report_every_problem():
    """tests/data/fixtures/broken: all 22 problems, each as file:line, row (id), field, message and fix."""
    with pytest.raises(DataError) as caught:
        load_data(BROKEN, 365, TODAY)
    assert [str(problem) for problem in caught.value.problems] == [
        "broken/gpus.yaml:18: row 2 (broken-gpu), field board_wats: unknown field. Did you mean 'board_watts'?",
        "broken/gpus.yaml:14: row 2 (broken-gpu), field vram_gb: must be above 0 in GB; got 0. An unknown price "
        "or spec is an error, never zero: give the real figure or remove the row",
        "broken/gpus.yaml:15: row 2 (broken-gpu), field memory_bandwidth_gbs: must be a bare number in GB/s; "
        "got '3350 GB/s'. Write the number alone; the unit (GB/s) is in the field name",
        "broken/gpus.yaml:12: row 2 (broken-gpu), field board_watts: missing required field (W). "
        "Add 'board_watts:' to the row",
        "broken/gpus.yaml:19: row 2 (broken-gpu), field purchase_usd: low (40000) is above high (25000). Swap them",
        "broken/gpus.yaml:20: row 2 (broken-gpu), field as_of: is in the future (2027-01-01, today is 2026-12-04). "
        "Use the date the figure was checked",
        "broken/gpus.yaml:30: row 3 (good-gpu), field as_of: must be a date as YYYY-MM-DD, YYYY-MM or YYYY; "
        "got 'last spring'. The date the figure was checked, as YYYY-MM-DD (or YYYY-MM, YYYY).",
        "broken/gpus.yaml:22: row 3 (good-gpu), field source: missing required field. "
        "Name the page, datasheet or file the figure comes from.",
        "broken/gpus.yaml:22: row 3 (good-gpu), field id: duplicate id, already used by row 1. "
        "Give each row its own id",
        "broken/api_prices.yaml:4: row 2 (bad/model), field input_per_million_usd: is empty; an unknown price or "
        "spec is an error, never zero. Give the value with its source, or remove the row",
        "broken/api_prices.yaml:4: row 2 (bad/model), field output_per_million_usd: must be above 0 in "
        "USD per 1M tokens; got -3",
        "broken/api_prices.yaml:5: row 2 (bad/model), field long_context.above_input_tokens: must be a whole "
        "number in tokens; got 200000.5",
        "broken/api_prices.yaml:5: row 2 (bad/model), field long_context.output_per_million_usd: missing required "
        "field (USD per 1M tokens). Add 'output_per_million_usd:' to the row",
        "broken/api_prices.yaml:5: row 2 (bad/model), field source: must be non-empty text or a list of texts; "
        "got ''. Name the page, datasheet or file the figure comes from.",
        "broken/rental_offers.yaml:4: row 2 (offer-2), field usd_per_gpu_hour: must be above 0 in "
        "USD per GPU-hour; got 0. An unknown price or spec is an error, never zero: give the real figure or "
        "remove the row",
        "broken/rental_offers.yaml:4: row 2 (offer-2), field billing: must be one of hourly, per_second; "
        "got 'per-second'. Did you mean 'per_second'?",
        "broken/power_prices.yaml:2: row 1 (cents-by-mistake), field usd_per_kwh: must be at most 5 in "
        "USD per kWh; got 12.3. Dollars, not cents: 12.3 cents is 0.123.",
        "broken/model_shapes.yaml:2: row 1 (shape), field layers: must be a whole number in layers; got 32.5",
        "broken/scenarios.yaml:7: row 1 (broken-scenario), field steps[1].model: unknown model 'rental-rat'. "
        "Did you mean 'rental-rate'?",
        "broken/scenarios.yaml:7: row 1 (broken-scenario), field steps[2].seed_says.cost_per_token: "
        "'cost_per_token' is not an output of model 'rental-rate'. Known outputs: cost_per_million_tokens_usd, "
        "cost_per_million_tokens_at_full_use_usd, tokens_per_hour_at_full_use, cost_per_request_usd, "
        "seconds_per_request",
        "broken/scenarios.yaml:7: row 1 (broken-scenario), field steps[2].inputs.utilisation: utilisation must be "
        "in (0, 1], a share such as 0.3 for 30%; got 1.5. It is the share of paid hours spent generating tokens.",
        "broken/rental_offers.yaml:2: row 1 (offer-1), field gpu: names gpus id 'good-gpus', which gpus.yaml "
        "does not have. Did you mean 'good-gpu'?",
    ]
    problem = caught.value.problems[1]
    assert (problem.file, problem.line, problem.row, problem.row_id, problem.field) == (
        "broken/gpus.yaml", 14, 2, "broken-gpu", "vram_gb")
    assert str(caught.value).startswith("22 problems in the data:\n  broken/gpus.yaml:18: ")


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def test_stale_prices_are_listed_but_load(tmp_path):
    """A price older than max_age_days is listed in stale, naming file, row and age; model shapes never go stale;
    a historical row never does either."""
    data_dir = _copy_data(tmp_path)
    (data_dir / "power_prices.yaml").write_text(
        "power_prices:\n"
        "  - {id: fresh, region: r, sector: commercial, usd_per_kwh: 0.12, as_of: 2026-10-01, source: s}\n"
        "  - {id: old, region: r, sector: commercial, usd_per_kwh: 0.12, as_of: 2024-07, source: s}\n"
        "  - {id: kept, region: r, sector: commercial, usd_per_kwh: 0.11, as_of: 2024-01, historical: true, source: s}\n")
    data = load_data(data_dir, 365, TODAY)
    power = [str(w) for w in data.stale if w.file == "data/power_prices.yaml"]
    assert power == ["data/power_prices.yaml:3: row 2 (old), field as_of: price is 886 days old (as_of 2024-07; "
                     "the limit is 365 days). Check the source again and update the figure and as_of"]
    assert not any(w.file.endswith(("model_shapes.yaml", "scenarios.yaml")) for w in data.stale)
    assert data.warnings == ()
    assert load_data(data_dir, 10_000, TODAY).stale == ()


def test_missing_file_and_broken_yaml(tmp_path):
    """A missing file and a file that is not YAML are problems too, collected with the rest."""
    data_dir = _copy_data(tmp_path)
    (data_dir / "power_prices.yaml").unlink()
    (data_dir / "model_shapes.yaml").write_text("model_shapes:\n  - {id: x, name: [unclosed\n")
    with pytest.raises(DataError) as caught:
        load_data(data_dir, None, TODAY)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == "data/power_prices.yaml: file not found. Create it with a top-level 'power_prices:' list"
    assert messages[1].startswith("data/model_shapes.yaml:3: is not valid YAML: ")
    assert len(messages) == 2


def test_wrong_top_level_key(tmp_path):
    """A file whose top-level key is misspelt says which key belongs there."""
    data_dir = _copy_data(tmp_path)
    (data_dir / "gpus.yaml").write_text("gpu:\n  - {id: x}\n")
    with pytest.raises(DataError) as caught:
        load_data(data_dir, None, TODAY)
    # Rental offers name GPUs that no longer load; references into an empty table are not checked twice.
    assert [str(p) for p in caught.value.problems] == [
        "data/gpus.yaml: must hold a top-level 'gpus:' list. Start the file with 'gpus:'"]


def test_export_json_is_deterministic_and_complete():
    """export_json gives the same text twice, parses back, keeps dates as text and every table's rows."""
    data = load_data(DATA, None, TODAY)
    text = export_json(data)
    assert text == export_json(load_data(DATA, None, TODAY))
    parsed = json.loads(text)
    assert parsed["schema_version"] == 1
    assert set(parsed) == {"schema_version", "gpus", "api_prices", "rental_offers", "power_prices", "model_shapes",
                           "quant_formats", "interconnects", "serving_stacks", "throughput_measurements", "scenarios",
                           "api_batch_discounts"}
    h100 = next(row for row in parsed["gpus"] if row["id"] == "h100-sxm")
    assert h100["purchase_usd"] == {"low": 25000, "high": 40000}
    assert h100["as_of"] == "2026-03"
    gpt4o = next(row for row in parsed["api_prices"] if row["id"] == "openai/gpt-4o")
    assert gpt4o["as_of"] == "2026-11"
    assert gpt4o["source"] == "genai-prices 0.2.3 (openai gpt-4o); https://developers.openai.com/api/docs/pricing"
    seed_002 = next(row for row in parsed["scenarios"] if row["id"] == "seed-002")
    assert seed_002["hours_per_month"] == 720
    assert seed_002["steps"][0]["model"] == "own-hardware"


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-07", ("2024-07", dt.date(2024, 7, 1))),
    (2026, ("2026", dt.date(2026, 1, 1))),
    (dt.date(2025, 7, 4), ("2025-07-04", dt.date(2025, 7, 4))),
    ("2025-13", None),
    ("July 2024", None),
])
def test_parse_as_of(value, expected):
    """as_of is a year, a month or a day, read as its first day so ages are never understated."""
    assert parse_as_of(value) == expected


def test_max_age_must_be_a_whole_number():
    """A negative max age is refused by the loader itself."""
    with pytest.raises(ValueError) as caught:
        load_data(DATA, -1, TODAY)
    assert str(caught.value) == "max_age_days must be a whole number of 0 or more, or None; got -1"
