"""The ```datatable fence: rows of data/ as a table with source and date; a bad block shows an error box
in its place and is a build warning naming the note and line (so --strict fails on it)."""

from __future__ import annotations

import html
import logging

import pytest

from .conftest import render


def render_with_warnings(text: str, caplog) -> tuple[str, list[str]]:
    """Give back the HTML of ``text`` and the warnings the atlas logger gave while rendering it."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.atlas"):
        page = render(text)
    return page, [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.atlas"]


def error_box(message: str) -> str:
    """Give back the box that takes a broken datatable block's place, saying ``message``."""
    return ('<div class="admonition failure atlas-block-error" role="alert"><p class="admonition-title">'
            f"This datatable block could not be shown</p><p>{html.escape(message, quote=False)}</p></div>")

H200 = """```datatable
table: rental_offers
columns:
  - {field: provider, label: Provider}
  - {field: usd_per_gpu_hour, label: "$ per GPU-hour", format: usd}
  - {expr: "rental-rate(hourly_price_usd=row.usd_per_gpu_hour, tokens_per_second=1000).cost_per_million_tokens_usd",
     label: "$ per 1M tokens at 1,000 tokens/s", format: usd}
where: {gpu: h200-sxm, billing: hourly, historical: true}
sort: -usd_per_gpu_hour
```"""

H200_HTML = (
    '<div class="atlas-datatable" data-table="rental_offers">\n'
    "<table>\n<thead>\n"
    '<tr><th>Provider</th><th align="right">$ per GPU-hour</th>'
    '<th align="right">$ per 1M tokens at 1,000 tokens/s</th><th>As of</th><th>Source</th></tr>\n'
    "</thead>\n<tbody>\n"
    '<tr><td>runpod</td><td align="right">$4.59</td><td align="right">$1.27</td>'
    "<td>2026-09-28 (historical)</td><td>runpod.io/pricing, Wayback capture 20260928143046 "
    "(henryzhangpku/gpu-price-index backfill)</td></tr>\n"
    '<tr><td>nebius</td><td align="right">$4.50</td><td align="right">$1.25</td>'
    "<td>2026-09-21 (historical)</td><td>nebius.com/prices, Wayback capture 20260921070322 "
    "(henryzhangpku/gpu-price-index backfill)</td></tr>\n"
    '<tr><td>runpod</td><td align="right">$3.59</td><td align="right">$1.00</td>'
    "<td>2026-01-02 (historical)</td><td>&#x27;H200 GPU Pricing Summary 2026-01-02&#x27; (reference/hardware_and_prices.yaml)</td></tr>\n"
    '<tr><td>GPU Markets (7 venues)</td><td align="right">$3.41</td><td align="right">$0.95</td>'
    "<td>2026-04-18 (historical)</td><td>GPU Markets daily fixing of 2026-04-18, 00:30 UTC (spot, on-demand and reserved "
    "across 12 venues&#x27; public APIs)</td></tr>\n"
    '<tr><td>nebius</td><td align="right">$2.45</td><td align="right">$0.68</td>'
    "<td>2026-09-21 (historical)</td><td>nebius.com/prices (&#x27;Preemptible, GPU-hour&#x27;), Wayback capture "
    "20260921070322 (henryzhangpku/gpu-price-index backfill)</td></tr>\n"
    '<tr><td>nebius</td><td align="right">$2.30</td><td align="right">$0.64</td>'
    "<td>2026-01-02 (historical)</td><td>&#x27;H200 GPU Pricing Summary 2026-01-02&#x27; (reference/hardware_and_prices.yaml)</td></tr>\n"
    '<tr><td>vultr</td><td align="right">$1.99</td><td align="right">$0.55</td>'
    "<td>2026-01-02 (historical)</td><td>&#x27;H200 GPU Pricing Summary 2026-01-02&#x27; (reference/hardware_and_prices.yaml)</td></tr>\n"
    "</tbody>\n</table>\n"
    '<p class="atlas-datatable__note">7 rows of <code>data/rental_offers.yaml</code>, read when this site was built. '
    "Ages are counted to 2026-12-04; a current price older than 180 days is marked stale.</p>\n"
    "</div>"
)
DEC_4_2026 = "1796385600"  # 2026-12-04 12:00 UTC, as SOURCE_DATE_EPOCH


def test_datatable_renders_rows_with_source_and_date(monkeypatch):
    """Selected, sorted rows, a computed column, and the As of and Source columns always added; prices are
    aged to the build date (SOURCE_DATE_EPOCH's day here), and these are kept records."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_4_2026)
    assert render(H200) == H200_HTML


def test_price_age_and_stale_mark():
    """A price gives its age in days; one older than 180 days says stale and carries the class; shapes are no prices."""
    import datetime as dt
    from types import SimpleNamespace

    from atlas_mkdocs.figures.tables import render_table
    rows = (
        {"id": "fresh", "provider": "a", "as_of": "2026-11", "source": "s"},
        {"id": "old", "provider": "b", "as_of": "2026-06-01", "source": "s"},
        {"id": "day", "provider": "c", "as_of": "2026-12-03", "source": "s"},
    )
    html = render_table("table: rental_offers\ncolumns: [provider]\n", SimpleNamespace(rental_offers=rows), None,
                        dt.date(2026, 12, 4))
    assert "<tr><td>a</td><td>2026-11 (33 days)</td><td>s</td></tr>" in html
    assert '<tr><td>b</td><td class="atlas-datatable__stale">2026-06-01 (186 days, stale)</td><td>s</td></tr>' in html
    assert "<tr><td>c</td><td>2026-12-03 (1 day)</td><td>s</td></tr>" in html
    shapes = render_table("table: model_shapes\ncolumns: [name]\n", SimpleNamespace(
        model_shapes=({"id": "m", "name": "M", "as_of": "2024-07", "source": "s"},)), None, dt.date(2026, 12, 4))
    assert "<tr><td>M</td><td>2024-07</td><td>s</td></tr>" in shapes
    assert "marked stale" not in shapes


def test_ranges_nulls_and_default_sort_order():
    """A purchase range shows low–high; an explicit null (no FP8) shows a dash; missing values sort last."""
    html = render("```datatable\ntable: gpus\ncolumns: [id, {field: purchase_usd, label: Price, format: usd0}, "
                  "fp8_dense_tflops, msrp_usd]\nwhere: {id: [rtx-3090, l4]}\nsort: msrp_usd\n```")
    assert html.index("<td>rtx-3090</td>") < html.index("<td>l4</td>")
    assert "<td>$700–$1,000</td>" in html
    assert '<td align="right">—</td>' in html  # rtx-3090 has no FP8


def test_datatable_inside_a_callout_body_is_found_by_line(caplog):
    """The error locator finds a fence inside a blockquote too."""
    text = "Intro.\n\n> Quote\n>\n> ```datatable\n> table: gpus\n> columns: [vram]\n> ```\n"
    page, warnings = render_with_warnings(text, caplog)
    assert len(warnings) == 1
    assert warnings[0].startswith("Note.md, line 5: datatable block: column 1 names 'vram'")
    assert error_box(warnings[0]) in page


@pytest.mark.parametrize(("block", "message"), [
    ("table: gpu\ncolumns: [name]",
     "unknown table 'gpu' (did you mean 'gpus'?); tables: gpus, api_prices, rental_offers, power_prices, "
     "model_shapes, quant_formats, interconnects, serving_stacks, throughput_measurements, scenarios, "
     "api_batch_discounts"),
    ("table: gpus\ncolumns: [vram]",
     "column 1 names 'vram', which is not a field of gpus (did you mean 'vram_gb'?); its fields: id, name, "
     "vram_gb, memory_bandwidth_gbs, fp16_dense_tflops, fp8_dense_tflops, fp4_dense_tflops, board_watts, "
     "interconnect, purchase_usd, msrp_usd, launch, as_of, source, note, historical"),
    ("table: gpus\ncolumns: [purchase_usd.mid]",
     "column 1 names 'purchase_usd.mid', which is not a field of gpus; 'purchase_usd.' takes one of: low, high"),
    ("table: gpus\ncolumns: [name]\nwhere: {id: h100}", "no row of gpus matches 'where' (id in ['h100'])"),
    ("table: gpus\ncolumns: [name]\nsort: speed",
     "'sort' names 'speed', which is not a field of gpus; its fields: id, name, vram_gb, memory_bandwidth_gbs, "
     "fp16_dense_tflops, fp8_dense_tflops, fp4_dense_tflops, board_watts, interconnect, purchase_usd, msrp_usd, "
     "launch, as_of, source, note, historical"),
    ("table: gpus\ncolums: [name]", "unknown key 'colums' (did you mean 'columns'?); keys: table, columns, where, sort, chart"),
    ("table: gpus", "'columns:' is missing; give a list of field names or {field|expr, label, format} mappings"),
    ("table: gpus\ncolumns: [{field: vram_gb, format: euro}]",
     "column 1: unknown format 'euro'; formats: usd (dollars with 2 decimals, usdN with N: $32.41, $7,465 (usd0)); "
     "int (a whole number with thousands separators: 77,760); pct (a share as a percentage, 0 decimals (pctN: N): "
     "0.3 -> 30%); number (a number with 2 decimals (numberN: N) and thousands separators: 1,028.81); millions "
     "(a number in millions, 2 decimals (millionsN: N): 1,333,333 -> 1.33 million); text (text as it is); yesno "
     "(a flag as yes or no)"),
    ("table: gpus\ncolumns: [{expr: row.vramgb, label: VRAM}]\nwhere: {id: l4}",
     "column 'VRAM', row 'l4': expression 'row.vramgb': data.gpus[l4] has no field 'vramgb' (did you mean "
     "'vram_gb'?); its fields: id, name, vram_gb, memory_bandwidth_gbs, fp16_dense_tflops, fp8_dense_tflops, "
     "fp4_dense_tflops, board_watts, interconnect, purchase_usd, launch, as_of, source, note (at character 5 of the expression)"),
    ("table: [", "not valid YAML at line 1 of the block: expected the node content, but found '<stream end>'"),
])
def test_bad_blocks_warn_naming_note_and_line(block, message, caplog):
    """Every mistake in a block is one warning naming the note, the fence's line and what is known, and
    the same words in a box where the table would be."""
    page, warnings = render_with_warnings(f"# Prices\n\n```datatable\n{block}\n```\n", caplog)
    assert warnings == [f"Note.md, line 3: datatable block: {message}"]
    assert error_box(warnings[0]) in page


def test_a_bad_block_leaves_the_rest_of_the_note(caplog, monkeypatch):
    """The text around a broken block and a good table after it are rendered as usual."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_4_2026)  # H200_HTML ages its prices to 2026-12-04
    page, warnings = render_with_warnings(
        f"Before.\n\n```datatable\ntable: gpu\ncolumns: [name]\n```\n\nAfter.\n\n{H200}\n", caplog)
    assert len(warnings) == 1 and warnings[0].startswith("Note.md, line 3: datatable block: unknown table 'gpu'")
    assert page.index("<p>Before.</p>") < page.index("atlas-block-error") < page.index("<p>After.</p>")
    assert H200_HTML in page


def test_missing_data_folder_is_named(tmp_path, caplog):
    """A data_dir that does not exist is a warning naming it and the option to set; the figure says so."""
    import markdown

    md = markdown.Markdown(extensions=["atlas_mkdocs.figures"],
                           extension_configs={"atlas_mkdocs.figures": {"data_dir": str(tmp_path / "nope")}})
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.atlas"):
        page = md.convert("`=data.gpus[l4].vram_gb`")
    expected = (f"figure `=data.gpus[l4].vram_gb`: figures: the data folder {str(tmp_path / 'nope')!r} does not "
                f"exist (looked in {tmp_path / 'nope'}); set the data_dir option of atlas_mkdocs.figures in mkdocs.yml")
    assert [r.getMessage() for r in caplog.records] == [expected]
    assert page == (f'<p><span class="atlas-figure atlas-figure--error" role="alert">'
                    f"[figure error: {html.escape(expected, quote=False)}]</span></p>")


def _rows(*dated):
    return tuple({"id": f"r{i}", "gpu": "g", "provider": f"p{i}", "usd_per_gpu_hour": price, "as_of": as_of,
                  "source": "s", **({"term": term} if term else {})}
                 for i, (price, as_of, term) in enumerate(dated))


def test_a_chart_draws_each_dated_price_coloured_by_its_series():
    """chart: one dot per row at its date and price, one legend entry per series (a row without a term is
    on demand); the x axis spans the dates, the y axis the prices, in the field's unit."""
    import datetime as dt
    import re
    from types import SimpleNamespace

    from atlas_mkdocs.figures.tables import render_table
    rows = _rows((4.0, "2025-01", None), (2.0, "2026-01", None), (1.5, "2026-01", "spot"), (3.0, "2025-07", "reserved_1y"))
    source = "table: rental_offers\ncolumns: [provider]\nchart: {y: usd_per_gpu_hour, series: term}\n"
    page = render_table(source, SimpleNamespace(rental_offers=rows), None, dt.date(2026, 12, 4))
    svg = page[page.index('<div class="atlas-datatable__chart">'):]
    assert re.findall(r'<text class="atlas-chart__legend"[^>]*>([^<]+)</text>', svg) == ["on demand", "reserved 1y", "spot"]
    dots = re.findall(r'<circle class="atlas-chart__line atlas-chart__line--(\d)" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(dots) == 4 and "<polyline" not in svg  # dots only: a line would invent a trend between offers
    # Plot area: x from 72 to 612 px over 2025.0-2026.0 (the ticks), y from 272 (0) up to 40 ($4).
    by_series = {}
    for series, x, y in dots:
        by_series.setdefault(series, []).append((float(x), float(y)))
    assert by_series["0"] == [(72.0, 40.0), (612.0, 156.0)]  # on demand: Jan 2025 at $4, Jan 2026 at $2
    assert by_series["1"] == [(round(72 + 540 * 181 / 365, 1), 98.0)]  # reserved: 1 July 2025 (day 181) at $3
    assert by_series["2"] == [(612.0, 185.0)]  # spot: Jan 2026 at $1.50
    ticks = re.findall(r'<text class="atlas-chart__tick"[^>]*>([^<]+)</text>', svg)
    assert ticks == ["0", "1", "2", "3", "4", "2025", "Apr 2025", "Jul 2025", "Oct 2025", "2026"]
    assert ">USD per GPU-hour</text>" in svg and '<title id="atlas-history-' in svg


def test_a_chart_with_one_date_says_there_is_no_history():
    import datetime as dt
    from types import SimpleNamespace

    from atlas_mkdocs.figures.tables import render_table
    page = render_table("table: rental_offers\ncolumns: [provider]\nchart: {y: usd_per_gpu_hour}\n",
                        SimpleNamespace(rental_offers=_rows((4.0, "2025-01", None), (2.0, "2025-01", None))),
                        None, dt.date(2026, 12, 4))
    assert '<p class="atlas-datatable__note">No price history to draw: these rows carry 1 date.</p>' in page
    assert "<svg" not in page


@pytest.mark.parametrize(("block", "message"), [
    ("table: rental_offers\ncolumns: [provider]\nchart: {y: provider}",
     "chart 'y' must be a numeric field of rental_offers; 'provider' is not"),
    ("table: rental_offers\ncolumns: [provider]\nchart: {y: usd_per_gpu_hour, colour: term}",
     "'chart' has unknown key 'colour'; keys: y, series, title"),
    ("table: rental_offers\ncolumns: [provider]\nchart: usd_per_gpu_hour",
     "'chart' must be a mapping with 'y' (a numeric field) and optionally 'series' and 'title'; "
     "e.g. chart: {y: usd_per_gpu_hour, series: term}"),
    ("table: gpus\ncolumns: [{field: name, none: x}]",
     "column 1: 'none' (what to show when an expression gives no value) goes with 'expr'"),
])
def test_bad_charts_and_none_warn_naming_note_and_line(block, message, caplog):
    page, warnings = render_with_warnings(f"# T\n\n```datatable\n{block}\n```\n", caplog)
    assert warnings == [f"Note.md, line 3: datatable block: {message}"]
    assert error_box(warnings[0]) in page


def test_an_expression_without_a_value_shows_its_none_text():
    """sizing gives no GPU count for a model no tensor-parallel size holds: the cell says what the block
    asked for instead of failing the table (405B in BF16 is 810 GB of weights; eight RTX 3090s hold 192 GB)."""
    page = render("```datatable\ntable: gpus\ncolumns:\n  - id\n"
                  "  - {expr: \"sizing(model='llama-3.1-405b', gpu=row.id, quant=bf16).gpus_needed\", label: GPUs, "
                  "none: more than 8}\n  - {expr: \"sizing(model='llama-3.1-8b', gpu=row.id, quant=bf16).gpus_needed\", "
                  "label: 8B, none: more than 8}\nwhere: {id: [rtx-3090, h200-sxm]}\nsort: id\n```")
    assert "<tr><td>h200-sxm</td><td>8</td><td align=\"right\">1</td>" in page
    assert "<tr><td>rtx-3090</td><td>more than 8</td><td align=\"right\">1</td>" in page
