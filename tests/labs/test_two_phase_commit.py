"""Pin the two-phase commit lab: where participants block and what breaks atomicity."""

import pytest

from dsd_labs.consensus import two_phase_commit as tpc


def test_failure_free_run_commits_everywhere_in_two_round_trips() -> None:
    res = tpc.simulate("ok", participants=3, latency_ms=1)
    assert set(res.outcomes.values()) == {"committed"}
    assert res.finished_ms == 3  # PREPARE, VOTE, COMMIT: three one-way delays
    assert res.inquiries == 0


@pytest.mark.parametrize("recover_ms", [5_000, 30_000, 120_000])
def test_crash_after_votes_blocks_every_participant_until_recovery(recover_ms: int) -> None:
    res = tpc.simulate("crash-after-votes", participants=3, timeout_ms=1000,
                       recover_ms=recover_ms)
    # every participant voted yes and stays in doubt until the coordinator returns
    assert len(res.in_doubt_ms) == 3
    assert all(ms >= recover_ms - 2 for ms in res.in_doubt_ms.values())
    # asking peers happened and did not help
    assert res.inquiries >= 3 * (recover_ms // 1000 - 1)
    # presumed abort: no commit record in the coordinator's log means abort
    assert set(res.outcomes.values()) == {"aborted"}


def test_participant_that_never_voted_unblocks_the_others() -> None:
    res = tpc.simulate("crash-during-prepare", participants=3, timeout_ms=1000,
                       recover_ms=30_000)
    assert set(res.outcomes.values()) == {"aborted"}
    assert "P3" not in res.in_doubt_ms  # P3 never prepared
    assert max(res.in_doubt_ms.values()) < 2 * 1000  # far below the 30 s outage


def test_peer_that_knows_the_outcome_unblocks_the_others() -> None:
    res = tpc.simulate("crash-mid-commit", participants=4, timeout_ms=1000,
                       recover_ms=30_000)
    assert set(res.outcomes.values()) == {"committed"}
    assert max(res.in_doubt_ms.values()) < 2 * 1000


def test_heuristic_abort_on_timeout_breaks_atomicity() -> None:
    res = tpc.simulate("heuristic-abort", participants=3)
    assert not tpc.atomic(res)
    assert res.outcomes["P1"] == "committed"
    assert res.outcomes["P2"] == "aborted"


@pytest.mark.parametrize("participants", [2, 3, 5])
@pytest.mark.parametrize("script", [s for s in tpc.SCRIPTS if s != "heuristic-abort"])
def test_protocol_scripts_are_atomic(script: str, participants: int) -> None:
    assert tpc.atomic(tpc.simulate(script, participants=participants))


def test_unknown_script_is_rejected() -> None:
    with pytest.raises(ValueError):
        tpc.simulate("no-such-script")


def test_main_prints_every_script(capsys: pytest.CaptureFixture[str]) -> None:
    assert tpc.main(["--recover-ms", "10000"]) == 0
    out = capsys.readouterr().out
    for script in tpc.SCRIPTS:
        assert f"[{script}]" in out
    assert "atomic: NO" in out
    assert "P1=10000" in out
    assert len(out.splitlines()) <= 40
