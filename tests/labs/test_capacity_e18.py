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


def _value(name: str, scale: float = 1.0) -> float:
    from dsd_labs.capacity import model
    return model.estimate("e18-firmware-rollout", scale).row(name).value


def test_the_detectable_multiple_has_the_stated_power() -> None:
    m = _value("canary_detectable_multiplier")
    threshold = int(_value("halt_threshold"))
    expected = _value("expected_baseline_failures")
    assert 1 - rollout._poisson_cdf(threshold - 1, expected * m) >= 0.95
    assert 1 - rollout._poisson_cdf(threshold - 1, expected * (m - 0.01)) < 0.95


def test_later_stages_catch_what_the_canary_misses() -> None:
    assert _value("canary_small_detection") < 0.5
    assert _value("stage2_small_detection") > 0.99
    assert _value("stage2_devices") == pytest.approx(5 * _value("canary_devices"))


def test_per_cohort_tests_multiply_false_halts() -> None:
    assert _value("tests_per_release") == 4 * 21
    assert _value("false_halt_per_release") == pytest.approx(1 - 0.999 ** 84)
    assert _value("false_halts_per_year") == pytest.approx(12 * (1 - 0.999 ** 84))
    assert _value("cohort_canary_devices") == pytest.approx(10_000)


def test_halting_on_the_running_count_keeps_the_false_alarm_rate() -> None:
    """A count only grows, so crossing k at any time within the window is the same
    event as ending the window at k or more: halting early costs no false alarms."""
    threshold = int(_value("halt_threshold"))
    assert _value("time_to_threshold") == pytest.approx(threshold / (400 / 24) * 3600)
    assert _value("time_to_halt") == pytest.approx(_value("time_to_threshold") + 2 * 3600)
    assert _value("failures_before_halt") == pytest.approx(400 / 24 * _value("time_to_halt")
                                                           / 3600)
    assert 0 < _value("window_saved") < 1


def test_splitting_the_false_alarm_rate_costs_cohort_power() -> None:
    assert _value("cohort_detection_corrected") < _value("cohort_detection")
