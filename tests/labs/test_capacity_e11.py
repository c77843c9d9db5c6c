"""Web search: partitioning costs, the tail arithmetic with and without hedging, and tiers."""

from __future__ import annotations

import pytest

from dsd_labs.capacity import model

DESIGN = "e11-full-text-search"


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_document_partitioning_returns_top_k_per_shard() -> None:
    assert value("doc_partition_bytes") == pytest.approx(469 * 10 * 16)


def test_term_partitioning_ships_postings() -> None:
    # 20 billion documents × 0.1% = 20 million postings a term; two of three
    # terms' lists travel to the third, at 2 bytes a posting.
    assert value("postings_per_term") == pytest.approx(20e6)
    assert value("term_partition_bytes") == pytest.approx(2 * 20e6 * 2)
    assert value("term_to_doc_bytes") == pytest.approx(80e6 / (469 * 10 * 16))


def test_hedging_squares_the_per_shard_probability() -> None:
    p, n = 0.001, 469
    assert value("slow_query_share") == pytest.approx(1 - (1 - p) ** n)
    assert value("hedged_slow_share") == pytest.approx(1 - (1 - p * p) ** n)
    assert value("hedged_slow_share") < value("slow_query_share") / 100


def test_hedging_costs_the_hedge_share_of_leaf_requests() -> None:
    assert value("hedge_requests") == pytest.approx(value("leaf_requests") * 0.05)


def test_leaf_deadline_is_what_the_budget_leaves() -> None:
    assert value("leaf_deadline") == pytest.approx(0.3 - 0.04 - 0.02)


def test_missing_shard_changes_few_pages() -> None:
    assert value("page_changed_by_missing_shard") == pytest.approx(1 - (1 - 1 / 469) ** 10)
    assert value("page_changed_by_missing_shard") < 10 * value("result_on_missing_shard")


def test_tiers_cut_fan_out_and_machines() -> None:
    assert value("tier1_shards") + value("tier2_shards") == value("shards")
    assert value("tier1_shards") == 47
    assert value("tiered_machines") == 47 * 200 + 422 * 40
    assert value("tiering_saving") == pytest.approx(93_800 / value("tiered_machines"))
    assert value("tier1_slow_share") < value("slow_query_share")


def test_fan_out_saturates_at_ten_times() -> None:
    assert value("slow_query_share", 10) > 0.99
    assert value("hedged_slow_share", 10) < 0.01
