"""Hybrid logical clocks (Kulkarni et al. 2014), run against skewed physical clocks.

The algorithm is the paper's, with ``l`` (the largest physical time heard of)
and ``c`` (a counter that orders events sharing the same ``l``). The
simulation gives every process a physical clock that is monotonic, advances
at least one tick between two events of that process, and stays within
``epsilon`` ticks of every other process's clock, which are the conditions of
the paper's bounds. It then checks, on every event: ``l >= pt``;
``l - pt <= epsilon``; ``c <= N * (epsilon + 1)``; timestamps strictly
increase on each process; and every receive is stamped after its send.

Run: ``python -m dsd_labs.clocks.hlc --seed 1``
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field

Stamp = tuple[int, int]  # (l, c), compared lexicographically


# [start hlc]
@dataclass
class HybridLogicalClock:
    """One process's HLC state: ``l`` and ``c`` as in the algorithm of Kulkarni et al. 2014."""

    l: int = 0  # noqa: E741 - the paper's name for the logical component
    c: int = 0

    def send_or_local(self, pt: int) -> Stamp:
        """A send or local event at physical time ``pt``.

        ``l`` catches up with the physical clock when the physical clock has
        moved past it; otherwise ``l`` stays and ``c`` counts events that
        share it, so the stamp still grows.
        """
        previous = self.l
        self.l = max(previous, pt)
        self.c = self.c + 1 if self.l == previous else 0
        return (self.l, self.c)

    def receive(self, pt: int, msg: Stamp) -> Stamp:
        """A receive of a message stamped ``msg`` at physical time ``pt``.

        ``l`` becomes the largest of the local ``l``, the message's ``l`` and
        ``pt``; ``c`` is set past every counter that shares the winning ``l``.
        """
        previous = self.l
        msg_l, msg_c = msg
        self.l = max(previous, msg_l, pt)
        if self.l == previous == msg_l:
            self.c = max(self.c, msg_c) + 1
        elif self.l == previous:
            self.c = self.c + 1
        elif self.l == msg_l:
            self.c = msg_c + 1
        else:
            self.c = 0
        return (self.l, self.c)
# [end hlc]


@dataclass
class Stats:
    """What the checks observed over one simulation."""

    events: int = 0
    max_drift: int = 0  # max over events of l - pt
    max_c: int = 0
    violations: list[str] = field(default_factory=list)


def simulate(seed: int, processes: int, epsilon: int, steps: int,
             max_delay: int = 3) -> Stats:
    """Run a random message-passing workload over skewed clocks and check every event.

    True time advances two ticks per step; each clock's offset from true time
    is a random walk of -1, 0 or +1 per step, kept within ``[0, epsilon]``, so
    every clock advances at least one tick per step and any two clocks differ
    by at most ``epsilon``. A process takes at most one event per step.
    """
    rng = random.Random(seed)
    offsets = [rng.randint(0, epsilon) for _ in range(processes)]
    clocks = [HybridLogicalClock() for _ in range(processes)]
    last: list[Stamp | None] = [None] * processes
    inbox: list[list[tuple[int, Stamp]]] = [[] for _ in range(processes)]
    stats = Stats()
    for step in range(1, steps + 1):
        true_time = 2 * step
        offsets = [min(epsilon, max(0, o + rng.choice((-1, 0, 1)))) for o in offsets]
        for j in range(processes):
            pt = true_time + offsets[j]
            due = [m for m in inbox[j] if m[0] <= step]
            roll = rng.random()
            if due and roll < 0.5:
                message = min(due)
                inbox[j].remove(message)
                stamp = clocks[j].receive(pt, message[1])
                if stamp <= message[1]:
                    stats.violations.append(f"receive {stamp} not after send {message[1]}")
            elif roll < 0.8:
                stamp = clocks[j].send_or_local(pt)
                dest = rng.choice([k for k in range(processes) if k != j])
                inbox[dest].append((step + rng.randint(1, max_delay), stamp))
            else:
                stamp = clocks[j].send_or_local(pt)
            stats.events += 1
            l_, c_ = stamp
            if l_ < pt:
                stats.violations.append(f"l {l_} < pt {pt}")
            if l_ - pt > epsilon:
                stats.violations.append(f"l - pt = {l_ - pt} > epsilon {epsilon}")
            if c_ > processes * (epsilon + 1):
                stats.violations.append(f"c {c_} > N(epsilon+1)")
            prev = last[j]
            if prev is not None and stamp <= prev:
                stats.violations.append(f"stamp {stamp} not after {prev} on P{j + 1}")
            last[j] = stamp
            stats.max_drift = max(stats.max_drift, l_ - pt)
            stats.max_c = max(stats.max_c, c_)
    return stats


def trace() -> list[str]:
    """A hand-sized run: P2's clock is 10 ticks ahead; watch P1's ``l`` and ``c``."""
    p1, p2 = HybridLogicalClock(), HybridLogicalClock()
    lines = ["who  event          pt   (l, c)"]
    s = p2.send_or_local(110)
    lines.append(f"P2   send m         110  {s}")
    r = p1.receive(100, s)
    lines.append(f"P1   receive m      100  {r}")
    for pt in (101, 103):
        lines.append(f"P1   local          {pt}  {p1.send_or_local(pt)}")
    lines.append(f"P1   local          111  {p1.send_or_local(111)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the small trace, then check the bounds over many seeded simulations."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="first seed")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--epsilon", type=int, default=10, help="skew bound in ticks")
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args(argv)
    for line in trace():
        print(line)
    bound_c = args.processes * (args.epsilon + 1)
    events = max_drift = max_c = bad = 0
    for seed in range(args.seed, args.seed + args.runs):
        stats = simulate(seed, args.processes, args.epsilon, args.steps)
        events += stats.events
        max_drift = max(max_drift, stats.max_drift)
        max_c = max(max_c, stats.max_c)
        bad += len(stats.violations)
    print(f"\n{args.runs} runs x {args.processes} processes x {args.steps} steps, "
          f"epsilon = {args.epsilon} ticks: {events} events")
    print(f"max l - pt observed: {max_drift} ticks (bound: epsilon = {args.epsilon})")
    print(f"max c observed:      {max_c} (bound: N * (epsilon + 1) = {bound_c})")
    print(f"violations of l >= pt, bounds, monotonicity, send < receive: {bad}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
