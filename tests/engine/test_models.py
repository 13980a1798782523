"""Each engine model on hand-checked numbers, and its rejections with their exact messages."""

import math

import pytest

from atlas_mkdocs.engine.api import ApiPrice, ApiRequest, LongContextTier, api_monthly_cost, api_request_cost
from atlas_mkdocs.engine.capacity import CapacityInputs, capacity
from atlas_mkdocs.engine.compare import CostOption, break_even, cost_series, payback_months
from atlas_mkdocs.engine.errors import CapacityError, EngineError, InputError, MissingInputError, UnknownSpecError
from atlas_mkdocs.engine.levers import CacheInputs, CascadeInputs, cache_savings, cascade_savings
from atlas_mkdocs.engine.modalities import AudioInputs, ImageInputs, audio_cost, image_cost
from atlas_mkdocs.engine.models import calculate, calculate_ranges
from atlas_mkdocs.engine.own_hardware import OwnHardwareInputs, PowerInputs, cost_per_million_tokens, own_hardware_monthly_cost
from atlas_mkdocs.engine.rental import RentalBillingInputs, rental_monthly_cost
from atlas_mkdocs.engine.sizing import SizingInputs, gpu_fits, vram_required
from atlas_mkdocs.engine.specs import GpuSpec, ModelShape, QuantFormat, ServingStack
from atlas_mkdocs.engine.throughput import ThroughputInputs, estimate_throughput
from atlas_mkdocs.engine.uncertainty import Range, propagate
from tests.engine.conftest import bundled_catalogue

#: data/, as the build passes it to the engine: read once per test run.
DATA = bundled_catalogue()

SONNET = ApiPrice(3.0, 15.0, 0.30, 0.5, LongContextTier(200_000, 6.0, 22.5, 0.60))
LLAMA_2_13B = ModelShape("llama-2-13b", 13.0, 40, 40, 128, 40)
LLAMA_3_8B = ModelShape("llama-3-8b", 8.03, 32, 8, 128, 32)
H100 = GpuSpec("h100-sxm", 80, 3350, 989, 1979, 700)


# ---- API -------------------------------------------------------------------------------------------------

def test_api_cached_tokens_are_counted_inside_the_prompt():
    """10,000 prompt tokens of which 8,000 cached, 500 out: 2,000 x $3 + 8,000 x $0.30 + 500 x $15 per 1M."""
    cost = api_request_cost(SONNET, ApiRequest(10_000, 500, 8_000))
    assert math.isclose(cost.input_cost_usd, 0.006)
    assert math.isclose(cost.cached_input_cost_usd, 0.0024)
    assert math.isclose(cost.output_cost_usd, 0.0075)
    assert math.isclose(cost.cost_per_request_usd, 0.0159)


def test_api_long_context_tier_bills_the_whole_request():
    """Past 200k prompt tokens every token is billed at the tier: 200,001 in, 1,000 out is $1.2225."""
    below = api_request_cost(SONNET, ApiRequest(200_000, 1000))
    above = api_request_cost(SONNET, ApiRequest(200_001, 1000))
    assert not below.long_context_tier_applied
    assert math.isclose(below.cost_per_request_usd, 0.615)
    assert above.long_context_tier_applied
    assert math.isclose(above.cost_per_request_usd, 200_001 * 6 / 1e6 + 1000 * 22.5 / 1e6)


def test_api_batch_discount_and_month():
    """Batch halves every token; 1,000 requests a month of 1,000 in and 100 out cost $2.25 a month batched."""
    month = api_monthly_cost(SONNET, ApiRequest(1000, 100, batch=True), 1000)
    assert math.isclose(month.request.cost_per_request_usd, 0.00225)
    assert math.isclose(month.monthly_cost_usd, 2.25)
    assert math.isclose(month.tokens_per_day, 1_100_000 / (730 / 24))


@pytest.mark.parametrize(("build", "error", "message"), [
    (lambda: ApiPrice(0, 10), InputError, "input_per_million_usd must be greater than 0; got 0. "
     "A price that is not known is an error, never zero: look it up on the provider's price page."),
    (lambda: ApiRequest(100, 10, 200), InputError, "cached_input_tokens must be from 0 to input_tokens (100); "
     "got 200. Cached tokens are counted inside the prompt, so they cannot exceed it."),
    (lambda: api_request_cost(ApiPrice(1, 2), ApiRequest(100, 10, 50)), UnknownSpecError,
     "unknown cached input price 'cached_input_per_million_usd'. This price list has no cached-input price; "
     "give one, or set cached_input_tokens to 0 to bill the whole prompt as input."),
    (lambda: ApiPrice(1, 2, batch_discount=1.5), InputError,
     "batch_discount must be in [0, 1], a share such as 0.25 for 25%; got 1.5. OpenAI's Batch API takes 0.5 off."),
])
def test_api_rejections(build, error, message):
    """Bad API inputs raise the engine's errors with messages naming the input and range."""
    with pytest.raises(error) as caught:
        build()
    assert str(caught.value) == message
    assert isinstance(caught.value, EngineError)


# ---- own hardware ----------------------------------------------------------------------------------------

def test_own_hardware_power_formula():
    """(2 x 450 W + 150 W) x 24 h x 30 days x PUE 1.2 x $0.15/kWh = $136.08 a month."""
    power = PowerInputs(450, 150, 0.15, gpus=2, pue=1.2)
    month = own_hardware_monthly_cost(OwnHardwareInputs(
        10_000, 60, residual_value_usd=1000, power=power, maintenance_per_month_usd=20,
        operations_staff_per_month_usd=100, hours_per_month=720))
    assert math.isclose(month.energy_kwh_per_month, 907.2)
    assert math.isclose(month.power_per_month_usd, 136.08)
    assert math.isclose(month.amortisation_per_month_usd, 150.0)
    assert math.isclose(month.running_cost_per_month_usd, 256.08)
    assert math.isclose(month.total_per_month_usd, 406.08)


def test_own_hardware_per_token_view():
    """$406.08 a month at 24 tokens/s, 720 h, 50% busy: 31.1M tokens, $13.06 per 1M."""
    view = cost_per_million_tokens(406.08, 24, 0.5, 720)
    assert math.isclose(view.tokens_per_month, 31_104_000)
    assert round(view.cost_per_million_tokens_usd, 2) == 13.06
    assert math.isclose(view.cost_per_million_tokens_usd, 2 * view.cost_per_million_tokens_at_full_use_usd)


def test_own_hardware_power_is_never_silently_zero():
    """Neither power inputs nor a flat power cost: an UnknownSpecError, not a zero."""
    with pytest.raises(UnknownSpecError) as caught:
        OwnHardwareInputs(1200, 24)
    assert str(caught.value) == (
        "unknown power cost 'power'. Give either power (watts, PUE and $/kWh) or power_cost_per_month_usd, "
        "not both; use power_cost_per_month_usd=0 only to leave power out on purpose.")
    assert isinstance(caught.value, KeyError)


def test_own_hardware_residual_above_price():
    """A residual value above the purchase price names the allowed range."""
    with pytest.raises(InputError) as caught:
        OwnHardwareInputs(1200, 24, residual_value_usd=1500, power_cost_per_month_usd=0)
    assert str(caught.value) == "residual_value_usd must be from 0 to the purchase price (1200 USD); got 1500"


def test_power_pue_range():
    """A PUE below 1 is rejected with the range and what PUE means."""
    with pytest.raises(InputError) as caught:
        PowerInputs(450, 150, 0.15, pue=0.9)
    assert str(caught.value) == ("pue must be from 1 to 3; got 0.9. Power usage effectiveness: 1.0 for a desk, "
                                 "about 1.1 to 1.6 for a data centre.")


# ---- rented GPU billing ----------------------------------------------------------------------------------

def test_rental_billing_modes():
    """100M tokens at 1,000 tokens/s on 2 GPUs at $2/h: 27.8 h per second-billed, 8 h x 30 window, 720 h on."""
    base = dict(hourly_price_per_gpu_usd=2.0, tokens_per_second=1000, tokens_per_month=100_000_000, gpus=2,
                hours_per_month=720)
    per_second = rental_monthly_cost(RentalBillingInputs(**base, billing="per_second", cold_start_overhead=0.1))
    window = rental_monthly_cost(RentalBillingInputs(**base, billing="active_window", active_hours_per_day=8))
    always = rental_monthly_cost(RentalBillingInputs(**base, billing="always_on"))
    assert math.isclose(per_second.busy_hours_per_month, 100_000 / 3600)
    assert math.isclose(per_second.monthly_cost_usd, 2 * 2 * 100_000 / 3600 * 1.1)
    assert math.isclose(window.monthly_cost_usd, 2 * 2 * 240)
    assert math.isclose(always.monthly_cost_usd, 2 * 2 * 720)
    assert round(always.utilisation, 4) == 0.0386


def test_rental_window_too_small_raises_capacity_error():
    """A volume that needs more busy hours than the window is a CapacityError with the numbers."""
    with pytest.raises(CapacityError) as caught:
        rental_monthly_cost(RentalBillingInputs(2.0, 10, 10_000_000, billing="active_window",
                                                active_hours_per_day=8, hours_per_month=720))
    assert str(caught.value) == ("tokens_per_month 10,000,000 needs 277.8 busy hours a month, but active_window "
                                 "billing makes only 240.0 available; add GPUs, widen the window or lower the volume.")
    assert isinstance(caught.value, ValueError)


def test_rental_billing_mode_choice():
    """An unknown billing mode lists the allowed ones."""
    with pytest.raises(InputError) as caught:
        RentalBillingInputs(2.0, 10, 1000, billing="monthly")
    assert str(caught.value) == "billing must be one of 'per_second', 'active_window', 'always_on'; got 'monthly'"


# ---- capacity --------------------------------------------------------------------------------------------

def test_capacity_can_and_cannot_serve():
    """24 tokens/s serves 62.2M tokens in 720 h exactly; 100M needs 2 machines at 80% max use."""
    exact = capacity(CapacityInputs(24, 62_208_000, 166.67, hours_per_month=720))
    assert exact.can_serve and math.isclose(exact.utilisation, 1.0) and exact.machines_needed == 1
    over = capacity(CapacityInputs(24, 100_000_000, 166.67, 0.8, hours_per_month=720))
    assert not over.can_serve
    assert over.machines_needed == 3  # 1.61 of a machine at 80% each needs 3
    assert math.isclose(over.monthly_cost_usd, 3 * 166.67)


# ---- comparison ------------------------------------------------------------------------------------------

def test_break_even_with_capacity_steps():
    """A GPU at $500/month serving 100M tokens each against an API at $10 per 1M: equal at 50M, then steps."""
    gpu = CostOption("gpu", fixed_per_month_usd=500, capacity_tokens_per_month=100_000_000)
    api = CostOption("api", variable_per_million_tokens_usd=10)
    found = break_even(gpu, api, tokens_per_request=1000, hours_per_month=720, max_tokens_per_month=300_000_000)
    assert [(c.kind, c.tokens_per_month, c.cheaper_above) for c in found.crossings] == [
        ("equal", 50_000_000, "gpu")]
    assert found.first.requests_per_month == 50_000
    assert math.isclose(found.first.tokens_per_day, 50_000_000 / 30)
    cheaper = CostOption("api", variable_per_million_tokens_usd=4.5)  # each added GPU keeps it ahead
    assert break_even(gpu, cheaper, max_tokens_per_month=300_000_000).first is None


def test_break_even_step_crossing():
    """A second machine can flip the order at the capacity step itself: marked 'step'."""
    gpu = CostOption("gpu", fixed_per_month_usd=500, capacity_tokens_per_month=100_000_000)
    api = CostOption("api", fixed_per_month_usd=0, variable_per_million_tokens_usd=6)
    found = break_even(gpu, api, max_tokens_per_month=250_000_000)
    assert [(c.kind, round(c.tokens_per_month), c.cheaper_above) for c in found.crossings] == [
        ("equal", 83_333_333, "gpu"), ("step", 100_000_000, "api"), ("equal", 166_666_667, "gpu"),
        ("step", 200_000_000, "api"), ("equal", 250_000_000, "gpu")]


def test_cost_series_marks_crossings():
    """A 3-point series from 0 to 2M tokens a day carries each line and seed 002's crossing."""
    local = CostOption("local", fixed_per_month_usd=30, upfront_usd=1200, amortisation_months=24)
    cloud = CostOption("cloud", variable_per_million_tokens_usd=2)
    series = cost_series([local, cloud], 2_000_000, points=3, hours_per_month=720)
    assert series.tokens_per_day == (0.0, 1_000_000.0, 2_000_000.0)
    assert series.lines[0].monthly_cost_usd == (80.0, 80.0, 80.0)
    assert series.lines[1].monthly_cost_usd == (0.0, 60.0, 120.0)
    ((a, b, crossing),) = series.crossings
    assert (a, b, round(crossing.tokens_per_day)) == ("local", "cloud", 1_333_333)


def test_payback_without_saving_is_none():
    """When the owned option saves nothing a month, payback is None, never infinity."""
    owned = CostOption("owned", fixed_per_month_usd=100, upfront_usd=1000, amortisation_months=12)
    assert payback_months(owned, CostOption("api", variable_per_million_tokens_usd=1), 1_000_000).months is None


def test_cost_option_needs_amortisation_with_upfront():
    """An upfront price without amortisation months says what to give."""
    with pytest.raises(InputError) as caught:
        CostOption("owned", upfront_usd=1000)
    assert str(caught.value) == ("amortisation_months must be greater than 0 when upfront_usd is given; got None. "
                                 "Say over how many months the purchase is written off, e.g. 36.")


# ---- sizing and throughput -------------------------------------------------------------------------------

def test_sizing_counts_grouped_query_attention():
    """Llama-2-13B (40 KV heads) holds 5x the KV cache per token of Llama-3-8B (8 KV heads)."""
    assert LLAMA_2_13B.kv_bytes_per_token() == 2 * 40 * 40 * 128 * 2 == 819_200
    assert LLAMA_3_8B.kv_bytes_per_token() == 131_072
    big = vram_required(SizingInputs(LLAMA_2_13B, 16, 4096, 8, overhead_fraction=0))
    assert round(big.kv_cache_gb, 2) == 26.84
    assert round(big.weights_gb, 1) == 26.0


def test_sizing_gpu_fits():
    """Llama-3-8B at 16 bits with 8k context: 18.8 GB fits a 24 GB card; 64 sequences need 4 RTX 4090s or 2 H100s."""
    one = vram_required(SizingInputs(LLAMA_3_8B, 16, 8192, 1))
    assert round(one.total_gb, 1) == 18.8
    assert gpu_fits(one, [GpuSpec("rtx-4090", 24, 1008, 165.2)])[0].fits_one
    many = vram_required(SizingInputs(LLAMA_3_8B, 16, 8192, 64))
    assert round(many.total_gb, 1) == 93.3
    fits = gpu_fits(many, [GpuSpec("rtx-4090", 24, 1008, 165.2), H100])
    assert [(f.gpu, f.fits_one, f.gpus_needed) for f in fits] == [("rtx-4090", False, 4), ("h100-sxm", False, 2)]


def test_sizing_rejects_bits_outside_a_format():
    """Bits per weight are real (4.85 for q4_k_m), above 0 and at most 32; 0 names the fix."""
    with pytest.raises(InputError) as caught:
        SizingInputs(LLAMA_3_8B, weight_bits=0)
    assert str(caught.value) == "weight_bits must be greater than 0; got 0. Real bits per weight, e.g. 4.85 for q4_k_m."
    with pytest.raises(InputError) as caught:
        SizingInputs(LLAMA_3_8B, kv_bits=64)
    assert str(caught.value) == "kv_bits must be at most 32; got 64"


BF16 = QuantFormat("bf16", 16)
ROOFLINE = ServingStack("roofline", bandwidth_efficiency=0.7, layer_overhead_us=0, compute_utilisation=0.5,
                        decode_compute_utilisation=0.5)


def test_throughput_decode_is_bandwidth_bound_and_batching_helps():
    """Llama-3-8B at 16 bits on an H100: 145 tokens/s alone (16.1 GB a step at 3350 GB/s x 0.7), far more batched.

    A step is sqrt(memory^2 + compute^2): 6.884 ms of reads against 0.033 ms of FLOPs, so 145.3 tokens/s.
    """
    alone = estimate_throughput(ThroughputInputs(LLAMA_3_8B, H100, 512, 256, ROOFLINE, BF16, BF16))
    assert alone.decode_bound == "memory"
    assert round(alone.decode_step_seconds * 1e3, 3) == 6.884
    assert round(alone.decode_tokens_per_second) == 145
    batched = estimate_throughput(ThroughputInputs(LLAMA_3_8B, H100, 512, 256, ROOFLINE, BF16, BF16, batch_size=64))
    assert batched.decode_tokens_per_second > 30 * alone.decode_tokens_per_second
    assert batched.decode_tokens_per_second_per_sequence < alone.decode_tokens_per_second_per_sequence
    assert math.isclose(alone.seconds_per_request,
                        alone.time_to_first_token_s + 255 * alone.time_per_output_token_s)


# ---- savings levers --------------------------------------------------------------------------------------

def test_cascade_savings():
    """70% to a local model at $0.001, 30% to an API at $0.01, $0.0002 routing: $0.0039, 61% saved."""
    result = cascade_savings(CascadeInputs(0.7, 0.001, 0.01, 100_000, 0.0002))
    assert math.isclose(result.cost_per_request_with_usd, 0.0039)
    assert math.isclose(result.saving_share, 0.61)
    assert math.isclose(result.monthly_saving_usd, 610)


def test_cache_exact_and_semantic():
    """A 30% exact hit rate saves 30%; a semantic cache at 45% pays its lookup on every request."""
    exact = cache_savings(CacheInputs(0.3, 0.01))
    assert math.isclose(exact.saving_share, 0.3)
    semantic = cache_savings(CacheInputs(0.45, 0.01, "semantic", 0.0005, 1000))
    assert math.isclose(semantic.cost_per_request_with_usd, 0.0060)
    assert math.isclose(semantic.monthly_saving_usd, 4.0)


def test_semantic_cache_lookup_cost_is_required():
    """A semantic cache without a lookup cost is an unknown spec, never zero."""
    with pytest.raises(UnknownSpecError) as caught:
        CacheInputs(0.4, 0.01, "semantic")
    assert str(caught.value) == ("unknown semantic cache lookup cost 'lookup_cost_per_request_usd'. A semantic cache "
                                 "embeds every prompt; give the embedding and search cost per request, e.g. 0.00002.")


# ---- uncertainty -----------------------------------------------------------------------------------------

def test_uncertainty_ranges_and_sensitivity():
    """$8-$10/h and 1,029-1,646 tokens/s at 90%: $1.50 to $3.00 per 1M, throughput moves it most."""
    result = calculate_ranges("rental-rate", {"hourly_price_usd": Range(8, 9, 10),
                                              "tokens_per_second": Range(1029, 1300, 1646), "utilisation": 0.9}, catalogue=DATA)
    cost = result.outputs[0]
    assert cost.name == "cost_per_million_tokens_usd"
    assert (round(cost.low, 2), round(cost.base, 2), round(cost.high, 2)) == (1.50, 2.14, 3.00)
    assert [row.input for row in result.sensitivity] == ["tokens_per_second", "hourly_price_usd"]
    assert round(result.sensitivity[0].swing, 3) == 1.012


def test_uncertainty_range_must_be_ordered():
    """A range given high first is rejected."""
    with pytest.raises(InputError) as caught:
        Range(10, 9, 8)
    assert str(caught.value) == "range must be ordered as low <= base <= high; got (10, 9, 8)"


def test_propagate_on_a_plain_function():
    """propagate works on any model: x * y over x in [1, 3], y in [2, 4] spans 2 to 12."""
    result = propagate(lambda v: {"product": v["x"] * v["y"]}, {"x": Range(1, 2, 3), "y": Range(2, 3, 4)})
    assert (result.outputs[0].low, result.outputs[0].base, result.outputs[0].high) == (2, 6, 12)


def test_own_hardware_ranges_by_default_are_seed_001s_build():
    """Seed 001's build ($10,000, 50 tokens/s at 50%, $0.17/kWh): $1.11 to $31.81 per 1M tokens around $4.52,
    the base being own-hardware's own figure; utilisation moves it most, the purchase price least."""
    found = calculate("own-hardware-ranges", {}, DATA)
    assert (round(found["low_usd"], 2), round(found["base_usd"], 2), round(found["high_usd"], 2)) == (
        1.11, 4.52, 31.81)
    assert found["base_usd"] == calculate("own-hardware", {
        "purchase_price_usd": 10000, "amortisation_months": 60, "gpus": 2, "gpu_watts": 450, "host_watts": 150,
        "price_per_kwh_usd": 0.17, "operations_staff_per_month_usd": 0, "tokens_per_second": 50,
        "utilisation": 0.5})["cost_per_million_tokens_usd"]
    assert found["moves_most"] == "Utilisation"
    assert [(row["input"], round(row["at_low_usd"], 2), round(row["at_high_usd"], 2))
            for row in found["sensitivity"]] == [("Utilisation", 11.3, 2.51), ("Throughput", 7.53, 2.83),
                                                 ("Electricity", 3.7, 6.62), ("Purchase price", 4.01, 5.53)]


def test_own_hardware_ranges_name_a_base_outside_its_ends():
    """A base above its high end is refused at the base, in the words of the quantity, with the fix."""
    with pytest.raises(InputError) as caught:
        calculate("own-hardware-ranges", {"utilisation_base": 0.95})
    assert str(caught.value) == ("utilisation_base must be between the low and high utilisation; got 0.95. "
                                 "Order the three values as low, base, high.")
    assert caught.value.field == "utilisation_base"


def test_a_range_end_that_breaks_the_target_is_named_not_a_key_error():
    """A subnormal low throughput makes the cost per token infinite: an EngineError naming that end (it was a
    KeyError from inside propagate)."""
    with pytest.raises(EngineError) as caught:
        calculate("own-hardware-ranges", {"tokens_per_second_low": 2.2e-309})
    assert str(caught.value) == ("with tokens_per_second at 2.2e-309, these inputs are too large or too small to "
                                 "give a finite result (cost_per_million_tokens_usd); check their units and "
                                 "magnitudes.")


# ---- other modalities ------------------------------------------------------------------------------------

def test_image_cost():
    """$0.04 an image against a $2/h GPU at 0.5 images/s: $0.00111 an image, break-even 36,500 images a month."""
    result = image_cost(ImageInputs(0.04, 2.0, 0.5))
    assert round(result.local_cost_per_unit_usd, 5) == 0.00111
    assert math.isclose(result.break_even_units_per_month, 2.0 * 730 / 0.04)
    assert result.local_is_cheaper_at_capacity


def test_audio_cost_per_character():
    """$15 per 1M characters at 900 characters a minute is $0.0135 a minute; RTF 0.1 on $1/h is $0.00167."""
    result = audio_cost(AudioInputs(15e-6, "per_character", 1.0, 0.1))
    assert math.isclose(result.api_cost_per_unit_usd, 0.0135)
    assert round(result.local_cost_per_unit_usd, 5) == 0.00167
    assert math.isclose(result.capacity_units_per_month, 600 * 730)


# ---- the registry ----------------------------------------------------------------------------------------

def test_registry_missing_and_unknown_inputs():
    """calculate names a missing input with its unit, and an unknown one with the known names."""
    with pytest.raises(MissingInputError) as missing:
        calculate("rental-rate", {"hourly_price_usd": 3.5}, DATA)
    assert str(missing.value) == "tokens_per_second is required (tokens/s); model 'rental-rate' has no default for it"
    with pytest.raises(UnknownSpecError) as unknown:
        calculate("rental-rate", {"hourly_price": 3.5}, DATA)
    assert str(unknown.value) == ("unknown input of model 'rental-rate' 'hourly_price' (did you mean "
                                  "'hourly_price_usd'?); known: hourly_price_usd, tokens_per_second, utilisation, "
                                  "tokens_per_request")
    with pytest.raises(UnknownSpecError) as model:
        calculate("rental-rat", {}, DATA)
    assert str(model.value).startswith("unknown model 'rental-rat' (did you mean 'rental-rate'?); known: api, ")


# ---- prices: batch, cache writes, reasoning, long context, staff (issue 18) ------------------------------

OPUS = ApiPrice(5.0, 25.0, 0.50, 0.5, None, 6.25, 10.0, "anthropic/claude-opus-4-5")


def test_api_cache_writes_are_billed_at_their_own_prices():
    """10,000 prompt tokens: 2,000 read ($0.50), 3,000 written for 5 minutes ($6.25), 1,000 for an hour ($10),
    4,000 plain ($5); 500 out at $25: $0.001 + $0.01875 + $0.01 + $0.02 + $0.0125 = $0.06225."""
    cost = api_request_cost(OPUS, ApiRequest(10_000, 500, 2_000, cache_write_5m_tokens=3_000,
                                             cache_write_1h_tokens=1_000))
    assert math.isclose(cost.cache_write_cost_usd, 0.02875)
    assert math.isclose(cost.input_cost_usd, 0.02)
    assert math.isclose(cost.cost_per_request_usd, 0.06225)


def test_api_reasoning_tokens_are_billed_as_output():
    """1,000 in, 300 out and 2,000 reasoning on Opus: 2,300 output tokens at $25 = $0.0575, plus $0.005 in."""
    cost = api_request_cost(OPUS, ApiRequest(1_000, 300, reasoning_tokens=2_000))
    assert math.isclose(cost.reasoning_cost_usd, 0.05)
    assert math.isclose(cost.cost_per_request_usd, 0.0625)
    assert cost.tokens_per_request == 3_300


def test_api_batch_without_a_batch_price_names_the_model():
    """A batch on a price list with no batch discount is an error naming the model, never full price."""
    price = ApiPrice(0.59, 0.79, model="groq/llama-3.3-70b-versatile")
    assert math.isclose(api_request_cost(price, ApiRequest(1000, 100)).cost_per_request_usd, 0.000669)
    with pytest.raises(UnknownSpecError) as caught:
        api_request_cost(price, ApiRequest(1000, 100, batch=True))
    assert str(caught.value).startswith("unknown batch price of model 'groq/llama-3.3-70b-versatile'. ")
    assert math.isclose(api_request_cost(OPUS, ApiRequest(1000, 100, batch=True)).cost_per_request_usd, 0.00375)


def test_api_long_context_errors_name_the_long_context_fields():
    """Past the tier, cached tokens without a tier cache price name long_context_cached_input_per_million_usd;
    a bad tier price names long_context_input_per_million_usd."""
    price = ApiPrice(3.0, 15.0, 0.30, None, LongContextTier(200_000, 6.0, 22.5))
    assert math.isclose(api_request_cost(price, ApiRequest(100_000, 0, 50_000)).cached_input_cost_usd, 0.015)
    with pytest.raises(UnknownSpecError) as caught:
        api_request_cost(price, ApiRequest(250_000, 0, 50_000))
    assert str(caught.value) == (
        "unknown cached input price 'long_context_cached_input_per_million_usd'. The long-context tier has no "
        "cached-input price; give one, or set cached_input_tokens to 0 to bill the whole prompt as input.")
    with pytest.raises(InputError) as bad:
        LongContextTier(200_000, 0, 22.5)
    assert bad.value.field == "long_context_input_per_million_usd"
    with pytest.raises(UnknownSpecError) as via_model:
        calculate("api", {"input_per_million_usd": 3, "output_per_million_usd": 15, "input_tokens": 250_000,
                          "output_tokens": 0, "cached_input_tokens": 1, "cached_input_per_million_usd": 0.3,
                          "long_context_above_tokens": 200_000, "long_context_input_per_million_usd": 6,
                          "long_context_output_per_million_usd": 22.5}, DATA)
    assert via_model.value.name == "long_context_cached_input_per_million_usd"


def test_every_option_carries_its_own_staff_default():
    """API $1,711.71, rented $4,279.27, owned $8,558.54 a month: 0.1, 0.25 and 0.5 of $17,117.09."""
    api = calculate("api", {"input_per_million_usd": 2.5, "output_per_million_usd": 10, "input_tokens": 400,
                            "output_tokens": 400, "requests_per_month": 1000}, DATA)
    assert (api["monthly_cost_usd"], api["staff_per_month_usd"]) == (5.0, 1711.71)
    assert math.isclose(api["total_per_month_usd"], 1716.71)
    rented = calculate("rental-month", {"hourly_price_per_gpu_usd": 2.0, "tokens_per_second": 1000,
                                        "tokens_per_month": 1e9}, DATA)
    assert (rented["monthly_cost_usd"], rented["staff_per_month_usd"]) == (1460.0, 4279.27)
    assert math.isclose(rented["total_cost_per_million_tokens_usd"], 5.73927)
    owned = calculate("own-hardware", {"purchase_price_usd": 36_000, "amortisation_months": 36,
                                       "power_cost_per_month_usd": 100}, DATA)
    assert math.isclose(owned["total_per_month_usd"], 1000 + 100 + 8558.54)
    none = calculate("own-hardware", {"purchase_price_usd": 36_000, "amortisation_months": 36,
                                      "power_cost_per_month_usd": 100, "operations_staff_per_month_usd": 0}, DATA)
    assert none["total_per_month_usd"] == 1100


def test_staff_is_paid_once_per_option_in_a_comparison():
    """Two owned machines still need one team: at 150M tokens with 100M per machine, 2 x $500 + $3,000 staff."""
    owned = CostOption("owned", fixed_per_month_usd=500, capacity_tokens_per_month=100e6, staff_per_month_usd=3000)
    assert owned.monthly_cost(150e6) == 4000
    api = CostOption("api", variable_per_million_tokens_usd=10, staff_per_month_usd=1000)
    crossing = break_even(api, owned).first
    # Between 300M and 400M owned costs 4 x $500 + $3,000 = $5,000; the API's $10 per 1M + $1,000 reaches it at 400M.
    assert (crossing.kind, crossing.tokens_per_month, crossing.monthly_cost_usd, crossing.cheaper_above) == (
        "equal", 400e6, 5000, "owned")
