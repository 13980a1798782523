"""The ```calculator fence: a widget's form and its results, computed by the engine at build time.

Registered as a pymdownx.superfences custom fence (see mkdocs.yml), so fenced-code handling, nesting
in lists and callouts, and the untouched Obsidian view of the block all come from SuperFences. In
Obsidian the same block simply shows as a code block.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import yaml
from calculators.widgets import WIDGETS, Widget, run_widget

from pymdownx.superfences import SuperFencesException

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - plain Python-Markdown or another site generator
    PluginError = Exception  # type: ignore[misc,assignment]


class _BlockFailure(SuperFencesException, PluginError):
    """Stops the build: SuperFences re-raises only its own exception (it treats any other as "not a
    fence" and shows the block as code), and MkDocs prints a BuildError as one line, no traceback."""

#: The note being rendered, set by the plugin before each page (pages render one at a time), so an
#: error can name the note and the line. Without the plugin, errors name the block alone.
_current_note: dict[str, str] = {}


def set_current_note(path: str, markdown_source: str) -> None:
    """Record the note about to be rendered and its full text (front matter included)."""
    _current_note.clear()
    _current_note.update(path=path, source=markdown_source)


def _where(block_source: str) -> str:
    """Give back "note.md, line N: " for the calculator fence holding ``block_source``, if known."""
    path, text = _current_note.get("path"), _current_note.get("source")
    if not path or text is None:
        return ""
    lines = text.splitlines()
    body = block_source.strip("\n").splitlines()
    for number, line in enumerate(lines):
        if re.match(r"\s*(`{3,}|~{3,})\s*calculator\b", line):
            following = [entry.strip() for entry in lines[number + 1 : number + 1 + len(body)]]
            if following == [entry.strip() for entry in body]:
                return f"{path}, line {number + 1}: "
    return f"{path}: "


class CalculatorBlockError(ValueError):
    """A calculator block that cannot be rendered; the message names the problem and a fix."""


def parse_block(source: str) -> tuple[Widget, dict[str, float]]:
    """Give back the widget a block names and its input overrides, or raise CalculatorBlockError."""
    try:
        spec = yaml.safe_load(source) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1} of the block" if mark else ""
        raise CalculatorBlockError(f"calculator block is not valid YAML{where}: {error}") from None
    if not isinstance(spec, dict):
        raise CalculatorBlockError("calculator block must be a YAML mapping such as 'widget: rental-cost'")
    name = spec.get("widget")
    if name not in WIDGETS:
        known = ", ".join(sorted(WIDGETS))
        raise CalculatorBlockError(f"calculator block names unknown widget {name!r}; known widgets: {known}")
    widget = WIDGETS[name]
    overrides = spec.get("inputs") or {}
    if not isinstance(overrides, dict):
        raise CalculatorBlockError(f"'inputs' of widget {name!r} must be a mapping of input name to value")
    values: dict[str, float] = {}
    for key, value in overrides.items():
        try:
            input_spec = widget.input(key)
        except KeyError:
            known = ", ".join(spec.name for spec in widget.inputs)
            raise CalculatorBlockError(
                f"widget {name!r} has no input {key!r}; its inputs are: {known}"
            ) from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CalculatorBlockError(f"input {key!r} of widget {name!r} must be a number; got {value!r}")
        below = input_spec.minimum is not None and value < input_spec.minimum
        above = input_spec.maximum is not None and value > input_spec.maximum
        if below or above:
            raise CalculatorBlockError(
                f"input {key!r} of widget {name!r} is {value}, outside its bounds "
                f"[{input_spec.minimum}, {input_spec.maximum}] {input_spec.unit}"
            )
        values[key] = float(value)
    return widget, values


def format_calculator(source: str, language: str, class_name: str, options: dict[str, Any], md, **kwargs) -> str:
    """Give back the HTML of a calculator: the form with its defaults and the engine's results."""
    try:
        widget, overrides = parse_block(source)
    except CalculatorBlockError as error:
        raise _BlockFailure(f"{_where(source)}{error}") from None
    count = getattr(md, "_atlas_calculators", 0) + 1
    md._atlas_calculators = count
    return render_widget(widget, overrides, f"calc-{count}")


def render_widget(widget: Widget, overrides: dict[str, float], dom_id: str) -> str:
    """Give back the prerendered widget: labelled inputs, results with units, and a status line."""
    values = {spec.name: overrides.get(spec.name, spec.default) for spec in widget.inputs}
    shown = run_widget(widget.name, values)
    if not shown["ok"]:
        raise _BlockFailure(
            f"calculator {widget.name!r}: its inputs are rejected by the engine: {shown['message']}"
        )
    esc = html.escape
    fields = []
    for spec in widget.inputs:
        field_id = f"{dom_id}-{spec.name}"
        bounds = "".join(
            f' {attr}="{_number(bound)}"'
            for attr, bound in (("min", spec.minimum), ("max", spec.maximum))
            if bound is not None
        )
        fields.append(
            f'<div class="atlas-field">'
            f'<label for="{field_id}">{esc(spec.label)} <span class="atlas-unit">({esc(spec.unit)})</span></label>'
            f'<input id="{field_id}" name="{esc(spec.name)}" type="number" inputmode="decimal" '
            f'value="{_number(values[spec.name])}" step="{_number(spec.step)}"{bounds} '
            f'aria-describedby="{field_id}-help {field_id}-error">'
            f'<small id="{field_id}-help" class="atlas-help">{esc(spec.help)}</small>'
            f'<small id="{field_id}-error" class="atlas-error" role="alert" hidden></small>'
            f"</div>"
        )
    results = "".join(
        f'<div class="atlas-result"><dt>{esc(spec.label)} <span class="atlas-unit">({esc(spec.unit)})</span></dt>'
        f'<dd data-output="{esc(spec.name)}" data-value="{shown["values"][spec.name]!r}">'
        f'{esc(shown["text"][spec.name])}</dd></div>'
        for spec in widget.outputs
    )
    defaults = esc(json.dumps(values, sort_keys=True), quote=True)
    return (
        f'<div class="atlas-calculator" id="{dom_id}" data-widget="{esc(widget.name)}" data-defaults="{defaults}">'
        f'<p class="atlas-calculator__title">{esc(widget.title)}</p>'
        f'<form class="atlas-calculator__form" novalidate>{"".join(fields)}</form>'
        f'<dl class="atlas-calculator__results" aria-live="polite">{results}</dl>'
        f'<p class="atlas-calculator__status" data-state="static">Results computed when this page was built.</p>'
        # Shown by the script once it runs: without scripts these buttons could do nothing.
        f'<div class="atlas-calculator__actions" hidden>'
        f'<button type="button" class="md-button" data-action="copy-link">Copy link</button>'
        f'<button type="button" class="md-button" data-action="reset">Reset to defaults</button>'
        f'<button type="button" class="md-button" data-action="csv">Download CSV</button>'
        f'<button type="button" class="md-button" data-action="json">Download JSON</button>'
        f"</div>"
        f"</div>"
    )


def _number(value: float) -> str:
    """Give back a number as an HTML attribute: 3.5, 100 (no trailing .0)."""
    return f"{value:g}" if float(value) != int(value) else str(int(value))
