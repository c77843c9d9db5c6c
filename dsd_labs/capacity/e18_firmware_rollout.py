"""Capacity model of design e18, the over-the-air firmware rollout."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

HOUR = 3600.0
DAY = 86400.0


def downloads(a: Assumptions) -> Table:
    d = Table("downloads", "Downloads")
    delta = d.add("delta_size", "Delta update per device", a.full_image_size * a.delta_share,
                  "B", "full image × delta share")
    d.add("fleet_bytes", "Bytes delivered to the whole fleet", delta * a.fleet_devices, "B",
          "delta size × devices")
    d.add("final_stage_bandwidth", "Average bandwidth during the final stage",
          delta * a.fleet_devices * 8 / (a.final_stage_hours * HOUR), "bit/s",
          "fleet bytes × 8 bit ÷ final stage duration")
    d.add("full_image_saving", "Bytes saved by deltas over full images",
          (a.full_image_size - delta) * a.fleet_devices, "B",
          "(full image − delta) × devices")
    return d


def _canary_test(a: Assumptions) -> tuple[float, float, int]:
    """The canary's window in days, its healthy expected failures and its halt threshold.

    Three tables judge the same canary test; computing it once keeps them in step.
    """
    window = a.observation_hours * HOUR / DAY
    expected = a.fleet_devices * a.canary_share * a.baseline_failure_rate * window
    return window, expected, _poisson_threshold(expected, a.false_alarm_rate)


def detection(a: Assumptions) -> Table:
    t = Table("detection", "Detecting a bad release in the canary")
    t.add("canary_devices", "Devices in the canary stage",
          a.fleet_devices * a.canary_share, "devices", "fleet × canary share")
    window, healthy, threshold = _canary_test(a)
    expected = t.add("expected_baseline_failures", "Failures expected in the window if healthy",
                     healthy, "failures", "canary × baseline daily rate × window in days")
    bad = t.add("expected_bad_failures", "Failures expected if the release is bad",
                expected * a.bad_release_multiplier, "failures",
                "healthy expectation × bad-release multiple")
    t.add("halt_threshold", "Halt threshold (false-alarm rate below the stated one if healthy)",
          threshold, "failures", "smallest k with P(Poisson(healthy) ≥ k) < false-alarm rate")
    t.add("detection_probability", "Probability a bad release crosses the threshold",
          1 - _poisson_cdf(threshold - 1, bad), "%", "P(Poisson(bad) ≥ threshold)")
    t.add("rollout_days", "Minimum rollout duration",
          (a.stage_count - 1) * window + a.final_stage_hours * HOUR / DAY, "days",
          "(stages − 1) × observation window + final stage")
    return t


def power(a: Assumptions) -> Table:
    """What the same test catches at other sizes: smaller regressions, later stages, cohorts."""
    p = Table("power", "What each stage can detect")
    window, canary_expected, canary_threshold = _canary_test(a)
    p.add("canary_small_detection", "Canary's chance of catching the small regression",
          _detection(canary_expected, canary_threshold, a.small_regression_multiplier), "%",
          "P(Poisson(healthy × small multiple) ≥ canary threshold)")
    p.add("canary_detectable_multiplier", "Smallest multiple the canary catches reliably",
          _detectable_multiple(canary_expected, canary_threshold, a.allowed_miss_rate), "×",
          "smallest multiple caught with probability 1 − allowed miss rate")
    stage2 = p.add("stage2_devices", "Devices in the second stage",
                   a.fleet_devices * a.second_stage_share, "devices",
                   "fleet × second-stage share")
    stage2_expected = stage2 * a.baseline_failure_rate * window
    stage2_threshold = p.add("stage2_threshold", "Halt threshold in the second stage",
                             _poisson_threshold(stage2_expected, a.false_alarm_rate), "failures",
                             "as the canary's, for the second stage's devices")
    p.add("stage2_small_detection", "Second stage's chance of catching the small regression",
          _detection(stage2_expected, int(stage2_threshold), a.small_regression_multiplier),
          "%", "P(Poisson(healthy × small multiple) ≥ second-stage threshold)")
    cohort = p.add("cohort_canary_devices", "Canary devices in one cohort",
                   a.fleet_devices * a.canary_share / a.cohorts, "devices",
                   "canary devices ÷ cohorts")
    cohort_expected = cohort * a.baseline_failure_rate * window
    cohort_threshold = p.add("cohort_threshold", "Halt threshold for one cohort",
                             _poisson_threshold(cohort_expected, a.false_alarm_rate),
                             "failures", "as the canary's, for one cohort's devices")
    p.add("cohort_detection", "One cohort's chance of catching a bad release confined to it",
          _detection(cohort_expected, int(cohort_threshold), a.bad_release_multiplier), "%",
          "P(Poisson(cohort healthy × bad multiple) ≥ cohort threshold)")
    tests = a.stage_count * (a.cohorts + 1)
    corrected = _poisson_threshold(cohort_expected, a.false_alarm_rate / tests)
    p.add("cohort_detection_corrected", "The same with the false-alarm rate split over all tests",
          _detection(cohort_expected, corrected, a.bad_release_multiplier), "%",
          "as above, with a threshold for false-alarm rate ÷ tests")
    p.add("tests_per_release", "Halt tests per release (whole stage and every cohort)",
          tests, "tests", "stages × (cohorts + 1)")
    false_halt = p.add("false_halt_per_release", "Chance a healthy release is halted somewhere",
                       1 - (1 - a.false_alarm_rate) ** tests, "%",
                       "1 − (1 − false-alarm rate) ^ tests")
    p.add("false_halts_per_year", "Healthy releases halted per year",
          false_halt * a.releases_per_year, "releases", "chance per release × releases per year")
    return p


def halting(a: Assumptions) -> Table:
    h = Table("halting", "Halting early")
    _window, expected, threshold = _canary_test(a)
    bad_per_hour = expected * a.bad_release_multiplier / a.observation_hours
    crossing = h.add("time_to_threshold",
                     "Time for a bad release's failures to reach the threshold",
                     threshold / bad_per_hour * HOUR, "s",
                     "threshold ÷ bad release's failures per hour")
    halt = h.add("time_to_halt", "Time from the canary's start to the halt",
                 crossing + a.signal_delay_hours * HOUR, "s",
                 "time to threshold + signal delay")
    h.add("failures_before_halt", "Devices failing before the halt takes effect",
          bad_per_hour * halt / HOUR, "devices", "bad release's failures per hour × time to halt")
    h.add("window_saved", "Share of the observation window saved by halting early",
          1 - halt / (a.observation_hours * HOUR), "%", "1 − time to halt ÷ observation window")
    return h


def _detection(expected: float, threshold: int, multiple: float) -> float:
    return 1 - _poisson_cdf(threshold - 1, expected * multiple)


def _detectable_multiple(expected: float, threshold: int, miss: float) -> float:
    """Smallest multiple m (to 0.01) with P(Poisson(expected × m) ≥ threshold) ≥ 1 − miss."""
    m = 1.0
    while _detection(expected, threshold, m) < 1 - miss:
        m += 0.01
    return m


def _poisson_cdf(k: int, mean: float) -> float:
    """P(X ≤ k) for X ~ Poisson(mean), summed in log space so large means do not underflow."""
    if k < 0:
        return 0.0
    return math.fsum(math.exp(i * math.log(mean) - mean - math.lgamma(i + 1))
                     for i in range(k + 1))


def _poisson_threshold(mean: float, alpha: float) -> int:
    """Smallest k with P(X ≥ k) < alpha, searched upward from the mean."""
    k = math.floor(mean)
    while 1 - _poisson_cdf(k - 1, mean) >= alpha:
        k += 1
    return k


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [downloads(a), detection(a), power(a), halting(a)]
