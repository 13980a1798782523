"""A calculator's declaration: the fields of its form, the results it reports, presets, and the engine call.

Each widget in atlas_mkdocs.engine.widgets is one of these values; the build renders the form from it,
atlas_mkdocs.engine.reading reads what a reader typed against it, and atlas_mkdocs.engine.protocol runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.errors import UnknownSpecError
from atlas_mkdocs.engine.formatting import plain_number

@dataclass(frozen=True)
class InputSpec:
    """One field of a calculator form: a number, or a choice among ``choices`` (value, label) pairs.

    ``choices_from`` names a table of data/ (e.g. "gpus") whose rows become the choices at run time.
    """

    name: str
    label: str
    unit: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1
    help: str = ""
    kind: str = "number"
    choices: tuple[tuple[str, str], ...] = ()
    choices_from: str | None = None

    def options(self, catalogue: Catalogue = NO_DATA) -> tuple[tuple[str, str], ...]:
        """Give back the (value, label) pairs of a choice input, from ``catalogue`` where it says so."""
        if self.choices_from:
            return tuple((row["id"], row.get("name", row["id"])) for row in catalogue.rows(self.choices_from))
        return self.choices

    @property
    def ceiling(self) -> float:
        """Give back the largest value a number input takes: its maximum, or DEFAULT_MAXIMUM."""
        return self.maximum if self.maximum is not None else DEFAULT_MAXIMUM

    def bounds(self) -> str:
        """Give back the range a number input accepts, as its help text states it: 'From 0 to 1,000 $/hour.'"""
        unit = f" {self.unit}" if self.unit else ""
        return f"From {plain_number(self.minimum or 0)} to {plain_number(self.ceiling)}{unit}."

    def help_text(self) -> str:
        """Give back the help shown under the field: what it means, and for a number, its range."""
        if self.kind != "number":
            return self.help
        return f"{self.help} {self.bounds()}" if self.help else self.bounds()


@dataclass(frozen=True)
class OutputSpec:
    """One reported result: its label, its unit and how it is written (see ``format_value``)."""

    name: str
    label: str
    unit: str
    format: str = "number"


@dataclass(frozen=True)
class Preset:
    """A named starting scenario: the values it sets, and what it stands for."""

    name: str
    label: str
    values: Mapping[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Widget:
    """A calculator: a form of inputs, an engine call, the outputs it shows, and an optional figure."""

    name: str
    title: str
    inputs: tuple[InputSpec, ...]
    outputs: tuple[OutputSpec, ...]
    #: Computes the results from the read inputs and the catalogue of data/.
    compute: Callable[[Mapping[str, Any], Catalogue], Mapping[str, Any]] = field(repr=False)
    #: Draws an SVG chart or an HTML table from the inputs and the computed results.
    figure: Callable[[Mapping[str, Any], Mapping[str, Any]], str] | None = field(default=None, repr=False)
    presets: tuple[Preset, ...] = ()
    note: str = ""

    def input(self, name: str) -> InputSpec:
        """Give back the input called ``name``, or raise UnknownSpecError (a KeyError) with a "did you mean"."""
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise UnknownSpecError(f"input of widget {self.name!r}", name, tuple(s.name for s in self.inputs))

    def preset(self, name: str) -> Preset:
        """Give back the preset called ``name``, or raise UnknownSpecError (a KeyError) with a "did you mean"."""
        for preset in self.presets:
            if preset.name == name:
                return preset
        raise UnknownSpecError(f"preset of widget {self.name!r}", name, tuple(p.name for p in self.presets))

    def defaults(self) -> dict[str, Any]:
        """Give back every input's default value."""
        return {spec.name: spec.default for spec in self.inputs}


#: The bound of a number input whose declaration names none: past it, money loses its cents in a float.
DEFAULT_MAXIMUM = 1e12
