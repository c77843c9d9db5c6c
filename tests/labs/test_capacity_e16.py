"""Ticketing: expiry rounds, the ungated waiting room and the hottest partition."""

from __future__ import annotations

import math

import pytest

from dsd_labs.capacity import model

DESIGN = "e16-ticketing"


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_the_venue_is_fully_held_after_seats_over_the_hold_rate() -> None:
    # 50,000 seats ÷ (200 users/s × 3 seats) = 83.3 s.
    assert value("time_to_fully_held") == pytest.approx(50_000 / 600)
    # Without gating, the waiting room keeps admitting until the first holds expire.
    assert value("admitted_while_full") == pytest.approx(200 * (480 - 50_000 / 600))


def test_expiry_rounds_shrink_the_unsold_share_geometrically() -> None:
    rounds = value("expiry_rounds")
    assert 0.3 ** rounds == pytest.approx(0.01)
    assert value("time_to_sell_out") == pytest.approx(50_000 / 600 + rounds * 480)
    # The sum over rounds of the users each round needs is orders ÷ conversion.
    orders = 50_000 / 3
    assert value("admitted_to_sell_out") == pytest.approx(
        sum(orders * 0.3**k for k in range(200)))


def test_released_and_hidden_seats() -> None:
    assert value("seats_released_per_round") == pytest.approx(15_000)
    assert value("seats_hidden_by_sweep") == pytest.approx(200 * 0.3 * 3 * 5)


def test_hot_partition_and_failover() -> None:
    assert value("hot_section_hold_rate") == pytest.approx(90)
    assert value("partition_commit_capacity") == pytest.approx(250)
    assert value("hot_partition_utilization") == pytest.approx(0.36)
    assert value("holds_failed_in_failover") == pytest.approx(900)
    assert value("hold_clock_error") == pytest.approx(0.25 / 480)


def test_the_waiting_room_keeps_the_inventory_load_flat() -> None:
    """Ten or a hundred times the arrivals change the demand table only."""
    for name in ("hold_rate", "time_to_sell_out", "hot_partition_utilization"):
        assert value(name, 100) == pytest.approx(value(name))
    assert value("unthrottled_api_rate", 100) == pytest.approx(
        100 * value("unthrottled_api_rate"))
    assert math.isfinite(value("expiry_rounds", 100))
