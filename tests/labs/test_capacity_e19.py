"""CDN: PoP failover, the hot object, shield fan-in and purge bounds."""

from __future__ import annotations

import pytest

from dsd_labs.capacity import model

DESIGN = "e19-cdn"


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_a_lost_pop_fits_in_its_neighbors_headroom() -> None:
    # At 60% utilization each PoP has 40% spare: 0.6 ÷ 0.4 PoPs absorb one.
    assert value("pops_to_absorb_pop") == pytest.approx(1.5)
    assert value("pop_peak_egress") == pytest.approx(200e12 / 300)


def test_moved_users_triple_the_shield_traffic() -> None:
    assert value("failover_miss_multiple") == pytest.approx((1 - 0.7) / (1 - 0.9))
    assert value("moved_miss_traffic") == pytest.approx(value("pop_peak_egress") * 0.3)


def test_consistent_hashing_moves_one_server_share() -> None:
    assert value("keys_moved_on_server_loss") == pytest.approx(
        1 / value("servers_per_pop"))


def test_hot_object_outgrows_one_server_at_ten_times() -> None:
    assert value("hot_object_servers") == 1
    assert value("hot_object_servers", 10) == 2
    assert value("hot_object_servers", 100) > 10


def test_shields_cut_cold_fetches_by_the_fan_in() -> None:
    assert value("cold_fetches_unshielded") / value("cold_fetches_shielded") == \
        pytest.approx(300 / 6)


def test_purge_bounds() -> None:
    assert value("purge_fast_path") == pytest.approx(0.3)
    assert value("purge_retries_in_target") == 4
    assert value("purge_worst_case") == pytest.approx(30.3)
    assert value("lease_renewals") == pytest.approx(300 * 3 / 30)
