"""The widget layer: the same text for the prerender and the worker, rejections named by field."""

from calculators.widgets import WIDGETS, run_widget


def test_rental_widget_defaults_give_seed_figure():
    """Defaults ($3.50/h, 100 tokens/s, 100%) show $9.72 per 1M tokens."""
    shown = run_widget("rental-cost", {})
    assert shown["ok"] is True
    assert shown["text"] == {
        "cost_per_million_tokens_at_full_use": "$9.72",
        "cost_per_million_tokens": "$9.72",
        "tokens_per_hour_at_full_use": "360,000",
    }


def test_rental_widget_reads_form_strings():
    """Strings as a form holds them: 30% utilisation shows $32.41."""
    shown = run_widget("rental-cost", {"utilisation_percent": "30", "hourly_price_usd": "3.5"})
    assert shown["text"]["cost_per_million_tokens"] == "$32.41"


def test_rental_widget_rejects_at_the_field():
    """An engine rejection is mapped back to the form field that fed it."""
    shown = run_widget("rental-cost", {"utilisation_percent": "150"})
    assert shown == {
        "ok": False,
        "field": "utilisation_percent",
        "message": "utilisation must be in (0, 1], a share such as 0.3 for 30%; got 1.5. "
        "It is the share of paid hours spent generating tokens.",
    }


def test_rental_widget_rejects_text():
    """Text that is not a number names the field, its label and its unit."""
    shown = run_widget("rental-cost", {"tokens_per_second": "lots"})
    assert shown == {"ok": False, "field": "tokens_per_second",
                     "message": "Throughput must be a number in tokens/s; got 'lots'"}


def test_registry_names_match():
    """Each widget is registered under its own name."""
    assert all(name == widget.name for name, widget in WIDGETS.items())
