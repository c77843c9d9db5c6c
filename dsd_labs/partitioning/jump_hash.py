"""Jump consistent hash (Lamping and Veach, 2014): no ring, no table, a few steps.

``jump(key, n)`` returns a bucket in ``0..n-1``. As ``n`` grows by one, each
key either stays where it is or jumps to the new bucket ``n``, with
probability ``1/(n+1)``, which is the least movement any balanced scheme can
have. The function computes where a key's sequence of jumps ends without
visiting every bucket: a pseudo-random generator seeded by the key draws the
next bucket at which the key would jump, ``O(log n)`` draws in expectation.

The catch is in the interface. Buckets are numbered ``0..n-1``, so the only
bucket you can remove cheaply is the last one. Losing bucket 3 of 10 forces a
choice: renumber the survivors (most keys move) or move the last bucket's
owner into the hole (about twice the minimum moves). Production systems
therefore put jump hash in front of logical shards, not of machines.

Run: ``python -m dsd_labs.partitioning.jump_hash --seed 1``
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from dsd_labs.partitioning.keyspace import balance, hash64, make_keys, node_names, sampling_cv

MASK64 = 2**64 - 1
LCG_MULTIPLIER = 2862933555777941757  # the 64-bit generator the paper uses


# [start jump]
def jump(key: int, buckets: int) -> int:
    """The bucket in ``0..buckets-1`` for a 64-bit ``key``.

    ``current`` is the last bucket the key jumped to; the generator then
    draws the next bucket count at which it would jump again. The draw is
    uniform in a way that makes the key jump to bucket ``b`` with probability
    ``1/(b+1)`` as buckets are added, so every bucket holds ``1/n`` of keys.
    """
    if buckets < 1:
        raise ValueError("jump hash needs at least one bucket")
    current, candidate = -1, 0
    while candidate < buckets:
        current = candidate
        key = (key * LCG_MULTIPLIER + 1) & MASK64
        candidate = int((current + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return current
# [end jump]


def jump_steps(key: int, buckets: int) -> int:
    """How many generator draws ``jump`` makes for this key (about ``ln n`` + 1)."""
    steps, current, candidate = 0, -1, 0
    while candidate < buckets:
        steps += 1
        current = candidate
        key = (key * LCG_MULTIPLIER + 1) & MASK64
        candidate = int((current + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return steps


def jump_owner(nodes: Sequence[str]):
    """Placement over an ordered node list: bucket ``i`` belongs to ``nodes[i]``."""
    def owner(key: str) -> str:
        return nodes[jump(hash64(key), len(nodes))]
    return owner


def growth_moves(hashes: Sequence[int], n: int) -> tuple[float, bool]:
    """(fraction moved, all moves went to the new bucket) when ``n`` buckets become ``n + 1``."""
    moved, only_new = 0, True
    for h in hashes:
        before, after = jump(h, n), jump(h, n + 1)
        if before != after:
            moved += 1
            only_new &= after == n
    return moved / len(hashes), only_new


def removal_moves(keys: Sequence[str], nodes: Sequence[str], gone: str) -> dict[str, float]:
    """Fraction of keys moved when ``gone`` leaves, under the two ways to renumber."""
    before = jump_owner(nodes)
    renumbered = [n for n in nodes if n != gone]
    swapped = list(nodes[:-1])
    if gone != nodes[-1]:
        swapped[nodes.index(gone)] = nodes[-1]
    results = {}
    for label, after_nodes in (("renumber survivors", renumbered),
                               ("last node fills the hole", swapped)):
        after = jump_owner(after_nodes)
        results[label] = sum(1 for k in keys if before(k) != after(k)) / len(keys)
    return results


def main(argv: list[str] | None = None) -> int:
    """Show growth one bucket at a time, balance, lookup cost, and the removal problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="unused: jump hash has no randomness")
    parser.add_argument("--keys", type=int, default=100_000)
    args = parser.parse_args(argv)
    keys = make_keys(args.keys)
    hashes = [hash64(k) for k in keys]

    print(f"jump consistent hash: {args.keys:,} keys")
    print(f"{'n -> n+1':>10} {'moved':>7} {'1/(n+1)':>8} {'all to new':>11} "
          f"{'CV at n+1':>10} {'CV floor':>9} {'steps/lookup':>13}")
    for n in (1, 2, 5, 10, 100, 1000):
        moved, only_new = growth_moves(hashes, n)
        counts = Counter(jump(h, n + 1) for h in hashes)
        b = balance(counts.values(), n + 1)
        steps = sum(jump_steps(h, n + 1) for h in hashes[:20_000]) / min(len(hashes), 20_000)
        print(f"{f'{n}->{n + 1}':>10} {moved:>7.2%} {1 / (n + 1):>8.2%} {only_new!s:>11} "
              f"{b.cv:>10.3f} {sampling_cv(args.keys, n + 1):>9.3f} {steps:>13.2f}")
    print("(CV floor = what counting this many keys adds to a perfect split)")

    nodes = node_names(10)
    print("\nremoving a node other than the last, 10 -> 9 buckets:")
    for label, fraction in removal_moves(keys, nodes, "n3").items():
        print(f"  {label:<26} {fraction:>7.2%} of keys move (minimum 10.00%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
