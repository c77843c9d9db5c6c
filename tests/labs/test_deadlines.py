"""Pin the deadline lab: a propagated deadline leaves no orphaned work; fixed timeouts do."""

from dsd_labs.fault_tolerance import deadlines as dl


def test_healthy_chain_is_identical_under_both_designs() -> None:
    fixed = dl.user_request("fixed", db_ms=80)
    propagated = dl.user_request("deadline", db_ms=80)
    assert fixed[:2] == propagated[:2] == (True, 145.0)


def test_inverted_timeouts_leave_work_running_after_the_user_gave_up() -> None:
    ok, done, trace = dl.user_request("fixed", db_ms=2_500)
    assert not ok and done == 2_010
    assert trace.busy_ms("database") == 5_000  # two full queries, one per gateway attempt
    assert trace.orphaned_ms(done) > 5_000


def test_propagated_deadline_ends_all_work_by_the_deadline() -> None:
    ok, done, trace = dl.user_request("deadline", db_ms=2_500, budget_ms=1_000)
    assert not ok and done == 1_000
    assert trace.orphaned_ms(done) == 0
    assert all(end <= 1_000 for _, _, end, _ in trace.spans)
    assert trace.busy_ms("database") < 1_000


def test_each_hop_reserves_time_for_its_own_remaining_work() -> None:
    _, _, trace = dl.user_request("deadline", db_ms=2_500, budget_ms=1_000)
    ends = {name: end for name, _, end, _ in trace.spans}
    assert ends["database"] <= ends["inventory"] - 10 <= ends["orders"] - 20


def test_a_hop_refuses_a_call_it_cannot_finish() -> None:
    ok, _, trace = dl.user_request("deadline", db_ms=10, budget_ms=40)
    assert not ok
    assert any(outcome == "refused" for _, _, _, outcome in trace.spans)
    assert trace.busy_ms("database") == 0


def test_main_prints_both_scenarios(capsys) -> None:
    assert dl.main([]) == 0
    out = capsys.readouterr().out
    assert "healthy database" in out and "slow database" in out
    assert "propagated deadline" in out
