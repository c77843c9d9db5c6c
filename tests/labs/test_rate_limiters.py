"""The four rate limiters: what each guarantees over any window, on bursts and random traffic."""

from __future__ import annotations

import random

import pytest

from dsd_labs.interviews import rate_limiters as rl

LIMIT, WINDOW = 10, 1000


def _arrivals(seed: int, rate: float = 30.0, seconds: int = 20) -> list[int]:
    return rl.poisson_arrivals(rate, seconds, random.Random(seed))


@pytest.mark.parametrize("seed", range(10))
def test_sliding_log_never_exceeds_the_limit_in_any_window(seed: int) -> None:
    admitted = rl.run(rl.SlidingWindowLog(LIMIT, WINDOW), _arrivals(seed))
    assert rl.max_in_any_window(admitted, WINDOW) == LIMIT


@pytest.mark.parametrize("seed", range(10))
def test_token_bucket_admits_at_most_capacity_plus_refill(seed: int) -> None:
    """Over any interval T the bucket admits at most b + r·T: its only promise."""
    admitted = rl.run(rl.TokenBucket(LIMIT, WINDOW), _arrivals(seed))
    for i, start in enumerate(admitted):
        for j in range(i, len(admitted)):
            assert j - i + 1 <= LIMIT + (admitted[j] - start) * LIMIT / WINDOW


@pytest.mark.parametrize("seed", range(10))
def test_fixed_window_respects_each_calendar_window(seed: int) -> None:
    admitted = rl.run(rl.FixedWindow(LIMIT, WINDOW), _arrivals(seed))
    per_window: dict[int, int] = {}
    for t in admitted:
        per_window[t // WINDOW] = per_window.get(t // WINDOW, 0) + 1
    assert max(per_window.values()) <= LIMIT


def test_fixed_window_admits_twice_the_limit_across_a_boundary() -> None:
    bursts = rl.two_bursts(LIMIT, WINDOW)
    admitted = rl.run(rl.FixedWindow(LIMIT, WINDOW), bursts)
    assert len(admitted) == 2 * LIMIT
    assert rl.max_in_any_window(admitted, WINDOW) == 2 * LIMIT


def test_on_the_same_bursts_only_the_log_holds_the_contract() -> None:
    bursts = rl.two_bursts(LIMIT, WINDOW)
    got = {lim.name: rl.max_in_any_window(rl.run(lim, bursts), WINDOW)
           for lim in rl.limiters(LIMIT, WINDOW)}
    assert got["sliding-window log"] == LIMIT
    assert LIMIT < got["sliding-window counter"] < 2 * LIMIT
    assert LIMIT < got["token bucket"] < 2 * LIMIT
    assert got["fixed window"] == 2 * LIMIT


def test_counter_errs_on_the_strict_side_for_evenly_spread_traffic() -> None:
    """At the allowed rate, evenly spaced, the estimate never overshoots; it rejects a few."""
    even = list(range(0, 10 * WINDOW, WINDOW // LIMIT))
    admitted = rl.run(rl.SlidingWindowCounter(LIMIT, WINDOW), even)
    assert rl.max_in_any_window(admitted, WINDOW) <= LIMIT
    assert len(admitted) >= 0.9 * len(even)


def test_log_state_grows_with_the_limit_counters_do_not() -> None:
    arrivals = _arrivals(3)
    for lim in rl.limiters(LIMIT, WINDOW):
        rl.run(lim, arrivals)
        expected = LIMIT if isinstance(lim, rl.SlidingWindowLog) else 3
        assert lim.state_size() <= expected


def test_main_prints_both_experiments(capsys: pytest.CaptureFixture[str]) -> None:
    rl.main(["--seed", "1"])
    out = capsys.readouterr().out
    assert "Two bursts of 10" in out
    assert "Poisson arrivals" in out
    for name in ("token bucket", "fixed window", "sliding-window log", "sliding-window counter"):
        assert out.count(name) == 2
