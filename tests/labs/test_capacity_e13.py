"""Log platform: burst back-pressure arithmetic, the three tiers, and the cost of scanning."""

from __future__ import annotations

import pytest

from dsd_labs.capacity import model

DESIGN = "e13-log-analytics"
DAY = 86400.0


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_burst_backlog_follows_the_rate_difference() -> None:
    peak = 100e12 / 500 / DAY * 2
    capacity = peak * 1.25
    backlog = (2 * peak - capacity) * 3600
    assert value("indexing_capacity") == pytest.approx(capacity)
    assert value("burst_backlog_events") == pytest.approx(backlog)
    assert value("freshness_lag_after_burst") == pytest.approx(backlog / capacity)
    assert value("burst_drain_time") == pytest.approx(backlog / (capacity - peak))


def test_the_log_holds_the_backlog_with_room_to_spare() -> None:
    assert value("backlog_share_of_log") < 0.5
    assert value("burst_backlog_bytes") == pytest.approx(value("burst_backlog_events") * 500)


def test_agent_buffer_covers_an_hour_of_a_hosts_peak() -> None:
    assert value("agent_buffer_per_host") == pytest.approx(100e12 / DAY * 2 / 50_000 * 3600)


def test_tiers_partition_the_retention() -> None:
    compressed_day = 100e12 / 10
    assert value("hot_bytes") == pytest.approx(compressed_day * 2 * 7 * 2)
    assert value("warm_bytes") == pytest.approx(compressed_day * 2 * (30 - 7))
    assert value("cold_bytes") == pytest.approx(compressed_day * 90)
    tiered = value("hot_bytes") + value("warm_bytes")
    assert tiered < value("all_indexed_bytes") / 4


def test_scan_costs() -> None:
    assert value("scan_core_seconds") == pytest.approx(41.666, rel=1e-3)
    assert value("scan_pool_query_rate") == pytest.approx(500 / value("scan_core_seconds"))
    assert value("broad_scan_core_hours") == pytest.approx(100e12 / 1e9 / 3600)
    assert value("interactive_window_limit") == pytest.approx(600 / value("scan_core_seconds")
                                                              * 3600)


def test_a_fixed_pool_loses_throughput_as_volume_grows() -> None:
    assert value("scan_pool_query_rate", 10) == pytest.approx(value("scan_pool_query_rate") / 10)


def test_recovery_spreads_over_the_surviving_nodes() -> None:
    assert value("hot_node_bytes") == pytest.approx(value("hot_bytes") / value("hot_nodes"))
    assert value("hot_rebuild_time") == pytest.approx(
        value("hot_node_bytes") / (250e6 * (value("hot_nodes") - 1)))
    assert value("warm_restore_time") == pytest.approx(
        value("warm_node_bytes") / (250e6 * (value("warm_nodes") - 1)))
    assert value("warm_restore_time") > value("hot_rebuild_time")
