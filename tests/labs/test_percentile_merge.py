"""Pin the percentile lab: per-instance p99s do not average, merged histograms bound the error."""

import itertools
import math
import random

import pytest

from dsd_labs.observability import percentiles as pc


@pytest.fixture(scope="module")
def results() -> list[pc.Result]:
    return [pc.analyze(s, requests=40_000, seed=seed) for s in pc.SCENARIOS for seed in (1, 2)]


def test_nearest_rank_quantile() -> None:
    values = [float(v) for v in range(1, 101)]
    assert pc.exact_quantile(values, 0.99) == 99.0
    assert pc.exact_quantile(values, 0.5) == 50.0
    assert pc.exact_quantile([7.0], 0.99) == 7.0


def test_averaging_p99s_misstates_the_fleet_p99_in_both_directions(results) -> None:
    small, large = results[:2], results[2:]
    for r in small:  # a small slow instance: the average overstates by more than 50%
        assert r.average_of_p99 > 1.5 * r.exact_merged_p99
    for r in large:  # a busy slow instance: the average hides more than a third
        assert r.average_of_p99 < 0.67 * r.exact_merged_p99


def test_merged_quantile_lies_between_smallest_and_largest_instance_quantile(results) -> None:
    for r in results:
        assert min(r.instance_p99) <= r.exact_merged_p99 <= max(r.instance_p99)


def test_merged_histograms_bound_the_error_by_the_bucket_width(results) -> None:
    for r in results:
        for estimate, lower, upper in (r.classic, r.native):
            assert lower < r.exact_merged_p99 <= upper
            assert abs(estimate - r.exact_merged_p99) <= upper - lower


def test_native_schema_3_buckets_bound_the_relative_error_by_nine_percent(results) -> None:
    growth = 2 ** (1 / 8)
    for r in results:
        _, lower, upper = r.native
        assert upper / lower == pytest.approx(growth)
        assert abs(r.native[0] - r.exact_merged_p99) / r.exact_merged_p99 < growth - 1


def test_finer_buckets_give_a_smaller_error(results) -> None:
    for r in results:
        assert abs(r.native[0] - r.exact_merged_p99) < abs(r.classic[0] - r.exact_merged_p99)


def test_merging_is_exact_and_refuses_different_bounds() -> None:
    rng = random.Random(3)
    a = [rng.uniform(1, 900) for _ in range(500)]
    b = [rng.uniform(1, 900) for _ in range(700)]
    bounds = pc.CLASSIC_BOUNDS_MS
    merged = pc.histogram_of(a, bounds).merge(pc.histogram_of(b, bounds))
    assert merged == pc.histogram_of(a + b, bounds)
    with pytest.raises(ValueError):
        merged.merge(pc.Histogram.empty((1.0, 2.0)))


def test_overflow_bucket_returns_the_highest_finite_bound() -> None:
    hist = pc.histogram_of([20_000.0] * 10, pc.CLASSIC_BOUNDS_MS)
    estimate, lower, upper = hist.quantile(0.99)
    assert estimate == lower == 10_000.0 and math.isinf(upper)


def test_exponential_bounds_are_powers_of_two_to_the_one_eighth_seconds() -> None:
    bounds = pc.exponential_bounds_ms(3, 100.0, 1000.0)
    assert 125.0 in [round(b, 9) for b in bounds]  # 2^-3 s
    assert 500.0 in [round(b, 9) for b in bounds]  # 2^-1 s
    assert all(b2 / b1 == pytest.approx(2 ** (1 / 8)) for b1, b2 in itertools.pairwise(bounds))


def test_main_prints_both_scenarios(capsys) -> None:
    assert pc.main(["--requests", "8000"]) == 0
    out = capsys.readouterr().out
    assert "slow instance serves 10% of traffic" in out
    assert "slow instance serves 40% of traffic" in out
    assert "average of the four p99s" in out and "exact p99 of all requests" in out
    assert "classic buckets" in out and "native, schema 3" in out
