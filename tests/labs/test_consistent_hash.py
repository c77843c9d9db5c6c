"""Pin the hash ring: vnodes even out the load, and membership changes move few keys."""

import random

from dsd_labs.partitioning import consistent_hash as ch
from dsd_labs.partitioning.keyspace import make_keys, moved_fraction, node_names


def test_shares_cover_the_whole_hash_space() -> None:
    ring = ch.HashRing(node_names(7), vnodes=5, salt="t")
    assert abs(sum(ring.shares().values()) - 1.0) < 1e-12


def test_imbalance_falls_as_vnodes_grow_and_follows_the_model() -> None:
    rows = ch.sweep_vnodes(10, [1, 16, 256], rings=10, rng=random.Random(3))
    cvs = [r.cv for r in rows]
    maxes = [r.max_over_mean for r in rows]
    assert cvs[0] > cvs[1] > cvs[2]
    assert maxes[0] > maxes[1] > maxes[2] > 1.0
    for row in rows:  # the spacing model predicts the measured CV within 25%
        assert abs(row.cv - row.predicted_cv) < 0.25 * row.predicted_cv
    assert rows[-1].max_over_mean < 1.2


def test_more_vnodes_spread_a_join_over_more_donors() -> None:
    rows = ch.sweep_vnodes(10, [1, 256], rings=5, rng=random.Random(5))
    assert rows[0].donors == 1.0  # one token takes over part of one neighbour's arc
    assert rows[1].donors == 10.0


def test_ring_join_moves_about_one_in_n_plus_one_and_only_to_the_newcomer() -> None:
    keys = make_keys(20_000)
    names = node_names(10)
    ring = ch.HashRing(names, 256)
    grown = ring.with_nodes([*names, "n10"])
    moved = [k for k in keys if ring.owner(k) != grown.owner(k)]
    assert all(grown.owner(k) == "n10" for k in moved)
    assert abs(len(moved) / len(keys) - 1 / 11) < 0.02


def test_ring_leave_moves_exactly_the_departed_nodes_keys() -> None:
    keys = make_keys(20_000)
    names = node_names(10)
    ring = ch.HashRing(names, 64)
    shrunk = ring.with_nodes([n for n in names if n != "n4"])
    for k in keys:
        assert (ring.owner(k) != shrunk.owner(k)) == (ring.owner(k) == "n4")


def test_modulo_hashing_moves_most_keys() -> None:
    keys = make_keys(20_000)
    names = node_names(10)
    join = moved_fraction(ch.modulo_owner(names), ch.modulo_owner([*names, "n10"]), keys)
    assert join > 0.85  # N/(N+1) = 90.9% in expectation
    rows = ch.membership_changes(10, 256, keys, "n3")
    modulo, ring = rows
    assert modulo.moved_on_join > 8 * ring.moved_on_join
    assert modulo.moved_on_leave > 0.85


def test_main_prints_both_sections(capsys) -> None:
    assert ch.main(["--rings", "3", "--keys", "5000", "--sweep", "1,16"]) == 0
    out = capsys.readouterr().out
    assert "ring balance vs virtual nodes" in out
    assert "membership changes" in out
    assert "hash mod N" in out
