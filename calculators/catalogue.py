"""The validated facts from data/ (GPUs, model shapes, prices) that models read and widgets offer as choices.

The engine does no I/O and keeps no state: the build loads and validates data/ (atlas_mkdocs.data),
exports it as JSON, and passes a ``Catalogue`` made from it to every call that needs facts
(``calculate(..., catalogue=...)``, ``run_widget(..., catalogue)``); in the browser the worker makes
one from the site's data.json. A model that needs a table the catalogue lacks says so by name.

Its lookups turn rows into the engine's specs by key. An unknown key is an UnknownSpecError that lists
the known keys and suggests the closest ("did you mean", atlas_mkdocs.engine.errors), so the command
line, a widget and a build-time expression all say the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from atlas_mkdocs.engine.errors import UnknownSpecError
from atlas_mkdocs.engine.specs import GpuSpec, Interconnect, ModelShape, QuantFormat, ServingStack

#: What each table holds, as the messages name it.
KINDS = {"model_shapes": "model", "gpus": "GPU", "quant_formats": "quantisation format",
         "interconnects": "interconnect", "serving_stacks": "serving stack",
         "throughput_measurements": "throughput measurement"}


@dataclass(frozen=True)
class Catalogue:
    """data/ as the engine reads it: each table's rows (plain dicts, as data.json holds them), by table."""

    tables: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen all the way to the table level: a caller's dict or list cannot change it afterwards.
        object.__setattr__(self, "tables", MappingProxyType(
            {name: tuple(rows) for name, rows in self.tables.items() if isinstance(rows, (list, tuple))}))

    @classmethod
    def from_export(cls, data: Mapping[str, Any]) -> Catalogue:
        """Give back the catalogue of ``data``, the export of atlas_mkdocs.data.export_json, parsed."""
        return cls(data)

    @classmethod
    def from_json(cls, text: str) -> Catalogue:
        """Give back the catalogue of the JSON text the browser fetched (data.json).

        Parsing in Python keeps JSON's null as None (Pyodide's toPy would give its own JsNull).
        """
        return cls(json.loads(text))

    # ---- rows --------------------------------------------------------------------------------------------
    def rows(self, table: str) -> list[dict[str, Any]]:
        """Give back the rows of ``table`` (e.g. "gpus"), or an empty list where it holds none."""
        return list(self.tables.get(table, ()))

    def row(self, table: str, row_id: str) -> dict[str, Any]:
        """Give back the row of ``table`` with ``row_id``, or raise UnknownSpecError listing the known ids."""
        for entry in self.rows(table):
            if entry.get("id") == row_id:
                return entry
        raise UnknownSpecError(f"{table} entry", row_id, tuple(entry.get("id") for entry in self.rows(table)))

    def find(self, table: str, key: str) -> Mapping[str, Any]:
        """Give back the row of ``table`` called ``key``, or raise UnknownSpecError with a "did you mean"."""
        rows = self.rows(table)
        for row in rows:
            if row.get("id") == key:
                return row
        known = tuple(str(row.get("id")) for row in rows)
        kind = KINDS.get(table, table)
        if not known:
            raise UnknownSpecError(kind, key, hint=f"No {table} are loaded: the engine needs data/ (its {table}.yaml).")
        raise UnknownSpecError(kind, key, known)  # its message suggests the closest known key

    def keys(self, table: str) -> tuple[str, ...]:
        """Give back the keys of ``table`` in data order."""
        return tuple(str(row["id"]) for row in self.rows(table))

    # ---- specs by key ------------------------------------------------------------------------------------
    def model_shape(self, key: str) -> ModelShape:
        """Give back the shape of model ``key`` (a row of model_shapes.yaml)."""
        row = self.find("model_shapes", key)
        return ModelShape(
            row["id"], row["params_billion"], row["layers"], row["kv_heads"], row["head_dim"], row.get("attention_heads"),
            row.get("hidden_size"), row.get("vocab_size"), bool(row.get("tied_embeddings", False)),
            row.get("active_params_billion"), row.get("experts"), row.get("experts_per_token"),
            row.get("shared_experts", 0), row.get("moe_layers"), row.get("kv_latent_dim"), row.get("sliding_window"),
            row.get("sliding_window_layers", 0))

    def gpu(self, key: str) -> GpuSpec:
        """Give back GPU ``key`` (a row of gpus.yaml)."""
        row = self.find("gpus", key)
        return GpuSpec(row.get("name", row["id"]), row["vram_gb"], row["memory_bandwidth_gbs"],
                       row["fp16_dense_tflops"], row.get("fp8_dense_tflops"), row.get("board_watts"),
                       row.get("fp4_dense_tflops"))

    def gpu_link(self, key: str) -> Interconnect:
        """Give back the link between GPU ``key``'s cards in one server."""
        link = self.find("gpus", key).get("interconnect")
        if link is None:
            raise UnknownSpecError("link between GPUs", key, self.keys("interconnects"),
                                   f"gpus.yaml gives {key!r} no interconnect: name one (link: pcie-4, nvlink-4, ...).")
        return self.interconnect(link)

    def quant_format(self, key: str) -> QuantFormat:
        """Give back weight or KV-cache format ``key`` (a row of quant_formats.yaml)."""
        row = self.find("quant_formats", key)
        return QuantFormat(row["id"], row["bits_per_weight"], row["compute"], row.get("embedding_bits"))

    def kv_format(self, key: str) -> QuantFormat:
        """Give back format ``key`` if a KV cache can be stored in it."""
        row = self.find("quant_formats", key)
        if not row.get("kv_cache"):
            usable = tuple(str(r["id"]) for r in self.rows("quant_formats") if r.get("kv_cache"))
            raise UnknownSpecError("KV-cache format", key, usable,
                                   "Weight-only formats (AWQ, GPTQ, k-quants) do not hold a KV cache.")
        return self.quant_format(key)

    def interconnect(self, key: str) -> Interconnect:
        """Give back link ``key`` (a row of interconnects.yaml)."""
        row = self.find("interconnects", key)
        return Interconnect(row["id"], row["bandwidth_gbs"], row["latency_us"])

    def serving_stack(self, key: str) -> ServingStack:
        """Give back serving stack ``key`` with its fitted factors (a row of serving_stacks.yaml)."""
        row = self.find("serving_stacks", key)
        return ServingStack(row["id"], row["bandwidth_efficiency"], row["layer_overhead_us"],
                            row["compute_utilisation"], row["decode_compute_utilisation"], row["activation_passes"],
                            row["expert_read_efficiency"], row["moe_layer_overhead_us"], row["memory_utilisation"],
                            row["reserve_gb"], row["max_batch"], row["prefill_chunk_tokens"],
                            row.get("attention_parallelism", 0.0), row.get("fp8_matmul_share", 1.0),
                            row.get("memory_share_of", "total"), row.get("link_efficiency", 1.0),
                            row.get("expert_overhead_us", 0.0), row.get("fp4_matmul_share", 1.0))


#: The catalogue of a call given none: every table empty, so a model that needs data/ says so by name.
NO_DATA = Catalogue()
