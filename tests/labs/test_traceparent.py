"""Pin the trace context labs: traceparent validation per W3C, and propagation across a pool."""

import random

import pytest

from dsd_labs.observability import propagation as pg
from dsd_labs.observability import traceparent as tp

VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_parses_the_w3c_example() -> None:
    parsed = tp.parse(VALID)
    assert parsed == tp.TraceParent(0, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1)
    assert parsed.sampled and parsed.header() == VALID


@pytest.mark.parametrize("flags, sampled", [("00", False), ("01", True), ("09", True),
                                            ("08", False), ("03", True)])
def test_sampled_is_a_masked_bit(flags: str, sampled: bool) -> None:
    assert tp.parse(VALID[:-2] + flags).sampled is sampled


@pytest.mark.parametrize("value", [
    VALID.upper(),                                      # uppercase hex
    "00-" + "0" * 32 + "-00f067aa0ba902b7-01",          # all-zero trace-id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0" * 16 + "-01",  # all-zero parent-id
    "ff" + VALID[2:],                                   # forbidden version
    VALID + "-ab",                                      # version 00 must be 55 characters
    "00-a3ce929d0e0e4736-00f067aa0ba902b7-01",          # 64-bit trace-id
    "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",  # wrong separators
    "01" + VALID[2:] + "ab",                            # future version: flags not followed by -
    "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
])
def test_invalid_headers_are_rejected(value: str) -> None:
    with pytest.raises(tp.InvalidTraceParent):
        tp.parse(value)


def test_a_higher_version_is_parsed_by_its_first_fields() -> None:
    parsed = tp.parse("cc" + VALID[2:] + "-what-the-future-holds")
    assert parsed.version == 0xCC and parsed.trace_id == VALID[3:35] and parsed.sampled
    assert parsed.header() == VALID  # re-emitted as the highest known version, 00


def test_children_keep_the_trace_and_the_decision_and_change_the_parent() -> None:
    rng = random.Random(1)
    root = tp.new_root(rng, sampled=False)
    first = tp.child(root, rng)
    second = tp.child(tp.parse(first.header()), rng)
    assert root.trace_id == first.trace_id == second.trace_id
    assert len({root.parent_id, first.parent_id, second.parent_id}) == 3
    assert not first.sampled and not second.sampled
    assert len(first.header()) == 55 and tp.parse(second.header()) == second


def test_unknown_flags_are_not_propagated() -> None:
    parent = tp.parse(VALID[:-2] + "ff")
    assert tp.child(parent, random.Random(0)).flags == tp.SAMPLED | tp.RANDOM


def test_copying_the_context_into_the_pool_keeps_one_trace() -> None:
    spans, log = pg.run(seed=5, copy_context=True)
    assert len({s.trace_id for s in spans}) == 1
    assert sum(s.parent_id is None for s in spans) == 1
    ids = {s.span_id for s in spans}
    assert all(s.parent_id in ids for s in spans if s.parent_id is not None)
    assert len(log) == 2 and all(line.split()[-1].startswith("00-") for line in log)


def test_the_pool_without_the_context_splits_the_request_into_two_traces() -> None:
    spans, _ = pg.run(seed=5, copy_context=False)
    assert len({s.trace_id for s in spans}) == 2
    orphan = next(s for s in spans if s.name == "charge card")
    assert orphan.parent_id is None  # the worker thread had no current span
    payments = next(s for s in spans if s.service == "payments")
    assert payments.trace_id == orphan.trace_id


def test_a_network_call_starts_with_an_empty_context() -> None:
    span = pg.SpanRecord("t" * 32, "s" * 16, None, "svc", "op", "SERVER")
    token = pg.CURRENT.set(span)
    try:
        seen: list[pg.SpanRecord | None] = []
        pg.send(lambda: seen.append(pg.CURRENT.get()))
        assert seen == [None] and pg.CURRENT.get() is span
    finally:
        pg.CURRENT.reset(token)


def test_a_missing_or_invalid_header_starts_a_new_trace() -> None:
    assert pg.extract({}) is None
    assert pg.extract({"traceparent": "garbage"}) is None
    assert pg.extract({"traceparent": VALID}) == tp.parse(VALID)


def test_mains_print_their_sections(capsys) -> None:
    assert tp.main([]) == 0
    out = capsys.readouterr().out
    assert "W3C example, sampled   valid" in out and "invalid: version ff is forbidden" in out
    assert out.count(" sends 00-") == 3
    assert pg.main([]) == 0
    out = capsys.readouterr().out
    assert "in 1 trace(s)" in out and "in 2 trace(s)" in out
