"""The knowledge base's corrections of issue 22, read from the notes' own figures and checked by hand.

Each test evaluates the figures a note defines in its front matter, as the build does, and sets them
against arithmetic done here from the engine's single results and the data: a figure that drifts from
the reasoning on its page fails here, not only in a reader's head.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from atlas_mkdocs.data import export_json, load_data
from atlas_mkdocs.engine import catalogue
from atlas_mkdocs.engine.models import calculate
from atlas_mkdocs.figures.expressions import Evaluator, parse
from atlas_mkdocs.figures.inline import front_matter_figures
from atlas_mkdocs.figures.sources import atlas_data

from tests.helpers import ROOT

DOCS = ROOT / "docs"
DATA = ROOT / "data"


@pytest.fixture(scope="module", autouse=True)
def _catalogue():
    """The engine reads GPUs, model shapes, formats and stacks from data/, as the build hands them over."""
    catalogue.use_catalogue(json.loads(export_json(load_data(DATA))))


def note_figures(relative: str):
    """Give back a function that evaluates an expression among the figures of the note ``relative``."""
    path = DOCS / relative
    evaluator = Evaluator(lambda: atlas_data(DATA), front_matter_figures(str(path), path.read_text(encoding="utf-8")))
    return lambda expression: evaluator.value(parse(expression))


def throughput(**inputs):
    return calculate("throughput", inputs)


LLAMA_3_70B_FP8 = {"model": "llama-3-70b", "gpu": "h100-sxm", "quant": "fp8", "stack": "vllm"}


# ---- War and Peace (docs/Costs/Cost per request and per month.md) ---------------------------------------

def test_war_and_peace_as_one_prompt_does_not_fit():
    """The book as one prompt: Llama 3 70B's KV cache for 783,000 tokens and the 667 of the summary is about
    257 GB, 80 layers x 8 KV heads x 128 values x 2 (key and value) x 2 bytes a token; one H100 has 72 GB
    usable under vLLM. It does not run."""
    figure = note_figures("Costs/Cost per request and per month.md")
    kv_by_hand = 2 * 80 * 8 * 128 * 2 * (783_000 + 667) / 1e9
    assert math.isclose(figure("book_whole.kv_cache_gb"), kv_by_hand)
    assert round(kv_by_hand, 1) == 256.8
    assert figure("book_whole.memory_available_gb") == 80 * 0.9
    assert figure("book_whole.fits") is False
    assert figure("book_whole.memory_needed_gb") > 4 * figure("book_whole.memory_available_gb")


def test_war_and_peace_pieces_fit_the_context_and_two_h100s():
    """100 pieces of 7,830 tokens with a 50-token note each fit Llama 3 70B's 8,192-token window; one H100
    cannot hold even the FP8 weights with one piece's cache, two can, at a batch the engine sizes."""
    figure = note_figures("Costs/Cost per request and per month.md")
    assert figure("piece_tokens") == 7830
    assert figure("piece_tokens + note_tokens") <= figure("context_limit") == 8192
    assert figure("piece_count * note_tokens + summary_tokens") <= figure("context_limit")
    assert figure("piece_one_gpu.fits") is False
    assert figure("piece_one_gpu.weights_gb") > figure("piece_one_gpu.memory_available_gb")
    assert figure("pieces.fits") is True and figure("final.fits") is True
    assert figure("pieces.memory_needed_gb") <= figure("pieces.memory_available_gb") == 2 * 80 * 0.9
    assert figure("pieces.batch") == figure("pieces.max_batch") > 1


def test_war_and_peace_read_in_pieces_costs_about_twenty_cents():
    """Two H100s at the seed's $4.42 an hour each, for the time the engine gives the 100 pieces in batches and
    the final summary alone: about $0.19, against the seed's $40 and the impossible $1.52 of the old page."""
    figure = note_figures("Costs/Cost per request and per month.md")
    pieces = throughput(**LLAMA_3_70B_FP8, gpus=2, batch="max", prompt_tokens=7830, output_tokens=50)
    final = throughput(**LLAMA_3_70B_FP8, gpus=2, batch=1, prompt_tokens=5000, output_tokens=667)
    seconds = 100 / pieces["requests_per_second"] + final["seconds_per_request"]
    by_hand = 2 * 4.42 * seconds / 3600
    assert math.isclose(figure("book_rented"), by_hand)
    assert round(by_hand, 2) == 0.19
    assert figure("book_rented") < figure("book_rent.cost_per_request_usd") / 100


def test_war_and_peace_api_in_pieces_bills_every_token():
    """GPT-4 8k bills the 783,000 tokens of pieces plus 5,000 of notes at $30 per 1M and 5,667 written at $60
    per 1M: $23.98, so the seed's $94 is 3.9 times too high because of its price, not its method."""
    figure = note_figures("Costs/Cost per request and per month.md")
    by_hand = (783_000 + 5_000) * 30 / 1e6 + (100 * 50 + 667) * 60 / 1e6
    total = figure("book_8k_pieces.monthly_cost_usd + book_8k_final.cost_per_request_usd")
    assert math.isclose(total, by_hand)
    assert round(by_hand, 2) == 23.98


def test_seed_001_review_shows_the_same_memory_check():
    """The source review of seed 001 defines the one-prompt run as the cost page does, with the same result."""
    review = note_figures("Sources/Seed 001 - Cloud vs self-hosting.md")
    costs = note_figures("Costs/Cost per request and per month.md")
    for output in ("kv_cache_gb", "memory_needed_gb", "memory_available_gb", "fits"):
        assert review(f"book_whole.{output}") == costs(f"book_whole.{output}")
