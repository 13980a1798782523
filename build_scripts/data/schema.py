"""What each data file must hold: its tables, their fields, units, ranges and references.

Units live in the field names (``_usd``, ``_gb``, ``_gbs``, ``_tflops``, ``_watts``, ``_per_kwh``) and
are repeated here so a message can say which unit a bare number is read in.
"""

from __future__ import annotations

from dataclasses import dataclass

NUMBER = "number"      # a finite int or float
WHOLE = "whole"        # a whole number
TEXT = "text"          # a non-empty string
SOURCE = "source"      # a non-empty string, or a list of them
DATE = "date"          # YYYY, YYYY-MM or YYYY-MM-DD, not in the future
CHOICE = "choice"
RANGE = "range"        # {low: number, high: number}, 0 < low <= high
MAPPING = "mapping"    # a nested table of fields
ANY = "any"            # free-form (scenario steps are checked by running them)


@dataclass(frozen=True)
class Field:
    """One field of a row: its kind, unit, whether it must be there, and its allowed range."""

    name: str
    kind: str
    unit: str = ""
    required: bool = True
    positive: bool = False        # a price or spec: above zero; zero would be an unknown in disguise
    nullable: bool = False        # an explicit null has a meaning (no FP8 tensor cores)
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    fields: tuple["Field", ...] = ()
    references: str | None = None  # the table whose ids this field must name
    hint: str = ""


@dataclass(frozen=True)
class Table:
    """A data file: its top-level key, its rows' fields, and whether its rows are prices that go stale."""

    file: str
    key: str
    fields: tuple[Field, ...]
    is_price: bool = True

    def field(self, name: str) -> Field | None:
        """Give back the field called ``name``, or None."""
        return next((f for f in self.fields if f.name == name), None)


ID = Field("id", TEXT, hint="A short unique name in lower case, e.g. h100-sxm.")
AS_OF = Field("as_of", DATE, hint="The date the figure was checked, as YYYY-MM-DD (or YYYY-MM, YYYY).")
SOURCE_FIELD = Field("source", SOURCE, hint="Name the page, datasheet or file the figure comes from.")
NOTE = Field("note", TEXT, required=False)
#: A dated record of what something cost then (e.g. a launch price a source quotes): never "stale".
HISTORICAL = Field("historical", ANY, required=False,
                   hint="true for a price kept as a record of its date, which the age check skips.")
USD_PER_MILLION = "USD per 1M tokens"
#: A current price older than this many days is stale: marked so on the page, reported at info level by
#: the build, and refused by tests/data/test_price_age.py on the date of the last commit that changed data/.
PRICE_STALE_AFTER_DAYS = 180


RENTAL_TERMS = ("on_demand", "spot", "reserved_1y", "reserved_3y")


def _price(name: str, required: bool = True) -> Field:
    return Field(name, NUMBER, USD_PER_MILLION, required=required, positive=True)


TABLES: tuple[Table, ...] = (
    Table("gpus.yaml", "gpus", (
        ID,
        Field("name", TEXT),
        Field("vram_gb", NUMBER, "GB", positive=True, maximum=4096),
        Field("memory_bandwidth_gbs", NUMBER, "GB/s", positive=True, maximum=100_000),
        Field("fp16_dense_tflops", NUMBER, "dense TFLOPS", positive=True, maximum=100_000,
              hint="Dense, not sparse: half the datasheet's 'with sparsity' figure."),
        Field("fp8_dense_tflops", NUMBER, "dense TFLOPS", positive=True, nullable=True, maximum=100_000,
              hint="Write null for a GPU without FP8 tensor cores."),
        Field("fp4_dense_tflops", NUMBER, "dense TFLOPS", required=False, positive=True, nullable=True,
              maximum=100_000, hint="Write null for a GPU without FP4 tensor cores (everything before Blackwell)."),
        Field("board_watts", NUMBER, "W", positive=True, maximum=10_000),
        Field("interconnect", TEXT, required=False, references="interconnects",
              hint="The id of the link between this GPU's cards in one server, a row of interconnects.yaml."),
        Field("purchase_usd", RANGE, "USD", positive=True),
        Field("msrp_usd", NUMBER, "USD", required=False, positive=True),
        Field("launch", DATE, required=False),
        AS_OF, SOURCE_FIELD, NOTE, HISTORICAL,
    )),
    Table("api_prices.yaml", "api_prices", (
        ID,
        Field("provider", TEXT),
        Field("model", TEXT),
        _price("input_per_million_usd"),
        _price("output_per_million_usd"),
        _price("cached_input_per_million_usd", required=False),
        _price("cache_write_5m_per_million_usd", required=False),
        _price("cache_write_1h_per_million_usd", required=False),
        _price("batch_input_per_million_usd", required=False),
        _price("batch_output_per_million_usd", required=False),
        Field("long_context", MAPPING, required=False, fields=(
            Field("above_input_tokens", WHOLE, "tokens", positive=True),
            _price("input_per_million_usd"),
            _price("output_per_million_usd"),
            _price("cached_input_per_million_usd", required=False),
            _price("cache_write_5m_per_million_usd", required=False),
            _price("cache_write_1h_per_million_usd", required=False),
        )),
        Field("valid_from", DATE, required=False),
        AS_OF, SOURCE_FIELD, NOTE, HISTORICAL,
    )),
    Table("rental_offers.yaml", "rental_offers", (
        ID,
        Field("gpu", TEXT, references="gpus", hint="The id of a row in gpus.yaml."),
        Field("provider", TEXT),
        Field("offer", TEXT),
        Field("usd_per_gpu_hour", NUMBER, "USD per GPU-hour", positive=True, maximum=1000),
        Field("billing", CHOICE, choices=("hourly", "per_second")),
        Field("term", CHOICE, required=False, choices=RENTAL_TERMS,
              hint="on_demand (the default when left out), spot (can be taken back at short notice), "
              "reserved_1y or reserved_3y (the hourly price of a one- or three-year commitment)."),
        AS_OF, SOURCE_FIELD, NOTE, HISTORICAL,
    )),
    Table("power_prices.yaml", "power_prices", (
        ID,
        Field("region", TEXT),
        Field("sector", CHOICE, choices=("residential", "commercial", "industrial", "data centre")),
        Field("usd_per_kwh", NUMBER, "USD per kWh", positive=True, maximum=5,
              hint="Dollars, not cents: 12.3 cents is 0.123."),
        AS_OF, SOURCE_FIELD, NOTE, HISTORICAL,
    )),
    Table("model_shapes.yaml", "model_shapes", (
        ID,
        Field("name", TEXT),
        Field("params_billion", NUMBER, "billion parameters", positive=True, maximum=100_000),
        Field("layers", WHOLE, "layers", positive=True),
        Field("attention_heads", WHOLE, "query heads", positive=True),
        Field("kv_heads", WHOLE, "KV heads", positive=True),
        Field("head_dim", WHOLE, "per head", positive=True),
        Field("hidden_size", WHOLE, "per token", required=False, positive=True),
        Field("vocab_size", WHOLE, "tokens", required=False, positive=True),
        Field("tied_embeddings", ANY, required=False, hint="true when the output head is the input embedding."),
        Field("active_params_billion", NUMBER, "billion parameters", required=False, positive=True,
              hint="A mixture of experts: the parameters one token uses, from the model card."),
        Field("experts", WHOLE, "routed experts", required=False, positive=True),
        Field("experts_per_token", WHOLE, "routed experts", required=False, positive=True),
        Field("shared_experts", WHOLE, "experts", required=False),
        Field("moe_layers", WHOLE, "layers", required=False, positive=True,
              hint="Layers with routed experts, when some are dense (DeepSeek's first layers)."),
        Field("kv_latent_dim", WHOLE, "per token and layer", required=False, positive=True,
              hint="Multi-head latent attention: kv_lora_rank + qk_rope_head_dim from config.json."),
        Field("sliding_window", WHOLE, "tokens", required=False, positive=True),
        Field("sliding_window_layers", WHOLE, "layers", required=False),
        AS_OF, SOURCE_FIELD, NOTE,
    ), is_price=False),
    Table("quant_formats.yaml", "quant_formats", (
        ID,
        Field("name", TEXT),
        Field("bits_per_weight", NUMBER, "bits per weight", positive=True, maximum=32,
              hint="Real bits per weight, scales and zero points included (4.85 for q4_k_m, not 4)."),
        Field("embedding_bits", NUMBER, "bits per weight", required=False, positive=True, maximum=32,
              hint="What the embedding and output head are kept at, when it differs (16 for AWQ and GPTQ)."),
        Field("compute", CHOICE, choices=("fp16", "fp8", "fp4"),
              hint="The tensor-core path its multiplies take where the GPU has it (fp16 for weight-only formats)."),
        Field("kv_cache", ANY, required=False, hint="true when a KV cache can be stored in this format."),
        AS_OF, SOURCE_FIELD, NOTE,
    ), is_price=False),
    Table("interconnects.yaml", "interconnects", (
        ID,
        Field("name", TEXT),
        Field("bandwidth_gbs", NUMBER, "GB/s per GPU and direction", positive=True, maximum=100_000),
        Field("latency_us", NUMBER, "microseconds", positive=True, maximum=10_000,
              hint="One small all-reduce (or hop) between GPUs, as measured with nccl-tests."),
        AS_OF, SOURCE_FIELD, NOTE,
    ), is_price=False),
    Table("serving_stacks.yaml", "serving_stacks", (
        ID,
        Field("name", TEXT),
        Field("bandwidth_efficiency", NUMBER, "share", positive=True, maximum=1),
        Field("layer_overhead_us", NUMBER, "microseconds per layer and step"),
        Field("compute_utilisation", NUMBER, "share", positive=True, maximum=1),
        Field("decode_compute_utilisation", NUMBER, "share", positive=True, maximum=1),
        Field("activation_passes", NUMBER, "reads or writes of a token's hidden vector per layer"),
        Field("expert_read_efficiency", NUMBER, "share", positive=True, maximum=1),
        Field("moe_layer_overhead_us", NUMBER, "microseconds per MoE layer and step"),
        Field("memory_utilisation", NUMBER, "share", positive=True, maximum=1),
        Field("reserve_gb", NUMBER, "GB per GPU"),
        Field("max_batch", WHOLE, "sequences", positive=True),
        Field("prefill_chunk_tokens", WHOLE, "tokens", positive=True),
        Field("attention_parallelism", NUMBER, "(sequence, KV head) pairs per GPU", required=False,
              hint="How many the decode attention kernel needs to read the KV cache at full speed; 0 if it "
                   "splits the context."),
        Field("expert_overhead_us", NUMBER, "microseconds per routed expert reached, MoE layer and step",
              required=False),
        Field("fp4_matmul_share", NUMBER, "share", positive=True, maximum=1, required=False,
              hint="FP4 matmuls' speed-up over BF16 as a share of the datasheet's (fitted)."),
        Field("link_efficiency", NUMBER, "share", positive=True, maximum=1, required=False,
              hint="The share of the GPUs' link bandwidth all-reduces reach (fitted)."),
        Field("memory_share_of", TEXT, required=False,
              hint="What memory_utilisation is a share of: total (vLLM) or free, after the weights (TensorRT-LLM)."),
        Field("fp8_matmul_share", NUMBER, "share", positive=True, maximum=1, required=False,
              hint="FP8 matmuls' speed-up over BF16 as a share of the datasheet's (measured, not fitted)."),
        Field("fitted_on", ANY, hint="The ids of the throughput_measurements rows the factors were fitted on."),
        AS_OF, SOURCE_FIELD, NOTE,
    ), is_price=False),
    Table("throughput_measurements.yaml", "throughput_measurements", (
        ID,
        Field("model", TEXT, references="model_shapes"),
        Field("gpu", TEXT, references="gpus"),
        Field("gpus", WHOLE, "GPUs", positive=True),
        Field("parallel", CHOICE, choices=("tensor", "pipeline")),
        Field("quant", TEXT, references="quant_formats"),
        Field("kv_quant", TEXT, references="quant_formats"),
        Field("stack", TEXT, references="serving_stacks"),
        Field("batch", WHOLE, "sequences", required=False, positive=True,
              hint="Sequences in flight; leave it out for the largest batch that fits (a maximum-throughput run)."),
        Field("prompt_tokens", WHOLE, "tokens"),
        Field("output_tokens", WHOLE, "tokens"),
        Field("metric", CHOICE, choices=("decode_tokens_per_second", "prefill_tokens_per_second",
                                         "output_tokens_per_second")),
        Field("value", NUMBER, "tokens/s", positive=True),
        Field("split", CHOICE, choices=("fit", "held-out"),
              hint="fit: the factors were fitted on it; held-out: kept out of the fit, to check it."),
        AS_OF, SOURCE_FIELD, NOTE,
    ), is_price=False),
    Table("scenarios.yaml", "scenarios", (
        ID,
        Field("title", TEXT),
        Field("hours_per_month", NUMBER, "hours", positive=True, maximum=744,
              hint="730 by default; 720 for the seeds' 30-day months."),
        Field("steps", ANY),
        AS_OF, SOURCE_FIELD, NOTE,
    ), is_price=False),
    Table("api_batch_discounts.yaml", "api_batch_discounts", (
        ID,
        Field("provider", TEXT, hint="The provider as api_prices.yaml names it, e.g. openai."),
        Field("batch_discount", NUMBER, "share", positive=True, maximum=0.99,
              hint="The share taken off every token in batch: 0.5 for half price."),
        AS_OF, SOURCE_FIELD, NOTE, HISTORICAL,
    )),
)
