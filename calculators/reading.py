"""Reading values against inputs: one path for a form, a calculator block, calculate, the command line and scenarios.

``read_values`` walks an input list: each value given is read by the input's reader, each one not
given takes its default, read the same way, and a required one not given is refused. A form field's
reader takes what a reader typed (or a page's address holds) and refuses it in the field's label and
unit (``read_field``, ``read_number``), and one written in a page's calculator block is read as YAML
wrote it (``read_written``); a model input's reader takes the values of the command line,
a scenario or a build-time expression (``convert``). An input name no one declared is refused first,
with the closest known name (``check_names``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.errors import EngineError, InputError, MissingInputError, require_finite
from atlas_mkdocs.engine.formatting import plain_number
from atlas_mkdocs.engine.inputs import REQUIRED, Input, find_input
from atlas_mkdocs.engine.uncertainty import Range


def check_names(inputs: Iterable[Input], values: Mapping[str, object], owner: str) -> None:
    """Raise UnknownSpecError, with a "did you mean", for the first value named after no input of ``owner``."""
    inputs = tuple(inputs)
    for name in values:
        find_input(inputs, name, owner)


def read_values(inputs: Iterable[Input], values: Mapping[str, object], read: Callable[[Input, object], Any],
                owner: str, into: dict[str, Any] | None = None) -> dict[str, Any]:
    """Give back every input's value: given ones read by ``read``, missing ones their default, read alike.

    Raises MissingInputError naming the input, its unit and ``owner`` for a required input not given,
    and whatever ``read`` raises for a value it refuses; ``into`` then holds the values read before it.
    """
    read_so_far = {} if into is None else into
    for spec in inputs:
        raw = values.get(spec.name, spec.default)
        if raw is REQUIRED:
            raise MissingInputError(spec.name, spec.unit, owner)
        read_so_far[spec.name] = read(spec, raw)
    return read_so_far


# ---- a model's inputs ---------------------------------------------------------------------------------

def convert(spec: Input, raw: object) -> object:
    """Give back ``raw`` as model input ``spec``'s type, reading strings as the command line gives them."""
    if raw is None and spec.default is None:
        return None
    if spec.kind == "flag":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "yes", "1", "false", "no", "0"):
            return raw.lower() in ("true", "yes", "1")
        raise InputError(spec.name, raw, "true or false")
    if spec.kind == "text":
        if not isinstance(raw, str) or not raw:
            raise InputError(spec.name, raw, "a non-empty name")
        return raw
    if spec.kind == "batch" and isinstance(raw, str) and raw.strip().lower() == "max":
        return "max"
    if spec.kind == "choice":
        allowed = spec.choice_values
        if isinstance(raw, str) and raw not in allowed:
            try:
                raw = int(raw)
            except ValueError:
                pass
        if raw not in allowed:
            raise InputError(spec.name, raw, "one of " + ", ".join(repr(c) for c in allowed))
        return raw
    if isinstance(raw, Range):
        return raw
    if isinstance(raw, str):
        text = raw.strip().replace("_", "")
        try:
            raw = int(text) if text.lstrip("+-").isdigit() else float(text)
        except ValueError:
            raise InputError(spec.name, raw, f"a number in {spec.unit}") from None
    number = require_finite(spec.name, raw)  # type: ignore[arg-type]
    if spec.kind == "batch":
        if not number.is_integer() or number < 1:
            raise InputError(spec.name, raw, "a whole number of 1 or more, or max")
        return int(number)
    if spec.kind == "whole":
        if not number.is_integer():
            raise InputError(spec.name, raw, "a whole number")
        return int(number)
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else number


def resolve(inputs: Iterable[Input], values: Mapping[str, object], owner: str) -> dict[str, object]:
    """Give back a model's inputs from ``values``: each given one converted, the rest their defaults."""
    inputs = tuple(inputs)
    check_names(inputs, values, owner)
    return read_values(inputs, values, convert, owner)


def split_range(raw: str) -> object:
    """Give back ``low,base,high`` as a Range (an uncertainty run), or any other text as it is."""
    parts = raw.split(",")
    if len(parts) == 3:
        try:
            return Range(*(float(part) for part in parts))
        except ValueError:
            return raw
    return raw


# ---- a calculator's fields ----------------------------------------------------------------------------

class FieldRefused(EngineError):
    """A form field's value cannot be read; the message names the field by its label and unit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


def read_field(spec: Input, raw: object, catalogue: Catalogue = NO_DATA) -> Any:
    """Give back a form field's value, a number or a choice, or raise FieldRefused saying why."""
    if spec.kind == "choice":
        options = spec.options(catalogue)
        if str(raw) not in [value for value, _ in options]:
            raise FieldRefused(spec.name, f"{spec.label} must be one of: "
                               + ", ".join(label for _, label in options) + f"; got {_shown(raw)}")
        return str(raw)
    number, problem = read_number(spec, raw)
    if problem:
        raise FieldRefused(spec.name, problem)
    return number


def read_inputs(widget: Any, values: Mapping[str, object],
                catalogue: Catalogue = NO_DATA) -> tuple[dict[str, Any], dict[str, str] | None]:
    """Give back the widget's inputs as numbers or choices, or the first rejected field and why.

    Values arrive as the form holds them (strings in the browser, as typed or from the page's address);
    missing ones take the defaults. Every message names the field by its label and unit.
    """
    read: dict[str, Any] = {}
    try:
        read_values(widget.inputs, values, lambda spec, raw: read_field(spec, raw, catalogue),
                    f"widget {widget.name!r}", read)
    except FieldRefused as refused:
        return read, {"field": refused.field, "message": refused.message}
    return read, None


def read_written(spec: Input, raw: object, catalogue: Catalogue = NO_DATA, owner: str = "widget") -> Any:
    """Give back a field's value as a page's calculator block writes it, or raise FieldRefused saying why.

    The block is YAML, so a number is written as one: text is refused, not read as a form reads it. A
    value is held to the field's bounds; the message names the input, ``owner`` and the bounds.
    """
    if spec.kind == "choice":
        allowed = [value for value, _ in spec.options(catalogue)]
        if str(raw) not in allowed:
            raise FieldRefused(spec.name, f"input {spec.name!r} of {owner} is {raw!r}; choose one of: "
                                          f"{', '.join(allowed)}")
        return str(raw)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise FieldRefused(spec.name, f"input {spec.name!r} of {owner} must be a number; got {raw!r}")
    if (spec.minimum is not None and raw < spec.minimum) or (spec.maximum is not None and raw > spec.maximum):
        raise FieldRefused(spec.name, f"input {spec.name!r} of {owner} is {raw}, outside its bounds "
                                      f"[{spec.minimum}, {spec.maximum}] {spec.unit}")
    return raw


#: The longest text a field reads; a longer one (a pasted paragraph, a hostile address) is refused.
MAX_INPUT_CHARS = 64


#: English thousands separators that cannot be read any other way: two groups or more ('1,000,000'),
#: or a group before a decimal point ('1,500.25').
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|[+-]?\d{1,3}(?:,\d{3})+\.\d+")


#: One comma before three digits: one and a half thousand to some readers, one and a half to others.
_AMBIGUOUS = re.compile(r"[+-]?\d{1,3},\d{3}")


def read_number(spec: Input, raw: object) -> tuple[float | None, str | None]:
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
