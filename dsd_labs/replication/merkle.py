"""Merkle-tree anti-entropy: find the key ranges where two replicas differ.

Two replicas hold the same key range, integers ``0 … K − 1``, and disagree
on a few keys (a write one of them missed, or a delete). Each builds a
binary hash tree over the range: a leaf is the hash of the keys in one
contiguous sub-range, and each inner node is the hash of its two children.
The replicas compare the roots and descend only into children whose hashes
differ, as Dynamo describes. The lab counts the hashes one
replica sends the other and the round trips, finds the differing leaves,
checks them against the truth, and compares the cost with sending one hash
per key. A second sweep shows the depth trade-off: a deeper tree costs more
hashes and pins the differences to fewer keys.

Run: ``python -m dsd_labs.replication.merkle --seed 1``
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass

HASH_BYTES = 32  # SHA-256


def h(data: bytes) -> bytes:
    """The tree's hash function."""
    return hashlib.sha256(data).digest()


def key_hashes(data: dict[int, str], keys: int) -> list[bytes]:
    """One hash per key of the range; an absent key hashes to the empty string."""
    return [h(f"{k}={data[k]}".encode()) if k in data else b"" for k in range(keys)]


# [start merkle build]
def build_tree(per_key: list[bytes], depth: int) -> list[list[bytes]]:
    """Levels of the tree, root first; the last level has ``2 ** depth`` leaves.

    Leaf ``i`` covers the keys ``[i·K/2^d, (i+1)·K/2^d)``. A leaf hashes the
    concatenated key hashes of its range, so any change to any key in it,
    including a delete, changes the leaf and every ancestor up to the root.
    """
    leaves = 2 ** depth
    if len(per_key) % leaves:
        raise ValueError("the number of keys must be a multiple of the number of leaves")
    width = len(per_key) // leaves
    level = [h(b"".join(per_key[i * width:(i + 1) * width])) for i in range(leaves)]
    levels = [level]
    while len(level) > 1:
        level = [h(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
        levels.append(level)
    return levels[::-1]
# [end merkle build]


@dataclass(frozen=True)
class Comparison:
    """What a top-down comparison exchanged and found."""

    differing_leaves: list[int]
    hashes_sent: int
    round_trips: int


# [start merkle compare]
def compare(ours: list[list[bytes]], theirs: list[list[bytes]]) -> Comparison:
    """Descend from the root into children whose hashes differ.

    Each round trip, the other replica sends the hashes of the children of
    every node that still differs; identical subtrees are never opened, so
    the cost follows the number of differences, not the size of the range.
    """
    frontier, sent, trips = [0], 1, 1  # the root hash
    if ours[0][0] == theirs[0][0]:
        return Comparison([], sent, trips)
    for level in range(1, len(ours)):
        children = [c for node in frontier for c in (2 * node, 2 * node + 1)]
        sent += len(children)
        trips += 1
        frontier = [c for c in children if ours[level][c] != theirs[level][c]]
    return Comparison(frontier, sent, trips)
# [end merkle compare]


def diverge(rng: random.Random, keys: int, differing: int) -> tuple[dict[int, str], dict[int, str]]:
    """Two replicas of ``keys`` keys that disagree on ``differing`` random keys.

    Two thirds of the differences are a newer value on one side, one third a
    key the other side deleted.
    """
    ours = {k: f"v{k}" for k in range(keys)}
    theirs = dict(ours)
    for i, k in enumerate(rng.sample(range(keys), differing)):
        if i % 3 == 2:
            del theirs[k]
        else:
            theirs[k] = f"v{k}-new"
    return ours, theirs


def truth(ours: dict[int, str], theirs: dict[int, str], keys: int, depth: int) -> list[int]:
    """The leaves that really contain a differing key, for checking ``compare``."""
    width = keys // 2 ** depth
    return sorted({k // width for k in range(keys) if ours.get(k) != theirs.get(k)})


def run(ours: dict[int, str], theirs: dict[int, str], keys: int, depth: int) -> Comparison:
    """Build both trees at ``depth`` and compare them."""
    return compare(build_tree(key_hashes(ours, keys), depth),
                   build_tree(key_hashes(theirs, keys), depth))


def main(argv: list[str] | None = None) -> int:
    """Compare replicas with growing numbers of differences, then sweep the tree depth."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keys", type=int, default=2 ** 16)
    parser.add_argument("--depth", type=int, default=12)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    keys, depth = args.keys, args.depth
    width = keys // 2 ** depth

    print(f"1. {keys} keys, depth {depth}: {2 ** depth} leaves of {width}"
          f" key{'s' if width != 1 else ''} each;")
    print(f"   comparing one hash per key would send {keys} hashes")
    print("   differing  hashes  round  differing  keys in  matches  hashes sent as %")
    print("        keys    sent  trips     leaves   leaves    truth  of one per key")
    for differing in (d for d in (0, 1, 10, 100, 1000, 10000) if d <= keys):
        ours, theirs = diverge(rng, keys, differing)
        result = run(ours, theirs, keys, depth)
        found = result.differing_leaves == truth(ours, theirs, keys, depth)
        print(f"   {differing:>9} {result.hashes_sent:>7} {result.round_trips:>6}"
              f" {len(result.differing_leaves):>10} {len(result.differing_leaves) * width:>8}"
              f" {'yes' if found else 'NO':>8}  {100 * result.hashes_sent / keys:>15.2f}%")

    differing = 100
    ours, theirs = diverge(rng, keys, differing)
    per_ours, per_theirs = key_hashes(ours, keys), key_hashes(theirs, keys)
    print(f"\n2. Depth trade-off, {differing} differing keys: hashes sent ({HASH_BYTES} B each)"
          "\n   against the keys left to compare or stream in the differing leaves")
    print("   depth  leaves  keys/leaf  hashes sent  hash bytes  keys in differing leaves")
    for d in (d for d in (4, 8, 12, 16) if 2 ** d <= keys):
        result = compare(build_tree(per_ours, d), build_tree(per_theirs, d))
        print(f"   {d:>5} {2 ** d:>7} {keys // 2 ** d:>10} {result.hashes_sent:>12}"
              f" {result.hashes_sent * HASH_BYTES:>11}"
              f" {len(result.differing_leaves) * (keys // 2 ** d):>24}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
