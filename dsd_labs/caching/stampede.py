"""Cache stampede: one hot key, its expiry, and four ways to recompute it.

A key is read ``rate`` times per second by clients spread over ``servers``
application servers. Its value lives ``ttl`` seconds in a shared cache and
takes ``recompute`` seconds to rebuild from the database. The simulation
replays the same seeded Poisson arrivals under four strategies and counts
the database queries each one sends:

- ``plain TTL``: every request that finds the key missing queries the
  database itself, so each expiry costs about ``rate × recompute`` queries.
- ``coalesce per server``: each application server lets one request per
  key query the database and parks the others on that result (Go's
  ``singleflight``); an expiry costs at most one query per server.
- ``lease``: the cache grants one client a lease to refill a missing key and
  tells the others to wait and retry (memcache at Facebook); one query per
  expiry, but every request during the refill waits.
- ``lease + serve stale``: as ``lease``, but the cache keeps the expired
  value and returns it, marked stale, to everyone but the lease holder
  (memcache's stale values; Memcached 1.6's meta protocol; HTTP's
  ``stale-while-revalidate``); one query per expiry and nobody waits.
- ``XFetch``: a reader that finds the value still fresh recomputes it early
  with a probability that rises as expiry approaches (Vattani, Chierichetti
  and Lowenstein, VLDB 2015). Requests keep hitting the old value while the
  refresh runs, so nobody waits and the value never expires.

Run: ``python -m dsd_labs.caching.stampede --seed 1``
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
from dataclasses import dataclass

from dsd_labs.caching.workload import poisson_arrivals

STRATEGIES = ("plain TTL", "coalesce per server", "lease", "lease + serve stale", "XFetch")


@dataclass(frozen=True)
class Scenario:
    """The hot key's load and the cost of rebuilding it."""

    rate: float = 1_000.0       # requests per second for the key
    servers: int = 40           # application servers the requests spread over
    ttl: float = 30.0           # seconds a value stays fresh
    recompute: float = 0.3      # seconds the database query takes
    duration: float = 300.0     # seconds simulated
    beta: float = 1.0           # XFetch's eagerness; 1.0 is the paper's default


@dataclass
class Result:
    """What one strategy cost."""

    strategy: str
    requests: int = 0
    db_queries: int = 0
    peak_concurrent: int = 0
    waited: int = 0
    total_wait: float = 0.0
    cycles: int = 0             # refresh episodes: runs of overlapping queries


# [start xfetch]
def xfetch_should_recompute(now: float, expiry: float, delta: float, beta: float,
                            rng: random.Random) -> bool:
    """Probabilistic early expiration: recompute if ``now − δ·β·ln(U) ≥ expiry``.

    ``U`` is uniform on (0, 1], so ``−ln(U)`` is an exponential draw with mean 1
    and ``δ·β·(−ln U)`` is a random head start proportional to the cost of
    recomputing ``δ``. A request at ``g`` seconds before expiry triggers
    with probability ``exp(−g / (δ·β))``: negligible far from expiry,
    certain at it.
    """
    u = 1.0 - rng.random()  # in (0, 1], so the logarithm is finite
    return now - delta * beta * math.log(u) >= expiry
# [end xfetch]


def simulate(strategy: str, sc: Scenario, seed: int) -> Result:
    """Replay the seeded arrivals under ``strategy`` and count database queries."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    arrivals_rng = random.Random(seed)
    choice_rng = random.Random(seed + 1)
    xfetch_rng = random.Random(seed + 2)
    res = Result(strategy)
    expiry = sc.ttl                 # the key starts cached and fresh (a warm cache)
    in_flight: list[tuple[float, int]] = []   # (finish time, scope) of running queries
    busy: set[int] = set()          # scopes (servers, or the whole cache) with a query running
    waiters: dict[int, list[float]] = {}      # scope -> arrival times parked on its query

    def start_query(now: float, scope: int) -> None:
        if not in_flight:
            res.cycles += 1
        heapq.heappush(in_flight, (now + sc.recompute, scope))
        busy.add(scope)
        res.db_queries += 1
        res.peak_concurrent = max(res.peak_concurrent, len(in_flight))

    def finish_queries(until: float) -> None:
        nonlocal expiry
        while in_flight and in_flight[0][0] <= until:
            done, scope = heapq.heappop(in_flight)
            busy.discard(scope)
            expiry = max(expiry, done + sc.ttl)
            for arrived in waiters.pop(scope, []):
                res.waited += 1
                res.total_wait += done - arrived

    for now in poisson_arrivals(sc.rate, sc.duration, arrivals_rng):
        finish_queries(now)
        res.requests += 1
        server = choice_rng.randrange(sc.servers)
        fresh = now < expiry
        if strategy == "XFetch" and fresh:
            if xfetch_should_recompute(now, expiry, sc.recompute, sc.beta, xfetch_rng):
                start_query(now, scope=-1 - res.db_queries)  # a private scope: nobody waits
            continue
        if fresh:
            continue
        if strategy in ("plain TTL", "XFetch"):
            start_query(now, scope=-1 - res.db_queries)
            res.waited += 1
            res.total_wait += sc.recompute
        elif strategy == "lease + serve stale":
            if sc.servers not in busy:
                start_query(now, sc.servers)  # the lease holder refreshes in the background
        else:
            scope = server if strategy == "coalesce per server" else sc.servers
            if scope not in busy:
                start_query(now, scope)
            waiters.setdefault(scope, []).append(now)
    finish_queries(math.inf)
    return res


def main(argv: list[str] | None = None) -> int:
    """Run every strategy on the same arrivals and compare database load and waiting."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=1_000.0)
    parser.add_argument("--servers", type=int, default=40)
    parser.add_argument("--ttl", type=float, default=30.0)
    parser.add_argument("--recompute", type=float, default=0.3)
    parser.add_argument("--duration", type=float, default=300.0)
    parser.add_argument("--beta", type=float, default=1.0)
    args = parser.parse_args(argv)
    sc = Scenario(args.rate, args.servers, args.ttl, args.recompute, args.duration, args.beta)
    print(f"hot key: {sc.rate:,.0f} req/s over {sc.servers} servers, TTL {sc.ttl:g} s, "
          f"recompute {sc.recompute * 1000:,.0f} ms, {sc.duration:g} s simulated, seed {args.seed}")
    print(f"expected queries per expiry without protection: rate × recompute = "
          f"{sc.rate * sc.recompute:,.0f}")
    print(f"{'strategy':<20} {'DB queries':>10} {'per cycle':>9} {'peak':>5} "
          f"{'waited':>7} {'mean wait':>9}")
    for strategy in STRATEGIES:
        r = simulate(strategy, sc, args.seed)
        mean_wait = r.total_wait / r.waited * 1000 if r.waited else 0.0
        print(f"{strategy:<20} {r.db_queries:>10,} {r.db_queries / r.cycles:>9.1f} "
              f"{r.peak_concurrent:>5} {r.waited:>7,} {mean_wait:>7.0f} ms")
    print(f"cycle = one refresh of the value; XFetch with beta {sc.beta:g} expects "
          f"e^(1/beta) = {math.exp(1 / sc.beta):.2f} queries per cycle")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
