"""Queueing delay against utilization: M/M/1, M/M/c (Erlang C) and Little's law.

Capacity plans cap utilization well below 100% because waiting time grows
without bound as utilization approaches 1, and grows fastest exactly where a
fleet runs hot. The models here assume Poisson arrivals at rate ``lam`` and
exponential service times with mean ``1/mu`` on ``c`` identical servers
sharing one queue: assumptions that real services violate in detail but that
show the shape of the curve, which is what a utilization ceiling is about.

Run: ``python -m dsd_labs.operations.queueing --service-ms 10 --servers 16``
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass


# [start erlang]
def erlang_c(servers: int, offered: float) -> float:
    """Probability that an arrival waits, for ``offered`` = lam / mu Erlangs on ``servers``.

    Computed from the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)),
    which avoids factorials, then C = c B / (c - a (1 - B)).
    """
    if offered >= servers:
        return 1.0
    b = 1.0
    for k in range(1, servers + 1):
        b = offered * b / (k + offered * b)
    return servers * b / (servers - offered * (1 - b))


@dataclass(frozen=True)
class Queue:
    """Steady-state figures of an M/M/c queue, times in seconds."""

    utilization: float
    p_wait: float
    mean_wait: float
    mean_response: float
    p99_wait: float


def mmc(lam: float, mu: float, servers: int) -> Queue:
    """M/M/c: waiting time is 0 with probability 1 - C and otherwise exponential
    with rate c mu - lam, so P(W > t) = C exp(-(c mu - lam) t)."""
    rho = lam / (servers * mu)
    if rho >= 1:
        return Queue(rho, 1.0, math.inf, math.inf, math.inf)
    c = erlang_c(servers, lam / mu)
    drain = servers * mu - lam
    p99 = math.log(c / 0.01) / drain if c > 0.01 else 0.0
    return Queue(rho, c, c / drain, c / drain + 1 / mu, p99)
# [end erlang]


def mm1_p99_response(lam: float, mu: float) -> float:
    """M/M/1 response time is exponential with rate mu - lam: p99 = ln(100) / (mu - lam)."""
    return math.log(100) / (mu - lam) if lam < mu else math.inf


def main(argv: list[str] | None = None) -> int:
    """Tabulate delay against utilization, a traffic spike at two operating points,
    and Little's law for the concurrency a fleet must hold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service-ms", type=float, default=10.0, help="mean service time")
    parser.add_argument("--servers", type=int, default=16, help="servers (workers) per queue")
    args = parser.parse_args(argv)
    mu = 1000 / args.service_ms
    c = args.servers
    print(f"Mean service time {args.service_ms:g} ms (mu = {mu:g}/s per server)")
    print(f"             ---- M/M/1 ----    ----------- M/M/{c} -----------")
    print("utilization    mean      p99    P(wait)     mean   p99 wait")
    for rho in (0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99):
        one = mmc(rho * mu, mu, 1)
        many = mmc(rho * mu * c, mu, c)
        print(f"{rho:10.0%} {one.mean_response * 1000:7.1f} ms "
              f"{mm1_p99_response(rho * mu, mu) * 1000:5.0f} ms {many.p_wait:9.1%}"
              f" {many.mean_response * 1000:6.1f} ms {many.p99_wait * 1000:7.1f} ms")
    print("\nA 10% traffic spike (M/M/1 mean response):")
    for rho in (0.7, 0.8, 0.9):
        before, after = mmc(rho * mu, mu, 1), mmc(rho * 1.1 * mu, mu, 1)
        slower = after.mean_response / before.mean_response
        print(f"  at {rho:.0%} -> {rho * 1.1:.0%}: {before.mean_response * 1000:6.1f} ms -> "
              f"{after.mean_response * 1000:6.1f} ms (x{slower:.2f})")
    rate, latency_ms, instances = 2000.0, 150.0, 20
    in_flight = rate * latency_ms / 1000
    print(f"\nLittle's law L = lam W: {rate:,.0f} req/s x {latency_ms:g} ms = {in_flight:g} "
          f"requests in flight,\n  {in_flight / instances:g} per instance on {instances}; "
          f"if latency triples to {3 * latency_ms:g} ms: "
          f"{3 * in_flight / instances:g} per instance")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
