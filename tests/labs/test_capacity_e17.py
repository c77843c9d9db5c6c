"""Telemetry ingestion: jitter, the Receive Maximum window and backlog pacing."""

from __future__ import annotations

import pytest

from dsd_labs.capacity import model

DESIGN = "e17-telemetry-ingestion"


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_jitter_spreads_the_storm_by_window_over_keep_alive() -> None:
    ratio = value("unjittered_reconnect_rate") / value("reconnect_rate")
    assert ratio == pytest.approx(600 / 60)
    assert value("unjittered_handshake_cores") == 667


def test_receive_maximum_bounds_one_device_not_the_fleet() -> None:
    assert value("device_window_rate") == pytest.approx(10 / 0.6)
    assert value("fleet_window_rate") == pytest.approx(40e6 * 10 / 0.6)
    # The fleet's windows allow a thousand times what the pipeline can take.
    assert value("fleet_window_rate") > 100 * value("message_rate") * 3


def test_paced_backlog_drains_in_the_same_time_as_the_fleet_backlog() -> None:
    assert value("device_backlog_readings") == 1440
    assert value("device_backlog_batches") == 24
    assert value("backlog_batch_budget") == pytest.approx(40e6 / 60 * 2 / 60)
    assert value("device_backlog_drain") == pytest.approx(value("backlog_drain_time"))


def test_broker_memory_and_duplicates() -> None:
    assert value("broker_inflight_worst") == pytest.approx(500_000 * 10 * 300)
    assert value("broker_inflight_worst_batched") == pytest.approx(
        60 * value("broker_inflight_worst"))
    assert value("duplicates_per_broker_crash") == pytest.approx(40e6 / 60 / 80 * 0.6)


def test_qos_packet_multipliers() -> None:
    assert value("qos2_packets") == pytest.approx(2 * value("qos1_packets"))
    assert value("qos1_packets", 10) == pytest.approx(10 * value("qos1_packets"))


def test_window_overcommit() -> None:
    assert value("window_overcommit") == pytest.approx(
        value("fleet_window_rate") / value("message_rate"))
