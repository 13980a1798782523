"""The command line, driven as a reader would: python -m calculators in a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    """Give back the finished `python -m calculators ARGS` run from the repository root."""
    return subprocess.run([sys.executable, "-m", "calculators", *args], cwd=ROOT, capture_output=True, text=True,
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
    """python -m calculators scenario data/scenarios.yaml --id seed-002 reproduces the seed and says the month."""
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
    assert done.stderr.startswith("error: unknown GPU 'h100'; known: rtx-3090, rtx-4090, a100-40gb-sxm,")
    assert done.stderr.endswith("Did you mean 'h100-sxm'?\n")
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
