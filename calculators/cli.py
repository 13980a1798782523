"""The command line: ``python -m atlas_mkdocs.engine <model> --input value ... [--json]``,
``python -m atlas_mkdocs.engine uncertainty <model> [--target OUTPUT] --input low,base,high ... [--json]`` and
``python -m atlas_mkdocs.engine scenario FILE [--id ID] [--json]``.

Inputs take either spelling, ``--hourly_price_usd`` or ``--hourly-price-usd``. ``--model KEY`` names a row
of data/ (``api --model openai/gpt-5.5``); the command line then loads and validates data/ (``--data-dir``,
by default the repository's) with atlas_mkdocs.data, as the build does. Bad input prints one line on
stderr naming the input and the allowed range (or the closest known name), and exits with status 2, also
with --json; no traceback. A number given as ``low,base,high`` turns the run into an uncertainty run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
from atlas_mkdocs.engine.errors import EngineError, did_you_mean
from atlas_mkdocs.engine.inputs import REQUIRED
from atlas_mkdocs.engine.models import CALCULATIONS, Calculation, calculate, calculate_ranges
from atlas_mkdocs.engine.reading import split_range
from atlas_mkdocs.engine.scenarios import ScenarioResult, run_scenario
from atlas_mkdocs.engine.uncertainty import Range, UncertaintyResult

EXIT_BAD_INPUT = 2
#: Inputs whose value is a key of data/: giving one makes the command line load data/ first.
DATA_KEY_INPUTS = ("model",)
#: Models that always read data/: weight formats, links and serving stacks' fitted factors live there.
NEEDS_DATA = ("throughput", "sizing", "calibration", "decision")
#: The repository's data/, beside the package in a checkout.
REPO_DATA_DIR = Path(__file__).resolve().parents[1] / "data"
COMMANDS = ("scenario", "uncertainty")


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        # No abbreviations: "--hourly 3" taken silently as --hourly_price_usd would hide a typo.
        super().__init__(*args, allow_abbrev=False, **kwargs)

    def error(self, message: str) -> None:  # argparse's own errors: usage line, message, exit 2
        self.print_usage(sys.stderr)
        choice = re.search(r"invalid choice: '([^']*)'", message)
        if choice:
            close = did_you_mean(choice.group(1), [*CALCULATIONS, *COMMANDS])
            message += f"; {close}" if close else ""
        self.exit(EXIT_BAD_INPUT, f"error: {message}\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("inference-cost-atlas")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _add_inputs(parser: argparse.ArgumentParser, calc: Calculation) -> None:
    """Add one option per input of ``calc``, in the underscore and the hyphen spelling."""
    for param in calc.params:
        choices = f"; one of {', '.join(label for _, label in param.choices)}" if param.choices else ""
        unit = f"[{param.unit}] " if param.unit else ""
        text = f"{unit}{_describe_default(param.default)}{choices}."
        if param.help:
            text += " " + param.help
        if param.kind == "number":
            text += " Give low,base,high for a range."
        spellings = [f"--{param.name}"]
        if "_" in param.name:
            spellings.append(f"--{param.name.replace('_', '-')}")
        parser.add_argument(*spellings, dest=param.name, metavar="VALUE", help=text, default=argparse.SUPPRESS)
    if any(param.name in DATA_KEY_INPUTS for param in calc.params):
        parser.add_argument("--data-dir", dest="data_dir", type=Path, default=REPO_DATA_DIR,
                            help="the data/ folder that --model KEY is looked up in (default: the repository's)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


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
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    # dest "command", not "model": the api model has an input called model (--model KEY).
    sub = parser.add_subparsers(dest="command", metavar="MODEL", parser_class=_Parser)
    for calc in CALCULATIONS.values():
        _add_inputs(sub.add_parser(calc.name, help=calc.summary, description=calc.summary), calc)
    uncertainty = sub.add_parser(
        "uncertainty", help="ranges and a sensitivity table: uncertainty MODEL --input low,base,high ...",
        description="Run MODEL with some inputs given as low,base,high: every numeric output's range, and "
        "what moves --target most (a tornado table). MODEL --help lists its inputs.")
    uncertainty.add_argument("uncertain_model", metavar="MODEL", choices=tuple(CALCULATIONS))
    uncertainty.add_argument("rest", nargs=argparse.REMAINDER,
                             help="MODEL's inputs, some as low,base,high; --target OUTPUT names the output "
                             "the sensitivity table is for (default: the model's first numeric output)")
    scenario = sub.add_parser("scenario", help="run the named scenarios in a YAML or JSON file",
                              description="Run every scenario in FILE (or only --id), printing each step.")
    scenario.add_argument("file", metavar="FILE", type=Path)
    scenario.add_argument("--id", dest="scenario_id", default=None, help="run only this scenario")
    scenario.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _format(value: object, unit: str) -> str:
    if isinstance(value, list):  # a table's rows (gpu-fit's GPUs): one per line
        return f"({unit})" + "".join("\n    " + ", ".join(f"{key} {_format(cell, '')}" for key, cell in row.items())
                                    for row in value)
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


def _run_scenarios(args: argparse.Namespace, catalogue: Catalogue) -> int:
    scenarios = _read_scenarios(args.file)
    if args.scenario_id is not None:
        scenarios = [s for s in scenarios if s.get("id") == args.scenario_id]
        if not scenarios:
            raise EngineError(f"{args.file}: no scenario with id {args.scenario_id!r}")
    results = [run_scenario(s, catalogue) for s in scenarios]
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


def _uncertainty_parser(calc: Calculation) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"python -m atlas_mkdocs.engine uncertainty {calc.name}", description=calc.summary)
    _add_inputs(parser, calc)
    parser.add_argument("--target", default=None, help="the output the sensitivity table is for")
    return parser


def _unknown_options(parser: argparse.ArgumentParser, args: argparse.Namespace, extra: list[str]) -> None:
    """Exit 2 naming the first option the command does not have, with the closest one it does."""
    command = parser
    for action in parser._subparsers._group_actions if parser._subparsers else ():  # noqa: SLF001
        command = action.choices.get(getattr(args, "command", None), parser)
    known = [option for action in command._actions for option in action.option_strings]  # noqa: SLF001
    unknown = next((word for word in extra if word.startswith("-")), extra[0])
    close = did_you_mean(unknown.split("=")[0], known)
    command.error(f"unrecognized arguments: {' '.join(extra)}" + (f"; {close}" if close else ""))


def use_data(data_dir: Path) -> Catalogue:
    """Give back ``data_dir`` loaded and validated as the build does, as the engine's catalogue.

    Raises EngineError with every problem found; needs the repository's build_scripts (a checkout or an
    install of this project), since loading YAML lives outside the engine.
    """
    try:
        from atlas_mkdocs.data import DataError, export_json, load_data
    except ImportError as error:
        raise EngineError(f"--model needs atlas_mkdocs.data to read {data_dir} ({error}); run from a "
                          "checkout of the Inference Cost Atlas, or give the prices as inputs") from None
    try:
        data = load_data(data_dir)
    except DataError as error:
        raise EngineError(str(error)) from None
    except OSError as error:
        raise EngineError(f"cannot read {data_dir}: {error}") from None
    return Catalogue.from_export(json.loads(export_json(data)))


def _model_values(calc: Calculation, args: argparse.Namespace) -> tuple[dict[str, object], Catalogue]:
    """Give back the inputs given, and data/ where the model reads it (else an empty catalogue)."""
    values = {p.name: split_range(getattr(args, p.name)) for p in calc.params if hasattr(args, p.name)}
    if calc.name in NEEDS_DATA or any(name in values for name in DATA_KEY_INPUTS):
        return values, use_data(getattr(args, "data_dir", REPO_DATA_DIR))
    return values, NO_DATA


def _print_range_run(calc: Calculation, values: Mapping[str, object], target: str | None, as_json: bool,
                     catalogue: Catalogue) -> None:
    ranges = calculate_ranges(calc.name, values, target, catalogue)
    if as_json:
        print(json.dumps({"model": calc.name, **ranges_as_dict(ranges)}, indent=2, sort_keys=True))
    else:
        _print_ranges(calc, ranges)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; give back the exit status (0, or 2 for bad input)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        _unknown_options(parser, args, extra)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        if args.command == "scenario":
            # a scenario's throughput step reads formats and stacks from data/
            return _run_scenarios(args, use_data(REPO_DATA_DIR) if REPO_DATA_DIR.is_dir() else NO_DATA)
        if args.command == "uncertainty":
            calc = CALCULATIONS[args.uncertain_model]
            ranged = _uncertainty_parser(calc).parse_args(args.rest)
            values, catalogue = _model_values(calc, ranged)
            if not any(isinstance(v, Range) for v in values.values()):
                raise EngineError(f"uncertainty {calc.name}: give at least one input as low,base,high, "
                                  "e.g. --utilisation 0.2,0.5,0.9")
            _print_range_run(calc, values, ranged.target, ranged.json, catalogue)
            return 0
        calc = CALCULATIONS[args.command]
        values, catalogue = _model_values(calc, args)
        if any(isinstance(v, Range) for v in values.values()):
            _print_range_run(calc, values, None, args.json, catalogue)
            return 0
        outputs = calculate(calc.name, values, catalogue)
    except (EngineError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as error:  # malformed JSON or YAML in a scenario file
        print(f"error: {args.file if args.command == 'scenario' else args.command}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps({"model": calc.name, "outputs": outputs}, indent=2, sort_keys=True))
    else:
        _print_outputs(calc, outputs)
    return 0
