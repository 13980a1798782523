"""The calculators' public names, one import away: their declarations, the registry, reading and running.

Each concern has its module: ``forms`` (what a widget declares), ``widget_library`` (the widgets and
their registry, WIDGETS), ``reading`` (a typed field to a number or a choice), ``formatting`` (a
result as the page writes it), ``widget_figures`` (charts and tables) and ``protocol`` (run_widget,
the entry point of the browser worker and of the build's prerender).
"""

from atlas_mkdocs.engine.formatting import format_value, plain_number
from atlas_mkdocs.engine.forms import OutputSpec, Preset, Widget
from atlas_mkdocs.engine.inputs import DEFAULT_MAXIMUM, Input
from atlas_mkdocs.engine.protocol import json_runner, run_widget, run_widget_json, widget
from atlas_mkdocs.engine.reading import MAX_INPUT_CHARS, read_inputs, read_number
from atlas_mkdocs.engine.widget_library import WIDGETS

#: The name a form field's declaration had before models and forms shared one Input.
InputSpec = Input

__all__ = [
    "DEFAULT_MAXIMUM",
    "MAX_INPUT_CHARS",
    "WIDGETS",
    "Input",
    "InputSpec",
    "OutputSpec",
    "Preset",
    "Widget",
    "format_value",
    "json_runner",
    "plain_number",
    "read_inputs",
    "read_number",
    "run_widget",
    "run_widget_json",
    "widget",
]
