"""Head versus tail sampling under the same storage budget, and what tail sampling costs.

The lab generates seeded checkout traces (the request of ``trace_model``).
A few fail at payment and a few hit a slow inventory lock; the rest are
healthy with ordinary jitter. A trace is interesting if it failed or took
longer than the latency threshold. Both samplers may keep the same number of
traces.

Head sampling decides at the root, before anything has happened, from a hash
of the trace id (as OpenTelemetry's ``TraceIdRatioBased`` sampler does), and
the decision travels with the request in the ``sampled`` flag, so every
service keeps or drops the same traces. It keeps interesting traces only in
proportion to the sampling rate.

Tail sampling decides after the trace is complete, as the OpenTelemetry
Collector's ``tail_sampling`` processor does: keep every failed trace, then
every slow one, then fill the rest of the budget with a probabilistic
baseline of healthy traces. It keeps the interesting traces, at a price the
lab also computes: every span of every trace must reach the collector and
wait in memory until the decision.

Run: ``python -m dsd_labs.observability.sampling --seed 7``
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass

from dsd_labs.observability.trace_model import checkout_trace, root_of


@dataclass(frozen=True)
class TraceSummary:
    """What a sampler can know about a finished trace."""

    trace_id: str
    spans: int
    duration_ms: float
    error: bool


def generate(n: int, seed: int, error_rate: float, slow_rate: float) -> list[TraceSummary]:
    """Seeded traces: a share fail at payment, a share wait 250-400 ms on an inventory lock."""
    rng = random.Random(seed)
    traces = []
    for _ in range(n):
        trace_id = f"{rng.getrandbits(128):032x}"
        roll = rng.random()
        error = roll < error_rate
        lock = 0.0
        if error_rate <= roll < error_rate + slow_rate:
            lock = rng.uniform(250.0, 400.0)
        spans = checkout_trace(rng, trace_id, inventory_extra_ms=lock, payment_error=error)
        traces.append(TraceSummary(trace_id, len(spans), root_of(spans).duration, error))
    return traces


def trace_id_ratio(trace_id: str) -> float:
    """A trace id mapped to [0, 1): every service computes the same value for the same trace."""
    digest = hashlib.sha256(trace_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def interesting(t: TraceSummary, threshold_ms: float) -> bool:
    """The traces an engineer debugging an incident wants: failed or slow."""
    return t.error or t.duration_ms > threshold_ms


# [start head]
def head_sample(traces: list[TraceSummary], budget: int) -> list[TraceSummary]:
    """Keep each trace with probability budget / n, decided from the trace id alone."""
    ratio = budget / len(traces)
    return [t for t in traces if trace_id_ratio(t.trace_id) < ratio]
# [end head]


# [start tail]
def tail_sample(traces: list[TraceSummary], budget: int,
                threshold_ms: float) -> list[TraceSummary]:
    """Keep errors, then slow traces, then a probabilistic baseline, up to the budget."""
    errors = [t for t in traces if t.error]
    slow = sorted((t for t in traces if not t.error and t.duration_ms > threshold_ms),
                  key=lambda t: -t.duration_ms)
    kept = (errors + slow)[:budget]
    rest = [t for t in traces if not interesting(t, threshold_ms)]
    room = budget - len(kept)
    if room > 0:
        kept += sorted(rest, key=lambda t: trace_id_ratio(t.trace_id))[:room]
    return kept
# [end tail]


@dataclass(frozen=True)
class Outcome:
    """How many traces a policy kept, and how many of those were interesting."""

    kept: int
    errors: int
    slow: int
    healthy: int


def outcome(kept: list[TraceSummary], threshold_ms: float) -> Outcome:
    """Classify the kept traces."""
    errors = sum(t.error for t in kept)
    slow = sum(1 for t in kept if not t.error and t.duration_ms > threshold_ms)
    return Outcome(len(kept), errors, slow, len(kept) - errors - slow)


# [start cost]
def collector_memory_gb(traces_per_s: float, spans_per_trace: float, bytes_per_span: float,
                        decision_wait_s: float) -> float:
    """Spans a tail sampler holds while it waits for traces to complete, in GB (10^9 B)."""
    return traces_per_s * decision_wait_s * spans_per_trace * bytes_per_span / 1e9
# [end cost]


def main(argv: list[str] | None = None) -> int:
    """Compare the two samplers on one seeded population, then print the cost arithmetic."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--traces", type=int, default=20_000)
    parser.add_argument("--budget", type=float, default=0.01, help="share of traces kept")
    parser.add_argument("--threshold-ms", type=float, default=300.0)
    parser.add_argument("--error-rate", type=float, default=0.002)
    parser.add_argument("--slow-rate", type=float, default=0.005)
    parser.add_argument("--rate", type=float, default=5_000.0, help="traces per second")
    parser.add_argument("--span-bytes", type=float, default=500.0)
    parser.add_argument("--decision-wait-s", type=float, default=30.0)
    args = parser.parse_args(argv)
    traces = generate(args.traces, args.seed, args.error_rate, args.slow_rate)
    budget = round(args.budget * len(traces))
    truth = outcome(traces, args.threshold_ms)
    print(f"{len(traces)} traces; interesting: {truth.errors} failed, {truth.slow} slower than "
          f"{args.threshold_ms:g} ms; budget {budget} traces ({100 * args.budget:g}%)")
    print(f"{'policy':<22}{'kept':>6}{'failed':>8}{'slow':>6}{'healthy':>9}  interesting kept")
    for name, kept in (("head, trace-id ratio", head_sample(traces, budget)),
                       ("tail, errors+slow+base", tail_sample(traces, budget,
                                                              args.threshold_ms))):
        o = outcome(kept, args.threshold_ms)
        share = (o.errors + o.slow) / (truth.errors + truth.slow)
        print(f"{name:<22}{o.kept:>6}{o.errors:>8}{o.slow:>6}{o.healthy:>9}  {100 * share:5.1f}%")
    spans = sum(t.spans for t in traces) / len(traces)
    print(f"\ncost at {args.rate:g} traces/s, {spans:g} spans/trace, {args.span_bytes:g} B/span:")
    full = args.rate * spans * args.span_bytes / 1e6
    print(f"  head: SDKs export {100 * args.budget:g}% of spans: "
          f"{full * args.budget:.2f} MB/s to the collector")
    print(f"  tail: SDKs export every span: {full:.1f} MB/s to the collector tier")
    memory = collector_memory_gb(args.rate, spans, args.span_bytes, args.decision_wait_s)
    print(f"  tail: {args.decision_wait_s:g} s decision wait holds "
          f"{args.rate * args.decision_wait_s:,.0f} traces = {memory:.2f} GB of spans in memory")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
