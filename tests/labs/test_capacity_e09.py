"""Video on demand: the rate-adaptation trace, the shield arithmetic and the blast radius."""

from __future__ import annotations

import pytest

from dsd_labs.capacity import e09_video_on_demand as vod
from dsd_labs.capacity import model

DESIGN = "e09-video-on-demand"


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_the_in_flight_segment_drains_the_buffer_by_its_download_time() -> None:
    # 4 s of 16 Mbit/s video over a 3 Mbit/s link takes 64 ÷ 3 s; the 30 s buffer
    # falls by that much before the segment lands.
    assert value("in_flight_segment_time") == pytest.approx(64 / 3)
    assert value("buffer_trough") == pytest.approx(30 - 64 / 3)
    assert value("buffer_after_in_flight") == pytest.approx(34 - 64 / 3)


def test_the_trough_stays_above_the_reservoir() -> None:
    """The invariant the deep dive relies on: the player never drops below the reservoir."""
    reservoir = model.estimate(DESIGN).assumptions.reservoir
    assert value("buffer_trough") > reservoir
    assert value("trough_margin") == pytest.approx(value("buffer_trough") - reservoir)
    assert value("equilibrium_buffer") > reservoir


def test_rate_map_is_monotone_and_clamped() -> None:
    a = model.estimate(DESIGN).assumptions
    rates = [vod.rate_for_buffer(a, b / 2) for b in range(0, 80)]
    assert rates == sorted(rates)
    assert rates[0] == a.lowest_rendition
    assert rates[-1] == a.highest_rendition


def test_equilibrium_buffer_maps_to_the_link_throughput() -> None:
    a = model.estimate(DESIGN).assumptions
    assert vod.rate_for_buffer(a, value("equilibrium_buffer")) == pytest.approx(
        a.throughput_after_drop)


def test_stall_without_adaptation() -> None:
    # The buffer drains at 1 − 3 ÷ 16 seconds per second of playback.
    assert value("stall_without_adaptation") == pytest.approx(30 / (1 - 3 / 16))


def test_shields_divide_origin_reads_by_the_fan_in() -> None:
    ratio = value("origin_fill_unshielded") / value("origin_fill_shielded")
    assert ratio == pytest.approx(250 / 10)
    assert value("origin_fill_unshielded", 10) / value("origin_fill_shielded", 10) == \
        pytest.approx(2500 / 10)


def test_offload_and_origin_egress_agree() -> None:
    origin = value("origin_peak_egress")
    assert origin == pytest.approx(value("fill_egress") * 0.01)
    assert value("cdn_offload") == pytest.approx(1 - origin / value("peak_egress"))


def test_blast_radius() -> None:
    assert value("streams_per_server") == pytest.approx(14_000)
    assert value("sites_to_absorb_site") == pytest.approx(0.7 / 0.3)
    assert value("streams_per_site") == pytest.approx(
        value("streams_per_server") * value("servers_per_site"))
    assert value("server_refill_time") == pytest.approx(
        value("edge_site_bytes") / value("servers_per_site") * 8 / 10e9)
