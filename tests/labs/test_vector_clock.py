"""Pin the vector clock lab: V(a) < V(b) exactly when a happened before b."""

import random

from dsd_labs.clocks import vector_clock as vc
from dsd_labs.clocks.lamport_clock import RUN


def test_compare_rules() -> None:
    assert vc.compare({"A": 1}, {"A": 2}) == "before"
    assert vc.compare({"A": 2, "B": 1}, {"A": 2}) == "after"
    assert vc.compare({"A": 1, "B": 0}, {"A": 1}) == "equal"
    assert vc.compare({"A": 2, "B": 0}, {"A": 1, "B": 1}) == "concurrent"


def test_happened_before_iff_vector_less_than_on_fixed_run() -> None:
    _, hb, mismatches = vc.check(RUN)
    assert hb > 0
    assert mismatches == 0


def test_concurrency_detected_where_lamport_misleads() -> None:
    stamps = vc.stamp(RUN)
    assert vc.compare(stamps["a3"], stamps["b3"]) == "concurrent"
    assert vc.compare(stamps["a2"], stamps["c4"]) == "before"


def test_equivalence_on_random_runs() -> None:
    for seed in range(5):
        events = vc.random_run(random.Random(seed), processes=5, events=120)
        _, hb, mismatches = vc.check(events)
        assert hb > 0
        assert mismatches == 0
