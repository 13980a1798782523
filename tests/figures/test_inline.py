"""Inline figures: a `=...` code span becomes the engine's number; anything missing stops the build."""

from __future__ import annotations

import html
import logging

import pytest

from atlas_mkdocs.figures.errors import ExpressionError
from atlas_mkdocs.figures.expressions import format_value, parse

from .conftest import render


def render_with_warnings(text: str, caplog, **kwargs) -> tuple[str, list[str]]:
    """Give back the HTML of ``text`` and the warnings the atlas logger gave while rendering it."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.atlas"):
        page = render(text, **kwargs)
    return page, [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.atlas"]


def error_span(message: str) -> str:
    """Give back what a figure that cannot be computed shows in its place."""
    return (f'<span class="atlas-figure atlas-figure--error" role="alert">'
            f"[figure error: {html.escape(message, quote=False)}]</span>")

RENT_30 = "rental-rate(hourly_price_usd=3.5, tokens_per_second=100, utilisation=0.3).cost_per_million_tokens_usd"


def test_rental_rate_figure_renders_as_a_span():
    """Seed 003's $3.50/h at 100 tokens/s and 30% use shows as $32.41, with the formula as its title."""
    html = render(f"It costs `={RENT_30}|usd` per 1M tokens.")
    assert html == (f'<p>It costs <span class="atlas-figure" title="={RENT_30}|usd">$32.41</span> '
                    "per 1M tokens.</p>")


def test_other_code_spans_are_untouched():
    """Code that does not start with '=' (or starts with '==') is rendered by the backtick processor as before."""
    html = render("`x = 1`, `==highlight==`, `` `=not` `` and `#!python a=1`.")
    assert html == ('<p><code>x = 1</code>, <code>==highlight==</code>, <code>`=not`</code> and '
                    '<code class="highlight"><span class="n">a</span><span class="o">=</span>'
                    '<span class="mi">1</span></code>.</p>')


def test_fenced_code_is_untouched():
    """A `=...` span inside a code block is code, not a figure."""
    html = render("```\nprint(`=nothing`)\n```")
    assert "=nothing" in html and "atlas-figure" not in html


def test_data_values_and_ranges():
    """data.TABLE[ID].FIELD reads a value of data/; a range's parts are .low and .high."""
    html = render("`=data.gpus[h100-sxm].vram_gb` GB, `=data.gpus[h100-sxm].purchase_usd.low|usd0` and "
                  "`=data.api_prices[openai/gpt-4o].output_per_million_usd|usd`.")
    assert '>80</span> GB' in html
    assert '>$25,000</span>' in html
    assert '>$10.00</span>' in html


def test_data_values_feed_models():
    """A model input may be a value from data/: the sentence follows the price in data/."""
    html = render("`=rental-rate(hourly_price_usd=data.rental_offers[lambda-h100-sxm].usd_per_gpu_hour, "
                  "tokens_per_second=1000).cost_per_million_tokens_usd|usd`")
    assert ">$0.83</span>" in html  # $2.99/h / 3.6M tokens an hour


def test_scenario_steps_and_what_the_seed_said():
    """scenario.ID.STEP.OUTPUT runs data/scenarios.yaml's step; .seed_says gives the seed's own figure."""
    html = render("`=scenario.seed-003.rental-30-percent.cost_per_million_tokens_usd|usd` against "
                  "`=scenario.seed-003.rental-30-percent.seed_says.cost_per_million_tokens_usd|usd`; "
                  "`=scenario.seed-001.gpt-4-per-request.monthly_cost_usd|usd`.")
    assert ">$32.41</span> against" in html
    assert ">$32.40</span>;" in html
    assert ">$7,464.96</span>." in html


def test_front_matter_names_a_run_once():
    """A note's front matter 'figures:' names runs and values; prose then picks outputs by name."""
    note = ("---\ntitle: T\nfigures:\n"
            "  gpt4: api(input_per_million_usd=120, output_per_million_usd=120, input_tokens=400, "
            "output_tokens=400, requests_per_month=77760, hours_per_month=720)\n"
            "  per_request: gpt4.cost_per_request_usd\n---\n")
    body = "`=gpt4.monthly_cost_usd|usd0` a month, `=per_request|usd3` a request."
    html = render(body, source=note + body)
    assert html == ('<p><span class="atlas-figure" title="=gpt4.monthly_cost_usd|usd0">$7,465</span> a month, '
                    '<span class="atlas-figure" title="=per_request|usd3">$0.096</span> a request.</p>')


def test_arithmetic_and_choices():
    """+ - * / with the usual precedence; a bare word as an input is a choice such as billing=always_on."""
    assert ">7</span>" in render("`=1 + 2 * 3`")
    assert ">-1</span>" in render("`=(1 - 2)`")
    html = render("`=rental-month(hourly_price_per_gpu_usd=4.42, tokens_per_second=24, tokens_per_month=62208000, "
                  "billing=always_on, hours_per_month=720).monthly_cost_usd|usd`")
    assert ">$3,182.40</span>" in html


def test_pipe_escaped_in_a_table_cell():
    """In a table, Obsidian needs the format's '|' escaped as '\\|'; both read the same."""
    html = render("| GPU | VRAM |\n|---|---|\n| H100 | `=data.gpus[h100-sxm].vram_gb\\|int` GB |")
    assert '<td><span class="atlas-figure" title="=data.gpus[h100-sxm].vram_gb|int">80</span> GB</td>' in html


@pytest.mark.parametrize(("value", "style", "shown"), [
    (32.40740740740741, "usd", "$32.41"),
    (7464.96, "usd0", "$7,465"),
    (0.0409, "usd4", "$0.0409"),
    (-5.0, "usd", "-$5.00"),
    (77760, "int", "77,760"),
    (0.3, "pct", "30%"),
    (0.125, "pct1", "12.5%"),
    (1028.8065, "number1", "1,028.8"),
    (1333333.3, "millions", "1.33 million"),
    (True, "yesno", "yes"),
    ("local", "text", "local"),
    (330.3, None, "330.3"),
    (989.0, None, "989"),
    (12, None, "12"),
])
def test_formats(value, style, shown):
    """Each format shows a value as the page prints it."""
    assert format_value(value, style) == shown


@pytest.mark.parametrize(("expression", "message"), [
    ("rental-rat(hourly_price_usd=3.5, tokens_per_second=100).cost_per_million_tokens_usd",
     "unknown model 'rental-rat' (did you mean 'rental-rate'?); models: api, api-shares, audio, break-even, cache, "
     "calibration, capacity, cascade, decision, gpu-fit, image, own-hardware, own-hardware-ranges, rental-month, "
     "rental-rate, "
     "required-throughput, sizing, three-way, throughput, utilisation-break-even "
     "(at character 1 of the expression)"),
    ("rental-rate(hourly_price=3.5, tokens_per_second=100).cost_per_million_tokens_usd",
     "model 'rental-rate' has no input 'hourly_price' (did you mean 'hourly_price_usd'?); its inputs: "
     "hourly_price_usd, tokens_per_second, utilisation, tokens_per_request (at character 1 of the expression)"),
    ("rental-rate(hourly_price_usd=3.5, tokens_per_second=100).cost",
     "model 'rental-rate' has no output 'cost'; its outputs: cost_per_million_tokens_usd, "
     "cost_per_million_tokens_at_full_use_usd, tokens_per_hour_at_full_use, cost_per_request_usd, "
     "seconds_per_request (at character 58 of the expression)"),
    ("rental-rate(hourly_price_usd=3.5, tokens_per_second=100).cost_per_request_usd",
     "model 'rental-rate' does not compute 'cost_per_request_usd' from these inputs (it computes: "
     "cost_per_million_tokens_usd, cost_per_million_tokens_at_full_use_usd, tokens_per_hour_at_full_use) "
     "(at character 58 of the expression)"),
    ("rental-rate(tokens_per_second=100).cost_per_million_tokens_usd",
     "model 'rental-rate' refuses these inputs: hourly_price_usd is required ($/hour); model 'rental-rate' has "
     "no default for it (at character 1 of the expression)"),
    ("data.gpus[h100].vram_gb",
     "data.gpus has no row 'h100' (did you mean 'h100-sxm'?); rows: a100-40gb-sxm, a100-80gb-pcie, "
     "a100-80gb-sxm, b200, h100-pcie, h100-sxm, h200-sxm, l4, l40s, mi300x, rtx-3090, rtx-4090, rtx-5090 "
     "(at character 10 of the expression)"),
    ("data.gpus[h100-sxm].vram",
     "data.gpus[h100-sxm] has no field 'vram' (did you mean 'vram_gb'?); its fields: id, name, vram_gb, "
     "memory_bandwidth_gbs, fp16_dense_tflops, fp8_dense_tflops, fp4_dense_tflops, board_watts, interconnect, "
     "purchase_usd, launch, as_of, source, historical (at character 21 of the expression)"),
    ("data.gpu[h100-sxm].vram_gb",
     "data has no table 'gpu' (did you mean 'gpus'?); tables: gpus, api_prices, rental_offers, power_prices, "
     "model_shapes, quant_formats, interconnects, serving_stacks, throughput_measurements, api_batch_discounts "
     "(scenarios are read as scenario.ID.STEP.OUTPUT) (at character 6 of the expression)"),
    ("scenario.seed-01.x.y",
     "data/scenarios.yaml has no scenario 'seed-01' (did you mean 'seed-001'?); scenarios: seed-001, seed-002, "
     "seed-003 (at character 10 of the expression)"),
    ("gpt4.monthly_cost_usd",
     "unknown name 'gpt4'; define it under 'figures:' in the note's front matter, or start with a model call, "
     "data. or scenario. (at character 1 of the expression)"),
    ("__import__('os').system('ls')", "expected an input name, found \"'os'\" (at character 12 of the expression)"),
    ("2 * 3|dollars", "unknown format 'dollars'; formats: usd (dollars with 2 decimals, usdN with N: $32.41, "
     "$7,465 (usd0)); int (a whole number with thousands separators: 77,760); pct (a share as a percentage, "
     "0 decimals (pctN: N): 0.3 -> 30%); number (a number with 2 decimals (numberN: N) and thousands "
     "separators: 1,028.81); millions (a number in millions, 2 decimals (millionsN: N): 1,333,333 -> 1.33 "
     "million); text (text as it is); yesno (a flag as yes or no)"),
])
def test_errors_name_the_note_the_line_and_the_fix(expression, message, caplog):
    """A figure that refers to nothing is a warning (which fails --strict): note, line, the figure as written,
    and the known names; the same words stand in the sentence where the figure would be."""
    page, warnings = render_with_warnings(f"# Title\n\nText with `={expression}` in it.", caplog)
    assert warnings == [f"Note.md, line 3: figure `={expression}`: {message}"]
    assert f"<p>Text with {error_span(warnings[0])} in it.</p>" in page


def test_error_outside_a_note_names_the_figure(caplog):
    """Without the plugin (no current note) the message still names the figure."""
    _, warnings = render_with_warnings("`=nope.x`", caplog, note=None)
    assert len(warnings) == 1 and warnings[0].startswith("figure `=nope.x`: unknown name 'nope'")


def test_named_figures_that_loop_are_refused(caplog):
    """Named figures referring to each other in a ring are an error, not a hang."""
    note = "---\nfigures:\n  a: b + 1\n  b: a + 1\n---\n"
    _, warnings = render_with_warnings("`=a`", caplog, source=note + "`=a`")
    assert len(warnings) == 1
    assert ("figure 'b' refers to itself: b -> a -> b" in warnings[0]
            or "figure 'a' refers to itself" in warnings[0]), warnings


def test_bad_front_matter_figures_are_named(caplog):
    """'figures' must be a mapping of word: expression."""
    page, warnings = render_with_warnings("`=x`", caplog, source="---\nfigures: [x]\n---\n`=x`")
    assert warnings == ["Note.md, line 4: figure `=x`: front matter: 'figures' must be a mapping of "
                        "name: expression; got ['x']"]
    assert error_span(warnings[0]) in page


def test_parser_never_evaluates_python():
    """The language has no attribute access on Python objects, no calls but models, no eval."""
    with pytest.raises(ExpressionError):
        parse("().__class__")
    with pytest.raises(ExpressionError):
        parse("1; import os")
