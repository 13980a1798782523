"""``make prices``: API prices from genai-prices, written as dated rows into data/api_prices.yaml.

genai-prices (PyPI; pydantic/genai-prices) is the price map Pydantic keeps for LLM APIs. This script
reads the version installed (pinned in requirements.txt) and rewrites the part of data/api_prices.yaml
between its two marker comments, one row per entry of ``TRACKED``; rows outside the markers are written
by hand, each with its own source and date, and are left alone. It prints what changed (rows added,
removed, and each changed field as old -> new), checks the new file with atlas_mkdocs.data before it
keeps it, and writes nothing with ``--dry-run``::

    python -m atlas_mkdocs.data.genai_prices [--dry-run] [--on YYYY-MM-DD] [--data-dir data]

Each row's ``as_of`` is the month the installed genai-prices was released (``RELEASES``: the figures
are that version's), so a row never looks fresher than its source. Prices are the ones genai-prices
says apply at noon UTC on ``--on`` (default today): a price with a start date later than that is not
used, and for a provider with off-peak hours (DeepSeek) noon UTC is standard hours. ``valid_from`` is
the start date genai-prices gives the price, where it gives one. The batch price is genai-prices'
``processing: batch`` variant where it has one; providers that halve every model's price in batch have
a row in data/api_batch_discounts.yaml instead, written by hand.

The library (calculators, build_scripts' plugin) never imports genai-prices: it reads data/ only. Only
this tool does, so genai-prices is pinned in requirements.txt (the repository's tooling) and not in
pyproject.toml (the library's dependencies).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

BEGIN = "  # ---- genai-prices rows: written by `make prices` (build_scripts/data/genai_prices.py); edit there ----"
END = "  # ---- end of genai-prices rows; the rows below are written by hand, each with its source and date ----"
#: When each genai-prices version was published on PyPI (year and month: the day is not in the package).
RELEASES = {"0.2.3": "2026-11"}
LINE_WIDTH = 118


@dataclass(frozen=True)
class Tracked:
    """One row this script keeps: our id, and the provider and model id in genai-prices."""

    id: str
    provider: str
    model: str
    note: str = ""


OPEN_MODEL = "an open-weights model, hosted"
#: The rows genai-prices writes: the frontier APIs of December 2026, and open models as hosted by at least
#: two providers each. Ids of rows that notes quote are kept as they were.
TRACKED: tuple[Tracked, ...] = (
    Tracked("openai/gpt-6-sol", "openai", "gpt-6-sol"),
    Tracked("openai/gpt-5.6-sol", "openai", "gpt-5.6-sol"),
    Tracked("openai/gpt-5.6-terra", "openai", "gpt-5.6-terra"),
    Tracked("openai/gpt-5.6-luna", "openai", "gpt-5.6-luna"),
    Tracked("openai/gpt-5.5", "openai", "gpt-5.5"),
    Tracked("openai/gpt-5.4", "openai", "gpt-5.4"),
    Tracked("openai/gpt-5.2", "openai", "gpt-5.2"),
    Tracked("openai/gpt-5.1", "openai", "gpt-5.1"),
    Tracked("openai/gpt-5", "openai", "gpt-5"),
    Tracked("openai/gpt-5-mini", "openai", "gpt-5-mini"),
    Tracked("openai/o3", "openai", "o3"),
    Tracked("openai/gpt-4.1", "openai", "gpt-4.1"),
    Tracked("openai/gpt-4.1-mini", "openai", "gpt-4.1-mini"),
    Tracked("openai/gpt-4o", "openai", "gpt-4o"),
    Tracked("openai/gpt-4o-mini", "openai", "gpt-4o-mini"),
    Tracked("openai/gpt-4-turbo", "openai", "gpt-4-turbo", "legacy; kept to check the seeds' figures"),
    Tracked("openai/gpt-4-8k", "openai", "gpt-4", "legacy (8k context); kept to check the seeds' figures"),
    Tracked("openai/gpt-4-32k", "openai", "gpt-4-32k", "legacy; kept to check the seeds' figures"),
    Tracked("openai/gpt-3.5-turbo-0125", "openai", "gpt-3.5-turbo",
            "genai-prices' gpt-3.5-turbo, priced as the 0125 snapshot; the alias has had other prices"),
    Tracked("anthropic/claude-opus-5-5", "anthropic", "claude-opus-5-5"),
    Tracked("anthropic/claude-opus-5", "anthropic", "claude-opus-5"),
    Tracked("anthropic/claude-opus-4-5", "anthropic", "claude-opus-4-5"),
    Tracked("anthropic/claude-sonnet-5-5", "anthropic", "claude-sonnet-5-5"),
    Tracked("anthropic/claude-sonnet-4-6", "anthropic", "claude-sonnet-4-6"),
    Tracked("anthropic/claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5",
            "the 1M-context beta was retired on 2026-04-30: prompts over 200k tokens are refused now"),
    Tracked("anthropic/claude-haiku-5-5", "anthropic", "claude-haiku-5-5"),
    Tracked("anthropic/claude-haiku-4-5", "anthropic", "claude-haiku-4-5"),
    Tracked("google/gemini-3.1-pro-preview", "google", "gemini-3.1-pro-preview"),
    Tracked("google/gemini-3.8-flash", "google", "gemini-3.8-flash"),
    Tracked("google/gemini-3.5-flash", "google", "gemini-3.5-flash"),
    Tracked("google/gemini-3-flash-preview", "google", "gemini-3-flash-preview"),
    Tracked("google/gemini-2.5-pro", "google", "gemini-2.5-pro"),
    Tracked("google/gemini-2.5-flash", "google", "gemini-2.5-flash"),
    Tracked("mistral/mistral-large", "mistral", "mistral-large"),
    Tracked("mistral/mistral-large-4", "mistral", "mistral-large-4"),
    Tracked("deepseek/deepseek-v4-pro", "deepseek", "deepseek-v4-pro", "standard hours; DeepSeek is cheaper off-peak"),
    Tracked("deepseek/deepseek-v4-flash", "deepseek", "deepseek-v4-flash",
            "standard hours; DeepSeek is cheaper off-peak"),
    Tracked("deepseek/deepseek-v3.2", "deepseek", "deepseek-v3.2", "standard hours; DeepSeek is cheaper off-peak"),
    Tracked("fireworks/deepseek-v4-pro", "fireworks", "deepseek-v4-pro", OPEN_MODEL),
    Tracked("together/deepseek-v4-pro-0813", "together", "deepseek-ai/DeepSeek-V4-Pro-0813", OPEN_MODEL),
    Tracked("fireworks/deepseek-v4-flash", "fireworks", "deepseek-v4-flash", OPEN_MODEL),
    Tracked("fireworks/deepseek-v3.2", "fireworks", "deepseek-v3p2", OPEN_MODEL),
    Tracked("groq/gpt-oss-120b", "groq", "openai/gpt-oss-120b", OPEN_MODEL),
    Tracked("together/gpt-oss-120b", "together", "openai/gpt-oss-120b", OPEN_MODEL),
    Tracked("fireworks/gpt-oss-120b", "fireworks", "gpt-oss-120b", OPEN_MODEL),
    Tracked("cerebras/gpt-oss-120b", "cerebras", "gpt-oss-120b", OPEN_MODEL),
    Tracked("baseten/gpt-oss-120b", "baseten", "openai/gpt-oss-120b", OPEN_MODEL),
    Tracked("groq/gpt-oss-20b", "groq", "openai/gpt-oss-20b", OPEN_MODEL),
    Tracked("fireworks/gpt-oss-20b", "fireworks", "gpt-oss-20b", OPEN_MODEL),
    Tracked("groq/qwen3-32b", "groq", "qwen/qwen3-32b", OPEN_MODEL),
    Tracked("aws/qwen3-32b", "aws", "qwen.qwen3-32b-v1:0", OPEN_MODEL + " on Amazon Bedrock"),
    Tracked("fireworks/qwen3-235b-a22b", "fireworks", "qwen3-235b-a22b", OPEN_MODEL),
    Tracked("groq/llama-4-maverick", "groq", "meta-llama/llama-4-maverick-17b-128e-instruct", OPEN_MODEL),
    Tracked("together/llama-4-maverick", "together", "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8",
            OPEN_MODEL + " at FP8"),
    Tracked("databricks/llama-4-maverick", "databricks", "databricks-llama-4-maverick", OPEN_MODEL),
    Tracked("groq/llama-4-scout", "groq", "meta-llama/llama-4-scout-17b-16e-instruct", OPEN_MODEL),
    Tracked("together/llama-4-scout", "together", "meta-llama/Llama-4-Scout-17B-16E-Instruct", OPEN_MODEL),
    Tracked("cloudflare/llama-4-scout", "cloudflare", "@cf/meta/llama-4-scout-17b-16e-instruct", OPEN_MODEL),
    Tracked("together/llama-3.3-70b-instruct-turbo", "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo",
            OPEN_MODEL),
    Tracked("groq/llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile", OPEN_MODEL),
)

#: genai-prices' price keys, and the fields of data/api_prices.yaml they fill.
PRICE_FIELDS = (
    ("input_mtok", "input_per_million_usd"),
    ("output_mtok", "output_per_million_usd"),
    ("cache_read_mtok", "cached_input_per_million_usd"),
    ("cache_write_mtok", "cache_write_5m_per_million_usd"),
    ("cache_write_1h_mtok", "cache_write_1h_per_million_usd"),
)
FIELD_ORDER = ("id", "provider", "model", "input_per_million_usd", "output_per_million_usd",
               "cached_input_per_million_usd", "cache_write_5m_per_million_usd", "cache_write_1h_per_million_usd",
               "batch_input_per_million_usd", "batch_output_per_million_usd", "long_context", "valid_from", "as_of",
               "note", "source")


class PricesError(Exception):
    """genai-prices cannot give a row as data/api_prices.yaml needs it; the message says which and why."""


def _number(value: Decimal) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


def _split(price: object, where: str) -> tuple[Decimal, tuple[int, Decimal] | None]:
    """Give back (base price, (tier start, tier price) or None) of a flat or one-tier genai-prices price."""
    tiers = getattr(price, "tiers", None)
    if tiers is None:
        return price, None  # type: ignore[return-value]
    if len(tiers) != 1:
        raise PricesError(f"{where}: {len(tiers)} prompt-size tiers; the engine models one long-context tier")
    return price.base, (tiers[0].start, tiers[0].price)  # type: ignore[attr-defined]


def row_for(track: Tracked, providers: Sequence[object], on: dt.date, as_of: str, version: str) -> dict[str, object]:
    """Give back the data/api_prices.yaml row for ``track`` from genai-prices' providers, as applies on ``on``."""
    provider = next((p for p in providers if p.id == track.provider), None)
    if provider is None:
        raise PricesError(f"{track.id}: genai-prices {version} has no provider {track.provider!r}")
    model = next((m for m in provider.models if m.id == track.model), None)
    if model is None:
        raise PricesError(f"{track.id}: genai-prices {version} has no model {track.model!r} under {track.provider!r}")
    noon = dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)
    standard = model.get_prices(noon)
    batch = model.get_prices(noon, {"processing": "batch"})
    row: dict[str, object] = {"id": track.id, "provider": track.provider, "model": track.model}
    tier: dict[str, object] = {}
    for key, name in PRICE_FIELDS:
        price = getattr(standard, key, None)
        if price is None:
            continue
        base, step = _split(price, f"{track.id} {key}")
        row[name] = _number(base)
        if step is not None:
            start = tier.setdefault("above_input_tokens", step[0])
            if start != step[0]:
                raise PricesError(f"{track.id}: its prices change at different prompt sizes ({start}, {step[0]})")
            tier[name] = _number(step[1])
    for name in ("input_per_million_usd", "output_per_million_usd"):
        if name not in row:
            raise PricesError(f"{track.id}: genai-prices {version} gives no {name.split('_')[0]} token price")
    if tier:
        missing = [name for name in ("input_per_million_usd", "output_per_million_usd") if name not in tier]
        if missing:
            raise PricesError(f"{track.id}: its long-context tier has no {missing[0]}")
        row["long_context"] = tier
    if batch.input_mtok is not standard.input_mtok and batch.output_mtok is not standard.output_mtok:
        row["batch_input_per_million_usd"] = _number(_split(batch.input_mtok, track.id)[0])
        row["batch_output_per_million_usd"] = _number(_split(batch.output_mtok, track.id)[0])
    started = _start_date(model, noon)
    if started is not None:
        row["valid_from"] = started
    row["as_of"] = as_of
    notes = [track.note] if track.note else []
    if model.deprecated:
        notes.append("deprecated by the provider")
    if notes:
        row["note"] = "; ".join(notes)
    urls = getattr(provider, "pricing_urls", None) or []
    row["source"] = f"genai-prices {version} ({track.provider} {track.model})" + (f"; {urls[0]}" if urls else "")
    return {name: row[name] for name in FIELD_ORDER if name in row}


def _start_date(model: object, noon: dt.datetime) -> dt.date | None:
    """Give back the start date of the dated price in force at ``noon``, as genai-prices chooses it."""
    prices = getattr(model, "prices", None)
    if not isinstance(prices, list):
        return None
    for conditional in reversed(prices):
        constraint = conditional.constraint
        if constraint is None or constraint.active(noon):
            return getattr(constraint, "start_date", None)
    return None


# ---- writing YAML -------------------------------------------------------------------------------------

PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/@-]*$")


def _scalar(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    text = str(value)
    if PLAIN.match(text) and yaml.safe_load(text) == text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(row: Mapping[str, object]) -> str:
    return "{" + ", ".join(f"{key}: {_flow(value) if isinstance(value, Mapping) else _scalar(value)}"
                           for key, value in row.items()) + "}"


def format_row(row: Mapping[str, object]) -> str:
    """Give back one row as the file writes it: a flow mapping, wrapped at LINE_WIDTH."""
    parts = [f"{key}: {_flow(value) if isinstance(value, Mapping) else _scalar(value)}" for key, value in row.items()]
    lines, line = [], "  - {"
    for index, part in enumerate(parts):
        piece = part + ("}" if index == len(parts) - 1 else ",")
        if len(line) + len(piece) + 1 > LINE_WIDTH and line.strip() not in ("- {",):
            lines.append(line.rstrip())
            line = "     "
        line += piece if line.endswith(("{", " ")) else " " + piece
    lines.append(line)
    return "\n".join(lines)


def replace_region(text: str, rows: Sequence[Mapping[str, object]], label: str) -> str:
    """Give back ``text`` with the rows between the marker comments replaced by ``rows``."""
    lines = text.split("\n")
    try:
        begin, end = lines.index(BEGIN), lines.index(END)
    except ValueError:
        raise PricesError(f"{label}: the marker comments are missing; put these two lines under 'api_prices:'"
                          f"\n{BEGIN}\n{END}") from None
    if end < begin:
        raise PricesError(f"{label}: the end marker comes before the begin marker")
    body = [format_row(row) for row in rows]
    return "\n".join(lines[:begin + 1] + body + lines[end:])


# ---- what changed -------------------------------------------------------------------------------------

def _flat(row: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def changes(old: Sequence[Mapping[str, object]], new: Sequence[Mapping[str, object]]) -> list[str]:
    """Give back what changed between two lists of rows, a line each: + id, - id, ~ id: field old -> new."""
    before = {row["id"]: _flat(row) for row in old}
    after = {row["id"]: _flat(row) for row in new}
    lines = [f"+ {row_id}" for row_id in after if row_id not in before]
    lines += [f"- {row_id}" for row_id in before if row_id not in after]
    for row_id, fields in after.items():
        if row_id not in before:
            continue
        for name in dict.fromkeys([*before[row_id], *fields]):
            was, now = before[row_id].get(name, "(none)"), fields.get(name, "(none)")
            if was != now and str(was) != str(now):  # 10.0 and 10 are one price
                lines.append(f"~ {row_id}: {name} {was} -> {now}")
    return lines


def _previous_rows(text: str, new_ids: set[str]) -> list[Mapping[str, object]]:
    """Give back the rows this script wrote last time, and any hand-written row it now writes instead."""
    lines = text.split("\n")
    inside = "\n".join(lines[lines.index(BEGIN) + 1:lines.index(END)]) if BEGIN in lines and END in lines else ""
    ours = {row["id"] for row in (yaml.safe_load("rows:\n" + inside)["rows"] or [])} if inside.strip() else set()
    every = (yaml.safe_load(text) or {}).get("api_prices") or []
    return [row for row in every if isinstance(row, Mapping) and (row.get("id") in ours or row.get("id") in new_ids)]


# ---- the command --------------------------------------------------------------------------------------

def update(data_dir: Path, on: dt.date, dry_run: bool = False, out=sys.stdout) -> list[str]:
    """Rewrite the genai-prices rows of ``data_dir``/api_prices.yaml; give back (and print) what changed."""
    import genai_prices
    from genai_prices.data import providers

    from atlas_mkdocs.data import DataError, load_data

    version = genai_prices.__version__
    if version not in RELEASES:
        raise PricesError(f"genai-prices {version} is installed, and RELEASES does not say when it was "
                          f"released; add it to RELEASES in {__name__} (pinned: {', '.join(RELEASES)})")
    path = data_dir / "api_prices.yaml"
    label = f"{data_dir.name}/api_prices.yaml"
    text = path.read_text(encoding="utf-8")
    rows = [row_for(track, providers, on, RELEASES[version], version) for track in TRACKED]
    new_text = replace_region(text, rows, label)
    found = changes(_previous_rows(text, {row["id"] for row in rows}), rows)
    print(f"genai-prices {version} (released {RELEASES[version]}), prices in force on {on.isoformat()}: "
          f"{len(rows)} rows, {len(found)} change{'s' if len(found) != 1 else ''}", file=out)
    for line in found:
        print(f"  {line}", file=out)
    if dry_run or new_text == text:
        return found
    path.write_text(new_text, encoding="utf-8")
    try:
        load_data(data_dir, today=on)
    except DataError as error:
        path.write_text(text, encoding="utf-8")
        raise PricesError(f"{label} would not validate, so it was left as it was:\n{error}") from None
    print(f"wrote {label}", file=out)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``make prices``; give back the exit status (0, or 1 with the reason on stderr)."""
    parser = argparse.ArgumentParser(prog="python -m atlas_mkdocs.data.genai_prices",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parents[2] / "data")
    parser.add_argument("--on", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="use the prices in force on this date (YYYY-MM-DD; default today)")
    parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    args = parser.parse_args(argv)
    try:
        update(args.data_dir, args.on, args.dry_run)
    except (PricesError, ImportError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
