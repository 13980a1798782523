"""The rented-GPU cost per 1M tokens, against seed 003's own example."""

import math

import pytest

from atlas_mkdocs.engine import EngineError, InputError, RentalCostInputs, rental_cost_per_million_tokens


def test_seed_003_full_use():
    """Seed 003: $3.50/h at 100 tokens/s is $9.72 per 1M tokens."""
    result = rental_cost_per_million_tokens(RentalCostInputs(3.50, 100))
    assert result.tokens_per_hour_at_full_use == 360_000
    assert round(result.cost_per_million_tokens, 2) == 9.72
    assert math.isclose(result.cost_per_million_tokens, 9.722222222, rel_tol=1e-9)


def test_seed_003_thirty_percent_utilisation():
    """Seed 003 at 30% utilisation: $32.41 (the seed rounds $9.72 first and prints $32.40)."""
    result = rental_cost_per_million_tokens(RentalCostInputs(3.50, 100, 0.3))
    assert round(result.cost_per_million_tokens, 2) == 32.41
    assert round(result.cost_per_million_tokens_at_full_use, 2) == 9.72


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tokens_per_second": 0}, "tokens_per_second must be greater than 0; got 0. "
         "Use the measured generation throughput of the whole node, e.g. 100."),
        ({"tokens_per_second": -5}, "tokens_per_second must be greater than 0; got -5. "
         "Use the measured generation throughput of the whole node, e.g. 100."),
        ({"utilisation": 0}, "utilisation must be in (0, 1], a share such as 0.3 for 30%; got 0. "
         "It is the share of paid hours spent generating tokens."),
        ({"utilisation": 1.5}, "utilisation must be in (0, 1], a share such as 0.3 for 30%; got 1.5. "
         "It is the share of paid hours spent generating tokens."),
        ({"hourly_price_usd": -1}, "hourly_price_usd must be 0 or more; got -1. "
         "A rental price is never negative; use 0 only for hardware you already own."),
        ({"hourly_price_usd": float("nan")}, "hourly_price_usd must be a finite number; got nan"),
        ({"tokens_per_second": "fast"}, "tokens_per_second must be a number; got 'fast'"),
    ],
)
def test_invalid_inputs_raise_typed_errors(kwargs, message):
    """Each invalid input raises InputError, which is also a ValueError, naming the field and range."""
    values = {"hourly_price_usd": 3.5, "tokens_per_second": 100, "utilisation": 1.0} | kwargs
    with pytest.raises(InputError) as caught:
        RentalCostInputs(**values)
    assert str(caught.value) == message
    assert caught.value.field == next(iter(kwargs))
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, EngineError)
