"""Savings levers: a cascade (a share of requests to a small local model) and a response cache."""

from __future__ import annotations

from dataclasses import dataclass

from atlas_mkdocs.engine.errors import (
    UnknownSpecError,
    require_choice,
    require_non_negative,
    require_share,
)

CACHE_KINDS = ("exact", "semantic")


@dataclass(frozen=True)
class CascadeInputs:
    """A router sends ``local_share`` of requests to a small local model and the rest to an API."""

    local_share: float
    local_cost_per_request_usd: float
    api_cost_per_request_usd: float
    requests_per_month: float = 0.0
    router_cost_per_request_usd: float = 0.0

    def __post_init__(self) -> None:
        require_share("local_share", self.local_share, "The share of requests the small model answers.")
        require_non_negative("local_cost_per_request_usd", self.local_cost_per_request_usd)
        require_non_negative("api_cost_per_request_usd", self.api_cost_per_request_usd)
        require_non_negative("requests_per_month", self.requests_per_month)
        require_non_negative("router_cost_per_request_usd", self.router_cost_per_request_usd,
                             "What classifying each request costs, if the router is itself a model.")


@dataclass(frozen=True)
class LeverResult:
    """Cost per request with and without the lever, the saving, and the same per month."""

    cost_per_request_without_usd: float
    cost_per_request_with_usd: float
    saving_per_request_usd: float
    saving_share: float
    monthly_cost_without_usd: float
    monthly_cost_with_usd: float
    monthly_saving_usd: float


def _lever(without: float, with_lever: float, requests_per_month: float) -> LeverResult:
    saving = without - with_lever
    return LeverResult(
        cost_per_request_without_usd=without,
        cost_per_request_with_usd=with_lever,
        saving_per_request_usd=saving,
        saving_share=saving / without if without > 0 else 0.0,
        monthly_cost_without_usd=without * requests_per_month,
        monthly_cost_with_usd=with_lever * requests_per_month,
        monthly_saving_usd=saving * requests_per_month,
    )


def cascade_savings(inputs: CascadeInputs) -> LeverResult:
    """Give back what routing ``local_share`` of requests to a local model saves against the API alone.

    Every request pays the router; a negative saving means the cascade costs more.
    """
    with_cascade = (inputs.local_share * inputs.local_cost_per_request_usd
                    + (1 - inputs.local_share) * inputs.api_cost_per_request_usd
                    + inputs.router_cost_per_request_usd)
    return _lever(inputs.api_cost_per_request_usd, with_cascade, inputs.requests_per_month)


@dataclass(frozen=True)
class CacheInputs:
    """A response cache in front of a model: hit rate, kind, and what each lookup costs.

    An exact cache (a hash of the prompt) costs next to nothing per lookup; a semantic cache embeds
    every prompt and searches a vector index, so its lookup cost must be given: it is never assumed zero.
    """

    hit_rate: float
    cost_per_request_usd: float
    kind: str = "exact"
    lookup_cost_per_request_usd: float | None = None
    requests_per_month: float = 0.0

    def __post_init__(self) -> None:
        require_share("hit_rate", self.hit_rate, "The share of requests answered from the cache.")
        require_non_negative("cost_per_request_usd", self.cost_per_request_usd)
        require_choice("kind", self.kind, CACHE_KINDS)
        if self.lookup_cost_per_request_usd is None and self.kind == "semantic":
            raise UnknownSpecError("semantic cache lookup cost", "lookup_cost_per_request_usd",
                                   hint="A semantic cache embeds every prompt; give the embedding and "
                                   "search cost per request, e.g. 0.00002.")
        if self.lookup_cost_per_request_usd is not None:
            require_non_negative("lookup_cost_per_request_usd", self.lookup_cost_per_request_usd)
        require_non_negative("requests_per_month", self.requests_per_month)


def cache_savings(inputs: CacheInputs) -> LeverResult:
    """Give back what a cache saves: misses pay the model, every request pays the lookup."""
    lookup = inputs.lookup_cost_per_request_usd or 0.0
    with_cache = (1 - inputs.hit_rate) * inputs.cost_per_request_usd + lookup
    return _lever(inputs.cost_per_request_usd, with_cache, inputs.requests_per_month)
