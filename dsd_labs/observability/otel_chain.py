"""The propagation lab's call chain again, traced by the real OpenTelemetry SDK.

``propagation.py`` builds a miniature tracer so that every step is visible.
This lab replaces it with OpenTelemetry Python 1.45.2: each service has its
own ``TracerProvider`` (as each process would, with its ``service.name`` in
the resource), all of them export through a ``SimpleSpanProcessor`` into one
``InMemorySpanExporter`` standing in for the trace backend, and the W3C
``TraceContextTextMapPropagator`` injects a ``traceparent`` header into a
dict carrier on each outgoing call and extracts it on each incoming one.

``frontend`` calls ``orders``, which calls ``payments``. The services are
plain functions called in-process, but each handler runs in an empty
``contextvars`` context, as a separate process would, so only the carrier
carries the caller's span. In the second run ``orders`` forgets to extract
the context: its server span becomes a new root, and the request's trace is
split in two at that hop.

Ids come from a seeded ``IdGenerator`` and the output shows structure only,
never timings, so every run prints the same thing.

Run: ``python -m dsd_labs.observability.otel_chain --seed 7``
"""

from __future__ import annotations

import argparse
import contextvars
import random
from collections.abc import Callable
from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

PROPAGATOR = TraceContextTextMapPropagator()
Carrier = dict[str, str]


class SeededIdGenerator(IdGenerator):
    """Trace and span ids from a seeded generator, so that runs are reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _nonzero(self, bits: int) -> int:
        while True:  # an all-zero id is invalid in W3C Trace Context
            value = self.rng.getrandbits(bits)
            if value:
                return value

    def generate_span_id(self) -> int:
        return self._nonzero(64)

    def generate_trace_id(self) -> int:
        return self._nonzero(128)


@dataclass
class Chain:
    """One tracer per service, a shared exporter, and the headers each service received."""

    tracers: dict[str, trace.Tracer]
    exporter: InMemorySpanExporter
    received: list[tuple[str, str]]


def make_chain(seed: int) -> Chain:
    """Three services, each with its own provider, exporting to one in-memory backend."""
    exporter = InMemorySpanExporter()
    ids = SeededIdGenerator(random.Random(seed))
    tracers = {}
    for service in ("frontend", "orders", "payments"):
        provider = TracerProvider(resource=Resource.create({"service.name": service}),
                                  sampler=ParentBased(ALWAYS_ON), id_generator=ids,
                                  shutdown_on_exit=False)
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        tracers[service] = provider.get_tracer("dsd_labs.otel_chain")
    return Chain(tracers, exporter, [])


def send(handler: Callable[..., None], *args: object) -> None:
    """A network call: the handler starts with an empty context, as in another process."""
    contextvars.Context().run(handler, *args)


# [start services]
def payments(chain: Chain, headers: Carrier) -> None:
    """The payments service: a server span under the context the request carried."""
    chain.received.append(("payments", headers.get("traceparent", "(none)")))
    parent = PROPAGATOR.extract(headers)
    with chain.tracers["payments"].start_as_current_span(
            "POST /charge", context=parent, kind=SpanKind.SERVER):
        pass


def orders(chain: Chain, headers: Carrier, extract: bool) -> None:
    """The orders service: extracts the caller's context (unless it forgets) and calls
    payments with its own client span injected into the outgoing headers."""
    chain.received.append(("orders", headers.get("traceparent", "(none)")))
    parent = PROPAGATOR.extract(headers) if extract else None  # None: a new trace
    tracer = chain.tracers["orders"]
    with tracer.start_as_current_span("POST /orders", context=parent, kind=SpanKind.SERVER), \
            tracer.start_as_current_span("call payments", kind=SpanKind.CLIENT):
        outgoing: Carrier = {}
        PROPAGATOR.inject(outgoing)  # writes the current span as "traceparent"
        send(payments, chain, outgoing)


def frontend(chain: Chain, extract: bool) -> None:
    """The edge: receives no header, starts the trace and calls orders."""
    chain.received.append(("frontend", "(none)"))
    tracer = chain.tracers["frontend"]
    with tracer.start_as_current_span("GET /checkout", kind=SpanKind.SERVER), \
            tracer.start_as_current_span("call orders", kind=SpanKind.CLIENT):
        outgoing: Carrier = {}
        PROPAGATOR.inject(outgoing)
        send(orders, chain, outgoing, extract)
# [end services]


def run(seed: int, extract: bool) -> tuple[tuple[ReadableSpan, ...], list[tuple[str, str]]]:
    """Serve one checkout; return the finished spans and the header each service received."""
    chain = make_chain(seed)
    send(frontend, chain, extract)
    return chain.exporter.get_finished_spans(), chain.received


def render(spans: tuple[ReadableSpan, ...]) -> list[str]:
    """Each trace as a tree; a parent id marked ``r`` came from a remote caller."""
    children: dict[int | None, list[ReadableSpan]] = {}
    for span in spans:
        children.setdefault(span.parent.span_id if span.parent else None, []).append(span)
    lines = [f"  {'trace':<10}{'span id':<17}{'parent (r=remote)':<18}{'kind':<7}service: name"]

    def visit(span: ReadableSpan, depth: int) -> None:
        ctx, parent = span.context, span.parent
        parent_id = f"{parent.span_id:016x}{'r' if parent.is_remote else ' '}" if parent \
            else f"{'-':<17}"
        lines.append(f"  {ctx.trace_id:032x}"[:10] + f"  {ctx.span_id:016x} {parent_id} "
                     f"{span.kind.name:<6} {'  ' * depth}"
                     f"{span.resource.attributes['service.name']}: {span.name}")
        for kid in children.get(ctx.span_id, []):
            visit(kid, depth + 1)

    for root in reversed(children.get(None, [])):  # roots finish last: reverse for start order
        visit(root, 0)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Serve the same checkout with and without orders extracting the context."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for title, extract in (("every service extracts", True),
                           ("orders forgets to extract", False)):
        spans, received = run(args.seed, extract)
        traces = len({span.context.trace_id for span in spans})
        print(f"== {title}: {len(spans)} spans in {traces} trace(s) ==")
        for service, header in received:
            print(f"  {service + ' received':<20}{header}")
        print("\n".join(render(spans)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
