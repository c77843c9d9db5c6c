"""Retrying clients against a recovering server: exponential backoff with and without jitter.

A discrete-event simulation in virtual time. Many clients fail at the same
instant (the server has just crashed), then retry with capped exponential
backoff until each has one successful call. The server rejects every call
until it recovers; afterwards it accepts a fixed number of calls per time
slot and rejects the excess quickly, as a server with load shedding does.

The four backoff policies are the ones of Brooker's 2015 AWS Architecture
Blog post: no jitter, full jitter, equal jitter and decorrelated jitter. The
report gives, per policy, the calls the clients made, the time until the last
client succeeded, and the largest number of calls that landed in one slot.
Without jitter the clients stay synchronized and arrive as one herd at every
retry, so each round admits only one slot's worth of them.

Run: ``python -m dsd_labs.fault_tolerance.backoff --seeds 20``
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
from collections import Counter
from dataclasses import dataclass

POLICIES = ("none", "full", "equal", "decorrelated")


# [start policies]
def ceiling(retry: int, base: float, cap: float) -> float:
    """The capped exponential ceiling for the ``retry``-th retry (0 for the first)."""
    return min(cap, base * 2**retry)


def next_sleep(policy: str, retry: int, prev: float, base: float, cap: float,
               rng: random.Random) -> float:
    """How long a client sleeps before its next attempt, in ms.

    ``prev`` is the previous sleep; only decorrelated jitter uses it, because
    its next sleep is drawn relative to the last one rather than to the count
    of retries.
    """
    top = ceiling(retry, base, cap)
    if policy == "none":
        return top
    if policy == "full":
        return rng.uniform(0, top)
    if policy == "equal":
        return top / 2 + rng.uniform(0, top / 2)
    if policy == "decorrelated":
        return min(cap, rng.uniform(base, prev * 3))
    raise ValueError(f"unknown policy {policy!r}")
# [end policies]


@dataclass(frozen=True)
class Scenario:
    """The outage and the clients: all times in ms of virtual time."""

    clients: int = 100
    outage_ms: float = 2_000.0  # every call fails before this instant
    slot_ms: float = 10.0  # the server's accounting slot
    capacity: int = 2  # calls accepted per slot after recovery (200 calls/s)
    base_ms: float = 10.0
    cap_ms: float = 2_000.0
    noise_ms: float = 1.0  # network delay varies by up to this much per call


@dataclass(frozen=True)
class Outcome:
    """What one run of one policy produced."""

    policy: str
    calls: int
    calls_after_recovery: int
    completion_ms: float
    peak_after_recovery: int  # most calls in one slot once the server is up


# [start simulate]
def simulate(policy: str, scenario: Scenario, seed: int) -> Outcome:
    """Run every client until it has one success; return the totals.

    Events are (arrival time, client, retry number, previous sleep). The heap
    pops them in time order; ties break on the client number, so a run is a
    pure function of its seed.
    """
    rng = random.Random(seed)
    events = [(rng.uniform(0, scenario.noise_ms), c, 0, scenario.base_ms)
              for c in range(scenario.clients)]
    heapq.heapify(events)
    accepted: Counter[int] = Counter()
    per_slot: Counter[int] = Counter()  # calls per slot after recovery
    calls = 0
    last_success = 0.0
    while events:
        now, client, retry, prev = heapq.heappop(events)
        calls += 1
        slot = int(now // scenario.slot_ms)
        up = now >= scenario.outage_ms
        per_slot[slot] += up
        if up and accepted[slot] < scenario.capacity:
            accepted[slot] += 1
            last_success = max(last_success, now)
            continue
        sleep = next_sleep(policy, retry, prev, scenario.base_ms, scenario.cap_ms, rng)
        arrival = now + sleep + rng.uniform(0, scenario.noise_ms)
        heapq.heappush(events, (arrival, client, retry + 1, sleep))
    return Outcome(policy, calls, per_slot.total(), last_success, max(per_slot.values()))
# [end simulate]


@dataclass(frozen=True)
class Summary:
    """Means over several seeds for one policy."""

    policy: str
    calls: float
    calls_after_recovery: float
    completion_ms: float
    peak_after_recovery: float


def compare(scenario: Scenario, seeds: int) -> list[Summary]:
    """Run each policy with the same seeds and average the outcomes."""
    rows = []
    for policy in POLICIES:
        runs = [simulate(policy, scenario, seed) for seed in range(seeds)]
        rows.append(Summary(
            policy,
            statistics.fmean(r.calls for r in runs),
            statistics.fmean(r.calls_after_recovery for r in runs),
            statistics.fmean(r.completion_ms for r in runs),
            statistics.fmean(r.peak_after_recovery for r in runs),
        ))
    return rows


def drain_floor_ms(scenario: Scenario) -> float:
    """The earliest the last client can finish: recovery plus the slots it takes."""
    slots = -(-scenario.clients // scenario.capacity)
    return scenario.outage_ms + slots * scenario.slot_ms


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table for the chosen scenario."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--outage-ms", type=float, default=2_000.0)
    parser.add_argument("--capacity", type=int, default=2, help="calls accepted per 10 ms slot")
    parser.add_argument("--cap-ms", type=float, default=2_000.0)
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args(argv)
    scenario = Scenario(clients=args.clients, outage_ms=args.outage_ms,
                        capacity=args.capacity, cap_ms=args.cap_ms)
    print(f"{scenario.clients} clients fail at t = 0; the server is down until "
          f"{scenario.outage_ms:,.0f} ms, then accepts {scenario.capacity} calls per "
          f"{scenario.slot_ms:.0f} ms slot")
    print(f"backoff base {scenario.base_ms:.0f} ms, cap {scenario.cap_ms:,.0f} ms; "
          f"means over {args.seeds} seeds")
    print(f"fastest possible drain: all clients done at "
          f"{drain_floor_ms(scenario):,.0f} ms with {scenario.clients} calls after recovery\n")
    print(f"{'':<13}{'calls':>8}{'calls after':>13}{'last':>10}{'peak calls per slot':>21}")
    print(f"{'policy':<13}{'in all':>8}{'recovery':>13}{'success':>10}{'after recovery':>21}")
    for row in compare(scenario, args.seeds):
        print(f"{row.policy:<13}{row.calls:>8,.0f}{row.calls_after_recovery:>13,.0f}"
              f"{row.completion_ms / 1000:>8.2f} s{row.peak_after_recovery:>21.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
