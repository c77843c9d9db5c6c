"""Pin the windowing lab: late events dropped or admitted, watermark trade-offs, outages."""

import random

import pytest

from dsd_labs.data_processing import windowing as wd

SIZE = 60.0


@pytest.fixture(scope="module")
def events() -> list[wd.Event]:
    return wd.make_events(random.Random(2), count=6_000, span=900.0, mean_delay=2.0,
                          slow_share=0.03, slow_delay=(20.0, 120.0))


def test_hand_case_late_event_dropped_then_admitted() -> None:
    stream = [wd.Event(10.0, 11.0), wd.Event(75.0, 76.0), wd.Event(20.0, 77.0)]
    strict = wd.run_windows(stream, SIZE, bound=5.0, lateness=0.0)
    # The watermark reached 70 with the second event, so window [0, 60) fired with 1.
    assert strict.dropped == [wd.Event(20.0, 77.0)]
    assert strict.final_results()[0.0] == 1
    lenient = wd.run_windows(stream, SIZE, bound=5.0, lateness=30.0)
    assert lenient.dropped == []
    assert lenient.first_results()[0.0] == 1
    assert lenient.final_results()[0.0] == 2
    assert [f.late for f in lenient.firings if f.start == 0.0] == [False, True]


def test_every_event_is_counted_or_dropped(events) -> None:
    expected = wd.truth(events, SIZE)
    for bound, lateness in [(0, 0), (10, 0), (10, 30), (60, 0)]:
        op = wd.run_windows(events, SIZE, bound, lateness)
        assert sum(op.final_results().values()) + len(op.dropped) == len(events)
        assert wd.missing(op.final_results(), expected) == len(op.dropped)


def test_larger_bound_drops_fewer_but_waits_longer(events) -> None:
    runs = [wd.run_windows(events, SIZE, bound, 0.0) for bound in (0.0, 5.0, 30.0, 130.0)]
    dropped = [len(op.dropped) for op in runs]
    waits = [wd.mean_wait(op) for op in runs]
    assert dropped == sorted(dropped, reverse=True)
    assert waits == sorted(waits)
    assert dropped[-1] == 0  # the bound exceeds the longest delay


def test_allowed_lateness_recovers_late_events_without_delaying_first_results(events) -> None:
    strict = wd.run_windows(events, SIZE, 10.0, 0.0)
    lenient = wd.run_windows(events, SIZE, 10.0, 130.0)
    assert strict.first_results() == lenient.first_results()
    assert lenient.dropped == []
    assert lenient.final_results() == dict(wd.truth(events, SIZE))
    assert lenient.max_open > strict.max_open  # the price: state kept longer


def test_watermark_never_moves_backward(events) -> None:
    op = wd.EventTimeWindows(SIZE, bound=10.0)
    seen = []
    for event in events:
        op.process(event)
        seen.append(op.watermark)
    assert seen == sorted(seen)


def test_outage_breaks_processing_time_windows_not_event_time(events) -> None:
    expected = wd.truth(events, SIZE)
    outage = wd.with_outage(events, 300.0, 500.0, speedup=10.0)
    assert [e.event_time for e in outage] == [e.event_time for e in events]  # same order
    assert wd.misplaced(wd.processing_time_counts(outage, SIZE), expected) > 0.15 * len(events)
    assert (wd.run_windows(outage, SIZE, 10, 0).final_results()
            == wd.run_windows(events, SIZE, 10, 0).final_results())


def test_main_prints_sections(capsys) -> None:
    assert wd.main([]) == 0
    out = capsys.readouterr().out
    assert "processing-time windows" in out
    assert "event-time windows" in out
    assert "processor down" in out
    assert "results unchanged" in out
