"""Pin rendezvous hashing: balanced, minimal movement, replica lists that change by one."""

from dsd_labs.partitioning import rendezvous as hrw
from dsd_labs.partitioning.keyspace import (
    key_balance,
    make_keys,
    moved_fraction,
    node_names,
    sampling_cv,
)


def test_owner_is_the_top_of_the_replica_list() -> None:
    names = node_names(8)
    place = hrw.rendezvous_owner(names)
    for key in make_keys(200):
        assert place(key) == hrw.replicas(key, names, 3)[0]


def test_balance_is_close_to_the_counting_floor() -> None:
    keys = make_keys(20_000)
    b = key_balance(hrw.rendezvous_owner(node_names(10)), keys, 10)
    assert b.cv < 2.5 * sampling_cv(len(keys), 10)
    assert b.max_over_mean < 1.1


def test_join_moves_only_keys_won_by_the_newcomer() -> None:
    keys = make_keys(10_000)
    names = node_names(10)
    before, after = hrw.rendezvous_owner(names), hrw.rendezvous_owner([*names, "n10"])
    moved = [k for k in keys if before(k) != after(k)]
    assert all(after(k) == "n10" for k in moved)
    assert abs(len(moved) / len(keys) - 1 / 11) < 0.015


def test_leave_moves_only_the_departed_nodes_keys() -> None:
    keys = make_keys(10_000)
    names = node_names(10)
    before = hrw.rendezvous_owner(names)
    after = hrw.rendezvous_owner([n for n in names if n != "n6"])
    for k in keys:
        assert (before(k) != after(k)) == (before(k) == "n6")
    assert moved_fraction(before, after, keys) < 0.13


def test_replica_lists_change_only_where_the_node_was() -> None:
    contained, changed = hrw.replica_churn(make_keys(2_000), node_names(10), "n2", 3)
    assert changed == contained
    assert 0.25 < contained / 2_000 < 0.35


def test_main_prints_the_table_and_the_replica_section(capsys) -> None:
    assert hrw.main(["--keys", "2000", "--sizes", "5,10"]) == 0
    out = capsys.readouterr().out
    assert "rendezvous hashing" in out
    assert "replica lists" in out
