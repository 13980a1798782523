"""The ```datatable fence: a table rendered from data/ at build time, each row with its source and date.

    ```datatable
    table: rental_offers
    columns:
      - provider
      - offer
      - {field: usd_per_gpu_hour, label: "$ per GPU-hour", format: usd}
      - {expr: "rental-rate(hourly_price_usd=row.usd_per_gpu_hour, tokens_per_second=1000).cost_per_million_tokens_usd",
         label: "$ per 1M tokens at 1,000 tokens/s", format: usd}
    where: {gpu: h100-sxm}        # a value, or a list of allowed values
    sort: usd_per_gpu_hour        # or -field for descending, or a list
    chart: {y: usd_per_gpu_hour, series: term}   # optional: the prices against their dates
    ```

Registered as a pymdownx.superfences custom fence by the atlas plugin where a data folder exists, like
the calculator fence; in Obsidian the block stays a readable code block. "As of" and "Source" columns are
always added: a figure without its date and origin is not published. In a table of prices the "As of"
cell also gives the price's age in days on the build date ("2026-11 (33 days)"), and a current price
older than ``PRICE_STALE_AFTER_DAYS`` (180) says "stale" and carries the class ``atlas-datatable__stale``;
a row kept as a dated record says "historical" instead. The build date is today, or the day of
``SOURCE_DATE_EPOCH`` when that is set (reproducible builds).

An expression column may say what to show when its expression gives no value (``none: "more than 16"``:
a model that no tensor-parallel size holds).

``chart:`` draws the rows' ``y`` field against their ``as_of`` dates under the table, one colour per value
of ``series`` (left out: one colour), a dot for each price: the price history that data/ holds. With
fewer than two dates there is no history to draw, and the table says so instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from atlas_mkdocs.data.loader import parse_as_of, price_age_days
from atlas_mkdocs.data.schema import MAPPING, NUMBER, RANGE, PRICE_STALE_AFTER_DAYS, TABLES, WHOLE, Table
from atlas_mkdocs.engine.charts import Line, line_chart
from atlas_mkdocs.figures.errors import ExpressionError, FigureError
from atlas_mkdocs.figures.expressions import Figure, Record, did_you_mean, format_value, parse
from atlas_mkdocs.session import BlockYAMLError, BuildSession, block_error, read_block

FENCE_NAME = "datatable"
KEYS = ("table", "columns", "where", "sort", "chart")


class TableSpecError(ValueError):
    """A datatable block that cannot be rendered; the message names the problem and a fix."""


@dataclass(frozen=True)
class Column:
    """One column: a field path (``purchase_usd.low``) or an expression over ``row``, its label and format."""

    label: str
    field: tuple[str, ...] = ()
    expression: Figure | None = None
    expression_text: str = ""
    format: str | None = None
    #: Shown where the expression gives no value (None: that is an error, as in a figure).
    none_text: str | None = None


@dataclass(frozen=True)
class Chart:
    """A price history under the table: field ``y`` against the rows' dates, a line per ``series`` value."""

    y: tuple[str, ...]
    y_label: str
    series: tuple[str, ...] = ()
    title: str = ""


def _table(name: object) -> Table:
    tables = {table.key: table for table in TABLES}
    if not isinstance(name, str) or name not in tables:
        raise TableSpecError(f"unknown table {name!r}{did_you_mean(str(name), tables)}; tables: {', '.join(tables)}")
    return tables[name]


def _field_path(table: Table, text: object, role: str) -> tuple[str, ...]:
    if not isinstance(text, str) or not text.strip():
        raise TableSpecError(f"{role} must name a field of {table.key}; got {text!r}")
    parts = tuple(text.strip().split("."))
    known = [field.name for field in table.fields]
    spec = table.field(parts[0])
    if spec is None:
        raise TableSpecError(f"{role} names {text!r}, which is not a field of {table.key}"
                             f"{did_you_mean(parts[0], known)}; its fields: {', '.join(known)}")
    if len(parts) > 1:
        inner = ["low", "high"] if spec.kind == RANGE else [f.name for f in spec.fields] if spec.kind == MAPPING else []
        if len(parts) > 2 or parts[1] not in inner:
            allowed = f"'{parts[0]}.' takes one of: {', '.join(inner)}" if inner else f"{parts[0]} has no parts"
            raise TableSpecError(f"{role} names {text!r}, which is not a field of {table.key}; {allowed}")
    return parts


def parse_spec(source: str) -> tuple[Table, list[Column], dict[tuple[str, ...], list[object]], list[tuple[tuple[str, ...], bool]]]:
    """Give back (table, columns, where, sort) of a datatable block, or raise TableSpecError."""
    try:
        spec = read_block(source)
    except BlockYAMLError as error:
        raise TableSpecError(str(error)) from None
    if not isinstance(spec, Mapping):
        raise TableSpecError("not a YAML mapping; write e.g. 'table: gpus' and 'columns: [name, vram_gb]'")
    for key in spec:
        if key not in KEYS:
            raise TableSpecError(f"unknown key {key!r}{did_you_mean(str(key), KEYS)}; keys: {', '.join(KEYS)}")
    table = _table(spec.get("table"))
    raw_columns = spec.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise TableSpecError("'columns:' is missing; give a list of field names or {field|expr, label, format} mappings")
    columns = [_column(table, raw, number) for number, raw in enumerate(raw_columns, 1)]
    where: dict[tuple[str, ...], list[object]] = {}
    raw_where = spec.get("where") or {}
    if not isinstance(raw_where, Mapping):
        raise TableSpecError(f"'where' must be a mapping of field: value (or a list of values); got {raw_where!r}")
    for name, wanted in raw_where.items():
        where[_field_path(table, name, "'where'")] = list(wanted) if isinstance(wanted, list) else [wanted]
    raw_sort = spec.get("sort") or []
    sort = []
    for entry in raw_sort if isinstance(raw_sort, list) else [raw_sort]:
        text = str(entry)
        descending = text.startswith("-")
        sort.append((_field_path(table, text.lstrip("-"), "'sort'"), descending))
    return table, columns, where, sort


def _column(table: Table, raw: object, number: int) -> Column:
    if isinstance(raw, str):
        return Column(raw.strip(), _field_path(table, raw, f"column {number}"))
    if not isinstance(raw, Mapping):
        raise TableSpecError(f"column {number} must be a field name or a mapping; got {raw!r}")
    unknown = [key for key in raw if key not in ("field", "expr", "label", "format", "none")]
    if unknown:
        raise TableSpecError(f"column {number} has unknown key {unknown[0]!r}; keys: field or expr, label, format, none")
    if "none" in raw and "expr" not in raw:
        raise TableSpecError(f"column {number}: 'none' (what to show when an expression gives no value) "
                             "goes with 'expr'")
    style = raw.get("format")
    if style is not None:
        try:
            format_value(0, str(style))
        except ExpressionError as error:
            raise TableSpecError(f"column {number}: {error}") from None
    if ("field" in raw) == ("expr" in raw):
        raise TableSpecError(f"column {number} needs either 'field' or 'expr'")
    if "field" in raw:
        path = _field_path(table, raw["field"], f"column {number}")
        return Column(str(raw.get("label", raw["field"])), path, format=None if style is None else str(style))
    text = str(raw["expr"]).lstrip("=")
    try:
        figure = parse(text)
    except ExpressionError as error:
        raise TableSpecError(f"column {number} expression {text!r}: {error}") from None
    if figure.format is not None and style is not None:
        raise TableSpecError(f"column {number} gives a format twice ('|{figure.format}' and format: {style})")
    if "label" not in raw:
        raise TableSpecError(f"column {number} computes an expression and needs a 'label'")
    none_text = None if raw.get("none") is None else str(raw["none"])
    return Column(str(raw["label"]), (), figure, text, figure.format or (None if style is None else str(style)),
                  none_text)


def parse_chart(source: str) -> Chart | None:
    """Give back the block's ``chart:`` (None when it has none), or raise TableSpecError."""
    spec = read_block(source)
    raw = spec.get("chart") if isinstance(spec, Mapping) else None
    if raw is None:
        return None
    table = _table(spec.get("table"))
    if not isinstance(raw, Mapping) or "y" not in raw:
        raise TableSpecError("'chart' must be a mapping with 'y' (a numeric field) and optionally 'series' and "
                             "'title'; e.g. chart: {y: usd_per_gpu_hour, series: term}")
    unknown = [key for key in raw if key not in ("y", "series", "title")]
    if unknown:
        raise TableSpecError(f"'chart' has unknown key {unknown[0]!r}{did_you_mean(str(unknown[0]), ('y', 'series', 'title'))}"
                             "; keys: y, series, title")
    y = _field_path(table, raw["y"], "chart 'y'")
    spec_field = table.field(y[0])
    if spec_field is None or spec_field.kind not in (NUMBER, WHOLE):
        raise TableSpecError(f"chart 'y' must be a numeric field of {table.key}; {raw['y']!r} is not")
    series = _field_path(table, raw["series"], "chart 'series'") if raw.get("series") else ()
    label = spec_field.unit or y[-1].replace("_", " ")
    return Chart(y, label, series, str(raw.get("title") or ""))


_MISSING = object()


def _lookup(row: Mapping[str, object], path: tuple[str, ...]) -> object:
    value: object = row
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _show(value: object, style: str | None) -> str:
    if value is _MISSING or value is None:
        return "—"
    if isinstance(value, Mapping) and set(value) == {"low", "high"}:
        return f"{format_value(value['low'], style)}–{format_value(value['high'], style)}"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {_show(item, style)}" for key, item in value.items())
    return format_value(value, style)


def _sort_key(value: object) -> tuple[int, object]:
    if value is _MISSING or value is None:
        return (2, 0)
    if isinstance(value, Mapping) and "low" in value:
        value = value["low"]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value))


def build_date() -> dt.date:
    """Give back the date prices are aged to: SOURCE_DATE_EPOCH's day (UTC) when set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _as_of_cell(row: Mapping[str, object], table: Table, today: dt.date) -> tuple[str, str]:
    """Give back (text, class) of the As of cell: the date, and for a price its age and whether it is stale."""
    text = _show(_lookup(row, ("as_of",)), None)
    if not table.is_price or text == "—":
        return text, ""
    if row.get("historical") is True:
        return f"{text} (historical)", ""
    age = price_age_days(row, today)
    if age is None:
        return text, ""
    days = f"{age:,} day{'s' if age != 1 else ''}"
    if age > PRICE_STALE_AFTER_DAYS:
        return f"{text} ({days}, stale)", "atlas-datatable__stale"
    return f"{text} ({days})", ""


def render_table(source: str, data: Any, evaluator_for_row, today: dt.date | None = None) -> str:
    """Give back the HTML table a datatable block describes; raise TableSpecError or ExpressionError.

    ``today`` is the date prices are aged to (default: ``build_date()``).
    """
    today = today or build_date()
    table, columns, where, sort = parse_spec(source)
    rows = list(getattr(data, table.key))
    for path, wanted in where.items():
        rows = [row for row in rows if _lookup(row, path) in wanted]
    if not rows:
        shown = ", ".join(f"{'.'.join(p)} in {w!r}" for p, w in where.items())
        raise TableSpecError(f"no row of {table.key} matches 'where' ({shown})")
    for path, descending in reversed(sort):
        present = [row for row in rows if _sort_key(_lookup(row, path))[0] < 2]
        absent = [row for row in rows if _sort_key(_lookup(row, path))[0] == 2]
        rows = sorted(present, key=lambda row: _sort_key(_lookup(row, path)), reverse=descending) + absent
    shown_fields = {column.field for column in columns}
    extra = [Column(label, (name,)) for name, label in (("as_of", "As of"), ("source", "Source"))
             if (name,) not in shown_fields]
    columns = columns + extra
    cells: list[list[tuple[str, bool, str]]] = []
    for row in rows:
        line = []
        for column in columns:
            if column.field == ("as_of",):
                text, css = _as_of_cell(row, table, today)
                line.append((text, False, css))
                continue
            if column.expression is not None:
                record = Record(f"data.{table.key}[{row['id']}]", row, "row")
                try:
                    value = evaluator_for_row({"row": record}).value(column.expression)
                    text = (column.none_text if value is None and column.none_text is not None
                            else format_value(value, column.format))
                except ExpressionError as error:
                    raise TableSpecError(f"column {column.label!r}, row {row['id']!r}: "
                                         f"expression {column.expression_text!r}: {error}") from None
            else:
                value = _lookup(row, column.field)
                try:
                    text = _show(value, column.format)
                except ExpressionError as error:
                    raise TableSpecError(f"column {column.label!r}, row {row['id']!r}: {error}") from None
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            line.append((text, numeric, ""))
        cells.append(line)
    right = [all(line[index][1] or line[index][0] == "—" for line in cells)
             and any(line[index][1] for line in cells) for index in range(len(columns))]
    # An align attribute, not a style: the site's Content-Security-Policy (style-src 'self') drops inline styles.
    align = ' align="right"'
    head = "".join(f"<th{align if right[i] else ''}>{html.escape(c.label)}</th>" for i, c in enumerate(columns))
    body = "".join(
        "<tr>" + "".join(f"<td{align if right[i] else ''}{f' class=\"{css}\"' if css else ''}>{html.escape(text)}</td>"
                         for i, (text, _, css) in enumerate(line)) + "</tr>\n"
        for line in cells)
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    aged = (f" Ages are counted to {today.isoformat()}; a current price older than {PRICE_STALE_AFTER_DAYS} days "
            "is marked stale." if table.is_price else "")
    chart = parse_chart(source)
    drawn = "" if chart is None else price_history(chart, table, rows, source)
    # No class on <table>: Material styles (and scroll-wraps) only tables without one.
    return (f'<div class="atlas-datatable" data-table="{table.key}">\n'
            f"<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>\n"
            f'<p class="atlas-datatable__note">{count} of <code>data/{table.file}</code>, '
            f"read when this site was built.{aged}</p>\n{drawn}</div>")


def _year(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    return day.year + (day - start).days / (dt.date(day.year + 1, 1, 1) - start).days


def _year_label(value: float) -> str:
    """An axis label for a fractional year: "2025", or "Jul 2025" between years."""
    year = math.floor(value + 1e-9)
    month = round((value - year) * 12)
    if month in (0, 12):
        return str(year + (month == 12))
    return f"{dt.date(year, month + 1, 1):%b} {year}"


def price_history(chart: Chart, table: Table, rows: list[Mapping[str, object]], source: str) -> str:
    """Give back the chart of ``chart.y`` against the rows' dates, or a line saying why there is none."""
    points: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        dated = parse_as_of(row.get("as_of"))
        value = _lookup(row, chart.y)
        if dated is None or not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        name = str(_lookup(row, chart.series)) if chart.series else chart.y[-1]
        if name == str(_MISSING) or name == "None":
            name = "on_demand" if chart.series == ("term",) else "not given"
        points.setdefault(name.replace("_", " "), []).append((_year(dated[1]), float(value)))
    dates = {x for series in points.values() for x, _ in series}
    if len(dates) < 2:
        return ('<p class="atlas-datatable__note">No price history to draw: these rows carry '
                f"{len(dates)} date{'s' if len(dates) != 1 else ''}.</p>\n")
    lines = [Line(name, *zip(*sorted(series))) for name, series in sorted(points.items())]
    title = chart.title or f"{chart.y[-1].replace('_', ' ')} by date"
    svg = line_chart(title, "date (as of)", chart.y_label, lines,
                     x_format=_year_label, y_format=lambda v: f"{v:g}", dots=True)
    chart_id = "atlas-history-" + hashlib.sha256(source.encode()).hexdigest()[:10]
    return f'<div class="atlas-datatable__chart">{svg.replace("{id}", chart_id)}</div>\n'



def format_datatable(source: str, language: str, class_name: str, options: dict, md,
                     session: BuildSession | None = None, **kwargs) -> str:
    """SuperFences formatter of the ```datatable fence: the table, or, for a block that cannot be rendered,
    a visible error box and a build warning naming the note and line (which fails --strict).

    The plugin gives it the build's ``session``; without one it reads the figures extension's."""
    from atlas_mkdocs.figures import figures_extension_of

    extension = figures_extension_of(md, session)
    where = extension.session.where_fence(FENCE_NAME, source)
    try:
        return render_table(source, extension.data(), extension.evaluators.with_bindings)
    except (TableSpecError, ExpressionError) as error:
        return block_error(FENCE_NAME, where, f"datatable block: {error}")
    except FigureError as error:  # from the data loader
        return block_error(FENCE_NAME, where, str(error))
    except Exception as error:  # a fault of ours: SuperFences would show the block as code, silently
        return block_error(FENCE_NAME, where, f"datatable block failed: {type(error).__name__}: {error}")
