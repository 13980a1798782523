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
        Field("board_watts", NUMBER, "W", positive=True, maximum=10_000),
        Field("purchase_usd", RANGE, "USD", positive=True),
        Field("msrp_usd", NUMBER, "USD", required=False, positive=True),
        Field("launch", DATE, required=False),
        AS_OF, SOURCE_FIELD, NOTE,
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
