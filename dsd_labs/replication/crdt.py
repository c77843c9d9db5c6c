"""State-based CRDTs: a grow-only counter and an observed-remove set, merged in any order.

Three replicas accept updates independently, as the leaders of a
multi-leader system do, and exchange their whole state with random peers in
random order. A state-based CRDT (Shapiro et al., 2011) converges whatever
the order of exchanges because its merge is commutative, associative and
idempotent. The lab checks those laws on random states, runs random
workloads until every replica has merged every other, and sets each CRDT
beside the last-write-wins structure it replaces:

* a G-Counter beside a counter kept in a last-write-wins register, which
  loses concurrent increments;
* an OR-Set (add wins over a concurrent remove) beside a last-write-wins
  element set, which lets a remove erase an add it never saw.

Run: ``python -m dsd_labs.replication.crdt --seed 4``
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from itertools import product

Tag = tuple[str, int]


@dataclass
class GCounter:
    """One count per replica; the value is their sum, and merge takes the maximum of each."""

    counts: dict[str, int] = field(default_factory=dict)

    def increment(self, replica: str, by: int = 1) -> None:
        """A replica only ever raises its own entry."""
        self.counts[replica] = self.counts.get(replica, 0) + by

    def value(self) -> int:
        """The total of all increments this state has seen."""
        return sum(self.counts.values())

    # [start gcounter merge]
    def merge(self, other: GCounter) -> GCounter:
        """Entry-wise maximum: the least state that includes both."""
        names = sorted(set(self.counts) | set(other.counts))
        return GCounter({r: max(self.counts.get(r, 0), other.counts.get(r, 0)) for r in names})
    # [end gcounter merge]


@dataclass
class ORSet:
    """An observed-remove set: each add is a unique tag; a remove kills the tags it saw."""

    adds: dict[str, set[Tag]] = field(default_factory=dict)
    removed: set[Tag] = field(default_factory=set)

    def add(self, element: str, tag: Tag) -> None:
        """Add ``element`` under a tag no other add uses."""
        self.adds.setdefault(element, set()).add(tag)

    def remove(self, element: str) -> None:
        """Remove the adds of ``element`` this replica has observed, and no others."""
        self.removed |= self.adds.get(element, set())

    def elements(self) -> set[str]:
        """Elements with at least one add that no remove has observed."""
        return {e for e, tags in self.adds.items() if tags - self.removed}

    # [start orset merge]
    def merge(self, other: ORSet) -> ORSet:
        """Union of adds and union of removed tags; an unseen add survives a remove."""
        adds = {e: self.adds.get(e, set()) | other.adds.get(e, set())
                for e in sorted(set(self.adds) | set(other.adds))}
        return ORSet(adds, self.removed | other.removed)
    # [end orset merge]


@dataclass(frozen=True)
class LWWRegister:
    """A value with a timestamp; merge keeps the larger timestamp."""

    stamp: tuple[int, str]
    value: object

    def merge(self, other: LWWRegister) -> LWWRegister:
        """Last-write-wins: the other value is dropped without a trace."""
        return self if self.stamp >= other.stamp else other


def lww_set_merge(a: dict[str, LWWRegister], b: dict[str, LWWRegister]) -> dict[str, LWWRegister]:
    """An element set kept as one LWW register per element (value True = present)."""
    return {e: a[e].merge(b[e]) if e in a and e in b else a.get(e) or b[e]
            for e in sorted(set(a) | set(b))}


def random_counter(rng: random.Random) -> GCounter:
    """A random G-Counter state over three replicas."""
    return GCounter({r: rng.randrange(5) for r in "ABC" if rng.random() < 0.8})


def random_orset(rng: random.Random) -> ORSet:
    """A random OR-Set state over a small universe of elements and tags."""
    s = ORSet()
    for e, r in product("xyz", "AB"):
        if rng.random() < 0.5:
            s.add(e, (r, rng.randrange(3)))
    s.removed = {t for e in sorted(s.adds) for t in sorted(s.adds[e]) if rng.random() < 0.3}
    return s


def same(a: GCounter | ORSet, b: GCounter | ORSet) -> bool:
    """Equality of states, ignoring zero entries and elements with no tags."""
    if isinstance(a, GCounter):
        return ({k: v for k, v in a.counts.items() if v}
                == {k: v for k, v in b.counts.items() if v})
    return ({e: t for e, t in a.adds.items() if t} == {e: t for e, t in b.adds.items() if t}
            and a.removed == b.removed)


def check_laws(rng: random.Random, make, trials: int) -> dict[str, bool]:
    """Commutativity, associativity and idempotence of ``merge`` on random states."""
    laws = {"commutative": True, "associative": True, "idempotent": True}
    for _ in range(trials):
        a, b, c = make(rng), make(rng), make(rng)
        laws["commutative"] &= same(a.merge(b), b.merge(a))
        laws["associative"] &= same(a.merge(b).merge(c), a.merge(b.merge(c)))
        laws["idempotent"] &= same(a.merge(a), a)
    return laws


def gossip(rng: random.Random, states: dict[str, object], rounds: int) -> None:
    """Random one-way exchanges: a replica merges a random peer's state into its own."""
    names = sorted(states)
    for _ in range(rounds):
        src, dst = rng.sample(names, 2)
        states[dst] = states[dst].merge(states[src])


def settle(states: dict[str, object]) -> None:
    """Two passes of everyone-merges-everyone: every replica has seen every update."""
    names = sorted(states)
    for _ in range(2):
        for src, dst in product(names, names):
            if src != dst:
                states[dst] = states[dst].merge(states[src])


def counter_run(rng: random.Random, increments: int) -> tuple[list[int], list[int]]:
    """Random increments at three replicas with gossip in between.

    Returns the settled values of the G-Counters and of LWW registers that
    each replica updates by reading its local count and writing count + 1.
    """
    names = ["A", "B", "C"]
    crdt = {r: GCounter() for r in names}
    lww = {r: LWWRegister((0, ""), 0) for r in names}
    clock = dict.fromkeys(names, 0)
    for _ in range(increments):
        r = rng.choice(names)
        crdt[r].increment(r)
        clock[r] = max(clock[r], lww[r].stamp[0]) + 1
        lww[r] = LWWRegister((clock[r], r), lww[r].value + 1)
        if rng.random() < 0.3:
            gossip(rng, crdt, 1)
            gossip(rng, lww, 1)
    settle(crdt)
    settle(lww)
    return [crdt[r].value() for r in names], [lww[r].value for r in names]


def cart_scenario() -> tuple[set[str], set[str]]:
    """Replica A removes "milk" while replica B, concurrently, adds it again.

    Both started from a cart with milk in it. B's clock is behind A's, so
    the LWW set stamps B's later add with a smaller timestamp.
    """
    a, b = ORSet(), ORSet()
    a.add("milk", ("A", 1))
    b = b.merge(a)
    a.remove("milk")            # A removes the milk it has seen
    b.add("milk", ("B", 1))     # B adds milk again, not having seen the remove
    orset = a.merge(b).elements()
    lww_a = {"milk": LWWRegister((10, "A"), True)}
    lww_b = dict(lww_a)
    lww_a["milk"] = LWWRegister((30, "A"), False)   # remove at A, clock 30
    lww_b["milk"] = LWWRegister((20, "B"), True)    # re-add at B, clock 20 (behind)
    merged = lww_set_merge(lww_a, lww_b)
    return orset, {e for e, reg in merged.items() if reg.value}


def orset_run(rng: random.Random, operations: int) -> list[set[str]]:
    """Random adds and removes at three replicas with gossip; returns the settled sets."""
    names = ["A", "B", "C"]
    states = {r: ORSet() for r in names}
    counter = dict.fromkeys(names, 0)
    for _ in range(operations):
        r = rng.choice(names)
        element = rng.choice("abcdef")
        if rng.random() < 0.6:
            counter[r] += 1
            states[r].add(element, (r, counter[r]))
        else:
            states[r].remove(element)
        if rng.random() < 0.3:
            gossip(rng, states, 1)
    settle(states)
    return [states[r].elements() for r in names]


def main(argv: list[str] | None = None) -> int:
    """Check the merge laws, run the workloads, and set each CRDT beside its LWW rival."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    print("1. Merge laws on 1000 random pairs and triples of states")
    for name, make in (("G-Counter", random_counter), ("OR-Set", random_orset)):
        laws = check_laws(rng, make, 1000)
        print(f"   {name:<10} " + ", ".join(f"{law} {'yes' if ok else 'NO'}"
                                             for law, ok in laws.items()))

    print(f"\n2. {args.runs} runs of 300 increments at three replicas, random gossip")
    converged = exact = 0
    lost = []
    for _ in range(args.runs):
        values, lww_values = counter_run(rng, 300)
        converged += len(set(values)) == 1
        exact += values[0] == 300
        lost.append(300 - lww_values[0])
    print(f"   G-Counter: replicas agree in {converged} runs, on 300 in {exact}")
    print(f"   LWW register: increments lost per run, min {min(lost)},"
          f" mean {sum(lost) / len(lost):.1f}, max {max(lost)}")

    orset, lww = cart_scenario()
    print("\n3. A removes milk from the cart while B, concurrently, adds milk again")
    print(f"   OR-Set after merge: {sorted(orset)}  (B's add was not observed by A's remove)")
    print(f"   LWW element set:    {sorted(lww)}  (the remove's larger stamp wins)")

    agree = sum(len({frozenset(s) for s in orset_run(rng, 200)}) == 1 for _ in range(args.runs))
    print(f"\n4. {args.runs} runs of 200 random adds and removes: OR-Set replicas agree"
          f" in {agree}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
