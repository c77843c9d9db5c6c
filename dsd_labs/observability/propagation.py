"""Context propagation through three services, and where it breaks: a thread pool.

A miniature tracer in the shape of OpenTelemetry's: the current span lives in
a ``contextvars.ContextVar`` (OpenTelemetry's Python SDK keeps its context
the same way), ``inject`` writes it into outgoing headers as a W3C
``traceparent``, ``extract`` reads it back on the server side, and finished
spans go to an in-memory exporter.

Each service runs its handler in an empty context, as a separate process
would, so only the headers carry the caller's span between services.
``frontend`` calls ``api``, which charges the card by calling ``payments``
from a worker thread, as code that offloads blocking I/O to a
``ThreadPoolExecutor`` does. Within a process the context follows the call
stack, and ``asyncio`` tasks copy it when they are created. A thread pool
does not: ``executor.submit`` runs the function in the worker's own context,
where no span is current, so the call to ``payments`` starts a new trace and
the request's trace is split in two. Submitting
``contextvars.copy_context().run`` instead carries the caller's context
across the boundary.

Run: ``python -m dsd_labs.observability.propagation --seed 5``
"""

from __future__ import annotations

import argparse
import contextvars
import random
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from dsd_labs.observability.traceparent import InvalidTraceParent, TraceParent, new_id, parse


@dataclass(frozen=True)
class SpanRecord:
    """A finished span as the in-memory exporter stores it."""

    trace_id: str
    span_id: str
    parent_id: str | None
    service: str
    name: str
    kind: str


CURRENT: contextvars.ContextVar[SpanRecord | None] = contextvars.ContextVar(
    "current_span", default=None)


# [start tracer]
class Tracer:
    """Start spans as children of the current span or of an extracted remote parent."""

    def __init__(self, rng: random.Random) -> None:
        """Ids come from a seeded generator so that runs are reproducible."""
        self.rng = rng
        self.exported: list[SpanRecord] = []

    @contextmanager
    def span(self, service: str, name: str, kind: str = "INTERNAL",
             remote_parent: TraceParent | None = None) -> Iterator[SpanRecord]:
        """Make the new span current for the block, then export it when the block ends."""
        parent = CURRENT.get()
        if remote_parent is not None:
            trace_id, parent_id = remote_parent.trace_id, remote_parent.parent_id
        elif parent is not None:
            trace_id, parent_id = parent.trace_id, parent.span_id
        else:
            trace_id, parent_id = new_id(self.rng, 16), None  # no context: a new trace
        span = SpanRecord(trace_id, new_id(self.rng, 8), parent_id, service, name, kind)
        token = CURRENT.set(span)
        try:
            yield span
        finally:
            CURRENT.reset(token)
            self.exported.append(span)


def inject(headers: dict[str, str]) -> None:
    """Write the current span into outgoing headers (all spans sampled in this lab)."""
    span = CURRENT.get()
    if span is not None:
        headers["traceparent"] = f"00-{span.trace_id}-{span.span_id}-01"


def extract(headers: dict[str, str]) -> TraceParent | None:
    """Read the caller's context; a missing or invalid header means a new trace."""
    try:
        return parse(headers["traceparent"])
    except (KeyError, InvalidTraceParent):
        return None
# [end tracer]


# [start services]
def send(handler: Callable[..., None], *args: object) -> None:
    """A network call: the handler runs in another process, so it starts with an empty
    context, and only the headers among its arguments carry the caller's span."""
    contextvars.Context().run(handler, *args)


def payments(tracer: Tracer, headers: dict[str, str], log: list[str]) -> None:
    """The payments service: a server span under whatever context the request carried."""
    log.append(f"{'api -> payments':<20}{headers.get('traceparent', '(none)')}")
    with tracer.span("payments", "POST /charge", "SERVER", extract(headers)):
        pass


def api(tracer: Tracer, headers: dict[str, str], pool: ThreadPoolExecutor,
        copy_context: bool, log: list[str]) -> None:
    """The API: extracts the caller's context and charges the card from a worker thread."""
    log.append(f"{'frontend -> api':<20}{headers.get('traceparent', '(none)')}")
    with tracer.span("api", "POST /orders", "SERVER", extract(headers)):

        def charge() -> None:
            with tracer.span("api", "charge card", "CLIENT"):
                outgoing: dict[str, str] = {}
                inject(outgoing)
                send(payments, tracer, outgoing, log)

        if copy_context:
            pool.submit(contextvars.copy_context().run, charge).result()
        else:
            pool.submit(charge).result()  # the worker thread has no current span


def frontend(tracer: Tracer, pool: ThreadPoolExecutor, copy_context: bool,
             log: list[str]) -> None:
    """The edge: starts the trace and calls the API with the context injected."""
    with tracer.span("frontend", "GET /checkout", "SERVER"), \
            tracer.span("frontend", "call api", "CLIENT"):
        outgoing: dict[str, str] = {}
        inject(outgoing)
        send(api, tracer, outgoing, pool, copy_context, log)
# [end services]


def run(seed: int, copy_context: bool) -> tuple[list[SpanRecord], list[str]]:
    """Serve one request; return the exported spans and the headers seen at each hop."""
    tracer = Tracer(random.Random(seed))
    log: list[str] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        frontend(tracer, pool, copy_context, log)
    return tracer.exported, log


def render(spans: list[SpanRecord]) -> list[str]:
    """Each trace as a tree, roots first in order of trace."""
    lines = []
    by_parent: dict[str | None, list[SpanRecord]] = {}
    for span in spans:
        by_parent.setdefault(span.parent_id, []).append(span)

    def visit(span: SpanRecord, depth: int) -> None:
        lines.append(f"  {span.trace_id[:8]}  {'  ' * depth}{span.service}: {span.name} "
                     f"[{span.kind}]")
        for kid in by_parent.get(span.span_id, []):
            visit(kid, depth + 1)

    for root in reversed(by_parent.get(None, [])):
        visit(root, 0)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Serve the same request with and without copying the context into the pool."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    for title, copy in (("context copied into the worker thread", True),
                        ("context lost at the thread pool", False)):
        spans, log = run(args.seed, copy)
        traces = len({s.trace_id for s in spans})
        print(f"== {title}: {len(spans)} spans in {traces} trace(s) ==")
        print(f"  {'hop':<20}traceparent sent")
        print("\n".join(f"  {line}" for line in log))
        print("\n".join(render(spans)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
