"""Pin the CRDTs: merge laws, convergence, and what their LWW rivals lose."""

from __future__ import annotations

import random

import pytest

from dsd_labs.replication import crdt


@pytest.mark.parametrize("make", [crdt.random_counter, crdt.random_orset])
def test_merge_is_commutative_associative_and_idempotent(make) -> None:
    assert all(crdt.check_laws(random.Random(1), make, 500).values())


def test_gcounter_converges_on_the_total() -> None:
    rng = random.Random(2)
    for _ in range(50):
        values, _ = crdt.counter_run(rng, 120)
        assert values == [120, 120, 120]


def test_lww_register_counter_loses_concurrent_increments() -> None:
    _, lww_values = crdt.counter_run(random.Random(3), 300)
    assert len(set(lww_values)) == 1 and lww_values[0] < 300


def test_orset_add_survives_an_unobserved_remove() -> None:
    orset, lww = crdt.cart_scenario()
    assert orset == {"milk"}
    assert lww == set()


def test_orset_remove_of_an_observed_add_sticks() -> None:
    a = crdt.ORSet()
    a.add("x", ("A", 1))
    b = crdt.ORSet().merge(a)
    b.remove("x")
    assert a.merge(b).elements() == set() == b.merge(a).elements()


def test_orset_replicas_converge() -> None:
    rng = random.Random(4)
    for _ in range(50):
        sets = crdt.orset_run(rng, 150)
        assert sets[0] == sets[1] == sets[2]


def test_main_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert crdt.main(["--runs", "20"]) == 0
    out = capsys.readouterr().out
    for text in ("1. Merge laws", "2. 20 runs", "3. A removes milk", "4. 20 runs"):
        assert text in out
    assert "NO" not in out


def test_figures_quoted_in_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    crdt.main(["--seed", "4"])
    out = capsys.readouterr().out
    assert "replicas agree in 200 runs, on 300 in 200" in out
    assert "mean 163.6" in out  # more than half of 300 increments lost
    assert "agree in 200" in out.splitlines()[-1]
