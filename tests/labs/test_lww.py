"""Pin the LWW demo: a lagging clock silently loses the causally later write."""

import random

from dsd_labs.clocks import lww


def test_lagging_clock_loses_causally_later_write() -> None:
    first, second, final = lww.physical_run(skew_us=30_000, gap_us=5_000)
    assert second.stamp < first.stamp
    assert final.value == "v1"


def test_no_loss_when_gap_exceeds_skew() -> None:
    _, _, final = lww.physical_run(skew_us=3_000, gap_us=5_000)
    assert final.value == "v2"


def test_hybrid_clock_keeps_causally_later_write() -> None:
    first, second, final = lww.hlc_run(skew_us=30_000, gap_us=5_000)
    assert second.stamp > first.stamp
    assert final.value == "v2"


def test_sweep_matches_exponential_formula() -> None:
    # P(gap <= skew) = 1 - exp(-skew / mean) for an exponential gap.
    lost = lww.sweep(random.Random(1), 50_000, skew_us=10_000, mean_gap_us=20_000)
    assert abs(lost / 50_000 - 0.3935) < 0.01
