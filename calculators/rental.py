"""Rented GPUs billed by the hour: what a million tokens costs at a given utilisation."""

from __future__ import annotations

from dataclasses import dataclass

from calculators.errors import require_fraction, require_non_negative, require_positive

SECONDS_PER_HOUR = 3600
TOKENS_PER_MILLION = 1_000_000


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
