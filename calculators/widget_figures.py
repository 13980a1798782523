"""The figures some calculators draw beside their results: SVG charts and HTML tables."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from atlas_mkdocs.engine.charts import Line, Marker, line_chart, tornado_chart
from atlas_mkdocs.engine.compare import cost_series, three_options
from atlas_mkdocs.engine.formatting import format_value


def money_axis(value: float) -> str:
    return "$" + (f"{value / 1000:g}k" if abs(value) >= 1000 else f"{value:g}")


def break_even_chart(values: Mapping[str, Any], results: Mapping[str, Any]) -> str:
    options = three_options(values)
    # Wide enough to show the reader's volume and every crossing the results name.
    crossings = [results[key] for key in ("api_vs_rented_tokens_per_day", "api_vs_own_tokens_per_day")
                 if results[key] is not None]
    top = max([values["tokens_per_day"] * 1.5, 1000.0] + [c * 1.25 for c in crossings])
    series = cost_series(options, top, points=121)
    markers = [Marker(c.tokens_per_day, c.monthly_cost_usd, f"{a} = {b} at {compact_tokens(c.tokens_per_day)}/day")
               for a, b, c in series.crossings if c.kind == "equal"][:4]
    return line_chart(
        "Monthly cost against daily volume", "tokens per day", "$ per month (730 h)",
        [Line(line.name, series.tokens_per_day, line.monthly_cost_usd) for line in series.lines],
        markers, y_format=money_axis)


def compact_tokens(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def utilisation_chart(values: Mapping[str, Any], results: Mapping[str, Any]) -> str:
    shares = [i / 100 for i in range(5, 101)]
    full_use = results["cost_per_million_tokens_at_full_use"]
    api = values["api_per_million_usd"]
    lines = [Line("Own or rented GPU", [s * 100 for s in shares], [full_use / s for s in shares]),
             Line("Cloud API", [5, 100], [api, api])]
    markers = [Marker(values["utilisation_percent"], results["cost_per_million_tokens"], "you are here")]
    breakeven = results["break_even_utilisation"]
    if breakeven is not None and 0.05 <= breakeven <= 1:
        markers.append(Marker(breakeven * 100, api, f"same as the API at {breakeven * 100:.0f}%"))
    return line_chart("Cost per 1M tokens against utilisation", "utilisation, %", "$ per 1M tokens",
                      lines, markers, x_format=lambda v: f"{v:g}%", y_format=money_axis)


def vram_table(values: Mapping[str, Any], results: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(fit['gpu'])}</td><td>{fit['vram_gb']:g} GB</td>"
        f"<td>{'yes' if fit['fits_one'] else 'no'}</td>"
        f"<td>{fit['gpus_needed'] if fit['gpus_needed'] is not None else 'more than 16'}</td></tr>"
        for fit in results["gpu_fits"])
    return ('<table><caption>Which GPUs hold it, and how many of each (1, 2, 4, 8 or 16: tensor parallelism '
            "splits every layer evenly)</caption>"
            "<thead><tr><th>GPU</th><th>Memory</th><th>Fits on one</th><th>Cards needed</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def tornado(values: Mapping[str, Any], results: Mapping[str, Any]) -> str:
    rows = [(row["input"], row["at_low_usd"], row["at_high_usd"]) for row in results["sensitivity"]]
    return tornado_chart("What moves the cost per 1M tokens most", results["base_usd"], rows,
                         value_format=lambda x: f"${x:.3g}")


DECISION_NAMES = {"api": "Cloud API", "rented": "Rented GPUs", "owned": "Own hardware"}


def decision_figure(values: Mapping[str, Any], results: Mapping[str, Any]) -> str:
    found = results["_decision"]
    rows = "".join(
        f"<tr><td>{escape(option.name)}</td>"
        f"<td>{escape(format_value('usd', option.monthly_cost_usd) if option.available else 'out')}</td>"
        f"<td>{escape(format_value('usd', option.staff_per_month_usd) if option.available else '')}</td>"
        f"<td>{escape(results[key + '_setup'])}</td></tr>"
        for key, option in zip(DECISION_NAMES, found.options))
    table = ("<table><caption>Each option at your volume ($/month, 730 h; staff included)</caption>"
             "<thead><tr><th>Option</th><th>Per month</th><th>Of which staff</th><th>Set-up</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    levers = "".join(f"<li>{escape(text)}</li>" for text in found.what_would_change)
    change = f'<p class="atlas-calculator__note">What would change the answer:</p><ul>{levers}</ul>'
    curves = [option.curve for option in found.options if option.curve is not None]
    if not curves:
        return table + change
    volume = values["tokens_per_day"]
    marks = [v for v in (found.changes_above_tokens_per_day, found.changes_below_tokens_per_day) if v is not None]
    top = max([volume * 1.5, 1000.0] + [v * 1.25 for v in marks])
    xs = [top * i / 120 for i in range(121)]
    lines = [Line(curve.name, xs, [curve.monthly_cost(x) for x in xs]) for curve in curves]
    cheapest = {curve.name: curve for curve in curves}
    markers = [Marker(volume, cheapest[found.cheapest].monthly_cost(volume), "your volume")] if found.cheapest else []
    markers += [Marker(v, min(c.monthly_cost(v) for c in curves), f"order changes at {compact_tokens(v)}/day")
                for v in marks]
    chart = line_chart("Monthly cost against daily volume", "tokens per day", "$ per month (730 h)", lines, markers,
                       y_format=money_axis)
    return table + change + chart
