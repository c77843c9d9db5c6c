"""Pin the canary lab: the rank test and Fisher's test are right, and the judge's error rates."""

import math
import random

import pytest

from dsd_labs.operations import canary


def test_ranks_share_ties() -> None:
    assert canary.ranks([3.0, 1.0, 3.0, 2.0]) == [3.5, 1.0, 3.5, 2.0]


def test_u_counts_pairs_where_canary_is_larger() -> None:
    test = canary.mann_whitney([1.0, 2.0, 3.0], [4.0, 5.0])
    assert test.u == 6  # every canary value beats every baseline value
    same = canary.mann_whitney([1.0, 2.0], [1.0, 2.0])
    assert same.u == 2  # two ties count one half each, plus the pair (1, 2)


def test_u_plus_its_mirror_is_n1_n2() -> None:
    rng = random.Random(5)
    a = [rng.random() for _ in range(30)]
    b = [rng.random() for _ in range(40)]
    assert canary.mann_whitney(a, b).u + canary.mann_whitney(b, a).u == pytest.approx(30 * 40)


def test_fisher_matches_a_hand_computed_table() -> None:
    # 2 errors in 4 baseline requests, 3 in 4 canary: P(X >= 3) with 5 failures among 8.
    expected = (math.comb(4, 3) * math.comb(4, 2) + math.comb(4, 4) * math.comb(4, 1)) \
        / math.comb(8, 5)
    assert canary.fisher_greater(2, 4, 3, 4) == pytest.approx(expected)


def test_noise_only_canaries_are_rarely_rolled_back() -> None:
    assert canary.detection_rate(11, 200, 0.0, 300, 0.01, 0.05) <= 0.03


def test_power_grows_with_sample_size() -> None:
    small = canary.detection_rate(12, 20, 0.10, 100, 0.01, 0.05)
    large = canary.detection_rate(13, 1000, 0.10, 100, 0.01, 0.05)
    assert small < 0.2 and large > 0.8


def test_tolerance_keeps_a_tiny_but_significant_shift() -> None:
    rng = random.Random(2)
    base = canary.latencies(rng, 20_000, 80.0)
    slower = canary.latencies(rng, 20_000, 81.6)
    verdict = canary.judge_latency(base, slower, 0.01, 0.05)
    assert verdict.p_value < 0.01 and verdict.promote


def test_error_judge_catches_tripled_errors_only_with_enough_requests() -> None:
    assert not canary.judge_errors(10, 5000, 39, 5000).promote
    assert canary.judge_errors(1, 500, 2, 500).promote
    assert canary.judge_errors(9, 5000, 8, 5000).promote


def test_main_prints_both_judges(capsys: pytest.CaptureFixture[str]) -> None:
    assert canary.main(["--seed", "3", "--trials", "20"]) == 0
    out = capsys.readouterr().out
    for text in ("Mann-Whitney", "Fisher's exact", "roll back", "promote", "samples per side"):
        assert text in out


def test_binomial_draw_has_the_right_mean() -> None:
    rng = random.Random(4)
    draws = [canary.binomial(rng, 10_000, 0.002) for _ in range(2_000)]
    assert sum(draws) / len(draws) == pytest.approx(20, rel=0.03)


def test_error_judge_power_needs_tens_of_thousands_for_a_doubling_at_0_1_percent() -> None:
    low = canary.error_detection_rate(1, 10_000, 0.001, 2.0, 400)
    high = canary.error_detection_rate(1, 40_000, 0.001, 2.0, 400)
    assert low < 0.4 < 0.8 < high
    assert canary.error_detection_rate(2, 20_000, 0.001, 1.0, 400) <= 0.03
