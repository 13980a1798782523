"""SVG charts drawn in pure Python, so the build and the browser draw the very same picture.

Colours come from CSS classes (atlas.css), so a chart follows the page's light or dark scheme. Every
chart carries a title and a text description for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 28, 40, 48


@dataclass(frozen=True)
class Line:
    """One series of a line chart."""

    name: str
    xs: Sequence[float]
    ys: Sequence[float]


@dataclass(frozen=True)
class Marker:
    """A labelled point on a line chart, such as a break-even crossing."""

    x: float
    y: float
    label: str


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Give back round tick values covering [low, high]: 0, 2,000, 4,000 rather than 0, 1,873, ..."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low, low + 1]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = [round(start, 10)]
    while ticks[-1] < high - step * 1e-9:  # the last tick at or above high: nothing is drawn past the axis
        ticks.append(round(start + len(ticks) * step, 10))
    return ticks


def compact(value: float) -> str:
    """Give back a short axis label: 1.5k, 20M, 3B."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def line_chart(title: str, x_label: str, y_label: str, lines: Sequence[Line], markers: Sequence[Marker] = (),
               x_format: Callable[[float], str] = compact, y_format: Callable[[float], str] = compact,
               dots: bool = False) -> str:
    """Give back an SVG line chart of ``lines`` with ``markers`` circled and labelled; with ``dots``, a dot
    for each point and no line (dated prices of several offers: a line joining them would invent a trend)."""
    xs = [x for line in lines for x in line.xs]
    ys = [y for line in lines for y in line.ys if math.isfinite(y)]
    x_ticks = nice_ticks(min(xs), max(xs), 4 if dots else 5)
    y_ticks = nice_ticks(0.0, max(ys) if ys else 1.0)
    x0, x1, y0, y1 = x_ticks[0], x_ticks[-1], y_ticks[0], y_ticks[-1]

    def px(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT)

    def py(y: float) -> float:
        return HEIGHT - BOTTOM - (min(y, y1) - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM)

    parts = _frame(title, x_label, y_label)
    for tick in y_ticks:
        parts.append(f'<line class="atlas-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{py(tick):.1f}" y2="{py(tick):.1f}"/>')
        parts.append(f'<text class="atlas-chart__tick" x="{LEFT - 6}" y="{py(tick) + 4:.1f}" text-anchor="end">{escape(y_format(tick))}</text>')
    for tick in x_ticks:
        parts.append(f'<text class="atlas-chart__tick" x="{px(tick):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(x_format(tick))}</text>')
    for index, line in enumerate(lines):
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(line.xs, line.ys) if math.isfinite(y))
        if not dots:
            parts.append(f'<polyline class="atlas-chart__line atlas-chart__line--{index % 4}" points="{points}"/>')
        else:
            parts.extend(f'<circle class="atlas-chart__line atlas-chart__line--{index % 4}" cx="{px(x):.1f}" '
                         f'cy="{py(y):.1f}" r="3.5"/>' for x, y in zip(line.xs, line.ys) if math.isfinite(y))
        # The legend runs along the top margin, clear of the lines.
        legend_x = LEFT + sum(40 + 7 * len(previous.name) for previous in lines[:index])
        parts.append(f'<line class="atlas-chart__line atlas-chart__line--{index % 4}" x1="{legend_x}" x2="{legend_x + 18}" y1="14" y2="14"/>')
        parts.append(f'<text class="atlas-chart__legend" x="{legend_x + 22}" y="18">{escape(line.name)}</text>')
    for marker in markers:
        if x0 <= marker.x <= x1 and y0 <= marker.y <= y1:
            parts.append(f'<circle class="atlas-chart__marker" cx="{px(marker.x):.1f}" cy="{py(marker.y):.1f}" r="5"/>')
            anchor = "end" if px(marker.x) > WIDTH * 0.7 else "start"
            dx = -8 if anchor == "end" else 8
            parts.append(f'<text class="atlas-chart__marker-label" x="{px(marker.x) + dx:.1f}" y="{py(marker.y) - 8:.1f}" text-anchor="{anchor}">{escape(marker.label)}</text>')
    description = "; ".join(
        f"{line.name}: from {y_format(line.ys[0])} to {y_format(line.ys[-1])}" for line in lines if line.ys
    )
    if markers:
        description += ". Marked: " + "; ".join(marker.label for marker in markers)
    return _close(parts, title, description)


def tornado_chart(title: str, base: float, rows: Sequence[tuple[str, float, float]],
                  value_format: Callable[[float], str] = compact) -> str:
    """Give back an SVG tornado chart: one bar per input from its low-end to its high-end output."""
    values = [base] + [v for _, low, high in rows for v in (low, high)]
    ticks = nice_ticks(min(values), max(values))
    x0, x1 = ticks[0], ticks[-1]
    height = TOP + BOTTOM + 26 * max(len(rows), 1)
    left = 200

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (WIDTH - left - RIGHT)

    parts = [f'<svg class="atlas-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{{id}}-title {{id}}-desc" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<title id="{{id}}-title">{escape(title)}</title>')
    for tick in ticks:
        parts.append(f'<line class="atlas-chart__grid" x1="{px(tick):.1f}" x2="{px(tick):.1f}" y1="{TOP}" y2="{height - BOTTOM}"/>')
        parts.append(f'<text class="atlas-chart__tick" x="{px(tick):.1f}" y="{height - BOTTOM + 16}" text-anchor="middle">{escape(value_format(tick))}</text>')
    for index, (label, low, high) in enumerate(rows):
        y = TOP + 26 * index
        a, b = sorted((px(low), px(high)))
        parts.append(f'<text class="atlas-chart__legend" x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="atlas-chart__bar" x="{a:.1f}" y="{y + 3}" width="{max(b - a, 1):.1f}" height="18"/>')
    parts.append(f'<line class="atlas-chart__base" x1="{px(base):.1f}" x2="{px(base):.1f}" y1="{TOP - 6}" y2="{height - BOTTOM}"/>')
    description = f"Base {value_format(base)}. " + "; ".join(
        f"{label}: {value_format(low)} to {value_format(high)}" for label, low, high in rows)
    return _close(parts, title, description)


def _frame(title: str, x_label: str, y_label: str) -> list[str]:
    return [
        f'<svg class="atlas-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{{id}}-title {{id}}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{{id}}-title">{escape(title)}</title>',
        f'<line class="atlas-chart__axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}"/>',
        f'<line class="atlas-chart__axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>',
        f'<text class="atlas-chart__label" x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 8}" text-anchor="middle">{escape(x_label)}</text>',
        f'<text class="atlas-chart__label" x="14" y="{(TOP + HEIGHT - BOTTOM) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2})">{escape(y_label)}</text>',
    ]


def _close(parts: list[str], title: str, description: str) -> str:
    parts.insert(2, f'<desc id="{{id}}-desc">{escape(description)}</desc>')
    parts.append("</svg>")
    return "".join(parts)
