"""Pin the replication-lag anomalies and the routing that prevents each."""

from __future__ import annotations

import random

import pytest

from dsd_labs.replication import replication_lag as lag


def test_followers_apply_in_order() -> None:
    f = lag.ship(random.Random(1), [0.0, 1.0, 2.0, 3.0], 50.0)
    assert f.applied == sorted(f.applied)
    assert f.position(-1.0) == 0 and f.position(f.applied[-1]) == 4


def test_random_follower_breaks_read_your_writes_at_the_predicted_rate() -> None:
    t = lag.ryw_experiment(random.Random(2), 20_000, [5.0, 50.0], 100.0, "random")
    assert abs(t.stale / 20_000 - lag.stale_expectation([5.0, 50.0], 100.0)) < 0.012


@pytest.mark.parametrize("policy", ["leader-window", "lsn"])
def test_routing_fixes_restore_read_your_writes(policy: str) -> None:
    t = lag.ryw_experiment(random.Random(3), 5000, [5.0, 50.0], 100.0, policy)
    assert t.stale == 0


def test_lsn_routing_waits_a_little_and_rarely_needs_the_leader() -> None:
    t = lag.ryw_experiment(random.Random(4), 5000, [5.0, 50.0], 100.0, "lsn")
    assert t.waited > 0 and t.wait_ms / t.waited <= 20.0
    assert t.to_leader < 5000 * 0.2


def test_sticky_routing_gives_monotonic_reads() -> None:
    rng = random.Random(5)
    assert lag.monotonic_experiment(rng, 3000, [5.0, 50.0], sticky=False) > 300
    assert lag.monotonic_experiment(rng, 3000, [5.0, 50.0], sticky=True) == 0


def test_consistent_prefix_needs_one_log_or_a_dependency() -> None:
    rng = random.Random(6)
    assert lag.prefix_experiment(rng, 5000, 50.0, "separate") > 50
    assert lag.prefix_experiment(rng, 5000, 50.0, "same") == 0
    assert lag.prefix_experiment(rng, 5000, 50.0, "dependency") == 0


def test_main_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert lag.main(["--trials", "500"]) == 0
    out = capsys.readouterr().out
    for heading in ("1. Read-your-writes", "2. Monotonic reads", "3. Consistent prefix",
                    "follower with the write's LSN", "sticky follower"):
        assert heading in out


@pytest.mark.parametrize(("args", "figures"), [
    (["--seed", "1"], ["18.8%", "19.0%", "7.8% (7.8 ms)", "11.1%", "23.4%", "5.8%"]),
    (["--seed", "1", "--lags", "5,500"], ["44.1%", "44.0%", "40.1%"]),
])
def test_figures_quoted_in_the_text(capsys: pytest.CaptureFixture[str], args: list[str],
                                    figures: list[str]) -> None:
    lag.main(args)
    out = capsys.readouterr().out
    for figure in figures:
        assert figure in out
