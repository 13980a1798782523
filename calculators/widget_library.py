"""The calculators: each widget's fields, results and presets, the model it runs, and their registry.

A widget is a model's signature plus labels: its fields are made by ``field`` from the inputs of the
model it names, whose declarations give their units, help and defaults (in a reader's units where the
field ``feeds`` it: a percent of a share, a day's volume of a month's); the widget writes the labels,
the form's bounds, a starting value where the model has none, and any other default as an
``Override``. Its results are that model's outputs, with labels, units and formats; the decision,
whose figure draws the engine's own objects, runs its model through a compute that keeps them. It may draw
an SVG chart or a table (atlas_mkdocs.engine.widget_figures) and offer one-click presets for the
seeds' personas (a startup with bursty traffic, an enterprise with a steady 24/7 load). Pure and
stdlib only, like the rest of the engine: the build imports it in CPython to prerender each form,
and the browser worker imports the very same module in Pyodide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.engine.forms import OutputSpec, Override, Preset, Widget, field
from atlas_mkdocs.engine.inputs import REQUIRED, Feed, Input, per_day_of, percent_of
from atlas_mkdocs.engine.models import RANGE_ENDS, RANGED_OWN_HARDWARE, decision_for, decision_outputs
from atlas_mkdocs.engine.registry import Registry
from atlas_mkdocs.engine.widget_figures import (
    DECISION_NAMES,
    break_even_chart,
    decision_figure,
    tornado,
    utilisation_chart,
    vram_table,
)

# ---- shared by several calculators --------------------------------------------------------------------

STARTUP = "startup"
ENTERPRISE = "enterprise"
STARTUP_LABEL = "Startup: bursty chat traffic"
ENTERPRISE_LABEL = "Enterprise: steady 24/7 documents"


def personas(startup: tuple[Mapping[str, Any], str], enterprise: tuple[Mapping[str, Any], str]) -> tuple[Preset, ...]:
    """Give back the seeds' two personas as presets: each the values it sets and what it stands for."""
    return (Preset(STARTUP, STARTUP_LABEL, *startup), Preset(ENTERPRISE, ENTERPRISE_LABEL, *enterprise))


def staff_field(model: str, name: str, label: str) -> Input:
    """Give back the field for a model's people cost per month, 0 to $100M in steps of $100."""
    return field(model, name, label, minimum=0, maximum=100_000_000, step=100)


# ---- rented GPU ---------------------------------------------------------------------------------------

def utilisation(model: str, default: Any = REQUIRED) -> Input:
    """Give back a model's utilisation as a field in percent, from 1: a machine never used has no cost per token."""
    return field(model, "utilisation_percent", "Utilisation", feeds=percent_of("utilisation"), default=default,
                 minimum=1, maximum=100)


RENTAL_COST = Widget(
    name="rental-cost",
    title="Rented GPU: cost per 1M tokens",
    inputs=(
        field("rental-rate", "hourly_price_usd", "Rental price", default=3.50, minimum=0, maximum=1000, step=0.01),
        field("rental-rate", "tokens_per_second", "Throughput", default=100, minimum=0, maximum=100_000_000),
        utilisation("rental-rate"),
    ),
    outputs=(
        OutputSpec("cost_per_million_tokens_at_full_use", "At full use", "$ per 1M tokens", "usd",
                   "cost_per_million_tokens_at_full_use_usd"),
        OutputSpec("cost_per_million_tokens", "At this utilisation", "$ per 1M tokens", "usd",
                   "cost_per_million_tokens_usd"),
        OutputSpec("tokens_per_hour_at_full_use", "Capacity", "tokens/hour", "int"),
    ),
    model="rental-rate",
)


# ---- cloud API ----------------------------------------------------------------------------------------

API_COST = Widget(
    name="api-cost",
    title="Cloud API: cost per request and per month",
    inputs=(
        field("api-shares", "input_per_million_usd", "Input price", default=2.50, minimum=0, maximum=1000, step=0.01),
        field("api-shares", "output_per_million_usd", "Output price", default=10.00, minimum=0, maximum=1000,
              step=0.01),
        field("api-shares", "input_tokens", "Prompt", default=400, minimum=0, maximum=10_000_000),
        field("api-shares", "output_tokens", "Answer", default=400, minimum=0, maximum=1_000_000),
        field("api-shares", "reasoning_tokens", "Reasoning", minimum=0, maximum=1_000_000, step=100),
        field("api-shares", "cached_percent", "Prompt read from cache", feeds=percent_of("cached_share"), minimum=0,
              maximum=100),
        field("api-shares", "cached_input_per_million_usd", "Cached input price", default=1.25, minimum=0,
              maximum=1000, step=0.01),
        field("api-shares", "batch_discount_percent", "Batch discount", feeds=percent_of("batch_discount"),
              minimum=0, maximum=99),
        # A month of no requests shows no bill: the form starts at a thousand a day.
        field("api-shares", "requests_per_day", "Volume", feeds=per_day_of("requests_per_month"),
              default=Override(1000), minimum=0, maximum=10_000_000_000),
        staff_field("api-shares", "staff_per_month_usd", "Engineering staff"),
    ),
    outputs=(
        OutputSpec("cost_per_request_usd", "Per request", "$ per request", "usd"),
        OutputSpec("cost_per_million_tokens_usd", "Per 1M tokens", "$ per 1M tokens", "usd"),
        OutputSpec("monthly_cost_usd", "Per month", "$/month (730 h)", "usd"),
        OutputSpec("total_per_month_usd", "Per month, with staff", "$/month (730 h)", "usd"),
        OutputSpec("tokens_per_day", "Tokens", "tokens/day", "compact"),
    ),
    model="api-shares",
    presets=personas(
        ({"requests_per_day": 5000, "input_tokens": 600, "output_tokens": 300,
          "cached_percent": 50, "batch_discount_percent": 0},
         "A chat assistant: 5,000 requests a day, half of each prompt a cached system prompt."),
        ({"requests_per_day": 1_000_000, "input_tokens": 1500,
          "output_tokens": 300, "cached_percent": 0,
          "batch_discount_percent": 50},
         "A million documents a day through the batch API.")),
)


# ---- own hardware -------------------------------------------------------------------------------------

OWN = "own-hardware"
OWN_HARDWARE_INPUTS = (
    field(OWN, "purchase_price_usd", "Purchase price", default=10000, minimum=0, maximum=1_000_000_000, step=100),
    field(OWN, "amortisation_months", "Written off over", default=60, minimum=1, maximum=240),
    field(OWN, "residual_value_usd", "Resale value at the end", minimum=0, maximum=1_000_000_000, step=100),
    field(OWN, "gpus", "GPUs", default=Override(2), minimum=1, maximum=100_000),  # seed 001's two RTX 4090s
    field(OWN, "gpu_watts", "Power per GPU at load", default=450, minimum=0, maximum=5000, step=10),
    field(OWN, "host_watts", "Rest of the machine", default=150, minimum=0, maximum=100_000, step=10),
    field(OWN, "price_per_kwh_usd", "Electricity", default=0.17, minimum=0, maximum=10, step=0.01),
    field(OWN, "pue", "PUE", minimum=1, maximum=3, step=0.05),
    field(OWN, "maintenance_per_month_usd", "Maintenance", minimum=0, maximum=100_000_000, step=10),
    staff_field(OWN, "operations_staff_per_month_usd", "Operations staff"),
    field(OWN, "tokens_per_second", "Throughput", default=50, minimum=0, maximum=100_000_000),
    utilisation(OWN),
)

OWN_HARDWARE_COST = Widget(
    name="own-hardware-cost",
    title="Own hardware: cost per month and per 1M tokens",
    inputs=OWN_HARDWARE_INPUTS,
    outputs=(
        OutputSpec("total_per_month_usd", "Total", "$/month (730 h)", "usd"),
        OutputSpec("amortisation_per_month_usd", "Purchase, spread", "$/month", "usd"),
        OutputSpec("power_per_month_usd", "Electricity", "$/month", "usd"),
        OutputSpec("cost_per_million_tokens_usd", "Per 1M tokens", "$ per 1M tokens", "usd"),
        OutputSpec("tokens_per_month", "Tokens produced", "tokens/month", "compact"),
    ),
    model="own-hardware",
    presets=personas(
        ({"utilisation_percent": 33, "operations_staff_per_month_usd": 0},
         "Busy about 8 hours in 24: traffic in business hours, idle at night."),
        ({"purchase_price_usd": 250000, "gpus": 8, "gpu_watts": 700,
          "host_watts": 1500, "pue": 1.3, "tokens_per_second": 2400,
          "utilisation_percent": 90, "amortisation_months": 36,
          "maintenance_per_month_usd": 2000,
          "operations_staff_per_month_usd": 15000},
         "An 8-GPU H100 server kept 90% busy, with a share of an operations team.")),
)


# ---- rented GPU by the month --------------------------------------------------------------------------

RENTAL_MONTH = Widget(
    name="rental-month",
    title="Rented GPU: cost per month by billing mode",
    inputs=(
        field("rental-month", "hourly_price_per_gpu_usd", "Price per GPU", default=2.99, minimum=0, maximum=1000,
              step=0.01),
        field("rental-month", "gpus", "GPUs", minimum=1, maximum=100_000),
        field("rental-month", "tokens_per_second", "Throughput of all GPUs", default=1000, minimum=1,
              maximum=100_000_000, step=10),
        field("rental-month", "tokens_per_day", "Volume", feeds=per_day_of("tokens_per_month"), default=20_000_000,
              minimum=0, maximum=1_000_000_000_000, step=100000),
        field("rental-month", "billing", "Billing",
              choices=(("always_on", "Always on"), ("active_window", "Hours a day"),
                       ("per_second", "By the second, scale to zero"))),
        field("rental-month", "active_hours_per_day", "Active window", minimum=0, maximum=24),
        # The model counts no cold start unless told; the form starts at 10% so billing by the second shows one.
        field("rental-month", "cold_start_percent", "Cold-start overhead", feeds=percent_of("cold_start_overhead"),
              default=Override(10), minimum=0, maximum=500),
        staff_field("rental-month", "staff_per_month_usd", "Operations staff"),
    ),
    outputs=(
        OutputSpec("monthly_cost_usd", "Per month", "$/month (730 h)", "usd"),
        OutputSpec("total_per_month_usd", "Per month, with staff", "$/month (730 h)", "usd"),
        OutputSpec("billed_hours_per_month", "Billed", "hours/month", "decimal1"),
        OutputSpec("utilisation", "Busy share of billed time", "%", "percent"),
        OutputSpec("cost_per_million_tokens_usd", "Per 1M tokens", "$ per 1M tokens", "usd"),
    ),
    model="rental-month",
    presets=personas(
        ({"tokens_per_day": 3_000_000, "billing": "per_second",
          "cold_start_percent": 20},
         "3M tokens a day in bursts, on a serverless GPU billed by the second."),
        ({"gpus": 8, "tokens_per_second": 2400,
          "tokens_per_day": 180_000_000, "billing": "always_on"},
         "An 8-GPU node rented all month, kept busy around the clock.")),
)


# ---- three-way break-even -----------------------------------------------------------------------------


THREE = "three-way"
BREAK_EVEN = Widget(
    name="break-even",
    title="API, rented GPU or own hardware: where each is cheapest",
    inputs=(
        field(THREE, "tokens_per_day", "Your volume", default=2_000_000, minimum=0, maximum=50_000_000_000,
              step=100000),
        field(THREE, "api_per_million_usd", "API price, blended", default=4.375, minimum=0, maximum=1000, step=0.01),
        field(THREE, "rental_hourly_usd", "Rented GPU", default=2.99, minimum=0, maximum=100_000, step=0.01),
        field(THREE, "rental_tokens_per_second", "Rented GPU throughput", default=1000, minimum=1,
              maximum=100_000_000, step=10),
        field(THREE, "own_purchase_usd", "Own hardware price", default=30000, minimum=0, maximum=1_000_000_000,
              step=500),
        field(THREE, "own_amortisation_months", "Written off over", default=36, minimum=1, maximum=240),
        field(THREE, "own_running_per_month_usd", "Own running cost", default=400, minimum=0, maximum=100_000_000,
              step=10),
        field(THREE, "own_tokens_per_second", "Own hardware throughput", default=1000, minimum=1,
              maximum=100_000_000, step=10),
        staff_field(THREE, "api_staff_per_month_usd", "Staff for the API"),
        staff_field(THREE, "rental_staff_per_month_usd", "Staff for rented GPUs"),
        staff_field(THREE, "own_staff_per_month_usd", "Staff for own hardware"),
    ),
    outputs=(
        OutputSpec("api_monthly_usd", "Cloud API", "$/month", "usd"),
        OutputSpec("rented_monthly_usd", "Rented GPU", "$/month", "usd"),
        OutputSpec("own_monthly_usd", "Own hardware", "$/month", "usd"),
        OutputSpec("cheapest", "Cheapest at your volume", "", "text"),
        OutputSpec("api_vs_rented_tokens_per_day", "Renting beats the API above", "tokens/day", "compact"),
        OutputSpec("api_vs_own_tokens_per_day", "Owning beats the API above", "tokens/day", "compact"),
    ),
    model=THREE,
    figure=break_even_chart,
    presets=personas(
        ({"tokens_per_day": 3_000_000}, "3M tokens a day."),
        ({"tokens_per_day": 500_000_000}, "500M tokens a day.")),
)


# ---- cost per 1M tokens against utilisation -----------------------------------------------------------

UTILISATION_CURVE = Widget(
    name="utilisation-curve",
    title="Idle hours are paid for: cost per 1M tokens against utilisation",
    inputs=(
        field("utilisation-break-even", "hourly_price_usd", "Rental price", default=3.50, minimum=0, maximum=1000,
              step=0.01),
        field("utilisation-break-even", "tokens_per_second", "Throughput", default=100, minimum=0,
              maximum=100_000_000),
        utilisation("utilisation-break-even", Override(30)),  # a business-hours load, not the model's full use
        field("utilisation-break-even", "api_per_million_usd", "API price to compare", default=10, minimum=0,
              maximum=1000, step=0.01),
    ),
    outputs=(
        OutputSpec("cost_per_million_tokens", "At this utilisation", "$ per 1M tokens", "usd",
                   "cost_per_million_tokens_usd"),
        OutputSpec("cost_per_million_tokens_at_full_use", "At full use", "$ per 1M tokens", "usd",
                   "cost_per_million_tokens_at_full_use_usd"),
        OutputSpec("break_even_utilisation", "Matches the API at", "% utilisation", "percent"),
    ),
    model="utilisation-break-even",
    figure=utilisation_chart,
    presets=personas(
        ({"utilisation_percent": 33}, "Busy in business hours only."),
        ({"utilisation_percent": 90}, "A steady load, around the clock.")),
)


# ---- VRAM fit and throughput --------------------------------------------------------------------------

VRAM_FIT = Widget(
    name="vram-fit",
    title="Which GPUs can hold the model",
    inputs=(
        field("gpu-fit", "model", "Model", default="llama-3-70b", choices_from="model_shapes"),
        field("gpu-fit", "quant", "Weights", default="awq-int4", choices_from="quant_formats"),
        field("gpu-fit", "context_tokens", "Context", default=8192, minimum=1, maximum=10_000_000, step=1024),
        field("gpu-fit", "concurrent_sequences", "Concurrent requests", default=1, minimum=1, maximum=100_000),
        field("gpu-fit", "overhead_percent", "Runtime overhead", feeds=percent_of("overhead_fraction"), minimum=0,
              maximum=100),
    ),
    outputs=(
        OutputSpec("weights_gb", "Weights", "GB", "decimal1"),
        OutputSpec("kv_cache_gb", "KV cache", "GB", "decimal1"),
        OutputSpec("total_gb", "Total", "GB", "decimal1"),
        OutputSpec("single_gpu_options", "GPUs that hold it alone", "of those listed", "int"),
    ),
    model="gpu-fit",
    figure=vram_table,
)

PARALLEL = (("tensor", "Tensor parallel"), ("pipeline", "By layers"))


THROUGHPUT = Widget(
    name="throughput",
    title="Throughput: does it fit, tokens per second, time to first token",
    inputs=(
        field("throughput", "model", "Model", default="llama-3.1-8b", choices_from="model_shapes"),
        field("throughput", "gpu", "GPU", default="rtx-4090", choices_from="gpus"),
        field("throughput", "gpus", "GPUs", minimum=1, maximum=100_000),
        field("throughput", "parallel", "Split", choices=PARALLEL),
        field("throughput", "quant", "Weights", default="q4_k_m", choices_from="quant_formats"),
        # A consumer card's page: llama.cpp, not the model's vLLM.
        field("throughput", "stack", "Serving stack", default=Override("llama.cpp"), choices_from="serving_stacks"),
        field("throughput", "prompt_tokens", "Prompt", default=1000, minimum=1, maximum=10_000_000, step=100),
        field("throughput", "output_tokens", "Answer", default=250, minimum=1, maximum=1_000_000, step=10),
        # A form takes a number of sequences; "max" is the command line's.
        field("throughput", "batch_size", "Batch", minimum=1, maximum=100_000,
              feeds=Feed("batch", unit="sequences at once", help="")),
    ),
    outputs=(
        OutputSpec("fits", "Fits in memory", "", "yesno"),
        OutputSpec("memory_needed_gb", "Memory needed", "GB, all cards", "decimal1"),
        OutputSpec("max_batch", "Largest batch that fits", "sequences", "int"),
        OutputSpec("output_tokens_per_second", "Answers, all sequences", "tokens/s", "int"),
        OutputSpec("decode_tokens_per_second_per_sequence", "Generation, one reader", "tokens/s", "decimal1"),
        OutputSpec("time_to_first_token_s", "Time to first token", "s", "decimal2"),
        OutputSpec("prefill_tokens_per_second", "Prompt reading", "tokens/s", "int"),
        OutputSpec("seconds_per_request", "Time per request", "s", "decimal2"),
    ),
    model="throughput",
    note="Efficiency factors per serving stack are fitted to published measurements (data/serving_stacks.yaml).",
)


# ---- savings levers -----------------------------------------------------------------------------------

def requests_per_day(model: str) -> Input:
    """Give back a lever's volume field, in requests a day: the model's default (none) would show no saving."""
    return field(model, "requests_per_day", "Volume", feeds=per_day_of("requests_per_month"),
                 default=Override(10000), minimum=0, maximum=10_000_000_000, step=100)
LEVER_OUTPUTS = (
    OutputSpec("cost_per_request_with_usd", "Per request, with the lever", "$ per request", "usd"),
    OutputSpec("saving_share", "Saved", "% of the bill", "percent"),
    OutputSpec("monthly_saving_usd", "Saved per month", "$/month (730 h)", "usd"),
)

CASCADE_SAVINGS = Widget(
    name="cascade-savings",
    title="Cascade: easy requests to a small local model, the rest to the API",
    inputs=(
        field("cascade", "local_share_percent", "Handled locally", feeds=percent_of("local_share"), default=60,
              minimum=0, maximum=100),
        field("cascade", "local_cost_per_request_usd", "Local model", default=0.0005, minimum=0, maximum=100,
              step=0.0001),
        field("cascade", "api_cost_per_request_usd", "API", default=0.01, minimum=0, maximum=100, step=0.001),
        # The model leaves routing free unless told; the form shows that it costs something.
        field("cascade", "router_cost_per_request_usd", "Routing", default=Override(0.0001), minimum=0,
              maximum=100, step=0.0001),
        requests_per_day("cascade"),
    ),
    outputs=LEVER_OUTPUTS,
    model="cascade",
)

CACHE_SAVINGS = Widget(
    name="cache-savings",
    title="Response cache: what a hit rate saves",
    inputs=(
        field("cache", "hit_rate_percent", "Hit rate", feeds=percent_of("hit_rate"), default=30, minimum=0,
              maximum=100),
        field("cache", "cost_per_request_usd", "Cost of a request", default=0.01, minimum=0, maximum=100,
              step=0.001),
        field("cache", "kind", "Cache", choices=(("exact", "Exact match"), ("semantic", "Semantic (embedding) match"))),
        requests_per_day("cache"),
    ),
    outputs=LEVER_OUTPUTS,
    model="cache",
)


# ---- uncertainty --------------------------------------------------------------------------------------

RANGES = "own-hardware-ranges"
#: The ranged inputs' steps and bounds, as (step, minimum, maximum): a machine that produces nothing, or is
#: never used, has no cost per token, so throughput starts at 1 token/s and utilisation at 1%; a price is
#: never zero.
RANGED_FIELDS = {"purchase_price_usd": (100, 1, 1_000_000_000), "tokens_per_second": (1, 1, 100_000_000),
                 "utilisation": (1, 1, 100), "price_per_kwh_usd": (0.01, 0.01, 10)}


def _ranged_fields() -> tuple[Input, ...]:
    """Give back a low, a base and a high field for each input own-hardware-ranges takes as a range."""
    fields = []
    for name, (words, _) in RANGED_OWN_HARDWARE.items():
        step, low, high = RANGED_FIELDS[name]
        for end in RANGE_ENDS:
            model_input = f"{name}_{end}"
            fields.append(field(RANGES, model_input, f"{words}, {end}", minimum=low, maximum=high, step=step,
                                feeds=percent_of(model_input) if name == "utilisation" else None))
    return tuple(fields)


UNCERTAINTY = Widget(
    name="uncertainty",
    title="Uncertainty: own hardware's cost per 1M tokens as a range, and what drives it",
    inputs=_ranged_fields(),
    outputs=(
        OutputSpec("low_usd", "Best case", "$ per 1M tokens", "usd"),
        OutputSpec("base_usd", "Base case", "$ per 1M tokens", "usd"),
        OutputSpec("high_usd", "Worst case", "$ per 1M tokens", "usd"),
        OutputSpec("moves_most", "Moves it most", "", "text"),
    ),
    model=RANGES,
    figure=tornado,
    note="Two GPUs at 450 W with a 150 W host, written off over 60 months, as in seed 001's own build.",
)


# ---- images and audio ---------------------------------------------------------------------------------

MODALITY_OUTPUTS = (
    OutputSpec("api_cost_per_unit_usd", "API", "$ per {unit}", "usd"),
    OutputSpec("local_cost_per_unit_usd", "Own or rented GPU", "$ per {unit}", "usd"),
    OutputSpec("break_even_units_per_month", "GPU is cheaper above", "{unit}s/month", "int"),
    OutputSpec("capacity_units_per_month", "GPU capacity", "{unit}s/month", "int"),
)


def _modality_outputs(unit: str) -> tuple[OutputSpec, ...]:
    return tuple(OutputSpec(o.name, o.label, o.unit.format(unit=unit), o.format) for o in MODALITY_OUTPUTS)




IMAGE_COST = Widget(
    name="image-cost",
    title="Images: API price per image against a GPU's images per second",
    inputs=(
        field("image", "api_price_per_image_usd", "API price", default=0.04, minimum=0, maximum=100, step=0.001),
        field("image", "gpu_hourly_usd", "GPU", default=0.69, minimum=0, maximum=1000, step=0.01),
        field("image", "images_per_second", "Images per second", default=0.5, minimum=0, maximum=1000, step=0.05),
        utilisation("image", Override(50)),  # a GPU busy half the time: the model's full use flatters it
    ),
    outputs=_modality_outputs("image"),
    model="image",
)

AUDIO_COST = Widget(
    name="audio-cost",
    title="Voice: API price per minute against a local model's real-time factor",
    inputs=(
        field("audio", "api_price_usd", "API price", default=0.015, minimum=0, maximum=100, step=0.001),
        field("audio", "api_price_unit", "API bills per", default="per_minute",
              choices=(("per_minute", "minute of audio"), ("per_character", "character"))),
        field("audio", "gpu_hourly_usd", "GPU", default=0.69, minimum=0, maximum=1000, step=0.01),
        field("audio", "real_time_factor", "Real-time factor", default=0.1, minimum=0, maximum=100, step=0.01),
        utilisation("audio", Override(50)),
    ),
    outputs=_modality_outputs("audio minute"),
    model="audio",
)


# ---- decision: which option for a workload ------------------------------------------------------------


def _decision(values: Mapping[str, Any], data: Catalogue) -> Mapping[str, Any]:
    """Give back the decision model's outputs, with words where an option has no cost or no rival, and the
    engine's own Decision for the figure (its cost curves and levers)."""
    inputs, found = decision_for(values, data)
    out = decision_outputs(inputs, found)
    for key in DECISION_NAMES:
        if out[f"{key}_monthly_usd"] is None:
            out[f"{key}_monthly_usd"] = "ruled out" if "may not" in out[f"{key}_setup"] else "cannot serve it"
    if found.runner_up is None:
        out["margin_usd"] = out["margin_share"] = "no other option"
    return out | {"_decision": found}


DECISION = Widget(
    name="decision",
    title="Which option for my workload: cloud API, rented GPUs or own hardware",
    inputs=(
        field("decision", "tokens_per_day", "Volume", minimum=0, step=1_000_000),
        field("decision", "peak_to_average", "Peak over average", minimum=1, maximum=100, step=0.1),
        field("decision", "prompt_tokens", "Prompt", minimum=0, step=100),
        field("decision", "output_tokens", "Answer", minimum=1, step=10),
        field("decision", "max_time_per_output_token_ms", "Latency target", minimum=1, step=5),
        field("decision", "data_rule", "The data may go",
              choices=(("anywhere", "Anywhere, an API included"), ("no-api", "Not to a model provider"),
                       ("on-premises", "Only our own building"))),
        field("decision", "team_engineers", "Team running self-hosted GPUs", minimum=0, step=0.25),
        field("decision", "api_model", "API", choices_from="api_prices"),
        field("decision", "model", "Open model to self-host", choices_from="model_shapes"),
        field("decision", "quant", "Its weights", choices_from="quant_formats"),
        field("decision", "kv_quant", "Its KV cache", choices=(("bf16", "BF16"), ("fp8", "FP8"))),
        field("decision", "stack", "Serving stack", choices_from="serving_stacks"),
        field("decision", "rental_offer", "Rented GPU", choices_from="rental_offers"),
        field("decision", "own_gpu", "Bought GPU", choices_from="gpus"),
        field("decision", "purchase_price", "Purchase price",
              choices=(("low", "Low end"), ("mid", "Middle"), ("high", "High end"))),
        field("decision", "amortisation_months", "Written off over", minimum=1),
        field("decision", "other_hardware_percent", "Rest of the server", feeds=percent_of("other_hardware_share"),
              minimum=0, maximum=500, step=5),
        field("decision", "power_price", "Electricity", choices_from="power_prices"),
        field("decision", "pue", "PUE", minimum=1, maximum=3, step=0.05),
    ),
    outputs=(
        OutputSpec("cheapest", "Cheapest", "", "text"),
        OutputSpec("margin_usd", "Cheaper than the next by", "$/month (730 h)", "usd"),
        OutputSpec("margin_share", "That is", "% of the next option's cost", "percent"),
        OutputSpec("api_monthly_usd", "Cloud API", "$/month", "usd"),
        OutputSpec("rented_monthly_usd", "Rented GPUs", "$/month", "usd"),
        OutputSpec("owned_monthly_usd", "Own hardware", "$/month", "usd"),
        OutputSpec("changes_above_tokens_per_day", "The answer changes above", "tokens/day", "compact"),
        OutputSpec("changes_below_tokens_per_day", "The answer changes below", "tokens/day", "compact"),
        OutputSpec("api_vs_rented_tokens_per_day", "API and rented GPUs cross at", "tokens/day", "compact"),
        OutputSpec("api_vs_owned_tokens_per_day", "API and own hardware cross at", "tokens/day", "compact"),
        OutputSpec("rented_vs_owned_tokens_per_day", "Rented and own hardware cross at", "tokens/day", "compact"),
    ),
    model="decision",
    compute=_decision,
    figure=decision_figure,
    note="Self-hosted GPUs are sized by the throughput model for the peak and paid for all month; "
         "power is counted at board watts around the clock.",
)


#: Every calculator by the name a page's block gives it; each names the model it runs.
WIDGETS: Registry[Widget] = Registry("widget", (
    RENTAL_COST, API_COST, OWN_HARDWARE_COST, RENTAL_MONTH, BREAK_EVEN, UTILISATION_CURVE, VRAM_FIT,
    THROUGHPUT, CASCADE_SAVINGS, CACHE_SAVINGS, UNCERTAINTY, IMAGE_COST, AUDIO_COST, DECISION,
))
