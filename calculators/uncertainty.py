"""Uncertainty: inputs given as (low, base, high) give output ranges and a one-at-a-time sensitivity table.

The range of an output is the lowest and highest value over every combination of the ranged inputs'
ends (2^k runs for k ranged inputs, so k is capped): a cost model is usually monotonic in each input,
and then the extremes lie at the corners. The sensitivity table moves one input at a time to its low
and high end with the others at base, and sorts by how far the output swings (a tornado chart).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from atlas_mkdocs.engine.errors import EngineError, InputError, require_finite

MAX_RANGED_INPUTS = 10


@dataclass(frozen=True)
class Range:
    """An input known only within bounds: low <= base <= high."""

    low: float
    base: float
    high: float

    def __post_init__(self) -> None:
        for name in ("low", "base", "high"):
            require_finite(name, getattr(self, name))
        if not self.low <= self.base <= self.high:
            raise InputError("range", (self.low, self.base, self.high), "ordered as low <= base <= high")


@dataclass(frozen=True)
class OutputRange:
    """One output's lowest, base and highest value."""

    name: str
    low: float
    base: float
    high: float


@dataclass(frozen=True)
class SensitivityRow:
    """What moving one input to its ends does to the target output."""

    input: str
    input_low: float
    input_high: float
    output_at_low: float
    output_at_high: float
    swing: float


@dataclass(frozen=True)
class UncertaintyResult:
    """Every numeric output's range, and the sensitivity table for ``target``, largest swing first."""

    outputs: tuple[OutputRange, ...]
    target: str
    sensitivity: tuple[SensitivityRow, ...]


Model = Callable[[Mapping[str, object]], Mapping[str, object]]


def _numeric(outputs: Mapping[str, object]) -> dict[str, float]:
    return {name: float(value) for name, value in outputs.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)}


def propagate(model: Model, inputs: Mapping[str, object], target: str | None = None) -> UncertaintyResult:
    """Give back output ranges and a sensitivity table for ``model`` run on ``inputs`` with some Ranges."""
    ranged = [name for name, value in inputs.items() if isinstance(value, Range)]
    if len(ranged) > MAX_RANGED_INPUTS:
        raise InputError("ranged inputs", len(ranged), f"at most {MAX_RANGED_INPUTS}",
                         "Each ranged input doubles the runs; fix the ones that matter least.")
    base_inputs = {name: value.base if isinstance(value, Range) else value for name, value in inputs.items()}
    base = _numeric(model(base_inputs))
    if not base:
        raise InputError("model", "no numeric output", "a model with at least one numeric output")
    target = target if target is not None else next(iter(base))
    if target not in base:
        raise InputError("target", target, "one of " + ", ".join(base))

    def run_at(changed: Mapping[str, object]) -> dict[str, float]:
        # An end so small or large that the target is no longer a finite number is the reader's to change:
        # said as the engine says it elsewhere (models.finite_outputs), not a KeyError.
        outputs = _numeric(model(base_inputs | changed))
        if target not in outputs:
            at = ", ".join(f"{name} at {value:g}" for name, value in changed.items())
            raise EngineError(f"with {at}, these inputs are too large or too small to give a finite result "
                              f"({target}); check their units and magnitudes.")
        return outputs

    # One input at a time first: an end that breaks the model is then named alone.
    rows = []
    for name in ranged:
        spread: Range = inputs[name]  # type: ignore[assignment]
        at_low = run_at({name: spread.low})[target]
        at_high = run_at({name: spread.high})[target]
        rows.append(SensitivityRow(name, spread.low, spread.high, at_low, at_high, abs(at_high - at_low)))
    lows, highs = dict(base), dict(base)
    for ends in itertools.product(*[(inputs[name].low, inputs[name].high) for name in ranged]):  # type: ignore[union-attr]
        run = run_at(dict(zip(ranged, ends)))
        for name in base:
            if name in run:
                lows[name] = min(lows[name], run[name])
                highs[name] = max(highs[name], run[name])
    rows.sort(key=lambda row: (-row.swing, row.input))
    return UncertaintyResult(
        outputs=tuple(OutputRange(name, lows[name], base[name], highs[name]) for name in base),
        target=target,
        sensitivity=tuple(rows),
    )
