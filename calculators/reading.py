"""Reading a calculator's fields: what a reader typed (or a page's address holds), as numbers and choices.

One path for the form in the browser, the build's prerender and the tests: every refusal names the
field by its label and unit, and says what to write instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.formatting import plain_number
from atlas_mkdocs.engine.forms import InputSpec, Widget

#: The longest text a field reads; a longer one (a pasted paragraph, a hostile address) is refused.
MAX_INPUT_CHARS = 64


def read_inputs(widget: Widget, values: Mapping[str, object],
                catalogue: Catalogue = NO_DATA) -> tuple[dict[str, Any], dict[str, str] | None]:
    """Give back the widget's inputs as numbers or choices, or the first rejected field and why.

    Values arrive as the form holds them (strings in the browser, as typed or from the page's address);
    missing ones take the defaults. Every message names the field by its label and unit.
    """
    read: dict[str, Any] = {}
    for spec in widget.inputs:
        raw = values.get(spec.name, spec.default)
        if spec.kind == "choice":
            allowed = [value for value, _ in spec.options(catalogue)]
            if str(raw) not in allowed:
                return read, {"field": spec.name, "message": f"{spec.label} must be one of: "
                              + ", ".join(label for _, label in spec.options(catalogue)) + f"; got {_shown(raw)}"}
            read[spec.name] = str(raw)
            continue
        number, problem = read_number(spec, raw)
        if problem:
            return read, {"field": spec.name, "message": problem}
        read[spec.name] = number
    return read, None


#: English thousands separators that cannot be read any other way: two groups or more ('1,000,000'),
#: or a group before a decimal point ('1,500.25').
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|[+-]?\d{1,3}(?:,\d{3})+\.\d+")


#: One comma before three digits: one and a half thousand to some readers, one and a half to others.
_AMBIGUOUS = re.compile(r"[+-]?\d{1,3},\d{3}")


def read_number(spec: InputSpec, raw: object) -> tuple[float | None, str | None]:
    """Give back a number input's value as a float, or None and a message in the field's label and unit.

    Read as a person writes numbers, and never guessed: surrounding spaces go, any script's digits are
    digits (Arabic-Indic '١٥' is 15), a point is the decimal point, as the page writes its figures.
    A comma is read only where it cannot be anything but an English thousands separator; '1,5' and
    '1,500' (one and a half, or fifteen hundred?) are refused with the two ways to write them.
    """
    unit = f" {spec.unit}" if spec.unit else ""
    if isinstance(raw, bool):
        return None, f"{spec.label} must be a number in{unit or ' its unit'}; got {_shown(raw)}"
    if isinstance(raw, (int, float)):
        number, text = float(raw), plain_number(raw) if math.isfinite(float(raw)) else str(raw)
    else:
        text = "" if raw is None else str(raw)
        if len(text) > MAX_INPUT_CHARS:
            return None, (f"{spec.label} is {len(text):,} characters long; a value has at most "
                          f"{MAX_INPUT_CHARS}. {spec.bounds()}")
        text = text.strip()
        if not text:
            return None, f"{spec.label} is empty: enter a number in{unit or ' its unit'}. {spec.bounds()}"
        written = text.replace("\u066b", ".").replace("\u066c", ",").replace("\u2212", "-")  # Arabic point
        if "," in written:
            if _GROUPED.fullmatch(written):
                written = written.replace(",", "")
            elif _AMBIGUOUS.fullmatch(written):
                thousands = plain_number(float(written.replace(",", "")), grouping="")
                decimal = plain_number(float(written.replace(",", ".")), grouping="")
                return None, (f"{spec.label}: {_shown(text)} could be {decimal} or {thousands}; write "
                              f"{thousands} without the comma, or {decimal} with a point.")
            else:
                return None, (f"{spec.label}: write decimals with a point, as in 1.5, and no thousands "
                              f"separators; got {_shown(text)}")
        try:
            if "_" in written:  # Python reads 1_000, a person would not
                raise ValueError(written)
            number = float(written)
        except ValueError:
            return None, f"{spec.label} must be a number in{unit or ' its unit'}; got {_shown(text)}"
    if not math.isfinite(number):
        return None, f"{spec.label} must be a finite number. {spec.bounds()} Got {_shown(text)}"
    number += 0.0  # -0 is 0
    if spec.minimum is not None and number < spec.minimum:
        return None, f"{spec.label} must be at least {plain_number(spec.minimum)}{unit}; got {text}"
    if number > spec.ceiling:
        return None, f"{spec.label} must be at most {plain_number(spec.ceiling)}{unit}; got {text}"
    return number, None


def _shown(raw: object) -> str:
    """Give back a refused value as a message quotes it: in quotes, and cut short if long."""
    text = str(raw)
    return repr(text if len(text) <= 24 else text[:24] + "…")
