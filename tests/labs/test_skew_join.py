"""Pin the skewed-join lab: every strategy joins correctly; they differ in the busiest task."""

import random

import pytest

from dsd_labs.data_processing import skew_join as sj

PARTITIONS = 16


@pytest.fixture(scope="module")
def tables() -> tuple[list[sj.Row], list[sj.Row]]:
    return sj.make_tables(random.Random(3), orders=40_000, customers=1_000, hot_share=0.3)


@pytest.fixture(scope="module")
def plans(tables) -> dict[str, sj.Plan]:
    fact, dim = tables
    return {
        "hash": sj.hash_plan(fact, dim, PARTITIONS),
        "salt": sj.salted_plan(fact, dim, PARTITIONS, salts=16, rng=random.Random(4)),
        "broadcast": sj.broadcast_plan(fact, dim, PARTITIONS, executors=8),
        "split": sj.skew_split_plan(fact, dim, PARTITIONS, factor=5.0, minimum=200),
    }


def max_rows(plan: sj.Plan) -> int:
    return max(task.rows for task in plan.tasks)


def test_every_strategy_gives_the_same_join(tables, plans) -> None:
    fact, _ = tables
    reference = sorted(fact)  # each order's customer row id equals its key
    for plan in plans.values():
        assert sj.execute(plan) == reference


def test_hash_partitioning_puts_the_hot_key_in_one_task(tables, plans) -> None:
    fact, _ = tables
    hot = sum(key == 0 for _, key in fact)
    assert max_rows(plans["hash"]) >= hot
    assert max_rows(plans["hash"]) > 3 * len(fact) / PARTITIONS


def test_salting_broadcast_and_split_cut_the_busiest_task(plans) -> None:
    for name in ("salt", "broadcast", "split"):
        assert max_rows(plans[name]) < max_rows(plans["hash"]) / 2, name


def test_broadcast_task_is_one_split_plus_the_whole_dimension(tables, plans) -> None:
    fact, dim = tables
    assert max_rows(plans["broadcast"]) == -(-len(fact) // PARTITIONS) + len(dim)
    assert plans["broadcast"].network_rows == 8 * len(dim)  # no fact row moves


def test_salting_copies_only_hot_dimension_rows(tables, plans) -> None:
    fact, dim = tables
    assert plans["salt"].network_rows == len(fact) + len(dim) + 15  # one hot key, 15 extra copies


def test_salt_must_be_part_of_the_join_key(tables) -> None:
    # Joining salted rows on the bare key matches each order with every copy of its customer.
    fact, dim = tables
    plan = sj.salted_plan(fact, dim, PARTITIONS, salts=16, rng=random.Random(4))
    unsalted = sj.Plan("bare key", tuple(
        sj.Task(tuple((i, k[0]) for i, k in t.fact), tuple((i, k[0]) for i, k in t.dim))
        for t in plan.tasks), plan.network_rows)
    assert len(sj.execute(unsalted)) > len(fact)


def test_skew_split_leaves_mild_skew_alone() -> None:
    fact, dim = sj.make_tables(random.Random(5), orders=40_000, customers=1_000, hot_share=0.05)
    plan = sj.skew_split_plan(fact, dim, PARTITIONS, factor=5.0, minimum=200)
    assert len(plan.tasks) == PARTITIONS  # 5% on one key is not 5x the median partition


def test_main_prints_every_strategy(capsys) -> None:
    assert sj.main(["--orders", "20000", "--customers", "500"]) == 0
    out = capsys.readouterr().out
    for name in ("hash partitioning", "salting", "broadcast", "skew split"):
        assert name in out
    assert "  NO" not in out
