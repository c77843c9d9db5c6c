"""Pin the queueing lab: textbook M/M/1 and Erlang C values and the shape of the curve."""

import math

import pytest

from dsd_labs.operations import queueing as q


def test_mm1_mean_response_is_service_over_one_minus_rho() -> None:
    for rho in (0.5, 0.8, 0.9):
        assert q.mmc(rho * 100, 100, 1).mean_response == pytest.approx(0.01 / (1 - rho))


def test_erlang_c_with_one_server_is_utilization() -> None:
    assert q.erlang_c(1, 0.7) == pytest.approx(0.7)


def test_erlang_c_matches_the_closed_form() -> None:
    c, a = 5, 3.5
    top = a ** c / math.factorial(c) * c / (c - a)
    bottom = sum(a ** k / math.factorial(k) for k in range(c)) + top
    assert q.erlang_c(c, a) == pytest.approx(top / bottom)


def test_pooling_cuts_waiting_at_the_same_utilization() -> None:
    one, many = q.mmc(80, 100, 1), q.mmc(16 * 80, 100, 16)
    assert many.mean_wait < one.mean_wait / 10


def test_spike_hurts_more_the_hotter_the_fleet() -> None:
    def growth(rho: float) -> float:
        return q.mmc(rho * 1.1 * 100, 100, 1).mean_response / q.mmc(rho * 100, 100, 1).mean_response
    assert growth(0.7) < growth(0.8) < growth(0.9)
    assert growth(0.9) == pytest.approx(10)


def test_saturated_queue_is_unbounded() -> None:
    assert math.isinf(q.mmc(100, 100, 1).mean_response)


def test_main_prints_table_spike_and_littles_law(capsys: pytest.CaptureFixture[str]) -> None:
    assert q.main([]) == 0
    out = capsys.readouterr().out
    for text in ("utilization", "traffic spike", "Little's law", "300 requests in flight"):
        assert text in out
