"""Utilisation and capacity: how busy a volume keeps the hardware, and whether it can serve it at all."""

from __future__ import annotations

import math
from dataclasses import dataclass

from atlas_mkdocs.engine.errors import require_fraction, require_non_negative, require_positive
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, SECONDS_PER_HOUR, TOKENS_PER_MILLION, days_per_month


@dataclass(frozen=True)
class CapacityInputs:
    """A machine's throughput, what it costs a month, and the volume asked of it."""

    tokens_per_second: float
    tokens_per_month: float
    monthly_cost_usd: float
    max_utilisation: float = 1.0
    hours_per_month: float = HOURS_PER_MONTH

    def __post_init__(self) -> None:
        require_positive("tokens_per_second", self.tokens_per_second,
                         "Use the sustained throughput of one machine at your batch size, e.g. 100.")
        require_non_negative("tokens_per_month", self.tokens_per_month)
        require_non_negative("monthly_cost_usd", self.monthly_cost_usd)
        require_fraction("max_utilisation", self.max_utilisation,
                         "The highest share of the month you plan to keep it busy, e.g. 0.8 for headroom.")
        require_positive("hours_per_month", self.hours_per_month, "730 by default; 720 for 30-day months.")


@dataclass(frozen=True)
class CapacityResult:
    """Utilisation of one machine, whether it serves the volume, and the machines needed if not."""

    capacity_tokens_per_month: float
    capacity_tokens_per_day: float
    utilisation: float
    can_serve: bool
    machines_needed: int
    monthly_cost_usd: float
    cost_per_million_tokens_usd: float | None


def capacity(inputs: CapacityInputs) -> CapacityResult:
    """Give back the utilisation a volume implies, whether one machine serves it, and the cost per 1M.

    When one machine is not enough the cost is for ``machines_needed`` machines, each kept below
    ``max_utilisation``.
    """
    full = inputs.tokens_per_second * SECONDS_PER_HOUR * inputs.hours_per_month
    utilisation = inputs.tokens_per_month / full
    machines = max(1, math.ceil(utilisation / inputs.max_utilisation - 1e-12))
    cost = inputs.monthly_cost_usd * machines
    return CapacityResult(
        capacity_tokens_per_month=full,
        capacity_tokens_per_day=full / days_per_month(inputs.hours_per_month),
        utilisation=utilisation,
        can_serve=utilisation <= inputs.max_utilisation * (1 + 1e-12),
        machines_needed=machines,
        monthly_cost_usd=cost,
        cost_per_million_tokens_usd=(cost / inputs.tokens_per_month * TOKENS_PER_MILLION
                                     if inputs.tokens_per_month > 0 else None),
    )
