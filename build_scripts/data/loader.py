"""Load, validate and export the atlas's YAML data (see the package docstring for the API)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import yaml

from atlas_mkdocs.data.schema import (
    ANY, CHOICE, DATE, MAPPING, NUMBER, RANGE, SOURCE, TABLES, TEXT, WHOLE, Field, Table,
)
from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.engine.api import ApiPrice, api_price_from_row
from atlas_mkdocs.engine.errors import EngineError, InputError, UnknownSpecError
from atlas_mkdocs.engine.models import CALCULATIONS
from atlas_mkdocs.engine.scenarios import run_scenario
from atlas_mkdocs.engine.specs import GpuSpec, ModelShape

DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
NUMBER_WITH_UNIT = re.compile(r"^\s*[-+]?\$?\d[\d,_]*(\.\d+)?\s*\S+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or stale) in a data file, located by file, line, row and field."""

    file: str
    message: str
    row: int | None = None
    row_id: str | None = None
    field: str | None = None
    line: int | None = None
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}" + (f" ({self.row_id})" if self.row_id else ""))
        if self.field:
            parts.append(f"field {self.field}")
        located = f"{where}: {', '.join(parts)}: " if parts else f"{where}: "
        return located + self.message + (f". {self.fix}" if self.fix else "")


class DataError(Exception):
    """The data does not validate; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''} in the data:\n" + "\n".join(
            f"  {problem}" for problem in self.problems)


Row = Mapping[str, object]


@dataclass(frozen=True)
class AtlasData:
    """Validated data: one tuple of rows per table (dates as ISO strings), warnings, and stale prices.

    ``stale`` lists current prices older than ``max_age_days``: information the build reports at info
    level, so that no build starts failing because time passed.
    """

    gpus: tuple[Row, ...]
    api_prices: tuple[Row, ...]
    rental_offers: tuple[Row, ...]
    power_prices: tuple[Row, ...]
    model_shapes: tuple[Row, ...]
    scenarios: tuple[Row, ...]
    api_batch_discounts: tuple[Row, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())
    stale: tuple[Problem, ...] = field(default=())
    quant_formats: tuple[Row, ...] = ()
    interconnects: tuple[Row, ...] = ()
    serving_stacks: tuple[Row, ...] = ()
    throughput_measurements: tuple[Row, ...] = ()

    @cached_property
    def catalogue(self) -> Catalogue:
        """Give back this data as the engine takes it (the export the browser gets), made once."""
        return Catalogue.from_export(json.loads(export_json(self)))

    def row(self, table: str, row_id: str) -> Row:
        """Give back the row ``row_id`` of ``table``, or raise the engine's UnknownSpecError."""
        rows = getattr(self, table)
        for row in rows:
            if row["id"] == row_id:
                return row
        raise UnknownSpecError(table.rstrip("s").replace("_", " "), row_id, tuple(r["id"] for r in rows))

    def gpu_spec(self, gpu_id: str) -> GpuSpec:
        """Give back the engine's GpuSpec for a row of gpus.yaml."""
        row = self.row("gpus", gpu_id)
        return GpuSpec(row["id"], row["vram_gb"], row["memory_bandwidth_gbs"], row["fp16_dense_tflops"],
                       row["fp8_dense_tflops"], row["board_watts"], row.get("fp4_dense_tflops"))

    def model_shape(self, shape_id: str) -> ModelShape:
        """Give back the engine's ModelShape for a row of model_shapes.yaml."""
        row = self.row("model_shapes", shape_id)
        return ModelShape(row["id"], row["params_billion"], row["layers"], row["kv_heads"], row["head_dim"],
                          row["attention_heads"])

    def api_price(self, price_id: str) -> ApiPrice:
        """Give back the engine's ApiPrice for a row of api_prices.yaml.

        Its batch discount comes from the row's batch prices, else from the provider's row of
        api_batch_discounts.yaml, else it is None: a batch then raises the engine's UnknownSpecError.
        """
        row = self.row("api_prices", price_id)
        provider = next((r["batch_discount"] for r in self.api_batch_discounts
                         if r["provider"] == row["provider"]), None)
        return api_price_from_row(row, provider)

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        """Give back the tables as plain lists of dicts (what export_json writes)."""
        return {table.key: [plain(row) for row in getattr(self, table.key)] for table in TABLES}


def plain(value: object) -> object:
    """Give back a row (or any value) of AtlasData as plain dicts and lists, as the engine takes them."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _freeze(value: object) -> object:
    if isinstance(value, Mapping):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


# ---- parsing dates ----------------------------------------------------------------------------------------

def parse_as_of(value: object) -> tuple[str, dt.date] | None:
    """Give back (ISO text, the first day it can mean) for YYYY, YYYY-MM or YYYY-MM-DD; None if malformed.

    A year or a month is read as its first day, so the age of a figure is never understated.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = DATE_PATTERN.match(value.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        first = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return value.strip(), first


#: libyaml's safe loader when PyYAML was built with it (the wheels are): the same documents, errors and
#: line marks as the pure-Python SafeLoader, several times faster on every build.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ---- line numbers -----------------------------------------------------------------------------------------

def _line_index(text: str, key: str) -> dict[tuple[object, ...], int]:
    """Give back line numbers of each row and each row's fields under the top-level ``key``."""
    lines: dict[tuple[object, ...], int] = {}
    try:
        root = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return lines
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key_node, value_node in root.value:
        if key_node.value != key or not isinstance(value_node, yaml.SequenceNode):
            continue
        for index, item in enumerate(value_node.value, 1):
            lines[(index,)] = item.start_mark.line + 1
            if isinstance(item, yaml.MappingNode):
                for field_node, _ in item.value:
                    lines[(index, field_node.value)] = field_node.start_mark.line + 1
    return lines


# ---- validation -------------------------------------------------------------------------------------------

class _Checker:
    """Collects every problem of one file; each check adds problems and never stops the run."""

    def __init__(self, file: str, table: Table, lines: dict[tuple[object, ...], int], today: dt.date) -> None:
        self.file = file
        self.table = table
        self.lines = lines
        self.today = today
        self.problems: list[Problem] = []

    def add(self, message: str, row: int | None = None, row_id: str | None = None, field_name: str | None = None,
            fix: str = "") -> None:
        top = field_name.split(".")[0].split("[")[0] if field_name else None
        line = self.lines.get((row, top)) if top else None
        if line is None and row is not None:
            line = self.lines.get((row,))
        self.problems.append(Problem(self.file, message, row, row_id, field_name, line, fix))

    def check_row(self, index: int, row: object) -> dict[str, object] | None:
        if not isinstance(row, Mapping):
            self.add(f"must be a mapping of field: value; got {type(row).__name__} {row!r}", index,
                     fix="Write the row as '- {id: ..., ...}' or as indented 'field: value' lines")
            return None
        row_id = row.get("id") if isinstance(row.get("id"), str) else None
        clean = self.check_fields(self.table.fields, row, index, row_id, "")
        return clean

    def check_fields(self, fields: tuple[Field, ...], row: Mapping[str, object], index: int,
                     row_id: str | None, prefix: str) -> dict[str, object]:
        known = {f.name for f in fields}
        clean: dict[str, object] = {}
        for name in row:
            if name not in known:
                close = difflib.get_close_matches(str(name), sorted(known), n=1)
                fix = f"Did you mean '{close[0]}'?" if close else "Known fields: " + ", ".join(sorted(known))
                self.add("unknown field", index, row_id, f"{prefix}{name}", fix)
        for spec in fields:
            path = f"{prefix}{spec.name}"
            if spec.name not in row:
                if spec.required:
                    unit = f" ({spec.unit})" if spec.unit else ""
                    self.add(f"missing required field{unit}", index, row_id, path,
                             spec.hint or f"Add '{spec.name}:' to the row")
                continue
            value = self.check_value(spec, row[spec.name], index, row_id, path)
            if value is not _BAD:
                clean[spec.name] = value
        return clean

    def check_value(self, spec: Field, value: object, index: int, row_id: str | None, path: str) -> object:
        if value is None:
            if spec.nullable:
                return None
            self.add("is empty; an unknown price or spec is an error, never zero", index, row_id, path,
                     spec.hint or "Give the value with its source, or remove the row")
            return _BAD
        if spec.kind in (NUMBER, WHOLE):
            return self.check_number(spec, value, index, row_id, path)
        if spec.kind == TEXT:
            if not isinstance(value, str) or not value.strip():
                self.add(f"must be non-empty text; got {value!r}", index, row_id, path, spec.hint)
                return _BAD
            return value
        if spec.kind == SOURCE:
            texts = value if isinstance(value, list) else [value]
            if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
                self.add(f"must be non-empty text or a list of texts; got {value!r}", index, row_id, path,
                         spec.hint)
                return _BAD
            return "; ".join(texts)
        if spec.kind == DATE:
            parsed = parse_as_of(value)
            if parsed is None:
                self.add(f"must be a date as YYYY-MM-DD, YYYY-MM or YYYY; got {value!r}", index, row_id, path,
                         spec.hint)
                return _BAD
            if parsed[1] > self.today:
                self.add(f"is in the future ({parsed[0]}, today is {self.today.isoformat()})", index, row_id,
                         path, "Use the date the figure was checked")
                return _BAD
            return parsed[0]
        if spec.kind == CHOICE:
            if value not in spec.choices:
                close = difflib.get_close_matches(str(value), spec.choices, n=1)
                fix = f"Did you mean '{close[0]}'?" if close else ""
                self.add(f"must be one of {', '.join(spec.choices)}; got {value!r}", index, row_id, path, fix)
                return _BAD
            return value
        if spec.kind == RANGE:
            if not isinstance(value, Mapping) or set(value) != {"low", "high"}:
                self.add(f"must be a range {{low: ..., high: ...}} in {spec.unit}; got {value!r}", index, row_id,
                         path, "Write e.g. {low: 25000, high: 40000}")
                return _BAD
            low = self.check_number(spec, value["low"], index, row_id, f"{path}.low")
            high = self.check_number(spec, value["high"], index, row_id, f"{path}.high")
            if low is _BAD or high is _BAD:
                return _BAD
            if low > high:
                self.add(f"low ({low:g}) is above high ({high:g})", index, row_id, path, "Swap them")
                return _BAD
            return {"low": low, "high": high}
        if spec.kind == MAPPING:
            if not isinstance(value, Mapping):
                self.add(f"must be a mapping; got {value!r}", index, row_id, path)
                return _BAD
            return self.check_fields(spec.fields, value, index, row_id, f"{path}.")
        return value  # ANY: checked by the table's own rule

    def check_number(self, spec: Field, value: object, index: int, row_id: str | None, path: str) -> object:
        unit = f" in {spec.unit}" if spec.unit else ""
        if isinstance(value, str) and NUMBER_WITH_UNIT.match(value):
            self.add(f"must be a bare number{unit}; got {value!r}", index, row_id, path,
                     f"Write the number alone; the unit ({spec.unit or 'see the field name'}) is in the field name")
            return _BAD
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.add(f"must be a number{unit}; got {value!r}", index, row_id, path, spec.hint)
            return _BAD
        if spec.kind == WHOLE and not float(value).is_integer():
            self.add(f"must be a whole number{unit}; got {value!r}", index, row_id, path, spec.hint)
            return _BAD
        if spec.positive and value <= 0:
            fix = ("An unknown price or spec is an error, never zero: give the real figure or remove the row"
                   if value == 0 else spec.hint)
            self.add(f"must be above 0{unit}; got {value!r}", index, row_id, path, fix)
            return _BAD
        if spec.maximum is not None and value > spec.maximum:
            self.add(f"must be at most {spec.maximum:g}{unit}; got {value!r}", index, row_id, path,
                     spec.hint or "Check the unit")
            return _BAD
        return int(value) if spec.kind == WHOLE else value


_BAD = object()


def _check_scenario(checker: _Checker, index: int, row: Mapping[str, object], clean: dict[str, object],
                    catalogue: Catalogue) -> None:
    """Run a scenario's steps through the engine (``catalogue``: the tables checked before); report each
    failing step at its input."""
    row_id = clean.get("id")
    steps = row.get("steps")
    if not isinstance(steps, list) or not steps:
        checker.add("must be a non-empty list of steps", index, row_id, "steps")
        return
    for number, step in enumerate(steps, 1):
        where = f"steps[{number}]"
        if not isinstance(step, Mapping) or not isinstance(step.get("model"), str):
            checker.add("must be a mapping with a model and its inputs", index, row_id, where)
            continue
        model = CALCULATIONS.get(step["model"])
        if model is None:
            close = difflib.get_close_matches(step["model"], list(CALCULATIONS), n=1)
            checker.add(f"unknown model {step['model']!r}", index, row_id, f"{where}.model",
                        f"Did you mean '{close[0]}'?" if close else "Known: " + ", ".join(CALCULATIONS))
            continue
        for name in step.get("seed_says") or {}:
            if name not in model.outputs:
                checker.add(f"{name!r} is not an output of model {model.name!r}", index, row_id,
                            f"{where}.seed_says.{name}", "Known outputs: " + ", ".join(model.outputs))
        single = {"id": row_id or "scenario", "hours_per_month": clean.get("hours_per_month", 730.0),
                  "steps": [step]}
        try:
            run_scenario(single, catalogue)
        except UnknownSpecError as error:
            checker.add(str(error), index, row_id, f"{where}.inputs")
        except InputError as error:
            checker.add(str(error), index, row_id, f"{where}.inputs.{error.field}")
        except EngineError as error:
            checker.add(str(error), index, row_id, f"{where}")


def _check_file(data_dir: Path, table: Table, today: dt.date,
                catalogue: Catalogue | None) -> tuple[list[dict[str, object]], list[Problem]]:
    label = f"{data_dir.name}/{table.file}"
    path = data_dir / table.file
    if not path.is_file():
        return [], [Problem(label, "file not found", fix=f"Create it with a top-level '{table.key}:' list")]
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        return [], [Problem(label, f"is not valid YAML: {reason}", line=mark.line + 1 if mark else None)]
    checker = _Checker(label, table, _line_index(text, table.key), today)
    if not isinstance(document, Mapping) or table.key not in document:
        checker.add(f"must hold a top-level '{table.key}:' list", fix=f"Start the file with '{table.key}:'")
        return [], checker.problems
    for extra in document:
        if extra != table.key:
            checker.add(f"unknown top-level key {extra!r}", fix=f"Only '{table.key}:' belongs in this file")
    rows = document[table.key]
    if not isinstance(rows, list) or not rows:
        checker.add(f"'{table.key}' must be a non-empty list of rows")
        return [], checker.problems
    clean_rows = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows, 1):
        clean = checker.check_row(index, row)
        if clean is None:
            continue
        row_id = clean.get("id")
        if isinstance(row_id, str):
            if row_id in seen:
                checker.add(f"duplicate id, already used by row {seen[row_id]}", index, row_id, "id",
                            "Give each row its own id")
            seen.setdefault(row_id, index)
        if table.key == "scenarios":
            _check_scenario(checker, index, row, clean, catalogue)
            clean["steps"] = row.get("steps")
        clean_rows.append((index, clean))
    return [dict(clean, _row=index) for index, clean in clean_rows], checker.problems


def price_age_days(row: Mapping[str, object], on: dt.date) -> int | None:
    """Give back how many days old a row's as_of is on ``on``, or None for a historical record or no date.

    A year or a month counts from its first day, so an age is never understated.
    """
    parsed = parse_as_of(row.get("as_of"))
    if parsed is None or row.get("historical") is True:
        return None
    return (on - parsed[1]).days


def _stale(table: Table, label: str, rows: list[dict[str, object]], lines_of: dict[tuple[object, ...], int],
           today: dt.date, max_age_days: int) -> list[Problem]:
    stale = []
    for row in rows:
        age = price_age_days(row, today)
        if age is not None and age > max_age_days:
            index = row["_row"]
            stale.append(Problem(
                label, f"price is {age} days old (as_of {row['as_of']}; the limit is {max_age_days} days)",
                index, row.get("id"), "as_of", lines_of.get((index, "as_of")),
                "Check the source again and update the figure and as_of"))
    return stale


def load_data(data_dir: Path, max_age_days: int | None = None, today: dt.date | None = None) -> AtlasData:
    """Give back the validated data in ``data_dir``; raise DataError listing every problem found.

    ``max_age_days``: a current price (GPU purchase, API, rental, power) whose as_of is older is listed in
    ``AtlasData.stale`` (None: no age check). ``today`` defaults to the current date.
    """
    data_dir = Path(data_dir)
    today = today or dt.date.today()
    if max_age_days is not None and (isinstance(max_age_days, bool) or not isinstance(max_age_days, int)
                                     or max_age_days < 0):
        raise ValueError(f"max_age_days must be a whole number of 0 or more, or None; got {max_age_days!r}")
    tables: dict[str, list[dict[str, object]]] = {}
    problems: list[Problem] = []
    stale: list[Problem] = []
    for table in TABLES:
        # Scenario steps run through the engine, and some (throughput) read formats and stacks from
        # the catalogue: they get the tables checked so far, as the build's will be once they all pass.
        catalogue = Catalogue({key: [{k: v for k, v in row.items() if k != "_row"} for row in rows]
                               for key, rows in tables.items()}) if table.key == "scenarios" else None
        rows, found = _check_file(data_dir, table, today, catalogue)
        tables[table.key] = rows
        problems.extend(found)
        if max_age_days is not None and table.is_price and rows:
            text = (data_dir / table.file).read_text(encoding="utf-8")
            stale.extend(_stale(table, f"{data_dir.name}/{table.file}", rows, _line_index(text, table.key),
                                   today, max_age_days))
    problems.extend(_check_references(data_dir, tables))
    if problems:
        raise DataError(problems)
    frozen = {key: tuple(_freeze({k: v for k, v in row.items() if k != "_row"}) for row in rows)
              for key, rows in tables.items()}
    return AtlasData(stale=tuple(stale), **frozen)


def _check_references(data_dir: Path, tables: dict[str, list[dict[str, object]]]) -> list[Problem]:
    problems = []
    for table in TABLES:
        for spec in table.fields:
            if spec.references is None:
                continue
            known = sorted(str(row.get("id")) for row in tables.get(spec.references, []))
            if not known:
                continue  # the referenced file has its own problems already
            text = (data_dir / table.file).read_text(encoding="utf-8")
            lines = _line_index(text, table.key)
            for row in tables[table.key]:
                value = row.get(spec.name)
                if value is not None and value not in known:
                    close = difflib.get_close_matches(str(value), known, n=1)
                    index = row["_row"]
                    problems.append(Problem(
                        f"{data_dir.name}/{table.file}",
                        f"names {spec.references} id {value!r}, which {spec.references}.yaml does not have",
                        index, row.get("id"), spec.name, lines.get((index, spec.name)),
                        f"Did you mean '{close[0]}'?" if close else f"Add it to {spec.references}.yaml first"))
    return problems


def export_json(data: AtlasData) -> str:
    """Give back the validated data as JSON for the browser: stable key order, no warnings, no NaN."""
    return json.dumps({"schema_version": 1, **data.as_dict()}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), allow_nan=False)
