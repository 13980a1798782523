"""Rented GPUs billed by the hour: what a million tokens costs at a given utilisation, and a month of them.

A month of rented GPUs also costs the people who run the serving stack on them: ``RentalBillingInputs``
defaults to a quarter of an engineer, $4,279.27 a month (``atlas_mkdocs.engine.staff`` says why); give 0 to leave
staff out on purpose. The hourly rate views (``rental_cost_per_million_tokens``) are the provider's bill
alone: staff is a monthly cost, and a rate has no month.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import (
    CapacityError,
    InputError,
    require_choice,
    require_finite,
    require_fraction,
    require_non_negative,
    require_positive,
    require_whole,
)
from atlas_mkdocs.engine.staff import RENTAL_STAFF_PER_MONTH_USD
from atlas_mkdocs.engine.units import (
    HOURS_PER_MONTH,
    SECONDS_PER_HOUR,
    TOKENS_PER_MILLION,
    days_per_month,
)

BILLING_MODES = ("per_second", "active_window", "always_on")


@dataclass(frozen=True)
class RentalCostInputs:
    """One rented GPU (or node) billed by the hour, and how busy it is kept."""

    hourly_price_usd: float
    tokens_per_second: float
    utilisation: float = 1.0

    def __post_init__(self) -> None:
        require_non_negative("hourly_price_usd", self.hourly_price_usd,
                             "A rental price is never negative; use 0 only for hardware you already own.")
        require_positive("tokens_per_second", self.tokens_per_second,
                         "Use the measured generation throughput of the whole node, e.g. 100.")
        require_fraction("utilisation", self.utilisation,
                         "It is the share of paid hours spent generating tokens.")


@dataclass(frozen=True)
class RentalCostResult:
    """Cost per 1M tokens, at full use and at the given utilisation ($ per 1M tokens)."""

    tokens_per_hour_at_full_use: float
    cost_per_million_tokens_at_full_use: float
    cost_per_million_tokens: float


def rental_cost_per_million_tokens(inputs: RentalCostInputs) -> RentalCostResult:
    """Give back the $ per 1M tokens of a GPU rented by the hour.

    Idle hours are paid for too, so the cost of the tokens actually produced is the full-use cost
    divided by utilisation: $3.50/h at 100 tokens/s is $9.72 per 1M tokens, $32.41 at 30%.
    """
    tokens_per_hour = inputs.tokens_per_second * SECONDS_PER_HOUR
    at_full_use = inputs.hourly_price_usd / tokens_per_hour * TOKENS_PER_MILLION
    return RentalCostResult(
        tokens_per_hour_at_full_use=tokens_per_hour,
        cost_per_million_tokens_at_full_use=at_full_use,
        cost_per_million_tokens=at_full_use / inputs.utilisation,
    )


def required_tokens_per_second(hourly_price_usd: float, cost_per_million_tokens_usd: float,
                               utilisation: float = 1.0) -> float:
    """Give back the throughput (tokens/s) a rented node needs to reach a target $ per 1M tokens.

    The inverse of ``rental_cost_per_million_tokens``: seed 003's 2x H100 at $10/h giving $3.00 per 1M
    at 90% needs 1,029 tokens/s.
    """
    require_non_negative("hourly_price_usd", hourly_price_usd)
    require_positive("cost_per_million_tokens_usd", cost_per_million_tokens_usd)
    require_fraction("utilisation", utilisation, "It is the share of paid hours spent generating tokens.")
    return hourly_price_usd * TOKENS_PER_MILLION / (cost_per_million_tokens_usd * SECONDS_PER_HOUR * utilisation)


@dataclass(frozen=True)
class RentalBillingInputs:
    """GPUs rented by the hour, how they are billed, and the work they must do in a month.

    Billing modes: ``per_second`` bills only the seconds spent working (serverless, scale to zero; a
    cold-start share adds the seconds spent starting up), ``active_window`` bills a fixed window of hours
    a day, ``always_on`` bills every hour of the month.
    """

    hourly_price_per_gpu_usd: float
    tokens_per_second: float
    tokens_per_month: float
    gpus: int = 1
    billing: str = "always_on"
    active_hours_per_day: float = 24.0
    cold_start_overhead: float = 0.0
    hours_per_month: float = HOURS_PER_MONTH
    staff_per_month_usd: float = RENTAL_STAFF_PER_MONTH_USD

    def __post_init__(self) -> None:
        require_non_negative("hourly_price_per_gpu_usd", self.hourly_price_per_gpu_usd,
                             "A rental price is never negative.")
        require_positive("tokens_per_second", self.tokens_per_second,
                         "Use the measured generation throughput of all rented GPUs together, e.g. 100.")
        require_non_negative("tokens_per_month", self.tokens_per_month)
        require_whole("gpus", self.gpus, 1)
        require_choice("billing", self.billing, BILLING_MODES)
        hours = require_finite("active_hours_per_day", self.active_hours_per_day)
        if not 0 < hours <= 24:
            raise InputError("active_hours_per_day", self.active_hours_per_day, "in (0, 24] hours")
        require_non_negative("cold_start_overhead", self.cold_start_overhead,
                             "Extra billed time as a share of busy time, e.g. 0.1 for 10%.")
        require_positive("hours_per_month", self.hours_per_month, "730 by default; 720 for 30-day months.")
        require_non_negative("staff_per_month_usd", self.staff_per_month_usd,
                             "People to run the serving stack; 0 to leave them out on purpose.")


@dataclass(frozen=True)
class RentalMonthlyCost:
    """A month of rented GPUs: hours worked, hours billed, the bill ($/month), and with staff added."""

    busy_hours_per_month: float
    billed_hours_per_month: float
    available_hours_per_month: float
    monthly_cost_usd: float
    cost_per_million_tokens_usd: float | None
    utilisation: float
    staff_per_month_usd: float = 0.0
    total_per_month_usd: float = 0.0
    total_cost_per_million_tokens_usd: float | None = None


def rental_monthly_cost(inputs: RentalBillingInputs) -> RentalMonthlyCost:
    """Give back the $/month of rented GPUs under a billing mode, at a volume of tokens a month.

    Raises CapacityError when the volume needs more hours than the billing mode makes available.
    """
    busy = inputs.tokens_per_month / (inputs.tokens_per_second * SECONDS_PER_HOUR)
    days = days_per_month(inputs.hours_per_month)
    if inputs.billing == "per_second":
        available = inputs.hours_per_month
        billed = min(busy * (1 + inputs.cold_start_overhead), available)
    elif inputs.billing == "active_window":
        available = inputs.active_hours_per_day * days
        billed = available
    else:
        available = inputs.hours_per_month
        billed = available
    if busy > available * (1 + 1e-12):
        raise CapacityError(
            f"tokens_per_month {inputs.tokens_per_month:,.0f} needs {busy:,.1f} busy hours a month, "
            f"but {inputs.billing} billing makes only {available:,.1f} available; add GPUs, widen the "
            "window or lower the volume.")
    cost = inputs.hourly_price_per_gpu_usd * inputs.gpus * billed
    return RentalMonthlyCost(
        busy_hours_per_month=busy,
        billed_hours_per_month=billed,
        available_hours_per_month=available,
        monthly_cost_usd=cost,
        cost_per_million_tokens_usd=(cost / inputs.tokens_per_month * TOKENS_PER_MILLION
                                     if inputs.tokens_per_month > 0 else None),
        utilisation=busy / billed if billed > 0 else 0.0,
        staff_per_month_usd=inputs.staff_per_month_usd,
        total_per_month_usd=cost + inputs.staff_per_month_usd,
        total_cost_per_million_tokens_usd=((cost + inputs.staff_per_month_usd) / inputs.tokens_per_month
                                           * TOKENS_PER_MILLION if inputs.tokens_per_month > 0 else None),
    )
