"""The model registry: every engine model as a flat calculation with named, typed, unit-bearing inputs.

The command line, the scenario runner and the Pyodide parity test all go through ``calculate``, so a
figure printed by ``python -m atlas_mkdocs.engine`` is the figure a page shows. Inputs are plain values
(numbers, whole numbers, choices, flags, names); a number given as a ``Range`` (low, base, high) turns
the run into an uncertainty run (``calculate_ranges``). Each model's signature is declared once, with
``param`` beside its function (atlas_mkdocs.engine.inputs); calculate reads values against it
(atlas_mkdocs.engine.reading), and the calculators in atlas_mkdocs.engine.widget_library feed it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.api import ApiPrice, ApiRequest, LongContextTier, api_monthly_cost, api_price_from_row
from atlas_mkdocs.engine.capacity import CapacityInputs, capacity
from atlas_mkdocs.engine.compare import CostOption, break_even, payback_months, three_options
from atlas_mkdocs.engine.decision import API as DECISION_API, DATA_RULES, OWNED as DECISION_OWNED, \
    RENTED as DECISION_RENTED, Decision, DecisionInputs, OptionResult, Owned, Serving, Workload, decide
from atlas_mkdocs.engine.errors import (
    EngineError,
    InputError,
    MissingInputError,
    UnknownSpecError,
    require_non_negative,
    require_positive,
)
from atlas_mkdocs.engine.levers import CACHE_KINDS, CacheInputs, CascadeInputs, cache_savings, cascade_savings
from atlas_mkdocs.engine.modalities import AUDIO_PRICE_UNITS, AudioInputs, ImageInputs, audio_cost, image_cost
from atlas_mkdocs.engine.own_hardware import (
    OwnHardwareInputs,
    PowerInputs,
    cost_per_million_tokens,
    own_hardware_monthly_cost,
)
from atlas_mkdocs.engine.rental import (
    BILLING_MODES,
    RentalBillingInputs,
    RentalCostInputs,
    rental_cost_per_million_tokens,
    rental_monthly_cost,
    required_tokens_per_second,
)
from atlas_mkdocs.engine.calibration import NODE_LINK, compare, hit_rate
from atlas_mkdocs.engine.staff import API_STAFF_PER_MONTH_USD, OWNED_STAFF_PER_MONTH_USD, RENTAL_STAFF_PER_MONTH_USD
from atlas_mkdocs.engine.staff import API_STAFF_SHARE, ENGINEER_COST_PER_MONTH_USD, OWNED_STAFF_SHARE
from atlas_mkdocs.engine.sizing import SizingInputs, gpu_fits, vram_required
from atlas_mkdocs.engine.specs import GpuSpec, Interconnect, ModelShape, QuantFormat
from atlas_mkdocs.engine.throughput import GPUS_PER_NODE, PARALLEL_MODES, ThroughputInputs, estimate_throughput
from atlas_mkdocs.engine.inputs import DAYS_PER_MONTH, Input, find_input, param
from atlas_mkdocs.engine.reading import resolve
from atlas_mkdocs.engine.registry import Registry
from atlas_mkdocs.engine.uncertainty import Range, UncertaintyResult, propagate
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, days_per_month


@dataclass(frozen=True)
class Calculation:
    """One model as the command line and scenarios see it: inputs, output units, and the run."""

    name: str
    summary: str
    params: tuple[Input, ...]
    outputs: Mapping[str, str]
    #: Computes the outputs from resolved inputs and the catalogue of data/ (which most models never read).
    run: Callable[[Mapping[str, object], Catalogue], dict[str, object]]

    def param(self, name: str) -> Input:
        """Give back the input called ``name``, or raise UnknownSpecError naming the known inputs."""
        return find_input(self.params, name, f"model {self.name!r}")


UTILISATION = param("utilisation", "share", 1.0, help="Share of paid hours spent generating tokens.")
HOURS = param("hours_per_month", "hours", HOURS_PER_MONTH,
              help="Month length: 730 (365 days x 24 / 12) by default, 720 for the seeds' 30-day months.")


def _opt(values: Mapping[str, object], name: str) -> object:
    return values.get(name)


# ---- API --------------------------------------------------------------------------------------------

API_PRICE_FIELDS = ("input_per_million_usd", "output_per_million_usd", "cached_input_per_million_usd",
                    "cache_write_5m_per_million_usd", "cache_write_1h_per_million_usd")
LONG_CONTEXT_FIELDS = ("input_per_million_usd", "output_per_million_usd", "cached_input_per_million_usd",
                       "cache_write_5m_per_million_usd", "cache_write_1h_per_million_usd")


def _provider_batch_discount(data: Catalogue, provider: object) -> float | None:
    for row in data.rows("api_batch_discounts"):
        if row.get("provider") == provider:
            return row["batch_discount"]
    return None


def _api_price(v: Mapping[str, object], data: Catalogue) -> ApiPrice:
    """Give back the price list: a row of data/api_prices.yaml named by ``model``, with any price given
    as an input taking the row's place, or the inputs alone."""
    base = None
    if v["model"] is not None:
        row = data.row("api_prices", v["model"])
        base = api_price_from_row(row, _provider_batch_discount(data, row.get("provider")))
    given = {name: v[name] for name in API_PRICE_FIELDS if v[name] is not None}
    if base is None:
        for name in ("input_per_million_usd", "output_per_million_usd"):
            if name not in given:
                raise MissingInputError(name, "$ per 1M tokens", "model 'api' without --model KEY")
    tier = base.long_context if base is not None else None
    if v["long_context_above_tokens"] is not None:
        for name in ("long_context_input_per_million_usd", "long_context_output_per_million_usd"):
            if v[name] is None:
                raise UnknownSpecError("long-context price", name,
                                       hint="A long-context tier needs its own input and output prices.")
        tier = LongContextTier(v["long_context_above_tokens"],
                               *(v[f"long_context_{name}"] for name in LONG_CONTEXT_FIELDS))
    discount = v["batch_discount"] if v["batch_discount"] is not None else (
        base.batch_discount if base is not None else None)
    prices = {name: getattr(base, name) for name in API_PRICE_FIELDS} if base is not None else {}
    prices.update(given)
    return ApiPrice(prices["input_per_million_usd"], prices["output_per_million_usd"],
                    prices.get("cached_input_per_million_usd"), discount, tier,
                    prices.get("cache_write_5m_per_million_usd"), prices.get("cache_write_1h_per_million_usd"),
                    base.model if base is not None else "")


def _api(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    price = _api_price(v, data)
    request = ApiRequest(v["input_tokens"], v["output_tokens"], v["cached_input_tokens"], v["batch"],
                         v["cache_write_5m_tokens"], v["cache_write_1h_tokens"], v["reasoning_tokens"])
    month = api_monthly_cost(price, request, v["requests_per_month"], v["hours_per_month"],
                             v["staff_per_month_usd"])
    return {
        "cost_per_request_usd": month.request.cost_per_request_usd,
        "cost_per_million_tokens_usd": month.request.cost_per_million_tokens_usd,
        "monthly_cost_usd": month.monthly_cost_usd,
        "cost_over_months_usd": month.monthly_cost_usd * require_non_negative("months", v["months"]),
        "tokens_per_month": month.tokens_per_month,
        "tokens_per_day": month.tokens_per_day,
        "long_context_tier_applied": month.request.long_context_tier_applied,
        "cache_write_cost_per_request_usd": month.request.cache_write_cost_usd,
        "reasoning_cost_per_request_usd": month.request.reasoning_cost_usd,
        "staff_per_month_usd": month.staff_per_month_usd,
        "total_per_month_usd": month.total_per_month_usd,
    }


API = Calculation(
    "api", "API: cost per request, per 1M tokens and per month (cached tokens counted inside the prompt)",
    (
        param("model", "key", None, "text",
              help="A row of data/api_prices.yaml (e.g. openai/gpt-5.5): its prices, batch discount and "
              "long-context tier; a price given as an input replaces the row's."),
        param("input_per_million_usd", "$ per 1M input tokens", None, help="Required unless model is given."),
        param("output_per_million_usd", "$ per 1M output tokens", None, help="Required unless model is given."),
        param("input_tokens", "tokens per request", help="The whole prompt, cached and cache-written parts included."),
        param("output_tokens", "tokens per request", help="The visible answer."),
        param("reasoning_tokens", "tokens per request", 0,
              help="Hidden thinking tokens before the answer, billed at the output price."),
        param("cached_input_tokens", "tokens per request", 0, help="The part of the prompt read from cache."),
        param("cached_input_per_million_usd", "$ per 1M cached input tokens", None),
        param("cache_write_5m_tokens", "tokens per request", 0,
              help="The part of the prompt written to a 5-minute cache (Anthropic)."),
        param("cache_write_5m_per_million_usd", "$ per 1M tokens written", None),
        param("cache_write_1h_tokens", "tokens per request", 0,
              help="The part of the prompt written to a 1-hour cache (Anthropic)."),
        param("cache_write_1h_per_million_usd", "$ per 1M tokens written", None),
        param("batch", "true/false", False, "flag", help="Send through the batch API."),
        param("batch_discount", "share", None,
              help="Share off with batch, e.g. 0.5; from data/ with model. Batch without one is an error."),
        param("long_context_above_tokens", "tokens", None, "whole",
              help="Prompt size above which the whole request is billed at the long-context prices."),
        param("long_context_input_per_million_usd", "$ per 1M input tokens", None),
        param("long_context_output_per_million_usd", "$ per 1M output tokens", None),
        param("long_context_cached_input_per_million_usd", "$ per 1M cached input tokens", None),
        param("long_context_cache_write_5m_per_million_usd", "$ per 1M tokens written", None),
        param("long_context_cache_write_1h_per_million_usd", "$ per 1M tokens written", None),
        param("requests_per_month", "requests/month", 0),
        param("staff_per_month_usd", "$/month", API_STAFF_PER_MONTH_USD,
              help="Engineering time for the integration: 0.1 engineer by default (atlas_mkdocs.engine.staff); "
              "0 leaves it out."),
        param("months", "months", 1, help="Period for cost_over_months_usd, e.g. 24 for two years."),
        HOURS,
    ),
    {"cost_per_request_usd": "$ per request", "cost_per_million_tokens_usd": "$ per 1M tokens",
     "monthly_cost_usd": "$/month", "cost_over_months_usd": "$", "tokens_per_month": "tokens/month", "tokens_per_day": "tokens/day",
     "long_context_tier_applied": "", "cache_write_cost_per_request_usd": "$ per request",
     "reasoning_cost_per_request_usd": "$ per request", "staff_per_month_usd": "$/month",
     "total_per_month_usd": "$/month"},
    _api,
)


def _api_shares(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    return calculate("api", {
        "input_per_million_usd": v["input_per_million_usd"],
        "output_per_million_usd": v["output_per_million_usd"],
        "input_tokens": v["input_tokens"],
        "output_tokens": v["output_tokens"],
        "cached_input_tokens": v["input_tokens"] * v["cached_share"],
        "cached_input_per_million_usd": v["cached_input_per_million_usd"],
        "batch": v["batch_discount"] > 0,
        "batch_discount": v["batch_discount"],
        "reasoning_tokens": v["reasoning_tokens"],
        "requests_per_month": v["requests_per_month"],
        "staff_per_month_usd": v["staff_per_month_usd"],
    }, data)


API_SHARES = Calculation(
    "api-shares", "API by shares: the api model with the cached part of the prompt as a share and batch as a "
    "discount (0: real-time calls)",
    (
        param("input_per_million_usd", "$ per 1M tokens",
              help="The provider's list price for prompt tokens (GPT-4o: $2.50)."),
        param("output_per_million_usd", "$ per 1M tokens", help="The list price for generated tokens (GPT-4o: $10)."),
        param("input_tokens", "tokens per request"),
        param("output_tokens", "tokens per request"),
        param("reasoning_tokens", "tokens per request", 0,
              help="Hidden thinking tokens a reasoning model spends before the answer, billed as output."),
        param("cached_share", "share", 0.0, help="Counted inside the prompt, billed at the cached price."),
        param("cached_input_per_million_usd", "$ per 1M tokens", None),
        param("batch_discount", "share", 0.0, help="Share off for the batch API (often 50%); 0 for real-time calls."),
        param("requests_per_month", "requests/month", 0),
        param("staff_per_month_usd", "$/month", API_STAFF_PER_MONTH_USD,
              help="Time to own the integration: a tenth of an engineer by default; 0 leaves it out."),
    ),
    API.outputs,
    _api_shares,
)


# ---- Rented GPU ---------------------------------------------------------------------------------------

def _rental_rate(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    result = rental_cost_per_million_tokens(
        RentalCostInputs(v["hourly_price_usd"], v["tokens_per_second"], v["utilisation"]))
    out: dict[str, object] = {
        "cost_per_million_tokens_usd": result.cost_per_million_tokens,
        "cost_per_million_tokens_at_full_use_usd": result.cost_per_million_tokens_at_full_use,
        "tokens_per_hour_at_full_use": result.tokens_per_hour_at_full_use,
    }
    if v["tokens_per_request"] is not None:
        require_positive("tokens_per_request", v["tokens_per_request"])
        out["cost_per_request_usd"] = result.cost_per_million_tokens * v["tokens_per_request"] / 1e6
        out["seconds_per_request"] = v["tokens_per_request"] / v["tokens_per_second"]
    return out


RENTAL_RATE = Calculation(
    "rental-rate", "Rented GPU: $ per 1M tokens (and per request) at a utilisation",
    (
        param("hourly_price_usd", "$/hour", help="What the provider bills per hour for the GPU or node."),
        param("tokens_per_second", "tokens/s", help="Tokens the whole node generates per second while busy."),
        UTILISATION,
        param("tokens_per_request", "tokens", None),
    ),
    {"cost_per_million_tokens_usd": "$ per 1M tokens", "cost_per_million_tokens_at_full_use_usd":
     "$ per 1M tokens", "tokens_per_hour_at_full_use": "tokens/hour", "cost_per_request_usd": "$ per request",
     "seconds_per_request": "s"},
    _rental_rate,
)


def _required_throughput(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    return {"tokens_per_second": required_tokens_per_second(
        v["hourly_price_usd"], v["cost_per_million_tokens_usd"], v["utilisation"])}


REQUIRED_THROUGHPUT = Calculation(
    "required-throughput", "Rented GPU: the tokens/s needed to reach a target $ per 1M tokens",
    (
        param("hourly_price_usd", "$/hour"),
        param("cost_per_million_tokens_usd", "$ per 1M tokens"),
        param("utilisation", "share", 1.0),
    ),
    {"tokens_per_second": "tokens/s"},
    _required_throughput,
)


def _utilisation_break_even(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    rate = calculate("rental-rate", {name: v[name] for name in ("hourly_price_usd", "tokens_per_second",
                                                                 "utilisation")}, data)
    full_use = rate["cost_per_million_tokens_at_full_use_usd"]
    api = require_non_negative("api_per_million_usd", v["api_per_million_usd"])
    return {
        "cost_per_million_tokens_usd": rate["cost_per_million_tokens_usd"],
        "cost_per_million_tokens_at_full_use_usd": full_use,
        "break_even_utilisation": full_use / api if api > 0 else None,
    }


UTILISATION_BREAK_EVEN = Calculation(
    "utilisation-break-even", "Rented GPU against an API: $ per 1M tokens at a utilisation, and the utilisation "
    "at which the two cost the same",
    RENTAL_RATE.params[:3] + (param("api_per_million_usd", "$ per 1M tokens"),),
    {"cost_per_million_tokens_usd": "$ per 1M tokens", "cost_per_million_tokens_at_full_use_usd": "$ per 1M tokens",
     "break_even_utilisation": "share"},
    _utilisation_break_even,
)


def _rental_month(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    result = rental_monthly_cost(RentalBillingInputs(
        v["hourly_price_per_gpu_usd"], v["tokens_per_second"], v["tokens_per_month"], v["gpus"],
        v["billing"], v["active_hours_per_day"], v["cold_start_overhead"], v["hours_per_month"],
        v["staff_per_month_usd"]))
    return {
        "monthly_cost_usd": result.monthly_cost_usd,
        "billed_hours_per_month": result.billed_hours_per_month,
        "busy_hours_per_month": result.busy_hours_per_month,
        "cost_per_million_tokens_usd": result.cost_per_million_tokens_usd,
        "utilisation": result.utilisation,
        "staff_per_month_usd": result.staff_per_month_usd,
        "total_per_month_usd": result.total_per_month_usd,
        "total_cost_per_million_tokens_usd": result.total_cost_per_million_tokens_usd,
    }


RENTAL_MONTH = Calculation(
    "rental-month", "Rented GPU: $/month by the second (scale to zero), in a daily window, or always on",
    (
        param("hourly_price_per_gpu_usd", "$/hour", help="An H100 on demand was $2 to $4 an hour in 2026."),
        param("tokens_per_second", "tokens/s", help="Throughput of all rented GPUs together."),
        param("tokens_per_month", "tokens/month"),
        param("gpus", "cards", 1, "whole"),
        param("billing", "mode", "always_on", "choice", BILLING_MODES),
        param("active_hours_per_day", "hours/day", 24.0, help="For billing by hours a day (active_window)."),
        param("cold_start_overhead", "share", 0.0,
              help="Extra billed time per busy time, for billing by the second (per_second)."),
        param("staff_per_month_usd", "$/month", RENTAL_STAFF_PER_MONTH_USD,
              help="People to run the serving stack: a quarter of an engineer by default "
              "(atlas_mkdocs.engine.staff); 0 leaves them out."),
        HOURS,
    ),
    {"monthly_cost_usd": "$/month", "billed_hours_per_month": "hours/month",
     "busy_hours_per_month": "hours/month", "cost_per_million_tokens_usd": "$ per 1M tokens",
     "utilisation": "share", "staff_per_month_usd": "$/month", "total_per_month_usd": "$/month",
     "total_cost_per_million_tokens_usd": "$ per 1M tokens"},
    _rental_month,
)


# ---- Own hardware -------------------------------------------------------------------------------------

POWER_FIELDS = ("gpu_watts", "host_watts", "price_per_kwh_usd")
PUE = param("pue", "ratio", 1.0,
            help="Power usage effectiveness, cooling and losses: 1.0 at a desk, 1.1 to 1.6 in a data centre.")


def _own_hardware(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    power = None
    if any(v[name] is not None for name in POWER_FIELDS):
        for name in POWER_FIELDS:
            if v[name] is None:
                raise UnknownSpecError("power input", name,
                                       hint="Give gpu_watts, host_watts and price_per_kwh_usd together.")
        power = PowerInputs(v["gpu_watts"], v["host_watts"], v["price_per_kwh_usd"], v["gpus"],
                            v["power_hours_per_day"], v["pue"])
    inputs = OwnHardwareInputs(v["purchase_price_usd"], v["amortisation_months"], v["residual_value_usd"],
                               power, v["power_cost_per_month_usd"], v["maintenance_per_month_usd"],
                               v["operations_staff_per_month_usd"], v["hours_per_month"])
    month = own_hardware_monthly_cost(inputs)
    out: dict[str, object] = {
        "total_per_month_usd": month.total_per_month_usd,
        "amortisation_per_month_usd": month.amortisation_per_month_usd,
        "power_per_month_usd": month.power_per_month_usd,
        "energy_kwh_per_month": month.energy_kwh_per_month,
        "running_cost_per_month_usd": month.running_cost_per_month_usd,
        "operations_staff_per_month_usd": month.operations_staff_per_month_usd,
        "total_over_amortisation_usd": month.total_per_month_usd * inputs.amortisation_months,
    }
    if v["tokens_per_second"] is not None:
        per_token = cost_per_million_tokens(month.total_per_month_usd, v["tokens_per_second"],
                                            v["utilisation"], v["hours_per_month"])
        out["cost_per_million_tokens_usd"] = per_token.cost_per_million_tokens_usd
        out["tokens_per_month"] = per_token.tokens_per_month
    return out


OWN_HARDWARE = Calculation(
    "own-hardware", "Own hardware: $/month (amortisation, power, maintenance, staff) and $ per 1M tokens",
    (
        param("purchase_price_usd", "$",
              help="GPUs and the machine around them (seed 001: two RTX 4090s for $10,000)."),
        param("amortisation_months", "months"),
        param("residual_value_usd", "$", 0.0, help="What the hardware sells for at the end."),
        param("gpus", "cards", 1, "whole"),
        param("gpu_watts", "W", None, help="Each GPU's power draw at load."),
        param("host_watts", "W", None, help="The machine besides its GPUs: CPUs, memory, disks, fans."),
        param("price_per_kwh_usd", "$/kWh", None),
        param("power_hours_per_day", "hours/day", 24.0),
        PUE,
        param("power_cost_per_month_usd", "$/month", None,
              help="A flat power cost instead of watts and $/kWh (0 to leave power out on purpose)."),
        param("maintenance_per_month_usd", "$/month", 0.0),
        param("operations_staff_per_month_usd", "$/month", OWNED_STAFF_PER_MONTH_USD,
              help="People to run the machines and the serving stack: half an engineer by default "
              "(atlas_mkdocs.engine.staff); 0 leaves them out, as the seeds do."),
        param("tokens_per_second", "tokens/s", None),
        UTILISATION,
        HOURS,
    ),
    {"total_per_month_usd": "$/month", "amortisation_per_month_usd": "$/month",
     "power_per_month_usd": "$/month", "energy_kwh_per_month": "kWh/month",
     "running_cost_per_month_usd": "$/month", "operations_staff_per_month_usd": "$/month",
     "total_over_amortisation_usd": "$",
     "cost_per_million_tokens_usd": "$ per 1M tokens", "tokens_per_month": "tokens/month"},
    _own_hardware,
)


#: The inputs of own-hardware that own-hardware-ranges takes as low, base and high: each one's words, as
#: a reader's answer names it, and its three values for seed 001's own build.
RANGED_OWN_HARDWARE = {
    "purchase_price_usd": ("Purchase price", (8000.0, 10000.0, 14000.0)),
    "tokens_per_second": ("Throughput", (30.0, 50.0, 80.0)),
    "utilisation": ("Utilisation", (0.20, 0.50, 0.90)),
    "price_per_kwh_usd": ("Electricity", (0.10, 0.17, 0.35)),
}
RANGE_ENDS = ("low", "base", "high")
#: Seed 001's own build: two GPUs at 450 W with a 150 W host, written off over 60 months, no staff.
SEED_001_BUILD = {"amortisation_months": 60.0, "gpus": 2, "gpu_watts": 450.0, "host_watts": 150.0,
                  "operations_staff_per_month_usd": 0.0}


def _own_hardware_ranges(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    values = {spec.name: v[spec.name] for spec in OWN_HARDWARE.params if spec.name not in RANGED_OWN_HARDWARE}
    for name, (words, _) in RANGED_OWN_HARDWARE.items():
        low, base, high = (v[f"{name}_{end}"] for end in RANGE_ENDS)
        if not low <= base <= high:
            raise InputError(f"{name}_base", base, f"between the low and high {words.lower()}",
                             "Order the three values as low, base, high.")
        values[name] = Range(low, base, high)
    result = calculate_ranges("own-hardware", values, "cost_per_million_tokens_usd", data)
    spread = {row.name: row for row in result.outputs}["cost_per_million_tokens_usd"]
    sensitivity = [{"input": RANGED_OWN_HARDWARE[row.input][0], "at_low_usd": row.output_at_low,
                    "at_high_usd": row.output_at_high} for row in result.sensitivity]
    return {"low_usd": spread.low, "base_usd": spread.base, "high_usd": spread.high,
            "moves_most": sensitivity[0]["input"], "sensitivity": sensitivity}


OWN_HARDWARE_RANGES = Calculation(
    "own-hardware-ranges", "Own hardware's $ per 1M tokens as a range: purchase price, throughput, utilisation "
    "and electricity each as low, base and high (seed 001's build by default), and what moves it most",
    tuple(replace(OWN_HARDWARE.param(name), name=f"{name}_{end}", label=f"{name}_{end}", default=value, help="")
          for name, (_, ends) in RANGED_OWN_HARDWARE.items() for end, value in zip(RANGE_ENDS, ends))
    + tuple(replace(spec, default=SEED_001_BUILD.get(spec.name, spec.default)) for spec in OWN_HARDWARE.params
            if spec.name not in RANGED_OWN_HARDWARE),
    {"low_usd": "$ per 1M tokens", "base_usd": "$ per 1M tokens", "high_usd": "$ per 1M tokens", "moves_most": "",
     "sensitivity": "$ per 1M tokens with each ranged input at its low and its high end, largest swing first"},
    _own_hardware_ranges,
)


# ---- Utilisation and capacity -------------------------------------------------------------------------

def _capacity(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    result = capacity(CapacityInputs(v["tokens_per_second"], v["tokens_per_month"], v["monthly_cost_usd"],
                                     v["max_utilisation"], v["hours_per_month"]))
    return {
        "utilisation": result.utilisation,
        "can_serve": result.can_serve,
        "machines_needed": result.machines_needed,
        "capacity_tokens_per_day": result.capacity_tokens_per_day,
        "capacity_tokens_per_month": result.capacity_tokens_per_month,
        "monthly_cost_usd": result.monthly_cost_usd,
        "cost_per_million_tokens_usd": result.cost_per_million_tokens_usd,
    }


CAPACITY = Calculation(
    "capacity", "Utilisation and capacity: can one machine serve the volume, and at what $ per 1M tokens",
    (
        param("tokens_per_second", "tokens/s"),
        param("tokens_per_month", "tokens/month"),
        param("monthly_cost_usd", "$/month per machine"),
        param("max_utilisation", "share", 1.0),
        HOURS,
    ),
    {"utilisation": "share", "can_serve": "", "machines_needed": "machines",
     "capacity_tokens_per_day": "tokens/day", "capacity_tokens_per_month": "tokens/month",
     "monthly_cost_usd": "$/month", "cost_per_million_tokens_usd": "$ per 1M tokens"},
    _capacity,
)


# ---- Comparison ---------------------------------------------------------------------------------------

def _option(v: Mapping[str, object], prefix: str) -> CostOption:
    return CostOption(v[f"{prefix}_name"], v[f"{prefix}_fixed_per_month_usd"],
                      v[f"{prefix}_variable_per_million_usd"], v[f"{prefix}_upfront_usd"],
                      v[f"{prefix}_amortisation_months"], v[f"{prefix}_capacity_tokens_per_month"],
                      v[f"{prefix}_staff_per_month_usd"])


def _option_params(prefix: str, name: str) -> tuple[Input, ...]:
    return (
        param(f"{prefix}_name", "name", name, "text"),
        param(f"{prefix}_fixed_per_month_usd", "$/month", 0.0, help="Running cost per unit, without the purchase."),
        param(f"{prefix}_variable_per_million_usd", "$ per 1M tokens", 0.0),
        param(f"{prefix}_upfront_usd", "$", 0.0, help="Purchase price per unit."),
        param(f"{prefix}_amortisation_months", "months", None),
        param(f"{prefix}_capacity_tokens_per_month", "tokens/month per unit", None),
        param(f"{prefix}_staff_per_month_usd", "$/month", 0.0,
              help="People this option needs, once however many units (atlas_mkdocs.engine.staff has defaults "
              "per kind of option)."),
    )


def _break_even(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    a, b = _option(v, "a"), _option(v, "b")
    found = break_even(a, b, v["tokens_per_request"], v["hours_per_month"], v["max_tokens_per_month"])
    first = found.first
    out: dict[str, object] = {
        "break_even_tokens_per_day": first.tokens_per_day if first else None,
        "break_even_tokens_per_month": first.tokens_per_month if first else None,
        "break_even_requests_per_month": first.requests_per_month if first else None,
        "break_even_monthly_cost_usd": first.monthly_cost_usd if first else None,
        "cheaper_above": first.cheaper_above if first else None,
        "crossings": len(found.crossings),
    }
    if v["payback_at_tokens_per_day"] is not None:
        require_non_negative("payback_at_tokens_per_day", v["payback_at_tokens_per_day"])
        volume = v["payback_at_tokens_per_day"] * days_per_month(v["hours_per_month"])
        payback = payback_months(a, b, volume)
        out["payback_months"] = payback.months
        out["monthly_saving_usd"] = payback.monthly_saving_usd
    return out


BREAK_EVEN = Calculation(
    "break-even", "Comparison: break-even volume between options a and b, and a's payback months",
    _option_params("a", "a") + _option_params("b", "b") + (
        param("tokens_per_request", "tokens", None),
        param("max_tokens_per_month", "tokens/month", None, help="Search limit for options with a capacity."),
        param("payback_at_tokens_per_day", "tokens/day", None),
        HOURS,
    ),
    {"break_even_tokens_per_day": "tokens/day", "break_even_tokens_per_month": "tokens/month",
     "break_even_requests_per_month": "requests/month", "break_even_monthly_cost_usd": "$/month",
     "cheaper_above": "", "crossings": "", "payback_months": "months", "monthly_saving_usd": "$/month"},
    _break_even,
)


def _three_way(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    api, rented, owned = three_options(v)
    volume = v["tokens_per_day"] * DAYS_PER_MONTH

    def first(a: CostOption, b: CostOption) -> float | None:
        found = break_even(a, b, max_tokens_per_month=max(volume, 1.0) * 100)
        return found.first.tokens_per_day if found.first else None

    costs = {option.name: option.monthly_cost(volume) for option in (api, rented, owned)}
    return {
        "api_monthly_usd": costs[api.name],
        "rented_monthly_usd": costs[rented.name],
        "own_monthly_usd": costs[owned.name],
        "cheapest": min(costs, key=costs.get),
        "api_vs_rented_tokens_per_day": first(api, rented),
        "api_vs_own_tokens_per_day": first(api, owned),
    }


THREE_WAY = Calculation(
    "three-way", "Comparison: a cloud API, a rented GPU and own hardware at a daily volume (730-hour month): "
    "each one's monthly cost, the cheapest, and the volumes where the API stops being cheaper",
    (
        param("tokens_per_day", "tokens/day"),
        param("api_per_million_usd", "$ per 1M tokens",
              help="Input and output price mixed by your traffic (GPT-4o at 75/25: $4.375)."),
        param("rental_hourly_usd", "$/hour"),
        param("rental_tokens_per_second", "tokens/s"),
        param("own_purchase_usd", "$"),
        param("own_amortisation_months", "months"),
        param("own_running_per_month_usd", "$/month", help="Electricity and maintenance per machine."),
        param("own_tokens_per_second", "tokens/s"),
        param("api_staff_per_month_usd", "$/month", API_STAFF_PER_MONTH_USD, help="A tenth of an engineer by default."),
        param("rental_staff_per_month_usd", "$/month", RENTAL_STAFF_PER_MONTH_USD,
              help="A quarter of an engineer by default."),
        param("own_staff_per_month_usd", "$/month", OWNED_STAFF_PER_MONTH_USD, help="Half an engineer by default."),
    ),
    {"api_monthly_usd": "$/month", "rented_monthly_usd": "$/month", "own_monthly_usd": "$/month", "cheapest": "",
     "api_vs_rented_tokens_per_day": "tokens/day", "api_vs_own_tokens_per_day": "tokens/day"},
    _three_way,
)


# ---- Sizing and throughput ----------------------------------------------------------------------------
# A model and a GPU are named by their keys in data/ (model_shapes.yaml, gpus.yaml), or, for one that is not
# there, given by their numbers. Formats, links and serving stacks always come from data/.

SHAPE_PARAMS = (
    param("params_billion", "billion parameters", None, help="With no --model: the model's parameter count."),
    param("layers", "layers", None, "whole"),
    param("kv_heads", "KV heads", None, "whole"),
    param("head_dim", "per head", None, "whole"),
)
MODEL = param("model", "key", None, "text",
              help="A row of data/model_shapes.yaml, e.g. llama-3.1-8b or mixtral-8x7b; none: give its shape's "
              "numbers.")
QUANT = param("quant", "format", None, "text",
              help="Weight format from data/quant_formats.yaml, e.g. bf16, fp8, awq-int4, q4_k_m, nvfp4; none: bf16.")
KV_QUANT = param("kv_quant", "format", None, "text", help="KV-cache format, e.g. bf16 or fp8 (default bf16).")
WEIGHT_BITS = param("weight_bits", "bits", None, "choice", (16, 8, 4),
                    help="Older form of --quant: 16 is bf16, 8 is fp8, 4 is awq-int4 (4.16 bits, not 4).")
KV_BITS = param("kv_bits", "bits", None, "choice", (16, 8), help="Older form of --kv_quant: 16 is bf16, 8 is fp8.")
LEGACY_FORMATS = {16: "bf16", 8: "fp8", 4: "awq-int4"}


def _shape(v: Mapping[str, object], data: Catalogue) -> ModelShape:
    if v["model"] is not None:
        given = [p.name for p in SHAPE_PARAMS if v[p.name] is not None]
        if given:
            raise InputError(given[0], v[given[0]], "left out when model is given",
                             f"The shape of {v['model']!r} comes from data/model_shapes.yaml.")
        return data.model_shape(v["model"])
    for param in SHAPE_PARAMS:
        if v[param.name] is None:
            raise MissingInputError(param.name, param.unit, "a model not named by --model")
    return ModelShape("model", v["params_billion"], v["layers"], v["kv_heads"], v["head_dim"],
                      v.get("attention_heads"))


def _format(v: Mapping[str, object], data: Catalogue, name: str, legacy: str, kv: bool) -> QuantFormat:
    if v[name] is not None and v[legacy] is not None:
        raise InputError(legacy, v[legacy], f"left out when {name} is given", f"{name} names the format itself.")
    key = v[name] if v[name] is not None else LEGACY_FORMATS[v[legacy]] if v[legacy] is not None else "bf16"
    return data.kv_format(key) if kv else data.quant_format(key)


def _sizing(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    weights, kv = _format(v, data, "quant", "weight_bits", False), _format(v, data, "kv_quant", "kv_bits", True)
    estimate = vram_required(SizingInputs(_shape(v, data), weights.bits_per_weight, v["context_tokens"],
                                          v["concurrent_sequences"], kv.bits_per_weight, v["overhead_fraction"],
                                          weights.embedding_bits))
    out: dict[str, object] = {
        "weights_gb": estimate.weights_gb,
        "kv_cache_gb": estimate.kv_cache_gb,
        "overhead_gb": estimate.overhead_gb,
        "total_gb": estimate.total_gb,
    }
    if v["gpu"] is not None and v["gpu_vram_gb"] is not None:
        raise InputError("gpu_vram_gb", v["gpu_vram_gb"], "left out when gpu is given")
    vram = data.gpu(v["gpu"]).vram_gb if v["gpu"] is not None else v["gpu_vram_gb"]
    if vram is not None:
        require_positive("gpu_vram_gb", vram, "e.g. 24 for an RTX 4090.")
        fit = gpu_fits(estimate, [GpuSpec("gpu", vram, 1, 1)])[0]
        out["fits_one_gpu"] = fit.fits_one
        out["gpus_needed"] = fit.gpus_needed
    return out


SIZING = Calculation(
    "sizing", "Sizing: GPU memory for weights + KV cache + overhead, and GPUs of a size needed (1, 2, 4, 8 or 16)",
    (MODEL,) + SHAPE_PARAMS + (
        QUANT, KV_QUANT, WEIGHT_BITS, KV_BITS,
        param("context_tokens", "tokens", 8192, "whole"),
        param("concurrent_sequences", "sequences", 1, "whole"),
        param("overhead_fraction", "share", 0.10),
        param("gpu", "key", None, "text", help="A row of data/gpus.yaml, e.g. rtx-4090; or give --gpu_vram_gb."),
        param("gpu_vram_gb", "GB", None),
    ),
    {"weights_gb": "GB", "kv_cache_gb": "GB", "overhead_gb": "GB", "total_gb": "GB", "fits_one_gpu": "",
     "gpus_needed": "GPUs"},
    _sizing,
)

def _gpu_fit(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    weights = data.quant_format(v["quant"])
    estimate = vram_required(SizingInputs(data.model_shape(v["model"]), weights.bits_per_weight,
                                          int(v["context_tokens"]), int(v["concurrent_sequences"]),
                                          16, v["overhead_fraction"], weights.embedding_bits))
    fits = gpu_fits(estimate, [data.gpu(row["id"]) for row in data.rows("gpus")])
    return {
        "weights_gb": estimate.weights_gb,
        "kv_cache_gb": estimate.kv_cache_gb,
        "total_gb": estimate.total_gb,
        "single_gpu_options": sum(1 for fit in fits if fit.fits_one),
        "gpu_fits": [{"gpu": fit.gpu, "vram_gb": fit.vram_gb, "fits_one": fit.fits_one,
                      "gpus_needed": fit.gpus_needed} for fit in fits],
    }


GPU_FIT = Calculation(
    "gpu-fit", "Sizing against every GPU of data/: memory for weights + a BF16 KV cache + overhead, and which GPUs "
    "hold it, alone or split evenly (1, 2, 4, 8 or 16 cards)",
    (
        param("model", "key", kind="text", help="A row of data/model_shapes.yaml, e.g. llama-3-70b."),
        param("quant", "format", kind="text",
              help="A row of data/quant_formats.yaml: real bits per weight, scales included: 4-bit formats carry "
              "4.2 to 4.9."),
        param("context_tokens", "tokens", help="Tokens per sequence, prompt and answer together."),
        param("concurrent_sequences", "sequences"),
        param("overhead_fraction", "share of weights and cache", 0.10),
    ),
    {"weights_gb": "GB", "kv_cache_gb": "GB", "total_gb": "GB", "single_gpu_options": "GPUs",
     "gpu_fits": "GPUs: each one's memory, whether one holds it, cards needed"},
    _gpu_fit,
)

GPU_NUMBERS = ("vram_gb", "memory_bandwidth_gbs", "fp16_dense_tflops")


def _gpu(v: Mapping[str, object], data: Catalogue) -> tuple[GpuSpec, Interconnect | None]:
    if v["gpu"] is not None:
        given = [name for name in GPU_NUMBERS + ("fp8_dense_tflops",) if v[name] is not None]
        if given:
            raise InputError(given[0], v[given[0]], "left out when gpu is given",
                             f"The specs of {v['gpu']!r} come from data/gpus.yaml.")
        link = data.interconnect(v["link"]) if v["link"] is not None else data.gpu_link(v["gpu"])
        return data.gpu(v["gpu"]), link
    for name in GPU_NUMBERS:
        if v[name] is None:
            raise MissingInputError(name, "see --help", "a GPU not named by --gpu")
    spec = GpuSpec("gpu", v["vram_gb"], v["memory_bandwidth_gbs"], v["fp16_dense_tflops"], v["fp8_dense_tflops"])
    if v["gpus"] > 1 and v["link"] is None:
        raise MissingInputError("link", "a key of data/interconnects.yaml, e.g. pcie-4 or nvlink-4",
                                "several GPUs not named by --gpu")
    return spec, data.interconnect(v["link"]) if v["link"] is not None else None


def _batch(v: Mapping[str, object]) -> int | None:
    if v["batch_size"] is not None:
        if v["batch"] != 1:
            raise InputError("batch_size", v["batch_size"], "left out when batch is given", "batch_size is its older name.")
        return v["batch_size"]
    return None if v["batch"] == "max" else v["batch"]


def _throughput(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    gpu, link = _gpu(v, data)
    stack = data.serving_stack(v["stack"])
    overrides = {name: v[name] for name in ("memory_efficiency", "compute_utilisation") if v[name] is not None}
    if overrides:
        stack = replace(stack, **{{"memory_efficiency": "bandwidth_efficiency"}.get(k, k): value
                                  for k, value in overrides.items()})
    gpus = v["gpus"]
    result = estimate_throughput(ThroughputInputs(
        _shape(v, data), gpu, v["prompt_tokens"], v["output_tokens"], stack,
        _format(v, data, "quant", "weight_bits", False), _format(v, data, "kv_quant", "kv_bits", True), gpus, v["parallel"],
        link if gpus > 1 else None, data.interconnect(NODE_LINK) if gpus > GPUS_PER_NODE else None, _batch(v)))
    return {
        "fits": result.fits,
        "memory_needed_gb": result.memory_needed_gb,
        "memory_available_gb": result.memory_available_gb,
        "max_batch": result.max_batch,
        "batch": result.batch,
        "decode_tokens_per_second": result.decode_tokens_per_second,
        "decode_tokens_per_second_per_gpu": result.decode_tokens_per_second_per_gpu,
        "decode_tokens_per_second_per_sequence": result.decode_tokens_per_second_per_sequence,
        "prefill_tokens_per_second": result.prefill_tokens_per_second,
        "prefill_seconds": result.prefill_seconds,
        "output_tokens_per_second": result.output_tokens_per_second,
        "time_to_first_token_s": result.time_to_first_token_s,
        "time_per_output_token_s": result.time_per_output_token_s,
        "seconds_per_request": result.seconds_per_request,
        "requests_per_second": result.requests_per_second,
        "weights_gb": result.weights_gb,
        "kv_cache_gb": result.kv_cache_gb,
        "experts_touched_per_layer": result.experts_touched_per_layer,
        "decode_bound": result.decode_bound,
        "prefill_bound": result.prefill_bound,
    }


THROUGHPUT = Calculation(
    "throughput", "Throughput: memory fit, tokens/s, time to first token and per output token, on 1-16 GPUs",
    (MODEL, param("gpu", "key", None, "text", help="A row of data/gpus.yaml, e.g. h100-sxm; or give its numbers."))
    + SHAPE_PARAMS + (
        param("attention_heads", "query heads", None, "whole"),
        param("vram_gb", "GB", None),
        param("memory_bandwidth_gbs", "GB/s", None),
        param("fp16_dense_tflops", "TFLOPS", None),
        param("fp8_dense_tflops", "TFLOPS", None),
        param("prompt_tokens", "tokens", kind="whole"),
        param("output_tokens", "tokens", kind="whole"),
        param("gpus", "cards", 1, "whole",
              help="Tensor parallelism takes 1, 2, 4, 8 or 16; splitting by layers (pipeline) any count."),
        param("parallel", "mode", "tensor", "choice", PARALLEL_MODES,
              help="tensor: every layer split over the GPUs; pipeline: split by layers, a token passes through "
              "the GPUs in turn."),
        param("link", "key", None, "text",
              help="Link between the GPUs from data/interconnects.yaml (default: the GPU's own, e.g. nvlink-4)."),
        QUANT, KV_QUANT, WEIGHT_BITS, KV_BITS,
        param("stack", "key", "vllm", "text",
              help="Serving stack from data/serving_stacks.yaml: vllm, trt-llm, sglang, llama.cpp (fitted factors)."),
        param("batch", "sequences or max", 1, "batch",
              help="Sequences in flight, or max for the largest batch that fits (up to the stack's limit)."),
        param("batch_size", "sequences", None, "whole", help="Older name of --batch."),
        param("memory_efficiency", "share", None, help="Overrides the stack's fitted share of datasheet bandwidth."),
        param("compute_utilisation", "share", None, help="Overrides the stack's fitted share of datasheet TFLOPS."),
    ),
    {"fits": "", "memory_needed_gb": "GB", "memory_available_gb": "GB", "max_batch": "sequences",
     "batch": "sequences", "decode_tokens_per_second": "tokens/s", "decode_tokens_per_second_per_gpu": "tokens/s per GPU",
     "decode_tokens_per_second_per_sequence": "tokens/s", "prefill_tokens_per_second": "tokens/s",
     "prefill_seconds": "s", "output_tokens_per_second": "tokens/s", "time_to_first_token_s": "s",
     "time_per_output_token_s": "s", "seconds_per_request": "s", "requests_per_second": "requests/s",
     "weights_gb": "GB", "kv_cache_gb": "GB", "experts_touched_per_layer": "experts",
     "decode_bound": "", "prefill_bound": ""},
    _throughput,
)


def _calibration(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    tolerance = require_positive("tolerance", v["tolerance"], "A share of the measurement, e.g. 0.3 for 30%.")
    if v["measurement"] is not None:
        (one,) = compare(data, [data.find("throughput_measurements", v["measurement"])])
        return {"measured": one.measured, "estimated": one.estimated, "ratio": one.ratio,
                "hit": abs(one.ratio - 1) <= tolerance}
    found = compare(data, data.rows("throughput_measurements"))
    if v["stack"] is not None:
        data.find("serving_stacks", v["stack"])  # an unknown stack is an error naming the closest
        found = [c for c in found if c.stack == v["stack"]]
    if not found:
        raise UnknownSpecError("throughput measurements", "throughput_measurements",
                               hint="The engine needs data/throughput_measurements.yaml loaded.")
    out: dict[str, object] = {}
    for split, name in (("fit", "fit"), ("held-out", "held_out")):
        for who, chosen in (("", found), ("published_", [c for c in found if c.stack != "pytorch"])):
            hits, rows = hit_rate((c for c in chosen if c.split == split), tolerance)
            out[f"{who}{name}_rows"], out[f"{who}{name}_hits"] = rows, hits
            out[f"{who}{name}_hit_rate"] = hits / rows if rows else None
    ours = [c for c in found if c.stack == "pytorch"]
    out["our_h200_rows"] = len(ours)
    out["our_h200_within_15_percent"] = sum(1 for c in ours if abs(c.ratio - 1) <= 0.15)
    out["our_h200_worst_error"] = max((abs(c.ratio - 1) for c in ours), default=None)
    return out


CALIBRATION = Calculation(
    "calibration", "Calibration: how many measurements in data/ the throughput engine meets within a tolerance",
    (param("tolerance", "share", 0.3, help="How far from a measurement still counts as a hit: 0.3 is 30 per cent."),
     param("measurement", "id", None, "text", help="One row of data/throughput_measurements.yaml: its figures only."),
     param("stack", "id", None, "text", help="Only the rows measured under this serving stack (data/serving_stacks.yaml).")),
    {"fit_rows": "measurements", "fit_hits": "measurements", "fit_hit_rate": "share",
     "held_out_rows": "measurements", "held_out_hits": "measurements", "held_out_hit_rate": "share",
     "published_fit_rows": "measurements", "published_fit_hits": "measurements", "published_fit_hit_rate": "share",
     "published_held_out_rows": "measurements", "published_held_out_hits": "measurements",
     "published_held_out_hit_rate": "share",
     "our_h200_rows": "measurements", "our_h200_within_15_percent": "measurements", "our_h200_worst_error": "share",
     "measured": "tokens/s", "estimated": "tokens/s", "ratio": "", "hit": ""},
    _calibration,
)


# ---- Savings levers -----------------------------------------------------------------------------------

def _lever_out(result) -> dict[str, object]:
    return {
        "cost_per_request_with_usd": result.cost_per_request_with_usd,
        "saving_per_request_usd": result.saving_per_request_usd,
        "saving_share": result.saving_share,
        "monthly_cost_with_usd": result.monthly_cost_with_usd,
        "monthly_saving_usd": result.monthly_saving_usd,
    }


LEVER_OUTPUTS = {"cost_per_request_with_usd": "$ per request", "saving_per_request_usd": "$ per request",
                 "saving_share": "share", "monthly_cost_with_usd": "$/month", "monthly_saving_usd": "$/month"}

CASCADE = Calculation(
    "cascade", "Savings lever: a share of requests to a small local model, the rest to an API",
    (
        param("local_share", "share of requests"),
        param("local_cost_per_request_usd", "$ per request"),
        param("api_cost_per_request_usd", "$ per request"),
        param("router_cost_per_request_usd", "$ per request", 0.0,
              help="What deciding where a request goes costs, paid on every request."),
        param("requests_per_month", "requests/month", 0),
    ),
    LEVER_OUTPUTS,
    lambda v, data: _lever_out(cascade_savings(CascadeInputs(
        v["local_share"], v["local_cost_per_request_usd"], v["api_cost_per_request_usd"],
        v["requests_per_month"], v["router_cost_per_request_usd"]))),
)

CACHE = Calculation(
    "cache", "Savings lever: a response cache (exact or semantic) and what its hit rate saves",
    (
        param("hit_rate", "share of requests"),
        param("cost_per_request_usd", "$ per request"),
        param("kind", "kind", "exact", "choice", CACHE_KINDS),
        param("lookup_cost_per_request_usd", "$ per request", None),
        param("requests_per_month", "requests/month", 0),
    ),
    LEVER_OUTPUTS,
    lambda v, data: _lever_out(cache_savings(CacheInputs(
        v["hit_rate"], v["cost_per_request_usd"], v["kind"], v["lookup_cost_per_request_usd"],
        v["requests_per_month"]))),
)


# ---- Other modalities ---------------------------------------------------------------------------------

def _modality_out(result) -> dict[str, object]:
    return {
        "api_cost_per_unit_usd": result.api_cost_per_unit_usd,
        "local_cost_per_unit_usd": result.local_cost_per_unit_usd,
        "break_even_units_per_month": result.break_even_units_per_month,
        "capacity_units_per_month": result.capacity_units_per_month,
        "local_is_cheaper_at_capacity": result.local_is_cheaper_at_capacity,
    }


def _modality(name: str, summary: str, params: tuple[Input, ...], unit: str,
              run: Callable[[Mapping[str, object]], object]) -> Calculation:
    """Give back a modality's calculation: API against GPU cost per ``unit`` (an image, an audio minute)."""
    return Calculation(name, summary, params + (param("utilisation", "share", 1.0), HOURS), {
        "api_cost_per_unit_usd": f"$ per {unit}", "local_cost_per_unit_usd": f"$ per {unit}",
        "break_even_units_per_month": f"{unit}s/month", "capacity_units_per_month": f"{unit}s/month",
        "local_is_cheaper_at_capacity": ""}, lambda v, data: _modality_out(run(v)))


IMAGE = _modality(
    "image", "Images: API price per image against images per second on a GPU",
    (param("api_price_per_image_usd", "$ per image"), param("gpu_hourly_usd", "$/hour"),
     param("images_per_second", "images/s")),
    "image",
    lambda v: image_cost(ImageInputs(v["api_price_per_image_usd"], v["gpu_hourly_usd"], v["images_per_second"],
                                     v["utilisation"], v["hours_per_month"])),
)

AUDIO = _modality(
    "audio", "Audio: API price per character or minute against a local model's real-time factor",
    (param("api_price_usd", "$ per character or per minute"),
     param("api_price_unit", "unit", kind="choice", choices=AUDIO_PRICE_UNITS), param("gpu_hourly_usd", "$/hour"),
     param("real_time_factor", "s of compute per s of audio"), param("characters_per_minute", "characters/min", 900.0)),
    "audio minute",
    lambda v: audio_cost(AudioInputs(v["api_price_usd"], v["api_price_unit"], v["gpu_hourly_usd"],
                                     v["real_time_factor"], v["characters_per_minute"], v["utilisation"],
                                     v["hours_per_month"])),
)


# ---- Decision -----------------------------------------------------------------------------------------
# A workload against a cloud API, rented GPUs and own hardware, each from rows of data/ (api_prices,
# rental_offers, gpus, power_prices) and sized by the throughput model (atlas_mkdocs.engine.decision).

PURCHASE_POINTS = ("low", "mid", "high")
PURCHASE_POINT = {"low": lambda r: r["low"], "high": lambda r: r["high"], "mid": lambda r: (r["low"] + r["high"]) / 2}


def _serving(v: Mapping[str, object], data: Catalogue, gpu_key: str) -> Serving:
    gpu = data.gpu(gpu_key)
    link = data.gpu_link(gpu_key) if data.find("gpus", gpu_key).get("interconnect") else None
    return Serving(data.model_shape(v["model"]), gpu, data.quant_format(v["quant"]),
                   data.kv_format(v["kv_quant"]), data.serving_stack(v["stack"]), link)


def decision_inputs(v: Mapping[str, object], data: Catalogue) -> DecisionInputs:
    """Give back the decision's engine inputs from flat values, its rows looked up in data/."""
    workload = Workload(v["tokens_per_day"], v["peak_to_average"], v["prompt_tokens"], v["output_tokens"],
                        require_positive("max_time_per_output_token_ms", v["max_time_per_output_token_ms"]) / 1000,
                        v["data_rule"])
    api_row = data.row("api_prices", v["api_model"])
    offer = data.row("rental_offers", v["rental_offer"])
    gpu_row = data.find("gpus", v["own_gpu"])
    engineer = require_positive("engineer_cost_per_month_usd", v["engineer_cost_per_month_usd"])
    owned = Owned(PURCHASE_POINT[v["purchase_price"]](gpu_row["purchase_usd"]), v["amortisation_months"],
                  gpu_row["board_watts"], data.row("power_prices", v["power_price"])["usd_per_kwh"], v["pue"],
                  require_non_negative("other_hardware_share", v["other_hardware_share"]))
    return DecisionInputs(
        workload, api_price_from_row(api_row), require_non_negative("api_team_engineers", v["api_team_engineers"]) * engineer,
        _serving(v, data, offer["gpu"]), offer["usd_per_gpu_hour"], _serving(v, data, v["own_gpu"]), owned,
        require_non_negative("team_engineers", v["team_engineers"]) * engineer, engineer, v["hours_per_month"],
        v["api_model"])


def _setup(option: OptionResult) -> str:
    if not option.available:
        return f"out: {option.ruled_out}"
    if option.provisioned is None:
        return "billed per token"
    p = option.provisioned
    return (f"{p.replicas} x {p.plan.gpus} GPU{'s' if p.plan.gpus > 1 else ''}, batch {p.plan.batch}, "
            f"{p.plan.time_per_output_token_s * 1000:.0f} ms per token")


def _first_crossing(found: Decision, a: str, b: str) -> float | None:
    pair = found.pair(a, b)
    return pair.crossings[0].tokens_per_day if pair is not None and pair.crossings else None


def decision_for(values: Mapping[str, object], catalogue: Catalogue) -> tuple[DecisionInputs, Decision]:
    """Give back the decision's engine inputs and its answer for flat ``values`` (defaults fill the rest)."""
    inputs = decision_inputs(_resolve(DECISION, values), catalogue)
    return inputs, decide(inputs)


def _decision(v: Mapping[str, object], data: Catalogue) -> dict[str, object]:
    inputs = decision_inputs(v, data)
    return decision_outputs(inputs, decide(inputs))


def decision_outputs(inputs: DecisionInputs, found: Decision) -> dict[str, object]:
    """Give back the decision's flat outputs: costs, set-ups, crossings and what would change the answer."""
    out: dict[str, object] = {
        "cheapest": found.cheapest or "none",
        "runner_up": found.runner_up,
        "margin_usd": found.margin_usd,
        "margin_share": found.margin_share,
    }
    for key, name in (("api", DECISION_API), ("rented", DECISION_RENTED), ("owned", DECISION_OWNED)):
        option = found.option(name)
        out[f"{key}_monthly_usd"] = option.monthly_cost_usd
        out[f"{key}_setup"] = _setup(option)
        out[f"{key}_staff_per_month_usd"] = option.staff_per_month_usd if option.available else None
        if key != "api":
            p = option.provisioned
            out[f"{key}_gpus"] = p.gpus if p else None
            out[f"{key}_replicas"] = p.replicas if p else None
            out[f"{key}_gpus_per_replica"] = p.plan.gpus if p else None
            out[f"{key}_batch"] = p.plan.batch if p else None
            out[f"{key}_time_per_output_token_ms"] = p.plan.time_per_output_token_s * 1000 if p else None
            out[f"{key}_replica_tokens_per_second"] = p.plan.tokens_per_second if p else None
    out["rented_per_gpu_month_usd"] = inputs.rented_usd_per_gpu_hour * inputs.hours_per_month
    out["owned_per_gpu_month_usd"] = inputs.owned_costs.per_gpu_month_usd(inputs.hours_per_month)
    out["api_vs_rented_tokens_per_day"] = _first_crossing(found, DECISION_API, DECISION_RENTED)
    out["api_vs_owned_tokens_per_day"] = _first_crossing(found, DECISION_API, DECISION_OWNED)
    out["rented_vs_owned_tokens_per_day"] = _first_crossing(found, DECISION_RENTED, DECISION_OWNED)
    out["changes_above_tokens_per_day"] = found.changes_above_tokens_per_day
    out["changes_below_tokens_per_day"] = found.changes_below_tokens_per_day
    out["what_would_change"] = " ".join(found.what_would_change)
    return out


DECISION = Calculation(
    "decision", "Decision: a workload against a cloud API, rented GPUs and own hardware; the cheapest, by how "
    "much, the crossings and what would change the answer",
    (
        param("tokens_per_day", "tokens/day", 20_000_000, help="Prompt and answer tokens together, on an average day."),
        param("peak_to_average", "times the average", 3.0,
              help="The busiest hour's rate over the day's average; self-hosted GPUs are sized for the peak."),
        param("prompt_tokens", "tokens per request", 1000, "whole"),
        param("output_tokens", "tokens per request", 250, "whole"),
        param("max_time_per_output_token_ms", "ms per answer token", 50.0,
              help="Latency target: the slowest a reader should see answer tokens arrive; 50 ms is 20 tokens a "
              "second."),
        param("data_rule", "", "anywhere", "choice", DATA_RULES,
              help="Anywhere (anywhere), an API included; not to a model provider (no-api): rented GPUs allowed; "
              "only our own building (on-premises): own hardware only."),
        param("team_engineers", "engineers", OWNED_STAFF_SHARE,
              help="People running a self-hosted option, charged to rented GPUs and own hardware alike; the API "
              "keeps a tenth of an engineer (api_team_engineers)."),
        param("api_team_engineers", "engineers", API_STAFF_SHARE, help="People owning the API integration."),
        param("engineer_cost_per_month_usd", "$/month", round(ENGINEER_COST_PER_MONTH_USD, 2),
              help="One engineer's cost to the employer (atlas_mkdocs.engine.staff)."),
        param("api_model", "price row", "openai/gpt-5.4", "text", help="A row of data/api_prices.yaml."),
        param("model", "key", "gpt-oss-120b", "text", help="The open model to self-host, a row of data/model_shapes.yaml."),
        param("quant", "format", "mxfp4", "text", help="Its weight format, a row of data/quant_formats.yaml."),
        param("kv_quant", "format", "fp8", "text", help="Its KV-cache format."),
        param("stack", "key", "vllm", "text", help="Serving stack from data/serving_stacks.yaml."),
        param("rental_offer", "offer", "lambda-h100-sxm", "text",
              help="A row of data/rental_offers.yaml, paid every hour of the month, serverless offers too."),
        param("own_gpu", "key", "h100-sxm", "text", help="A row of data/gpus.yaml, bought."),
        param("purchase_price", "of the row's range", "mid", "choice", PURCHASE_POINTS,
              help="Where in the row's purchase price range: low, mid (the middle) or high."),
        param("amortisation_months", "months", 36.0),
        param("power_price", "price row", "us-il-commercial-2024", "text", help="A row of data/power_prices.yaml."),
        replace(PUE, default=1.3),
        param("other_hardware_share", "share of the GPUs' price", 0.0,
              help="The rest of the server: chassis, CPUs, memory and network; 0 counts the GPUs alone."),
        HOURS,
    ),
    {"cheapest": "", "runner_up": "", "margin_usd": "$/month", "margin_share": "share",
     "api_monthly_usd": "$/month", "rented_monthly_usd": "$/month", "owned_monthly_usd": "$/month",
     "api_setup": "", "rented_setup": "", "owned_setup": "",
     "api_staff_per_month_usd": "$/month", "rented_staff_per_month_usd": "$/month", "owned_staff_per_month_usd": "$/month",
     "rented_gpus": "GPUs", "rented_replicas": "replicas", "rented_gpus_per_replica": "GPUs", "rented_batch": "sequences",
     "rented_time_per_output_token_ms": "ms", "rented_replica_tokens_per_second": "tokens/s",
     "owned_gpus": "GPUs", "owned_replicas": "replicas", "owned_gpus_per_replica": "GPUs", "owned_batch": "sequences",
     "owned_time_per_output_token_ms": "ms", "owned_replica_tokens_per_second": "tokens/s",
     "rented_per_gpu_month_usd": "$/month per GPU", "owned_per_gpu_month_usd": "$/month per GPU",
     "api_vs_rented_tokens_per_day": "tokens/day", "api_vs_owned_tokens_per_day": "tokens/day",
     "rented_vs_owned_tokens_per_day": "tokens/day", "changes_above_tokens_per_day": "tokens/day",
     "changes_below_tokens_per_day": "tokens/day", "what_would_change": ""},
    _decision,
)


#: Every model by name: what calculate, the command line, scenarios, expressions and widgets run.
CALCULATIONS: Registry[Calculation] = Registry("model", (
    API, API_SHARES, RENTAL_RATE, UTILISATION_BREAK_EVEN, REQUIRED_THROUGHPUT, RENTAL_MONTH, OWN_HARDWARE,
    OWN_HARDWARE_RANGES, CAPACITY, BREAK_EVEN, THREE_WAY, SIZING, GPU_FIT, THROUGHPUT, CALIBRATION, CASCADE, CACHE,
    IMAGE, AUDIO, DECISION,
))


def calculation(name: str) -> Calculation:
    """Give back the calculation called ``name``, or raise UnknownSpecError listing the known ones."""
    return CALCULATIONS.find(name)


def _resolve(calc: Calculation, values: Mapping[str, object]) -> dict[str, object]:
    return resolve(calc.params, values, f"model {calc.name!r}")


def calculate(name: str, values: Mapping[str, object], catalogue: Catalogue = NO_DATA) -> dict[str, object]:
    """Give back the outputs of model ``name`` for ``values`` (defaults fill the rest).

    ``catalogue`` is data/ for the models that read it (a key such as ``model`` or ``gpu``, formats,
    stacks); without one such a model says which table it needs.
    """
    calc = calculation(name)
    resolved = _resolve(calc, values)
    if any(isinstance(value, Range) for value in resolved.values()):
        raise InputError("inputs", "a range", "single values here", "Use calculate_ranges for ranged inputs.")
    return finite_outputs(name, lambda values: calc.run(values, catalogue), resolved)


def finite_outputs(name: str, run: Callable[[Mapping[str, object]], dict], values: Mapping[str, object]) -> dict:
    """Give back ``run(values)`` if every number in it is finite, or raise EngineError naming the outputs.

    Inputs can each be finite and in range yet multiply past a float's range (1.7e308 tokens);
    the reader gets a message, never an 'inf' figure or an OverflowError.
    """
    try:
        outputs = run(values)
    except (OverflowError, ZeroDivisionError):
        outputs, bad = None, []
    else:
        bad = [key for key, value in outputs.items() if isinstance(value, float) and not math.isfinite(value)]
    if outputs is None or bad:
        named = f" ({', '.join(bad)})" if bad else ""
        raise EngineError(f"model {name!r}: these inputs are too large or too small to give a finite result"
                          f"{named}; check their units and magnitudes.")
    return outputs


def calculate_ranges(name: str, values: Mapping[str, object], target: str | None = None,
                     catalogue: Catalogue = NO_DATA) -> UncertaintyResult:
    """Give back output ranges and a sensitivity table for model ``name`` with some inputs as Ranges."""
    calc = calculation(name)
    resolved = _resolve(calc, values)
    return propagate(lambda values: calc.run(values, catalogue), resolved, target)
