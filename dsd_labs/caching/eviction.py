"""Eviction and admission policies measured on seeded Zipf, scan and shifting workloads.

Five policies see exactly the same request trace:

- FIFO evicts the oldest insertion and ignores hits.
- LRU evicts the least recently used key.
- Sampled LRU evicts the least recently used of five randomly sampled keys,
  the approximation Redis uses so that it needs no linked list (Redis 3.0
  and later also keep a pool of good candidates across evictions, which
  brings it closer to exact LRU than this sketch).
- LFU evicts the least frequently used key, with counts kept only while a
  key is resident and never aged.
- W-TinyLFU, the policy of the Caffeine library: a small LRU window (1% of
  the capacity) in front of a segmented LRU main region, and a frequency
  sketch that admits a key leaving the window only if it has been requested
  more often, recently, than the main region's eviction victim.

The report gives hit ratios against cache size next to the ceiling for the
workload (the request share of the most popular keys), then the policies on
a workload where every cache-sized burst of Zipf requests is followed by a
cache-sized scan of keys read once, and on one whose popular keys change.

Run: ``python -m dsd_labs.caching.eviction --seed 1``
"""

from __future__ import annotations

import argparse
import random
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

from dsd_labs.caching.workload import Zipf, scan_trace, shift_trace, zipf_trace


class Policy(Protocol):
    """A fixed-capacity cache that records whether each access hit."""

    def access(self, key: int) -> bool:
        """Look ``key`` up, insert it on a miss if the policy admits it; return True on a hit."""
        ...


class FIFO:
    """First in, first out: a hit changes nothing, so popular keys are evicted on schedule."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.items: OrderedDict[int, None] = OrderedDict()

    def access(self, key: int) -> bool:
        if key in self.items:
            return True
        if len(self.items) >= self.capacity:
            self.items.popitem(last=False)
        self.items[key] = None
        return False


# [start lru]
class LRU:
    """Least recently used: every hit moves the key to the protected end of the list."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.items: OrderedDict[int, None] = OrderedDict()

    def access(self, key: int) -> bool:
        if key in self.items:
            self.items.move_to_end(key)
            return True
        if len(self.items) >= self.capacity:
            self.items.popitem(last=False)  # the least recently used key
        self.items[key] = None
        return False
# [end lru]


class SampledLRU:
    """Approximate LRU: evict the stalest of ``samples`` randomly chosen resident keys.

    It needs only a last-access stamp per key, not a list ordered by
    recency, which is why Redis chose it. Keys live in an array so that a
    uniform sample costs O(1).
    """

    def __init__(self, capacity: int, samples: int = 5, seed: int = 0) -> None:
        self.capacity = capacity
        self.samples = samples
        self.rng = random.Random(seed)
        self.keys: list[int] = []
        self.slot: dict[int, int] = {}
        self.last_used: dict[int, int] = {}
        self.clock = 0

    def _remove(self, key: int) -> None:
        index = self.slot.pop(key)
        last = self.keys.pop()
        if last != key:
            self.keys[index] = last
            self.slot[last] = index
        del self.last_used[key]

    def access(self, key: int) -> bool:
        self.clock += 1
        if key in self.slot:
            self.last_used[key] = self.clock
            return True
        if len(self.keys) >= self.capacity:
            sample = [self.keys[self.rng.randrange(len(self.keys))] for _ in range(self.samples)]
            self._remove(min(sample, key=self.last_used.__getitem__))
        self.slot[key] = len(self.keys)
        self.keys.append(key)
        self.last_used[key] = self.clock
        return False


class LFU:
    """Least frequently used, ties broken by recency; counts live and die with residency.

    Frequency buckets make every operation O(1). Counts are never aged, so a
    key that was hot an hour ago keeps its high count until it is evicted,
    which it rarely is: the weakness the shifting workload exposes.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.freq: dict[int, int] = {}
        self.buckets: dict[int, OrderedDict[int, None]] = {}
        self.min_freq = 0

    def _bump(self, key: int) -> None:
        f = self.freq[key]
        bucket = self.buckets[f]
        del bucket[key]
        if not bucket:
            del self.buckets[f]
            if self.min_freq == f:
                self.min_freq = f + 1
        self.freq[key] = f + 1
        self.buckets.setdefault(f + 1, OrderedDict())[key] = None

    def access(self, key: int) -> bool:
        if key in self.freq:
            self._bump(key)
            return True
        if len(self.freq) >= self.capacity:
            bucket = self.buckets[self.min_freq]
            victim, _ = bucket.popitem(last=False)
            if not bucket:
                del self.buckets[self.min_freq]
            del self.freq[victim]
        self.freq[key] = 1
        self.buckets.setdefault(1, OrderedDict())[key] = None
        self.min_freq = 1
        return False


class CountMinSketch:
    """Approximate request counts in ``depth`` rows of 4-bit counters, halved periodically.

    An estimate is the minimum over the rows, so it can overcount (hash
    collisions) but never undercount. After ``sample_size`` increments every
    counter is halved: this aging is what lets the sketch forget keys that
    have gone cold.
    """

    PRIME = (1 << 61) - 1
    MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)

    def __init__(self, width: int, sample_size: int, depth: int = 4) -> None:
        self.width = max(16, width)
        self.depth = depth
        self.rows = [[0] * self.width for _ in range(depth)]
        self.sample_size = sample_size
        self.additions = 0

    def _indexes(self, key: int) -> list[int]:
        h = key + 1
        p, w = self.PRIME, self.width
        return [h * m % p % w for m in self.MULTIPLIERS[: self.depth]]

    def increment(self, key: int) -> None:
        for row, index in zip(self.rows, self._indexes(key), strict=True):
            if row[index] < 15:
                row[index] += 1
        self.additions += 1
        if self.additions >= self.sample_size:
            self.rows = [[count // 2 for count in row] for row in self.rows]
            self.additions //= 2

    def estimate(self, key: int) -> int:
        return min(row[index] for row, index in zip(self.rows, self._indexes(key), strict=True))


# [start wtinylfu]
class WTinyLFU:
    """Window TinyLFU (Einziger, Friedman and Manes 2017) as Caffeine arranges it.

    New keys enter a small LRU window. A key pushed out of the window is a
    candidate for the main region, a segmented LRU (probation, then
    protected once hit again). When the main region is full the candidate
    is admitted only if the sketch says it was requested more often than
    the main region's victim; otherwise the candidate is dropped.
    """

    def __init__(self, capacity: int, window_share: float = 0.01,
                 protected_share: float = 0.8) -> None:
        self.window_cap = max(1, round(capacity * window_share))
        self.main_cap = capacity - self.window_cap
        self.protected_cap = int(self.main_cap * protected_share)
        self.window: OrderedDict[int, None] = OrderedDict()
        self.probation: OrderedDict[int, None] = OrderedDict()
        self.protected: OrderedDict[int, None] = OrderedDict()
        self.sketch = CountMinSketch(width=capacity, sample_size=10 * capacity)

    def access(self, key: int) -> bool:
        self.sketch.increment(key)
        if key in self.window:
            self.window.move_to_end(key)
            return True
        if key in self.protected:
            self.protected.move_to_end(key)
            return True
        if key in self.probation:  # a second hit earns a place in the protected segment
            del self.probation[key]
            self.protected[key] = None
            if len(self.protected) > self.protected_cap:
                demoted, _ = self.protected.popitem(last=False)
                self.probation[demoted] = None
            return True
        self.window[key] = None
        if len(self.window) > self.window_cap:
            candidate, _ = self.window.popitem(last=False)
            self._admit(candidate)
        return False

    def _admit(self, candidate: int) -> None:
        """Let the window's evictee into the main region only if it beats the victim."""
        if len(self.probation) + len(self.protected) < self.main_cap:
            self.probation[candidate] = None
            return
        segment = self.probation if self.probation else self.protected
        if not segment:
            return
        victim = next(iter(segment))
        if self.sketch.estimate(candidate) > self.sketch.estimate(victim):
            del segment[victim]
            self.probation[candidate] = None
# [end wtinylfu]


POLICIES: dict[str, Callable[[int], Policy]] = {
    "FIFO": FIFO,
    "LRU": LRU,
    "LRU~5": SampledLRU,
    "LFU": LFU,
    "W-TinyLFU": WTinyLFU,
}


def hit_ratio(policy: Policy, trace: Sequence[int], warmup: int,
              only_below: int | None = None) -> float:
    """Share of hits among the requests after the first ``warmup``, which only fill the cache.

    With ``only_below``, count only requests for keys below it, so that a
    scan's one-time keys, which no policy can hit, do not dilute the ratio.
    """
    hits = counted = 0
    for i, key in enumerate(trace):
        hit = policy.access(key)
        if i >= warmup and (only_below is None or key < only_below):
            counted += 1
            hits += hit
    return hits / counted


def compare(trace: Sequence[int], capacity: int, warmup: int,
            only_below: int | None = None) -> dict[str, float]:
    """Hit ratio of every policy on the same trace and capacity."""
    return {name: hit_ratio(make(capacity), trace, warmup, only_below)
            for name, make in POLICIES.items()}


def main(argv: list[str] | None = None) -> int:
    """Hit ratio against cache size on Zipf, then one size on a scan and a shift workload."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--alpha", type=float, default=0.9)
    parser.add_argument("--requests", type=int, default=150_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    args = parser.parse_args(argv)
    warmup = args.requests // 4
    zipf = Zipf(args.keys, args.alpha)
    trace = zipf_trace(args.keys, args.alpha, args.requests, args.seed)
    names = list(POLICIES)
    header = f"{'size':>7} {'% keys':>6} {'ceiling':>7} " + " ".join(f"{n:>9}" for n in names)
    print(f"Zipf: {args.keys:,} keys, alpha {args.alpha}, {args.requests:,} requests "
          f"(first {warmup:,} warm up), seed {args.seed}")
    print("hit ratio by cache size; ceiling = request share of the most popular keys")
    print(header)
    for size in args.sizes:
        ratios = compare(trace, size, warmup)
        print(f"{size:>7,} {size / args.keys:>6.1%} {zipf.top_share(size):>7.1%} "
              + " ".join(f"{ratios[n]:>9.1%}" for n in names))
    size = args.sizes[len(args.sizes) // 2]
    scans = scan_trace(args.keys, args.alpha, args.requests, args.seed,
                       scan_every=size, scan_length=size)
    shifted = shift_trace(args.keys, args.alpha, args.requests, args.seed)
    print(f"\nother workloads, cache size {size:,} (scans: hit ratio of the Zipf requests)")
    print(f"{'workload':<22}" + " ".join(f"{n:>9}" for n in names))
    for label, other, only in (("Zipf + one-time scans", scans, args.keys),
                               ("popularity shift", shifted, None)):
        ratios = compare(other, size, warmup, only)
        print(f"{label:<22}" + " ".join(f"{ratios[n]:>9.1%}" for n in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
