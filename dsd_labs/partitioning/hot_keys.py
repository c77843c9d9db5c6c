"""Hot keys: why even hashing cannot spread one popular key, and what splitting it costs.

Requests follow a Zipf law: the ``i``-th most popular of ``K`` keys receives
a share proportional to ``1/i^s``. Keys are placed on ``P`` partitions by
hash, and each partition's load is the sum of its keys' shares, computed
exactly rather than sampled. When the hottest key alone carries more than
``1/P`` of the traffic, no placement of whole keys can balance the load: the
partition holding that key is overloaded whatever the others do.

Two mitigations split a hot key into ``S`` sub-keys placed independently:

* **split writes** (a counter, a like total): each write goes to one random
  sub-key; a read must read all ``S`` and combine them;
* **replicate reads** (a celebrity's profile): each read goes to one random
  copy; a write must update all ``S`` copies.

Both relieve the hot partition and both multiply some requests by ``S``; the
program reports the busiest partition's load and the total request count for
a write-heavy and a read-heavy mix.

Run: ``python -m dsd_labs.partitioning.hot_keys --seed 1``
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from dsd_labs.partitioning.jump_hash import jump
from dsd_labs.partitioning.keyspace import hash64


def zipf_shares(keys: int, s: float) -> list[float]:
    """Request share of each key, most popular first: proportional to ``1/rank^s``."""
    weights = [1.0 / (rank ** s) for rank in range(1, keys + 1)]
    total = sum(weights)
    return [w / total for w in weights]


def partition_of(name: str, partitions: int, salt: str) -> int:
    """Partition for a (sub-)key name: jump hash of a salted 64-bit hash."""
    return jump(hash64(name, salt), partitions)


@dataclass(frozen=True)
class Outcome:
    """Busiest partition and total work, both relative to the untreated workload."""

    strategy: str
    copies: int
    treated: int  # how many keys were split
    max_over_ideal: float  # busiest partition's load divided by (original traffic / P)
    total_requests: float  # requests served divided by requests issued


# [start split]
def simulate(shares: Sequence[float], partitions: int, read_fraction: float,
             strategy: str, copies: int, threshold: float, salt: str) -> Outcome:
    """Per-partition load when keys hotter than ``threshold`` are split into ``copies``.

    ``strategy`` is ``"split writes"`` or ``"replicate reads"``. A read of
    a write-split key touches every sub-key; a write to a read-replicated key
    touches every copy. Untreated keys cost one request per operation.
    """
    load = [0.0] * partitions
    total = 0.0
    treated = 0
    for rank, share in enumerate(shares):
        reads, writes = share * read_fraction, share * (1 - read_fraction)
        if copies == 1 or share <= threshold:
            load[partition_of(f"k{rank}", partitions, salt)] += share
            total += share
            continue
        treated += 1
        if strategy == "split writes":
            per_copy = writes / copies + reads        # every read visits every sub-key
        else:
            per_copy = reads / copies + writes        # every write updates every copy
        for j in range(copies):
            load[partition_of(f"k{rank}#{j}", partitions, salt)] += per_copy
        total += per_copy * copies
    ideal = 1.0 / partitions
    return Outcome(strategy, copies, treated, max(load) / ideal, total)
# [end split]


def main(argv: list[str] | None = None) -> int:
    """Show the hot-key floor, then both mitigations under two read/write mixes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="salts the placement hash")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--zipf", type=float, default=1.0)
    parser.add_argument("--partitions", type=int, default=32)
    parser.add_argument("--copies", default="4,16")
    args = parser.parse_args(argv)
    shares = zipf_shares(args.keys, args.zipf)
    p = args.partitions
    salt = f"seed{args.seed}"
    ideal = 1.0 / p
    print(f"Zipf s = {args.zipf} over {args.keys:,} keys, {p} partitions by hash")
    print(f"ideal partition load: {ideal:.2%} of traffic; top 10 keys: {sum(shares[:10]):.1%}")
    print(f"hottest key alone: {shares[0]:.2%} of traffic = {shares[0] / ideal:.2f} x ideal")
    threshold = ideal / 4
    hot = sum(1 for x in shares if x > threshold)
    print(f"keys treated as hot: share above ideal/4 = {threshold:.2%} ({hot} keys)")
    print(f"\n{'mix':<12} {'strategy':<16} {'S':>3} {'split':>6} "
          f"{'busiest/ideal':>14} {'requests x':>11}")
    copies = [int(x) for x in args.copies.split(",") if int(x) > 1]
    for label, read_fraction in (("90% writes", 0.1), ("95% reads", 0.95)):
        runs = [("none", 1)] + [(st, s) for st in ("split writes", "replicate reads")
                                for s in copies]
        for strategy, s in runs:
            o = simulate(shares, p, read_fraction, strategy, s, threshold, salt)
            print(f"{label:<12} {strategy:<16} {s:>3} {o.treated:>6} "
                  f"{o.max_over_ideal:>14.2f} {o.total_requests:>11.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
