"""Vector clocks: one counter per process, enough to decide happened-before exactly.

The lab replays the same three-process run as the Lamport lab, stamps each
event with a vector clock, and compares every pair of events. It checks that
the vector order agrees with happened-before computed from the run's edges in
both directions (``a -> b`` if and only if ``V(a) < V(b)``), so the pairs the
Lamport clock ordered misleadingly come out as concurrent here. A seeded
random run with more processes checks the same equivalence at scale and
reports the size of the timestamps.

Run: ``python -m dsd_labs.clocks.vector_clock --seed 7``
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from typing import Literal

from dsd_labs.clocks.lamport_clock import RUN, Event
from dsd_labs.clocks.lamport_clock import run as lamport_run

Order = Literal["before", "after", "equal", "concurrent"]


# [start compare]
def compare(a: dict[str, int], b: dict[str, int]) -> Order:
    """Compare two vector timestamps; a missing entry counts as zero.

    ``a`` is before ``b`` when every entry of ``a`` is at most the matching
    entry of ``b`` and at least one is strictly smaller. When each vector has
    an entry larger than the other's, neither event can have seen the other:
    they are concurrent.
    """
    keys = set(a) | set(b)
    a_le_b = all(a.get(k, 0) <= b.get(k, 0) for k in keys)
    b_le_a = all(b.get(k, 0) <= a.get(k, 0) for k in keys)
    if a_le_b and b_le_a:
        return "equal"
    if a_le_b:
        return "before"
    if b_le_a:
        return "after"
    return "concurrent"
# [end compare]


@dataclass
class VectorClock:
    """One process's vector clock (Fidge 1988, Mattern 1989)."""

    process: str
    entries: dict[str, int] = field(default_factory=dict)

    def tick(self) -> dict[str, int]:
        """A local event or a send: count one more event of this process."""
        self.entries[self.process] = self.entries.get(self.process, 0) + 1
        return dict(self.entries)

    # [start merge]
    def receive(self, sent: dict[str, int]) -> dict[str, int]:
        """A receive: take the entry-wise maximum, then count the receive itself.

        After the maximum, this process knows of every event the sender knew
        of when it sent; the increment makes the receive event itself unique.
        """
        for proc, count in sent.items():
            self.entries[proc] = max(self.entries.get(proc, 0), count)
        return self.tick()
    # [end merge]


def stamp(events: list[Event]) -> dict[str, dict[str, int]]:
    """Vector timestamps for every event of a run."""
    clocks: dict[str, VectorClock] = {}
    stamps: dict[str, dict[str, int]] = {}
    for ev in events:
        clock = clocks.setdefault(ev.process, VectorClock(ev.process))
        if ev.kind == "recv":
            assert ev.peer is not None
            stamps[ev.name] = clock.receive(stamps[ev.peer])
        else:
            stamps[ev.name] = clock.tick()
    return stamps


def random_run(rng: random.Random, processes: int, events: int) -> list[Event]:
    """A random run: local events, sends, and receives of earlier, unreceived sends."""
    procs = [f"P{i + 1}" for i in range(processes)]
    pending: list[tuple[str, str]] = []  # (send event name, destination)
    run: list[Event] = []
    for i in range(events):
        proc = rng.choice(procs)
        deliverable = [p for p in pending if p[1] == proc]
        roll = rng.random()
        name = f"e{i}"
        if deliverable and roll < 0.4:
            send = rng.choice(deliverable)
            pending.remove(send)
            run.append(Event(name, proc, "recv", peer=send[0]))
        elif roll < 0.7:
            dest = rng.choice([p for p in procs if p != proc])
            pending.append((name, dest))
            run.append(Event(name, proc, "send"))
        else:
            run.append(Event(name, proc, "local"))
    return run


def check(events: list[Event]) -> tuple[int, int, int]:
    """Return (pairs compared, happened-before pairs, mismatches with the vector order)."""
    stamps = stamp(events)
    before = lamport_run(events).before
    names = [ev.name for ev in events]
    pairs = mismatches = 0
    for a in names:
        for b in names:
            if a == b:
                continue
            pairs += 1
            if ((a, b) in before) != (compare(stamps[a], stamps[b]) == "before"):
                mismatches += 1
    return pairs, len(before), mismatches


def fmt(v: dict[str, int], procs: list[str]) -> str:
    """Render a vector in a fixed process order so output never depends on dict order."""
    return "[" + ",".join(str(v.get(p, 0)) for p in procs) + "]"


def main(argv: list[str] | None = None) -> int:
    """Stamp the fixed run, compare the pairs Lamport got wrong, then check a random run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args(argv)
    procs = ["P1", "P2", "P3"]
    stamps = stamp(RUN)
    print("event  V(e) as [P1,P2,P3]")
    for ev in RUN:
        print(f"{ev.name:<6} {fmt(stamps[ev.name], procs)}")
    print()
    for a, b in (("a1", "c2"), ("b1", "a2"), ("a3", "b3"), ("a2", "c4"), ("c3", "b3")):
        print(f"{a} vs {b}: {fmt(stamps[a], procs)} vs {fmt(stamps[b], procs)} -> "
              f"{compare(stamps[a], stamps[b])}")
    rng = random.Random(args.seed)
    events = random_run(rng, args.processes, args.events)
    pairs, hb, mismatches = check(events)
    print(f"\nrandom run (seed {args.seed}): {args.processes} processes, {args.events} events")
    print(f"ordered pairs compared: {pairs}; happened-before pairs: {hb}; "
          f"mismatches: {mismatches}")
    entries = args.processes
    print(f"timestamp size: {entries} entries x 8 bytes = {entries * 8} bytes per message")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
