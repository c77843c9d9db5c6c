"""The session-guarantee checkers: each anomaly trips exactly its own guarantee."""

from __future__ import annotations

import pytest

from dsd_labs.consistency import session_guarantees as sg
from dsd_labs.consistency.history import Operation

EXPECTED = {
    "Ann cannot see her own update": {"RYW"},
    "Bob's comment disappears on refresh": {"MR"},
    "Dan's older edit overwrites his newer one": {"MW"},
    "Fay's reply appears without the post": {"WFR"},
    "sticky sessions, ordered anti-entropy": set(),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_scenario_violates_exactly_its_guarantee(name: str) -> None:
    found = sg.check_all(sg.scenarios()[name])
    assert {g for g, v in found.items() if v} == EXPECTED[name]


def test_read_your_writes_holds_once_the_replica_catches_up() -> None:
    c = sg.Cluster(["R1", "R2"])
    c.write("ann", "k", "R1")
    c.sync("R1", "R2")
    assert c.read("ann", "k", "R2") == "ann:1"
    assert sg.read_your_writes(c.trace) == []


def test_monotonic_reads_ignores_writes_to_other_keys() -> None:
    c = sg.Cluster(["R1", "R2"])
    c.write("x", "a", "R1")
    c.read("bob", "b", "R1")       # R1 holds x:1, but it is not relevant to key b
    c.read("bob", "b", "R2")
    assert sg.monotonic_reads(c.trace) == []


def test_monotonic_writes_is_judged_at_every_replica() -> None:
    c = sg.Cluster(["R1", "R2", "R3"])
    first = c.write("dan", "d", "R1")
    second = c.write("dan", "d", "R1")
    c.sync("R1", "R2")                   # R2 in order: fine
    c.deliver("R3", second)              # R3 out of order, even if first arrives later
    c.deliver("R3", first)
    found = sg.monotonic_writes(c.trace)
    assert [v.detail for v in found] == ["R3 applied dan:2 without dan:1 before it"]


def test_validate_rejects_a_read_that_contradicts_its_state() -> None:
    trace = sg.Trace(ops=[sg.SessionOp("a", "write", "k", "a:1", "R1", 0),
                          sg.SessionOp("a", "read", "k", None, "R1", 1)],
                     logs={"R1": ["a:1"]})
    with pytest.raises(ValueError, match="latest write"):
        sg.validate(trace)


def test_observed_anomalies_from_a_client_only_history() -> None:
    history = [Operation("A", "write", 1, 0, 1), Operation("A", "read", None, 2, 3),
               Operation("B", "read", 1, 0, 1), Operation("B", "read", None, 4, 5),
               Operation("C", "read", None, 9, 10)]
    assert sg.observed_session_anomalies(history) == [
        "RYW: A wrote 1, then read ⊥ at [2, 3]",
        "MR: B read 1, then read ⊥ at [4, 5]",
    ]


def test_main_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert sg.main([]) == 0
    out = capsys.readouterr().out
    assert out.count("VIOLATED") == 4
    assert "Module 1" in out
