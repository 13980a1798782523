"""Calibration: the engine's estimate for each measurement in data/throughput_measurements.yaml, and hit rates.

A row names a model, GPU, parallelism, formats, serving stack, batch and workload, and one measured
figure; ``predict`` runs the engine on the same and gives back its figure. The stacks' factors in
data/serving_stacks.yaml are fitted (tools/fit_throughput.py) on the rows marked ``split: fit``;
``hit_rate`` over the ``held-out`` rows says how well the fitted engine does on rows it never saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.engine.specs import ServingStack
from atlas_mkdocs.engine.throughput import GPUS_PER_NODE, ThroughputInputs, estimate_throughput

#: The share of error a prediction may have and still count as a hit.
HIT_TOLERANCE = 0.30
NODE_LINK = "infiniband-ndr"


@dataclass(frozen=True)
class Comparison:
    """One measurement beside the engine's estimate: ratio = estimate / measured."""

    id: str
    split: str
    stack: str
    metric: str
    measured: float
    estimated: float

    @property
    def ratio(self) -> float:
        return self.estimated / self.measured

    @property
    def hit(self) -> bool:
        return abs(self.ratio - 1) <= HIT_TOLERANCE


def throughput_inputs(data: Catalogue, row: Mapping[str, Any], stack: ServingStack | None = None) -> ThroughputInputs:
    """Give back the engine inputs a measurement row describes (``stack`` replaces its stack's factors)."""
    gpus = row["gpus"]
    return ThroughputInputs(
        data.model_shape(row["model"]), data.gpu(row["gpu"]), row["prompt_tokens"], row["output_tokens"],
        stack if stack is not None else data.serving_stack(row["stack"]),
        data.quant_format(row["quant"]), data.kv_format(row["kv_quant"]), gpus, row["parallel"],
        data.gpu_link(row["gpu"]) if gpus > 1 else None,
        data.interconnect(NODE_LINK) if gpus > GPUS_PER_NODE else None,
        row.get("batch"))


def predict(data: Catalogue, row: Mapping[str, Any], stack: ServingStack | None = None) -> float:
    """Give back the engine's figure for the row's metric, its specs looked up in ``data``."""
    return getattr(estimate_throughput(throughput_inputs(data, row, stack)), row["metric"])


def compare(data: Catalogue, rows: Iterable[Mapping[str, Any]],
            stacks: Mapping[str, ServingStack] | None = None) -> list[Comparison]:
    """Give back each row beside the engine's estimate (``stacks`` overrides factors by stack id)."""
    found = []
    for row in rows:
        stack = (stacks or {}).get(row["stack"])
        found.append(Comparison(row["id"], row["split"], row["stack"], row["metric"], row["value"], predict(data, row, stack)))
    return found


def hit_rate(comparisons: Iterable[Comparison], tolerance: float = HIT_TOLERANCE) -> tuple[int, int]:
    """Give back (rows within ``tolerance`` of their measurement, rows)."""
    items = list(comparisons)
    return sum(1 for item in items if abs(item.ratio - 1) <= tolerance), len(items)


def with_factors(stack: ServingStack, **factors: float) -> ServingStack:
    """Give back ``stack`` with some fitted factors replaced (what the fit tries)."""
    return replace(stack, **factors)
