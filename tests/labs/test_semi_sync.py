"""Pin the semi-synchronous model: what each wait point loses when the source crashes."""

from __future__ import annotations

import random

import pytest

from dsd_labs.replication import semi_sync as ss


def run(mode: str, promote: str = "most-advanced") -> ss.CrashTally:
    return ss.crash_experiment(random.Random(8), 400, mode, promote)


def test_async_loses_acknowledged_transactions() -> None:
    t = run("async")
    assert t.acked_lost > 0 and t.acked_lost == t.seen_lost == t.log_only


def test_after_commit_loses_nothing_acknowledged_but_shows_phantoms() -> None:
    t = run("AFTER_COMMIT")
    assert t.acked_lost == 0 and t.seen_lost > 0


def test_after_sync_loses_nothing_acknowledged_or_seen() -> None:
    t = run("AFTER_SYNC")
    assert t.acked_lost == 0 and t.seen_lost == 0
    assert t.log_only > 0  # the old source still holds transactions the new one lacks


def test_promoting_the_wrong_replica_loses_acknowledged_transactions() -> None:
    assert run("AFTER_SYNC", "fixed").acked_lost > 0


def test_visibility_and_acknowledgment_points() -> None:
    txn = ss.Txn(synced=1.0, received=(1.5, 2.0), ack=1.8)
    expected = {"async": (1.0, 1.0), "AFTER_COMMIT": (1.0, 1.8), "AFTER_SYNC": (1.8, 1.8)}
    for mode, points in expected.items():
        assert (ss.visible_at(txn, mode), ss.acknowledged_at(txn, mode)) == points


def test_replicas_receive_in_binary_log_order() -> None:
    txns = ss.timeline(random.Random(1), 500, 0.5)
    for r in range(2):
        times = [t.received[r] for t in txns]
        assert times == sorted(times)
    assert all(t.ack > t.synced for t in txns)


@pytest.mark.parametrize(("timeout", "blocked", "lost", "waiting"), [
    (10_000.0, 10_000.0, 200 + 10_000, 0),
    (60_000.0, 15_000.0, 0, 200),
])
def test_timeout_trades_blocked_commits_for_lost_ones(timeout: float, blocked: float,
                                                      lost: int, waiting: int) -> None:
    assert ss.timeout_story(timeout) == ss.TimeoutStory(blocked, lost, waiting)


def test_main_prints_both_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert ss.main(["--crashes", "50"]) == 0
    out = capsys.readouterr().out
    for text in ("1. The source crashes", "AFTER_SYNC", "AFTER_COMMIT",
                 "2. The only replica stops", "rpl_semi_sync_source_timeout"):
        assert text in out


def test_figures_quoted_in_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    ss.main(["--seed", "2"])
    out = capsys.readouterr().out
    rows = {" ".join(line.split()[:3]): line.split()[3:] for line in out.splitlines()
            if line.strip().startswith(("async", "AFTER_"))}
    assert rows["async longest log"] == ["960", "960", "960"]
    assert rows["AFTER_COMMIT longest log"][:2] == ["0", "947"]
    assert rows["AFTER_SYNC longest log"] == ["0", "0", "938"]
    assert rows["AFTER_SYNC replica 2"][0] == "36"
    assert "10200" in out and "28200" in out
