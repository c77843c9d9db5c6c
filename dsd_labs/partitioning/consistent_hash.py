"""Consistent hashing with virtual nodes, measured against hashing modulo N.

A hash ring places every node at ``vnodes`` pseudo-random points (tokens) on
the 64-bit hash space; a key belongs to the first token at or after its hash,
wrapping around. Adding a node inserts its tokens and takes over only the arcs
that end at them, so only about ``1/(N+1)`` of the keys move. Hashing modulo
N moves almost every key instead, because changing N changes the remainder of
almost every hash.

The program measures two things. First, how uneven the ring is as a function
of the number of virtual nodes: the share of the hash space each node owns is
computed exactly from the token positions, averaged over many rings, and
compared with the spacing model's prediction ``CV = sqrt((N-1)/(N*v+1))``.
Second, with real keys, how many keys move when a node joins or leaves, for
the ring and for modulo hashing.

Run: ``python -m dsd_labs.partitioning.consistent_hash --seed 1``
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from dsd_labs.partitioning.keyspace import (
    HASH_SPACE,
    Balance,
    balance,
    hash64,
    key_balance,
    make_keys,
    moved_fraction,
    node_names,
)


# [start ring]
class HashRing:
    """A consistent-hash ring in which every node owns ``vnodes`` tokens.

    A node's tokens depend only on its name (and the ring's salt), never on
    which other nodes exist. That is what makes membership changes cheap:
    when a node joins, every existing token stays where it was, and the only
    keys that move are those whose arcs now end at one of the new tokens.
    """

    def __init__(self, nodes: Sequence[str], vnodes: int, salt: str = "") -> None:
        if not nodes or vnodes < 1:
            raise ValueError("a ring needs at least one node and one token per node")
        self.nodes = list(nodes)
        self.vnodes = vnodes
        self.salt = salt
        points = sorted((hash64(f"{node}#{i}", salt), node)
                        for node in self.nodes for i in range(vnodes))
        self._tokens = [token for token, _ in points]
        self._owners = [node for _, node in points]

    def owner(self, key: str) -> str:
        """The node holding ``key``: the first token clockwise from the key's hash."""
        index = bisect.bisect_left(self._tokens, hash64(key))
        return self._owners[index % len(self._tokens)]
# [end ring]

    def shares(self) -> dict[str, float]:
        """Exact fraction of the hash space each node owns (its arcs' total length)."""
        owned = dict.fromkeys(self.nodes, 0)
        previous = self._tokens[-1] - HASH_SPACE  # the arc that wraps past zero
        for token, node in zip(self._tokens, self._owners, strict=True):
            owned[node] += token - previous
            previous = token
        return {node: length / HASH_SPACE for node, length in owned.items()}

    def with_nodes(self, nodes: Sequence[str]) -> HashRing:
        """The same ring (same salt and vnode count) over a different node set."""
        return HashRing(nodes, self.vnodes, self.salt)


def modulo_owner(nodes: Sequence[str]):
    """Placement by ``hash(key) mod N``: the node list's order is part of the mapping."""
    def owner(key: str) -> str:
        return nodes[hash64(key) % len(nodes)]
    return owner


def predicted_cv(nodes: int, vnodes: int) -> float:
    """CV of a node's share when all ``nodes × vnodes`` tokens are uniform random points.

    A node's share is then Beta(v, (N-1)v)-distributed, whose standard
    deviation over its mean is ``sqrt((N-1)/(N*v+1))``: roughly ``1/sqrt(v)``.
    """
    return math.sqrt((nodes - 1) / (nodes * vnodes + 1))


@dataclass(frozen=True)
class VnodeRow:
    """Averages over many rings with the same node count and vnode count."""

    vnodes: int
    max_over_mean: float
    cv: float
    predicted_cv: float
    join_mean: float  # fraction of the hash space the joining node takes
    join_worst: float
    donors: float  # average number of existing nodes that give up part of their range


def sweep_vnodes(nodes: int, vnode_counts: Sequence[int], rings: int,
                 rng: random.Random) -> list[VnodeRow]:
    """For each vnode count, build ``rings`` rings with random salts and average their shares."""
    names = node_names(nodes)
    newcomer = f"n{nodes}"
    rows = []
    for v in vnode_counts:
        stats: list[Balance] = []
        joins: list[float] = []
        donors: list[int] = []
        for _ in range(rings):
            ring = HashRing(names, v, salt=f"{rng.getrandbits(48):x}")
            shares = ring.shares()
            stats.append(balance(shares.values(), nodes))
            grown = ring.with_nodes([*names, newcomer]).shares()
            joins.append(grown[newcomer])
            donors.append(sum(1 for n in names if grown[n] < shares[n] - 1e-15))
        rows.append(VnodeRow(
            vnodes=v,
            max_over_mean=statistics.fmean(b.max_over_mean for b in stats),
            cv=statistics.fmean(b.cv for b in stats),
            predicted_cv=predicted_cv(nodes, v),
            join_mean=statistics.fmean(joins),
            join_worst=max(joins),
            donors=statistics.fmean(donors),
        ))
    return rows


@dataclass(frozen=True)
class ChangeRow:
    """One scheme under one membership change, measured with real keys."""

    scheme: str
    balance: Balance
    moved_on_join: float
    moved_on_leave: float


def membership_changes(nodes: int, vnodes: int, keys: Sequence[str],
                       leaving: str) -> list[ChangeRow]:
    """Key balance and keys moved when node ``n{nodes}`` joins or ``leaving`` leaves."""
    names = node_names(nodes)
    grown = [*names, f"n{nodes}"]
    shrunk = [n for n in names if n != leaving]
    ring = HashRing(names, vnodes)
    rows = [
        ChangeRow(
            "hash mod N",
            key_balance(modulo_owner(names), keys, nodes),
            moved_fraction(modulo_owner(names), modulo_owner(grown), keys),
            moved_fraction(modulo_owner(names), modulo_owner(shrunk), keys),
        ),
        ChangeRow(
            f"ring, {vnodes} vnodes",
            key_balance(ring.owner, keys, nodes),
            moved_fraction(ring.owner, ring.with_nodes(grown).owner, keys),
            moved_fraction(ring.owner, ring.with_nodes(shrunk).owner, keys),
        ),
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the vnode sweep, then the membership-change comparison with modulo hashing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nodes", type=int, default=10)
    parser.add_argument("--rings", type=int, default=20, help="rings averaged per vnode count")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--vnodes", type=int, default=256, help="vnodes for the key-based run")
    parser.add_argument("--sweep", default="1,4,16,64,256,1024",
                        help="comma-separated vnode counts for the sweep")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    counts = [int(x) for x in args.sweep.split(",")]

    n = args.nodes
    print(f"ring balance vs virtual nodes: N = {n}, exact shares, mean of {args.rings} rings")
    print(f"{'vnodes':>7} {'max/mean':>9} {'CV':>7} {'CV model':>9} "
          f"{'join: mean':>11} {'worst':>7} {'donors':>7}")
    for row in sweep_vnodes(n, counts, args.rings, rng):
        print(f"{row.vnodes:>7} {row.max_over_mean:>9.3f} {row.cv:>7.3f} {row.predicted_cv:>9.3f} "
              f"{row.join_mean:>11.2%} {row.join_worst:>7.2%} {row.donors:>7.1f}")
    print(f"(a joining node should take 1/(N+1) = {1 / (n + 1):.2%}; "
          f"donors: nodes it takes data from)")

    keys = make_keys(args.keys)
    leaving = "n3"
    print(f"\nmembership changes: {args.keys:,} keys, N = {n}; "
          f"n{n} joins, then {leaving} leaves instead")
    print(f"{'scheme':<18} {'max/mean':>9} {'CV':>7} {'moved on join':>14} {'moved on leave':>15}")
    for row in membership_changes(n, args.vnodes, keys, leaving):
        print(f"{row.scheme:<18} {row.balance.max_over_mean:>9.3f} {row.balance.cv:>7.3f} "
              f"{row.moved_on_join:>14.2%} {row.moved_on_leave:>15.2%}")
    print(f"(minimum possible: join {1 / (n + 1):.2%}, leave {1 / n:.2%}, "
          f"the departing node's keys)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
