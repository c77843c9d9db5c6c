"""A leaderless quorum store: what R + W > N buys, and what it does not.

The store keeps every key on ``N`` home replicas, the first ``N`` nodes of
the key's preference list, as Dynamo does. A write goes to every reachable
home replica and succeeds when ``W`` of them store it; a read asks ``R``
replicas and returns the highest version among the answers. With a sloppy
quorum, a write that cannot reach a home replica stores the copy on the next
reachable node of the preference list with a hint naming the home replica,
and counts that copy toward ``W``; hinted handoff later delivers it.

Three seeded experiments and two fixed scenarios:

* the stale-read rate for every ``(R, W)`` when a write has reached exactly
  ``W`` replicas, against the formula ``C(N − W, R) / C(N, R)``;
* strict against sloppy quorums when home replicas are unreachable during
  the write, before and after hinted handoff;
* two reads after a write that reached one replica, with and without read
  repair;
* a write in flight that one reader sees and a later reader does not (so
  ``R + W > N`` is not linearizable), and the same run with blocking read
  repair;
* a write reported as failed that later reads return anyway.

Versions are integers from one writer, so concurrent writes, and the
siblings or losses they cause, are left to Module 4's version vectors.

Run: ``python -m dsd_labs.replication.quorum_store --seed 5``
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from math import comb


@dataclass(frozen=True)
class Versioned:
    """A stored value and its version; a larger version is a newer write."""

    value: str
    version: int


@dataclass(frozen=True)
class Hint:
    """A copy held for an unreachable home replica, to be handed off later."""

    target: str
    key: str
    item: Versioned


@dataclass
class Node:
    """One storage node: its own data and the hints it holds for others."""

    name: str
    data: dict[str, Versioned] = field(default_factory=dict)
    hints: list[Hint] = field(default_factory=list)

    def apply(self, key: str, item: Versioned) -> None:
        """Keep the newer of the stored and the incoming version."""
        current = self.data.get(key)
        if current is None or item.version > current.version:
            self.data[key] = item


@dataclass(frozen=True)
class WriteResult:
    """Whether the write reached ``W`` acknowledgments, and where copies landed."""

    ok: bool
    homes: tuple[str, ...]
    substitutes: tuple[str, ...]


@dataclass(frozen=True)
class ReadResult:
    """The newest version among the replicas asked, and who answered what."""

    item: Versioned | None
    answers: dict[str, int]
    repaired: tuple[str, ...]


@dataclass
class QuorumStore:
    """A ring of nodes; each key lives on the first ``n`` nodes of its preference list."""

    names: list[str]
    n: int

    def __post_init__(self) -> None:
        self.nodes = {name: Node(name) for name in self.names}

    def preference_list(self, key: str) -> list[str]:
        """Home replicas first, then the fallback nodes in ring order.

        Every key uses the same ring position here; placement is Module 6's
        subject, and one position keeps the experiments easy to read.
        """
        return list(self.names)

    def homes(self, key: str) -> list[str]:
        """The key's ``n`` home replicas."""
        return self.preference_list(key)[: self.n]

    # [start quorum write]
    def write(self, key: str, item: Versioned, w: int, reachable: set[str],
              sloppy: bool = False) -> WriteResult:
        """Store ``item`` on every reachable home replica; succeed with ``w`` copies.

        A strict quorum counts home replicas only. A sloppy quorum also
        stores the copy meant for each unreachable home replica on the next
        reachable fallback node, with a hint, and counts it. A failed write
        is not undone: the replicas that stored it keep it.
        """
        homes = [h for h in self.homes(key) if h in reachable]
        for name in homes:
            self.nodes[name].apply(key, item)
        substitutes: list[str] = []
        if sloppy:
            missing = [h for h in self.homes(key) if h not in reachable]
            fallbacks = [f for f in self.preference_list(key)[self.n:] if f in reachable]
            for target, fallback in zip(missing, fallbacks, strict=False):
                self.nodes[fallback].hints.append(Hint(target, key, item))
                substitutes.append(fallback)
        acks = len(homes) + len(substitutes)
        return WriteResult(acks >= w, tuple(homes), tuple(substitutes))
    # [end quorum write]

    # [start quorum read]
    def read(self, key: str, r: int, rng: random.Random, reachable: set[str] | None = None,
             repair: bool = False, ask: list[str] | None = None) -> ReadResult:
        """Ask ``r`` home replicas (the first to answer, in random order) for ``key``.

        The answer is the highest version returned. With ``repair``, every
        asked replica that returned an older version, or none, is sent the
        newest one before the read returns, as a blocking read repair does.
        """
        candidates = [h for h in self.homes(key) if reachable is None or h in reachable]
        if ask is None:
            ask = rng.sample(candidates, r)
        answers = {name: self._version(name, key) for name in ask}
        newest = max((self.nodes[name].data[key] for name in ask if key in self.nodes[name].data),
                     key=lambda item: item.version, default=None)
        repaired: list[str] = []
        if repair and newest is not None:
            for name, version in answers.items():
                if version < newest.version:
                    self.nodes[name].apply(key, newest)
                    repaired.append(name)
        return ReadResult(newest, answers, tuple(repaired))
    # [end quorum read]

    def hinted_handoff(self, reachable: set[str]) -> int:
        """Deliver every hint whose target is reachable; return how many were delivered."""
        delivered = 0
        for node in self.nodes.values():
            keep = []
            for hint in node.hints:
                if hint.target in reachable:
                    self.nodes[hint.target].apply(hint.key, hint.item)
                    delivered += 1
                else:
                    keep.append(hint)
            node.hints = keep
        return delivered

    def _version(self, name: str, key: str) -> int:
        item = self.nodes[name].data.get(key)
        return 0 if item is None else item.version


def stale_formula(n: int, r: int, w: int) -> float:
    """Probability that ``r`` replicas drawn at random miss all ``w`` holding the write."""
    return comb(n - w, r) / comb(n, r)


def fresh_store(n: int, extra: int = 0) -> QuorumStore:
    """A store with ``n`` home replicas plus ``extra`` fallback nodes, holding ``v1`` everywhere."""
    names = [chr(ord("A") + i) for i in range(n + extra)]
    store = QuorumStore(names, n)
    for name in store.homes("k"):
        store.nodes[name].apply("k", Versioned("v1", 1))
    return store


def overlap_trial(rng: random.Random, n: int, r: int, w: int) -> bool:
    """Write ``v2`` to exactly ``w`` random home replicas, read ``r``; True if the read is stale."""
    store = fresh_store(n)
    reached = set(rng.sample(store.homes("k"), w))
    store.write("k", Versioned("v2", 2), w, reachable=reached)
    return store.read("k", r, rng).item == Versioned("v1", 1)


def overlap_sweep(rng: random.Random, n: int, trials: int) -> list[tuple[int, int, int, float]]:
    """Stale reads for every ``(r, w)`` with ``n`` replicas: ``(r, w, stale, formula)``."""
    rows = []
    for r in range(1, n + 1):
        for w in range(1, n + 1):
            stale = sum(overlap_trial(rng, n, r, w) for _ in range(trials))
            rows.append((r, w, stale, stale_formula(n, r, w)))
    return rows


@dataclass
class SloppyTally:
    """Outcome counts for one quorum mode over many writes."""

    ok: int = 0
    failed: int = 0
    stale_before: int = 0
    stale_after: int = 0


def sloppy_trial(rng: random.Random, p_down: float, sloppy: bool, tally: SloppyTally) -> None:
    """One write while each home replica is unreachable with ``p_down``; then heal and read.

    N = 3, W = 2, R = 2 on a ring of five nodes. The read runs after the
    partition heals but before hinted handoff, then again after it.
    """
    store = fresh_store(3, extra=2)
    reachable = {name for name in store.names
                 if name not in store.homes("k") or rng.random() >= p_down}
    result = store.write("k", Versioned("v2", 2), 2, reachable, sloppy=sloppy)
    if not result.ok:
        tally.failed += 1
        return
    tally.ok += 1
    everyone = set(store.names)
    read_rng = random.Random(rng.random())
    if store.read("k", 2, read_rng).item.version < 2:
        tally.stale_before += 1
    store.hinted_handoff(everyone)
    if store.read("k", 2, read_rng).item.version < 2:
        tally.stale_after += 1


def sloppy_expectation(p: float) -> tuple[float, float]:
    """Strict-quorum failure rate and sloppy-quorum stale rate, N = 3, R = W = 2.

    Strict fails when fewer than two home replicas are up. Sloppy succeeds
    always (two fallbacks cover any loss); its read of two homes misses the
    write when one home holds it (probability 1/3) or none does.
    """
    q = 1 - p
    strict_fail = 1 - (q ** 3 + 3 * p * q * q)
    sloppy_stale = 3 * p * p * q * (1 / 3) + p ** 3
    return strict_fail, sloppy_stale


def repair_trial(rng: random.Random, repair: bool) -> tuple[bool, bool]:
    """N = 3, W = 1: ``v2`` is on one replica only; two reads at R = 2 follow.

    Returns whether each read was stale. Without repair, both reads miss the
    write with probability 1/3. With read repair, a read that finds ``v2`` on
    one of its two replicas writes it to the other, so the second read can
    miss it only if the first one missed it too: 1/3 × 1/3 = 1/9.
    """
    store = fresh_store(3)
    store.write("k", Versioned("v2", 2), 1, reachable={rng.choice(store.homes("k"))})
    first = store.read("k", 2, rng, repair=repair).item.version < 2
    second = store.read("k", 2, rng, repair=repair).item.version < 2
    return first, second


def in_flight_scenario(repair: bool) -> tuple[int, int]:
    """A write has reached A only; reader 1 asks A and B, then reader 2 asks B and C.

    Returns the versions the two readers see. Reader 2 starts after reader
    1 has returned, so a linearizable store must not show reader 2 an older
    value than reader 1 saw.
    """
    store = fresh_store(3)
    store.write("k", Versioned("v2", 2), 2, reachable={"A"})  # in flight: 1 of 2 acks so far
    rng = random.Random(0)
    first = store.read("k", 2, rng, repair=repair, ask=["A", "B"])
    second = store.read("k", 2, rng, repair=repair, ask=["B", "C"])
    return first.item.version, second.item.version


def failed_write_trial(rng: random.Random) -> tuple[bool, bool]:
    """W = 2, but only one home replica is reachable: the client is told the write failed.

    Returns (write ok, a later R = 2 read returns the failed write).
    """
    store = fresh_store(3)
    reachable = {rng.choice(store.homes("k"))}
    result = store.write("k", Versioned("v2", 2), 2, reachable)
    return result.ok, store.read("k", 2, rng).item.version == 2


def main(argv: list[str] | None = None) -> int:
    """Run the overlap sweep, the sloppy-quorum comparison and the two scenarios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--n", type=int, default=3, help="replicas per key for the sweep")
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--p-down", type=float, default=0.3,
                        help="probability a home replica is unreachable during a write")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    print(f"Seed {args.seed}, {args.trials} trials per experiment\n")
    print(f"1. Overlap, N = {args.n}: the write is on exactly W replicas, a read asks R")
    print("   R  W  R+W>N  stale reads  measured  C(N-W,R)/C(N,R)")
    for r, w, stale, formula in overlap_sweep(rng, args.n, args.trials):
        print(f"  {r:>2} {w:>2}  {'yes' if r + w > args.n else 'no':>5}  {stale:>11}"
              f"  {100 * stale / args.trials:>7.1f}%  {100 * formula:>14.1f}%")

    strict_fail, sloppy_stale = sloppy_expectation(args.p_down)
    print(f"\n2. Sloppy quorum, N = 3, R = W = 2, five nodes: each home replica is down"
          f"\n   during the write with p = {args.p_down}; reads run after the partition heals")
    print("   mode    writes ok  failed  stale before handoff  stale after")
    for sloppy in (False, True):
        tally = SloppyTally()
        for _ in range(args.trials):
            sloppy_trial(rng, args.p_down, sloppy, tally)
        print(f"   {'sloppy' if sloppy else 'strict':<7} {tally.ok:>9}  {tally.failed:>6}"
              f"  {tally.stale_before:>7} = {100 * tally.stale_before / args.trials:4.1f}%"
              f"  {tally.stale_after:>11}")
    print(f"   expected: strict fails {100 * strict_fail:.1f}%,"
          f" sloppy reads stale {100 * sloppy_stale:.1f}% before handoff")

    print("\n3. Read repair: the write is on W = 1 of N = 3 replicas; two reads at R = 2")
    print("   read repair  first read stale  second read stale")
    for repair in (False, True):
        firsts = seconds = 0
        for _ in range(args.trials):
            first, second = repair_trial(rng, repair)
            firsts += first
            seconds += second
        print(f"   {'on' if repair else 'off':<11}  {100 * firsts / args.trials:>15.1f}%"
              f"  {100 * seconds / args.trials:>16.1f}%")

    print("\n4. A write in flight, so far on A only (N = 3, R = W = 2):"
          "\n   reader 1 asks A and B; after it returns, reader 2 asks B and C")
    for repair in (False, True):
        first, second = in_flight_scenario(repair)
        verdict = "new, then old: not linearizable" if second < first else "no going back"
        print(f"   read repair {'on ' if repair else 'off'}: v{first}, then v{second} ({verdict})")

    failed = returned = 0
    for _ in range(args.trials):
        ok, seen = failed_write_trial(rng)
        failed += not ok
        returned += seen
    print(f"\n5. Failed write, W = 2 with one home replica reachable: {failed} of"
          f" {args.trials} fail,")
    print(f"   yet {100 * returned / args.trials:.1f}% of later R = 2 reads return the"
          " failed write")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
