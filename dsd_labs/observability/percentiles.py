"""Why per-instance p99s cannot be averaged, and how merged histograms bound the error.

Four instances of one service serve seeded latency samples. Three are
healthy; one suffers pauses (a garbage collector, a noisy neighbor) on a few
percent of its requests. Each instance computes its own exact p99, as a
Prometheus summary would. The lab compares the average of those p99s with the
exact p99 of all requests pooled together, in two traffic mixes: the slow
instance serving a small share of traffic (the average overstates the fleet's
p99) and a large share (the average understates it).

It then records the same samples in fixed-bucket histograms, once with the
classic default boundaries of the Prometheus Go client (5 ms to 10 s) and once
with exponential boundaries of growth factor 2^(1/8), the resolution of a
Prometheus native histogram with schema 3. Bucket counts add across
instances, so merging is exact; estimating the quantile from the merged
buckets is approximate, but the true value lies in the bucket the estimate
comes from, so the error never exceeds that bucket's width.

Run: ``python -m dsd_labs.observability.percentiles --seed 1``
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
from dataclasses import dataclass

# The Prometheus Go client's DefBuckets (seconds), here in milliseconds.
CLASSIC_BOUNDS_MS = (5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0)


@dataclass(frozen=True)
class Scenario:
    """A traffic mix: each instance's share of requests and its pause probability."""

    name: str
    shares: tuple[float, ...]
    pause_probability: tuple[float, ...]


SCENARIOS = (
    Scenario("slow instance serves 10% of traffic", (0.3, 0.3, 0.3, 0.1), (0, 0, 0, 0.05)),
    Scenario("slow instance serves 40% of traffic", (0.2, 0.2, 0.2, 0.4), (0, 0, 0, 0.05)),
)


def latency_ms(rng: random.Random, pause_probability: float) -> float:
    """One request's latency: log-normal around 40 ms, plus a 300-700 ms pause sometimes."""
    value = rng.lognormvariate(math.log(40.0), 0.5)
    if rng.random() < pause_probability:
        value += rng.uniform(300.0, 700.0)
    return value


def generate(scenario: Scenario, requests: int, seed: int) -> list[list[float]]:
    """Seeded latency samples per instance, split by the scenario's traffic shares."""
    rng = random.Random(seed)
    samples: list[list[float]] = []
    for share, pause in zip(scenario.shares, scenario.pause_probability, strict=True):
        samples.append([latency_ms(rng, pause) for _ in range(round(share * requests))])
    return samples


def exact_quantile(values: list[float], q: float) -> float:
    """The nearest-rank quantile: the smallest value with at least a fraction q at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def exponential_bounds_ms(schema: int, low_ms: float, high_ms: float) -> tuple[float, ...]:
    """Native-histogram boundaries 2^(i * 2^-schema) seconds, in ms, covering [low, high]."""
    step = 2.0 ** -schema
    first = math.floor(math.log2(low_ms / 1000.0) / step)
    last = math.ceil(math.log2(high_ms / 1000.0) / step)
    return tuple(1000.0 * 2.0 ** (i * step) for i in range(first, last + 1))


# [start histogram]
@dataclass
class Histogram:
    """Counts per bucket; bucket i holds values in (bounds[i-1], bounds[i]].

    The last bucket is the overflow bucket (+Inf). Two histograms with the same
    bounds merge by adding counts, which is why a fleet-wide quantile can be
    computed from per-instance histograms but not from per-instance quantiles.
    """

    bounds: tuple[float, ...]
    counts: list[int]

    @classmethod
    def empty(cls, bounds: tuple[float, ...]) -> Histogram:
        """A histogram with no observations: one counter per bound plus the overflow bucket."""
        return cls(bounds, [0] * (len(bounds) + 1))

    def observe(self, value: float) -> None:
        """Count a value in the first bucket whose upper bound is at least the value."""
        self.counts[bisect.bisect_left(self.bounds, value)] += 1

    def merge(self, other: Histogram) -> Histogram:
        """Add bucket counts; exact, and only defined for identical bounds."""
        if self.bounds != other.bounds:
            raise ValueError("histograms with different bucket bounds cannot be merged")
        return Histogram(self.bounds, [a + b for a, b in zip(self.counts, other.counts,
                                                              strict=True)])
# [end histogram]

    # [start quantile]
    def quantile(self, q: float) -> tuple[float, float, float]:
        """Estimate the q-quantile; return (estimate, bucket lower bound, bucket upper bound).

        Like PromQL's histogram_quantile on a classic histogram: find the bucket
        where the cumulative count reaches q x total, interpolate linearly inside
        it, take 0 as the lower bound of the first bucket, and return the highest
        finite bound if the quantile falls in the overflow bucket.
        """
        total = sum(self.counts)
        target = q * total
        cumulative = 0
        for i, count in enumerate(self.counts):
            if count and cumulative + count >= target:
                if i == len(self.bounds):
                    top = self.bounds[-1]
                    return top, top, math.inf
                lower = self.bounds[i - 1] if i > 0 else 0.0
                upper = self.bounds[i]
                estimate = lower + (upper - lower) * (target - cumulative) / count
                return estimate, lower, upper
            cumulative += count
        raise ValueError("empty histogram")
    # [end quantile]


def histogram_of(values: list[float], bounds: tuple[float, ...]) -> Histogram:
    """Record every value in a histogram with the given bounds."""
    hist = Histogram.empty(bounds)
    for value in values:
        hist.observe(value)
    return hist


@dataclass(frozen=True)
class Result:
    """What one scenario shows: per-instance p99s, their average, and the merged answers."""

    instance_p99: tuple[float, ...]
    instance_requests: tuple[int, ...]
    average_of_p99: float
    exact_merged_p99: float
    classic: tuple[float, float, float]
    native: tuple[float, float, float]


def analyze(scenario: Scenario, requests: int, seed: int, q: float = 0.99,
            schema: int = 3) -> Result:
    """Compare the average of per-instance quantiles with exact and histogram merges."""
    samples = generate(scenario, requests, seed)
    per_instance = tuple(exact_quantile(s, q) for s in samples)
    pooled = [v for s in samples for v in s]
    native_bounds = exponential_bounds_ms(schema, 1.0, 20_000.0)
    merged = {}
    for name, bounds in (("classic", CLASSIC_BOUNDS_MS), ("native", native_bounds)):
        hists = [histogram_of(s, bounds) for s in samples]
        total = hists[0]
        for h in hists[1:]:
            total = total.merge(h)
        merged[name] = total.quantile(q)
    return Result(per_instance, tuple(len(s) for s in samples),
                  sum(per_instance) / len(per_instance), exact_quantile(pooled, q),
                  merged["classic"], merged["native"])


def report(scenario: Scenario, result: Result, q: float) -> list[str]:
    """Render one scenario: per-instance quantiles, their average, and the merged estimates."""
    name = f"p{100 * q:g}"
    lines = [f"== {scenario.name} =="]
    for i, (n, p) in enumerate(zip(result.instance_requests, result.instance_p99,
                                   strict=True)):
        lines.append(f"  api-{i + 1}: {n:>6} requests  {name} {p:7.1f} ms")
    exact = result.exact_merged_p99
    avg = result.average_of_p99
    lines.append(f"  average of the four {name}s: {avg:7.1f} ms  "
                 f"({100 * (avg - exact) / exact:+.0f}% vs exact)")
    lines.append(f"  exact {name} of all requests: {exact:7.1f} ms")
    lines.append("  merged histograms   estimate  bucket containing it   error   bound")
    for label, (est, lo, hi) in (("classic buckets", result.classic),
                                 ("native, schema 3", result.native)):
        bucket = f"({lo:.1f}, {hi:.1f}]"
        lines.append(f"  {label:<18}{est:9.1f}  {bucket:<20}{est - exact:+7.1f}{hi - lo:8.1f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run both traffic mixes and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--quantile", type=float, default=0.99)
    args = parser.parse_args(argv)
    print(f"{args.requests} requests over 4 instances; q = {args.quantile}; seed {args.seed}; "
          "all times in ms")
    for scenario in SCENARIOS:
        result = analyze(scenario, args.requests, args.seed, args.quantile)
        print("\n".join(report(scenario, result, args.quantile)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
