"""Pin the burn-rate lab: the Workbook's detection arithmetic and the policies' trade-offs."""

import pytest

from dsd_labs.operations import burn_rate as br

SLO = 0.999


@pytest.fixture(scope="module")
def month() -> br.Month:
    return br.simulate(7)


def results(month: br.Month, index: int) -> tuple[list[br.Detection], int]:
    policy = br.policies()[index]
    fired = br.firing(month, policy, SLO)
    events = [e for e in month.events if e.significant]
    return [br.detect(month, fired, e, SLO) for e in events], br.false_alarms(fired, month.events)


def test_workbook_formula_reproduces_its_table() -> None:
    hour = 60
    outage = br.Event("x", 0, 10, 1.0, True)
    # 14.4x over one hour spends 2% of a 30-day budget; a total outage trips it in 52 s.
    assert 14.4 * hour / (30 * 24 * hour) == pytest.approx(0.02)
    assert br.predicted_delay(outage, br.Condition(hour, None, 14.4), SLO) * 60 == \
        pytest.approx(51.84)
    assert 6 * 6 * hour / (30 * 24 * hour) == pytest.approx(0.05)
    assert 1 * 3 * 24 * hour / (30 * 24 * hour) == pytest.approx(0.10)


def test_threshold_alert_detects_fast_but_pages_on_harmless_blips(month: br.Month) -> None:
    detections, false = results(month, 0)
    assert all(d.delay is not None and d.delay <= 5 for d in detections)
    assert false >= 10


def test_single_burn_rate_misses_slow_events_and_resets_late(month: br.Month) -> None:
    detections, false = results(month, 1)
    outage, partial, slow = detections
    assert outage.delay is not None and outage.delay <= 6
    assert 45 <= outage.reset <= 60  # the one-hour window keeps it firing
    assert partial.delay is None and slow.delay is None
    assert false == 0


def test_multiwindow_page_catches_fast_and_medium_burns_without_false_alarms(
        month: br.Month) -> None:
    detections, false = results(month, 2)
    outage, partial, _ = detections
    assert outage.delay is not None and outage.delay <= 6
    assert outage.budget_spent == pytest.approx(0.02, abs=0.01)
    assert partial.delay is not None and 4 * 60 <= partial.delay <= 5 * 60
    assert partial.budget_spent == pytest.approx(0.05, abs=0.015)
    assert partial.reset is not None and partial.reset <= 30  # the short window resets it
    assert false == 0


def test_ticket_catches_the_slow_burn(month: br.Month) -> None:
    detections, false = results(month, 3)
    slow = detections[2]
    assert slow.delay is not None and 20 * 60 <= slow.delay <= 30 * 60
    assert false == 0


def test_simulation_is_deterministic() -> None:
    assert br.simulate(3).errors == br.simulate(3).errors


def test_main_prints_events_policies_and_formula(capsys: pytest.CaptureFixture[str]) -> None:
    assert br.main(["--seed", "7"]) == 0
    out = capsys.readouterr().out
    for text in ("error budget", "significant events", "false alarms", "Workbook formula",
                 "page: 14.4 1h&5m"):
        assert text in out


def test_low_traffic_makes_alerts_noisy_and_flappy() -> None:
    quiet = br.simulate(7, rate=10)
    policy = br.policies()[0]
    fired = br.firing(quiet, policy, SLO)
    partial = next(e for e in quiet.events if e.name == "partial")
    assert br.detect(quiet, fired, partial, SLO).episodes > 5
    assert br.false_alarms(fired, quiet.events) > 21
