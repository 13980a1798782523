"""A calculator's declaration: the fields of its form, the results it reports, presets, and the model it runs.

A widget is a model's signature plus labels: its fields are inputs (atlas_mkdocs.engine.inputs) that
feed the inputs of the model it names, and its results are that model's outputs, each with a label,
a unit and a format. Where a widget's figures need more than one model run (a three-way comparison,
ranges, a decision's table), it brings its own ``compute``. The build renders the form from this
declaration, atlas_mkdocs.engine.reading reads what a reader typed against it, and
atlas_mkdocs.engine.protocol runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.engine.errors import UnknownSpecError
from atlas_mkdocs.engine.inputs import Input, find_input
from atlas_mkdocs.engine.models import calculate, calculation


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
    model: str | None = None
    #: Computes the results from the read fields and the catalogue of data/, where one run of ``model``
    #: does not give them.
    compute: Callable[[Mapping[str, Any], Catalogue], Mapping[str, Any]] | None = field(default=None, repr=False)
    #: Draws an SVG chart or an HTML table from the inputs and the computed results.
    figure: Callable[[Mapping[str, Any], Mapping[str, Any]], str] | None = field(default=None, repr=False)
    presets: tuple[Preset, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        # Checked where it is declared: a field that feeds no input of the model, or a result it does
        # not give, fails on import, not on a reader's page.
        if self.compute is not None:
            return
        if self.model is None:
            raise TypeError(f"widget {self.name!r} needs a model or a compute")
        model = calculation(self.model)
        for spec in self.inputs:
            model.param(spec.model_input)
        for output in self.outputs:
            if (output.source or output.name) not in model.outputs:
                raise UnknownSpecError(f"output of model {model.name!r}", output.source or output.name,
                                       tuple(model.outputs))

    def run(self, values: Mapping[str, Any], catalogue: Catalogue) -> Mapping[str, Any]:
        """Give back the results for the read field ``values``: one run of the model, or the widget's own."""
        if self.compute is not None:
            return self.compute(values, catalogue)
        results = calculate(self.model, {spec.model_input: spec.model_value(values[spec.name])
                                         for spec in self.inputs}, catalogue)
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
