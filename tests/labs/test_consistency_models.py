"""The multi-key model checkers: separating histories, the hierarchy, and agreement."""

from __future__ import annotations

import itertools

import pytest

from dsd_labs.consistency import linearizability as lin
from dsd_labs.consistency import models as m
from dsd_labs.consistency.history import Operation

YES, NO = True, False
EXPECTED = {  # LIN, SC, CC, PRAM
    "feature flag: stale read after the write returned": (NO, YES, YES, YES),
    "reader lags the writer": (NO, YES, YES, YES),
    "two flags (store buffering)": (NO, NO, YES, YES),
    "concurrent writes seen in two orders": (NO, NO, YES, YES),
    "reply visible without its post": (NO, NO, NO, YES),
    "one writer's edits seen swapped": (NO, NO, NO, NO),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_separating_history_gets_its_verdicts(name: str) -> None:
    verdicts = m.judge(m.separating_histories()[name])
    assert tuple(verdicts.values()) == EXPECTED[name]


def test_every_adjacent_pair_of_models_is_separated() -> None:
    rows = [tuple(m.judge(h).values()) for h in m.separating_histories().values()]
    for k in range(len(m.MODELS) - 1):
        assert any(not row[k] and row[k + 1] for row in rows), list(m.MODELS)[k]


def is_legal(history: m.KeyHistory, sequence: tuple[int, ...]) -> bool:
    values: dict[str, int | None] = {}
    for i in sequence:
        op = history[i]
        if op.kind == "write":
            values[op.key] = op.value
        elif values.get(op.key) != op.value:
            return False
    return True


def brute_sc(history: m.KeyHistory) -> bool:
    """Sequential consistency straight from the definition: try every permutation."""
    order = m.process_order(history)
    for perm in itertools.permutations(range(len(history))):
        position = {i: k for k, i in enumerate(perm)}
        if all(position[a] < position[b] for a, b in order) and is_legal(history, perm):
            return True
    return False


@pytest.mark.parametrize("seed", range(150))
def test_hierarchy_holds_on_random_histories(seed: int) -> None:
    verdicts = list(m.judge(m.random_history(seed)).values())
    for stronger, weaker in itertools.pairwise(verdicts):
        assert weaker or not stronger, (seed, verdicts)


@pytest.mark.parametrize("seed", range(60))
def test_sequential_consistency_agrees_with_brute_force(seed: int) -> None:
    history = m.random_history(seed, processes=3, operations=6)
    assert m.sequentially_consistent(history) == brute_sc(history)


@pytest.mark.parametrize("seed", range(100))
def test_linearizability_agrees_with_the_single_register_checker(seed: int) -> None:
    history = m.random_history(seed, keys="x")
    ops = [Operation(o.process, o.kind, o.value, o.invoke, o.response) for o in history]
    assert m.linearizable(history) == lin.check(ops).linearizable


def test_serialize_returns_a_witness_that_keeps_the_order() -> None:
    history = m.separating_histories()["reader lags the writer"]
    order = m.process_order(history)
    witness = m.serialize(history, range(len(history)), order)
    assert witness is not None and is_legal(history, witness)
    position = {i: k for k, i in enumerate(witness)}
    assert all(position[a] < position[b] for a, b in order)


def test_causal_order_is_transitive_through_another_process() -> None:
    history = m.separating_histories()["reply visible without its post"]
    order = m.causal_order(history)
    assert (0, 2) in order          # A's write reaches B's write through B's read
    assert (0, 4) in order          # and C's later read of x


def test_main_prints_table_module1_and_hierarchy(capsys: pytest.CaptureFixture[str]) -> None:
    assert m.main(["--random", "40"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[-4:] == ["LIN", "SC", "CC", "PRAM"]
    module1 = [line for line in out.splitlines() if line.startswith("Module 1")]
    assert [line.split()[-4:] for line in module1] == [["no", "yes", "yes", "yes"]]
    assert "histories a stronger model allows and a weaker one rejects: 0" in out
