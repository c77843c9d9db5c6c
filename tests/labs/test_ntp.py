"""Pin the NTP lab: drift arithmetic and the half-round-trip error bound."""

from dsd_labs.clocks import ntp


def test_fifty_ppm_is_about_four_seconds_a_day() -> None:
    assert abs(ntp.drift_seconds(50, 86_400) - 4.32) < 1e-9


def test_symmetric_path_gives_exact_offset() -> None:
    offset, delay = ntp.exchange(5.0, 10, 10)
    assert abs(offset - 5.0) < 1e-9
    assert abs(delay - 20.0) < 1e-9


def test_asymmetry_error_is_half_the_difference_and_within_half_delay() -> None:
    for out_ms, back_ms in ((2, 18), (0.5, 19.5), (19, 1)):
        offset, delay = ntp.exchange(5.0, out_ms, back_ms)
        assert abs((offset - 5.0) - (out_ms - back_ms) / 2) < 1e-9
        assert abs(offset - 5.0) <= delay / 2 + 1e-9
