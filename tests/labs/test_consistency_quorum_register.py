"""Quorum registers: overlap gives regularity, only the write-back gives linearizability."""

from __future__ import annotations

import itertools

import pytest

from dsd_labs.consistency import quorum_register as q
from dsd_labs.consistency.linearizability import check

NO_OVERLAP = q.Config(1, 1, False)
OVERLAP = q.Config(2, 2, False)
WRITE_BACK = q.Config(2, 2, True)


@pytest.mark.parametrize("seed", range(300))
def test_write_back_runs_are_linearizable(seed: int) -> None:
    history = q.simulate(WRITE_BACK, seed, slow_share=0.2)
    assert check(history).linearizable, seed


@pytest.mark.parametrize("seed", range(300))
def test_overlapping_quorums_never_return_a_value_older_than_a_completed_write(
        seed: int) -> None:
    assert q.reads_older_than_completed(q.simulate(OVERLAP, seed, slow_share=0.2)) == []


def test_overlapping_quorums_without_write_back_show_new_old_inversions() -> None:
    failing = [s for s in range(200) if not check(q.simulate(OVERLAP, s)).linearizable]
    assert failing
    for seed in failing:
        history = q.simulate(OVERLAP, seed)
        core = [history[i] for i in check(history).core]
        reads = [op for op in core if op.kind == "read"]
        newer = max(op.value or 0 for op in reads)
        # Some read saw a newer value than a read that began after it ended.
        assert any(a.value == newer and a.precedes(b) and (b.value or 0) < newer
                   for a in reads for b in reads), seed


def test_quorums_that_do_not_overlap_return_completed_overwritten_values() -> None:
    assert any(q.reads_older_than_completed(q.simulate(NO_OVERLAP, s)) for s in range(50))


def test_histories_are_well_formed_and_deterministic() -> None:
    first = q.simulate(OVERLAP, 7)
    assert first == q.simulate(OVERLAP, 7)
    assert len(first) == 4 * 6
    for name in {op.process for op in first}:
        mine = sorted((op for op in first if op.process == name), key=lambda op: op.invoke)
        assert all(a.response < b.invoke for a, b in itertools.pairwise(mine))
    writes = [op.value for op in first if op.kind == "write"]
    assert writes == list(range(1, 7))


def test_main_reports_each_configuration(capsys: pytest.CaptureFixture[str]) -> None:
    assert q.main(["--runs", "60"]) == 0
    out = capsys.readouterr().out
    assert out.count("== N=3") == 3
    assert "R=2 W=2 with write-back: 0 of 60 runs not linearizable" in out
    blocks = out.split("== ")[1:]
    assert [b.split("\n")[1].split()[0] for b in blocks][1:] == ["0", "0"]
