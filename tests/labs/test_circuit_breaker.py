"""Pin the circuit breaker lab: thresholds, windows, half-open trials, and retries."""

from dsd_labs.fault_tolerance import circuit_breaker as cb

State = cb.State


def breaker(**overrides) -> cb.CircuitBreaker:
    return cb.CircuitBreaker(cb.Config(**overrides))


def test_no_decision_before_the_minimum_number_of_calls() -> None:
    b = breaker(minimum_calls=5)
    for t in range(4):
        assert b.try_acquire(t)
        b.on_result(t, failed=True, duration_ms=1)
    assert b.state is State.CLOSED  # 4 of 4 failed, but only 4 recorded


def test_opens_at_the_failure_rate_threshold_not_below() -> None:
    b = breaker(window_size=10, minimum_calls=10, failure_rate_threshold=50)
    outcomes = [False] * 6 + [True] * 4  # 40% failed
    for t, failed in enumerate(outcomes):
        b.on_result(t, failed, 1)
    assert b.state is State.CLOSED
    b.on_result(10, True, 1)  # evicts a success: 5 failures of 10, 50%
    assert b.state is State.OPEN


def test_count_window_evicts_the_oldest_outcome() -> None:
    w = cb.CountWindow(3)
    for failed in (True, True, False, False):
        w.record(0, failed, slow=False)
    assert w.rates(0) == (3, 100.0 / 3, 0.0)


def test_time_window_forgets_by_age() -> None:
    w = cb.TimeWindow(buckets=2, bucket_ms=1_000)
    w.record(100, failed=True, slow=False)
    w.record(1_500, failed=False, slow=False)
    assert w.rates(1_900) == (2, 50.0, 0.0)
    assert w.rates(2_100) == (1, 0.0, 0.0)  # the bucket of t = 100 has left the window


def test_breaker_with_time_window_opens_on_a_burst() -> None:
    b = cb.CircuitBreaker(cb.Config(minimum_calls=3), time_buckets=2)
    for t in (0, 10, 20):
        b.on_result(t, failed=True, duration_ms=1)
    assert b.state is State.OPEN


def test_slow_calls_open_the_breaker_without_any_failure() -> None:
    b = breaker(minimum_calls=5, slow_call_ms=500, slow_call_rate_threshold=80)
    for t in range(5):
        b.on_result(t, failed=False, duration_ms=900)
    assert b.state is State.OPEN
    assert "slow-call rate" in b.transitions[-1][3]


def test_open_rejects_until_the_wait_then_permits_only_trial_calls() -> None:
    b = breaker(minimum_calls=2, wait_ms=1_000, half_open_calls=2)
    b.on_result(0, True, 1)
    b.on_result(0, True, 1)
    assert b.state is State.OPEN
    assert not b.try_acquire(999)
    assert b.try_acquire(1_000) and b.state is State.HALF_OPEN
    assert b.try_acquire(1_001)
    assert not b.try_acquire(1_002)  # both trial permits are taken


def test_half_open_closes_on_good_trials_and_reopens_on_bad_ones() -> None:
    good = breaker(minimum_calls=1, half_open_calls=2, wait_ms=10)
    good.on_result(0, True, 1)
    good.try_acquire(10), good.try_acquire(10)
    good.on_result(11, False, 1)
    good.on_result(12, False, 1)
    assert good.state is State.CLOSED
    bad = breaker(minimum_calls=1, half_open_calls=2, wait_ms=10)
    bad.on_result(0, True, 1)
    bad.try_acquire(10), bad.try_acquire(10)
    bad.on_result(11, True, 1)
    bad.on_result(12, False, 1)  # 50% of trials failed: at the threshold
    assert bad.state is State.OPEN and bad.opened_at == 12


def test_the_script_opens_during_the_outage_and_closes_after_recovery() -> None:
    b = cb.CircuitBreaker()
    run = cb.drive(b)
    opened = [t for t, _, new, _ in b.transitions if new is State.OPEN]
    closed = [t for t, _, new, _ in b.transitions if new is State.CLOSED]
    assert opened and 2_000 <= opened[0] < 4_500
    assert closed and closed[-1] >= 6_000 and b.state is State.CLOSED
    assert run.rejected > 0
    assert run.failed_sent * 2 < cb.drive(None).failed_sent


def test_retries_fill_the_window_sooner_and_rejections_are_not_retried() -> None:
    plain, retried = cb.CircuitBreaker(), cb.CircuitBreaker()
    cb.drive(plain, retries=0)
    run = cb.drive(retried, retries=2)
    assert retried.transitions[0][0] < plain.transitions[0][0]
    # Without the breaker the retries triple the failing calls; with it they stay bounded.
    assert cb.drive(None, retries=2).failed_sent > 2 * cb.drive(None).failed_sent
    assert run.attempts_sent + run.rejected <= 3 * run.requests


def test_main_prints_transitions_for_both_runs(capsys) -> None:
    assert cb.main([]) == 0
    out = capsys.readouterr().out
    assert "one attempt per request:" in out and "retry outside the breaker" in out
    assert "CLOSED -> OPEN" in out and "HALF_OPEN -> CLOSED" in out
