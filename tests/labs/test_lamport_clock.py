"""Pin the Lamport clock lab: the clock condition holds and its converse does not."""

from dsd_labs.clocks import lamport_clock as lc


def test_clock_condition_holds_for_every_happened_before_pair() -> None:
    result = lc.run(lc.RUN)
    assert result.before, "the run has message and program-order edges"
    for a, b in result.before:
        assert result.stamps[a] < result.stamps[b]


def test_receive_jumps_past_the_send() -> None:
    clock = lc.LamportClock(time=1)
    assert clock.receive(7) == 8
    assert clock.tick() == 9


def test_smaller_timestamp_does_not_imply_happened_before() -> None:
    result = lc.run(lc.RUN)
    misleading = lc.concurrent_but_ordered(result)
    assert ("a3", "b3") in misleading  # C(a3) = 3 < C(b3) = 4, yet concurrent
    assert ("a2", "b2") not in misleading  # a real message edge


def test_main_prints_no_violations(capsys) -> None:
    assert lc.main([]) == 0
    assert "clock condition violations: 0" in capsys.readouterr().out
