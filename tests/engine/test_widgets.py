"""The widget layer: the same text for the prerender and the worker, rejections named by field."""

import pytest

from atlas_mkdocs.engine.widgets import WIDGETS, run_widget
from tests.engine.conftest import bundled_catalogue

#: data/, as the build passes it to the engine: read once per test run.
DATA = bundled_catalogue()


def test_rental_widget_defaults_give_seed_figure():
    """Defaults ($3.50/h, 100 tokens/s, 100%) show $9.72 per 1M tokens."""
    shown = run_widget("rental-cost", {}, DATA)
    assert shown["ok"] is True
    assert shown["text"] == {
        "cost_per_million_tokens_at_full_use": "$9.72",
        "cost_per_million_tokens": "$9.72",
        "tokens_per_hour_at_full_use": "360,000",
    }


def test_rental_widget_reads_form_strings():
    """Strings as a form holds them: 30% utilisation shows $32.41."""
    shown = run_widget("rental-cost", {"utilisation_percent": "30", "hourly_price_usd": "3.5"}, DATA)
    assert shown["text"]["cost_per_million_tokens"] == "$32.41"


def test_rental_widget_rejects_at_the_field():
    """A value past the form's bounds is refused at that field, in the form's own words and unit."""
    shown = run_widget("rental-cost", {"utilisation_percent": "150"}, DATA)
    assert shown == {"ok": False, "field": "utilisation_percent",
                     "message": "Utilisation must be at most 100 %; got 150"}


def test_engine_rejection_is_mapped_to_its_form_field():
    """An engine rejection (throughput 0) is shown at the form field that fed it, in its label and unit."""
    shown = run_widget("rental-cost", {"tokens_per_second": "0"}, DATA)
    assert shown == {"ok": False, "field": "tokens_per_second",
                     "message": "Throughput (tokens/s) must be greater than 0; got 0. "
                     "Use the measured generation throughput of the whole node, e.g. 100."}


def test_rental_widget_rejects_text():
    """Text that is not a number names the field, its label and its unit."""
    shown = run_widget("rental-cost", {"tokens_per_second": "lots"}, DATA)
    assert shown == {"ok": False, "field": "tokens_per_second",
                     "message": "Throughput must be a number in tokens/s; got 'lots'"}


def test_registry_names_match():
    """Each widget is registered under its own name."""
    assert all(name == widget.name for name, widget in WIDGETS.items())


def shown(name, **values):
    result = run_widget(name, WIDGETS[name].defaults() | values, DATA)
    assert result["ok"] is True, result
    return result["text"]


def test_api_cost_defaults():
    """400 + 400 tokens at $2.50 / $10 per 1M: $0.005 a request, $6.25 per 1M, $152.08 a 730-h month;
    with a tenth of an engineer ($1,711.71) $1,863.79."""
    assert shown("api-cost") == {"cost_per_request_usd": "$0.005", "cost_per_million_tokens_usd": "$6.25",
                                 "monthly_cost_usd": "$152.08", "total_per_month_usd": "$1,863.79",
                                 "tokens_per_day": "800,000"}


def test_api_cost_reasoning_tokens_bill_as_output():
    """2,000 reasoning tokens at $10 per 1M add $0.02 to the $0.005 request: $0.025, $760.42 a month."""
    text = shown("api-cost", reasoning_tokens=2000)
    assert (text["cost_per_request_usd"], text["monthly_cost_usd"]) == ("$0.025", "$760.42")


def test_api_cost_enterprise_preset_uses_the_batch_discount():
    """A million 1,800-token requests a day at half price: $0.003375 a request, $102,656.25 a month."""
    preset = WIDGETS["api-cost"].preset("enterprise").values
    assert shown("api-cost", **preset)["monthly_cost_usd"] == "$102,656.25"


def test_own_hardware_defaults_match_seed_001_build():
    """$10,000 over 60 months is $166.67; 1,050 W for 730 h at $0.17 is $130.31; half an engineer $8,558.54;
    $8,855.51 in all, at 50 tokens/s $67.39 per 1M (without the staff, seed 001's way: $296.97, $2.26)."""
    assert shown("own-hardware-cost") == {
        "total_per_month_usd": "$8,855.51", "amortisation_per_month_usd": "$166.67",
        "power_per_month_usd": "$130.31", "cost_per_million_tokens_usd": "$67.39",
        "tokens_per_month": "131.40 million"}
    seed = shown("own-hardware-cost", operations_staff_per_month_usd=0)
    assert (seed["total_per_month_usd"], seed["cost_per_million_tokens_usd"]) == ("$296.97", "$2.26")


def test_break_even_three_ways():
    """API $4.375/1M + $1,711.71 staff vs $2.99/h rented + $4,279.27 vs $30,000/36 + $400 owned + $8,558.54:
    the API is cheaper up to (2,182.70 + 4,279.27 - 1,711.71) / $4.375 per 1M = 1,085.8M tokens a month
    (35.70M a day) against renting and (1,233.33 + 8,558.54 - 1,711.71) / 4.375 = 60.72M a day against owning."""
    assert shown("break-even") == {
        "api_monthly_usd": "$1,977.86", "rented_monthly_usd": "$6,461.97", "own_monthly_usd": "$9,791.87",
        "cheapest": "Cloud API", "api_vs_rented_tokens_per_day": "35.70 million",
        "api_vs_own_tokens_per_day": "60.72 million"}
    without_staff = shown("break-even", api_staff_per_month_usd=0, rental_staff_per_month_usd=0,
                          own_staff_per_month_usd=0)
    assert (without_staff["api_vs_rented_tokens_per_day"], without_staff["api_vs_own_tokens_per_day"]) == (
        "16.40 million", "9.27 million")


def test_break_even_chart_marks_the_crossings():
    """The chart has three lines and labels each crossing with its volume."""
    figure = run_widget("break-even", {"tokens_per_day": 20_000_000}, DATA)["figure"]
    assert figure.count('<polyline class="atlas-chart__line') == 3
    assert "Cloud API = Own hardware at 60.7M/day" in figure
    assert "Cloud API = Rented GPU at 35.7M/day" in figure


def test_vram_fit_70b_in_awq_needs_two_24gb_cards():
    """Llama 3 70B in AWQ (4.16 bits, embedding and head at 16): 39.8 GB of weights, 46.7 GB in all: two RTX 4090s."""
    result = run_widget("vram-fit", {}, DATA)
    assert result["text"]["weights_gb"] == "39.8"
    assert result["text"]["total_gb"] == "46.7"
    assert "<tr><td>NVIDIA GeForce RTX 4090</td><td>24 GB</td><td>no</td><td>2</td></tr>" in result["figure"]
    in_q5_k_m = run_widget("vram-fit", {"quant": "q5_k_m"}, DATA)
    assert in_q5_k_m["text"]["total_gb"] == "58.3"
    # 58.3 GB needs three 24 GB cards' memory (24 GiB, 25.8 GB each), but tensor parallelism takes 1, 2, 4 or 8: four.
    assert "<tr><td>NVIDIA GeForce RTX 4090</td><td>24 GB</td><td>no</td><td>4</td></tr>" in in_q5_k_m["figure"]


def test_uncertainty_range_and_what_moves_it():
    """Base $4.52 per 1M tokens; utilisation, from 20% to 90%, moves it most."""
    assert shown("uncertainty") == {"low_usd": "$1.11", "base_usd": "$4.52", "high_usd": "$31.81",
                                    "moves_most": "Utilisation"}


def test_uncertainty_rejects_a_base_outside_its_range():
    """A base value outside low..high is named at the base field with the fix."""
    result = run_widget("uncertainty", WIDGETS["uncertainty"].defaults() | {"utilisation_base": 95}, DATA)
    assert result == {"ok": False, "field": "utilisation_base",
                      "message": "Utilisation, base (%) must be between the low and high utilisation; got 95. "
                      "Order the three values as low, base, high."}


def test_choice_inputs_refuse_unknown_values():
    """A GPU that is not in data/ is refused at its field, listing what is."""
    result = run_widget("throughput", {"gpu": "tpu-v9"}, DATA)
    assert result["ok"] is False and result["field"] == "gpu"
    assert result["message"].startswith("GPU must be one of: NVIDIA GeForce RTX 3090, NVIDIA GeForce RTX 4090,")


def test_every_widget_and_preset_computes():
    """Every widget gives finite figures for its defaults and for each of its presets."""
    for name, widget in WIDGETS.items():
        for values in [{}] + [dict(p.values) for p in widget.presets]:
            result = run_widget(name, widget.defaults() | values, DATA)
            assert result["ok"] is True, (name, values, result)
            assert all(text not in ("nan", "inf", "$nan") for text in result["text"].values())


def test_unknown_widget_and_input_names_are_rejected_with_a_suggestion():
    """A misspelt widget or input name is an answer naming the closest one, never a KeyError or silence."""
    assert run_widget("rental-cots", {}, DATA) == {
        "ok": False, "field": None,
        "message": "unknown widget 'rental-cots' (did you mean 'rental-cost'?); known: " + ", ".join(WIDGETS)}
    shown = run_widget("rental-cost", {"hourly_price": "3"}, DATA)
    assert shown == {"ok": False, "field": None, "message": (
        "unknown input of widget 'rental-cost' 'hourly_price' (did you mean 'hourly_price_usd'?); known: "
        "hourly_price_usd, tokens_per_second, utilisation_percent")}
    import json

    from atlas_mkdocs.engine.widgets import run_widget_json
    assert json.loads(run_widget_json("api-cot", "{}", DATA))["message"].startswith(
        "unknown widget 'api-cot' (did you mean 'api-cost'?)")


def test_widget_lookups_raise_the_engines_error():
    """Widget.input and Widget.preset raise UnknownSpecError (still a KeyError) with a suggestion."""
    import pytest

    from atlas_mkdocs.engine.errors import UnknownSpecError
    with pytest.raises(UnknownSpecError) as caught:
        WIDGETS["api-cost"].preset("startpu")
    assert str(caught.value) == ("unknown preset of widget 'api-cost' 'startpu' (did you mean 'startup'?); "
                                 "known: startup, enterprise")
    assert isinstance(caught.value, KeyError)


def test_a_widget_feeds_the_model_it_names_in_the_readers_units():
    """rental-month's 3M tokens a day feed the model's tokens per month (x 30.42 days), its 20% cold start the
    share 0.2; the widget's results are the model's outputs for those inputs, to the last digit."""
    from atlas_mkdocs.engine.models import calculate

    form = {"tokens_per_day": "3000000", "cold_start_percent": "20", "billing": "per_second"}
    shown = run_widget("rental-month", form, DATA)["values"]
    model = calculate("rental-month", {"hourly_price_per_gpu_usd": 2.99, "gpus": 1, "tokens_per_second": 1000,
                                       "tokens_per_month": 3_000_000 * 730 / 24, "billing": "per_second",
                                       "active_hours_per_day": 24, "cold_start_overhead": 0.2,
                                       "staff_per_month_usd": 4279.27})
    assert shown == {name: model[name] for name in shown}
    assert round(shown["monthly_cost_usd"], 4) == 90.9458  # 3M x 30.42 / 1000 / 3600 x 1.2 billed hours x $2.99
    assert WIDGETS["rental-month"].model == "rental-month"
    # rental-cost shows the rental-rate model's outputs under its own names.
    assert run_widget("rental-cost", {}, DATA)["values"]["cost_per_million_tokens"] == calculate(
        "rental-rate", {"hourly_price_usd": 3.5, "tokens_per_second": 100})["cost_per_million_tokens_usd"]


def test_a_field_that_feeds_no_input_of_its_model_fails_where_it_is_declared():
    """A widget is checked against its model's signature on import, with the closest input named."""
    from atlas_mkdocs.engine.errors import UnknownSpecError
    from atlas_mkdocs.engine.forms import OutputSpec, Widget
    from atlas_mkdocs.engine.inputs import Input

    with pytest.raises(UnknownSpecError) as field:
        Widget("x", "X", (Input("hourly_price", "Price", "$/hour", 1),), (), model="rental-rate")
    assert str(field.value) == ("unknown input of model 'rental-rate' 'hourly_price' (did you mean "
                                "'hourly_price_usd'?); known: hourly_price_usd, tokens_per_second, utilisation, "
                                "tokens_per_request")
    with pytest.raises(UnknownSpecError) as output:
        Widget("x", "X", (), (OutputSpec("cost", "Cost", "$", "usd"),), model="rental-rate")
    assert str(output.value).startswith("unknown output of model 'rental-rate' 'cost'; known: cost_per_million")


def test_a_widget_with_a_compute_is_checked_against_its_model_too():
    """The decision keeps a compute for its figure; its fields and results are still its model's, checked on import."""
    from atlas_mkdocs.engine.errors import UnknownSpecError
    from atlas_mkdocs.engine.forms import OutputSpec, Widget

    with pytest.raises(UnknownSpecError) as output:
        Widget("x", "X", (), (OutputSpec("cheapest_option", "Cheapest", "", "text"),), model="decision",
               compute=lambda values, catalogue: {})
    assert str(output.value).startswith("unknown output of model 'decision' 'cheapest_option' (did you mean "
                                        "'cheapest'?)")
    assert WIDGETS["decision"].model == "decision" and WIDGETS["uncertainty"].model == "own-hardware-ranges"


def test_the_uncertainty_widget_is_one_run_of_its_model_in_the_readers_units():
    """Percent fields feed the model's shares: the form's answer is the model's, figure for figure."""
    from atlas_mkdocs.engine.models import calculate

    form = {"utilisation_low": "30", "utilisation_base": "60", "tokens_per_second_high": "120"}
    model = calculate("own-hardware-ranges", {"utilisation_low": 0.3, "utilisation_base": 0.6,
                                              "tokens_per_second_high": 120}, DATA)
    shown = run_widget("uncertainty", form, DATA)
    assert shown["values"] == {name: model[name] for name in ("low_usd", "base_usd", "high_usd", "moves_most")}
    assert shown["text"] == {"low_usd": "$0.74", "base_usd": "$3.77", "high_usd": "$21.21", "moves_most": "Utilisation"}


def test_models_and_widgets_are_looked_up_alike():
    """One registry type: an unknown model or widget gets the closest name and the known ones."""
    from atlas_mkdocs.engine.models import CALCULATIONS

    with pytest.raises(KeyError) as widget:
        WIDGETS.find("rental-cots")
    assert str(widget.value).startswith("unknown widget 'rental-cots' (did you mean 'rental-cost'?); known: "
                                        "rental-cost, api-cost,")
    with pytest.raises(KeyError) as model:
        CALCULATIONS.find("rental-rat")
    assert str(model.value).startswith("unknown model 'rental-rat' (did you mean 'rental-rate'?); known: api, ")


def test_the_catalogue_is_an_argument_and_a_frozen_value():
    """Without data/ a widget's choices are empty and say so; a catalogue's tables cannot be changed."""
    from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue

    assert run_widget("vram-fit", {}, NO_DATA) == {
        "ok": False, "field": "model", "message": "Model must be one of: ; got 'llama-3-70b'",
        "others": {"quant": "Weights must be one of: ; got 'awq-int4'"}}
    assert run_widget("vram-fit", {}, DATA)["ok"] is True
    with pytest.raises(KeyError) as missing:
        NO_DATA.gpu("h100-sxm")
    assert str(missing.value) == "unknown GPU 'h100-sxm'. No gpus are loaded: the engine needs data/ (its gpus.yaml)."
    rows = [{"id": "x", "vram_gb": 1}]
    small = Catalogue.from_export({"schema_version": 1, "gpus": rows})
    rows.append({"id": "y"})
    assert small.keys("gpus") == ("x",)
    with pytest.raises(TypeError):
        small.tables["gpus"] = ()  # type: ignore[index]


def test_a_field_takes_unit_help_and_default_from_its_model():
    """A form field is its model input's declaration plus labels: the help and unit are the model's, and a
    share shows as a percent, its default (1.0, full use) as 100."""
    from atlas_mkdocs.engine.models import calculation

    price = WIDGETS["rental-cost"].input("hourly_price_usd")
    declared = calculation("rental-rate").param("hourly_price_usd")
    assert (price.unit, price.help) == (declared.unit, declared.help) == (
        "$/hour", "What the provider bills per hour for the GPU or node.")
    use = WIDGETS["rental-cost"].input("utilisation_percent")
    assert (use.unit, use.default, use.help) == ("%", 100, "Share of paid hours spent generating tokens.")
    volume = WIDGETS["cache-savings"].input("requests_per_day")
    assert (volume.unit, volume.default) == ("requests/day", 10000)
    assert WIDGETS["cache-savings"].input("hit_rate_percent").unit == "% of requests"


def test_every_field_of_a_model_widget_is_its_declaration():
    """No widget writes its own unit or help: each is its model input's (a field in other units rewrites the
    unit: '%' for 'share', '/day' for '/month'). Every widget names its model, the decision and uncertainty too."""
    from atlas_mkdocs.engine.models import calculation

    checked = 0
    for widget in WIDGETS.values():
        for spec in widget.inputs:
            declared = calculation(widget.model).param(spec.model_input)
            unit = spec.feeds.field_unit(declared.unit) if spec.feeds else declared.unit
            assert spec.unit == ("" if spec.choices_from and unit == "key" else unit), (widget.name, spec.name)
            assert spec.help == (spec.feeds.help if spec.feeds and spec.feeds.help is not None else declared.help)
            checked += 1
    assert checked == sum(len(widget.inputs) for widget in WIDGETS.values()) == 111


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "gpus", "default": 3},
     "field 'gpus' of a widget running 'rental-month': the model's default is 1; mark another as Override(3)"),
    ({"name": "gpus", "default": "Override(1)"},
     "field 'gpus' of a widget running 'rental-month': Override(1) is the model's own default; leave it out"),
    ({"name": "tokens_per_second"},
     "field 'tokens_per_second' of a widget running 'rental-month': the model declares no default; give the "
     "form's starting value as default="),
    ({"name": "billing", "choices": (("always_on", "Always on"),)},
     "field 'billing' of a widget running 'rental-month': label the model's choices "
     "('per_second', 'active_window', 'always_on'), each once"),
])
def test_a_field_that_differs_from_its_declaration_fails_on_import(kwargs, message):
    """A second default needs Override, an Override must differ, a required input needs the form's starting
    value, and a choice's labels cover the model's values: each refused where the widget is declared."""
    from atlas_mkdocs.engine.forms import Override, field

    if kwargs.get("default") == "Override(1)":
        kwargs["default"] = Override(1)
    with pytest.raises(TypeError) as refused:
        field("rental-month", label="Label", **kwargs)
    assert str(refused.value) == message
