"""Running a calculator: the one entry point of the browser worker and of the build's prerender.

``run_widget`` answers with the formatted results and figure, or the rejected field and why, in the
form's words; ``json_runner`` wraps it for the worker, which speaks JSON with the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.errors import EngineError, InputError, UnknownSpecError
from atlas_mkdocs.engine.formatting import format_value, plain_number
from atlas_mkdocs.engine.forms import Widget
from atlas_mkdocs.engine.models import finite_outputs
from atlas_mkdocs.engine.reading import check_names, read_inputs
from atlas_mkdocs.engine.widget_library import WIDGETS


def widget(name: str) -> Widget:
    """Give back the widget called ``name``, or raise UnknownSpecError with a "did you mean"."""
    return WIDGETS.find(name)


def run_widget(name: str, values: Mapping[str, object], catalogue: Catalogue = NO_DATA) -> dict[str, object]:
    """Give back what a widget shows for ``values``: formatted outputs and figure, or the rejected field.

    This is the one entry point of the browser worker and of the build-time prerender, so both show
    the same text. An unknown widget or input name is rejected with a "did you mean", never ignored.
    ``catalogue`` is data/: the choices some inputs offer, and the facts some models read.
    """
    try:
        found = widget(name)
        check_names(found.inputs, values, f"widget {found.name!r}")
    except UnknownSpecError as error:
        return {"ok": False, "field": None, "message": str(error)}
    numbers, rejected = read_inputs(found, values, catalogue)
    if rejected:
        # Every other field that cannot be read is named too ("others"), so an address that sets several
        # wrong values gets each message at once, as typing them one by one would.
        others = {}
        for spec in found.inputs:
            if spec.name != rejected["field"]:
                _, also = read_inputs(replace(found, inputs=(spec,)), values, catalogue)
                if also:
                    others[spec.name] = also["message"]
        return {"ok": False, **rejected, **({"others": others} if others else {})}
    try:
        results, figure = _compute(found, numbers, catalogue)
    except InputError as error:
        field = _form_field(found, error.field)
        defaults = found.defaults()
        changed = [spec.name for spec in found.inputs if numbers[spec.name] != defaults[spec.name]]
        if field is not None and (field in changed or not changed):
            return {"ok": False, "field": field, "message": _in_form_words(found, error, numbers)}
        return _blame(found, values, numbers, _in_form_words(found, error, numbers), catalogue)
    except EngineError as error:
        return _blame(found, values, numbers, None if _NOT_FINITE in str(error) else in_words(str(error)),
                      catalogue)
    except (ArithmeticError, LookupError) as error:  # a fault of ours at an extreme: a message, not a crash
        return _blame(found, values, numbers, f"the engine could not compute this ({type(error).__name__})",
                      catalogue)
    return {
        "ok": True,
        "values": {spec.name: _plain(results.get(spec.name)) for spec in found.outputs},
        "text": {spec.name: format_value(spec.format, results.get(spec.name)) for spec in found.outputs},
        "figure": figure,
    }


def _compute(found: Widget, numbers: Mapping[str, Any], catalogue: Catalogue) -> tuple[Mapping[str, Any], str | None]:
    """Give back a widget's results and figure, or raise the engine's error."""
    results = finite_outputs(found.name, lambda values: found.run(values, catalogue), numbers)
    return results, (found.figure(numbers, results) if found.figure else None)


#: What finite_outputs says when a result overflows: the reader is told which field, not this.
_NOT_FINITE = "too large or too small to give a finite result"


def in_words(message: str) -> str:
    """Give back an engine message with its names written as words: 'tokens_per_month' as 'tokens per month'."""
    return re.sub(r"\b[a-z]+(?:_[a-z0-9]+)+\b", lambda name: name.group().replace("_", " "), message)


def _in_form_words(found: Widget, error: InputError, numbers: Mapping[str, Any]) -> str:
    """Give back the engine's refusal in the form's words: its label and unit for the engine's name."""
    field = _form_field(found, error.field)
    hint = f". {error.hint}" if error.hint else ""
    if field is None or field != error.field:  # the engine's own quantity (a share, not a percent)
        return in_words(str(error))
    spec = found.input(field)
    unit = f" ({spec.unit})" if spec.unit else ""
    value = numbers[field]
    shown = plain_number(value) if isinstance(value, float) else str(value)
    return f"{spec.label}{unit} must be {error.allowed}; got {shown}{hint}"


def _blame(found: Widget, values: Mapping[str, object], numbers: Mapping[str, Any],
           reason: str | None, catalogue: Catalogue) -> dict[str, object]:
    """Give back a refusal at the one field whose value the engine could not take, in its label and unit.

    The engine names what it computed (requests per month from requests per day, a cost that is no
    longer a finite number, the base of a range), not the field the reader typed in. Each field that
    differs from its default is put back to it in turn: the one whose own value makes the difference is
    the one to change. ``reason`` is the engine's refusal, or None where a result was not a finite number.
    A refusal that no single field explains is shown for the whole calculator.
    """
    defaults = found.defaults()
    for spec in found.inputs:
        if numbers.get(spec.name) == defaults[spec.name]:
            continue
        try:
            _compute(found, {**numbers, spec.name: defaults[spec.name]}, catalogue)
        except (EngineError, ArithmeticError, LookupError):
            continue
        unit = f" {spec.unit}" if spec.unit else ""
        typed = str(values.get(spec.name, numbers[spec.name])).strip()
        if reason is not None:
            message = f"{spec.label}: with {typed}{unit}, {reason}"
        elif spec.kind == "number":
            size = "small" if numbers[spec.name] < defaults[spec.name] else "large"
            message = (f"{spec.label}: {typed}{unit} is too {size} to give results that are finite numbers; "
                       f"try a value nearer {plain_number(defaults[spec.name])}{unit}.")
        else:
            message = f"{spec.label}: this choice gives results that are not finite numbers."
        return {"ok": False, "field": spec.name, "message": message}
    return {"ok": False, "field": None, "message": reason or (
        "These values give results too large or too small to be finite numbers; check their units.")}


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


def _form_field(widget: Widget, engine_field: str) -> str | None:
    """Map an engine input name to the form field that feeds it (utilisation -> utilisation_percent)."""
    names = [spec.name for spec in widget.inputs]
    if engine_field in names:
        return engine_field
    matches = [name for name in names if name.startswith(engine_field)]
    return matches[0] if matches else None


def run_widget_json(name: str, values_json: str, catalogue: Catalogue = NO_DATA) -> str:
    """Give back run_widget's answer as JSON: what the browser worker sends to the page."""
    return json.dumps(run_widget(name, json.loads(values_json), catalogue))


def json_runner(catalogue_json: str) -> Callable[[str, str], str]:
    """Give back the browser worker's one call: (widget name, values as JSON) to run_widget's answer as JSON.

    The worker makes it once from the site's data.json: the catalogue lives in the function it holds,
    not in the engine.
    """
    return partial(run_widget_json, catalogue=Catalogue.from_json(catalogue_json))
