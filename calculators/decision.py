"""Decision: which way to pay for a workload is cheapest, by how much, where that changes, and what would change it.

Three options serve one workload (tokens a day, a peak-to-average ratio, prompt and answer lengths, a
latency target and a rule on where the data may go):

- a cloud API, billed per token from a price list, with a share of an engineer for the integration;
- rented GPUs, billed by the hour around the clock, and the team that runs them;
- own hardware: the GPUs' price spread over their life, their electricity, and the same team.

The two self-hosted options are sized by the engine's own memory and throughput model
(atlas_mkdocs.engine.throughput): for each tensor-parallel size of 1, 2, 4 or 8 GPUs that holds the model,
the largest batch whose time per output token meets the target makes one replica, and as many replicas
are kept as the peak (average rate x peak-to-average ratio) needs. At any volume the cheapest of those
replica shapes is used, so each self-hosted cost is a staircase in the daily volume; the API's is a
straight line. Crossings between them are solved exactly on each stretch between two steps, as
atlas_mkdocs.engine.compare does for one replica shape.

Self-hosted capacity is provisioned for the peak and paid for all month: nothing here scales to zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from atlas_mkdocs.engine.api import ApiPrice, ApiRequest, api_request_cost
from atlas_mkdocs.engine.errors import InputError, require_choice, require_finite, require_non_negative, \
    require_positive, require_whole
from atlas_mkdocs.engine.specs import GpuSpec, Interconnect, ModelShape, QuantFormat, ServingStack
from atlas_mkdocs.engine.throughput import ThroughputInputs, estimate_throughput
from atlas_mkdocs.engine.units import HOURS_PER_MONTH, WATTS_PER_KILOWATT, days_per_month

SECONDS_PER_DAY = 86_400
#: Tensor-parallel sizes tried for one replica: the GPUs of one server, split evenly.
REPLICA_SIZES = (1, 2, 4, 8)
#: Where the data may go: anywhere; not to a model provider's API (GPUs rented under our control are
#: fine); or nowhere outside our own premises (only owned hardware).
DATA_RULES = ("anywhere", "no-api", "on-premises")
API, RENTED, OWNED = "Cloud API", "Rented GPUs", "Own hardware"
#: Steps walked when looking for crossings, per pair of options; past it the search says where it stopped.
MAX_SEGMENTS = 20_000


@dataclass(frozen=True)
class Workload:
    """What has to be served: volume, its peak, the shape of a request, and the limits on serving it."""

    tokens_per_day: float
    peak_to_average: float
    prompt_tokens: int
    output_tokens: int
    max_time_per_output_token_s: float
    data_rule: str = "anywhere"

    def __post_init__(self) -> None:
        require_non_negative("tokens_per_day", self.tokens_per_day, "Prompt and answer tokens together, e.g. 20000000.")
        require_finite("peak_to_average", self.peak_to_average)
        if self.peak_to_average < 1:
            raise InputError("peak_to_average", self.peak_to_average, "at least 1",
                             "The busiest hour's rate over the day's average: 1 for a flat load, 3 for office hours.")
        require_whole("prompt_tokens", self.prompt_tokens, 0)
        require_whole("output_tokens", self.output_tokens, 1, "A request gives back at least one token.")
        require_positive("max_time_per_output_token_s", self.max_time_per_output_token_s,
                         "The slowest a reader should see tokens arrive, e.g. 0.05 s (20 tokens/s).")
        require_choice("data_rule", self.data_rule, DATA_RULES)

    @property
    def tokens_per_request(self) -> int:
        """Give back the prompt and answer tokens of one request."""
        return self.prompt_tokens + self.output_tokens


@dataclass(frozen=True)
class Serving:
    """An open model served on one kind of GPU: its shape, formats, serving stack and the link between cards."""

    shape: ModelShape
    gpu: GpuSpec
    weights: QuantFormat
    kv_cache: QuantFormat
    stack: ServingStack
    link: Interconnect | None = None


@dataclass(frozen=True)
class ReplicaPlan:
    """One replica: tensor-parallel GPUs, the batch the latency target allows, and what it serves."""

    gpus: int
    batch: int
    max_batch: int
    requests_per_second: float
    tokens_per_second: float  # prompt and answer tokens together, the unit the daily volume is in
    time_per_output_token_s: float
    time_to_first_token_s: float
    memory_needed_gb: float

    @property
    def latency_bound(self) -> bool:
        """Give back whether the latency target cut the batch below the largest that fits."""
        return self.batch < self.max_batch


@dataclass(frozen=True)
class Sizing:
    """The replica shapes that hold the model and meet the target, or why none does."""

    plans: tuple[ReplicaPlan, ...]
    why_none: str = ""


def size_replicas(serving: Serving, workload: Workload) -> Sizing:
    """Give back every replica shape (1, 2, 4 or 8 GPUs) that holds the model and meets the latency target.

    For each size, the largest batch that fits is tried first; if its time per output token misses the
    target, the largest smaller batch that meets it is found by bisection (a bigger batch is never faster
    per token). A size whose single sequence already misses the target is left out.
    """
    target = workload.max_time_per_output_token_s
    plans: list[ReplicaPlan] = []
    fastest: float | None = None
    fits_somewhere = False
    for gpus in REPLICA_SIZES:
        if gpus > 1 and serving.link is None:
            break

        def run(batch: int | None):
            return estimate_throughput(ThroughputInputs(
                serving.shape, serving.gpu, workload.prompt_tokens, workload.output_tokens, serving.stack,
                serving.weights, serving.kv_cache, gpus, "tensor", serving.link if gpus > 1 else None, None, batch))

        largest = run(None)
        if largest.max_batch == 0:
            continue
        fits_somewhere = True
        found = largest
        if largest.time_per_output_token_s > target:
            single = run(1)
            fastest = single.time_per_output_token_s if fastest is None else min(fastest, single.time_per_output_token_s)
            if single.time_per_output_token_s > target:
                continue
            low, high, found = 1, largest.max_batch - 1, single  # low meets the target, high + 1 does not
            while low < high:
                middle = (low + high + 1) // 2
                trial = run(middle)
                if trial.time_per_output_token_s <= target:
                    low, found = middle, trial
                else:
                    high = middle - 1
        plans.append(ReplicaPlan(
            gpus, found.batch, largest.max_batch, found.requests_per_second,
            found.requests_per_second * workload.tokens_per_request, found.time_per_output_token_s,
            found.time_to_first_token_s, found.memory_needed_gb))
    if plans:
        return Sizing(tuple(plans))
    if not fits_somewhere:
        largest_size = REPLICA_SIZES[-1] if serving.link is not None else 1
        return Sizing((), f"{serving.shape.name} does not fit on {largest_size} x {serving.gpu.name}")
    return Sizing((), f"no replica meets {_ms(target)} per output token; the fastest gives {_ms(fastest or 0)}")


# ---- costs against volume -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinearCost:
    """An option paid per token: $/month = staff + slope x tokens a day."""

    name: str
    usd_per_month_per_daily_token: float
    staff_per_month_usd: float

    def monthly_cost(self, tokens_per_day: float) -> float:
        """Give back the $/month at ``tokens_per_day``."""
        return self.staff_per_month_usd + self.usd_per_month_per_daily_token * tokens_per_day

    @property
    def asymptotic_slope(self) -> float:
        return self.usd_per_month_per_daily_token

    @property
    def slope_between_steps(self) -> float:
        return self.usd_per_month_per_daily_token

    @property
    def largest_step_usd(self) -> float:
        return 0.0

    def replicas_per_daily_token(self) -> tuple[float, ...]:
        return ()


@dataclass(frozen=True)
class Provisioned:
    """How a self-hosted option serves a volume: the replica shape, how many, and what they cost."""

    plan: ReplicaPlan
    replicas: int
    hardware_per_month_usd: float

    @property
    def gpus(self) -> int:
        """Give back the GPUs of every replica together."""
        return self.plan.gpus * self.replicas


@dataclass(frozen=True)
class StaircaseCost:
    """A self-hosted option: replicas sized for the peak, each paid per GPU and month, plus the team."""

    name: str
    plans: tuple[ReplicaPlan, ...]
    per_gpu_month_usd: float
    staff_per_month_usd: float
    peak_to_average: float

    def _per_daily_token(self, plan: ReplicaPlan) -> float:
        """Replicas of ``plan`` needed per token a day (the peak's share of a replica's capacity)."""
        return self.peak_to_average / (SECONDS_PER_DAY * plan.tokens_per_second)

    def provisioned(self, tokens_per_day: float) -> Provisioned:
        """Give back the cheapest replica shape and count for ``tokens_per_day`` (fewer GPUs on a tie)."""
        best: Provisioned | None = None
        for plan in self.plans:
            replicas = max(1, math.ceil(tokens_per_day * self._per_daily_token(plan) - 1e-9))
            cost = replicas * plan.gpus * self.per_gpu_month_usd
            if best is None or (cost, replicas * plan.gpus) < (best.hardware_per_month_usd, best.gpus):
                best = Provisioned(plan, replicas, cost)
        return best  # type: ignore[return-value]  # plans is never empty here

    def monthly_cost(self, tokens_per_day: float) -> float:
        """Give back the $/month at ``tokens_per_day``."""
        return self.staff_per_month_usd + self.provisioned(tokens_per_day).hardware_per_month_usd

    @property
    def asymptotic_slope(self) -> float:
        return min(self._per_daily_token(plan) * plan.gpus * self.per_gpu_month_usd for plan in self.plans)

    @property
    def largest_step_usd(self) -> float:
        return max(plan.gpus * self.per_gpu_month_usd for plan in self.plans)

    @property
    def slope_between_steps(self) -> float:
        return 0.0  # a replica costs the same however busy it is

    def replicas_per_daily_token(self) -> tuple[float, ...]:
        return tuple(self._per_daily_token(plan) for plan in self.plans)


CostCurve = LinearCost | StaircaseCost


@dataclass(frozen=True)
class Crossing:
    """A daily volume where two options cost the same (``equal``) or swap at a step (``step``)."""

    tokens_per_day: float
    monthly_cost_usd: float
    kind: str
    cheaper_above: str


@dataclass(frozen=True)
class PairCrossings:
    """Every crossing of two options up to ``searched_to_tokens_per_day``; ``complete`` if none lies beyond."""

    first: str
    second: str
    crossings: tuple[Crossing, ...]
    searched_to_tokens_per_day: float
    complete: bool


def _search_limit(a: CostCurve, b: CostCurve) -> tuple[float, bool]:
    """Give back the volume past which ``a`` and ``b`` can no longer cross, and whether it is that bound.

    An option's cost lies between slope x volume + staff and that plus its largest step; once the
    dearer slope's lower edge clears the cheaper one's upper edge the two never meet again. Equal slopes
    have no such bound, and any bound is cut where the steps walked would pass MAX_SEGMENTS.
    """
    steep, flat = (a, b) if a.asymptotic_slope >= b.asymptotic_slope else (b, a)
    gap = steep.asymptotic_slope - flat.asymptotic_slope
    limit = math.inf
    if gap > 0:
        limit = max(0.0, flat.staff_per_month_usd + flat.largest_step_usd - steep.staff_per_month_usd) / gap
    density = sum(a.replicas_per_daily_token()) + sum(b.replicas_per_daily_token())
    if not math.isfinite(density):  # a replica too slow to count: nothing to search
        return 0.0, False
    cap = MAX_SEGMENTS / density if density > 0 else math.inf
    bound = limit * (1 + 1e-9)  # past the last crossing, by a hair, so a root at the bound is kept
    if bound <= cap:
        return bound, True
    return cap, False


def crossings(a: CostCurve, b: CostCurve) -> PairCrossings:
    """Give back the volumes where ``a`` and ``b`` cost the same or swap order at a step, lowest first.

    Between two steps of either staircase both costs are straight lines in the volume, so each
    crossing there is solved exactly; a step that turns the order round is a crossing of kind ``step``.
    """
    limit, complete = _search_limit(a, b)
    steps: set[float] = set()
    for density in a.replicas_per_daily_token() + b.replicas_per_daily_token():
        if limit > 0:
            steps.update(n / density for n in range(1, math.floor(limit * density) + 1))
    edges = [0.0] + sorted(v for v in steps if 0 < v < limit) + [limit]
    slope = a.slope_between_steps - b.slope_between_steps
    found: list[Crossing] = []
    previous_end: float | None = None  # a - b at the end of the last stretch
    for low, high in zip(edges, edges[1:]):
        if high <= low:
            continue
        middle = (low + high) / 2
        offset = a.monthly_cost(middle) - b.monthly_cost(middle) - slope * middle  # a - b = offset + slope x v
        start = offset + slope * low
        if previous_end is not None and previous_end * start < 0:
            found.append(Crossing(low, min(a.monthly_cost(middle), b.monthly_cost(middle)), "step",
                                  b.name if start > 0 else a.name))
        if slope != 0:
            root = -offset / slope
            if low < root <= high:
                found.append(Crossing(root, a.monthly_cost(root), "equal", b.name if slope > 0 else a.name))
        previous_end = offset + slope * high
    return PairCrossings(a.name, b.name, tuple(found), limit, complete)


# ---- the decision ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Owned:
    """What owning a GPU costs a month: its price spread over its life, and its electricity."""

    purchase_per_gpu_usd: float
    amortisation_months: float
    watts_per_gpu: float
    usd_per_kwh: float
    pue: float = 1.0
    other_hardware_share: float = 0.0  # the rest of the server, as a share of the GPUs' price

    def __post_init__(self) -> None:
        require_positive("purchase_per_gpu_usd", self.purchase_per_gpu_usd)
        require_positive("amortisation_months", self.amortisation_months, "e.g. 36 for three years.")
        require_non_negative("watts_per_gpu", self.watts_per_gpu)
        require_non_negative("usd_per_kwh", self.usd_per_kwh)
        require_finite("pue", self.pue)
        if self.pue < 1:
            raise InputError("pue", self.pue, "at least 1", "1.0 at a desk, 1.1 to 1.6 in a data centre.")
        require_non_negative("other_hardware_share", self.other_hardware_share)

    def per_gpu_month_usd(self, hours_per_month: float) -> float:
        """Give back one GPU's $/month: amortisation (with the rest of the server) and power at board watts all month."""
        hardware = self.purchase_per_gpu_usd * (1 + self.other_hardware_share) / self.amortisation_months
        power = self.watts_per_gpu * self.pue * hours_per_month / WATTS_PER_KILOWATT * self.usd_per_kwh
        return hardware + power


@dataclass(frozen=True)
class DecisionInputs:
    """A workload and the three ways to serve it."""

    workload: Workload
    api_price: ApiPrice
    api_staff_per_month_usd: float
    rented: Serving
    rented_usd_per_gpu_hour: float
    owned: Serving
    owned_costs: Owned
    self_hosted_staff_per_month_usd: float
    engineer_per_month_usd: float
    hours_per_month: float = HOURS_PER_MONTH
    api_name: str = ""

    def __post_init__(self) -> None:
        require_non_negative("api_staff_per_month_usd", self.api_staff_per_month_usd)
        require_positive("rented_usd_per_gpu_hour", self.rented_usd_per_gpu_hour)
        require_non_negative("self_hosted_staff_per_month_usd", self.self_hosted_staff_per_month_usd)
        require_positive("engineer_per_month_usd", self.engineer_per_month_usd)
        require_positive("hours_per_month", self.hours_per_month)


@dataclass(frozen=True)
class OptionResult:
    """One option at the workload's volume: its cost, or why it is out."""

    name: str
    monthly_cost_usd: float | None
    ruled_out: str = ""
    provisioned: Provisioned | None = None
    staff_per_month_usd: float = 0.0
    curve: CostCurve | None = None

    @property
    def available(self) -> bool:
        """Give back whether the option can serve the workload at all."""
        return self.monthly_cost_usd is not None


@dataclass(frozen=True)
class Decision:
    """The three options, the cheapest and its margin, the crossings, and what would change the answer."""

    options: tuple[OptionResult, ...]
    cheapest: str | None
    runner_up: str | None
    margin_usd: float | None
    margin_share: float | None
    pairs: tuple[PairCrossings, ...]
    changes_above_tokens_per_day: float | None
    changes_below_tokens_per_day: float | None
    what_would_change: tuple[str, ...]

    def option(self, name: str) -> OptionResult:
        """Give back the option called ``name``."""
        return next(option for option in self.options if option.name == name)

    def pair(self, first: str, second: str) -> PairCrossings | None:
        """Give back the crossings of two options, in either order, or None if either is out."""
        for pair in self.pairs:
            if {pair.first, pair.second} == {first, second}:
                return pair
        return None


def api_curve(inputs: DecisionInputs) -> LinearCost:
    """Give back the API's cost line: each request's price, times requests a month per token a day."""
    workload = inputs.workload
    per_request = api_request_cost(inputs.api_price, ApiRequest(workload.prompt_tokens, workload.output_tokens))
    days = days_per_month(inputs.hours_per_month)
    return LinearCost(API, per_request.cost_per_request_usd * days / workload.tokens_per_request,
                      inputs.api_staff_per_month_usd)


def _self_hosted(name: str, serving: Serving, per_gpu_month: float, inputs: DecisionInputs,
                 workload: Workload) -> OptionResult:
    sizing = size_replicas(serving, workload)
    if not sizing.plans:
        return OptionResult(name, None, sizing.why_none)
    curve = StaircaseCost(name, sizing.plans, per_gpu_month, inputs.self_hosted_staff_per_month_usd,
                          workload.peak_to_average)
    return OptionResult(name, curve.monthly_cost(workload.tokens_per_day), "",
                        curve.provisioned(workload.tokens_per_day), inputs.self_hosted_staff_per_month_usd, curve)


def _options(inputs: DecisionInputs) -> tuple[OptionResult, ...]:
    workload = inputs.workload
    if workload.data_rule == "anywhere":
        curve = api_curve(inputs)
        api = OptionResult(API, curve.monthly_cost(workload.tokens_per_day), "", None,
                           inputs.api_staff_per_month_usd, curve)
    else:
        api = OptionResult(API, None, "the data may not go to a model provider" if workload.data_rule == "no-api"
                           else "the data may not leave our premises")
    if workload.data_rule == "on-premises":
        rented = OptionResult(RENTED, None, "the data may not leave our premises")
    else:
        rented = _self_hosted(RENTED, inputs.rented, inputs.rented_usd_per_gpu_hour * inputs.hours_per_month,
                              inputs, workload)
    owned = _self_hosted(OWNED, inputs.owned, inputs.owned_costs.per_gpu_month_usd(inputs.hours_per_month),
                         inputs, workload)
    return api, rented, owned


def _ranked(options: Sequence[OptionResult]) -> list[OptionResult]:
    return sorted((o for o in options if o.available), key=lambda o: o.monthly_cost_usd)  # type: ignore[arg-type]


def cheapest_at(options: Sequence[OptionResult], tokens_per_day: float) -> str | None:
    """Give back the name of the cheapest available option at ``tokens_per_day``."""
    curves = [o.curve for o in options if o.curve is not None]
    if not curves:
        return None
    return min(curves, key=lambda curve: curve.monthly_cost(tokens_per_day)).name


def decide(inputs: DecisionInputs) -> Decision:
    """Give back the three options' costs at the workload's volume, the cheapest, the crossings and the levers."""
    options = _options(inputs)
    ranked = _ranked(options)
    cheapest = ranked[0].name if ranked else None
    runner_up = ranked[1].name if len(ranked) > 1 else None
    margin = margin_share = None
    if len(ranked) > 1:
        margin = ranked[1].monthly_cost_usd - ranked[0].monthly_cost_usd  # type: ignore[operator]
        margin_share = margin / ranked[1].monthly_cost_usd if ranked[1].monthly_cost_usd else None
    curves = [o.curve for o in options if o.curve is not None]
    pairs = tuple(crossings(a, b) for i, a in enumerate(curves) for b in curves[i + 1:])
    volume = inputs.workload.tokens_per_day
    above = below = None
    if cheapest is not None:
        for pair in pairs:
            for crossing in pair.crossings:
                v = crossing.tokens_per_day
                if cheapest_at(options, v * (1 - 1e-7)) == cheapest_at(options, v * (1 + 1e-7)):
                    continue  # two options swap below a third, cheaper one
                if v > volume and (above is None or v < above):
                    above = v
                if v <= volume and (below is None or v > below):
                    below = v
    decision = Decision(options, cheapest, runner_up, margin, margin_share, pairs, above, below, ())
    return replace(decision, what_would_change=_levers(inputs, decision))


# ---- what would change the answer -----------------------------------------------------------------------

def _usd(value: float) -> str:
    return f"${value:,.0f}"


def _tokens(value: float) -> str:
    for size, word in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if value >= size:
            return f"{value / size:,.3g}{word}"
    return f"{value:,.0f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _levers(inputs: DecisionInputs, decision: Decision) -> tuple[str, ...]:
    """Give back short sentences, each a change to the workload or the inputs that moves the answer."""
    workload, options = inputs.workload, decision.options
    cheapest = decision.cheapest
    if cheapest is None:
        return ("No option can serve this workload: " + "; ".join(f"{o.name}: {o.ruled_out}" for o in options) + ".",)
    said: list[str] = []
    volume = workload.tokens_per_day
    if decision.changes_above_tokens_per_day is not None:
        v = decision.changes_above_tokens_per_day
        said.append(f"Volume: above {_tokens(v)} tokens a day, {cheapest_at(options, v * (1 + 1e-7))} is cheapest.")
    if decision.changes_below_tokens_per_day is not None:
        v = decision.changes_below_tokens_per_day
        said.append(f"Volume: below {_tokens(v)} tokens a day, {cheapest_at(options, v * (1 - 1e-7))} is cheapest.")
    if decision.changes_above_tokens_per_day is None and decision.changes_below_tokens_per_day is None \
            and len([o for o in options if o.available]) > 1:
        if all(pair.complete for pair in decision.pairs):
            said.append(f"Volume: {cheapest} is cheapest at every volume.")
        else:
            reach = min(pair.searched_to_tokens_per_day for pair in decision.pairs if not pair.complete)
            said.append(f"Volume: {cheapest} stays cheapest at every volume up to {_tokens(reach)} tokens a day.")

    api = decision.option(API)
    hosted = [o for o in options if o.provisioned is not None]
    best_hosted = min(hosted, key=lambda o: o.monthly_cost_usd) if hosted else None  # type: ignore[arg-type]
    if api.available and best_hosted is not None:
        hardware = best_hosted.monthly_cost_usd - best_hosted.staff_per_month_usd  # type: ignore[operator]
        team = (api.monthly_cost_usd - hardware) / inputs.engineer_per_month_usd  # type: ignore[operator]
        if team <= 0:
            said.append(f"Team: even with no one to run it, {best_hosted.name} costs more than the API "
                        f"({_usd(hardware)} a month for the GPUs alone).")
        elif cheapest == API:
            said.append(f"Team: {best_hosted.name} would beat the API if it took at most {team:.2f} engineers "
                        "to run.")
        else:
            said.append(f"Team: {best_hosted.name} stays cheaper than the API until its team grows past "
                        f"{team:.2f} engineers.")

    for option in hosted:
        if option.provisioned.plan.latency_bound:  # type: ignore[union-attr]
            loose = replace(inputs, workload=replace(workload, max_time_per_output_token_s=1e9))
            freed = decide_costs(loose).get(option.name)
            if freed is not None and freed < option.monthly_cost_usd - 0.005:  # type: ignore[operator]
                said.append(f"Latency: the {_ms(workload.max_time_per_output_token_s)} target keeps the batches of "
                            f"{option.name} small; without it they would cost {_usd(freed)} a month, not "
                            f"{_usd(option.monthly_cost_usd)}.")  # type: ignore[arg-type]
    for option in options:
        if not option.available and option.ruled_out.startswith("no replica"):
            said.append(f"Latency: {option.name} is out because {option.ruled_out}.")

    if workload.peak_to_average > 1 and hosted:
        flat = decide_costs(replace(inputs, workload=replace(workload, peak_to_average=1.0)))
        cut = [o for o in hosted if flat.get(o.name, math.inf) < o.monthly_cost_usd - 0.005]  # type: ignore[operator]
        if cut:
            parts = " and ".join(f"{o.name} to {_usd(flat[o.name])}" for o in cut)
            flat_cheapest = min(flat, key=flat.get)
            verdict = f", and {flat_cheapest} would be cheapest" if flat_cheapest != cheapest else ""
            said.append(f"Peak: a flat load (peak-to-average 1), or capacity that follows the load, would cut "
                        f"{parts} a month{verdict}.")
        else:
            said.append(f"Peak: the peak-to-average ratio of {workload.peak_to_average:g} costs nothing here: "
                        "serving the average alone would take as many GPUs.")

    if workload.data_rule != "anywhere":
        free = decide_costs(replace(inputs, workload=replace(workload, data_rule="anywhere")))
        said.append(f"Data: if the data could go to the API, it would cost {_usd(free[API])} a month"
                    + (f", and {min(free, key=free.get)} would be cheapest." if min(free, key=free.get) != cheapest
                       else f"; {cheapest} would still be cheapest."))
    else:
        kept = decide_costs(replace(inputs, workload=replace(workload, data_rule="no-api")))
        if cheapest == API and kept:
            best = min(kept, key=kept.get)
            said.append(f"Data: if the data could not go to a model provider, {best} would be cheapest at "
                        f"{_usd(kept[best])} a month.")
    return tuple(said)


def decide_costs(inputs: DecisionInputs) -> dict[str, float]:
    """Give back each available option's $/month at the workload's volume (no crossings, no levers)."""
    return {o.name: o.monthly_cost_usd for o in _options(inputs) if o.monthly_cost_usd is not None}
