"""Pin the physical-floors lab: distances, the light-speed floor, transfer and encoding sizes."""

import pytest

from dsd_labs.fundamentals import physical_floors as pf


def test_great_circle_of_a_quarter_meridian() -> None:
    quarter = pf.great_circle_km((0.0, 0.0), (90.0, 0.0))
    assert quarter == pytest.approx(pf.EARTH_MEAN_RADIUS_KM * 3.141592653589793 / 2)


def test_rtt_floor_is_twice_the_distance_over_c() -> None:
    assert pf.rtt_floor_ms(299_792.458) == pytest.approx(2000.0)


def test_transatlantic_floor_is_tens_of_milliseconds() -> None:
    km = pf.great_circle_km(pf.PLACES["Ashburn, Virginia"], pf.PLACES["Dublin"])
    assert 5000 < km < 6000
    assert 33 < pf.rtt_floor_ms(km) < 40


def test_transfer_hours() -> None:
    assert pf.transfer_hours(4500, 10) == pytest.approx(1.0)


def test_json_is_larger_than_packed_binary() -> None:
    as_json, packed = pf.encoded_sizes(1000, 7)
    assert packed == 8000
    assert as_json > 2 * packed


def test_main_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert pf.main([]) == 0
    out = capsys.readouterr().out
    assert "RTT >=" in out and "Gb/s" in out
    assert len(out.splitlines()) <= 40
