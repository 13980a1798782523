"""Summaries of repeated measurements: median with its spread, percentiles, and goal checks."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], share: float) -> float:
    """Give back the ``share`` (0..1) percentile of ``values`` by linear interpolation between ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= share <= 1:
        raise ValueError(f"percentile share must be in [0, 1]; got {share}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(values: Sequence[float]) -> dict[str, float | int]:
    """Give back the median, min, max, quartiles and count of ``values``."""
    return {
        "median": percentile(values, 0.5),
        "min": min(values),
        "max": max(values),
        "q1": percentile(values, 0.25),
        "q3": percentile(values, 0.75),
        "runs": len(values),
    }


def figure(name: str, unit: str, values: Sequence[float], *, goal: float | None = None,
           goal_is: str = "max", note: str = "") -> dict[str, object]:
    """Give back one reported figure: its summary, its goal, and whether the median meets it.

    ``goal_is`` says which side of the goal is good: "max" (the figure must not exceed it, as a time)
    or "min" (it must reach it). No values gives a figure with a median of None, reported as missing.
    """
    if goal_is not in ("max", "min"):
        raise ValueError(f"goal_is must be 'max' or 'min'; got {goal_is!r}")
    record: dict[str, object] = {"name": name, "unit": unit}
    if values:
        record.update(summarise(values))
        record["values"] = [round(v, 6) for v in values]
    else:
        record.update(median=None, min=None, max=None, q1=None, q3=None, runs=0, values=[])
    record["goal"] = goal
    record["goal_is"] = goal_is if goal is not None else None
    record["meets_goal"] = meets(record["median"], goal, goal_is)
    if note:
        record["note"] = note
    return record


def meets(value: float | None, goal: float | None, goal_is: str = "max") -> bool | None:
    """Give back whether ``value`` meets ``goal`` (None when there is no goal or no value)."""
    if goal is None or value is None:
        return None
    return value <= goal if goal_is == "max" else value >= goal
