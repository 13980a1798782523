"""Comparison: break-even volume between two ways to pay, payback months, and cost-vs-volume series.

Every option is reduced to one shape: a fixed monthly cost per unit of hardware (running costs plus the
upfront price spread over its amortisation), a variable cost per 1M tokens, and optionally a capacity per
unit, past which another unit is bought or rented. An API is all variable; a rented always-on GPU is all
fixed with a capacity; owned hardware is upfront + running with a capacity. Each option also carries the
people it needs (``staff_per_month_usd``), paid once per option however many units it runs; the defaults
for an API, rented GPUs and owned hardware are in ``atlas_mkdocs.engine.staff``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from atlas_mkdocs.engine.errors import InputError, require_non_negative, require_positive, require_whole
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, TOKENS_PER_MILLION, days_per_month

MAX_SEGMENTS = 100_000


@dataclass(frozen=True)
class CostOption:
    """One way to pay for inference, reduced to fixed, upfront, variable and capacity."""

    name: str
    fixed_per_month_usd: float = 0.0
    variable_per_million_tokens_usd: float = 0.0
    upfront_usd: float = 0.0
    amortisation_months: float | None = None
    capacity_tokens_per_month: float | None = None
    staff_per_month_usd: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError("name", self.name, "a non-empty name")
        require_non_negative("fixed_per_month_usd", self.fixed_per_month_usd)
        require_non_negative("variable_per_million_tokens_usd", self.variable_per_million_tokens_usd)
        require_non_negative("upfront_usd", self.upfront_usd)
        if self.upfront_usd > 0 and self.amortisation_months is None:
            raise InputError("amortisation_months", None, "greater than 0 when upfront_usd is given",
                             "Say over how many months the purchase is written off, e.g. 36.")
        if self.amortisation_months is not None:
            require_positive("amortisation_months", self.amortisation_months)
        if self.capacity_tokens_per_month is not None:
            require_positive("capacity_tokens_per_month", self.capacity_tokens_per_month,
                             "Leave it out for an API, which has no capacity limit of yours.")
        require_non_negative("staff_per_month_usd", self.staff_per_month_usd,
                             "The people this option needs, once per option; see atlas_mkdocs.engine.staff.")

    def units(self, tokens_per_month: float) -> int:
        """Give back the units (machines) needed for ``tokens_per_month``; at least one if it has a capacity."""
        if self.capacity_tokens_per_month is None:
            return 1
        return max(1, math.ceil(tokens_per_month / self.capacity_tokens_per_month - 1e-12))

    def fixed_per_unit_usd(self) -> float:
        """Give back the monthly cost of one unit including amortisation of the upfront price."""
        amortised = self.upfront_usd / self.amortisation_months if self.amortisation_months else 0.0
        return self.fixed_per_month_usd + amortised

    def monthly_cost(self, tokens_per_month: float) -> float:
        """Give back the $/month of this option at ``tokens_per_month``."""
        require_non_negative("tokens_per_month", tokens_per_month)
        return (self.units(tokens_per_month) * self.fixed_per_unit_usd() + self.staff_per_month_usd
                + tokens_per_month * self.variable_per_million_tokens_usd / TOKENS_PER_MILLION)


@dataclass(frozen=True)
class Crossing:
    """A volume where two options cost the same (``equal``) or swap order at a capacity step (``step``)."""

    tokens_per_month: float
    tokens_per_day: float
    requests_per_month: float | None
    monthly_cost_usd: float
    kind: str
    cheaper_above: str | None


@dataclass(frozen=True)
class BreakEven:
    """Every crossing between two options up to a volume; ``first`` is the lowest, or None."""

    option_a: str
    option_b: str
    crossings: tuple[Crossing, ...]
    hours_per_month: float

    @property
    def first(self) -> Crossing | None:
        """Give back the lowest-volume crossing, or None if one option is cheaper throughout."""
        return self.crossings[0] if self.crossings else None


@dataclass(frozen=True)
class Payback:
    """How many months the upfront price takes to earn back from lower running costs; None if never."""

    months: float | None
    upfront_usd: float
    monthly_saving_usd: float


@dataclass(frozen=True)
class SeriesLine:
    """One option's $/month at each volume of a series."""

    name: str
    monthly_cost_usd: tuple[float, ...]


@dataclass(frozen=True)
class CostSeries:
    """Cost against volume for a chart, every pair's crossings marked."""

    tokens_per_day: tuple[float, ...]
    tokens_per_month: tuple[float, ...]
    lines: tuple[SeriesLine, ...]
    crossings: tuple[tuple[str, str, Crossing], ...]
    hours_per_month: float


def _check_volume_inputs(tokens_per_request: float | None, hours_per_month: float) -> None:
    if tokens_per_request is not None:
        require_positive("tokens_per_request", tokens_per_request)
    require_positive("hours_per_month", hours_per_month, "730 by default; 720 for 30-day months.")


def _crossing(a: CostOption, b: CostOption, volume: float, kind: str, cheaper_above: str | None,
              tokens_per_request: float | None, hours_per_month: float) -> Crossing:
    return Crossing(
        tokens_per_month=volume,
        tokens_per_day=volume / days_per_month(hours_per_month),
        requests_per_month=volume / tokens_per_request if tokens_per_request else None,
        monthly_cost_usd=a.monthly_cost(volume),
        kind=kind,
        cheaper_above=cheaper_above,
    )


def break_even(a: CostOption, b: CostOption, tokens_per_request: float | None = None,
               hours_per_month: float = HOURS_PER_MONTH,
               max_tokens_per_month: float | None = None) -> BreakEven:
    """Give back the volumes at which ``a`` and ``b`` cost the same (tokens a day, requests a month).

    Between two capacity steps both costs are straight lines, so each crossing is solved exactly;
    a crossing made by a step (buying one more machine) is marked ``step``. Options with a capacity
    are searched up to ``max_tokens_per_month`` (default: 1,000 units of the smaller capacity).
    """
    _check_volume_inputs(tokens_per_request, hours_per_month)
    capacities = [o.capacity_tokens_per_month for o in (a, b) if o.capacity_tokens_per_month is not None]
    if max_tokens_per_month is None:
        max_volume = 1000 * min(capacities) if capacities else math.inf
    else:
        max_volume = require_positive("max_tokens_per_month", max_tokens_per_month)
    breakpoints = {0.0}
    for cap in capacities:
        steps = math.floor(max_volume / cap) if math.isfinite(max_volume) else 0
        if steps > MAX_SEGMENTS:
            raise InputError("max_tokens_per_month", max_tokens_per_month,
                             f"at most {MAX_SEGMENTS:,} capacity steps ({MAX_SEGMENTS * cap:,.0f} tokens)")
        breakpoints.update(k * cap for k in range(1, steps + 1))
    edges = sorted(breakpoints) + [max_volume]
    crossings: list[Crossing] = []
    previous: tuple[float, float] | None = None  # (intercept, slope) of a - b on the last segment
    for lo, hi in zip(edges, edges[1:]):
        if hi <= lo:
            continue
        probe = lo + (hi - lo) / 2 if math.isfinite(hi) else lo + 1.0
        units_a, units_b = a.units(probe), b.units(probe)
        intercept = (units_a * a.fixed_per_unit_usd() + a.staff_per_month_usd
                     - units_b * b.fixed_per_unit_usd() - b.staff_per_month_usd)
        slope = (a.variable_per_million_tokens_usd - b.variable_per_million_tokens_usd) / TOKENS_PER_MILLION
        if previous is not None:
            left = previous[0] + previous[1] * lo
            right = intercept + slope * lo
            if left * right < 0:
                crossings.append(_crossing(a, b, lo, "step", b.name if right > 0 else a.name,
                                           tokens_per_request, hours_per_month))
        if slope != 0:
            # Per 1M tokens first: 500 / (10 / 1e6) is 49,999,999.99999999, 500 * 1e6 / 10 is 50,000,000.
            root = -intercept * TOKENS_PER_MILLION / (a.variable_per_million_tokens_usd
                                                      - b.variable_per_million_tokens_usd)
            if (lo < root <= hi) or (lo == 0 and root == 0 and intercept == 0):
                crossings.append(_crossing(a, b, root, "equal", b.name if slope > 0 else a.name,
                                           tokens_per_request, hours_per_month))
        previous = (intercept, slope)
    return BreakEven(a.name, b.name, tuple(crossings), hours_per_month)


def payback_months(owned: CostOption, alternative: CostOption, tokens_per_month: float) -> Payback:
    """Give back the months until ``owned``'s upfront price is earned back against ``alternative``.

    Running costs leave amortisation out: the saving each month is the alternative's running cost
    less the owned option's. No saving means no payback (months is None).
    """
    require_non_negative("tokens_per_month", tokens_per_month)

    def running(option: CostOption) -> float:
        return (option.units(tokens_per_month) * option.fixed_per_month_usd + option.staff_per_month_usd
                + tokens_per_month * option.variable_per_million_tokens_usd / TOKENS_PER_MILLION)

    upfront = (owned.units(tokens_per_month) * owned.upfront_usd
               - alternative.units(tokens_per_month) * alternative.upfront_usd)
    saving = running(alternative) - running(owned)
    if saving <= 0:
        return Payback(None, upfront, saving)
    return Payback(max(upfront, 0.0) / saving, upfront, saving)


def cost_series(options: Sequence[CostOption], max_tokens_per_day: float, points: int = 50,
                tokens_per_request: float | None = None,
                hours_per_month: float = HOURS_PER_MONTH) -> CostSeries:
    """Give back each option's $/month at ``points`` volumes from 0 to ``max_tokens_per_day``, with crossings."""
    require_positive("max_tokens_per_day", max_tokens_per_day)
    require_whole("points", points, 2)
    _check_volume_inputs(tokens_per_request, hours_per_month)
    if len(options) < 1:
        raise InputError("options", len(options), "at least one option")
    names = [option.name for option in options]
    if len(set(names)) != len(names):
        raise InputError("options", names, "options with distinct names")
    days = days_per_month(hours_per_month)
    per_day = tuple(max_tokens_per_day * i / (points - 1) for i in range(points))
    per_month = tuple(v * days for v in per_day)
    lines = tuple(SeriesLine(o.name, tuple(o.monthly_cost(v) for v in per_month)) for o in options)
    marked: list[tuple[str, str, Crossing]] = []
    for i, first in enumerate(options):
        for second in options[i + 1:]:
            found = break_even(first, second, tokens_per_request, hours_per_month, per_month[-1])
            marked.extend((first.name, second.name, c) for c in found.crossings)
    return CostSeries(per_day, per_month, lines, tuple(marked), hours_per_month)


def three_options(values: Mapping[str, Any]) -> tuple[CostOption, CostOption, CostOption]:
    """Give back a cloud API, a rented GPU and own hardware as options, from the three-way model's inputs."""
    seconds = 3600 * HOURS_PER_MONTH
    api = CostOption("Cloud API", variable_per_million_tokens_usd=values["api_per_million_usd"],
                     staff_per_month_usd=values["api_staff_per_month_usd"])
    rented = CostOption("Rented GPU", fixed_per_month_usd=values["rental_hourly_usd"] * HOURS_PER_MONTH,
                        capacity_tokens_per_month=values["rental_tokens_per_second"] * seconds,
                        staff_per_month_usd=values["rental_staff_per_month_usd"])
    owned = CostOption("Own hardware", fixed_per_month_usd=values["own_running_per_month_usd"],
                       upfront_usd=values["own_purchase_usd"],
                       amortisation_months=values["own_amortisation_months"],
                       capacity_tokens_per_month=values["own_tokens_per_second"] * seconds,
                       staff_per_month_usd=values["own_staff_per_month_usd"])
    return api, rented, owned
