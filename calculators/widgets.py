"""Widget definitions: the inputs a calculator form shows, the outputs it reports, and the engine call.

Pure and stdlib only, like the rest of the engine: the build imports it in CPython to prerender each
form, and the browser worker imports the very same module in Pyodide to recompute as the reader types.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from calculators.errors import EngineError, InputError
from calculators.rental import RentalCostInputs, rental_cost_per_million_tokens


@dataclass(frozen=True)
class InputSpec:
    """One field of a calculator form."""

    name: str
    label: str
    unit: str
    default: float
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1
    help: str = ""


@dataclass(frozen=True)
class OutputSpec:
    """One reported result: its label, its unit and how many decimals to show."""

    name: str
    label: str
    unit: str
    decimals: int = 2
    prefix: str = ""


@dataclass(frozen=True)
class Widget:
    """A calculator: a form of inputs, an engine call, and the outputs it shows."""

    name: str
    title: str
    inputs: tuple[InputSpec, ...]
    outputs: tuple[OutputSpec, ...]
    compute: Callable[[Mapping[str, float]], Mapping[str, float]] = field(repr=False)

    def input(self, name: str) -> InputSpec:
        """Give back the input called ``name``, or raise KeyError."""
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)


def format_output(spec: OutputSpec, value: float) -> str:
    """Give back ``value`` as the page shows it: '$9.72', '360,000'."""
    return f"{spec.prefix}{value:,.{spec.decimals}f}"


def _rental(values: Mapping[str, float]) -> Mapping[str, float]:
    result = rental_cost_per_million_tokens(
        RentalCostInputs(
            hourly_price_usd=values["hourly_price_usd"],
            tokens_per_second=values["tokens_per_second"],
            utilisation=values["utilisation_percent"] / 100,
        )
    )
    return {
        "cost_per_million_tokens_at_full_use": result.cost_per_million_tokens_at_full_use,
        "cost_per_million_tokens": result.cost_per_million_tokens,
        "tokens_per_hour_at_full_use": result.tokens_per_hour_at_full_use,
    }


RENTAL_COST = Widget(
    name="rental-cost",
    title="Rented GPU: cost per 1M tokens",
    inputs=(
        InputSpec("hourly_price_usd", "Rental price", "$/hour", 3.50, minimum=0, step=0.01,
                  help="What the provider bills per hour for the GPU or node."),
        InputSpec("tokens_per_second", "Throughput", "tokens/s", 100, minimum=0, step=1,
                  help="Tokens the node generates per second while busy."),
        InputSpec("utilisation_percent", "Utilisation", "%", 100, minimum=0, maximum=100, step=1,
                  help="Share of paid hours spent generating tokens."),
    ),
    outputs=(
        OutputSpec("cost_per_million_tokens_at_full_use", "At full use", "$ per 1M tokens", prefix="$"),
        OutputSpec("cost_per_million_tokens", "At this utilisation", "$ per 1M tokens", prefix="$"),
        OutputSpec("tokens_per_hour_at_full_use", "Capacity", "tokens/hour", decimals=0),
    ),
    compute=_rental,
)

WIDGETS: dict[str, Widget] = {widget.name: widget for widget in (RENTAL_COST,)}


def run_widget(name: str, values: Mapping[str, object]) -> dict[str, object]:
    """Give back what a widget shows for ``values``: formatted outputs, or the rejected field and why.

    This is the one entry point of the browser worker and of the build-time prerender, so both show
    the same text. Values arrive as the form holds them (strings in the browser); missing ones take
    the widget's defaults.
    """
    widget = WIDGETS[name]
    numbers: dict[str, float] = {}
    for spec in widget.inputs:
        raw = values.get(spec.name, spec.default)
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return _rejected(spec.name, f"{spec.label} must be a number in {spec.unit}; got {raw!r}")
        if not math.isfinite(number):
            return _rejected(spec.name, f"{spec.label} must be a finite number; got {raw!r}")
        numbers[spec.name] = number
    try:
        results = widget.compute(numbers)
    except InputError as error:
        return _rejected(_form_field(widget, error.field), str(error))
    except EngineError as error:
        return {"ok": False, "field": None, "message": str(error)}
    return {
        "ok": True,
        "values": {spec.name: results[spec.name] for spec in widget.outputs},
        "text": {spec.name: format_output(spec, results[spec.name]) for spec in widget.outputs},
    }


def _rejected(field_name: str | None, message: str) -> dict[str, object]:
    return {"ok": False, "field": field_name, "message": message}


def _form_field(widget: Widget, engine_field: str) -> str | None:
    """Map an engine input name to the form field that feeds it (utilisation -> utilisation_percent)."""
    names = [spec.name for spec in widget.inputs]
    if engine_field in names:
        return engine_field
    matches = [name for name in names if name.startswith(engine_field)]
    return matches[0] if matches else None


def run_widget_json(name: str, values_json: str) -> str:
    """Give back run_widget's answer as JSON: what the browser worker sends to the page."""
    import json

    values = json.loads(values_json)
    if name not in WIDGETS:
        return json.dumps({"ok": False, "field": None, "message": f"unknown widget {name!r}"})
    return json.dumps(run_widget(name, values))
