"""Rendezvous (highest-random-weight) hashing: every node bids for every key.

Thaler and Ravishankar's HRW mapping (1998) scores each (key, node) pair with
a hash and gives the key to the node with the highest score. Adding a node
moves exactly the keys for which the newcomer outbids the old winner, about
``1/(N+1)`` of them; removing a node moves only its own keys, each to that
key's runner-up. There are no tokens, so there is nothing to tune, and the
balance is as good as the hash; the price is ``N`` hash evaluations per
lookup. Ranking the scores gives a replica list for free: the top ``R``
nodes, and losing one node promotes the next one in each affected list.

Run: ``python -m dsd_labs.partitioning.rendezvous --seed 1``
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence

from dsd_labs.partitioning.keyspace import (
    hash64,
    key_balance,
    make_keys,
    moved_fraction,
    node_names,
    sampling_cv,
)

MASK64 = 2**64 - 1


def mix64(x: int) -> int:
    """A 64-bit finalizer (SplitMix64's): every input bit affects every output bit."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


# [start rendezvous]
def score(key: str, node: str) -> int:
    """The node's bid for the key: a hash of the pair, independent across nodes.

    Hashing the key and the node once each and mixing the two values gives
    the same independence as hashing the concatenated pair, more cheaply.
    """
    return mix64(hash64(key) ^ hash64(node, "hrw-node"))


def rendezvous_owner(nodes: Sequence[str]):
    """Placement by highest random weight over ``nodes``: ``N`` scores per lookup."""
    node_hashes = [(hash64(node, "hrw-node"), node) for node in nodes]

    def owner(key: str) -> str:
        h = hash64(key)
        return max(node_hashes, key=lambda pair: mix64(h ^ pair[0]))[1]
    return owner


def replicas(key: str, nodes: Sequence[str], r: int) -> list[str]:
    """The ``r`` highest bidders, best first: the key's preference list."""
    return sorted(nodes, key=lambda node: score(key, node), reverse=True)[:r]
# [end rendezvous]


def replica_churn(keys: Sequence[str], nodes: Sequence[str], gone: str, r: int) -> tuple[int, int]:
    """(lists that contained ``gone``, lists that changed) when ``gone`` leaves.

    Only lists that contained the departed node may change, and each such
    list changes by exactly one member: the next-highest bidder joins.
    """
    rest = [n for n in nodes if n != gone]
    contained = changed = 0
    for key in keys:
        before, after = replicas(key, nodes, r), replicas(key, rest, r)
        contained += gone in before
        changed += before != after
    return contained, changed


def main(argv: list[str] | None = None) -> int:
    """Measure balance and movement for several cluster sizes, then replica-list churn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keys", type=int, default=20_000)
    parser.add_argument("--sizes", default="5,10,25")
    parser.add_argument("--replicas", type=int, default=3)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    keys = make_keys(args.keys)

    print(f"rendezvous hashing: {args.keys:,} keys")
    print(f"{'N':>4} {'max/mean':>9} {'CV':>7} {'CV floor':>9} {'join moves':>11} "
          f"{'1/(N+1)':>8} {'leave moves':>12} {'hashes/lookup':>14}")
    for n in (int(x) for x in args.sizes.split(",")):
        names = node_names(n)
        gone = rng.choice(names)
        place = rendezvous_owner(names)
        b = key_balance(place, keys, n)
        join = moved_fraction(place, rendezvous_owner([*names, f"n{n}"]), keys)
        leave = moved_fraction(place, rendezvous_owner([x for x in names if x != gone]), keys)
        print(f"{n:>4} {b.max_over_mean:>9.3f} {b.cv:>7.3f} {sampling_cv(args.keys, n):>9.3f} "
              f"{join:>11.2%} {1 / (n + 1):>8.2%} {leave:>12.2%} {n:>14}")
    print("(CV floor = what counting this many keys adds to a perfect split)")

    names = node_names(10)
    gone = rng.choice(names)
    sample = keys[: args.keys // 5]
    contained, changed = replica_churn(sample, names, gone, args.replicas)
    print(f"\nreplica lists (top {args.replicas} of 10) for {len(sample):,} keys "
          f"when {gone} leaves:")
    print(f"lists containing {gone}: {contained:,} ({contained / len(sample):.1%}, "
          f"expected {args.replicas}/10); lists changed: {changed:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
