"""The firmware rollout's canary test: a Poisson threshold with the stated false-alarm rate."""

from __future__ import annotations

import math

import pytest

from dsd_labs.capacity import e18_firmware_rollout as rollout


@pytest.mark.parametrize("mean", [0.5, 10.0, 100.0, 4000.0])
def test_threshold_is_the_smallest_with_the_false_alarm_rate(mean: float) -> None:
    k = rollout._poisson_threshold(mean, 0.001)
    assert 1 - rollout._poisson_cdf(k - 1, mean) < 0.001
    assert 1 - rollout._poisson_cdf(k - 2, mean) >= 0.001


def test_cdf_matches_the_closed_form_for_small_counts() -> None:
    mean = 3.0
    expected = sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(5))
    assert rollout._poisson_cdf(4, mean) == pytest.approx(expected)
    assert rollout._poisson_cdf(-1, mean) == 0.0
