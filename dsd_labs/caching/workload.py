"""Seeded request traces for cache experiments: Zipf popularity, scans, popularity shifts.

Cache hit ratios depend on the workload far more than on the policy, so
every experiment in this package draws its requests from the same few,
explicitly parameterized generators. Key popularity follows a Zipf law:
the key of rank ``i`` (1-based) is requested with probability proportional
to ``1 / i**alpha``. Web and key-value traces measured in the literature
fit exponents between about 0.6 and 1.0, and the exponent, not the number
of keys, decides how much a small cache can absorb.

The generators use inverse-transform sampling over the cumulative weights,
so a trace is a pure function of its parameters and seed.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator


class Zipf:
    """Sample ranks ``0 .. n-1``; rank ``r`` has probability proportional to ``(r+1)**-alpha``."""

    def __init__(self, n: int, alpha: float) -> None:
        if n < 1:
            raise ValueError("n must be at least 1")
        weights = [1.0 / (i + 1) ** alpha for i in range(n)]
        self.total = sum(weights)
        self.probabilities = [w / self.total for w in weights]
        self.cumulative = list(itertools.accumulate(weights))

    def sample(self, rng: random.Random) -> int:
        """One key rank; rank 0 is the most popular key."""
        return bisect.bisect_left(self.cumulative, rng.random() * self.total)

    def top_share(self, c: int) -> float:
        """The request share of the ``c`` most popular keys.

        Under independent requests with fixed popularity, a cache that always
        holds exactly these ``c`` keys has the highest possible expected hit
        ratio, so this is the ceiling every policy is measured against.
        """
        return sum(self.probabilities[:c])


def zipf_trace(n: int, alpha: float, length: int, seed: int) -> list[int]:
    """A trace of ``length`` independent Zipf requests over ``n`` keys."""
    rng = random.Random(seed)
    zipf = Zipf(n, alpha)
    return [zipf.sample(rng) for _ in range(length)]


def scan_trace(n: int, alpha: float, length: int, seed: int,
               scan_every: int, scan_length: int) -> list[int]:
    """A Zipf trace interrupted by sequential scans of keys that are never reused.

    Every ``scan_every`` requests, a batch job reads ``scan_length`` fresh keys
    (numbered from ``n`` upward) once each, the access pattern of a report,
    a backfill or a crawler. A recency-only policy admits every scanned key
    and evicts popular ones to make room.
    """
    rng = random.Random(seed)
    zipf = Zipf(n, alpha)
    fresh = itertools.count(n)
    trace: list[int] = []
    while len(trace) < length:
        trace.extend(zipf.sample(rng) for _ in range(scan_every))
        trace.extend(next(fresh) for _ in range(scan_length))
    return trace[:length]


def shift_trace(n: int, alpha: float, length: int, seed: int) -> list[int]:
    """A Zipf trace whose popular keys change completely halfway through.

    In the second half, rank ``r`` maps to key ``r + n``: yesterday's hot keys
    are never requested again. A policy that keeps frequency counts forever
    protects the old keys long after they have gone cold.
    """
    first = zipf_trace(n, alpha, length // 2, seed)
    second = zipf_trace(n, alpha, length - length // 2, seed + 1)
    return first + [rank + n for rank in second]


def poisson_arrivals(rate_per_s: float, duration_s: float,
                     rng: random.Random) -> Iterator[float]:
    """Arrival times of a Poisson process with the given rate, in seconds."""
    t = rng.expovariate(rate_per_s)
    while t < duration_s:
        yield t
        t += rng.expovariate(rate_per_s)
