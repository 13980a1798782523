"""An input, declared once: a model's input (name, unit, default, kind) and a calculator's form field alike.

A model declares its signature with ``param`` beside its function (atlas_mkdocs.engine.models): what
``calculate``, the command line, scenarios and build-time expressions read. A widget's form field is
the same kind of value, made from that declaration by atlas_mkdocs.engine.forms.field: its unit, help
and default are the model input's, and the widget adds a label, bounds and a step. A field says which
model input it ``feeds`` where the two differ in name or unit (a percent of a share, a daily volume of
a monthly one). atlas_mkdocs.engine.reading reads values against either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.errors import UnknownSpecError
from atlas_mkdocs.engine.formatting import plain_number
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, days_per_month


class _Required:
    """The default of an input that has none and must be given."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
#: The bound of a number input whose declaration names none: past it, money loses its cents in a float.
DEFAULT_MAXIMUM = 1e12
DAYS_PER_MONTH = days_per_month(HOURS_PER_MONTH)  # 30.42: the 730-hour month, stated on every page


@dataclass(frozen=True)
class Feed:
    """The model input a form field feeds, in the model's unit: the field's value over ``per``, times ``times``.

    The field's unit is the model input's, rewritten from ``unit_from`` to ``unit_to`` ("share" to "%",
    "/month" to "/day"), or ``unit`` where the field takes less than the input does (a batch size,
    where the model also takes "max"); ``help`` then says what the field takes.
    """

    model_input: str
    per: float = 1
    times: float = 1
    unit_from: str = ""
    unit_to: str = ""
    unit: str | None = None
    help: str | None = None

    def value(self, field_value: Any) -> Any:
        """Give back the field's value as the model input takes it."""
        if self.per != 1:
            field_value = field_value / self.per
        return field_value * self.times if self.times != 1 else field_value

    def field_value(self, model_value: Any) -> Any:
        """Give back a model input's value (its default) as the field shows it: 0.3 (a share) as 30 (%)."""
        if not isinstance(model_value, (int, float)) or isinstance(model_value, bool):
            return model_value
        if self.times != 1:
            model_value = model_value / self.times
        return model_value * self.per if self.per != 1 else model_value

    def field_unit(self, model_unit: str) -> str:
        """Give back the field's unit from the model input's: 'share of requests' as '% of requests'."""
        if self.unit is not None:
            return self.unit
        if self.unit_from and self.unit_from not in model_unit:
            raise TypeError(f"input {self.model_input!r} is in {model_unit!r}, not in {self.unit_from!r}")
        return model_unit.replace(self.unit_from, self.unit_to, 1) if self.unit_from else model_unit


def percent_of(model_input: str) -> Feed:
    """A field in percent that feeds a share: 30 (%) feeds 0.3."""
    return Feed(model_input, per=100, unit_from="share", unit_to="%")


def per_day_of(model_input: str) -> Feed:
    """A daily field that feeds a monthly input: a 730-hour month has 30.42 days."""
    return Feed(model_input, times=DAYS_PER_MONTH, unit_from="/month", unit_to="/day")


@dataclass(frozen=True)
class Input:
    """One input: a number, a whole number, a flag, a name, or a choice among ``choices`` (value, label) pairs.

    ``choices_from`` names a table of data/ (e.g. "gpus") whose rows become the choices at run time.
    ``minimum``, ``maximum`` and ``step`` bound a form field; a model checks its own inputs' ranges.
    """

    name: str
    label: str
    unit: str
    default: Any = REQUIRED
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1
    help: str = ""
    kind: str = "number"
    choices: tuple[tuple[Any, str], ...] = ()
    choices_from: str | None = None
    #: The model input this form field feeds, where its name or unit differs (None: the one of its name).
    feeds: Feed | None = None

    @property
    def required(self) -> bool:
        """Give back whether the input has no default."""
        return self.default is REQUIRED

    @property
    def choice_values(self) -> tuple[Any, ...]:
        """Give back the values a choice input takes, as declared."""
        return tuple(value for value, _ in self.choices)

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

    @property
    def model_input(self) -> str:
        """Give back the name of the model input this field feeds."""
        return self.feeds.model_input if self.feeds else self.name

    def model_value(self, value: Any) -> Any:
        """Give back this field's read value as the model input it feeds takes it."""
        return self.feeds.value(value) if self.feeds else value


def param(name: str, unit: str, default: Any = REQUIRED, kind: str = "number", choices: Iterable[Any] = (),
          help: str = "") -> Input:
    """Give back a model's input: its name, unit, default (REQUIRED: none), kind, allowed values and help."""
    return Input(name, name, unit, default, help=help, kind=kind, choices=tuple((c, str(c)) for c in choices))


def find_input(inputs: Iterable[Input], name: str, owner: str) -> Input:
    """Give back the input called ``name``, or raise UnknownSpecError naming ``owner`` and the known inputs."""
    inputs = tuple(inputs)
    for spec in inputs:
        if spec.name == name:
            return spec
    raise UnknownSpecError(f"input of {owner}", name, tuple(spec.name for spec in inputs))
