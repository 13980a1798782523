"""The ```calculator fence: a widget's form and its results, computed by the engine at build time.

Registered as a pymdownx.superfences custom fence (the atlas plugin adds it; see build_scripts/wiring.py),
so fenced-code handling, nesting in lists and callouts, and the untouched Obsidian view of the block all
come from SuperFences. In Obsidian the same block simply shows as a code block. A block that cannot be
rendered becomes a visible error box and a build warning naming the note and line (session.block_error).
"""

from __future__ import annotations

import difflib
import html
import json
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.engine.reading import FieldRefused, read_values, read_written
from atlas_mkdocs.engine.widgets import WIDGETS, OutputSpec, Widget, run_widget
from atlas_mkdocs.material.markers import CALCULATOR
from atlas_mkdocs.session import BlockYAMLError, BuildSession, block_error, read_block

#: A line that opens a ```calculator (or ~~~calculator) block, also inside callouts, quotes and lists.
_OPENING = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:`{3,}|~{3,})[ \t]*\{?\.?calculator\b",
                      re.MULTILINE)


def may_hold_calculator(markdown: str) -> bool:
    """Give back whether a note may hold a calculator block: a line of it opens one.

    Decides whether a site ships the calculators' runtime at all, before any page is rendered. A
    calculator block shown as an example inside a longer fence counts too: shipping the runtime for
    nothing is the safe mistake, leaving a live calculator without one is not.
    """
    return _OPENING.search(markdown) is not None


class CalculatorBlockError(ValueError):
    """A calculator block that cannot be rendered; the message names the problem and a fix."""


@dataclass(frozen=True)
class CalculatorBlock:
    """What a ```calculator block asks for: a widget, its starting values, and what to show."""

    widget: Widget
    values: dict[str, Any]
    outputs: tuple[OutputSpec, ...]
    show_figure: bool


BLOCK_KEYS = ("widget", "inputs", "preset", "outputs", "chart")


def parse_block(source: str, catalogue: Catalogue) -> CalculatorBlock:
    """Give back what a block asks for, or raise CalculatorBlockError naming the problem and a fix."""
    try:
        spec = read_block(source)
    except BlockYAMLError as error:
        raise CalculatorBlockError(f"calculator block is {error}") from None
    if not isinstance(spec, dict):
        raise CalculatorBlockError("calculator block must be a YAML mapping such as 'widget: rental-cost'")
    unknown_keys = [key for key in spec if key not in BLOCK_KEYS]
    if unknown_keys:
        raise CalculatorBlockError(f"calculator block has unknown key {unknown_keys[0]!r}; "
                                   f"the keys are: {', '.join(BLOCK_KEYS)}")
    name = spec.get("widget")
    if name not in WIDGETS:
        close = difflib.get_close_matches(str(name), sorted(WIDGETS), n=1)
        fix = f"Did you mean {close[0]!r}?" if close else f"Known widgets: {', '.join(sorted(WIDGETS))}"
        raise CalculatorBlockError(f"calculator block names unknown widget {name!r}. {fix}")
    widget = WIDGETS[name]
    values = widget.defaults()
    preset = spec.get("preset")
    if preset is not None:
        try:
            values |= dict(widget.preset(preset).values)
        except KeyError:
            known = ", ".join(p.name for p in widget.presets) or "none"
            raise CalculatorBlockError(f"widget {name!r} has no preset {preset!r}; its presets: {known}") from None
    overrides = spec.get("inputs") or {}
    if not isinstance(overrides, dict):
        raise CalculatorBlockError(f"'inputs' of widget {name!r} must be a mapping of input name to value")
    owner = f"widget {name!r}"
    read = partial(read_written, catalogue=catalogue, owner=owner)
    for key, value in overrides.items():
        try:
            input_spec = widget.input(key)
        except KeyError:
            names = [spec.name for spec in widget.inputs]
            close = difflib.get_close_matches(str(key), names, n=1)
            fix = f"Did you mean {close[0]!r}?" if close else f"Its inputs are: {', '.join(names)}"
            raise CalculatorBlockError(f"widget {name!r} has no input {key!r}. {fix}") from None
        try:  # a value written in the block is read by the engine's one reading path, as the form's are
            read_values((input_spec,), {key: value}, read, owner, values)
        except FieldRefused as refused:
            raise CalculatorBlockError(refused.message) from None
    outputs = widget.outputs
    if spec.get("outputs") is not None:
        wanted = spec["outputs"]
        names = [o.name for o in widget.outputs]
        if not isinstance(wanted, list) or not wanted or any(w not in names for w in wanted):
            raise CalculatorBlockError(f"'outputs' of widget {name!r} must be a list drawn from: {', '.join(names)}")
        outputs = tuple(o for o in widget.outputs if o.name in wanted)
    show_figure = spec.get("chart", True)
    if not isinstance(show_figure, bool):
        raise CalculatorBlockError(f"'chart' of widget {name!r} must be true or false; got {show_figure!r}")
    return CalculatorBlock(widget, values, outputs, show_figure and widget.figure is not None)


def format_calculator(source: str, language: str, class_name: str, options: dict[str, Any], md,
                      session: BuildSession | None = None, **kwargs) -> str:
    """Give back the HTML of a calculator: the form with its defaults and the engine's results, or, for
    a block that cannot be rendered, a visible error box (and a build warning naming note and line).

    The plugin gives it the build's ``session``; without one (Zensical, plain Python-Markdown) it takes
    the figures extension's, or else one over the facts the package carries."""
    session = session or session_of(md)
    try:
        facts = session.catalogue
        block = parse_block(source, facts)
        return render_widget(block, f"calc-{calculators_before(md) + 1}", facts)
    except CalculatorBlockError as error:
        return block_error("calculator", session.where_fence("calculator", source), str(error))
    except Exception as error:  # a fault of ours: SuperFences would show the block as code, silently
        return block_error("calculator", session.where_fence("calculator", source),
                           f"calculator block failed: {type(error).__name__}: {error}")


def calculators_before(md) -> int:
    """Give back how many calculators the document ``md`` is rendering holds so far: SuperFences keeps
    each rendered block in the document's HTML stash (an embed's HTML counts its own)."""
    return sum(block.count(CALCULATOR) for block in md.htmlStash.rawHtmlBlocks if isinstance(block, str))


def session_of(md) -> BuildSession:
    """Give back the session of the figures extension ``md`` runs (its data folder), or one over the facts
    the package carries."""
    from atlas_mkdocs.figures import FiguresExtension
    from atlas_mkdocs.wiring import BUNDLED_DATA

    figures = next((e for e in getattr(md, "registeredExtensions", ()) if isinstance(e, FiguresExtension)), None)
    return figures.session if figures is not None else BuildSession(data_dir=BUNDLED_DATA)


def render_widget(block: CalculatorBlock, dom_id: str, catalogue: Catalogue) -> str:
    """Give back the prerendered widget: labelled inputs, results with units, figure, presets, status."""
    widget, values = block.widget, block.values
    shown = run_widget(widget.name, values, catalogue)
    if not shown["ok"]:
        raise CalculatorBlockError(
            f"calculator {widget.name!r}: its inputs are rejected by the engine: {shown['message']}"
        )
    esc = html.escape
    fields = []
    for spec in widget.inputs:
        field_id = f"{dom_id}-{spec.name}"
        described = f'aria-describedby="{field_id}-help {field_id}-error"'
        if spec.kind == "choice":
            options = "".join(
                f'<option value="{esc(value)}"{" selected" if str(values[spec.name]) == value else ""}>{esc(label)}</option>'
                for value, label in spec.options(catalogue))
            control = f'<select id="{field_id}" name="{esc(spec.name)}" {described}>{options}</select>'
        else:
            # Text, not type="number": a number field turns "1,5" into 15 before any script sees it, and
            # empties "abc"; the engine reads what was typed and names the problem (widgets.read_number).
            control = (f'<input id="{field_id}" name="{esc(spec.name)}" type="text" inputmode="decimal" '
                       f'value="{_number(values[spec.name])}" autocomplete="off" spellcheck="false" {described}>')
        unit = f' <span class="atlas-unit">({esc(spec.unit)})</span>' if spec.unit else ""
        fields.append(
            f'<div class="atlas-field"><label for="{field_id}">{esc(spec.label)}{unit}</label>{control}'
            f'<small id="{field_id}-help" class="atlas-help">{esc(spec.help_text())}</small>'
            f'<small id="{field_id}-error" class="atlas-error" role="alert" hidden></small></div>'
        )
    results = "".join(
        f'<div class="atlas-result"><dt>{esc(spec.label)}'
        + (f' <span class="atlas-unit">({esc(spec.unit)})</span>' if spec.unit else "")
        + f'</dt><dd data-output="{esc(spec.name)}" data-value="{esc(repr(shown["values"][spec.name]))}">'
        f'{esc(shown["text"][spec.name])}</dd></div>'
        for spec in block.outputs
    )
    figure = ""
    if block.show_figure:
        figure = f'<div class="atlas-calculator__figure" data-figure>{shown["figure"].replace("{id}", dom_id)}</div>'
    presets = ""
    if widget.presets:
        buttons = "".join(
            f'<button type="button" class="md-button" data-preset="{esc(json.dumps(dict(p.values), sort_keys=True))}" '
            f'title="{esc(p.description)}">{esc(p.label)}</button>'
            for p in widget.presets)
        presets = f'<div class="atlas-calculator__presets" hidden><span>Start from:</span>{buttons}</div>'
    note = f'<p class="atlas-calculator__note">{esc(widget.note)}</p>' if widget.note else ""
    defaults = esc(json.dumps(values, sort_keys=True), quote=True)
    return (
        f'{CALCULATOR}{dom_id}" data-widget="{esc(widget.name)}" data-defaults="{defaults}">'
        f'<p class="atlas-calculator__title">{esc(widget.title)}</p>{presets}'
        f'<form class="atlas-calculator__form" novalidate>{"".join(fields)}</form>{note}'
        f'<dl class="atlas-calculator__results" aria-live="polite">{results}</dl>{figure}'
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
