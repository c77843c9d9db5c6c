"""Pin the retry amplification lab: the product formula, its simulation, and budgets."""

import math

import pytest

from dsd_labs.fault_tolerance import retry_amplification as ra


def test_total_outage_multiplies_attempts_at_every_layer() -> None:
    assert ra.expected_calls(4, 3, 1.0) == [1, 4, 16, 64, 256]
    assert ra.expected_calls(3, 2, 1.0)[-1] == 27


def test_healthy_database_costs_one_call() -> None:
    assert ra.expected_calls(4, 3, 0.0) == [1, 1, 1, 1, 1]


def test_partial_failure_matches_the_geometric_sum() -> None:
    calls = ra.expected_calls(1, 3, 0.5)
    assert calls[-1] == pytest.approx(1 + 0.5 + 0.25 + 0.125)


@pytest.mark.parametrize("p", [1.0, 0.5, 0.1])
def test_simulation_agrees_with_the_formula(p: float) -> None:
    calls, _ = ra.simulate("retry at every layer", 4, 3, p, requests=4_000, seed=2)
    expected = ra.expected_calls(4, 3, p)
    for got, want in zip(calls, expected, strict=True):
        assert got / 4_000 == pytest.approx(want, rel=0.05)


def test_retrying_at_one_layer_bounds_the_multiplier_by_its_attempts() -> None:
    calls, _ = ra.simulate("retry at one layer", 4, 3, 1.0, requests=500, seed=1)
    assert calls[-1] == 4 * 500


def test_retry_budget_caps_amplification_near_one_plus_ratio_per_layer() -> None:
    requests = 2_000
    calls, _ = ra.simulate("every layer, 10% budget", 4, 3, 1.0, requests, seed=1)
    per_request = calls[-1] / requests
    assert per_request < 1.6  # 1.1^4 = 1.46, plus each layer's reserve
    assert per_request > 1.1**4


def test_budget_never_lends_more_than_its_balance() -> None:
    budget = ra.RetryBudget(ratio=0.1, reserve=2, cap=100)
    assert [budget.may_retry() for _ in range(3)] == [True, True, False]
    for _ in range(10):
        budget.on_first_attempt()
    assert budget.may_retry() and not budget.may_retry()


def test_grpc_throttle_stops_retrying_at_half_the_tokens() -> None:
    throttle = ra.GrpcThrottle(max_tokens=10, token_ratio=0.1)
    for _ in range(4):
        throttle.on_outcome(failed=True)
    assert throttle.may_retry()  # 6 > 5
    throttle.on_outcome(failed=True)
    assert not throttle.may_retry()  # 5 is not above 5
    for _ in range(10):
        throttle.on_outcome(failed=False)
    assert math.isclose(throttle.tokens, 6.0) and throttle.may_retry()


def test_limiters_trade_availability_for_load_under_partial_failure() -> None:
    _, unlimited = ra.simulate("retry at every layer", 4, 3, 0.5, 1_000, seed=1)
    _, throttled = ra.simulate("every layer, gRPC throttle", 4, 3, 0.5, 1_000, seed=1)
    assert unlimited < 10
    assert throttled > 300


def test_main_prints_formula_and_every_policy(capsys) -> None:
    assert ra.main([]) == 0
    out = capsys.readouterr().out
    assert "4^4 = 256" in out
    for policy in ra.POLICIES:
        assert policy in out
