"""Pin the partitioned-register lab: the stale read under A, the errors under C."""

import pytest

from dsd_labs.consistency.history import Operation
from dsd_labs.fundamentals import partitioned_register as pr


def test_history_is_deterministic_and_uses_the_shared_record() -> None:
    first = pr.availability_scenario_history()
    assert first == pr.availability_scenario_history()
    assert all(isinstance(op, Operation) for op in first)
    assert len(first) == len(pr.SCRIPT)


def test_available_design_answers_everything_and_reads_stale() -> None:
    outcomes = pr.simulate("available")
    assert all(o.ok for o in outcomes)
    stale = pr.stale_reads(pr.to_history(outcomes))
    assert len(stale) == 1
    read, newer = stale[0]
    assert (read.process, read.value, newer.value) == ("bob", 1, 2)
    assert newer.response < read.invoke


def test_available_design_converges_after_the_partition_heals() -> None:
    last = pr.availability_scenario_history()[-1]
    assert (last.process, last.kind, last.value) == ("bob", "read", 2)
    assert last.invoke >= pr.PARTITION[1]


def test_consistent_design_fails_on_both_sides_and_never_reads_stale() -> None:
    outcomes = pr.simulate("consistent")
    during = [o for o in outcomes if pr.PARTITION[0] <= o.step.at < pr.PARTITION[1]]
    assert during and not any(o.ok for o in during)
    assert {o.replica for o in during} == {"R1", "R2"}
    assert pr.stale_reads(pr.to_history(outcomes)) == []
    assert outcomes[-1].value == 1  # the failed write of 2 took effect nowhere


def test_consistency_costs_a_round_trip_without_partition() -> None:
    fast = pr.simulate("available", delay=3)[0]
    slow = pr.simulate("consistent", delay=3)[0]
    assert fast.response - fast.step.at == 1
    assert slow.response - slow.step.at == 1 + 2 * 3


def test_stale_reads_detects_an_initial_value_read() -> None:
    history = [Operation("a", "write", 5, 0, 1), Operation("b", "read", None, 2, 3)]
    assert pr.stale_reads(history) == [(history[1], history[0])]
    concurrent = [Operation("a", "write", 5, 0, 4), Operation("b", "read", None, 2, 3)]
    assert pr.stale_reads(concurrent) == []


def test_linearizability_checker_rejects_the_history_if_present() -> None:
    lin = pytest.importorskip("dsd_labs.consistency.linearizability")
    assert not lin.check(pr.availability_scenario_history()).linearizable


def test_main_prints_both_designs(capsys: pytest.CaptureFixture[str]) -> None:
    assert pr.main([]) == 0
    out = capsys.readouterr().out
    assert "== available" in out and "== consistent" in out
    assert out.count("ERROR unavailable") == 3
    assert "provably stale reads: 1" in out
    assert len(out.splitlines()) <= 40
