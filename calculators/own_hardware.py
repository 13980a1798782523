"""Hardware you buy: amortisation, residual value, power, maintenance and staff, per month and per token.

Power is (GPU watts at load x GPUs + host watts) x hours x PUE x price per kWh. It is never assumed to
be zero: give either the power inputs or a flat monthly power cost (which may be 0 on purpose, as seed
001 does when it leaves electricity out).

Operations staff defaults to half an engineer, $8,558.54 a month (``atlas_mkdocs.engine.staff`` says why); give
0 to leave people out on purpose, as the seeds' own figures do.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import (
    InputError,
    UnknownSpecError,
    require_finite,
    require_fraction,
    require_non_negative,
    require_positive,
    require_whole,
)
from atlas_mkdocs.engine.staff import OWNED_STAFF_PER_MONTH_USD
from atlas_mkdocs.engine.units import (
    HOURS_PER_MONTH,
    SECONDS_PER_HOUR,
    TOKENS_PER_MILLION,
    WATTS_PER_KILOWATT,
    days_per_month,
)


@dataclass(frozen=True)
class PowerInputs:
    """What the machine draws and what a kWh costs."""

    gpu_watts: float
    host_watts: float
    price_per_kwh_usd: float
    gpus: int = 1
    hours_per_day: float = 24.0
    pue: float = 1.0

    def __post_init__(self) -> None:
        require_positive("gpu_watts", self.gpu_watts, "Use the board power at load, e.g. 450 for an RTX 4090.")
        require_non_negative("host_watts", self.host_watts,
                             "CPU, RAM, disks and fans of the host, e.g. 150.")
        require_positive("price_per_kwh_usd", self.price_per_kwh_usd,
                         "A power price that is not known is an error, never zero.")
        require_whole("gpus", self.gpus, 1)
        hours = require_finite("hours_per_day", self.hours_per_day)
        if not 0 < hours <= 24:
            raise InputError("hours_per_day", self.hours_per_day, "in (0, 24] hours")
        pue = require_finite("pue", self.pue)
        if not 1 <= pue <= 3:
            raise InputError("pue", self.pue, "from 1 to 3",
                             "Power usage effectiveness: 1.0 for a desk, about 1.1 to 1.6 for a data centre.")


@dataclass(frozen=True)
class OwnHardwareInputs:
    """A machine you own: what it cost, how long you write it off over, and what it costs to run."""

    purchase_price_usd: float
    amortisation_months: float
    residual_value_usd: float = 0.0
    power: PowerInputs | None = None
    power_cost_per_month_usd: float | None = None
    maintenance_per_month_usd: float = 0.0
    operations_staff_per_month_usd: float = OWNED_STAFF_PER_MONTH_USD
    hours_per_month: float = HOURS_PER_MONTH

    def __post_init__(self) -> None:
        require_positive("purchase_price_usd", self.purchase_price_usd,
                         "A price that is not known is an error, never zero.")
        require_positive("amortisation_months", self.amortisation_months, "e.g. 36 for three years.")
        residual = require_non_negative("residual_value_usd", self.residual_value_usd)
        if residual > self.purchase_price_usd:
            raise InputError("residual_value_usd", self.residual_value_usd,
                             f"from 0 to the purchase price ({self.purchase_price_usd:g} USD)")
        if (self.power is None) == (self.power_cost_per_month_usd is None):
            raise UnknownSpecError(
                "power cost", "power",
                hint="Give either power (watts, PUE and $/kWh) or power_cost_per_month_usd, not both; "
                "use power_cost_per_month_usd=0 only to leave power out on purpose.")
        if self.power_cost_per_month_usd is not None:
            require_non_negative("power_cost_per_month_usd", self.power_cost_per_month_usd)
        require_non_negative("maintenance_per_month_usd", self.maintenance_per_month_usd)
        require_non_negative("operations_staff_per_month_usd", self.operations_staff_per_month_usd)
        require_positive("hours_per_month", self.hours_per_month, "730 by default; 720 for 30-day months.")


@dataclass(frozen=True)
class OwnHardwareMonthlyCost:
    """The fixed view: what owning the machine costs each month, whatever it does ($/month)."""

    amortisation_per_month_usd: float
    energy_kwh_per_month: float | None
    power_per_month_usd: float
    maintenance_per_month_usd: float
    operations_staff_per_month_usd: float
    running_cost_per_month_usd: float
    total_per_month_usd: float
    hours_per_month: float


@dataclass(frozen=True)
class PerTokenCost:
    """The per-token view of a fixed monthly cost at a throughput and a utilisation."""

    monthly_cost_usd: float
    tokens_per_month: float
    cost_per_million_tokens_usd: float
    cost_per_million_tokens_at_full_use_usd: float


def own_hardware_monthly_cost(inputs: OwnHardwareInputs) -> OwnHardwareMonthlyCost:
    """Give back the $/month of owning the machine: amortisation + power + maintenance + staff.

    ``running_cost_per_month_usd`` leaves out amortisation: it is what payback is measured against.
    """
    amortisation = (inputs.purchase_price_usd - inputs.residual_value_usd) / inputs.amortisation_months
    if inputs.power is not None:
        power = inputs.power
        kilowatts = (power.gpu_watts * power.gpus + power.host_watts) / WATTS_PER_KILOWATT
        energy = kilowatts * power.hours_per_day * days_per_month(inputs.hours_per_month) * power.pue
        power_cost = energy * power.price_per_kwh_usd
    else:
        energy = None
        power_cost = float(inputs.power_cost_per_month_usd)  # type: ignore[arg-type]
    running = power_cost + inputs.maintenance_per_month_usd + inputs.operations_staff_per_month_usd
    return OwnHardwareMonthlyCost(
        amortisation_per_month_usd=amortisation,
        energy_kwh_per_month=energy,
        power_per_month_usd=power_cost,
        maintenance_per_month_usd=inputs.maintenance_per_month_usd,
        operations_staff_per_month_usd=inputs.operations_staff_per_month_usd,
        running_cost_per_month_usd=running,
        total_per_month_usd=amortisation + running,
        hours_per_month=inputs.hours_per_month,
    )


def cost_per_million_tokens(monthly_cost_usd: float, tokens_per_second: float, utilisation: float = 1.0,
                            hours_per_month: float = HOURS_PER_MONTH) -> PerTokenCost:
    """Give back the $ per 1M tokens of a fixed monthly cost spread over the tokens actually made."""
    require_non_negative("monthly_cost_usd", monthly_cost_usd)
    require_positive("tokens_per_second", tokens_per_second,
                     "Use the measured generation throughput of the whole machine, e.g. 100.")
    require_fraction("utilisation", utilisation, "It is the share of the month spent generating tokens.")
    require_positive("hours_per_month", hours_per_month, "730 by default; 720 for 30-day months.")
    at_full_use = tokens_per_second * SECONDS_PER_HOUR * hours_per_month
    tokens = at_full_use * utilisation
    return PerTokenCost(
        monthly_cost_usd=monthly_cost_usd,
        tokens_per_month=tokens,
        cost_per_million_tokens_usd=monthly_cost_usd / tokens * TOKENS_PER_MILLION,
        cost_per_million_tokens_at_full_use_usd=monthly_cost_usd / at_full_use * TOKENS_PER_MILLION,
    )
