"""Figures as the page writes them: '$9.72', '$0.0409', '360,000', '33.3%', '1.50 trillion'.

Formatted for people: no negative zero, no exponent notation, and figures of a trillion or more in
words, so no result is wider than a phone's screen.
"""

from __future__ import annotations

import math
from typing import Any

#: Money smaller than this is shown as "under $0.000001", never in exponent notation.
SMALLEST_MONEY = 1e-6


#: Above this a figure is written in words ("1.50 trillion"), so no result is wider than a phone.
LARGE = 1e12


#: Figures beyond this are written "over a million trillion": no bounded input of ours gets there.
HUGE = 1e18


def plain_number(value: float, grouping: str = ",") -> str:
    """Give back a number as a person writes it: '1,000,000', '0.17', '2.5' (no exponent, no '-0').

    ``grouping=""`` writes it as a field takes it: '1500'.
    """
    value = float(value) + 0.0  # -0.0 + 0.0 is 0.0
    if value.is_integer() and abs(value) < 1e16:
        return f"{value:{grouping}.0f}"
    return _no_negative_zero(f"{value:{grouping}.6f}".rstrip("0").rstrip("."))


def _no_negative_zero(text: str) -> str:
    """Drop the minus of a figure that rounds to zero: '-0.00' is '0.00', '$-0' is '$0'."""
    return text.replace("-", "", 1) if not any(digit in text for digit in "123456789") else text


def _in_words(value: float, prefix: str = "") -> str | None:
    """Give back a figure of a trillion or more in words ('$1.50 trillion'), or None for a smaller one."""
    size = abs(value)
    if size < LARGE:
        return None
    if size >= HUGE:
        return f"over {prefix}1 million trillion" if value > 0 else f"under -{prefix}1 million trillion"
    return f"{'-' if value < 0 else ''}{prefix}{size / 1e12:,.2f} trillion"


def _money(value: float) -> str:
    """'$9.72', '$1,863.79', '$0.0409', '$0.0000152', 'under $0.000001', '-$5.00', '$1.50 trillion'."""
    sign, size = ("-" if value < 0 else ""), abs(value)
    words = _in_words(value, "$")
    if words:
        return words
    if size == 0 or size >= 1:
        return _no_negative_zero(f"{sign}${size:,.2f}")
    if size < SMALLEST_MONEY:
        return "under $0.000001" if value > 0 else "about $0"  # a negative this small is a rounding residue
    # Three significant digits, written out in full: 0.0409, 0.0000152.
    decimals = 2 - math.floor(math.log10(size))
    text = f"{size:.{decimals}f}".rstrip("0").rstrip(".")
    return f"{sign}${size:,.2f}" if float(text) >= 1 else f"{sign}${text}"  # 0.9996 rounds up to $1.00


def format_value(fmt: str, value: Any) -> str:
    """Give back ``value`` as the page shows it: '$9.72', '$0.0409', '360,000', '33.3%', 'yes'.

    Formatted for people: no negative zero, no exponent notation, and figures of a trillion or more in
    words, so no result is wider than a phone's screen.
    """
    if value is None:
        return "none"  # e.g. no break-even within the range searched
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or fmt == "yesno":
        return "yes" if value else "no"
    if isinstance(value, float) and not math.isfinite(value):
        return "not a finite number"  # finite_outputs refuses these first; never 'inf' on a page
    if fmt == "usd":
        return _money(value)
    if fmt == "usd0":
        return _in_words(value, "$") or _no_negative_zero(f"${value:,.0f}" if value >= 0 else f"-${-value:,.0f}")
    if fmt == "percent":
        words = _in_words(value * 100)
        return f"{words}%" if words else _no_negative_zero(f"{value * 100:.1f}%")
    words = _in_words(value)
    if words:
        return words
    if fmt == "int":
        return _no_negative_zero(f"{value:,.0f}")
    if fmt == "decimal1":
        return _no_negative_zero(f"{value:,.1f}")
    if fmt == "decimal2":
        return _no_negative_zero(f"{value:,.2f}")
    if fmt == "compact":
        for size, suffix in ((1e9, " billion"), (1e6, " million")):
            if abs(value) >= size:
                return f"{value / size:,.2f}{suffix}"
        return _no_negative_zero(f"{value:,.0f}")
    return plain_number(float(f"{value:.4g}"))
