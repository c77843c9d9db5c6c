"""Matching engine: replay bounded by snapshots, failure detection, and fairness in time."""

from __future__ import annotations

import pytest

from dsd_labs.capacity import model

DESIGN = "e14-matching-engine"


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_snapshots_bound_replay_far_below_a_full_session() -> None:
    # 125,000 messages/s per partition × 300 s × 2 µs.
    assert value("replay_after_snapshot") == pytest.approx(125_000 * 300 * 2e-6)
    assert value("replay_after_snapshot") < value("replay_time") / 10


def test_snapshot_is_one_partitions_share_of_the_books() -> None:
    assert value("snapshot_size") == pytest.approx(value("book_memory") / 16)


def test_detection_and_the_backlog_it_leaves_at_the_gateways() -> None:
    assert value("detection_time") == pytest.approx(0.03)
    assert value("detection_backlog") == pytest.approx(125_000 * 0.03)
    assert value("detection_backlog", 10) == pytest.approx(10 * value("detection_backlog"))


def test_fairness_hold_and_its_latency_cost() -> None:
    assert value("cable_head_start") == pytest.approx(100 * 5e-9)
    assert value("fairness_hold") == pytest.approx(6e-6)
    assert value("hold_as_fiber") == pytest.approx(1200)
    assert value("ack_latency_with_hold") == pytest.approx(value("ack_latency") + 6e-6)
    # The text's comparisons: gateway jitter exceeds the cable head start, and
    # the hold covers both.
    a = model.estimate(DESIGN).assumptions
    assert value("cable_head_start") < a.gateway_jitter_bound < value("fairness_hold")


def test_market_data_rate() -> None:
    assert value("md_rate") == pytest.approx(3e6)
    assert value("md_bandwidth") == pytest.approx(3e6 * 40 * 8)
