"""Named scenarios: a list of model runs that reproduce a document's figures, under one month convention.

A scenario is plain data (the shape ``data/scenarios.yaml`` holds)::

    id: seed-002
    title: ...
    source: seeds/002_d11445d5ec0eb79b.txt
    hours_per_month: 720          # 30-day months, as the seed uses
    steps:
      - id: cloud-light
        model: api                # a name from atlas_mkdocs.engine.models.CALCULATIONS
        inputs: {input_per_million_usd: 2, ...}
        seed_says: {monthly_cost_usd: 30}   # the document's own figure, for comparison

The scenario's ``hours_per_month`` is passed to every step whose model takes one, unless the step sets
its own. An input given as a list ``[low, base, high]`` makes that step an uncertainty run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.errors import InputError
from atlas_mkdocs.engine.models import calculate, calculate_ranges, calculation
from atlas_mkdocs.engine.uncertainty import Range, UncertaintyResult
from atlas_mkdocs.engine.units import HOURS_PER_MONTH


@dataclass(frozen=True)
class StepResult:
    """One step's outputs (or ranges) beside the figures the source document printed."""

    id: str
    model: str
    outputs: Mapping[str, object]
    seed_says: Mapping[str, object] = field(default_factory=dict)
    ranges: UncertaintyResult | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """A whole scenario's results, with the month convention it used."""

    id: str
    title: str
    source: str
    hours_per_month: float
    steps: tuple[StepResult, ...]

    def step(self, step_id: str) -> StepResult:
        """Give back the step called ``step_id``, or raise KeyError."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


def _input_value(name: str, value: object) -> object:
    if isinstance(value, (list, tuple)):
        if len(value) != 3:
            raise InputError(name, value, "a single value or [low, base, high]")
        return Range(*value)
    return value


def run_scenario(scenario: Mapping[str, object], catalogue: Catalogue = NO_DATA) -> ScenarioResult:
    """Give back the results of every step of ``scenario``; raise the engine's error at the first bad step.

    ``catalogue`` is data/ for steps whose model reads it (throughput reads formats and stacks).
    """
    for key in ("id", "steps"):
        if key not in scenario:
            raise InputError(key, None, "given", "A scenario has an id and a list of steps.")
    hours = scenario.get("hours_per_month", HOURS_PER_MONTH)
    steps = scenario["steps"]
    if not isinstance(steps, list) or not steps:
        raise InputError("steps", steps, "a non-empty list of steps")
    results = []
    for index, step in enumerate(steps, 1):
        if not isinstance(step, Mapping) or "model" not in step:
            raise InputError(f"steps[{index}]", step, "a mapping with a model and its inputs")
        model = calculation(str(step["model"]))
        raw_inputs = step.get("inputs") or {}
        if not isinstance(raw_inputs, Mapping):
            raise InputError(f"steps[{index}].inputs", raw_inputs, "a mapping of input names to values")
        inputs = {name: _input_value(name, value) for name, value in raw_inputs.items()}
        if "hours_per_month" not in inputs and any(p.name == "hours_per_month" for p in model.params):
            inputs["hours_per_month"] = hours
        step_id = str(step.get("id", index))
        seed_says = dict(step.get("seed_says") or {})
        if any(isinstance(value, Range) for value in inputs.values()):
            ranges = calculate_ranges(model.name, inputs, step.get("target"), catalogue)
            outputs = {out.name: out.base for out in ranges.outputs}
            results.append(StepResult(step_id, model.name, outputs, seed_says, ranges))
        else:
            results.append(StepResult(step_id, model.name, calculate(model.name, inputs, catalogue), seed_says))
    return ScenarioResult(str(scenario["id"]), str(scenario.get("title", "")), str(scenario.get("source", "")),
                          float(hours), tuple(results))
