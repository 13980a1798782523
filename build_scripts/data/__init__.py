"""The atlas's data: load and validate ``data/*.yaml``, and export it as JSON for the browser.

This lives outside the engine (the engine does no I/O); the MkDocs plugin calls it at build time::

    from atlas_mkdocs.data import DataError, load_data, export_json

    try:
        data = load_data(Path("data"), max_age_days=365, today=date.today())
    except DataError as error:          # every problem, not just the first
        for problem in error.problems:  # Problem: file, line, row, row_id, field, message, fix
            log.error(str(problem))     # "data/gpus.yaml:12: row 3 (h100-sxm), field vram_gb: must be ..."
        raise
    for notice in data.stale:           # current prices older than max_age_days, same shape as a Problem
        log.info(str(notice))           # information: time passing never fails a build
    (site_dir / "atlas-data.json").write_text(export_json(data), encoding="utf-8")

- ``load_data(data_dir, max_age_days=None, today=None) -> AtlasData`` validates every file (required
  fields, types, units, ranges, dates, references, ids, and each scenario run through the engine).
  A missing or empty price or spec is an error, never zero.
- ``AtlasData`` holds one tuple of read-only rows per table (``gpus``, ``api_prices``,
  ``rental_offers``, ``power_prices``, ``model_shapes``, ``scenarios``; dates as ISO text) and
  ``warnings``; ``gpu_spec(id)``, ``model_shape(id)`` and ``api_price(id)`` give engine inputs, and raise
  the engine's ``UnknownSpecError`` for an unknown id.
- ``export_json(data) -> str`` gives deterministic JSON: ``{"schema_version": 1, "gpus": [...], ...}``.
- ``DataError.problems``, ``AtlasData.warnings`` and ``AtlasData.stale`` are tuples of ``Problem``.
- ``plain(row)`` gives a row (read-only mappings and tuples) back as plain dicts and lists.
- ``price_age_days(row, on)`` gives a row's age in days on a date (None for a historical record), and
  ``PRICE_STALE_AFTER_DAYS`` (180) is the age past which a current price is stale.
"""

from atlas_mkdocs.data.loader import (
    AtlasData,
    DataError,
    Problem,
    export_json,
    load_data,
    parse_as_of,
    plain,
    price_age_days,
)
from atlas_mkdocs.data.schema import PRICE_STALE_AFTER_DAYS, TABLES, Field, Table

__all__ = ["PRICE_STALE_AFTER_DAYS", "TABLES", "AtlasData", "DataError", "Field", "Problem", "Table", "export_json",
           "load_data", "parse_as_of", "plain", "price_age_days"]
