"""The decision calculator: its three worked examples against arithmetic written out here from data/.

Prices, purchase ranges, board watts and electricity come from the rows of data/ by id, so an updated
price moves both sides; the arithmetic on them is done here by hand, not by the engine's cost code.
The one figure taken from the engine is a replica's throughput at a given batch
(``calculate("throughput", ...)``, tested against measurements in tests/engine/test_calibration.py):
the test then checks, by hand, that the batch is the largest meeting the latency target, that no other
tensor-parallel size needs fewer GPUs, how many replicas the peak needs, and what they cost.

The examples are the three calculator blocks of docs/Costs/Which option for my workload.md; the first
test holds the note to them.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from atlas_mkdocs.engine.errors import InputError
from atlas_mkdocs.engine.models import calculate
from atlas_mkdocs.engine.widgets import WIDGETS, run_widget
from tests.engine.conftest import bundled_catalogue

#: data/, as the build passes it to the engine: read once per test run.
DATA = bundled_catalogue()

ROOT = Path(__file__).resolve().parents[2]
NOTE = ROOT / "docs" / "Costs" / "Which option for my workload.md"

HOURS = 730  # the atlas's month: 365 days x 24 / 12
DAYS = HOURS / 24  # 30.4167 days in that month
# One engineer a month (atlas_mkdocs.engine.staff): BLS mean wage of software developers, $144,570 a year,
# times $44.40 of compensation per $31.25 of wages, over 12 months.
ENGINEER = round(144_570 * 44.40 / 31.25 / 12, 2)
API_TEAM = 0.1  # the API's integration: a tenth of an engineer
PUE = 1.3
MONTHS = 36

# The worked examples, as the note's calculator blocks give them (the widget's input names).
CHAT = {"tokens_per_day": 5_000_000, "peak_to_average": 3, "prompt_tokens": 1000, "output_tokens": 250,
        "max_time_per_output_token_ms": 50, "api_model": "together/gpt-oss-120b"}
DOCUMENTS = {"tokens_per_day": 2_000_000_000, "peak_to_average": 1.2, "prompt_tokens": 3000, "output_tokens": 500,
             "max_time_per_output_token_ms": 200, "team_engineers": 1, "api_model": "together/llama-3.3-70b-instruct-turbo",
             "model": "llama-3.1-70b", "quant": "fp8"}
RECORDS = {"tokens_per_day": 50_000_000, "peak_to_average": 2, "prompt_tokens": 2000, "output_tokens": 400,
           "max_time_per_output_token_ms": 80, "data_rule": "no-api", "model": "qwen2.5-32b", "quant": "awq-int4",
           "rental_offer": "runpod-l40s", "own_gpu": "l40s", "power_price": "us-ny-commercial-2024"}


def widget_values(example: dict) -> dict:
    """Give back the widget's defaults with the example's values."""
    return WIDGETS["decision"].defaults() | example


def engine_values(example: dict) -> dict:
    """Give back the example as the 'decision' model's inputs (the widget gives the rest of the server in %)."""
    values = widget_values(example)
    values["other_hardware_share"] = values.pop("other_hardware_percent") / 100
    return values


def row(table: str, key: str) -> dict:
    return DATA.row(table, key)


def replica_tokens_per_second(v: dict, gpu: str, gpus: int, batch: int) -> tuple[float, float]:
    """Give back one replica's prompt-and-answer tokens/s and its time per output token, from the throughput model."""
    out = calculate("throughput", {"model": v["model"], "gpu": gpu, "gpus": gpus, "quant": v["quant"],
                                   "kv_quant": v["kv_quant"], "stack": v["stack"], "prompt_tokens": v["prompt_tokens"],
                                   "output_tokens": v["output_tokens"], "batch": batch}, DATA)
    return out["requests_per_second"] * (v["prompt_tokens"] + v["output_tokens"]), out["time_per_output_token_s"]


def max_batch(v: dict, gpu: str, gpus: int) -> int:
    out = calculate("throughput", {"model": v["model"], "gpu": gpu, "gpus": gpus, "quant": v["quant"],
                                   "kv_quant": v["kv_quant"], "stack": v["stack"], "prompt_tokens": v["prompt_tokens"],
                                   "output_tokens": v["output_tokens"], "batch": "max"}, DATA)
    return out["max_batch"]


def check_sizing(v: dict, gpu: str, gpus: int, batch: int, target_s: float) -> float:
    """Check ``batch`` on ``gpus`` is the largest meeting the target; give back the replica's tokens/s."""
    tokens_per_second, tpot = replica_tokens_per_second(v, gpu, gpus, batch)
    assert tpot <= target_s
    if batch < max_batch(v, gpu, gpus):
        assert replica_tokens_per_second(v, gpu, gpus, batch + 1)[1] > target_s
    return tokens_per_second


def gpus_needed(v: dict, gpu: str, gpus: int, tokens_per_second: float) -> int:
    """GPUs for the peak with replicas of ``gpus`` GPUs serving ``tokens_per_second`` each."""
    peak = v["tokens_per_day"] / 86_400 * v["peak_to_average"]
    return max(1, math.ceil(peak / tokens_per_second)) * gpus


def no_other_size_needs_fewer(v: dict, gpu: str, chosen_gpus: int, target_s: float) -> None:
    """At its largest batch within the latency target (its most tokens/s), no other tensor-parallel size
    needs fewer GPUs. The time per output token grows with the batch, so that batch is found by bisection."""
    for size in (1, 2, 4, 8):
        low, high = 0, max_batch(v, gpu, size)  # 0: the model does not fit on this many
        while low < high:
            middle = (low + high + 1) // 2
            if replica_tokens_per_second(v, gpu, size, middle)[1] <= target_s:
                low = middle
            else:
                high = middle - 1
        if low == 0:
            continue  # no batch of this size meets the target
        best_case, _ = replica_tokens_per_second(v, gpu, size, low)
        assert gpus_needed(v, gpu, size, best_case) >= chosen_gpus, size


def owned_per_gpu_month(v: dict) -> float:
    gpu = row("gpus", v["own_gpu"])
    middle = (gpu["purchase_usd"]["low"] + gpu["purchase_usd"]["high"]) / 2
    kwh_price = row("power_prices", v["power_price"])["usd_per_kwh"]
    return middle / MONTHS + gpu["board_watts"] * PUE * HOURS / 1000 * kwh_price


def api_per_request(v: dict) -> float:
    price = row("api_prices", v["api_model"])
    return (v["prompt_tokens"] * price["input_per_million_usd"]
            + v["output_tokens"] * price["output_per_million_usd"]) / 1e6


def api_month(v: dict, tokens_per_day: float) -> float:
    requests_per_day = tokens_per_day / (v["prompt_tokens"] + v["output_tokens"])
    return requests_per_day * DAYS * api_per_request(v) + API_TEAM * ENGINEER


# ---- the note holds the tested examples ---------------------------------------------------------------

def test_the_note_shows_the_three_tested_examples():
    """The note's calculator blocks are exactly the three examples checked here, in order."""
    blocks = re.findall(r"```calculator\n(.*?)```", NOTE.read_text(encoding="utf-8"), re.S)
    parsed = [yaml.safe_load(block) for block in blocks]
    assert [block["widget"] for block in parsed] == ["decision"] * 3
    assert [block["inputs"] for block in parsed] == [CHAT, DOCUMENTS, RECORDS]


# ---- example 1: a chat assistant, an open model's API against one GPU ---------------------------------

def test_chat_assistant_the_api_is_cheapest_by_far():
    """5M tokens a day through gpt-oss-120b: the API at $0.15/$0.60 costs little beyond its tenth of an engineer."""
    v = widget_values(CHAT)
    found = calculate("decision", engine_values(CHAT), DATA)
    # API: 5,000,000 / 1,250 = 4,000 requests a day at 1,000 x $0.15 + 250 x $0.60 per 1M = $0.0003 each.
    assert api_per_request(v) == pytest.approx(0.0003)
    api = 4000 * DAYS * 0.0003 + 0.1 * ENGINEER  # $36.50 + $1,711.71
    assert api == pytest.approx(api_month(v, 5_000_000))
    assert found["api_monthly_usd"] == pytest.approx(api)
    assert found["api_monthly_usd"] == pytest.approx(1748.209, abs=0.01)

    # One H100 holds gpt-oss-120b; at 50 ms per token its batch stops at 131 (the 132nd sequence misses it).
    tokens_per_second = check_sizing(v, "h100-sxm", 1, 131, 0.050)
    assert found["owned_batch"] == 131 and found["owned_gpus"] == 1
    assert gpus_needed(v, "h100-sxm", 1, tokens_per_second) == 1  # the peak, 174 tokens/s, is a small part of it
    no_other_size_needs_fewer(v, "h100-sxm", 1, 0.050)
    owned = owned_per_gpu_month(v) + 0.5 * ENGINEER
    rented = row("rental_offers", "lambda-h100-sxm")["usd_per_gpu_hour"] * HOURS + 0.5 * ENGINEER
    assert found["owned_monthly_usd"] == pytest.approx(owned)
    assert found["rented_monthly_usd"] == pytest.approx(rented)
    # $32,500 (the middle of $25,000-$40,000) over 36 months + 700 W x 1.3 x 730 h x $0.1192/kWh, + half an engineer.
    assert owned == pytest.approx(32_500 / 36 + 0.7 * 1.3 * 730 * 0.1192 + 8558.545, abs=0.01)

    assert found["cheapest"] == "Cloud API" and found["runner_up"] == "Own hardware"
    assert 0.1 * ENGINEER / api > 0.9  # the note: "almost all of it the tenth of an engineer"
    assert found["margin_usd"] == pytest.approx(owned - api)
    assert found["margin_share"] == pytest.approx((owned - api) / owned)


def test_chat_assistant_crossing_is_where_two_replicas_of_two_gpus_meet_the_api_line():
    """Own hardware first costs what the API does at (4 GPUs + team - API team) / API $ per daily token."""
    v = widget_values(CHAT)
    found = calculate("decision", engine_values(CHAT), DATA)
    slope = api_per_request(v) / 1250 * DAYS  # $/month per token a day
    per_gpu = owned_per_gpu_month(v)
    crossing = (4 * per_gpu + 0.5 * ENGINEER - 0.1 * ENGINEER) / slope
    assert found["api_vs_owned_tokens_per_day"] == pytest.approx(crossing, rel=1e-9)
    # There, the peak needs two replicas of two H100s at their largest batch (256, within 50 ms) ...
    tokens_per_second = check_sizing(v, "h100-sxm", 2, 256, 0.050)
    at_crossing = v | {"tokens_per_day": crossing}
    assert gpus_needed(at_crossing, "h100-sxm", 2, tokens_per_second) == 4
    no_other_size_needs_fewer(at_crossing, "h100-sxm", 4, 0.050)
    # ... and the API line meets 4 GPUs and the team there.
    assert api_month(v, crossing) == pytest.approx(4 * per_gpu + 0.5 * ENGINEER)
    assert found["changes_above_tokens_per_day"] == pytest.approx(crossing, rel=1e-9)
    assert found["changes_below_tokens_per_day"] is None


# ---- example 2: a document pipeline, a 70B model at two billion tokens a day --------------------------

def test_document_pipeline_own_hardware_is_cheapest():
    """2B tokens a day, a flat load: three replicas of two H100s; owning beats renting by the GPUs' price gap."""
    v = widget_values(DOCUMENTS)
    found = calculate("decision", engine_values(DOCUMENTS), DATA)
    # API at $0.88 per 1M tokens either way: 2,000 x $0.88 a day, 30.4167 days, plus a tenth of an engineer.
    api = 2000 * 0.88 * DAYS + 0.1 * ENGINEER
    assert api == pytest.approx(api_month(v, 2e9))
    assert found["api_monthly_usd"] == pytest.approx(api)

    # Llama 3.1 70B at FP8 leaves room for 5 sequences on one H100 (80 GiB); 137 fill two, within 200 ms per token.
    assert max_batch(v, "h100-sxm", 1) == 5
    tokens_per_second = check_sizing(v, "h100-sxm", 2, 137, 0.200)
    # The peak, 2e9 / 86,400 x 1.2 = 27,778 tokens/s, takes three replicas.
    assert gpus_needed(v, "h100-sxm", 2, tokens_per_second) == 6
    no_other_size_needs_fewer(v, "h100-sxm", 6, 0.200)
    assert (found["owned_replicas"], found["owned_gpus_per_replica"], found["owned_batch"]) == (3, 2, 137)
    owned = 6 * owned_per_gpu_month(v) + 1 * ENGINEER
    rented = 6 * row("rental_offers", "lambda-h100-sxm")["usd_per_gpu_hour"] * HOURS + 1 * ENGINEER
    assert found["owned_monthly_usd"] == pytest.approx(owned)
    assert found["rented_monthly_usd"] == pytest.approx(rented)
    assert found["cheapest"] == "Own hardware" and found["runner_up"] == "Rented GPUs"
    assert found["margin_usd"] == pytest.approx(rented - owned)
    assert found["margin_share"] == pytest.approx((rented - owned) / rented)
    assert found["rented_vs_owned_tokens_per_day"] is None  # the same GPUs, each cheaper owned than rented
    assert rented < api  # the note: "both beat the API"


def test_document_pipeline_meets_the_api_within_one_replica():
    """One replica serves more than the volume at which it meets the API line, and each further replica costs
    less than the API bill for the volume it adds: own hardware is cheaper from that crossing on."""
    v = widget_values(DOCUMENTS)
    found = calculate("decision", engine_values(DOCUMENTS), DATA)
    slope = 0.88 / 1e6 * DAYS  # $/month per token a day
    team_gap = 1 * ENGINEER - 0.1 * ENGINEER
    per_gpu = owned_per_gpu_month(v)
    one_replica = (2 * per_gpu + team_gap) / slope
    two_replicas = (4 * per_gpu + team_gap) / slope
    capacity = 86_400 * check_sizing(v, "h100-sxm", 2, 137, 0.200) / 1.2  # tokens a day one replica serves
    assert one_replica < two_replicas < capacity
    assert found["api_vs_owned_tokens_per_day"] == pytest.approx(one_replica, rel=1e-9)
    assert found["changes_below_tokens_per_day"] == pytest.approx(one_replica, rel=1e-9)
    assert 2 * per_gpu < slope * capacity  # a replica costs less than the API bill for what it serves
    rented_gpu = row("rental_offers", "lambda-h100-sxm")["usd_per_gpu_hour"] * HOURS
    assert found["api_vs_rented_tokens_per_day"] == pytest.approx((2 * rented_gpu + team_gap) / slope, rel=1e-9)
    assert found["changes_above_tokens_per_day"] is None


# ---- example 3: records that may not go to a model provider -------------------------------------------

def test_records_that_stay_in_house_rented_against_owned_l40s():
    """The API is out; one L40S serves the peak, and owning it saves the gap between its rent and its cost."""
    v = widget_values(RECORDS)
    found = calculate("decision", engine_values(RECORDS), DATA)
    assert found["api_monthly_usd"] is None
    assert found["api_setup"] == "out: the data may not go to a model provider"

    # Qwen2.5 32B in AWQ on one L40S: 80 ms per token allows 33 sequences of the 81 that fit.
    assert max_batch(v, "l40s", 1) == 81
    tokens_per_second = check_sizing(v, "l40s", 1, 33, 0.080)
    # Peak: 50e6 / 86,400 x 2 = 1,157 tokens/s, within one replica.
    assert gpus_needed(v, "l40s", 1, tokens_per_second) == 1
    no_other_size_needs_fewer(v, "l40s", 1, 0.080)
    rented = row("rental_offers", "runpod-l40s")["usd_per_gpu_hour"] * HOURS + 0.5 * ENGINEER
    owned = owned_per_gpu_month(v) + 0.5 * ENGINEER
    # $8,500 (the middle of $7,000-$10,000) over 36 months + 350 W x 1.3 x 730 h x $0.1857/kWh.
    assert owned_per_gpu_month(v) == pytest.approx(8500 / 36 + 0.35 * 1.3 * 730 * 0.1857)
    assert found["rented_monthly_usd"] == pytest.approx(rented)
    assert found["owned_monthly_usd"] == pytest.approx(owned)
    assert found["cheapest"] == "Own hardware"
    assert found["margin_usd"] == pytest.approx(rented - owned)
    assert found["margin_share"] == pytest.approx((rented - owned) / rented)
    # Half an engineer is most of either bill.
    assert 0.5 * ENGINEER / owned > 0.9
    assert found["what_would_change"].startswith("Volume: Own hardware is cheapest at every volume.")
    api = api_month(v, 50e6)  # the widget's API row, openai/gpt-5.4
    assert f"if the data could go to the API, it would cost ${api:,.0f} a month, and Cloud API would be cheapest." \
        in found["what_would_change"]
    assert api < owned


def test_on_premises_leaves_own_hardware_alone():
    """Data that may not leave the building rules out the API and rented GPUs; no margin, no crossing."""
    found = calculate("decision", engine_values(RECORDS | {"data_rule": "on-premises"}), DATA)
    assert (found["api_monthly_usd"], found["rented_monthly_usd"]) == (None, None)
    assert found["rented_setup"] == "out: the data may not leave our premises"
    assert found["cheapest"] == "Own hardware" and found["runner_up"] is None and found["margin_usd"] is None


# ---- the levers, the widget and bad input -------------------------------------------------------------

def test_what_would_change_names_the_team_size_that_turns_it():
    """In the chat example own hardware would beat the API only if it took at most (API - GPU) / engineer people."""
    v = widget_values(CHAT)
    found = calculate("decision", engine_values(CHAT), DATA)
    team = (api_month(v, 5e6) - owned_per_gpu_month(v)) / ENGINEER
    assert f"Own hardware would beat the API if it took at most {team:.2f} engineers to run." \
        in found["what_would_change"]
    assert f"{team:.2f}" == "0.04"


def test_a_latency_target_nobody_can_meet_says_so():
    """2 ms per token is beyond any replica: both self-hosted options are out, with the fastest figure named."""
    found = calculate("decision", engine_values(CHAT | {"max_time_per_output_token_ms": 2}), DATA)
    assert found["rented_monthly_usd"] is None and found["cheapest"] == "Cloud API"
    assert re.fullmatch(r"out: no replica meets 2 ms per output token; the fastest gives \d+ ms", found["rented_setup"])


def test_widget_shows_the_figures_and_the_reasoning():
    """The widget's text is the model's figures formatted; its figure holds the table, the levers and the chart."""
    shown = run_widget("decision", widget_values(DOCUMENTS), DATA)
    found = calculate("decision", engine_values(DOCUMENTS), DATA)
    assert shown["ok"] is True
    assert shown["text"]["cheapest"] == "Own hardware"
    assert shown["text"]["owned_monthly_usd"] == f"${found['owned_monthly_usd']:,.2f}"
    assert shown["text"]["changes_below_tokens_per_day"] == f"{found['changes_below_tokens_per_day'] / 1e6:,.2f} million"
    assert "<caption>Each option at your volume" in shown["figure"]
    assert "<td>3 x 2 GPUs, batch 137, 91 ms per token</td>" in shown["figure"]
    assert "<li>Volume: below 649 million tokens a day, Cloud API is cheapest.</li>" in shown["figure"]
    assert "<svg" in shown["figure"] and "order changes at 649M/day" in shown["figure"]
    ruled = run_widget("decision", widget_values(RECORDS | {"data_rule": "on-premises"}), DATA)
    assert ruled["text"]["api_monthly_usd"] == "ruled out" and ruled["text"]["margin_usd"] == "no other option"


def test_bad_workloads_are_named():
    """A peak below the average and an unknown price row are refused in words a reader can act on."""
    with pytest.raises(InputError) as caught:
        calculate("decision", engine_values(CHAT | {"peak_to_average": 0.5}), DATA)
    assert str(caught.value).startswith("peak_to_average must be at least 1; got 0.5")
    shown = run_widget("decision", widget_values(CHAT | {"peak_to_average": 0.5}), DATA)
    assert shown == {"ok": False, "field": "peak_to_average", "message": "Peak over average must be at least 1 times the average; got 0.5"}
    shown = run_widget("decision", widget_values(CHAT | {"api_model": "openai/gpt-9"}), DATA)
    assert shown["ok"] is False and shown["field"] == "api_model"


def test_command_line_runs_the_decision_with_data():
    """`python -m atlas_mkdocs.engine decision` loads data/ itself and prints the cheapest option."""
    done = subprocess.run([sys.executable, "-m", "atlas_mkdocs.engine", "decision", "--tokens_per_day", "5000000",
                           "--api_model", "together/gpt-oss-120b", "--json"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    outputs = json.loads(done.stdout)["outputs"]
    assert outputs["cheapest"] == "Cloud API"
    assert outputs["owned_setup"] == "1 x 1 GPU, batch 131, 50 ms per token"


def test_an_absurd_peak_is_answered_not_walked_step_by_step():
    """A peak 1e300 times the average makes each replica's step a vanishing volume: the crossing search
    stops at its bound instead of listing more steps than memory holds (it once ran out of memory)."""
    found = calculate("decision", engine_values(CHAT | {"peak_to_average": 1e300}), DATA)
    assert found["cheapest"] == "Cloud API"
    assert found["api_vs_owned_tokens_per_day"] is None and found["api_vs_rented_tokens_per_day"] is None
    assert found["owned_replicas"] > 1e290
