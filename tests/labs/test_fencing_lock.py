"""Leases alone lose increments; fencing on every request loses none."""

from __future__ import annotations

import random

import pytest

from dsd_labs.interviews import fencing_lock as fl


def test_tokens_grow_with_every_grant_and_a_live_lease_blocks_others() -> None:
    lock = fl.LockService(lease_ms=1000)
    assert lock.acquire(client=0, now=0) == 1
    assert lock.acquire(client=1, now=999) is None
    assert lock.acquire(client=1, now=1000) == 2
    lock.release(1)  # a stale release must not free the new holder's lock
    assert lock.acquire(client=2, now=1001) is None
    lock.release(2)
    assert lock.acquire(client=2, now=1002) == 3


def test_storage_rules() -> None:
    writes = fl.Storage("writes")
    assert writes.read(1) == 0
    assert writes.write(2, 5)
    assert not writes.write(1, 7)
    assert writes.read(1) == 5, "the writes-only rule still serves stale readers"
    every = fl.Storage("all")
    assert every.read(2) == 0
    assert every.read(1) is None
    assert not every.write(1, 7)


def test_scripted_orders() -> None:
    module1, between = fl.STORIES.values()
    assert fl.play("none", module1) == ({"A": "accepted", "B": "accepted"}, 1)
    assert fl.play("writes", module1) == ({"A": "rejected", "B": "accepted"}, 1)
    assert fl.play("writes", between) == ({"A": "accepted", "B": "accepted"}, 1)
    assert fl.play("all", between) == ({"A": "rejected", "B": "accepted"}, 1)


def _trial(mode: str, seeds: range) -> fl.Run:
    return fl.trials(mode, seeds, clients=3, increments=20, timing=fl.Timing())


def test_without_fencing_pauses_lose_increments() -> None:
    assert _trial("none", range(1, 51)).lost > 0


def test_fencing_on_writes_only_still_loses_some_increments() -> None:
    assert _trial("writes", range(1, 201)).lost > 0


@pytest.mark.parametrize("pause_chance", [0.05, 0.3])
def test_fencing_on_every_request_loses_nothing(pause_chance: float) -> None:
    timing = fl.Timing(pause_chance=pause_chance)
    for seed in range(1, 101):
        run = fl.Simulation("all", 4, 10, timing, random.Random(seed)).run()
        assert run.acknowledged == 4 * 10
        assert run.lost == 0


def test_no_pauses_no_losses_even_without_fencing() -> None:
    """Timing only breaks the lease when a pause outlasts it: safety rested on timing."""
    run = fl.trials("none", range(1, 21), 3, 20, fl.Timing(pause_chance=0.0))
    assert run.lost == 0


def test_main_prints_stories_and_trials(capsys: pytest.CaptureFixture[str]) -> None:
    fl.main(["--trials", "20"])
    out = capsys.readouterr().out
    assert "the Module 1 story" in out
    assert "between B's read and B's write" in out
    assert "Random trials: 20 runs" in out
    for mode in fl.MODES:
        assert f"\n  {mode:<14}" in out
