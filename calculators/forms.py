"""A calculator's declaration: the fields of its form, the results it reports, presets, and the model it runs.

A widget is a model's signature plus labels: its fields are inputs (atlas_mkdocs.engine.inputs) that
feed the inputs of the model it names, and its results are that model's outputs, each with a label,
a unit and a format. A field is made by ``field`` from the model input it feeds: the unit, help and
default come from the model's ``param`` declaration, and the widget writes only its own: the label,
the form's bounds and step, the labels of a choice, a starting value where the model has no default,
and, marked ``Override``, a default other than the model's. A widget whose figure draws on the
engine's own objects, not the model's flat outputs (the decision's), brings a ``compute`` that runs
its model to keep them; its fields and results are checked against the model all the same. The
build renders the form from this declaration, atlas_mkdocs.engine.reading reads what a reader typed
against it, and atlas_mkdocs.engine.protocol runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import dataclasses
from dataclasses import dataclass
from typing import Any

from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.engine.errors import UnknownSpecError
from atlas_mkdocs.engine.inputs import REQUIRED, Feed, Input, find_input
from atlas_mkdocs.engine.models import calculate, calculation


@dataclass(frozen=True)
class Override:
    """A field's default where the widget wants another than its model's: the form starts elsewhere on purpose."""

    value: Any


#: The model kinds a form field reads as a number; a choice stays a choice.
_NUMBER_KINDS = ("number", "whole", "batch")


def field(model: str, name: str, label: str, *, feeds: Feed | None = None, default: Any = REQUIRED,
          minimum: float | None = None, maximum: float | None = None, step: float = 1,
          choices: tuple[tuple[Any, str], ...] = (), choices_from: str | None = None) -> Input:
    """Give back the form field ``name`` of a widget that runs ``model``: the model input's declaration plus labels.

    The unit, help and default are the model input's (through ``feeds`` where the field is in other
    units). ``default`` is the form's starting value where the model has none, or an ``Override`` of
    the model's; ``choices`` labels a choice's values (all of them, in the form's order), and
    ``choices_from`` offers the rows of a table of data/ for an input that names one. A field that
    differs from its declaration in any other way fails here, on import.
    """
    spec = calculation(model).param(feeds.model_input if feeds else name)
    owner = f"field {name!r} of a widget running {model!r}"
    declared = feeds.field_value(spec.default) if feeds else spec.default
    if spec.default is REQUIRED or spec.default is None:
        if default is REQUIRED or isinstance(default, Override):
            raise TypeError(f"{owner}: the model declares no default; give the form's starting value as default=")
    elif isinstance(default, Override):
        if _whole(default.value) == _whole(declared):
            raise TypeError(f"{owner}: Override({default.value!r}) is the model's own default; leave it out")
        default = default.value
    elif default is not REQUIRED:
        raise TypeError(f"{owner}: the model's default is {declared!r}; mark another as Override({default!r})")
    else:
        default = declared
    if spec.kind == "choice" or choices_from or (spec.kind == "text" and choices):  # a name offered as choices
        labelled = sorted(str(value) for value, _ in choices)
        if spec.kind == "choice" and choices and sorted(map(str, spec.choice_values)) != labelled:
            raise TypeError(f"{owner}: label the model's choices {spec.choice_values!r}, each once")
        if not (choices or choices_from):
            choices = spec.choices
        kind = "choice"
    elif spec.kind in _NUMBER_KINDS:
        kind = "number"
    else:
        raise TypeError(f"{owner}: a form has no field for a {spec.kind!r} input")
    # A field that picks a row of data/ shows the row's name: the command line's 'key' says nothing there.
    unit = feeds.field_unit(spec.unit) if feeds else "" if choices_from and spec.unit == "key" else spec.unit
    help = feeds.help if feeds is not None and feeds.help is not None else spec.help
    return Input(name, label, unit, _whole(default), minimum, maximum, step, help, kind, choices, choices_from,
                 feeds)


def _whole(value: Any) -> Any:
    """Give back a whole float as an int, as a form shows it (24, not 24.0); any other value as it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


@dataclass(frozen=True)
class OutputSpec:
    """One reported result: its label, its unit and how it is written (see ``format_value``).

    ``source`` is the output of the widget's model it shows, where the names differ.
    """

    name: str
    label: str
    unit: str
    format: str = "number"
    source: str | None = None


@dataclass(frozen=True)
class Preset:
    """A named starting scenario: the values it sets, and what it stands for."""

    name: str
    label: str
    values: Mapping[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Widget:
    """A calculator: a form of inputs, the model it runs, the outputs it shows, and an optional figure."""

    name: str
    title: str
    inputs: tuple[Input, ...]
    outputs: tuple[OutputSpec, ...]
    #: The engine model whose inputs the fields feed and whose outputs the results show.
    model: str
    #: Runs ``model`` on its inputs (the fields' values as the model takes them) and the catalogue of
    #: data/, where the figure needs more than its flat outputs: the results, and what the figure draws.
    compute: Callable[[Mapping[str, Any], Catalogue], Mapping[str, Any]] | None = dataclasses.field(
        default=None, repr=False)
    #: Draws an SVG chart or an HTML table from the inputs and the computed results.
    figure: Callable[[Mapping[str, Any], Mapping[str, Any]], str] | None = dataclasses.field(default=None, repr=False)
    presets: tuple[Preset, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        # Checked where it is declared: a field that feeds no input of the model, or a result it does
        # not give, fails on import, not on a reader's page.
        model = calculation(self.model)
        for spec in self.inputs:
            model.param(spec.model_input)
        for output in self.outputs:
            if (output.source or output.name) not in model.outputs:
                raise UnknownSpecError(f"output of model {model.name!r}", output.source or output.name,
                                       tuple(model.outputs))

    def run(self, values: Mapping[str, Any], catalogue: Catalogue) -> Mapping[str, Any]:
        """Give back the results for the read field ``values``: one run of the model (through ``compute``)."""
        model_values = {spec.model_input: spec.model_value(values[spec.name]) for spec in self.inputs}
        if self.compute is not None:
            return self.compute(model_values, catalogue)
        results = calculate(self.model, model_values, catalogue)
        return results | {output.name: results[output.source] for output in self.outputs if output.source}

    def input(self, name: str) -> Input:
        """Give back the input called ``name``, or raise UnknownSpecError (a KeyError) with a "did you mean"."""
        return find_input(self.inputs, name, f"widget {self.name!r}")

    def preset(self, name: str) -> Preset:
        """Give back the preset called ``name``, or raise UnknownSpecError (a KeyError) with a "did you mean"."""
        for preset in self.presets:
            if preset.name == name:
                return preset
        raise UnknownSpecError(f"preset of widget {self.name!r}", name, tuple(p.name for p in self.presets))

    def defaults(self) -> dict[str, Any]:
        """Give back every input's default value."""
        return {spec.name: spec.default for spec in self.inputs}
