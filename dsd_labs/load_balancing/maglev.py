"""Maglev hashing: build the lookup table, measure its balance and its disruption.

Maglev (Eisenbud et al., NSDI 2016) maps a connection's 5-tuple hash to a
backend through a lookup table of prime size ``M``. Each backend derives a
preference list over all ``M`` slots from two hashes of its name
(``offset`` and ``skip``); the backends then take turns claiming their most
preferred empty slot until the table is full. Taking turns is what makes the
table balanced: every backend ends with ``⌊M/N⌋`` or ``⌈M/N⌉`` slots. The
price is disruption: when a backend leaves, the slots it held change hands
(unavoidable), and so do a few slots of backends that stayed, because the
turn order that filled the table has changed.

The program reproduces the paper's 7-slot example, measures balance for
several pool sizes next to a hash ring with virtual nodes, and measures how
many slots change when backends are removed.

Run: ``python -m dsd_labs.load_balancing.maglev --seed 1``
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

SMALL_M = 65_537
LARGE_M = 655_373


def _hash64(text: str, salt: str) -> int:
    """A 64-bit hash of ``text``; a different ``salt`` gives an independent function."""
    digest = hashlib.blake2b(text.encode(), digest_size=8, person=salt.encode()).digest()
    return int.from_bytes(digest, "big")


def offset_skip(name: str, m: int) -> tuple[int, int]:
    """The backend's preference list is ``(offset + j × skip) mod m`` for j = 0, 1, 2, …

    ``skip`` lies in 1..m−1, and because ``m`` is prime every such ``skip`` is
    coprime with it, so the list visits every slot exactly once.
    """
    return _hash64(name, "maglev-offset") % m, _hash64(name, "maglev-skip") % (m - 1) + 1


# [start populate]
def populate(prefs: Sequence[tuple[int, int]], m: int) -> list[int]:
    """Fill an ``m``-slot table from each backend's (offset, skip); return slot → backend index.

    Backends take turns; on its turn a backend walks its preference list
    past slots already taken and claims the first empty one.
    """
    n = len(prefs)
    if n == 0:
        raise ValueError("a Maglev table needs at least one backend")
    next_index = [0] * n
    entry = [-1] * m
    filled = 0
    while True:
        for i, (offset, skip) in enumerate(prefs):
            slot = (offset + next_index[i] * skip) % m
            while entry[slot] >= 0:
                next_index[i] += 1
                slot = (offset + next_index[i] * skip) % m
            entry[slot] = i
            next_index[i] += 1
            filled += 1
            if filled == m:
                return entry
# [end populate]


def build_table(names: Sequence[str], m: int) -> list[str]:
    """The lookup table as backend names, so tables of different pools compare directly."""
    index = populate([offset_skip(name, m) for name in names], m)
    return [names[i] for i in index]


def lookup(table: Sequence[str], flow_hash: int) -> str:
    """The backend for a connection: one array access, whatever the pool size."""
    return table[flow_hash % len(table)]


@dataclass(frozen=True)
class Disruption:
    """How a table changed when backends were removed."""

    changed: int
    unavoidable: int
    size: int

    @property
    def extra(self) -> int:
        """Slots that moved although their backend is still in the pool."""
        return self.changed - self.unavoidable


def disruption(before: Sequence[str], after: Sequence[str], removed: set[str]) -> Disruption:
    """Count changed slots, separating those the removed backends held."""
    changed = sum(1 for b, a in zip(before, after, strict=True) if b != a)
    unavoidable = sum(1 for b in before if b in removed)
    return Disruption(changed, unavoidable, len(before))


def balance(table: Sequence[str], names: Sequence[str]) -> tuple[int, int]:
    """(fewest, most) slots held by any backend."""
    counts = Counter(table)
    per_backend = [counts[name] for name in names]
    return min(per_backend), max(per_backend)


def ring_balance(names: Sequence[str], m: int, vnodes: int) -> tuple[int, int]:
    """The same measurement for a consistent-hash ring with ``vnodes`` points per backend.

    Each of the ``m`` slots is hashed onto the ring and owned by the next
    point clockwise, so the counts are directly comparable with Maglev's.
    """
    ring = sorted((_hash64(f"{name}#{v}", "ring"), name) for name in names for v in range(vnodes))
    points = [p for p, _ in ring]
    counts = Counter(ring[bisect.bisect(points, _hash64(str(j), "slot")) % len(ring)][1]
                     for j in range(m))
    per_backend = [counts[name] for name in names]
    return min(per_backend), max(per_backend)


def paper_example() -> tuple[list[str], list[str]]:
    """Table 1 of the paper: M = 7, three backends with given (offset, skip)."""
    prefs = {"B1": (3, 4), "B2": (0, 2), "B3": (3, 1)}
    before = populate(list(prefs.values()), 7)
    after = populate([prefs["B1"], prefs["B3"]], 7)
    return [list(prefs)[i] for i in before], [["B1", "B3"][i] for i in after]


def backend_names(n: int) -> list[str]:
    """Stable backend names, standing in for addresses."""
    return [f"10.0.{i // 250}.{i % 250 + 1}:443" for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    """Print the paper's example, the balance table and the disruption table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="chooses which backends fail")
    parser.add_argument("--table-size", type=int, default=SMALL_M, help="a prime")
    parser.add_argument("--backends", type=int, default=1000)
    parser.add_argument("--vnodes", type=int, default=100)
    args = parser.parse_args(argv)
    m = args.table_size
    before, after = paper_example()
    print("paper's example, M = 7, (offset, skip) = (3, 4), (0, 2), (3, 1):")
    print(f"  before:            {' '.join(before)}")
    print(f"  after B2 leaves:   {' '.join(after)}")
    example = disruption(before, after, {"B2"})
    print(f"  slots changed: {example.changed} (B2 held {example.unavoidable}, "
          f"{example.extra} other)\n")
    print(f"balance with M = {m:,} (slots per backend; a ring has {args.vnodes} points "
          "per backend)")
    print(f"{'backends':>8}{'M/N':>10}{'Maglev min':>12}{'max':>7}{'max/mean':>10}"
          f"{'ring min':>10}{'max':>7}{'max/mean':>10}")
    for n in sorted({10, 100, args.backends}):
        names = backend_names(n)
        low, high = balance(build_table(names, m), names)
        ring_low, ring_high = ring_balance(names, m, args.vnodes)
        print(f"{n:>8}{m / n:>10.1f}{low:>12}{high:>7}{high * n / m:>10.3f}"
              f"{ring_low:>10}{ring_high:>7}{ring_high * n / m:>10.3f}")
    names = backend_names(args.backends)
    base = build_table(names, m)
    rng = random.Random(args.seed)
    print(f"\ndisruption when backends fail, N = {args.backends}, M = {m:,}:")
    print(f"{'failed':>8}{'changed %':>11}{'theirs %':>10}{'others %':>10}")
    for k in sorted({max(1, round(f * args.backends)) for f in (0.001, 0.01, 0.05, 0.10)}):
        gone = set(rng.sample(names, k))
        result = disruption(base, build_table([x for x in names if x not in gone], m), gone)
        print(f"{k:>8}{100 * result.changed / m:>11.2f}{100 * result.unavoidable / m:>10.2f}"
              f"{100 * result.extra / m:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
