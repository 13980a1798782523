"""The command line: ``python -m atlas_mkdocs.engine <model> --input value ... [--json]`` and
``python -m atlas_mkdocs.engine scenario FILE [--id ID] [--json]``.

Bad input prints one line naming the input and the allowed range, and exits with status 2; no
traceback. A number given as ``low,base,high`` turns the run into an uncertainty run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from atlas_mkdocs.engine.errors import EngineError
from atlas_mkdocs.engine.models import CALCULATIONS, REQUIRED, Calculation, calculate, calculate_ranges
from atlas_mkdocs.engine.scenarios import ScenarioResult, run_scenario
from atlas_mkdocs.engine.uncertainty import Range, UncertaintyResult

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: usage line, message, exit 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"error: {message}\n")


def _describe_default(default: object) -> str:
    if default is REQUIRED:
        return "required"
    if default is None:
        return "default: not set"
    return f"default: {default}"


def build_parser() -> argparse.ArgumentParser:
    """Give back the argument parser: one sub-command per model, plus ``scenario``."""
    parser = _Parser(prog="python -m atlas_mkdocs.engine",
                     description="The Inference Cost Atlas cost engine. Pick a model; --help after it lists "
                     "its inputs, units and defaults.")
    sub = parser.add_subparsers(dest="model", metavar="MODEL", parser_class=_Parser)
    for calc in CALCULATIONS.values():
        model = sub.add_parser(calc.name, help=calc.summary, description=calc.summary)
        for param in calc.params:
            choices = f"; one of {', '.join(str(c) for c in param.choices)}" if param.choices else ""
            text = f"[{param.unit}] {_describe_default(param.default)}{choices}."
            if param.help:
                text += " " + param.help
            if param.kind == "number":
                text += " Give low,base,high for a range."
            model.add_argument(f"--{param.name}", dest=param.name, metavar="VALUE", help=text,
                               default=argparse.SUPPRESS)
        model.add_argument("--json", action="store_true", help="print JSON instead of text")
    scenario = sub.add_parser("scenario", help="run the named scenarios in a YAML or JSON file",
                              description="Run every scenario in FILE (or only --id), printing each step.")
    scenario.add_argument("file", metavar="FILE", type=Path)
    scenario.add_argument("--id", dest="scenario_id", default=None, help="run only this scenario")
    scenario.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _parse_value(raw: str) -> object:
    parts = raw.split(",")
    if len(parts) == 3:
        try:
            return Range(*(float(part) for part in parts))
        except ValueError:
            return raw
    return raw


def _format(value: object, unit: str) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        text = "none" if value is None else str(value).lower() if isinstance(value, bool) else value
    elif isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.6g}" if abs(value) < 1000 else f"{value:,.2f}"
    return f"{text} {unit}".rstrip()


def _print_outputs(calc: Calculation, outputs: Mapping[str, object], indent: str = "") -> None:
    for name, value in outputs.items():
        print(f"{indent}{name}: {_format(value, calc.outputs.get(name, ''))}")


def _print_ranges(calc: Calculation, result: UncertaintyResult, indent: str = "") -> None:
    for out in result.outputs:
        unit = calc.outputs.get(out.name, "")
        print(f"{indent}{out.name}: {_format(out.base, unit)} (range {_format(out.low, '')} to "
              f"{_format(out.high, '')})")
    print(f"{indent}sensitivity of {result.target} (largest swing first):")
    for row in result.sensitivity:
        print(f"{indent}  {row.input} {row.input_low:g} to {row.input_high:g}: "
              f"{row.output_at_low:,.6g} to {row.output_at_high:,.6g} (swing {row.swing:,.6g})")


def ranges_as_dict(result: UncertaintyResult) -> dict[str, object]:
    """Give back an uncertainty result as plain JSON-ready data."""
    return {
        "outputs": {o.name: {"low": o.low, "base": o.base, "high": o.high} for o in result.outputs},
        "target": result.target,
        "sensitivity": [{"input": r.input, "input_low": r.input_low, "input_high": r.input_high,
                         "output_at_low": r.output_at_low, "output_at_high": r.output_at_high,
                         "swing": r.swing} for r in result.sensitivity],
    }


def scenario_as_dict(result: ScenarioResult) -> dict[str, object]:
    """Give back a scenario result as plain JSON-ready data."""
    return {
        "id": result.id, "title": result.title, "source": result.source,
        "hours_per_month": result.hours_per_month,
        "steps": [{"id": s.id, "model": s.model, "outputs": dict(s.outputs), "seed_says": dict(s.seed_says),
                   **({"ranges": ranges_as_dict(s.ranges)} if s.ranges else {})} for s in result.steps],
    }


def _read_scenarios(path: Path) -> list[Mapping[str, object]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        try:
            import yaml  # only the command line reads YAML; the engine itself stays stdlib-only
        except ImportError:
            raise EngineError(f"{path}: reading YAML needs PyYAML; install it or give a .json file") from None
        document = yaml.safe_load(text)
    else:
        document = json.loads(text)
    if isinstance(document, Mapping) and "scenarios" in document:
        document = document["scenarios"]
    if isinstance(document, Mapping):
        document = [document]
    if not isinstance(document, list):
        raise EngineError(f"{path}: expected a scenario, a list of scenarios, or a mapping with 'scenarios'")
    return document


def _run_scenarios(args: argparse.Namespace) -> int:
    scenarios = _read_scenarios(args.file)
    if args.scenario_id is not None:
        scenarios = [s for s in scenarios if s.get("id") == args.scenario_id]
        if not scenarios:
            raise EngineError(f"{args.file}: no scenario with id {args.scenario_id!r}")
    results = [run_scenario(s) for s in scenarios]
    if args.json:
        print(json.dumps([scenario_as_dict(r) for r in results], indent=2, sort_keys=True))
        return 0
    for result in results:
        print(f"{result.id}: {result.title}")
        print(f"  source: {result.source}; month: {result.hours_per_month:g} hours")
        for step in result.steps:
            calc = CALCULATIONS[step.model]
            print(f"  {step.id} ({step.model})")
            if step.ranges is not None:
                _print_ranges(calc, step.ranges, "    ")
            else:
                _print_outputs(calc, step.outputs, "    ")
            for name, figure in step.seed_says.items():
                print(f"    the seed says {name}: {figure}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; give back the exit status (0, or 2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.model is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        if args.model == "scenario":
            return _run_scenarios(args)
        calc = CALCULATIONS[args.model]
        values = {p.name: _parse_value(getattr(args, p.name)) for p in calc.params if hasattr(args, p.name)}
        if any(isinstance(v, Range) for v in values.values()):
            ranges = calculate_ranges(calc.name, values)
            if args.json:
                print(json.dumps({"model": calc.name, **ranges_as_dict(ranges)}, indent=2, sort_keys=True))
            else:
                _print_ranges(calc, ranges)
            return 0
        outputs = calculate(calc.name, values)
    except (EngineError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as error:  # malformed JSON or YAML in a scenario file
        print(f"error: {args.file if args.model == 'scenario' else args.model}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps({"model": calc.name, "outputs": outputs}, indent=2, sort_keys=True))
    else:
        _print_outputs(calc, outputs)
    return 0
