"""Scatter-gather and secondary indexes: what touching many partitions does to latency.

A query that the partition key cannot route must ask every partition that
might hold an answer and wait for the slowest. If one partition's response
time has distribution ``F``, the slowest of ``k`` independent responses has
distribution ``F(x)^k``, so its median is ``F``'s ``0.5^(1/k)`` quantile:
with 64 partitions, the median query waits as long as a single partition's
98.9th percentile.

The program draws one partition's latency from a model (a log-normal body
with a median of 2 ms plus a 1% chance of a 50 ms stall, a garbage-collection
pause or a compaction) and reports the percentiles of fan-out queries. It
then compares the two kinds of secondary index for a query matching ``m``
rows in a table of ``P`` partitions: a local index is read on every
partition in parallel; a global index is read on one partition and then the
matching rows are fetched from the partitions that hold them, two round
trips in sequence.

Run: ``python -m dsd_labs.partitioning.scatter_gather --seed 1``
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Sequence

MEDIAN_MS = 2.0
SIGMA = 0.5
STALL_P = 0.01
STALL_MS = 50.0


def draw_latency(rng: random.Random) -> float:
    """One partition's response time in ms under the lab's model."""
    latency = rng.lognormvariate(math.log(MEDIAN_MS), SIGMA)
    if rng.random() < STALL_P:
        latency += STALL_MS
    return latency


def sample(rng: random.Random, count: int) -> list[float]:
    """A sorted sample of single-partition latencies: the empirical ``F``."""
    return sorted(draw_latency(rng) for _ in range(count))


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of a sorted sample (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[index]


# [start fanout]
def fanout_quantile(single: Sequence[float], k: int, q: float) -> float:
    """The ``q`` quantile of the slowest of ``k`` independent partition responses.

    ``P(max <= x) = F(x)^k``, so the answer is ``F``'s ``q^(1/k)`` quantile:
    no simulation of the ``k`` requests is needed.
    """
    return quantile(single, q ** (1.0 / k))


def slow_fraction(k: int, p_slow: float = STALL_P) -> float:
    """Probability that at least one of ``k`` responses hits the stall."""
    return 1.0 - (1.0 - p_slow) ** k
# [end fanout]


def global_index_latencies(single: Sequence[float], matches: int, partitions: int,
                           trials: int, rng: random.Random) -> list[float]:
    """Latency of an index read followed by parallel fetches of ``matches`` rows.

    The rows live on random partitions, so the fetch phase contacts only the
    distinct partitions among them.
    """
    results = []
    for _ in range(trials):
        holders = {rng.randrange(partitions) for _ in range(matches)}
        fetch = max(single[rng.randrange(len(single))] for _ in holders)
        results.append(single[rng.randrange(len(single))] + fetch)
    return sorted(results)


def main(argv: list[str] | None = None) -> int:
    """Print fan-out percentiles, then local against global secondary index for one query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=32)
    parser.add_argument("--matches", type=int, default=5)
    parser.add_argument("--trials", type=int, default=20_000)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    single = sample(rng, args.samples)
    print(f"one partition: p50 {quantile(single, 0.5):.1f} ms, "
          f"p99 {quantile(single, 0.99):.1f} ms, p99.9 {quantile(single, 0.999):.1f} ms "
          f"({STALL_P:.0%} of responses stall {STALL_MS:.0f} ms)")
    print(f"\n{'fan-out k':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'P(any stall)':>13}")
    for k in (1, 4, 16, 64, 256):
        print(f"{k:>9} {fanout_quantile(single, k, 0.5):>8.1f} "
              f"{fanout_quantile(single, k, 0.9):>8.1f} "
              f"{fanout_quantile(single, k, 0.99):>8.1f} {slow_fraction(k):>13.1%}")

    p, m = args.partitions, args.matches
    glob = global_index_latencies(single, m, p, args.trials, rng)
    glob_stalled = sum(1 for x in glob if x > STALL_MS) / len(glob)
    expected = p * (1 - (1 - 1 / p) ** m)
    print(f"\nquery by a secondary attribute: {p} partitions, {m} matching rows")
    print(f"{'index':<7} {'partitions read':>16} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} "
          f"{'P(any stall)':>13}")
    print(f"{'local':<7} {p:>16} {fanout_quantile(single, p, 0.5):>7.1f} "
          f"{fanout_quantile(single, p, 0.9):>7.1f} {fanout_quantile(single, p, 0.99):>7.1f} "
          f"{slow_fraction(p):>13.1%}")
    print(f"{'global':<7} {f'1 + {expected:.1f}':>16} {quantile(glob, 0.5):>7.1f} "
          f"{quantile(glob, 0.9):>7.1f} {quantile(glob, 0.99):>7.1f} {glob_stalled:>13.1%}")
    print("partitions written per indexed update: local 1 (row and entry together),")
    print("global up to 3 (the row, the old index entry, the new index entry)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
