"""A trace as a tree of spans: critical path and self time of a checkout request.

A checkout request enters at ``frontend``, which calls ``api``. The API
verifies the caller with ``auth``, then fans out in parallel to ``cart``
(which queries ``cart-db``), ``pricing`` (which calls ``tax``), ``inventory``
and ``recommendations``, and finally charges the card with ``payment``.
Delays are drawn from a seeded generator, and the incident trace adds a slow
tax lookup.

Two numbers explain where a trace's latency went. A span's self time is its
duration minus the time covered by its children: the work the service did
itself, including waiting on the network for children it did not record. The
critical path is the chain of segments that determined when the root span
finished: shortening anything off it does not make the request faster. The
lab computes both, in the way Jaeger's critical-path view does: walk back
from the end of a span, hand the time after its last-finishing child to the
span itself, descend into that child, and continue from the child's start.

Run: ``python -m dsd_labs.observability.trace_model --seed 4``
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Span:
    """One unit of work in a trace (Dapper's model): who did it, when, and under which parent."""

    trace_id: str
    span_id: str
    parent_id: str | None
    service: str
    name: str
    start: float
    end: float = 0.0
    error: bool = False

    @property
    def duration(self) -> float:
        """End minus start, in ms."""
        return self.end - self.start


@dataclass
class Builder:
    """Create the spans of one trace with sequential span ids and seeded delays (ms)."""

    rng: random.Random
    trace_id: str
    spans: list[Span] = field(default_factory=list)

    def delay(self, low: float, high: float) -> float:
        """A uniformly distributed delay in ms."""
        return self.rng.uniform(low, high)

    def start(self, service: str, name: str, at: float, parent: Span | None = None) -> Span:
        """Open a span at ``at``; the caller sets its end when its children are known."""
        span = Span(self.trace_id, f"{len(self.spans) + 1:016x}",
                    parent.span_id if parent else None, service, name, at)
        self.spans.append(span)
        return span

    def leaf(self, service: str, name: str, at: float, low: float, high: float,
             parent: Span) -> Span:
        """A span without children whose duration is drawn from [low, high] ms."""
        span = self.start(service, name, at, parent)
        span.end = at + self.delay(low, high)
        return span


# [start checkout]
def checkout_trace(rng: random.Random, trace_id: str, *, tax_extra_ms: float = 0.0,
                   inventory_extra_ms: float = 0.0, payment_error: bool = False) -> list[Span]:
    """One checkout request; the keyword arguments inject the incidents the lab studies."""
    b = Builder(rng, trace_id)
    net = (0.3, 1.0)  # one-way network delay between services, ms
    root = b.start("frontend", "GET /checkout", 0.0)
    api = b.start("api", "POST /orders", root.start + b.delay(1, 3) + b.delay(*net), root)
    auth = b.leaf("auth", "VerifyToken", api.start + b.delay(*net), 3, 8, api)
    fan_out = auth.end + b.delay(*net)
    ends = []
    cart = b.start("cart", "GetCart", fan_out + b.delay(*net), api)
    db = b.leaf("cart-db", "SELECT cart_items", cart.start + 0.5, 8, 15, cart)
    cart.end = db.end + b.delay(1, 2)
    pricing = b.start("pricing", "Quote", fan_out + b.delay(*net), api)
    tax = b.leaf("tax", "GetRates", pricing.start + b.delay(4, 8), 10, 20, pricing)
    tax.end += tax_extra_ms
    pricing.end = tax.end + b.delay(3, 6)
    inventory = b.leaf("inventory", "Reserve", fan_out + b.delay(*net), 5, 15, api)
    inventory.end += inventory_extra_ms
    recs = b.leaf("recommendations", "ForCart", fan_out + b.delay(*net), 60, 110, api)
    ends = [cart.end, pricing.end, inventory.end, recs.end]
    payment = b.leaf("payment", "Charge", max(ends) + b.delay(*net), 40, 80, api)
    payment.error = payment_error
    api.end = payment.end + b.delay(1, 3)
    root.end = api.end + b.delay(*net) + b.delay(4, 8)
    root.error = payment_error
    return b.spans
# [end checkout]


def children_of(spans: list[Span]) -> dict[str | None, list[Span]]:
    """Index spans by parent id."""
    kids: dict[str | None, list[Span]] = defaultdict(list)
    for span in spans:
        kids[span.parent_id].append(span)
    return kids


def root_of(spans: list[Span]) -> Span:
    """The span without a parent; a complete trace has exactly one."""
    roots = [s for s in spans if s.parent_id is None]
    if len(roots) != 1:
        raise ValueError(f"expected one root span, found {len(roots)}")
    return roots[0]


def self_time(span: Span, kids: list[Span]) -> float:
    """Duration not covered by any child (children clipped to the span, overlaps merged)."""
    intervals = sorted((max(k.start, span.start), min(k.end, span.end)) for k in kids)
    covered, cur_start, cur_end = 0.0, None, None
    for lo, hi in intervals:
        if hi <= lo:
            continue
        if cur_end is None or lo > cur_end:
            if cur_end is not None:
                covered += cur_end - cur_start
            cur_start, cur_end = lo, hi
        else:
            cur_end = max(cur_end, hi)
    if cur_end is not None:
        covered += cur_end - cur_start
    return span.duration - covered


# [start critical]
def critical_path(spans: list[Span]) -> list[tuple[Span, float, float]]:
    """Segments (span, start, end) that tile the root span and decided when it finished.

    From the end of a span, the child that finished last is what the span was
    waiting for: the time after that child's end belongs to the span itself,
    the child's own critical path comes next, and the walk continues from the
    child's start with the children that had finished by then. Children still
    running at that point overlap the chosen one and are off the path: making
    them faster would not have made the request faster. A child that outlives
    its parent is clipped to the parent's end, as Jaeger does.
    """
    kids = children_of(spans)
    segments: list[tuple[Span, float, float]] = []

    def walk(span: Span, until: float) -> None:
        t = min(span.end, until)
        while True:
            candidates = [k for k in kids[span.span_id]
                          if k.start < t and min(k.end, span.end) <= t]
            if not candidates:
                break
            last = max(candidates, key=lambda k: min(k.end, span.end))
            last_end = min(last.end, span.end)
            if t > last_end:
                segments.append((span, last_end, t))
            walk(last, last_end)
            t = last.start
        if t > span.start:
            segments.append((span, span.start, t))

    walk(root_of(spans), root_of(spans).end)
    return sorted(segments, key=lambda seg: seg[1])
# [end critical]


def per_service(spans: list[Span]) -> dict[str, tuple[float, float]]:
    """For each service: (self time, time on the critical path), in ms."""
    kids = children_of(spans)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for span in spans:
        totals[span.service][0] += self_time(span, kids[span.span_id])
    for span, lo, hi in critical_path(spans):
        totals[span.service][1] += hi - lo
    return {svc: (v[0], v[1]) for svc, v in totals.items()}


def render_tree(spans: list[Span]) -> list[str]:
    """The trace as an indented waterfall: start offset, duration and self time per span."""
    kids = children_of(spans)
    lines = []

    def visit(span: Span, depth: int) -> None:
        label = f"{'  ' * depth}{span.service}: {span.name}"
        flag = "  ERROR" if span.error else ""
        lines.append(f"{label:<34} start {span.start:6.1f}  dur {span.duration:6.1f}  "
                     f"self {self_time(span, kids[span.span_id]):6.1f}{flag}")
        for child in sorted(kids[span.span_id], key=lambda s: s.start):
            visit(child, depth + 1)

    visit(root_of(spans), 0)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print one slow checkout trace, its critical path and each service's self time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--tax-extra-ms", type=float, default=300.0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    spans = checkout_trace(rng, f"{rng.getrandbits(128):032x}", tax_extra_ms=args.tax_extra_ms)
    root = root_of(spans)
    print(f"trace {spans[0].trace_id}: {len(spans)} spans, {root.duration:.1f} ms (times in ms)")
    print("\n".join(render_tree(spans)))
    print("\ncritical path:")
    for span, lo, hi in critical_path(spans):
        print(f"  {lo:6.1f} -> {hi:6.1f}  {hi - lo:6.1f}  {span.service}")
    print("\nservice            self time   on critical path")
    stats = per_service(spans)
    for svc, (own, crit) in sorted(stats.items(), key=lambda kv: -kv[1][1]):
        print(f"  {svc:<16} {own:8.1f}   {crit:8.1f}")
    total = sum(c for _, c in stats.values())
    print(f"critical path total {total:.1f} ms = root duration {root.duration:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
