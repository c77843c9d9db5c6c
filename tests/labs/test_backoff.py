"""Pin the backoff lab: jitter breaks up the herd and drains the backlog sooner."""

import random

import pytest

from dsd_labs.fault_tolerance import backoff as bo

SCENARIO = bo.Scenario()


@pytest.mark.parametrize("retry", range(12))
def test_sleeps_stay_within_each_policy_bounds(retry: int) -> None:
    rng = random.Random(retry)
    top = bo.ceiling(retry, 10.0, 2_000.0)
    assert bo.next_sleep("none", retry, 10.0, 10.0, 2_000.0, rng) == top
    for _ in range(200):
        assert 0.0 <= bo.next_sleep("full", retry, 10.0, 10.0, 2_000.0, rng) <= top
        assert top / 2 <= bo.next_sleep("equal", retry, 10.0, 10.0, 2_000.0, rng) <= top
        prev = rng.uniform(10.0, 2_000.0)
        sleep = bo.next_sleep("decorrelated", retry, prev, 10.0, 2_000.0, rng)
        assert 10.0 <= sleep <= min(2_000.0, 3 * prev)


def test_ceiling_doubles_then_caps() -> None:
    assert [bo.ceiling(n, 10.0, 100.0) for n in range(6)] == [10, 20, 40, 80, 100, 100]


def test_every_client_finishes_and_no_one_beats_the_drain_floor() -> None:
    for policy in bo.POLICIES:
        out = bo.simulate(policy, SCENARIO, seed=3)
        assert out.calls_after_recovery >= SCENARIO.clients  # one success each, at least
        assert out.completion_ms >= bo.drain_floor_ms(SCENARIO) - SCENARIO.slot_ms


def test_without_jitter_the_clients_arrive_as_one_herd() -> None:
    out = bo.simulate("none", SCENARIO, seed=0)
    assert out.peak_after_recovery == SCENARIO.clients


def test_jitter_cuts_calls_after_recovery_and_drain_time() -> None:
    rows = {row.policy: row for row in bo.compare(SCENARIO, seeds=5)}
    none = rows["none"]
    for policy in ("full", "equal", "decorrelated"):
        jittered = rows[policy]
        assert jittered.calls_after_recovery * 5 < none.calls_after_recovery
        assert jittered.completion_ms * 5 < none.completion_ms
        assert jittered.peak_after_recovery * 10 < none.peak_after_recovery


def test_runs_are_deterministic_per_seed() -> None:
    assert bo.simulate("full", SCENARIO, 7) == bo.simulate("full", SCENARIO, 7)
    assert bo.simulate("full", SCENARIO, 7) != bo.simulate("full", SCENARIO, 8)


def test_unknown_policy_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown policy"):
        bo.next_sleep("linear", 0, 10.0, 10.0, 100.0, random.Random(0))


def test_main_prints_every_policy(capsys) -> None:
    assert bo.main(["--seeds", "2"]) == 0
    out = capsys.readouterr().out
    assert "fastest possible drain" in out
    for policy in bo.POLICIES:
        assert f"\n{policy} " in out
