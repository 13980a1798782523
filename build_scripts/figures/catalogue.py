"""One page per GPU and per model, written from data/ when the site is built: nobody edits them by hand.

Each page is a note in Markdown like any other, so it goes through the same extensions: every figure on
it is a ```datatable block or a build-time expression that the engine computes from data/ as the page is
rendered, never a number written here. A GPU's page holds its specifications, its purchase and rental
prices with their dates (and a chart of the rental prices where data/ holds several dates), which models
it holds at three precisions, the measurements made on it beside the engine's estimate, and links to the
notes that use it. A model's page holds its shape, how many of each GPU it needs, its speed where it
fits, the API prices of the providers that host it, its measurements, and the same links.

The pages live under one folder of the site (plugin option ``catalogue``, default "Catalogue"), with an
index listing them all. A note of the vault at the same path wins: the generated page is left out and
the build says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

#: The precisions a GPU's "which models fit" table shows, as rows of quant_formats.yaml.
PRECISIONS = (("bf16", "BF16"), ("fp8", "FP8"), ("awq-int4", "4-bit (AWQ)"))
#: The context every sizing on these pages assumes: the shortest any model of data/ supports (Llama 2).
CONTEXT_TOKENS = 4096
#: The request the speed tables assume.
PROMPT_TOKENS, OUTPUT_TOKENS = 1000, 200


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (titles hold colons and quotes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fence(lines: list[str]) -> str:
    return "\n".join(["```datatable", *lines, "```", ""])


def _sizing_columns(model: str, gpu: str) -> list[str]:
    """The "GPUs at BF16 / FP8 / 4-bit" columns of a table, one of ``model`` and ``gpu`` being ``row.id``."""
    return [f"  - {{expr: \"sizing(model={model}, gpu={gpu}, quant={quant}, context_tokens={CONTEXT_TOKENS})"
            f".gpus_needed\", label: \"GPUs at {label}\", format: int, none: more than 16}}" for quant, label in PRECISIONS]


def _measurements(where: str, shown: str) -> str:
    """The measurements of ``where`` (``gpu: KEY`` or ``model: KEY``) beside the engine's estimate."""
    return _fence(["table: throughput_measurements", "columns:", f"  - {shown}", "  - gpus", "  - quant",
                   "  - stack", "  - batch", "  - metric",
                   "  - {field: value, label: Measured (tokens/s), format: number1}",
                   "  - {expr: \"calibration(measurement=row.id).estimated\", label: Engine, format: number1}",
                   "  - {expr: \"calibration(measurement=row.id).ratio\", label: Ratio, format: number2}",
                   "  - {field: split, label: Split}", f"where: {{{where}}}", f"sort: {shown}"])


def uses(sources: Mapping[Any, str], keys: list[str]) -> list[str]:
    """Give back the vault paths (sorted) of the notes whose figures, tables or calculators name one of
    ``keys`` (a row's id, or the id of a row that refers to it): ``data.gpus[KEY]``, ``gpu: KEY``,
    ``model=KEY`` and the like, not the word in running text."""
    names = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    pattern = re.compile(r"(?:\[|\b(?:gpu|model|measurement|where)\s*[:=]\s*[\"'{]?\s*(?:gpu\s*:\s*)?)(?:" + names
                         + r")(?![\w.-])")
    return sorted(str(path) for path, text in sources.items() if text and pattern.search(text))


def _used_in(sources: Mapping[Any, str], keys: list[str], folder: str) -> str:
    notes = [path for path in uses(sources, keys) if not path.startswith(folder + "/")]
    if not notes:
        return "No note of this site uses it yet.\n"
    return "\n".join(f"- [[{path[:-3]}|{path[:-3].rsplit('/', 1)[-1]}]]" for path in notes) + "\n"


def gpu_page(gpu: Mapping[str, object], data: Any, sources: Mapping[Any, str], folder: str,
             fits: Callable[[str, str, str], int | None]) -> str:
    """Give back the Markdown of one GPU's page."""
    key, name = str(gpu["id"]), str(gpu["name"])
    parts = ["---", f"title: {_quote(name)}",
             f"description: {_quote(name + ': specifications, prices with their dates, the models it holds and its measured speed, from data/.')}",
             "---", "", f"# {name}", "",
             f"This page is written from `data/` each time the site is built (the row `{key}` of `data/gpus.yaml`"
             " and the rows that name it); every figure is computed then, with its source and date.", "",
             "## Specifications", "",
             _fence(["table: gpus", "columns:",
                     "  - {field: vram_gb, label: Memory (GB), format: number0}",
                     "  - {field: memory_bandwidth_gbs, label: Bandwidth (GB/s), format: int}",
                     "  - {field: fp16_dense_tflops, label: BF16 dense TFLOPS, format: int}",
                     "  - {field: fp8_dense_tflops, label: FP8 dense TFLOPS, format: int}",
                     "  - {field: board_watts, label: Board power (W), format: int}",
                     "  - {field: purchase_usd, label: Purchase (USD), format: usd0}",
                     f"where: {{id: {key}}}"])]
    offers = [row for row in data.rental_offers if row["gpu"] == key]
    parts += ["## To rent", ""]
    if offers:
        dates = {str(row["as_of"]) for row in offers}
        chart = [f"chart: {{y: usd_per_gpu_hour, series: term, title: {_quote(name + ' rental prices by date')}}}"
                 ] if len(dates) > 1 else []
        parts += [f"Every offer `data/rental_offers.yaml` holds for the {name}, cheapest first: on demand, spot "
                  "(the provider can take the GPU back at short notice) and reserved (the hourly price of a "
                  "commitment). A price older than 180 days is marked stale.", "",
                  _fence(["table: rental_offers", "columns:", "  - provider", "  - offer",
                          "  - {field: term, label: Term}",
                          "  - {field: usd_per_gpu_hour, label: $ per GPU-hour, format: usd}",
                          f"where: {{gpu: {key}}}", "sort: usd_per_gpu_hour", *chart])]
    else:
        parts += ["`data/rental_offers.yaml` holds no rental offer for it yet.", ""]
    parts += ["## Which models it holds", "",
              f"How many of these GPUs each model needs, by the engine's sizing: weights, the KV cache of one "
              f"{CONTEXT_TOKENS:,}-token sequence and the runtime's reserve, split by tensor parallelism over 1, 2, "
              "4 or 8 GPUs of one server, or 16 over two. \"More than 16\" is more than that holds.", "",
              _fence(["table: model_shapes", "columns:", "  - {field: name, label: Model}",
                      *_sizing_columns("row.id", f"'{key}'"),
                      "sort: params_billion"])]
    measured = [row for row in data.throughput_measurements if row["gpu"] == key]
    if measured:
        parts += ["## Measured on it", "",
                  "Published and our own throughput measurements on this GPU, beside the engine's estimate for the "
                  "same model, precision, batch and serving stack; rows marked held-out were kept out of the fit of "
                  "the engine's factors (`data/serving_stacks.yaml`).", "",
                  _measurements(f"gpu: {key}", "model")]
    keys = [key, *(str(row["id"]) for row in offers), *(str(row["id"]) for row in measured)]
    parts += ["## In the notes", "", "The notes whose figures, tables or calculators use it or its prices:", "",
              _used_in(sources, keys, folder)]
    return "\n".join(parts)


def model_page(model: Mapping[str, object], data: Any, sources: Mapping[Any, str], folder: str,
               fits: Callable[[str, str, str], int | None]) -> str:
    """Give back the Markdown of one model's page."""
    key, name = str(model["id"]), str(model["name"])
    moe = model.get("experts") is not None
    shape_columns = ["  - {field: params_billion, label: Parameters (billion), format: number1}"]
    if moe:
        shape_columns += ["  - {field: active_params_billion, label: Active per token (billion), format: number1}",
                          "  - {field: experts, label: Experts}",
                          "  - {field: experts_per_token, label: Experts per token}"]
    shape_columns += ["  - {field: layers, label: Layers}", "  - {field: attention_heads, label: Query heads}",
                      "  - {field: kv_heads, label: KV heads}", "  - {field: head_dim, label: Head size}"]
    kind = "a mixture of experts: every weight is held in memory, but each token reads only its experts" \
        if moe else "a dense model: every token reads every weight"
    parts = ["---", f"title: {_quote(name)}",
             f"description: {_quote(name + ': shape, the GPUs it needs, its speed and its API prices, from data/.')}",
             "---", "", f"# {name}", "",
             f"This page is written from `data/` each time the site is built (the row `{key}` of "
             "`data/model_shapes.yaml` and the rows that name it); every figure is computed then.", "",
             "## Shape", "", f"It is {kind}.", "",
             _fence(["table: model_shapes", "columns:", *shape_columns, f"where: {{id: {key}}}"]),
             "## GPUs it needs", "",
             f"By the engine's sizing, with one {CONTEXT_TOKENS:,}-token sequence and the runtime's reserve, split by "
             "tensor parallelism over 1, 2, 4 or 8 GPUs of one server, or 16 over two.", "",
             _fence(["table: gpus", "columns:", "  - {field: name, label: GPU}",
                     *_sizing_columns(f"'{key}'", "row.id"),
                     "sort: vram_gb"])]
    holding = [str(gpu["id"]) for gpu in data.gpus if fits(key, str(gpu["id"]), "fp8") is not None]
    if holding:
        sizing = f"sizing(model='{key}', gpu=row.id, quant=fp8, context_tokens={CONTEXT_TOKENS}).gpus_needed"
        run = (f"throughput(model='{key}', gpu=row.id, quant=fp8, gpus={sizing}, prompt_tokens={PROMPT_TOKENS}, "
               f"output_tokens={OUTPUT_TOKENS}")
        parts += ["## Speed where it fits", "",
                  f"The engine's estimate with FP8 weights on the fewest GPUs that hold it, under vLLM, for requests "
                  f"of {PROMPT_TOKENS:,} prompt and {OUTPUT_TOKENS} output tokens: one request alone, and 32 at once "
                  "(continuous batching; output tokens per second over all of them).", "",
                  _fence(["table: gpus", "columns:", "  - {field: name, label: GPU}",
                          f"  - {{expr: \"{sizing}\", label: GPUs, format: int}}",
                          f"  - {{expr: \"{run}, batch=1).decode_tokens_per_second\", label: Tokens/s (one request), format: number0}}",
                          f"  - {{expr: \"{run}, batch=1).time_to_first_token_s\", label: First token (s), format: number2}}",
                          f"  - {{expr: \"{run}, batch=32).output_tokens_per_second\", label: Tokens/s (32 requests), format: number0}}",
                          f"where: {{id: [{', '.join(holding)}]}}", "sort: vram_gb"])]
    hosted = sorted({str(row["model"]) for row in data.api_prices
                     if str(row["model"]).rsplit("/", 1)[-1] == key and not row.get("historical")})
    if hosted:
        parts += ["## Through an API", "",
                  f"Providers that host {name}, as `data/api_prices.yaml` prices them, cheapest output first.", "",
                  _fence(["table: api_prices", "columns:", "  - provider",
                          "  - {field: input_per_million_usd, label: $ per 1M input tokens, format: usd}",
                          "  - {field: output_per_million_usd, label: $ per 1M output tokens, format: usd}",
                          f"where: {{model: [{', '.join(_quote(m) for m in hosted)}]}}", "sort: output_per_million_usd"])]
    measured = [row for row in data.throughput_measurements if row["model"] == key]
    if measured:
        parts += ["## Measured", "",
                  "Published and our own measurements of this model, beside the engine's estimate for the same "
                  "GPU, precision, batch and serving stack.", "",
                  _measurements(f"model: {key}", "gpu")]
    keys = [key, *(str(row["id"]) for row in measured),
            *(str(row["id"]) for row in data.api_prices if str(row["model"]) in hosted)]
    parts += ["## In the notes", "", "The notes whose figures, tables or calculators use it or its prices:", "",
              _used_in(sources, keys, folder)]
    return "\n".join(parts)


def index_page(data: Any, folder: str) -> str:
    """Give back the Markdown of the catalogue's index: every GPU and model, with links to their pages."""
    gpus = "\n".join(f"- [[{folder}/GPUs/{row['id']}|{row['name']}]]"
                     for row in sorted(data.gpus, key=lambda r: str(r["name"]).casefold()))
    models = "\n".join(f"- [[{folder}/Models/{row['id']}|{row['name']}]]"
                       for row in sorted(data.model_shapes, key=lambda r: str(r["name"]).casefold()))
    return "\n".join(["---", "title: GPUs and models",
                      "description: One page per GPU and per model of data/, written when the site is built.",
                      "---", "", "# GPUs and models", "",
                      "One page for each GPU and each model in `data/`, written when the site is built: specifications, "
                      "prices with their dates, what fits where, the engine's speed estimates and the measurements "
                      "they are checked against.", "", "## GPUs", "", gpus, "", "## Models", "", models, ""])


def catalogue_notes(data: Any, sources: Mapping[Any, str], folder: str,
                    fits: Callable[[str, str, str], int | None]) -> dict[str, str]:
    """Give back {vault path: Markdown} of the catalogue's pages.

    ``fits(model, gpu, quant)`` gives the number of GPUs the engine's sizing needs, or None when no
    tensor-parallel size holds it: the speed tables list only the GPUs that hold the model.
    """
    folder = folder.strip("/")
    notes = {f"{folder}/index.md": index_page(data, folder)}
    for gpu in data.gpus:
        notes[f"{folder}/GPUs/{gpu['id']}.md"] = gpu_page(gpu, data, sources, folder, fits)
    for model in data.model_shapes:
        notes[f"{folder}/Models/{model['id']}.md"] = model_page(model, data, sources, folder, fits)
    return notes
