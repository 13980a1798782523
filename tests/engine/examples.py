"""One valid set of inputs per registered model: the base for property, parity and command-line tests."""

SHAPE = {"params_billion": 70.6, "layers": 80, "kv_heads": 8, "head_dim": 128}

EXAMPLES = {
    "api": {"input_per_million_usd": 3, "output_per_million_usd": 15, "input_tokens": 250_000,
            "output_tokens": 1000, "cached_input_tokens": 100_000, "cached_input_per_million_usd": 0.3,
            "long_context_above_tokens": 200_000, "long_context_input_per_million_usd": 6,
            "long_context_output_per_million_usd": 22.5, "long_context_cached_input_per_million_usd": 0.6,
            "requests_per_month": 1000, "months": 12},
    "rental-rate": {"hourly_price_usd": 3.5, "tokens_per_second": 100, "utilisation": 0.3, "tokens_per_request": 800},
    "required-throughput": {"hourly_price_usd": 10, "cost_per_million_tokens_usd": 3, "utilisation": 0.9},
    "rental-month": {"hourly_price_per_gpu_usd": 2.69, "tokens_per_second": 1500, "tokens_per_month": 500_000_000,
                     "gpus": 2, "billing": "per_second", "cold_start_overhead": 0.1},
    "own-hardware": {"purchase_price_usd": 10_000, "amortisation_months": 60, "residual_value_usd": 1000,
                     "gpus": 2, "gpu_watts": 450, "host_watts": 150, "price_per_kwh_usd": 0.15, "pue": 1.2,
                     "maintenance_per_month_usd": 20, "tokens_per_second": 24, "utilisation": 0.5},
    "capacity": {"tokens_per_second": 24, "tokens_per_month": 100_000_000, "monthly_cost_usd": 166.67,
                 "max_utilisation": 0.8},
    "break-even": {"a_name": "local", "a_upfront_usd": 1200, "a_amortisation_months": 24,
                   "a_fixed_per_month_usd": 30, "a_capacity_tokens_per_month": 200_000_000,
                   "b_name": "cloud", "b_variable_per_million_usd": 2, "tokens_per_request": 1000,
                   "max_tokens_per_month": 1_000_000_000, "payback_at_tokens_per_day": 2_000_000},
    "sizing": {**SHAPE, "weight_bits": 4, "context_tokens": 8192, "concurrent_sequences": 4, "gpu_vram_gb": 24},
    "throughput": {**SHAPE, "attention_heads": 64, "vram_gb": 80, "memory_bandwidth_gbs": 3350,
                   "fp16_dense_tflops": 989, "fp8_dense_tflops": 1979, "weight_bits": 8, "prompt_tokens": 2000,
                   "output_tokens": 500, "batch_size": 16, "gpus": 2, "link": "nvlink-4"},
    "cascade": {"local_share": 0.7, "local_cost_per_request_usd": 0.001, "api_cost_per_request_usd": 0.01,
                "router_cost_per_request_usd": 0.0002, "requests_per_month": 100_000},
    "cache": {"hit_rate": 0.45, "cost_per_request_usd": 0.01, "kind": "semantic",
              "lookup_cost_per_request_usd": 0.0005, "requests_per_month": 1000},
    "image": {"api_price_per_image_usd": 0.04, "gpu_hourly_usd": 2.0, "images_per_second": 0.5, "utilisation": 0.4},
    "audio": {"api_price_usd": 0.006, "api_price_unit": "per_minute", "gpu_hourly_usd": 1.0,
              "real_time_factor": 0.05},
    # The decision note's document pipeline: replicas of two GPUs, crossings at and between steps.
    "decision": {"tokens_per_day": 2_000_000_000, "peak_to_average": 1.2, "prompt_tokens": 3000, "output_tokens": 500,
                 "max_time_per_output_token_ms": 200, "team_engineers": 1, "model": "llama-3.1-70b", "quant": "fp8",
                 "api_model": "together/llama-3.3-70b-instruct-turbo"},
}
