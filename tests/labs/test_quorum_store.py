"""Pin the quorum store: what R + W > N guarantees, and the histories it still allows."""

from __future__ import annotations

import random

import pytest

from dsd_labs.replication import quorum_store as qs


@pytest.mark.parametrize("n", [3, 5])
def test_overlapping_quorums_never_read_stale(n: int) -> None:
    rng = random.Random(11)
    for r in range(1, n + 1):
        for w in range(n + 1 - r, n + 1):  # exactly the pairs with r + w > n
            assert not any(qs.overlap_trial(rng, n, r, w) for _ in range(300))


@pytest.mark.parametrize(("n", "r", "w"), [(3, 1, 1), (3, 1, 2), (3, 2, 1), (5, 2, 2)])
def test_non_overlapping_quorums_match_the_formula(n: int, r: int, w: int) -> None:
    rng = random.Random(3)
    trials = 20_000
    stale = sum(qs.overlap_trial(rng, n, r, w) for _ in range(trials))
    assert abs(stale / trials - qs.stale_formula(n, r, w)) < 0.015


def test_formula_values() -> None:
    assert qs.stale_formula(3, 1, 1) == pytest.approx(2 / 3)
    assert qs.stale_formula(5, 2, 2) == pytest.approx(0.3)
    assert qs.stale_formula(3, 2, 2) == 0


def test_sloppy_quorum_reads_stale_until_handoff_and_strict_does_not() -> None:
    rng = random.Random(7)
    strict, sloppy = qs.SloppyTally(), qs.SloppyTally()
    for _ in range(5000):
        qs.sloppy_trial(rng, 0.3, False, strict)
        qs.sloppy_trial(rng, 0.3, True, sloppy)
    strict_fail, sloppy_stale = qs.sloppy_expectation(0.3)
    assert strict.stale_before == 0 and strict.stale_after == 0
    assert abs(strict.failed / 5000 - strict_fail) < 0.02
    assert sloppy.failed == 0
    assert abs(sloppy.stale_before / 5000 - sloppy_stale) < 0.015
    assert sloppy.stale_after == 0


def test_sloppy_write_stores_hints_on_fallbacks_and_handoff_delivers_them() -> None:
    store = qs.fresh_store(3, extra=2)
    result = store.write("k", qs.Versioned("v2", 2), 2, reachable={"C", "D", "E"}, sloppy=True)
    assert result.ok and result.homes == ("C",) and result.substitutes == ("D", "E")
    assert store.nodes["A"].data["k"].version == 1  # the home replica still has v1
    assert store.hinted_handoff({"A", "B", "C", "D", "E"}) == 2
    assert all(store.nodes[h].data["k"].version == 2 for h in "ABC")
    assert not store.nodes["D"].hints and not store.nodes["E"].hints


def test_hints_wait_for_an_unreachable_target() -> None:
    store = qs.fresh_store(3, extra=2)
    store.write("k", qs.Versioned("v2", 2), 2, reachable={"B", "C", "D"}, sloppy=True)
    assert store.hinted_handoff({"B", "C", "D"}) == 0
    assert len(store.nodes["D"].hints) == 1


def test_read_repair_spreads_the_write() -> None:
    rng = random.Random(5)
    plain = [qs.repair_trial(rng, False) for _ in range(20_000)]
    repaired = [qs.repair_trial(rng, True) for _ in range(20_000)]
    assert abs(sum(s for _, s in plain) / 20_000 - 1 / 3) < 0.015
    assert abs(sum(s for _, s in repaired) / 20_000 - 1 / 9) < 0.01


def test_write_in_flight_is_not_linearizable_without_read_repair() -> None:
    assert qs.in_flight_scenario(repair=False) == (2, 1)
    assert qs.in_flight_scenario(repair=True) == (2, 2)


def test_a_failed_write_is_not_undone_and_reads_can_return_it() -> None:
    rng = random.Random(9)
    outcomes = [qs.failed_write_trial(rng) for _ in range(6000)]
    assert not any(ok for ok, _ in outcomes)
    assert abs(sum(seen for _, seen in outcomes) / 6000 - 2 / 3) < 0.02


def test_main_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert qs.main(["--trials", "500"]) == 0
    out = capsys.readouterr().out
    for heading in ("1. Overlap", "2. Sloppy quorum", "3. Read repair", "4. A write in flight",
                    "5. Failed write", "not linearizable"):
        assert heading in out


@pytest.mark.parametrize(("args", "figures"), [
    (["--seed", "5"], ["9.2%", "21.6%", "sloppy reads stale 9.0%", "11.2%", "66.0%"]),
    (["--seed", "5", "--p-down", "0.1", "--trials", "5000"], ["strict fails 2.8%",
                                                              "stale 1.0%"]),
])
def test_figures_quoted_in_the_text(capsys: pytest.CaptureFixture[str], args: list[str],
                                    figures: list[str]) -> None:
    qs.main(args)
    out = capsys.readouterr().out
    for figure in figures:
        assert figure in out
