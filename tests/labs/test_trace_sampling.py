"""Pin the sampling lab: under one budget, head sampling keeps interesting traces at its rate
and tail sampling keeps all of them."""

import pytest

from dsd_labs.observability import sampling as sm


@pytest.fixture(scope="module")
def traces() -> list[sm.TraceSummary]:
    return sm.generate(10_000, seed=11, error_rate=0.003, slow_rate=0.006)


def interesting_count(kept: list[sm.TraceSummary], threshold: float = 300.0) -> int:
    return sum(sm.interesting(t, threshold) for t in kept)


def test_population_has_the_injected_failures_and_slow_traces(traces) -> None:
    truth = sm.outcome(traces, 300.0)
    assert 15 <= truth.errors <= 50
    assert 35 <= truth.slow <= 100
    assert {t.spans for t in traces} == {10}
    assert sum(t.duration_ms > 300.0 for t in traces) < 0.02 * len(traces)


def test_trace_id_ratio_is_deterministic_and_uniform(traces) -> None:
    values = [sm.trace_id_ratio(t.trace_id) for t in traces]
    assert values == [sm.trace_id_ratio(t.trace_id) for t in traces]
    assert all(0 <= v < 1 for v in values)
    assert sum(v < 0.1 for v in values) / len(values) == pytest.approx(0.1, abs=0.02)


def test_head_sampling_keeps_interesting_traces_only_at_its_rate(traces) -> None:
    budget = 100  # 1%
    kept = sm.head_sample(traces, budget)
    assert len(kept) == pytest.approx(budget, rel=0.3)
    assert interesting_count(kept) <= 5  # about 1% of ~90 interesting traces


def test_tail_sampling_keeps_every_interesting_trace_within_the_budget(traces) -> None:
    budget = 100
    kept = sm.tail_sample(traces, budget, 300.0)
    assert len(kept) == budget
    assert interesting_count(kept) == interesting_count(traces)
    assert sm.outcome(kept, 300.0).healthy == budget - interesting_count(traces)


def test_tail_sampling_prefers_errors_when_the_budget_is_too_small(traces) -> None:
    errors = sm.outcome(traces, 300.0).errors
    kept = sm.tail_sample(traces, errors + 5, 300.0)
    out = sm.outcome(kept, 300.0)
    assert out.errors == errors and out.slow == 5 and out.healthy == 0


def test_head_decision_agrees_across_services(traces) -> None:
    # Every service computes the same ratio from the same trace id: no partial traces.
    kept_by_a = {t.trace_id for t in sm.head_sample(traces, 200)}
    kept_by_b = {t.trace_id for t in sm.head_sample(list(reversed(traces)), 200)}
    assert kept_by_a == kept_by_b


def test_collector_memory_arithmetic() -> None:
    # 5,000 traces/s x 30 s x 10 spans x 500 B = 0.75 GB
    assert sm.collector_memory_gb(5_000, 10, 500, 30) == pytest.approx(0.75)


def test_main_prints_both_policies_and_the_cost(capsys) -> None:
    assert sm.main(["--traces", "4000"]) == 0
    out = capsys.readouterr().out
    assert "head, trace-id ratio" in out and "tail, errors+slow+base" in out
    assert "decision wait holds" in out and "GB of spans in memory" in out
