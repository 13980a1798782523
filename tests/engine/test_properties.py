"""Property tests: volume never lowers an API bill, break-even is an equality, no NaN, only engine errors."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas_mkdocs.engine.api import ApiPrice, ApiRequest, api_monthly_cost
from atlas_mkdocs.engine.compare import CostOption, break_even
from atlas_mkdocs.engine.errors import EngineError
from atlas_mkdocs.engine.models import CALCULATIONS, calculate
from tests.engine.examples import EXAMPLES
from tests.engine.conftest import bundled_catalogue

#: data/, as the build passes it to the engine: read once per test run.
DATA = bundled_catalogue()

prices = st.floats(min_value=0.01, max_value=200)
tokens = st.integers(min_value=1, max_value=2_000_000)
volumes = st.floats(min_value=0, max_value=1e9)


@settings(max_examples=200, deadline=None)
@given(prices, prices, tokens, tokens, volumes, volumes, st.booleans())
def test_more_volume_never_costs_less_through_an_api(input_price, output_price, prompt, output, v1, v2, batch):
    """More requests a month never cost less through an API, whatever the prices, tier or batching."""
    price = ApiPrice(input_price, output_price, batch_discount=0.5)
    request = ApiRequest(prompt, output, batch=batch)
    low, high = sorted((v1, v2))
    assert api_monthly_cost(price, request, low).monthly_cost_usd <= api_monthly_cost(price, request, high).monthly_cost_usd


money = st.floats(min_value=0, max_value=50_000)
capacities = st.none() | st.floats(min_value=1e6, max_value=1e9)


@settings(max_examples=200, deadline=None)
@given(money, money, money, money, st.floats(min_value=1, max_value=120), capacities, capacities)
def test_at_break_even_both_costs_are_equal(fixed_a, var_a, fixed_b, var_b, months, cap_a, cap_b):
    """At every 'equal' crossing both options cost the same (to 1e-9 relative)."""
    a = CostOption("a", fixed_a, var_a / 100, upfront_usd=fixed_a, amortisation_months=months,
                   capacity_tokens_per_month=cap_a)
    b = CostOption("b", fixed_b, var_b / 100, capacity_tokens_per_month=cap_b)
    found = break_even(a, b, max_tokens_per_month=2e10)
    for crossing in found.crossings:
        if crossing.kind == "equal":
            cost_a = a.monthly_cost(crossing.tokens_per_month)
            cost_b = b.monthly_cost(crossing.tokens_per_month)
            assert math.isclose(cost_a, cost_b, rel_tol=1e-9, abs_tol=1e-6)
            assert math.isclose(crossing.monthly_cost_usd, cost_a, rel_tol=1e-12)


def _scaled(model: str, factor: float) -> dict:
    """Give back the model's example with every positive float input scaled by ``factor``, kept valid."""
    values = dict(EXAMPLES[model])
    for name, value in values.items():
        param = CALCULATIONS[model].param(name)
        if param.kind == "number" and isinstance(value, (int, float)) and value > 0 and "utilisation" not in name \
                and "share" not in name and "rate" not in name and "discount" not in name and "overhead" not in name \
                and name not in ("pue", "real_time_factor", "hours_per_month"):
            values[name] = value * factor
    return values


@pytest.mark.parametrize("model", sorted(EXAMPLES))
@settings(max_examples=25, deadline=None)
@given(factor=st.floats(min_value=0.5, max_value=2.0))
def test_valid_inputs_never_give_nan_or_infinity(model, factor):
    """Every model's outputs are finite numbers (or flags, names, None) for valid inputs."""
    try:
        outputs = calculate(model, _scaled(model, factor), DATA)
    except EngineError:
        return  # scaling can make a valid combination infeasible (e.g. cached > prompt); that is an engine error
    for name, value in outputs.items():
        if isinstance(value, float):
            assert math.isfinite(value), (model, name, value)


bad_values = st.sampled_from([float("nan"), float("inf"), float("-inf"), "lots", [1, 2], {"a": 1}, -1e308])


@pytest.mark.parametrize("model", sorted(EXAMPLES))
@settings(max_examples=30, deadline=None)
@given(data=st.data(), bad=bad_values)
def test_invalid_inputs_raise_the_engines_own_errors(model, data, bad):
    """A bad value in any input raises an EngineError (also a ValueError or KeyError), never a crash."""
    params = [p for p in CALCULATIONS[model].params if not (p.kind == "text" and isinstance(bad, str))]
    param = data.draw(st.sampled_from(params))
    values = dict(EXAMPLES[model]) | {param.name: bad}
    with pytest.raises(EngineError) as caught:
        calculate(model, values, DATA)
    assert isinstance(caught.value, (ValueError, KeyError))
    assert str(caught.value)
