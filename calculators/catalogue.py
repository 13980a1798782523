"""The validated facts from data/ (GPUs, model shapes, prices) that widgets offer as choices.

The engine does no I/O: the build loads and validates data/ (atlas_mkdocs.data) and hands the result
here as plain JSON-like data; in the browser the worker does the same with the site's data.json.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from atlas_mkdocs.engine.errors import UnknownSpecError

_catalogue: dict[str, Any] = {}


def use_catalogue(data: Mapping[str, Any]) -> None:
    """Make ``data`` (the export of atlas_mkdocs.data.export_json, parsed) the facts widgets use."""
    _catalogue.clear()
    _catalogue.update(data)


def rows(table: str) -> list[dict[str, Any]]:
    """Give back the rows of ``table`` (e.g. "gpus"), or an empty list before a catalogue is set."""
    return list(_catalogue.get(table, ()))


def row(table: str, row_id: str) -> dict[str, Any]:
    """Give back the row of ``table`` with ``row_id``, or raise UnknownSpecError listing the known ids."""
    for entry in rows(table):
        if entry.get("id") == row_id:
            return entry
    raise UnknownSpecError(f"{table} entry", row_id, tuple(entry.get("id") for entry in rows(table)))


def use_catalogue_json(text: str) -> None:
    """Like use_catalogue, from the JSON text the browser fetched.

    Parsing in Python keeps JSON's null as None (Pyodide's toPy would give its own JsNull).
    """
    import json

    use_catalogue(json.loads(text))
