"""API pricing: what a request, a million tokens and a month of requests cost through a metered API.

Conventions, stated once:
- Prices are USD per 1M tokens.
- Cached input tokens are counted *inside* the prompt (as OpenAI's ``prompt_tokens`` and Gemini's
  ``prompt_token_count`` report them): ``input_tokens`` is the whole prompt, ``cached_input_tokens`` the
  part of it read from the provider's cache, billed at the cached price instead of the input price.
- A batch discount is a share taken off every token of the request (0.5 for OpenAI's Batch API).
- A long-context tier bills the *whole* request at the tier's prices once the prompt exceeds its
  threshold (Anthropic and Google do this; LiteLLM and genai-prices model it the same way).
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import (
    InputError,
    UnknownSpecError,
    require_non_negative,
    require_positive,
    require_share,
    require_whole,
)
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, TOKENS_PER_MILLION, days_per_month


@dataclass(frozen=True)
class LongContextTier:
    """Prices that apply to the whole request once the prompt exceeds ``above_input_tokens``."""

    above_input_tokens: int
    input_per_million_usd: float
    output_per_million_usd: float
    cached_input_per_million_usd: float | None = None

    def __post_init__(self) -> None:
        require_whole("above_input_tokens", self.above_input_tokens, 1,
                      "The tier starts once the prompt has more tokens than this, e.g. 200000.")
        require_positive("tier_input_per_million_usd", self.input_per_million_usd)
        require_positive("tier_output_per_million_usd", self.output_per_million_usd)
        if self.cached_input_per_million_usd is not None:
            require_positive("tier_cached_input_per_million_usd", self.cached_input_per_million_usd)


@dataclass(frozen=True)
class ApiPrice:
    """One API model's price list, USD per 1M tokens."""

    input_per_million_usd: float
    output_per_million_usd: float
    cached_input_per_million_usd: float | None = None
    batch_discount: float = 0.0
    long_context: LongContextTier | None = None

    def __post_init__(self) -> None:
        hint = "A price that is not known is an error, never zero: look it up on the provider's price page."
        require_positive("input_per_million_usd", self.input_per_million_usd, hint)
        require_positive("output_per_million_usd", self.output_per_million_usd, hint)
        if self.cached_input_per_million_usd is not None:
            require_positive("cached_input_per_million_usd", self.cached_input_per_million_usd, hint)
        require_share("batch_discount", self.batch_discount, "OpenAI's Batch API takes 0.5 off.")
        if self.batch_discount == 1:
            raise InputError("batch_discount", self.batch_discount, "below 1; a batch is never free")


@dataclass(frozen=True)
class ApiRequest:
    """One request: the whole prompt, the cached part of it, the output, and whether it is batched."""

    input_tokens: float
    output_tokens: float
    cached_input_tokens: float = 0
    batch: bool = False

    def __post_init__(self) -> None:
        require_non_negative("input_tokens", self.input_tokens)
        require_non_negative("output_tokens", self.output_tokens)
        require_non_negative("cached_input_tokens", self.cached_input_tokens)
        if self.cached_input_tokens > self.input_tokens:
            raise InputError("cached_input_tokens", self.cached_input_tokens,
                             f"from 0 to input_tokens ({self.input_tokens:g})",
                             "Cached tokens are counted inside the prompt, so they cannot exceed it.")
        if self.input_tokens + self.output_tokens <= 0:
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


@dataclass(frozen=True)
class ApiMonthlyCost:
    """A month of identical requests: volume and cost ($/month), under an explicit month length."""

    request: ApiRequestCost
    requests_per_month: float
    tokens_per_month: float
    tokens_per_day: float
    monthly_cost_usd: float
    hours_per_month: float


def api_request_cost(price: ApiPrice, request: ApiRequest) -> ApiRequestCost:
    """Give back the cost of one request, with the long-context tier and batch discount applied."""
    tier = price.long_context
    tier_applied = tier is not None and request.input_tokens > tier.above_input_tokens
    if tier_applied:
        input_rate = tier.input_per_million_usd
        output_rate = tier.output_per_million_usd
        cached_rate = tier.cached_input_per_million_usd
    else:
        input_rate = price.input_per_million_usd
        output_rate = price.output_per_million_usd
        cached_rate = price.cached_input_per_million_usd
    if request.cached_input_tokens > 0 and cached_rate is None:
        raise UnknownSpecError("cached input price", "cached_input_per_million_usd",
                               hint="This price list has no cached-input price; give one, "
                               "or set cached_input_tokens to 0 to bill the whole prompt as input.")
    scale = 1 - (price.batch_discount if request.batch else 0.0)
    uncached = request.input_tokens - request.cached_input_tokens
    input_cost = uncached * input_rate / TOKENS_PER_MILLION * scale
    cached_cost = request.cached_input_tokens * (cached_rate or 0.0) / TOKENS_PER_MILLION * scale
    output_cost = request.output_tokens * output_rate / TOKENS_PER_MILLION * scale
    total = input_cost + cached_cost + output_cost
    tokens = request.input_tokens + request.output_tokens
    return ApiRequestCost(
        input_cost_usd=input_cost,
        cached_input_cost_usd=cached_cost,
        output_cost_usd=output_cost,
        cost_per_request_usd=total,
        tokens_per_request=tokens,
        cost_per_million_tokens_usd=total / tokens * TOKENS_PER_MILLION,
        long_context_tier_applied=tier_applied,
    )


def api_monthly_cost(price: ApiPrice, request: ApiRequest, requests_per_month: float,
                     hours_per_month: float = HOURS_PER_MONTH) -> ApiMonthlyCost:
    """Give back the $/month of ``requests_per_month`` identical requests."""
    require_non_negative("requests_per_month", requests_per_month)
    require_positive("hours_per_month", hours_per_month, "730 by default; 720 for 30-day months.")
    one = api_request_cost(price, request)
    tokens_per_month = one.tokens_per_request * requests_per_month
    return ApiMonthlyCost(
        request=one,
        requests_per_month=requests_per_month,
        tokens_per_month=tokens_per_month,
        tokens_per_day=tokens_per_month / days_per_month(hours_per_month),
        monthly_cost_usd=one.cost_per_request_usd * requests_per_month,
        hours_per_month=hours_per_month,
    )


def blended_price_per_million(price: ApiPrice, input_share: float) -> float:
    """Give back the $ per 1M tokens of a token mix with ``input_share`` of input (0.75 for 75/25)."""
    require_share("input_share", input_share, "The rest of the tokens are output.")
    return (price.input_per_million_usd * input_share
            + price.output_per_million_usd * (1 - input_share))
