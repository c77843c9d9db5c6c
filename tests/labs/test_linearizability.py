"""The linearizability checker: hand-made verdicts, witnesses, and random cross-checks."""

from __future__ import annotations

import itertools
import random

import pytest

from dsd_labs.consistency import linearizability as lin
from dsd_labs.consistency.history import Operation

op = Operation


def is_valid_witness(history: list[Operation], order: tuple[int, ...],
                     initial: int | None = None) -> bool:
    """Independent check: a permutation that respects real time and register semantics."""
    if sorted(order) != list(range(len(history))):
        return False
    position = {i: k for k, i in enumerate(order)}
    for a, b in itertools.permutations(range(len(history)), 2):
        if history[a].precedes(history[b]) and position[a] > position[b]:
            return False
    value = initial
    for i in order:
        if history[i].kind == "write":
            value = history[i].value
        elif history[i].value != value:
            return False
    return True


def brute_force(history: list[Operation]) -> bool:
    """Try every permutation: the definition, with no cleverness."""
    return any(is_valid_witness(history, perm) for perm in
               itertools.permutations(range(len(history))))


def test_empty_history_is_linearizable() -> None:
    assert lin.check([]).linearizable


def test_read_concurrent_with_write_may_return_either_value() -> None:
    for seen in (None, 1):
        history = [op("A", "write", 1, 0, 10), op("B", "read", seen, 2, 4)]
        verdict = lin.check(history)
        assert verdict.linearizable
        assert is_valid_witness(history, verdict.witness)


def test_stale_read_after_completed_write_is_rejected_with_core() -> None:
    history = [op("C", "read", None, 0, 1), op("A", "write", 1, 2, 3),
               op("B", "read", None, 4, 5)]
    verdict = lin.check(history)
    assert not verdict.linearizable
    assert verdict.core == (1, 2)          # the harmless first read is shrunk away
    assert any("returns ⊥, register holds 1" in line for line in verdict.reason)


def test_new_old_inversion_is_rejected() -> None:
    history = lin.sample_histories()["new-old inversion between two readers"]
    assert not lin.check(history).linearizable


def test_per_process_order_alone_is_not_enough() -> None:
    history = lin.sample_histories()["sequentially consistent, not linearizable"]
    verdict = lin.check(history)
    assert not verdict.linearizable
    assert [history[i].value for i in verdict.core] == [1, 2, 1]


def test_reading_a_value_never_written_is_rejected() -> None:
    verdict = lin.check([op("A", "write", 1, 0, 1), op("B", "read", 7, 2, 3)])
    assert not verdict.linearizable
    assert verdict.core == (1,)


def test_timed_out_write_may_take_effect_late() -> None:
    # A's write timed out: its response is set past every other event.
    history = [op("A", "write", 1, 0, 100), op("B", "read", None, 5, 6),
               op("B", "read", 1, 50, 51)]
    assert lin.check(history).linearizable


@pytest.mark.parametrize("seed", range(300))
def test_atomic_register_histories_are_linearizable(seed: int) -> None:
    history = lin.sequential_register_history(seed, processes=1 + seed % 5,
                                              operations=10 + seed % 30)
    verdict = lin.check(history)
    assert verdict.linearizable, seed
    assert is_valid_witness(history, verdict.witness)


@pytest.mark.parametrize("seed", range(200))
def test_agrees_with_brute_force_on_small_random_histories(seed: int) -> None:
    rng = random.Random(seed)
    history = lin.sequential_register_history(seed, processes=3, operations=6)
    # Corrupt one read half of the time: the result may or may not stay linearizable.
    reads = [i for i, o in enumerate(history) if o.kind == "read"]
    if reads and rng.random() < 0.5:
        i = rng.choice(reads)
        values = [None] + [o.value for o in history if o.kind == "write"]
        o = history[i]
        history[i] = Operation(o.process, "read", rng.choice(values), o.invoke, o.response)
    verdict = lin.check(history)
    assert verdict.linearizable == brute_force(history)
    if verdict.linearizable:
        assert is_valid_witness(history, verdict.witness)
    else:
        core = [history[i] for i in verdict.core]
        assert not brute_force(core)       # the explanation is itself a failure
        for i in range(len(core)):         # and no read can be dropped from it
            if core[i].kind == "read":
                assert brute_force(core[:i] + core[i + 1:])


def test_memoization_keeps_the_search_small() -> None:
    # Ten concurrent writes of distinct values and no reads: 10! orders, few states.
    history = [op(f"P{k}", "write", k, 0, 100) for k in range(10)]
    verdict = lin.check(history)
    assert verdict.linearizable
    assert verdict.states <= 11 * 2 ** 10


def test_main_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert lin.main(["--seed", "7", "--random", "20"]) == 0
    out = capsys.readouterr().out
    # Three of the four samples fail, and so does Module 1's history, whose
    # lab is part of the package: a missing Module 1 lab is a failure here.
    assert out.count("NOT LINEARIZABLE") == 4
    assert "== Module 1 partitioned register" in out
    assert "20 linearizable" in out


def test_main_sections_can_be_printed_alone(capsys: pytest.CaptureFixture[str]) -> None:
    lin.main(["--only", "samples"])
    samples = capsys.readouterr().out
    assert samples.count("== ") == 4 and samples.count("NOT LINEARIZABLE") == 3
    lin.main(["--only", "module1"])
    module1 = capsys.readouterr().out
    assert module1.startswith("== Module 1 partitioned register")
    assert "NOT LINEARIZABLE" in module1


def test_module1_history_is_rejected_when_available() -> None:
    module = pytest.importorskip("dsd_labs.fundamentals.partitioned_register")
    history = list(module.availability_scenario_history())
    assert not lin.check(history).linearizable
