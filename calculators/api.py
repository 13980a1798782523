"""API pricing: what a request, a million tokens and a month of requests cost through a metered API.

Conventions, stated once:
- Prices are USD per 1M tokens.
- Cached and cache-written tokens are counted *inside* the prompt (as OpenAI's ``prompt_tokens`` and
  Gemini's ``prompt_token_count`` report them): ``input_tokens`` is the whole prompt;
  ``cached_input_tokens`` is the part read from the provider's cache (billed at the cached price), and
  ``cache_write_5m_tokens`` / ``cache_write_1h_tokens`` the parts written to it (Anthropic's 5-minute and
  1-hour cache writes, billed at their own prices). The rest is billed at the input price.
- ``output_tokens`` is the visible answer; ``reasoning_tokens`` are the hidden thinking tokens a reasoning
  model spends first, billed at the output price. (OpenAI reports them inside ``completion_tokens``:
  give ``output_tokens`` as ``completion_tokens`` less ``reasoning_tokens``.)
- A batch discount is a share taken off every token of the request (0.5 for OpenAI's Batch API and
  Anthropic's Message Batches, which also halve cache reads and writes). A price list without one has
  ``batch_discount=None``, and asking it for a batch is an error naming the model: never full price
  in silence. Google and OpenAI's older models keep cached input at the standard price in batch, so
  for cached tokens this overstates their batch saving.
- A long-context tier bills the *whole* request at the tier's prices once the prompt exceeds its
  threshold (Anthropic and Google do this; LiteLLM and genai-prices model it the same way).
- Staff: a month of API use also costs engineering time (``atlas_mkdocs.engine.staff``: 0.1 engineer,
  $1,711.71 a month, by default). ``monthly_cost_usd`` is the provider's bill; ``total_per_month_usd``
  adds the staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from atlas_mkdocs.engine.errors import (
    InputError,
    UnknownSpecError,
    require_non_negative,
    require_positive,
    require_share,
    require_whole,
)
from atlas_mkdocs.engine.staff import API_STAFF_PER_MONTH_USD
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, TOKENS_PER_MILLION, days_per_month


def _optional_price(field: str, value: float | None) -> None:
    if value is not None:
        require_positive(field, value, "A price that is not known is left out (None), never zero.")


@dataclass(frozen=True)
class LongContextTier:
    """Prices that apply to the whole request once the prompt exceeds ``above_input_tokens``.

    Its errors name the ``long_context_*`` inputs, as the command line and scenarios call them.
    """

    above_input_tokens: int
    input_per_million_usd: float
    output_per_million_usd: float
    cached_input_per_million_usd: float | None = None
    cache_write_5m_per_million_usd: float | None = None
    cache_write_1h_per_million_usd: float | None = None

    def __post_init__(self) -> None:
        require_whole("long_context_above_tokens", self.above_input_tokens, 1,
                      "The tier starts once the prompt has more tokens than this, e.g. 200000.")
        require_positive("long_context_input_per_million_usd", self.input_per_million_usd)
        require_positive("long_context_output_per_million_usd", self.output_per_million_usd)
        _optional_price("long_context_cached_input_per_million_usd", self.cached_input_per_million_usd)
        _optional_price("long_context_cache_write_5m_per_million_usd", self.cache_write_5m_per_million_usd)
        _optional_price("long_context_cache_write_1h_per_million_usd", self.cache_write_1h_per_million_usd)


@dataclass(frozen=True)
class ApiPrice:
    """One API model's price list, USD per 1M tokens; ``model`` names it in messages.

    ``batch_discount`` is None when no batch price is known for the model or its provider.
    """

    input_per_million_usd: float
    output_per_million_usd: float
    cached_input_per_million_usd: float | None = None
    batch_discount: float | None = None
    long_context: LongContextTier | None = None
    cache_write_5m_per_million_usd: float | None = None
    cache_write_1h_per_million_usd: float | None = None
    model: str = ""

    def __post_init__(self) -> None:
        hint = "A price that is not known is an error, never zero: look it up on the provider's price page."
        require_positive("input_per_million_usd", self.input_per_million_usd, hint)
        require_positive("output_per_million_usd", self.output_per_million_usd, hint)
        if self.cached_input_per_million_usd is not None:
            require_positive("cached_input_per_million_usd", self.cached_input_per_million_usd, hint)
        _optional_price("cache_write_5m_per_million_usd", self.cache_write_5m_per_million_usd)
        _optional_price("cache_write_1h_per_million_usd", self.cache_write_1h_per_million_usd)
        if self.batch_discount is not None:
            require_share("batch_discount", self.batch_discount, "OpenAI's Batch API takes 0.5 off.")
            if self.batch_discount == 1:
                raise InputError("batch_discount", self.batch_discount, "below 1; a batch is never free")
        if not isinstance(self.model, str):
            raise InputError("model", self.model, "a name, e.g. 'openai/gpt-5'")


@dataclass(frozen=True)
class ApiRequest:
    """One request: the whole prompt and the parts of it read from or written to the cache, the answer,
    the reasoning tokens spent before it, and whether it is batched."""

    input_tokens: float
    output_tokens: float
    cached_input_tokens: float = 0
    batch: bool = False
    cache_write_5m_tokens: float = 0
    cache_write_1h_tokens: float = 0
    reasoning_tokens: float = 0

    def __post_init__(self) -> None:
        require_non_negative("input_tokens", self.input_tokens)
        require_non_negative("output_tokens", self.output_tokens)
        require_non_negative("cached_input_tokens", self.cached_input_tokens)
        require_non_negative("cache_write_5m_tokens", self.cache_write_5m_tokens)
        require_non_negative("cache_write_1h_tokens", self.cache_write_1h_tokens)
        require_non_negative("reasoning_tokens", self.reasoning_tokens,
                             "Hidden thinking tokens, billed as output, e.g. 2000.")
        if self.cached_input_tokens > self.input_tokens:
            raise InputError("cached_input_tokens", self.cached_input_tokens,
                             f"from 0 to input_tokens ({self.input_tokens:g})",
                             "Cached tokens are counted inside the prompt, so they cannot exceed it.")
        if self.cached_input_tokens + self.cache_write_5m_tokens + self.cache_write_1h_tokens > self.input_tokens:
            field = "cache_write_1h_tokens" if self.cache_write_1h_tokens else "cache_write_5m_tokens"
            room = self.input_tokens - self.cached_input_tokens - (
                self.cache_write_5m_tokens if field == "cache_write_1h_tokens" else 0)
            raise InputError(field, getattr(self, field), f"at most {room:g}, the prompt less its other cached parts",
                             "Tokens read from and written to the cache are parts of the prompt (input_tokens).")
        if self.input_tokens + self.output_tokens + self.reasoning_tokens <= 0:
            raise InputError("output_tokens", self.output_tokens, "above 0 when input_tokens is 0",
                             "A request has at least one token.")
        if not isinstance(self.batch, bool):
            raise InputError("batch", self.batch, "true or false")


@dataclass(frozen=True)
class ApiRequestCost:
    """What one request costs (USD), split by kind of token, and per 1M tokens of the request."""

    input_cost_usd: float
    cached_input_cost_usd: float
    output_cost_usd: float
    cost_per_request_usd: float
    tokens_per_request: float
    cost_per_million_tokens_usd: float
    long_context_tier_applied: bool
    cache_write_cost_usd: float = 0.0
    reasoning_cost_usd: float = 0.0


@dataclass(frozen=True)
class ApiMonthlyCost:
    """A month of identical requests: volume, the provider's bill and staff ($/month), under a month length."""

    request: ApiRequestCost
    requests_per_month: float
    tokens_per_month: float
    tokens_per_day: float
    monthly_cost_usd: float
    hours_per_month: float
    staff_per_month_usd: float = 0.0
    total_per_month_usd: float = 0.0


def _rate(price: float | None, field: str, tier_applied: bool, tokens: float, what: str, tokens_field: str) -> float:
    """Give back a rate, or raise UnknownSpecError naming the field (the long-context one past the tier)."""
    if price is not None:
        return price
    if tokens <= 0:
        return 0.0
    name = f"long_context_{field}" if tier_applied else field
    where = "The long-context tier has" if tier_applied else "This price list has"
    raise UnknownSpecError(f"{what} price", name,
                           hint=f"{where} no {what.replace(' ', '-')} price; give one, or set {tokens_field} "
                           "to 0 to bill the whole prompt as input.")


def api_request_cost(price: ApiPrice, request: ApiRequest) -> ApiRequestCost:
    """Give back the cost of one request, with the long-context tier and batch discount applied.

    Raises UnknownSpecError when the request uses a price the list lacks: cached or cache-written tokens
    without their price, or a batch without a batch price (naming the model).
    """
    tier = price.long_context
    tier_applied = tier is not None and request.input_tokens > tier.above_input_tokens
    prices = tier if tier_applied else price
    cached_rate = _rate(prices.cached_input_per_million_usd, "cached_input_per_million_usd", tier_applied,
                        request.cached_input_tokens, "cached input", "cached_input_tokens")
    write_5m_rate = _rate(prices.cache_write_5m_per_million_usd, "cache_write_5m_per_million_usd", tier_applied,
                          request.cache_write_5m_tokens, "5-minute cache write", "cache_write_5m_tokens")
    write_1h_rate = _rate(prices.cache_write_1h_per_million_usd, "cache_write_1h_per_million_usd", tier_applied,
                          request.cache_write_1h_tokens, "1-hour cache write", "cache_write_1h_tokens")
    if request.batch and price.batch_discount is None:
        named = ("Neither its price list nor its provider's row in data/ gives a batch price"
                 if price.model else "This price list has no batch discount")
        raise UnknownSpecError("batch price of model" if price.model else "batch price",
                               price.model or "batch_discount",
                               hint=f"{named}: give batch_discount (0.5 where the provider halves prices), "
                               "or set batch to false. A batch is never billed at full price in silence.")
    scale = 1 - ((price.batch_discount or 0.0) if request.batch else 0.0)
    per_token = scale / TOKENS_PER_MILLION
    written = request.cache_write_5m_tokens + request.cache_write_1h_tokens
    uncached = request.input_tokens - request.cached_input_tokens - written
    input_cost = uncached * prices.input_per_million_usd * per_token
    cached_cost = request.cached_input_tokens * cached_rate * per_token
    write_cost = (request.cache_write_5m_tokens * write_5m_rate + request.cache_write_1h_tokens * write_1h_rate) * per_token
    output_cost = request.output_tokens * prices.output_per_million_usd * per_token
    reasoning_cost = request.reasoning_tokens * prices.output_per_million_usd * per_token
    total = input_cost + cached_cost + write_cost + output_cost + reasoning_cost
    tokens = request.input_tokens + request.output_tokens + request.reasoning_tokens
    return ApiRequestCost(
        input_cost_usd=input_cost,
        cached_input_cost_usd=cached_cost,
        output_cost_usd=output_cost,
        cost_per_request_usd=total,
        tokens_per_request=tokens,
        cost_per_million_tokens_usd=total / tokens * TOKENS_PER_MILLION,
        long_context_tier_applied=tier_applied,
        cache_write_cost_usd=write_cost,
        reasoning_cost_usd=reasoning_cost,
    )


def api_monthly_cost(price: ApiPrice, request: ApiRequest, requests_per_month: float,
                     hours_per_month: float = HOURS_PER_MONTH,
                     staff_per_month_usd: float = API_STAFF_PER_MONTH_USD) -> ApiMonthlyCost:
    """Give back the $/month of ``requests_per_month`` identical requests, and with staff added."""
    require_non_negative("requests_per_month", requests_per_month)
    require_positive("hours_per_month", hours_per_month, "730 by default; 720 for 30-day months.")
    require_non_negative("staff_per_month_usd", staff_per_month_usd,
                         "Engineering time for the integration; 0 to leave it out on purpose.")
    one = api_request_cost(price, request)
    tokens_per_month = one.tokens_per_request * requests_per_month
    bill = one.cost_per_request_usd * requests_per_month
    return ApiMonthlyCost(
        request=one,
        requests_per_month=requests_per_month,
        tokens_per_month=tokens_per_month,
        tokens_per_day=tokens_per_month / days_per_month(hours_per_month),
        monthly_cost_usd=bill,
        hours_per_month=hours_per_month,
        staff_per_month_usd=staff_per_month_usd,
        total_per_month_usd=bill + staff_per_month_usd,
    )


def blended_price_per_million(price: ApiPrice, input_share: float) -> float:
    """Give back the $ per 1M tokens of a token mix with ``input_share`` of input (0.75 for 75/25)."""
    require_share("input_share", input_share, "The rest of the tokens are output.")
    return (price.input_per_million_usd * input_share
            + price.output_per_million_usd * (1 - input_share))


def api_price_from_row(row: Mapping[str, Any], provider_batch_discount: float | None = None) -> ApiPrice:
    """Give back the ApiPrice of a row of data/api_prices.yaml, as the data loader validated it.

    The batch discount comes from the row's own batch input price, else from its provider's row of
    data/api_batch_discounts.yaml (``provider_batch_discount``), else it is None (unknown).
    """
    tier = row.get("long_context")
    discount = provider_batch_discount
    if row.get("batch_input_per_million_usd") is not None:
        discount = 1 - row["batch_input_per_million_usd"] / row["input_per_million_usd"]
    return ApiPrice(
        row["input_per_million_usd"], row["output_per_million_usd"], row.get("cached_input_per_million_usd"),
        discount,
        LongContextTier(tier["above_input_tokens"], tier["input_per_million_usd"], tier["output_per_million_usd"],
                        tier.get("cached_input_per_million_usd"), tier.get("cache_write_5m_per_million_usd"),
                        tier.get("cache_write_1h_per_million_usd")) if tier else None,
        row.get("cache_write_5m_per_million_usd"), row.get("cache_write_1h_per_million_usd"),
        str(row.get("id", "")),
    )
