"""Benchmarks for the Inference Cost Atlas: `make bench` (or `python -m bench`) prints and saves figures.

Nothing here is a test: figures are printed, written to bench/results.json and bench/report.md, and
compared with the goals of issue 8, but a missed goal never fails anything. Every figure is the median
of several runs with its spread, and every ratio is taken between runs made in the same invocation,
because the machines this runs on are shared and noisy.
"""
