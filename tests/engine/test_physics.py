"""The throughput physics on real values: mixtures of experts, formats, several GPUs, memory and serving.

Shapes, formats, links and stacks come from data/ (tests/engine/conftest.py loads it), so each figure
here is what the command line and the pages give.
"""

import math
from dataclasses import replace as replace_stack

import pytest

from atlas_mkdocs.engine.errors import InputError, UnknownSpecError
from atlas_mkdocs.engine.models import calculate
from atlas_mkdocs.engine.sizing import SizingInputs, gpu_fits, gpus_needed, vram_required
from atlas_mkdocs.engine.specs import GpuSpec, ModelShape, QuantFormat, ServingStack
from atlas_mkdocs.engine.throughput import (
    ThroughputInputs,
    _dense_read_bytes,
    _expert_bytes,
    estimate_throughput,
    weight_bytes,
)
from tests.engine.conftest import bundled_catalogue

#: data/, as the build passes it to the engine: read once per test run.
DATA = bundled_catalogue()

BF16 = QuantFormat("bf16", 16)


def step_bytes(model: str, batch: int) -> float:
    """The weight bytes one decode step of ``batch`` sequences reads, as the engine counts them."""
    shape = DATA.model_shape(model)
    return _dense_read_bytes(shape, BF16) + _expert_bytes(shape, BF16, batch)


# ---- mixture of experts -----------------------------------------------------------------------------------

def test_experts_touched_follow_e_times_one_minus_one_minus_k_over_e_to_the_b():
    """Mixtral (8 experts, 2 a token): 2 at batch 1, 7.20 at 8, all 8 by 32; our H200 counted 2.00, 7.31, 8.00."""
    mixtral = DATA.model_shape("mixtral-8x7b")
    assert mixtral.experts_touched(1) == 2
    assert round(mixtral.experts_touched(8), 2) == 7.20
    assert round(mixtral.experts_touched(32), 2) == 8.00
    qwen = DATA.model_shape("qwen3-30b-a3b")
    assert round(qwen.experts_touched(8), 1) == 51.6  # moe_measured.yaml: 51.79


@pytest.mark.parametrize(("model", "batch", "measured"), [
    ("mixtral-8x7b", 1, 25_497_706_496),
    ("mixtral-8x7b", 8, 85_392_367_616),
    ("mixtral-8x7b", 32, 93_143_441_408),
    ("qwen3-30b-a3b", 1, 6_083_735_552),
    ("qwen3-30b-a3b", 32, 53_269_655_552),
])
def test_a_moe_step_reads_attention_shared_weights_and_the_experts_touched(model, batch, measured):
    """The bytes a decode step reads match what moe_measured.yaml counted on the H200, within 2%.

    At batch 8 its random router reached 7.31 experts a layer against the formula's 7.20, hence the 1.5%.
    """
    assert abs(step_bytes(model, batch) / measured - 1) < 0.02


def test_memory_holds_every_expert_but_a_step_reads_a_few():
    """Mixtral holds 93.4 GB in BF16 but one sequence's step reads 25.5 GB: 12.9B active of 46.7B."""
    mixtral = DATA.model_shape("mixtral-8x7b")
    assert weight_bytes(mixtral, BF16) == 93.4e9
    assert round(step_bytes("mixtral-8x7b", 1) / 1e9, 1) == 25.5
    # Costed as dense it would read all 93.4 GB: 3.7x slower at batch 1.
    assert round(weight_bytes(mixtral, BF16) / step_bytes("mixtral-8x7b", 1), 1) == 3.7


def test_a_shape_rejects_half_a_mixture_of_experts():
    """Experts need active parameters and experts per token beside them; the message says where to look."""
    with pytest.raises(InputError) as caught:
        ModelShape("moe", 46.7, 32, 8, 128, experts=8)
    assert str(caught.value) == ("experts must be given with active_params_billion and experts_per_token; got 8. "
                                 "A mixture of experts needs all three, from its config.json and model card.")


def test_latent_attention_and_sliding_windows_shrink_the_cache():
    """DeepSeek-V3 caches 576 values a token a layer (70.3 KB a token); gpt-oss-120b's window layers stop at 128."""
    assert DATA.model_shape("deepseek-v3").kv_bytes_per_token(16) == 61 * 576 * 2 == 70_272
    oss = DATA.model_shape("gpt-oss-120b")
    per_layer_token = 2 * 8 * 64 * 2
    assert oss.kv_cache_bytes(32_768, 16) == per_layer_token * (18 * 32_768 + 18 * 128)


# ---- formats ------------------------------------------------------------------------------------------------

def test_formats_carry_their_real_bits():
    """Q4_K_M Llama-3.1-8B is 4.91 GB (llama.cpp's README: 4.58 GiB); AWQ 70B 39.8 GB, not 35.3 at 4 bits."""
    assert round(weight_bytes(DATA.model_shape("llama-3.1-8b"), DATA.quant_format("q4_k_m")) / 1e9, 2) == 4.91
    awq = weight_bytes(DATA.model_shape("llama-3.1-70b"), DATA.quant_format("awq-int4"))
    assert round(awq / 1e9, 1) == 39.8
    bits = {key: DATA.quant_format(key).bits_per_weight for key in ("q4_0", "awq-int4", "mxfp4", "nvfp4", "q8_0")}
    assert bits == {"q4_0": 4.5, "awq-int4": 4.15625, "mxfp4": 4.25, "nvfp4": 4.5, "q8_0": 8.5008}


def test_fp8_and_fp4_run_natively_only_where_the_gpu_has_them():
    """FP8 multiplies at 1,979 TFLOPS on an H100 but at FP16's 312 on an A100; FP4 at 9,000 on a B200, 989 on an H200."""
    assert DATA.gpu("h100-sxm").tensor_tflops("fp8") == 1979
    assert DATA.gpu("a100-80gb-sxm").tensor_tflops("fp8") == 312
    assert DATA.gpu("b200").tensor_tflops("fp4") == 9000
    assert DATA.gpu("h200-sxm").tensor_tflops("fp4") == 989
    assert [DATA.gpu(key).runs_natively("fp8") for key in ("rtx-3090", "rtx-4090", "h200-sxm", "mi300x")] == [
        False, True, True, True]


def test_kv_cache_formats_and_unknown_formats_are_named():
    """A weight-only format is no KV cache format; an unknown one gets a "did you mean"."""
    with pytest.raises(UnknownSpecError) as caught:
        DATA.kv_format("awq-int4")
    assert str(caught.value) == ("unknown KV-cache format 'awq-int4'; known: bf16, fp16, fp8, int8, q4_0, q8_0. "
                                 "Weight-only formats (AWQ, GPTQ, k-quants) do not hold a KV cache.")
    with pytest.raises(UnknownSpecError) as caught:
        DATA.quant_format("q4_k")
    assert str(caught.value).startswith("unknown quantisation format 'q4_k' (did you mean 'q4_k_m'?); known: bf16,")


# ---- several GPUs -----------------------------------------------------------------------------------------

def test_tensor_parallelism_takes_valid_sizes_only():
    """Three GPUs cannot split every layer evenly: the message says which counts work and what else to do."""
    with pytest.raises(InputError) as caught:
        calculate("throughput", {"model": "llama-3.1-70b", "gpu": "h100-sxm", "gpus": 3, "prompt_tokens": 100,
                                 "output_tokens": 100}, DATA)
    assert str(caught.value) == (
        "gpus must be 1, 2, 4, 8 or 16 for tensor parallelism; got 3. Tensor parallelism splits each layer's heads "
        "evenly over 2, 4 or 8 GPUs of a node (16 across two nodes); to use another count, split by layers "
        "(parallel: pipeline).")
    three = calculate("throughput", {"model": "llama-3-70b", "gpu": "rtx-4090", "gpus": 3, "parallel": "pipeline",
                                     "quant": "q4_k_m", "stack": "llama.cpp", "prompt_tokens": 0,
                                     "output_tokens": 512}, DATA)
    assert three["fits"] is True


def test_tensor_parallel_pays_two_all_reduces_per_layer_over_its_link():
    """70B on 8 H100s over NVLink 4: 2 x 80 layers x (6 us + 2 x 7/8 x 16 KB / (450 GB/s x 0.488)) = 0.981 ms a step.

    vLLM's all-reduces reach 0.488 of the link's bandwidth as fitted (NCCL at a serving step's message sizes).
    """
    shape, h100 = DATA.model_shape("llama-3.1-70b"), DATA.gpu("h100-sxm")
    estimate = estimate_throughput(ThroughputInputs(shape, h100, 1000, 200, DATA.serving_stack("vllm"), BF16,
                                                    BF16, 8, "tensor", DATA.interconnect("nvlink-4")))
    efficiency = DATA.serving_stack("vllm").link_efficiency
    assert efficiency == 0.488
    assert round(estimate.communication_seconds_per_step * 1e3, 3) == 0.981
    assert math.isclose(estimate.communication_seconds_per_step,
                        2 * 80 * (6e-6 + 2 * 7 / 8 * 8192 * 2 / (450e9 * efficiency)))


def test_a_layer_split_adds_memory_not_speed():
    """70B in Q4_K_M on two RTX 4090s by layers: 18.3 tokens/s (measured 19.2); a token visits both cards in turn.

    One card's bandwidth reads every layer, so two cards decode no faster than one would if it held the
    model; tensor parallelism over PCIe would read half on each card at once.
    """
    values = {"model": "llama-3-70b", "gpu": "rtx-4090", "gpus": 2, "quant": "q4_k_m", "stack": "llama.cpp",
              "prompt_tokens": 0, "output_tokens": 512}
    by_layers = calculate("throughput", values | {"parallel": "pipeline"}, DATA)
    assert round(by_layers["decode_tokens_per_second"], 1) == 18.3
    assert by_layers["fits"] is True and round(by_layers["memory_needed_gb"], 1) == 44.4
    split = calculate("throughput", values | {"parallel": "tensor"}, DATA)
    assert split["decode_tokens_per_second"] > 1.5 * by_layers["decode_tokens_per_second"]


def test_sixteen_gpus_need_the_link_between_nodes():
    """Past 8 GPUs each all-reduce also crosses InfiniBand (46 us), 252 times a 405B step: 1.6 ms becomes 13.5 ms.

    At batch 1 the second node's bandwidth does not repay that: 29.4 tokens/s against 32.8 on one node.
    """
    values = {"model": "llama-3.1-405b", "gpu": "h100-sxm", "quant": "fp8", "prompt_tokens": 1000,
              "output_tokens": 200}
    eight, sixteen = (calculate("throughput", values | {"gpus": n}, DATA) for n in (8, 16))
    assert (round(eight["decode_tokens_per_second"], 1), round(sixteen["decode_tokens_per_second"], 1)) == (32.8, 29.4)
    shape, h100, fp8 = DATA.model_shape("llama-3.1-405b"), DATA.gpu("h100-sxm"), DATA.quant_format("fp8")
    links = (DATA.interconnect("nvlink-4"), DATA.interconnect("infiniband-ndr"))
    two_nodes = estimate_throughput(ThroughputInputs(shape, h100, 1000, 200, DATA.serving_stack("vllm"), fp8, BF16,
                                                     16, "tensor", *links))
    assert round(two_nodes.communication_seconds_per_step * 1e3, 1) == 13.5
    with pytest.raises(InputError) as caught:
        ThroughputInputs(DATA.model_shape("llama-3.1-405b"), DATA.gpu("h100-sxm"), 10, 10,
                         DATA.serving_stack("vllm"), BF16, BF16, 16, "tensor", DATA.interconnect("nvlink-4"))
    assert str(caught.value) == ("node_link must be given when more than 8 GPUs (two nodes) are used; got None. "
                                 "Name the link between nodes, e.g. infiniband-ndr.")


def test_sizing_recommends_only_tensor_parallel_sizes():
    """Three cards' worth of model takes four; more than sixteen cards' worth has no answer."""
    assert [gpus_needed(total, 24) for total in (20, 30, 50, 100, 200, 400)] == [1, 2, 4, 8, 16, None]
    estimate = vram_required(SizingInputs(DATA.model_shape("llama-3.1-405b"), 16, 8192))
    (fit,) = gpu_fits(estimate, [GpuSpec("rtx-4090", 24, 1008, 165.2)])
    assert (fit.fits_one, fit.gpus_needed, fit.total_vram_gb) == (False, None, None)


# ---- memory ---------------------------------------------------------------------------------------------------

def test_405b_in_bf16_on_one_rtx_4090_does_not_fit():
    """The issue's case: 811 GB needed against 24 GB (the datasheet's GB are GiB: 25.77 decimal GB), and no batch
    fits; the speed is still given, marked unfit."""
    result = calculate("throughput", {"model": "llama-3.1-405b", "gpu": "rtx-4090", "stack": "llama.cpp",
                                      "prompt_tokens": 1000, "output_tokens": 200}, DATA)
    assert result["fits"] is False
    assert round(result["memory_needed_gb"]) == 811
    assert round(result["memory_available_gb"], 2) == 25.77
    assert result["max_batch"] == 0


def test_a_datasheets_memory_gb_are_gib():
    """GPU memory is sold in binary GB: an H100's 80 GB are 80 x 2^30 bytes (nvidia-smi: 81,559 MiB usable), an
    H200's 141 GB 151.4e9 bytes, an RTX 4090's 24 GB 25.8e9; weights and bandwidth stay decimal. Counted as 80e9,
    70B in FP8 (72.7 GB) and vLLM's 1.5 GB reserve overflowed 0.9 of an H100 (72.0 GB): the x0.58 miss."""
    assert [DATA.gpu(key).memory_bytes for key in ("h100-sxm", "h200-sxm", "rtx-4090")] == \
        [85_899_345_920, 151_397_597_184, 25_769_803_776]
    one_h100 = calculate("throughput", {"model": "llama-3.1-70b", "gpu": "h100-sxm", "quant": "fp8", "batch": "max",
                                        "prompt_tokens": 128, "output_tokens": 4096}, DATA)
    assert (one_h100["fits"], round(one_h100["memory_available_gb"], 2), round(one_h100["weights_gb"], 1),
            one_h100["max_batch"]) == (True, 77.31, 72.7, 2)
    (fit,) = gpu_fits(vram_required(SizingInputs(DATA.model_shape("llama-3.1-70b"), 4.85, 8192, 1)),
                      [DATA.gpu("rtx-4090")])
    assert (round(fit.total_vram_gb), fit.gpus_needed) == (48, 2)  # 50.0 GB of Q4_K_M 70B: two 24 GiB cards (51.5 GB)


def test_the_largest_batch_that_fits():
    """70B in FP8 on an H200 under vLLM, 9,216-token requests: 0.9 of 141 GiB is 136.3 GB usable, 72.7 GB of
    weights, 20 sequences."""
    result = calculate("throughput", {"model": "llama-3.1-70b", "gpu": "h200-sxm", "quant": "fp8", "batch": "max",
                                      "prompt_tokens": 8192, "output_tokens": 1024}, DATA)
    assert (result["max_batch"], result["batch"], result["fits"]) == (20, 20, True)
    assert round(result["memory_available_gb"], 1) == 136.3
    assert round(result["weights_gb"], 1) == 72.7
    twenty_one = calculate("throughput", {"model": "llama-3.1-70b", "gpu": "h200-sxm", "quant": "fp8", "batch": 21,
                                          "prompt_tokens": 8192, "output_tokens": 1024}, DATA)
    assert twenty_one["fits"] is False and twenty_one["memory_needed_gb"] > 136.3


# ---- serving ------------------------------------------------------------------------------------------------

def test_serving_figures_hang_together():
    """Time per output token x batch gives output tokens/s; a request is TTFT plus the rest of its tokens."""
    result = calculate("throughput", {"model": "llama-3.1-8b", "gpu": "h100-sxm", "quant": "fp8", "batch": 32,
                                      "prompt_tokens": 2000, "output_tokens": 400}, DATA)
    assert math.isclose(result["output_tokens_per_second"], 32 / result["time_per_output_token_s"])
    assert math.isclose(result["seconds_per_request"],
                        result["time_to_first_token_s"] + 399 * result["time_per_output_token_s"])
    # Newcomers' prompts share the steps, so answers come slower than decode alone would make them.
    assert result["output_tokens_per_second"] < result["decode_tokens_per_second"]


def test_time_to_first_token_alone_is_the_prefill():
    """A lone request's first token waits for its prompt's prefill; in a busy batch it waits longer."""
    values = {"model": "llama-3.1-8b", "gpu": "h100-sxm", "prompt_tokens": 4000, "output_tokens": 100}
    alone = calculate("throughput", values, DATA)
    assert math.isclose(alone["time_to_first_token_s"], alone["prefill_seconds"])
    busy = calculate("throughput", values | {"batch": 64}, DATA)
    assert busy["time_to_first_token_s"] > alone["time_to_first_token_s"]


def test_stacks_differ_where_measurements_do():
    """llama.cpp's matrix-vector kernels reach less compute per decode token than vLLM's (fitted)."""
    llama_cpp, vllm = DATA.serving_stack("llama.cpp"), DATA.serving_stack("vllm")
    assert llama_cpp.decode_compute_utilisation < vllm.decode_compute_utilisation
    assert llama_cpp.prefill_chunk_tokens == 512 and vllm.max_batch == 256


def test_a_stack_rejects_impossible_factors():
    """A bandwidth share above 1 names the field and the fix."""
    with pytest.raises(InputError) as caught:
        ServingStack("s", 1.2, 10, 0.5)
    assert str(caught.value) == ("bandwidth_efficiency must be in (0, 1], a share such as 0.3 for 30%; got 1.2. "
                                 "The share of datasheet bandwidth real kernels reach, e.g. 0.8.")


def test_shape_options_still_serve_a_model_not_in_data():
    """A model given by its numbers, on a GPU given by key; giving both a key and numbers is refused."""
    result = calculate("throughput", {"params_billion": 13.0, "layers": 40, "kv_heads": 40, "head_dim": 128,
                                      "gpu": "rtx-4090", "quant": "q4_0", "stack": "llama.cpp",
                                      "prompt_tokens": 500, "output_tokens": 500}, DATA)
    assert 60 < result["decode_tokens_per_second"] < 90
    with pytest.raises(InputError) as caught:
        calculate("throughput", {"model": "llama-3.1-8b", "layers": 40, "gpu": "rtx-4090", "prompt_tokens": 1,
                                 "output_tokens": 1}, DATA)
    assert str(caught.value) == ("layers must be left out when model is given; got 40. The shape of 'llama-3.1-8b' "
                                 "comes from data/model_shapes.yaml.")


# ---- widgets --------------------------------------------------------------------------------------------------

def test_throughput_widget_says_when_a_model_does_not_fit():
    """405B on one RTX 4090: the form says 'no', 811 GB needed, no batch fits, and still shows the speeds."""
    from atlas_mkdocs.engine.widgets import run_widget

    result = run_widget("throughput", {"model": "llama-3.1-405b", "quant": "bf16"}, DATA)
    assert result["ok"] is True
    assert (result["text"]["fits"], result["text"]["memory_needed_gb"], result["text"]["max_batch"]) == (
        "no", "811.1", "0")
    default = run_widget("throughput", {}, DATA)
    assert default["text"]["fits"] == "yes"
    assert default["text"]["time_to_first_token_s"] == "0.12"


def test_vram_widget_counts_only_tensor_parallel_sizes():
    """Llama 3.1 405B in FP8: 455 GB; an H200 needs 4, an RTX 4090 more than 16."""
    from atlas_mkdocs.engine.widgets import run_widget

    result = run_widget("vram-fit", {"model": "llama-3.1-405b", "quant": "fp8"}, DATA)
    assert result["text"]["total_gb"] == "454.8"
    assert "<tr><td>NVIDIA H200 SXM 141GB</td><td>141 GB</td><td>no</td><td>4</td></tr>" in result["figure"]
    assert "<tr><td>NVIDIA GeForce RTX 4090</td><td>24 GB</td><td>no</td><td>more than 16</td></tr>" in result["figure"]


# ---- the keys the issue names --------------------------------------------------------------------------------

MODELS = ("llama-2-7b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "qwen2.5-7b",
          "mixtral-8x7b", "deepseek-v2-lite", "deepseek-v3", "qwen3-30b-a3b", "gpt-oss-120b")
GPUS = ("rtx-3090", "rtx-4090", "rtx-5090", "l40s", "a100-80gb-pcie", "a100-80gb-sxm", "h100-pcie", "h100-sxm",
        "h200-sxm", "b200", "mi300x")


def test_every_model_and_gpu_the_issue_names_is_in_data():
    """Each model on an H200 and each GPU with Llama 3.1 8B gives its figures; every row has a source and date."""
    for table, keys in (("model_shapes", MODELS), ("gpus", GPUS)):
        rows = {row["id"]: row for row in DATA.rows(table)}
        assert set(keys) <= set(rows)
        assert all(rows[key]["source"] and rows[key]["as_of"] for key in keys)
    fits = {model: calculate("throughput", {"model": model, "gpu": "h200-sxm", "gpus": 8, "quant": "fp8",
                                            "prompt_tokens": 1000, "output_tokens": 100}, DATA)["fits"] for model in MODELS}
    assert fits == dict.fromkeys(MODELS, True)  # DeepSeek-V3 in FP8 (672 GB) fits 8 x 141 GB at vLLM's 90%
    speeds = {gpu: calculate("throughput", {"model": "llama-3.1-8b", "gpu": gpu, "prompt_tokens": 1000,
                                            "output_tokens": 100}, DATA)["decode_tokens_per_second"] for gpu in GPUS}
    # One BF16 stream is bound by memory bandwidth: the GPUs rank as their datasheets' GB/s do.
    bandwidth = {gpu: DATA.gpu(gpu).memory_bandwidth_gbs for gpu in GPUS}
    assert sorted(GPUS, key=speeds.get) == sorted(GPUS, key=bandwidth.get)


# ---- attention kernels and FP8 matmuls -------------------------------------------------------------------

def _engine(model: str, gpu: str, stack: str, quant: str = "bf16", gpus: int = 1):
    from atlas_mkdocs.engine.throughput import _Engine

    link = DATA.gpu_link(gpu) if gpus > 1 else None
    return _Engine(ThroughputInputs(DATA.model_shape(model), DATA.gpu(gpu), 1024, 1, DATA.serving_stack(stack),
                                    DATA.quant_format(quant), DATA.kv_format("bf16"), gpus, "tensor", link))


def test_attention_without_a_context_split_reads_the_cache_slowly_at_small_batches():
    """PyTorch's attention gives each (sequence, KV head) pair one block: 8B's 8 KV heads at batch 8 fill 64 of the
    H200's 132 SMs, so the cache is read at 64/132 of the bandwidth; from batch 17 at full speed. vLLM splits
    the context: full speed at batch 1. Under tensor parallelism each GPU holds fewer heads (at least one)."""
    pytorch = _engine("llama-3.1-8b", "h200-sxm", "pytorch")
    assert DATA.serving_stack("pytorch").attention_parallelism == 132
    assert [round(pytorch.kv_read_share(b), 4) for b in (1, 8, 16, 17)] == [round(8 / 132, 4), round(64 / 132, 4),
                                                                            round(128 / 132, 4), 1.0]
    assert _engine("llama-3.1-8b", "h200-sxm", "vllm").kv_read_share(1) == 1.0
    assert _engine("qwen3-30b-a3b", "h200-sxm", "pytorch").kv_read_share(1) == 4 / 132


def test_the_slow_cache_read_shows_at_long_context_only():
    """At batch 8 the engine's 8B step on our H200 grows from 6.9 ms at 1,024 tokens of context to 22.7 ms at
    32,768 (measured 6.7 and 19.6, tools/measure/h200_formats_measured.yaml); with a split kernel it would be
    14.3 ms, and at 1,024 tokens the difference is 0.3 ms."""
    def step_ms(stack: str, context: int) -> float:
        engine = _engine("llama-3.1-8b", "h200-sxm", stack)
        return round(engine.step(8, context).seconds * 1e3, 1)

    assert (step_ms("pytorch", 1024), step_ms("pytorch", 32768)) == (6.9, 22.7)
    split = replace_stack(DATA.serving_stack("pytorch"), attention_parallelism=0)
    from atlas_mkdocs.engine.throughput import _Engine

    inputs = _engine("llama-3.1-8b", "h200-sxm", "pytorch").inputs
    assert round(_Engine(replace_stack(inputs, stack=split)).step(8, 32768).seconds * 1e3, 1) == 14.3


def test_fp8_matmuls_reach_the_measured_share_of_the_datasheet():
    """FP8 multiplies run at 0.905 of the H200's datasheet 1,979 TFLOPS (our matmuls: 1.81x BF16, not 2x); an
    A100 has no FP8 tensor cores, so FP8 weights multiply at its FP16 rate, untouched."""
    h200 = _engine("llama-3.1-8b", "h200-sxm", "pytorch", "fp8")
    assert DATA.serving_stack("pytorch").fp8_matmul_share == 0.905
    assert round(h200.peak_flops("fp8") / 1e12, 1) == round(1979 * 0.905, 1)
    assert h200.peak_flops("fp16") / 1e12 == DATA.gpu("h200-sxm").fp16_dense_tflops
    a100 = _engine("llama-3.1-8b", "a100-80gb-sxm", "vllm", "fp8")
    assert a100.peak_flops("fp8") / 1e12 == 312


# ---- what the published tables taught: memory, links, experts, FP4 ---------------------------------------

def test_tensorrt_llm_gives_the_cache_its_share_of_the_memory_left_free():
    """70B in FP8 on one H100 under TensorRT-LLM: 72.7 GB of weights, and the cache gets 0.9 of what they and the
    1.5 GB reserve leave of 80 GiB (85.9 GB), 251 sequences of 256 tokens; as a share of the whole memory (vLLM's
    way) only 74 would. TensorRT-LLM's v0.17 table measured 3,378 tokens/s there."""
    trt = DATA.serving_stack("trt-llm")
    assert (trt.memory_share_of, DATA.serving_stack("vllm").memory_share_of) == ("free", "total")

    def run(stack):
        return estimate_throughput(ThroughputInputs(DATA.model_shape("llama-3.1-70b"), DATA.gpu("h100-sxm"), 128,
                                                    128, stack, DATA.quant_format("fp8"), DATA.kv_format("fp8")))

    free, total = run(trt), run(replace_stack(trt, memory_share_of="total"))
    assert (free.fits, round(free.weights_gb, 1), round(free.memory_available_gb, 2), free.max_batch) == \
        (True, 72.7, 84.73, 251)
    assert (total.fits, total.max_batch) == (True, 74)


def test_many_small_experts_pay_a_fixed_cost_each():
    """Each routed expert a step reaches costs a fixed time per MoE layer (TensorRT-LLM: 2.9 us as fitted):
    at 64 tokens Mixtral reaches its 8 experts in 32 layers (0.7 ms), Qwen3-30B-A3B 125.9 of 128 in 48 (17.5 ms)."""
    trt = DATA.serving_stack("trt-llm")
    assert trt.expert_overhead_us == 2.9
    mixtral, qwen = DATA.model_shape("mixtral-8x7b"), DATA.model_shape("qwen3-30b-a3b")
    costs = [round(s.moe_layer_count * s.experts_touched(64) * trt.expert_overhead_us / 1e3, 1)
             for s in (mixtral, qwen)]
    assert costs == [0.7, 17.5]
    # The step pays it: without the term the same Qwen3 step is 17.5 ms shorter.
    inputs = ThroughputInputs(qwen, DATA.gpu("h200-sxm"), 1024, 1, trt, BF16, BF16)
    from atlas_mkdocs.engine.throughput import _Engine

    with_cost = _Engine(inputs).step(64, 1024)
    without = _Engine(replace_stack(inputs, stack=replace_stack(trt, expert_overhead_us=0))).step(64, 1024)
    assert round((with_cost.memory - without.memory) * 1e3, 1) == 17.5


def test_fp4_multiplies_reach_the_fitted_share_of_the_datasheet():
    """NVFP4 on a B200 multiplies at 0.625 x 9,000 TFLOPS (5,625) under TensorRT-LLM, fitted on its B200 rows;
    an H200 has no FP4 tensor cores, so FP4 weights multiply at its FP16 rate, untouched."""
    from atlas_mkdocs.engine.throughput import _Engine

    def peak(gpu):
        inputs = ThroughputInputs(DATA.model_shape("llama-3.1-70b"), DATA.gpu(gpu), 128, 128,
                                  DATA.serving_stack("trt-llm"), DATA.quant_format("nvfp4"), BF16)
        return _Engine(inputs).peak_flops("fp4") / 1e12

    assert DATA.serving_stack("trt-llm").fp4_matmul_share == 0.625
    assert (round(peak("b200")), peak("h200-sxm")) == (5625, 989)
