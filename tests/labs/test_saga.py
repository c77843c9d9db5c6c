"""Pin the saga lab: every saga ends fully applied or fully compensated."""

import random

import pytest

from dsd_labs.consensus import saga


def test_declined_card_compensates_in_reverse_order() -> None:
    svc = saga.Services(stock=5)
    outcome, log, crashes = saga.execute(svc, "s", saga.Faults(random.Random(0), declined=True))
    assert outcome == "compensated"
    assert crashes == 0
    compensated = [name for kind, name in log if kind == "compensated"]
    assert compensated == ["inventory.reserve", "orders.create"]
    assert svc.orders["s"] == "REJECTED"
    assert svc.stock == 5


def test_happy_path_completes() -> None:
    svc = saga.Services(stock=5)
    outcome, _, _ = saga.execute(svc, "s", saga.Faults(random.Random(0)))
    assert outcome == "completed"
    assert saga.invariant_holds(svc, "s", outcome, 5)


def test_no_stock_fails_before_the_pivot() -> None:
    svc = saga.Services(stock=1)
    outcome, log, _ = saga.execute(svc, "s", saga.Faults(random.Random(0)))
    assert outcome == "compensated"
    assert ("failed", "inventory.reserve") in log
    assert not any(name == "payments.authorize" for _, name in log)


def test_retries_are_idempotent() -> None:
    svc = saga.Services(stock=5)
    for _ in range(3):
        svc.reserve("s", 2)
        svc.authorize("s", 40, declined=False)
    assert svc.stock == 3
    assert svc.authorizations["s"] == 40


def test_tombstone_refuses_a_reservation_that_arrives_after_its_release() -> None:
    svc = saga.Services(stock=5)
    svc.release("s", 2)  # compensation ran first: the request was still in flight
    with pytest.raises(saga.BusinessFailure):
        svc.reserve("s", 2)
    assert svc.stock == 5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_invariant_holds_under_crashes_and_timeouts(seed: int) -> None:
    counts = saga.campaign(300, seed, tombstones=True, timeout_p=0.3, crash_p=0.1)
    assert counts["violations"] == 0
    assert counts["crashes"] > 0
    assert counts["late"] > 0
    assert counts["completed"] > 0 and counts["compensated"] > 0


def test_without_tombstones_late_requests_leave_sagas_half_applied() -> None:
    counts = saga.campaign(500, 1, tombstones=False)
    assert counts["violations"] > 0


def test_main_prints_log_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert saga.main(["--runs", "200"]) == 0
    out = capsys.readouterr().out
    assert "compensated  orders.create" in out
    assert "sagas left half-applied: 0" in out
    assert len(out.splitlines()) <= 40
