"""The command line, driven as a reader would: python -m atlas_mkdocs.engine in a subprocess."""

import json
import math
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
    assert "--purchase_price_usd VALUE, --purchase-price-usd VALUE [$] required." in text
    assert "--pue VALUE [ratio] default: 1.0." in text
    assert "--hours_per_month VALUE, --hours-per-month VALUE [hours] default: 730.0." in text
    assert "--operations_staff_per_month_usd VALUE, --operations-staff-per-month-usd VALUE [$/month] default: 8558.54." in text
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


THROUGHPUT_FIELDS = {"fits", "memory_needed_gb", "batch", "decode_tokens_per_second", "prefill_tokens_per_second",
                     "output_tokens_per_second", "time_to_first_token_s", "time_per_output_token_s"}


def test_throughput_by_model_and_gpu_keys():
    """The command other tools call: keys from data/, dashed options, the issue's JSON fields."""
    done = run("throughput", "--model", "mixtral-8x7b", "--gpu", "h200-sxm", "--gpus", "2", "--parallel", "tensor",
               "--quant", "fp8", "--kv-quant", "fp8", "--stack", "vllm", "--batch", "max", "--prompt-tokens", "1000",
               "--output-tokens", "250", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["model"] == "throughput"
    outputs = answer["outputs"]
    assert THROUGHPUT_FIELDS <= set(outputs)
    assert outputs["fits"] is True
    assert outputs["batch"] == outputs["max_batch"] == 256  # vLLM's --max-num-seqs caps it before memory does
    assert outputs["experts_touched_per_layer"] == 8.0
    assert outputs["output_tokens_per_second"] < outputs["decode_tokens_per_second"]


def test_throughput_unknown_key_exits_2_with_did_you_mean_also_with_json():
    """A mistyped GPU key is named on stderr with the keys that exist and the closest; nothing on stdout."""
    done = run("throughput", "--model", "llama-3.1-8b", "--gpu", "h100", "--prompt-tokens", "10",
               "--output-tokens", "10", "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: unknown GPU 'h100' (did you mean 'h100-sxm'?); known: rtx-3090, rtx-4090,")
    assert done.stderr.endswith(", b200, mi300x\n")
    batch = run("throughput", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--batch", "most",
                "--prompt-tokens", "10", "--output-tokens", "10", "--json")
    assert batch.returncode == 2
    assert batch.stderr == "error: batch must be a number in sequences or max; got 'most'\n"


def test_throughput_text_output_for_a_model_not_in_data():
    """The shape options of old still work for a model that data/ lacks, with a GPU's own numbers."""
    done = run("throughput", "--params_billion", "13", "--layers", "40", "--kv_heads", "40", "--head_dim", "128",
               "--vram_gb", "24", "--memory_bandwidth_gbs", "1008", "--fp16_dense_tflops", "165.2",
               "--quant", "q4_0", "--stack", "llama.cpp", "--prompt_tokens", "500", "--output_tokens", "500")
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    assert lines["fits"] == "true"
    assert lines["batch"] == "1 sequences"
    assert lines["decode_bound"] == "memory"


def test_version():
    """--version prints the installed package's version, which pyproject.toml declares."""
    import tomllib

    done = run("--version")
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert (done.returncode, done.stdout) == (0, f"python -m atlas_mkdocs.engine {declared}\n")


def test_the_repository_folder_runs_the_same_command_line():
    """From the repository's root, `python -m calculators` (the name issues 17 and 18 give) is the installed
    `python -m atlas_mkdocs.engine`: same version line, same figure."""
    folder = subprocess.run([sys.executable, "-m", "calculators", "--version"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert (folder.returncode, folder.stdout) == (0, run("--version").stdout)
    args = ["rental-rate", "--hourly-price-usd", "3.5", "--tokens-per-second", "100", "--utilisation", "0.3"]
    folder = subprocess.run([sys.executable, "-m", "calculators", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert folder.returncode == 0 and folder.stdout == run(*args).stdout and "32.4074" in folder.stdout


def test_hyphen_and_underscore_spellings():
    """--hourly-price-usd and --hourly_price_usd are one input: seed 003's $32.41 either way."""
    done = run("rental-rate", "--hourly-price-usd", "3.5", "--tokens-per-second", "100", "--utilisation", "0.3")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "cost_per_million_tokens_usd: 32.4074 $ per 1M tokens"


def test_unknown_names_get_a_suggestion_on_stderr_and_exit_2():
    """A misspelt model or option exits 2 with the closest name on stderr, --json or not; nothing on stdout."""
    model = run("rental-rat", "--json")
    assert model.returncode == 2 and model.stdout == ""
    assert model.stderr.splitlines()[-1].endswith("; did you mean 'rental-rate'?")
    option = run("rental-rate", "--hourly_price_usd", "3.5", "--tokens_per_second", "100", "--utilisaton", "0.3",
                 "--json")
    assert option.returncode == 2 and option.stdout == ""
    assert option.stderr.splitlines()[-1] == ("error: unrecognized arguments: --utilisaton 0.3; "
                                              "did you mean '--utilisation'?")
    abbreviated = run("rental-rate", "--hourly", "3", "--tokens_per_second", "100")
    assert abbreviated.returncode == 2 and "unrecognized arguments: --hourly 3" in abbreviated.stderr


def test_api_model_key_reads_prices_from_data():
    """api --model openai/gpt-4o: $2.50 / $10 per 1M from data/; batched, 1,000 in and 200 out is $0.00225."""
    done = run("api", "--model", "openai/gpt-4o", "--input-tokens", "1000", "--output-tokens", "200",
               "--batch", "true", "--requests-per-month", "1000", "--staff-per-month-usd", "0", "--json")
    assert done.returncode == 0, done.stderr
    outputs = json.loads(done.stdout)["outputs"]
    assert math.isclose(outputs["cost_per_request_usd"], (1000 * 2.5 + 200 * 10) / 1e6 / 2)
    assert math.isclose(outputs["total_per_month_usd"], 2.25)


def test_api_model_key_unknown_and_batch_without_price():
    """An unknown key names the closest; batch on a model with no batch price exits 2 naming it, with --json."""
    unknown = run("api", "--model", "openai/gpt-4", "--input-tokens", "10", "--output-tokens", "1", "--json")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.startswith("error: unknown api_prices entry 'openai/gpt-4' (did you mean ")
    batch = run("api", "--model", "groq/llama-3.3-70b-versatile", "--input-tokens", "1000", "--output-tokens",
                "200", "--batch", "true", "--json")
    assert batch.returncode == 2 and batch.stdout == ""
    assert batch.stderr == (
        "error: unknown batch price of model 'groq/llama-3.3-70b-versatile'. Neither its price list nor its "
        "provider's row in data/ gives a batch price: give batch_discount (0.5 where the provider halves "
        "prices), or set batch to false. A batch is never billed at full price in silence.\n")


def test_uncertainty_command():
    """uncertainty MODEL with --target: seed 001's build at 30-80 tokens/s, staff left out, as a range."""
    done = run("uncertainty", "own-hardware", "--purchase_price_usd", "8000,10000,14000", "--amortisation_months",
               "60", "--power_cost_per_month_usd", "0", "--operations-staff-per-month-usd", "0",
               "--tokens_per_second", "30,50,80", "--target", "cost_per_million_tokens_usd", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    cost = answer["outputs"]["cost_per_million_tokens_usd"]
    # $10,000 / 60 = $166.67 a month over 50 x 3600 x 730 = 131.4M tokens: $1.268; 8000/60 at 80/s: $0.634;
    # 14,000/60 at 30/s: $2.960.
    assert (round(cost["low"], 3), round(cost["base"], 3), round(cost["high"], 3)) == (0.634, 1.268, 2.96)
    assert answer["target"] == "cost_per_million_tokens_usd"
    assert [row["input"] for row in answer["sensitivity"]] == ["tokens_per_second", "purchase_price_usd"]
    none = run("uncertainty", "own-hardware", "--purchase_price_usd", "8000", "--amortisation_months", "60")
    assert none.returncode == 2
    assert none.stderr == ("error: uncertainty own-hardware: give at least one input as low,base,high, "
                           "e.g. --utilisation 0.2,0.5,0.9\n")


def test_the_command_line_stays_out_of_the_browser_wheel(tmp_path):
    """The wheel pages load holds the engine and its widgets, not the command line that reads files."""
    import zipfile

    from atlas_mkdocs.runtime.engine_bundle import build_engine_wheel

    with zipfile.ZipFile(build_engine_wheel(ROOT / "calculators", tmp_path)) as wheel:
        names = set(wheel.namelist())
    engine = "atlas_mkdocs/engine/"
    assert {engine + "protocol.py", engine + "catalogue.py", engine + "widgets.py", engine + "models.py"} <= names
    assert engine + "cli.py" not in names and engine + "__main__.py" not in names
    assert len([name for name in names if name.startswith(engine)]) == len(list((ROOT / "calculators").glob("*.py"))) - 2
