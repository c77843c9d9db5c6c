"""Pin the trace model: self time, and a critical path that tiles the root span."""

import itertools
import random

import pytest

from dsd_labs.observability import trace_model as tm


def span(sid: str, parent: str | None, start: float, end: float, service: str = "") -> tm.Span:
    return tm.Span("t", sid, parent, service or sid, sid, start, end)


def test_self_time_merges_overlapping_children_and_clips_to_the_parent() -> None:
    parent = span("p", None, 0, 100)
    kids = [span("a", "p", 10, 40), span("b", "p", 30, 60), span("c", "p", 90, 120)]
    assert tm.self_time(parent, kids) == pytest.approx(100 - 50 - 10)


def test_critical_path_follows_the_last_finishing_child() -> None:
    spans = [span("root", None, 0, 100), span("fast", "root", 10, 40),
             span("slow", "root", 10, 90)]
    path = [(s.span_id, lo, hi) for s, lo, hi in tm.critical_path(spans)]
    assert path == [("root", 0, 10), ("slow", 10, 90), ("root", 90, 100)]


def test_sequential_children_are_all_on_the_path() -> None:
    spans = [span("root", None, 0, 100), span("a", "root", 5, 40), span("b", "root", 45, 95)]
    names = [s.span_id for s, _, _ in tm.critical_path(spans)]
    assert names == ["root", "a", "root", "b", "root"]


def test_a_child_that_outlives_its_parent_is_clipped() -> None:
    spans = [span("root", None, 0, 50), span("async", "root", 10, 80)]
    path = [(s.span_id, lo, hi) for s, lo, hi in tm.critical_path(spans)]
    assert path == [("root", 0, 10), ("async", 10, 50)]


@pytest.mark.parametrize("seed", range(8))
def test_critical_path_tiles_the_root_span_exactly(seed: int) -> None:
    rng = random.Random(seed)
    spans = tm.checkout_trace(rng, "t", tax_extra_ms=rng.uniform(0, 200),
                              inventory_extra_ms=rng.uniform(0, 300))
    root = tm.root_of(spans)
    path = tm.critical_path(spans)
    assert path[0][1] == root.start and path[-1][2] == root.end
    for (_, _, prev_end), (_, start, _) in itertools.pairwise(path):
        assert start == pytest.approx(prev_end)
    assert sum(hi - lo for _, lo, hi in path) == pytest.approx(root.duration)


def test_slow_tax_dominates_and_parallel_recommendations_are_off_the_path() -> None:
    rng = random.Random(4)
    spans = tm.checkout_trace(rng, "t", tax_extra_ms=180)
    stats = tm.per_service(spans)
    assert max(stats, key=lambda svc: stats[svc][1]) == "tax"
    assert stats["tax"][1] > 0.6 * tm.root_of(spans).duration
    own, on_path = stats["recommendations"]
    assert own > 50 and on_path == 0


def test_an_inventory_lock_moves_the_path_to_inventory() -> None:
    spans = tm.checkout_trace(random.Random(4), "t", inventory_extra_ms=300)
    stats = tm.per_service(spans)
    assert max(stats, key=lambda svc: stats[svc][1]) == "inventory"
    assert stats["tax"][1] == 0


def test_main_prints_tree_path_and_totals(capsys) -> None:
    assert tm.main([]) == 0
    out = capsys.readouterr().out
    assert "frontend: GET /checkout" in out and "critical path:" in out
    assert "self time   on critical path" in out
    assert "critical path total" in out and "= root duration" in out
