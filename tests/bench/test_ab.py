"""The A/B build figures: new over old, paired by round, failed builds left out."""

from pathlib import Path

from bench.ab import ab_figures
from bench.build import BuildRun


def run(wall, cpu, rss, returncode=0):
    return BuildRun(wall_s=wall, cpu_s=cpu, peak_rss_mb=rss, returncode=returncode, warnings=0, log=Path("x.log"))


def test_ratios_are_new_over_old_round_by_round_without_failed_rounds():
    """Two good rounds give ratios 0.5 and 2.0 (median 1.25); a round where either build failed is left out."""
    old = [run(4.0, 3.0, 100), run(2.0, 2.0, 100), run(1.0, 1.0, 100)]
    new = [run(2.0, 3.0, 50), run(4.0, 1.0, 100), run(9.0, 9.0, 900, returncode=1)]
    figures = {f["name"]: f for f in ab_figures(50, old, new, {"old": 2000.0, "new": 1500.0})}
    assert sorted(figures) == ["ab.new.50.time", "ab.new_over_old.50.bytes_per_page", "ab.new_over_old.50.cpu",
                               "ab.new_over_old.50.peak_rss", "ab.new_over_old.50.time", "ab.old.50.time"]
    ratio = figures["ab.new_over_old.50.time"]
    assert (ratio["median"], ratio["min"], ratio["max"], ratio["runs"]) == (1.25, 0.5, 2.0, 2)
    assert (figures["ab.new_over_old.50.cpu"]["min"], figures["ab.new_over_old.50.cpu"]["max"]) == (0.5, 1.0)
    assert figures["ab.new_over_old.50.peak_rss"]["median"] == 0.75
    assert figures["ab.new_over_old.50.bytes_per_page"]["median"] == 0.75
    assert figures["ab.old.50.time"]["median"] == 3.0


def test_no_page_sizes_give_no_bytes_figure():
    """A size whose pages could not be measured has time figures and no bytes_per_page figure."""
    figures = ab_figures(100, [run(1.0, 1.0, 10)], [run(1.0, 1.0, 10)], {})
    assert [f["name"] for f in figures] == ["ab.old.100.time", "ab.new.100.time", "ab.new_over_old.100.time",
                                           "ab.new_over_old.100.cpu", "ab.new_over_old.100.peak_rss"]
