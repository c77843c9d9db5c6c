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


def detection(a: Assumptions) -> Table:
    t = Table("detection", "Detecting a bad release in the canary")
    canary = t.add("canary_devices", "Devices in the canary stage",
                   a.fleet_devices * a.canary_share, "devices", "fleet × canary share")
    window = a.observation_hours * HOUR / DAY
    expected = t.add("expected_baseline_failures", "Failures expected in the window if healthy",
                     canary * a.baseline_failure_rate * window, "failures",
                     "canary × baseline daily rate × window in days")
    bad = t.add("expected_bad_failures", "Failures expected if the release is bad",
                expected * a.bad_release_multiplier, "failures",
                "healthy expectation × bad-release multiple")
    threshold = _poisson_threshold(expected, 0.001)
    t.add("halt_threshold", "Halt threshold (false alarm under 0.1% if healthy)", threshold,
          "failures", "smallest k with P(Poisson(healthy) ≥ k) < 0.001")
    t.add("detection_probability", "Probability a bad release crosses the threshold",
          1 - _poisson_cdf(threshold - 1, bad), "%", "P(Poisson(bad) ≥ threshold)")
    t.add("rollout_days", "Minimum rollout duration",
          (a.stage_count - 1) * window + a.final_stage_hours * HOUR / DAY, "days",
          "(stages − 1) × observation window + final stage")
    return t


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
    return [downloads(a), detection(a)]
