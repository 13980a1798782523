"""Units and calendar conventions shared by every model.

A month is a convention, not a fact, so it is a named constant and every model takes it as a parameter:
730 hours (365 days x 24 / 12) by default; the seeds use 30-day months (720 hours), and scenarios that
reproduce them pass ``HOURS_PER_30_DAY_MONTH`` and say so.
"""

from __future__ import annotations

HOURS_PER_MONTH = 730.0
HOURS_PER_30_DAY_MONTH = 720.0
HOURS_PER_DAY = 24.0
SECONDS_PER_HOUR = 3600
TOKENS_PER_MILLION = 1_000_000
BYTES_PER_GB = 1_000_000_000  # decimal GB, as GPU datasheets and price lists use
WATTS_PER_KILOWATT = 1000


def days_per_month(hours_per_month: float) -> float:
    """Give back the days in a month of ``hours_per_month`` hours (30.42 for 730 h, 30 for 720 h)."""
    return hours_per_month / HOURS_PER_DAY
