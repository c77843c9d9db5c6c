"""Event-time tumbling windows with a watermark: late events dropped, or admitted with lateness.

Events carry the time they happened (event time) and reach the processor
after a network delay, so they arrive out of order: most within seconds, a
few minutes late (a phone that was offline, a batch upload). The processor
counts events per 60-second window of event time.

It tracks a *bounded-out-of-orderness watermark*, the largest event time
seen so far minus a bound: a claim that no event older than the watermark
should still arrive. A window's result is emitted ("fires") when the
watermark passes the window's end. An event whose window has already fired
is *late*. With an allowed lateness of zero it is dropped; with an allowed
lateness L the window's state is kept until the watermark passes
``end + L``, and each late event updates the result with a *late firing*,
as Flink's ``allowedLateness`` does. The cost is state held longer and
results that change after they were first emitted.

For contrast, the lab also counts events by the window of their *arrival*
time (processing-time windows), which never waits and is wrong for every
window that events cross on their way in.

Run: ``python -m dsd_labs.data_processing.windowing --seed 1``
"""

from __future__ import annotations

import argparse
import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Event:
    """One event: when it happened, and when it reached the processor (seconds)."""

    event_time: float
    arrival: float


def make_events(rng: random.Random, count: int, span: float, mean_delay: float,
                slow_share: float, slow_delay: tuple[float, float]) -> list[Event]:
    """Events uniform over ``span`` seconds, in arrival order, with a heavy tail of delays."""
    events = []
    for _ in range(count):
        t = rng.uniform(0.0, span)
        if rng.random() < slow_share:
            delay = rng.uniform(*slow_delay)
        else:
            delay = rng.expovariate(1.0 / mean_delay)
        events.append(Event(t, t + delay))
    return sorted(events, key=lambda e: (e.arrival, e.event_time))


def with_outage(events: Sequence[Event], start: float, end: float,
                speedup: float) -> list[Event]:
    """The same events as processed by an operator that was down from ``start`` to ``end``.

    Events that arrive during the outage wait in the log; from ``end`` on the
    operator works through the backlog ``speedup`` times faster than events
    arrive, until it has caught up. ``arrival`` becomes the processing time.
    """
    caught_up = (speedup * end - start) / (speedup - 1)
    return [Event(e.event_time, end + (e.arrival - start) / speedup)
            if start <= e.arrival < caught_up else e for e in events]


def window_start(t: float, size: float) -> float:
    """Start of the tumbling window of length ``size`` that contains ``t``."""
    return math.floor(t / size) * size


@dataclass(frozen=True)
class Firing:
    """A result the processor emitted: which window, its count, and when (processing time)."""

    start: float
    count: int
    at: float
    late: bool


# [start windows]
@dataclass
class EventTimeWindows:
    """Tumbling event-time windows driven by a bounded-out-of-orderness watermark."""

    size: float
    bound: float
    lateness: float = 0.0
    watermark: float = -math.inf
    counts: dict[float, int] = field(default_factory=dict)  # windows whose state is kept
    fired: set[float] = field(default_factory=set)
    firings: list[Firing] = field(default_factory=list)
    dropped: list[Event] = field(default_factory=list)
    max_open: int = 0

    def process(self, event: Event) -> None:
        """Add one event to its window (or drop it), then advance the watermark."""
        start = window_start(event.event_time, self.size)
        if start + self.size + self.lateness <= self.watermark:
            self.dropped.append(event)  # its window's state is gone: too late
        else:
            self.counts[start] = self.counts.get(start, 0) + 1
            if start in self.fired:  # late, but within the allowed lateness
                self.firings.append(Firing(start, self.counts[start], event.arrival, True))
        self.max_open = max(self.max_open, len(self.counts))
        self.watermark = max(self.watermark, event.event_time - self.bound)
        self._advance(event.arrival)

    def close(self, now: float) -> None:
        """End of input: the watermark jumps to infinity and every window fires."""
        self.watermark = math.inf
        self._advance(now)

    def _advance(self, now: float) -> None:
        for start in sorted(self.counts):
            end = start + self.size
            if end <= self.watermark and start not in self.fired:
                self.fired.add(start)
                self.firings.append(Firing(start, self.counts[start], now, False))
            if end + self.lateness <= self.watermark:
                del self.counts[start]  # purge: later events for it will be dropped
# [end windows]

    def first_results(self) -> dict[float, int]:
        """The count each window reported when it first fired."""
        return {f.start: f.count for f in self.firings if not f.late}

    def final_results(self) -> dict[float, int]:
        """The last count each window reported, after any late firings."""
        return {f.start: f.count for f in self.firings}


def run_windows(events: Iterable[Event], size: float, bound: float,
                lateness: float) -> EventTimeWindows:
    """Feed the events in arrival order through one windowing operator."""
    op = EventTimeWindows(size, bound, lateness)
    last = 0.0
    for event in events:
        op.process(event)
        last = event.arrival
    op.close(last)
    return op


def truth(events: Iterable[Event], size: float) -> Counter[float]:
    """Exact counts per event-time window, computed with hindsight."""
    return Counter(window_start(e.event_time, size) for e in events)


def processing_time_counts(events: Iterable[Event], size: float) -> Counter[float]:
    """Counts per window of arrival time: what a processing-time window reports."""
    return Counter(window_start(e.arrival, size) for e in events)


def missing(results: dict[float, int], expected: Counter[float]) -> int:
    """Events the reported counts leave out, summed over all windows."""
    return sum(n - results.get(w, 0) for w, n in expected.items())


def misplaced(results: Counter[float], expected: Counter[float]) -> int:
    """Events counted in a window other than the one their event time belongs to."""
    return sum(abs(results[w] - expected[w]) for w in expected.keys() | results.keys()) // 2


def mean_wait(op: EventTimeWindows) -> float:
    """Mean processing time from a window's end until its first result was emitted."""
    waits = [f.at - (f.start + op.size) for f in op.firings if not f.late]
    return sum(waits) / len(waits)


def report(events: Sequence[Event], size: float, policies: Sequence[tuple[float, float]]) -> None:
    """Print one line per (watermark bound, allowed lateness) policy."""
    expected = truth(events, size)
    print(f"{'bound':>6} {'lateness':>8} {'missing first':>13} {'dropped':>7} "
          f"{'late firings':>12} {'open windows':>12} {'wait':>6}")
    for bound, lateness in policies:
        op = run_windows(events, size, bound, lateness)
        assert missing(op.final_results(), expected) == len(op.dropped)
        print(f"{bound:>5g}s {lateness:>7g}s {missing(op.first_results(), expected):>13} "
              f"{len(op.dropped):>7} {sum(f.late for f in op.firings):>12} "
              f"{op.max_open:>12} {mean_wait(op):>5.1f}s")


def main(argv: list[str] | None = None) -> int:
    """Compare processing-time windows with event-time windows under several policies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--minutes", type=int, default=20)
    parser.add_argument("--slow-share", type=float, default=0.02,
                        help="share of events delayed by 20 to 120 s")
    args = parser.parse_args(argv)
    size = 60.0
    rng = random.Random(args.seed)
    events = make_events(rng, args.events, args.minutes * 60.0, mean_delay=2.0,
                         slow_share=args.slow_share, slow_delay=(20.0, 120.0))
    expected = truth(events, size)
    print(f"{len(events):,} events over {args.minutes} min of event time; delays exponential,")
    print(f"mean 2 s, except {100 * args.slow_share:g}% delayed by 20 to 120 s")
    print(f"tumbling windows of {size:g} s; {len(expected)} windows\n")
    by_arrival = processing_time_counts(events, size)
    wrong = misplaced(by_arrival, expected)
    print(f"processing-time windows: {wrong} events ({100 * wrong / len(events):.1f}%) counted "
          "in the wrong window\n")
    print("event-time windows, watermark = largest event time seen - bound")
    report(events, size, [(0, 0), (5, 0), (10, 0), (10, 30), (10, 120), (120, 0)])
    outage = with_outage(events, 600.0, 900.0, speedup=10.0)
    wrong = misplaced(processing_time_counts(outage, size), expected)
    same = run_windows(outage, size, 10, 0).final_results() == run_windows(
        events, size, 10, 0).final_results()
    print("\nprocessor down from 600 s to 900 s, then catching up at 10x the arrival rate:")
    print(f"  processing-time windows: {wrong} events ({100 * wrong / len(events):.1f}%) "
          "counted in the wrong window")
    print(f"  event-time windows (bound 10 s): results {'unchanged' if same else 'CHANGED'}")
    print("\nmissing first: events absent from the windows' first results; dropped:")
    print("events never counted (absent from the final results); open windows: most")
    print("windows holding state at once; wait: mean time from window end to first result")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
