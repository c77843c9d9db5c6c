"""Lamport clocks: a counter per process that respects happened-before, and no more.

The lab replays a fixed three-process run and prints every event with its
Lamport timestamp. It then checks two claims the text makes: for every pair
with ``a -> b`` the timestamps satisfy ``C(a) < C(b)`` (the clock condition),
and the converse fails: some pairs have ``C(a) < C(b)`` although neither event
happened before the other. The happened-before relation itself is computed
independently, from the run's message edges, so the check is not circular.

Run: ``python -m dsd_labs.clocks.lamport_clock``
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field


# [start lamport]
@dataclass
class LamportClock:
    """One process's logical clock (Lamport 1978, rules IR1 and IR2).

    The clock only ever increases, so a process's own events get strictly
    increasing timestamps; a receive jumps past the sender's timestamp, so a
    message's receipt is always later than its send.
    """

    time: int = 0

    def tick(self) -> int:
        """A local event or a send: advance by one and stamp the event."""
        self.time += 1
        return self.time

    def receive(self, sent: int) -> int:
        """A receive: move past both the local clock and the message's stamp."""
        self.time = max(self.time, sent) + 1
        return self.time
# [end lamport]


@dataclass(frozen=True)
class Event:
    """One event of the run: who, what, and (for a receive) which send it matches."""

    name: str
    process: str
    kind: str  # "local", "send" or "recv"
    peer: str | None = None  # for recv: the name of the matching send event


# The fixed run: P1 and P3 never exchange messages directly.
RUN: list[Event] = [
    Event("a1", "P1", "local"),
    Event("a2", "P1", "send"),
    Event("b1", "P2", "local"),
    Event("b2", "P2", "recv", peer="a2"),
    Event("c1", "P3", "local"),
    Event("c2", "P3", "local"),
    Event("c3", "P3", "local"),
    Event("b3", "P2", "send"),
    Event("c4", "P3", "recv", peer="b3"),
    Event("a3", "P1", "local"),
]


@dataclass
class Result:
    """Timestamps and the happened-before relation of the run."""

    stamps: dict[str, int] = field(default_factory=dict)
    before: set[tuple[str, str]] = field(default_factory=set)


def run(events: list[Event]) -> Result:
    """Stamp every event and compute happened-before as a transitive closure."""
    clocks: dict[str, LamportClock] = {}
    result = Result()
    last_on: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    for ev in events:
        clock = clocks.setdefault(ev.process, LamportClock())
        if ev.kind == "recv":
            assert ev.peer is not None
            result.stamps[ev.name] = clock.receive(result.stamps[ev.peer])
            edges.add((ev.peer, ev.name))
        else:
            result.stamps[ev.name] = clock.tick()
        if ev.process in last_on:
            edges.add((last_on[ev.process], ev.name))
        last_on[ev.process] = ev.name
    names = [ev.name for ev in events]
    before = set(edges)
    changed = True
    while changed:
        changed = False
        for a, b in list(before):
            for c in names:
                if (b, c) in before and (a, c) not in before:
                    before.add((a, c))
                    changed = True
    result.before = before
    return result


def concurrent_but_ordered(result: Result) -> list[tuple[str, str]]:
    """Pairs with C(a) < C(b) where neither a -> b nor b -> a: what the clock cannot tell."""
    names = sorted(result.stamps)
    pairs = []
    for a in names:
        for b in names:
            if a == b or result.stamps[a] >= result.stamps[b]:
                continue
            if (a, b) not in result.before and (b, a) not in result.before:
                pairs.append((a, b))
    return pairs


def main(argv: list[str] | None = None) -> int:
    """Print the run, check the clock condition, and list the misleading pairs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=4, help="misleading pairs to print")
    args = parser.parse_args(argv)
    result = run(RUN)
    print("event  process  kind   C(e)")
    for ev in RUN:
        kind = ev.kind if ev.peer is None else f"recv<-{ev.peer}"
        print(f"{ev.name:<6} {ev.process:<8} {kind:<9} {result.stamps[ev.name]:>2}")
    violations = [(a, b) for a, b in result.before if result.stamps[a] >= result.stamps[b]]
    print(f"\nhappened-before pairs: {len(result.before)}; "
          f"clock condition violations: {len(violations)}")
    misleading = concurrent_but_ordered(result)
    print(f"pairs with C(a) < C(b) but a, b concurrent: {len(misleading)}")
    for a, b in sorted(misleading, key=lambda p: (result.stamps[p[0]], p))[: args.show]:
        print(f"  C({a}) = {result.stamps[a]} < C({b}) = {result.stamps[b]}, "
              f"yet {a} and {b} are concurrent")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
