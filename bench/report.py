"""Printing and writing the figures: a console table, bench/results.json and bench/report.md."""

from __future__ import annotations

import json
from pathlib import Path

UNIT_DIGITS = {"ms": 0, "s": 2, "µs": 1, "KB": 0, "MB": 0, "ratio": 2, "requests": 0}


def fmt(value: float | None, unit: str) -> str:
    """Give back ``value`` with its unit as the tables show it: '1,234 ms', '1.17x', '5.7 µs'."""
    if value is None:
        return "-"
    digits = UNIT_DIGITS.get(unit, 2)
    if unit == "s" and value < 1:
        return f"{value * 1000:,.1f} ms"
    text = f"{value:,.{digits}f}"
    if unit == "ratio":
        return f"{text}x"
    return f"{text} {unit}"


def _goal(record: dict) -> str:
    if record.get("goal") is None:
        return ""
    sign = "<=" if record["goal_is"] == "max" else ">="
    return f"{sign} {fmt(record['goal'], record['unit'])}"


def _meets(record: dict) -> str:
    return {True: "yes", False: "NO", None: ""}[record.get("meets_goal")]


def _spread(record: dict) -> str:
    if record.get("median") is None:
        return ""
    if record["runs"] == 1:
        return "(1 run)"
    return f"{fmt(record['min'], record['unit'])} – {fmt(record['max'], record['unit'])}"


def table_rows(figures: list[dict]) -> list[list[str]]:
    """Give back one row per figure: name, median, min–max, runs, goal, meets."""
    return [[f["name"], fmt(f["median"], f["unit"]), _spread(f), str(f["runs"]), _goal(f), _meets(f)]
            for f in figures]


HEADER = ["figure", "median", "spread (min – max)", "runs", "goal", "meets"]


def console_table(figures: list[dict]) -> str:
    """Give back the figures as an aligned plain-text table."""
    rows = [HEADER] + table_rows(figures)
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """Give back a Markdown table (pipes in cells escaped)."""
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
    return "\n".join([line(header), line(["---"] * len(header)), *(line(row) for row in rows)])


def load_results(path: Path) -> dict:
    """Give back the results saved at ``path``, or an empty set of sections."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("sections"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"schema": 1, "sections": {}}


def write_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _by_name(section: dict) -> dict[str, dict]:
    return {f["name"]: f for f in section.get("figures", [])}


def _engine_table(section: dict) -> str:
    figures = _by_name(section)
    rows = []
    for case in section.get("details", {}).get("cases", []):
        cpython, pyodide = figures.get(f"engine.cpython.{case}"), figures.get(f"engine.pyodide.{case}")
        ratio = figures.get(f"engine.ratio.{case}")
        def cell(record):
            return f"{fmt(record['median'], record['unit'])} ({_spread(record)})" if record else "-"
        rows.append([case, cell(cpython), cell(pyodide), fmt(ratio["median"], "ratio") if ratio else "-"])
    return markdown_table(["case", "CPython median (min – max)", "Pyodide under Node", "Pyodide / CPython"], rows)


def _findings(results: dict) -> list[str]:
    """Give back plain-language observations computed from the figures."""
    notes = []
    page = _by_name(results["sections"].get("page", {}))
    cold, worker = page.get("page.cold.time_to_live"), page.get("page.cold.worker_ready")
    if cold and worker and cold.get("median") and worker.get("median"):
        notes.append(f"Time to a live calculator (cold) is {fmt(cold['median'], 'ms')}, of which "
                     f"{fmt(worker['median'], 'ms')} ({worker['median'] / cold['median']:.0%}) is the worker "
                     "loading Pyodide and the engine; the rest is the page itself until the worker starts.")
    largest = results["sections"].get("page", {}).get("details", {}).get("largest_transfers", [])
    before, runtime = page.get("page.bytes.before_interaction.gzip"), page.get("page.bytes.runtime.gzip")
    if before and runtime and before.get("median") is not None and runtime.get("median"):
        top = largest[:2]
        names = " and ".join(f"`{Path(t['path']).name}` ({t['gzip_kb']:,.0f} KB)" for t in top)
        notes.append(f"Before the first interaction the page weighs {fmt(before['median'], 'KB')} gzip; the "
                     f"calculator runtime, which the worker fetches in the background, adds "
                     f"{fmt(runtime['median'], 'KB')} gzip" + (f", most of it {names}." if top else "."))
    build = _by_name(results["sections"].get("build", {}))
    ours = next((f for n, f in build.items() if n.startswith("build.growth.ours")), None)
    plain = next((f for n, f in build.items() if n.startswith("build.growth.plain")), None)
    if ours and plain and ours.get("median") and plain.get("median"):
        note = (f"Doubling the vault multiplies our build time by {fmt(ours['median'], 'ratio')} and plain "
                f"Material's by {fmt(plain['median'], 'ratio')}.")
        if plain["median"] > 2.2:
            note += (" Growth beyond 2x comes with Material's navigation: with no `nav:` every page lists every "
                     "page, so the site's bytes grow with the square of the note count; plain Material also "
                     "renders that list anew for each page, where ours renders each part once per build.")
        notes.append(note)
    return notes


def markdown_report(results: dict) -> str:
    """Give back bench/report.md: the machine, then each section's figures against the goals."""
    machine = results.get("machine", {})
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); figures are medians of several runs with their spread, "
        "and every ratio is between runs of the same invocation. A missed goal is reported, never failed.",
        "",
        f"Machine: {machine.get('cpu')}, {machine.get('cores')} cores, {machine.get('ram_gb')} GB RAM; "
        f"Python {machine.get('python')}, Node {machine.get('node')}, Pyodide {machine.get('pyodide')}, "
        f"{machine.get('chromium')}; MkDocs {machine.get('mkdocs')}, Material {machine.get('mkdocs_material')}; "
        f"commit {machine.get('git_commit')}, {machine.get('date')}.",
        "",
    ]
    findings = _findings(results)
    if findings:
        lines += ["## Findings", "", *(f"- {note}" for note in findings), ""]
    titles = {"build": "Build", "page": "Page", "engine": "Engine"}
    for key, title in titles.items():
        section = results["sections"].get(key)
        if not section:
            continue
        lines += [f"## {title}", "", f"Run {section.get('date')} ({section.get('mode')} mode, "
                  f"{section.get('seconds', 0):.0f} s).", ""]
        figures = section.get("figures", [])
        if key == "engine":
            lines += [_engine_table(section), ""]
            figures = [f for f in figures if not f["name"].startswith(("engine.cpython.widget",
                       "engine.cpython.model", "engine.cpython.scenario", "engine.cpython.sweep",
                       "engine.pyodide.widget", "engine.pyodide.model", "engine.pyodide.scenario",
                       "engine.pyodide.sweep", "engine.ratio."))]
        if figures:
            lines += [markdown_table(HEADER, table_rows(figures)), ""]
        notes = [f"- `{f['name']}`: {f['note']}" for f in section.get("figures", [])
                 if f.get("note") and not f["name"].startswith(("engine.cpython.", "engine.pyodide.", "engine.ratio."))]
        if notes:
            lines += ["<details><summary>What each figure measures</summary>", "", *notes, "", "</details>", ""]
        details = section.get("details", {})
        if key == "page" and details.get("largest_transfers"):
            rows = [[t["path"], f"{t['raw_kb']:,.1f}", f"{t['gzip_kb']:,.1f}"] for t in details["largest_transfers"]]
            lines += ["Largest transfers of a cold visit:", "", markdown_table(["path", "raw KB", "gzip KB"], rows), ""]
        if key == "build" and details.get("plain_config"):
            lines += ["Plain Material baseline (same notes, Obsidian syntax stripped):", "", "```yaml",
                      details["plain_config"].rstrip(), "```", ""]
        if section.get("errors"):
            lines += ["Errors:", "", *(f"- {error}" for error in section["errors"]), ""]
    return "\n".join(lines).rstrip() + "\n"
