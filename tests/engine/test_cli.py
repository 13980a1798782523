"""The command line, driven as a reader would: python -m atlas_mkdocs.engine in a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    """Give back the finished `python -m atlas_mkdocs.engine ARGS` run from the repository root."""
    return subprocess.run([sys.executable, "-m", "atlas_mkdocs.engine", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)


def test_model_text_output():
    """Seed 003 on the command line: $32.41 per 1M tokens at 30%."""
    done = run("rental-rate", "--hourly_price_usd", "3.5", "--tokens_per_second", "100", "--utilisation", "0.3")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "cost_per_million_tokens_usd: 32.4074 $ per 1M tokens",
        "cost_per_million_tokens_at_full_use_usd: 9.72222 $ per 1M tokens",
        "tokens_per_hour_at_full_use: 360,000 tokens/hour",
    ]


def test_model_json_output():
    """--json prints the model and its outputs as JSON."""
    done = run("break-even", "--a_upfront_usd", "1200", "--a_amortisation_months", "24", "--a_fixed_per_month_usd",
               "30", "--b_variable_per_million_usd", "2", "--hours_per_month", "720", "--json")
    assert done.returncode == 0
    answer = json.loads(done.stdout)
    assert answer["model"] == "break-even"
    assert round(answer["outputs"]["break_even_tokens_per_day"]) == 1_333_333


def test_bad_input_exits_2_with_one_line():
    """A rejected input prints the engine's message on stderr and exits 2, no traceback."""
    done = run("rental-rate", "--hourly_price_usd", "3.5", "--tokens_per_second", "-5")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == ("error: tokens_per_second must be greater than 0; got -5. "
                           "Use the measured generation throughput of the whole node, e.g. 100.\n")


def test_missing_and_text_inputs():
    """A missing input and a word where a number belongs are named with their units."""
    missing = run("rental-rate", "--hourly_price_usd", "3.5")
    assert missing.returncode == 2
    assert missing.stderr == ("error: tokens_per_second is required (tokens/s); "
                              "model 'rental-rate' has no default for it\n")
    word = run("rental-rate", "--hourly_price_usd", "cheap", "--tokens_per_second", "100")
    assert word.stderr == "error: hourly_price_usd must be a number in $/hour; got 'cheap'\n"


def test_unknown_model_and_option_exit_2():
    """argparse's own rejections also exit 2."""
    assert run("teleport").returncode == 2
    assert run("rental-rate", "--hourly", "3").returncode == 2


def test_help_lists_inputs_units_and_defaults():
    """--help after a model lists each input with its unit and default."""
    done = run("own-hardware", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "--purchase_price_usd VALUE [$] required." in text
    assert "--pue VALUE [ratio] default: 1.0." in text
    assert "--hours_per_month VALUE [hours] default: 730.0." in text
    top = run("--help")
    assert all(name in top.stdout for name in ("api", "own-hardware", "break-even", "sizing", "scenario"))


def test_ranges_on_the_command_line():
    """low,base,high gives an output range and a sensitivity table."""
    done = run("rental-rate", "--hourly_price_usd", "8,9,10", "--tokens_per_second", "1029,1300,1646",
               "--utilisation", "0.9", "--json")
    assert done.returncode == 0
    answer = json.loads(done.stdout)
    cost = answer["outputs"]["cost_per_million_tokens_usd"]
    assert (round(cost["low"], 2), round(cost["high"], 2)) == (1.50, 3.00)
    assert answer["sensitivity"][0]["input"] == "tokens_per_second"


def test_scenario_file():
    """python -m atlas_mkdocs.engine scenario data/scenarios.yaml --id seed-002 reproduces the seed and says the month."""
    done = run("scenario", "data/scenarios.yaml", "--id", "seed-002")
    assert done.returncode == 0
    assert "  source: seeds/002_d11445d5ec0eb79b.txt; month: 720 hours" in done.stdout
    assert "    cost_over_months_usd: 7,200 $" in done.stdout
    assert "    break_even_tokens_per_day: 1,333,333.33 tokens/day" in done.stdout


def test_scenario_errors(tmp_path):
    """A missing file, an unknown id and a bad step each exit 2 with a message."""
    assert run("scenario", str(tmp_path / "none.yaml")).returncode == 2
    unknown = run("scenario", "data/scenarios.yaml", "--id", "seed-009")
    assert unknown.stderr == "error: data/scenarios.yaml: no scenario with id 'seed-009'\n"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x", "steps": [{"model": "rental-rate",
                                                      "inputs": {"hourly_price_usd": -1, "tokens_per_second": 1}}]}))
    done = run("scenario", str(bad))
    assert done.returncode == 2
    assert done.stderr == ("error: hourly_price_usd must be 0 or more; got -1. A rental price is never negative; "
                           "use 0 only for hardware you already own.\n")
