"""A seeded discrete-event simulation of one load balancer in front of unequal servers.

Requests arrive as a Poisson stream. Each carries an amount of work drawn
from an exponential distribution (mean ``base_ms`` on a server of speed 1.0)
and a server of speed ``s`` needs ``work / s`` to serve it. Every server
serves its queue one request at a time, first come first served. The
balancer assigns each request on arrival, using one of the policies in
:mod:`dsd_labs.load_balancing.policies`.

All policies see the same arrivals and the same work (common random
numbers), so differences between them come from the policy alone. The run
reports latency percentiles (time from arrival to completion), the longest
queue any server ever had, and the share of requests the slowest servers
received. With ``refresh_ms > 0`` the balancer sees each server's load as a
snapshot taken every ``refresh_ms`` instead of live. A ``Degradation``
slows one server down for a window of time, the way a noisy neighbor, a
garbage-collection storm or a failing disk does, without the server failing
any health check.

Run: ``python -m dsd_labs.load_balancing.simulation --seed 1``
"""

from __future__ import annotations

import argparse
import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from dsd_labs.load_balancing.policies import POLICY_NAMES, LoadView, Policy, make_policy

DEFAULT_SPEEDS = (2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5)


@dataclass(frozen=True)
class Degradation:
    """Server ``server`` runs at ``factor`` times its speed from ``start_ms`` to ``end_ms``."""

    server: int
    start_ms: float
    end_ms: float
    factor: float


@dataclass(frozen=True)
class Result:
    """What one simulated run measured."""

    policy: str
    mean_ms: float
    p50_ms: float
    p99_ms: float
    p999_ms: float
    max_queue: int
    per_server: tuple[int, ...]


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (q in 0..1)."""
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


class Server:
    """A FIFO server: it remembers when each queued request will complete."""

    def __init__(self, speed: float, slow: Degradation | None = None) -> None:
        self.speed = speed
        self.slow = slow
        self.free_at = 0.0
        self.completions: deque[float] = deque()

    def outstanding(self, now: float) -> int:
        """Requests queued or in service at ``now`` (departures are processed lazily)."""
        while self.completions and self.completions[0] <= now:
            self.completions.popleft()
        return len(self.completions)

    def accept(self, now: float, work_ms: float) -> float:
        """Queue a request; return its completion time."""
        start = max(now, self.free_at)
        speed = self.speed
        if self.slow and self.slow.start_ms <= start < self.slow.end_ms:
            speed *= self.slow.factor
        self.free_at = start + work_ms / speed
        self.completions.append(self.free_at)
        return self.free_at


def live_view(servers: Sequence[Server], now: float) -> LoadView:
    """What a balancer that tracks its own in-flight requests knows at ``now``."""
    return lambda i: servers[i].outstanding(now)


# [start simulate]
def simulate(policy: Policy, speeds: Sequence[float], rate_per_s: float, requests: int,
             seed: int, base_ms: float = 10.0, refresh_ms: float = 0.0,
             degradation: Degradation | None = None) -> Result:
    """Run ``requests`` arrivals through ``policy`` and measure what the clients see."""
    demand = random.Random(f"demand-{seed}")
    slow = degradation
    servers = [Server(speed, slow if slow and slow.server == i else None)
               for i, speed in enumerate(speeds)]
    snapshot = [0] * len(servers)
    next_refresh = 0.0
    now, latencies, max_queue = 0.0, [], 0
    per_server = [0] * len(servers)
    for _ in range(requests):
        now += demand.expovariate(rate_per_s / 1000.0)
        work_ms = demand.expovariate(1.0 / base_ms)
        if refresh_ms > 0:
            while now >= next_refresh:
                snapshot = [s.outstanding(next_refresh) for s in servers]
                next_refresh += refresh_ms
            choice = policy.pick(len(servers), snapshot.__getitem__)
        else:
            choice = policy.pick(len(servers), live_view(servers, now))
        queue = servers[choice].outstanding(now) + 1
        max_queue = max(max_queue, queue)
        latencies.append(servers[choice].accept(now, work_ms) - now)
        per_server[choice] += 1
    latencies.sort()
    return Result(policy.name, sum(latencies) / len(latencies), percentile(latencies, 0.50),
                  percentile(latencies, 0.99), percentile(latencies, 0.999), max_queue,
                  tuple(per_server))
# [end simulate]


def run_all(speeds: Sequence[float], utilization: float, requests: int, seed: int,
            base_ms: float = 10.0, refresh_ms: float = 0.0,
            names: Sequence[str] = POLICY_NAMES,
            degradation: Degradation | None = None) -> list[Result]:
    """Simulate each named policy at ``utilization`` of the servers' total capacity."""
    rate = utilization * sum(speeds) * 1000.0 / base_ms
    return [simulate(make_policy(name, speeds, seed), speeds, rate, requests, seed,
                     base_ms, refresh_ms, degradation) for name in names]


def share(result: Result, servers: Sequence[int]) -> float:
    """Fraction of all requests that went to the given servers."""
    return sum(result.per_server[i] for i in servers) / sum(result.per_server)


def print_table(title: str, results: Sequence[Result], servers: Sequence[int],
                share_label: str, suffix: str = "") -> None:
    """One line per policy: latencies in ms, longest queue, share sent to ``servers`` (if any)."""
    print(f"{title:<29}{'mean':>8}{'p50':>8}{'p99':>9}{'p99.9':>10}{'max q':>8}"
          f"{share_label:>9}")
    for r in results:
        sent = f"{100 * share(r, servers):.1f}" if servers else "-"
        print(f"{r.policy + suffix:<29}{r.mean_ms:>8.1f}{r.p50_ms:>8.1f}{r.p99_ms:>9.1f}"
              f"{r.p999_ms:>10.1f}{r.max_queue:>8}{sent:>9}")


def print_header(args: argparse.Namespace) -> float:
    """Describe the fleet and the offered load; return the arrival rate in req/s."""
    speeds = args.speeds
    capacity = sum(speeds) * 1000.0 / args.base_ms
    rate = args.utilization * capacity
    slow_capacity = 1000.0 * min(speeds) / args.base_ms
    print(f"{len(speeds)} servers, speeds {' '.join(f'{s:g}' for s in speeds)}; "
          f"mean service {args.base_ms:g} ms at speed 1")
    print(f"capacity {capacity:,.0f} req/s; offered {rate:,.0f} req/s "
          f"({100 * args.utilization:.0f}%); {args.requests:,} requests, seed {args.seed}")
    print(f"an equal split sends {rate / len(speeds):,.0f} req/s to each server; "
          f"the slowest can serve {slow_capacity:,.0f} req/s")
    held = 100 * speeds.count(min(speeds)) * min(speeds) / sum(speeds)
    print(f"the slowest servers hold {held:.1f}% of capacity; latencies below are in ms\n"
          if len(set(speeds)) > 1 else "all servers are equal; latencies below are in ms\n")
    return rate


def main(argv: list[str] | None = None) -> int:
    """Compare the policies with a live load view, a stale one, and one degraded server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--speeds", type=float, nargs="+", default=list(DEFAULT_SPEEDS))
    parser.add_argument("--utilization", type=float, default=0.7,
                        help="offered load as a fraction of the servers' total capacity")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--base-ms", type=float, default=10.0,
                        help="mean service time on a server of speed 1.0")
    parser.add_argument("--refresh-ms", type=float, default=100.0,
                        help="refresh interval of the stale load view in the second table")
    parser.add_argument("--degrade-factor", type=float, default=0.1,
                        help="speed factor of server 0 during the slow window")
    args = parser.parse_args(argv)
    speeds, rate, unequal = args.speeds, print_header(args), len(set(args.speeds)) > 1
    slowest = [i for i, s in enumerate(speeds) if s == min(speeds)] if unequal else []
    print_table("policy (live load view)",
                run_all(speeds, args.utilization, args.requests, args.seed, args.base_ms),
                slowest, "slow %")
    adaptive = ("least outstanding", "power of two choices")
    print(f"\nload view refreshed every {args.refresh_ms:g} ms:")
    print_table("policy (stale load view)",
                run_all(speeds, args.utilization, args.requests, args.seed, args.base_ms,
                        args.refresh_ms, adaptive), slowest, "slow %")
    duration_ms = args.requests / rate * 1000.0
    slow = Degradation(0, 0.3 * duration_ms, 0.6 * duration_ms, args.degrade_factor)
    print(f"\nserver 0 runs at {args.degrade_factor:g} of its speed from "
          f"{slow.start_ms / 1000:.0f} s to {slow.end_ms / 1000:.0f} s of a "
          f"{duration_ms / 1000:.0f} s run:")
    print_table("policy (live load view)",
                run_all(speeds, args.utilization, args.requests, args.seed, args.base_ms,
                        names=("weighted round robin", *adaptive), degradation=slow),
                [0], "srv 0 %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
