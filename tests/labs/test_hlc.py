"""Pin the hybrid logical clock: the paper's bounds hold in simulation."""

import itertools

from dsd_labs.clocks import hlc


def test_l_never_below_physical_time_and_monotonic() -> None:
    clock = hlc.HybridLogicalClock()
    stamps = [clock.send_or_local(pt) for pt in (5, 5, 6, 4, 9)]
    assert stamps == [(5, 0), (5, 1), (6, 0), (6, 1), (9, 0)]
    assert all(a < b for a, b in itertools.pairwise(stamps))


def test_receive_orders_after_message_from_fast_clock() -> None:
    clock = hlc.HybridLogicalClock()
    stamp = clock.receive(100, (110, 0))
    assert stamp == (110, 1)
    assert clock.send_or_local(111) == (111, 0)


def test_receive_with_equal_l_takes_max_counter() -> None:
    clock = hlc.HybridLogicalClock(l=50, c=2)
    assert clock.receive(40, (50, 7)) == (50, 8)


def test_bounds_over_many_seeds() -> None:
    for seed in range(30):
        stats = hlc.simulate(seed, processes=4, epsilon=8, steps=800)
        assert stats.events > 0
        assert stats.violations == []
        assert 0 <= stats.max_drift <= 8
        assert stats.max_c <= 4 * (8 + 1)


def test_bound_on_l_minus_pt_is_approached() -> None:
    worst = max(hlc.simulate(s, 5, 10, 2000).max_drift for s in range(10))
    assert 5 <= worst <= 10
