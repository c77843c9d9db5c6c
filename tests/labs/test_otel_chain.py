"""Pin the OpenTelemetry chain: one trace across three services, split when orders forgets."""

import itertools
import re

import pytest

from dsd_labs.observability import otel_chain as oc

TRACEPARENT = re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


def by_name(spans) -> dict:
    return {span.name: span for span in spans}


@pytest.mark.parametrize("seed", [7, 11])
def test_one_trace_across_three_services(seed: int) -> None:
    spans, _ = oc.run(seed, extract=True)
    assert len(spans) == 5
    assert len({span.context.trace_id for span in spans}) == 1
    services = {span.resource.attributes["service.name"] for span in spans}
    assert services == {"frontend", "orders", "payments"}


def test_parent_child_links() -> None:
    spans = by_name(oc.run(7, extract=True)[0])
    root = spans["GET /checkout"]
    assert root.parent is None
    chain = ["GET /checkout", "call orders", "POST /orders", "call payments", "POST /charge"]
    for parent, child in itertools.pairwise(chain):
        assert spans[child].parent.span_id == spans[parent].context.span_id
    # Only the links that crossed a carrier are remote.
    assert [spans[name].parent.is_remote for name in chain[1:]] == [False, True, False, True]
    kinds = [spans[name].kind.name for name in chain]
    assert kinds == ["SERVER", "CLIENT", "SERVER", "CLIENT", "SERVER"]


def test_headers_carry_the_client_span() -> None:
    spans, received = oc.run(7, extract=True)
    named = by_name(spans)
    headers = dict(received)
    assert headers["frontend"] == "(none)"
    for service, client in (("orders", "call orders"), ("payments", "call payments")):
        assert TRACEPARENT.fullmatch(headers[service])
        ctx = named[client].context
        assert headers[service] == f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-01"


def test_forgetting_to_extract_splits_the_trace() -> None:
    spans = by_name(oc.run(7, extract=False)[0])
    assert len({span.context.trace_id for span in spans.values()}) == 2
    assert spans["POST /orders"].parent is None  # a new root at the orders hop
    assert spans["POST /orders"].context.trace_id != spans["GET /checkout"].context.trace_id
    assert spans["POST /charge"].context.trace_id == spans["POST /orders"].context.trace_id


def test_runs_are_reproducible(capsys) -> None:
    oc.main([])
    first = capsys.readouterr().out
    oc.main([])
    assert capsys.readouterr().out == first
    assert len(first.splitlines()) < 30
