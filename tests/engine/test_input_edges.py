"""Inputs at their edges and results for people: how a field reads what was typed, and how a figure is written."""

from __future__ import annotations

import pytest

from atlas_mkdocs.runtime.calculator_fence import parse_block, render_widget
from atlas_mkdocs.engine.widgets import DEFAULT_MAXIMUM, WIDGETS, format_value, read_number, run_widget
from tests.engine.conftest import bundled_catalogue

#: data/, as the build passes it to the engine: read once per test run.
DATA = bundled_catalogue()

THROUGHPUT = WIDGETS["rental-cost"].input("tokens_per_second")
PRICE = WIDGETS["rental-cost"].input("hourly_price_usd")


@pytest.mark.parametrize("fmt,value,shown", [
    ("usd", -0.0, "$0.00"),                       # never "$-0.00"
    ("usd", 1e-320, "under $0.000001"),           # never "$1.00e-320"
    ("usd", 8.88e-19, "under $0.000001"),         # a rounding residue, not "$8.88e-19"
    ("usd", -8.88e-19, "about $0"),
    ("usd", 1.52e-5, "$0.0000152"),               # small money written out in full
    ("usd", 0.0409, "$0.0409"),
    ("usd", 0.9996, "$1.00"),
    ("usd", 1863.79, "$1,863.79"),
    ("usd", -1855.42, "-$1,855.42"),              # the sign before the dollar
    ("usd", 1.5e12, "$1.50 trillion"),            # no 13-digit figure on a phone
    ("usd", 1e308, "over $1 million trillion"),   # never a 300-digit figure
    ("usd0", -0.0, "$0"),
    ("percent", -0.0001, "0.0%"),
    ("int", -0.4, "0"),
    ("int", 2.6e15, "2,600.00 trillion"),
    ("decimal1", -0.04, "0.0"),
    ("compact", 3.2e9, "3.20 billion"),
    ("number", 12345.678, "12,350"),              # four significant digits, no "1.235e+04"
])
def test_figures_are_written_for_people(fmt, value, shown):
    """No negative zero, no exponent notation, the sign before the dollar, trillions in words."""
    assert format_value(fmt, value) == shown


@pytest.mark.parametrize("typed,number", [
    (" 3.5 ", 3.5),
    ("\u00a03.5\u2009", 3.5),                     # a no-break space and a thin space around it
    ("-0", 0.0),
    ("\u0661\u0665", 15.0),                       # Arabic-Indic digits
    ("\u0661\u066b\u0665", 1.5),                  # with the Arabic decimal separator
    ("1,000,000", 1_000_000.0),                   # English grouping that cannot be read otherwise
    ("1,500.25", 1500.25),
    ("1e-320", 1e-320),
])
def test_numbers_read_as_a_person_writes_them(typed, number):
    """Spaces around, any script's digits, and unambiguous English grouping are read; -0 is 0."""
    read, problem = read_number(THROUGHPUT, typed)
    assert problem is None and read == number
    assert str(read) != "-0.0"


@pytest.mark.parametrize("typed,message", [
    ("1,5", "Throughput: write decimals with a point, as in 1.5, and no thousands separators; got '1,5'"),
    ("1,500", "Throughput: '1,500' could be 1.5 or 1500; write 1500 without the comma, or 1.5 with a point."),
    ("1.234,5", "Throughput: write decimals with a point, as in 1.5, and no thousands separators; got '1.234,5'"),
    ("", "Throughput is empty: enter a number in tokens/s. From 0 to 100,000,000 tokens/s."),
    (" \u00a0 ", "Throughput is empty: enter a number in tokens/s. From 0 to 100,000,000 tokens/s."),
    ("abc", "Throughput must be a number in tokens/s; got 'abc'"),
    ("1_000", "Throughput must be a number in tokens/s; got '1_000'"),
    ("1e309", "Throughput must be a finite number. From 0 to 100,000,000 tokens/s. Got '1e309'"),
    ("1e308", "Throughput must be at most 100,000,000 tokens/s; got 1e308"),
    ("-1", "Throughput must be at least 0 tokens/s; got -1"),
    ("9" * 65, "Throughput is 65 characters long; a value has at most 64. From 0 to 100,000,000 tokens/s."),
])
def test_values_a_person_could_misread_are_refused_with_the_fix(typed, message):
    """A decimal comma is never a silent tenfold error; every refusal names the field, its unit and bounds."""
    assert read_number(THROUGHPUT, typed) == (None, message)


def test_every_number_input_is_bounded_and_says_so():
    """Each number input has a realistic maximum, stated with its minimum in the help under the field."""
    for widget in WIDGETS.values():
        for spec in widget.inputs:
            if spec.kind != "number":
                continue
            assert spec.ceiling <= DEFAULT_MAXIMUM, (widget.name, spec.name)
            assert spec.help_text().endswith(spec.bounds()), (widget.name, spec.name)
            assert "e+" not in spec.bounds() and "e-" not in spec.bounds(), spec.bounds()
    assert PRICE.help_text() == "What the provider bills per hour for the GPU or node. From 0 to 1,000 $/hour."


def test_the_form_reads_text_and_shows_the_bounds():
    """The prerendered field is text (a number field turns '1,5' into 15 unseen), with its bounds in its help."""
    html = render_widget(parse_block("widget: rental-cost\n", DATA), "calc-1", DATA)
    assert ('<input id="calc-1-hourly_price_usd" name="hourly_price_usd" type="text" inputmode="decimal" value="3.5" '
            'autocomplete="off" spellcheck="false" aria-describedby="calc-1-hourly_price_usd-help '
            'calc-1-hourly_price_usd-error">') in html
    assert ('<small id="calc-1-hourly_price_usd-help" class="atlas-help">What the provider bills per hour for the '
            'GPU or node. From 0 to 1,000 $/hour.</small>') in html
    assert 'type="number"' not in html


def test_an_overflow_is_reported_at_the_field_the_reader_changed():
    """1e308 requests a day is refused at that field in its words; a subnormal throughput is named too."""
    assert run_widget("api-cost", {"requests_per_day": "1e308"}, DATA) == {
        "ok": False, "field": "requests_per_day",
        "message": "Volume must be at most 10,000,000,000 requests/day; got 1e308"}
    assert run_widget("rental-cost", {"tokens_per_second": "1e-320"}, DATA) == {
        "ok": False, "field": "tokens_per_second",
        "message": "Throughput: 1e-320 tokens/s is too small to give results that are finite numbers; "
                   "try a value nearer 100 tokens/s."}


def test_a_refusal_of_a_derived_value_goes_to_the_field_that_was_changed():
    """A high end set below the base is named at the high end, the field changed, not at the base."""
    assert run_widget("uncertainty", {"purchase_price_usd_high": "1"}, DATA) == {
        "ok": False, "field": "purchase_price_usd_high",
        "message": "Purchase price, high: with 1 $, Purchase price, base ($) must be between the low and high "
                   "purchase price; got 10,000. Order the three values as low, base, high."}


def test_no_edge_value_gives_an_internal_name_or_an_unreadable_figure():
    """Every edge value in every input of every widget: a message that starts with a field's label, or figures
    without exponents, negative zeros or 'inf'."""
    edges = ["", "-0", "0", "-1", "1e-320", "1e308", "abc", "1,5", "\u0661\u0665", " ", "9" * 65]
    for name, widget in WIDGETS.items():
        form = {spec.name: str(value) for spec, value in zip(widget.inputs, widget.defaults().values())}
        for spec in widget.inputs:
            for typed in edges + [str(spec.ceiling)]:
                result = run_widget(name, form | {spec.name: typed}, DATA)
                where = (name, spec.name, typed)
                if result["ok"]:
                    for text in result["text"].values():
                        assert not any(bad in text for bad in ("e-", "e+", "$-", "inf", "nan")), (where, text)
                        assert len(text) <= 26, (where, text)
                else:
                    assert result["field"] == spec.name, (where, result)
                    assert result["message"].startswith(widget.input(result["field"]).label), (where, result)


def test_every_unreadable_field_is_named_at_once():
    """An address with several wrong values gets each field's message, the first as 'message', the rest as 'others'."""
    assert run_widget("rental-cost", {"hourly_price_usd": "", "tokens_per_second": "x", "utilisation_percent": "0"}, DATA) == {
        "ok": False, "field": "hourly_price_usd",
        "message": "Rental price is empty: enter a number in $/hour. From 0 to 1,000 $/hour.",
        "others": {"tokens_per_second": "Throughput must be a number in tokens/s; got 'x'",
                   "utilisation_percent": "Utilisation must be at least 1 %; got 0"}}
