"""Version vectors with sibling detection in a small Dynamo/Riak-style key-value store.

Two stores are compared on the same client script. ``DottedStore`` keeps,
per key, a version vector with one entry per replica that coordinates
writes, and tags every stored value (sibling) with a *dot*: the replica and
counter of the write that created it (dotted version vectors, Preguiça et
al. 2010). ``NaiveStore`` keeps one version vector per value and decides by
comparing vectors only. The script makes two clients write the same key
concurrently through the same replica; the dotted store keeps both writes as
siblings, the naive store silently loses one. A read-then-write with the
merged context then resolves the siblings.

Run: ``python -m dsd_labs.clocks.version_vectors``
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

VV = dict[str, int]
Dot = tuple[str, int]


def descends(a: VV, b: VV) -> bool:
    """True when version vector ``a`` has seen every update ``b`` has seen."""
    return all(a.get(r, 0) >= n for r, n in b.items())


def vv_merge(a: VV, b: VV) -> VV:
    """Entry-wise maximum: the updates seen by either side."""
    return {r: max(a.get(r, 0), b.get(r, 0)) for r in sorted(set(a) | set(b))}


def covered(dot: Dot, context: VV) -> bool:
    """A dot is covered by a context when the context has seen that write."""
    replica, counter = dot
    return context.get(replica, 0) >= counter


@dataclass
class Sibling:
    """One concurrent value of a key, tagged with the dot of the write that made it."""

    dot: Dot
    value: str


@dataclass
class KeyState:
    """What a replica stores for one key: a causal context and the live siblings."""

    vv: VV = field(default_factory=dict)
    siblings: list[Sibling] = field(default_factory=list)


@dataclass
class DottedStore:
    """One replica of a key-value store that tracks causality with dotted version vectors."""

    name: str
    data: dict[str, KeyState] = field(default_factory=dict)

    def get(self, key: str) -> tuple[list[str], VV]:
        """Return every sibling's value and the context a client must send back on write."""
        state = self.data.get(key, KeyState())
        return [s.value for s in state.siblings], dict(state.vv)

    # [start dotted put]
    def put(self, key: str, value: str, context: VV) -> Dot:
        """Coordinate a write: new dot, discard siblings the client had seen, keep the rest.

        A sibling whose dot the client's context covers was read before this
        write, so the write supersedes it. A sibling the context does not
        cover was written concurrently and must survive as a sibling.
        """
        state = self.data.setdefault(key, KeyState())
        counter = state.vv.get(self.name, 0) + 1
        dot = (self.name, counter)
        state.siblings = [s for s in state.siblings if not covered(s.dot, context)]
        state.siblings.append(Sibling(dot, value))
        state.vv = vv_merge(vv_merge(state.vv, context), {self.name: counter})
        return dot
    # [end dotted put]

    # [start dotted sync]
    def sync_from(self, other: DottedStore, key: str) -> None:
        """Anti-entropy: merge another replica's state for ``key`` into this one.

        A sibling survives if the other side holds it too, or if the other
        side has never seen its dot (it is news, not something overwritten).
        """
        mine = self.data.setdefault(key, KeyState())
        theirs = other.data.get(key, KeyState())
        their_dots = {s.dot for s in theirs.siblings}
        my_dots = {s.dot for s in mine.siblings}
        keep = [s for s in mine.siblings
                if s.dot in their_dots or not covered(s.dot, theirs.vv)]
        keep += [s for s in theirs.siblings
                 if s.dot not in my_dots and not covered(s.dot, mine.vv)]
        mine.siblings = sorted(keep, key=lambda s: s.dot)
        mine.vv = vv_merge(mine.vv, theirs.vv)
    # [end dotted sync]


@dataclass
class NaiveStore:
    """A replica that stores one version vector per value and compares vectors only."""

    name: str
    data: dict[str, list[tuple[VV, str]]] = field(default_factory=dict)

    def get(self, key: str) -> tuple[list[str], VV]:
        """Return every stored value and the merge of their vectors."""
        versions = self.data.get(key, [])
        context: VV = {}
        for vv, _ in versions:
            context = vv_merge(context, vv)
        return [v for _, v in versions], context

    # [start naive put]
    def put(self, key: str, value: str, context: VV) -> VV:
        """Increment this replica's entry on top of the stored vectors, then prune.

        The new vector builds on everything the replica holds (as a
        server-side vector must, to stay unique), so it dominates an older
        value even when the client never saw that value: the older value is
        dropped as if it had been overwritten. ``context`` goes unused: this
        scheme cannot tell what the client saw from what the replica holds.
        """
        del context
        versions = self.data.get(key, [])
        base: VV = {}
        for vv, _ in versions:
            base = vv_merge(base, vv)
        new_vv = vv_merge(base, {self.name: base.get(self.name, 0) + 1})
        kept = [(vv, v) for vv, v in versions if not descends(new_vv, vv)]
        self.data[key] = [*kept, (new_vv, value)]
        return new_vv
    # [end naive put]


def fmt(vv: VV) -> str:
    """Render a version vector with replicas in sorted order."""
    return "{" + ", ".join(f"{r}:{n}" for r, n in sorted(vv.items())) + "}"


def script(verbose: bool = True) -> dict[str, object]:
    """Run the client script against both stores and return what a test needs to check."""
    out: dict[str, object] = {}
    a, b = DottedStore("A"), DottedStore("B")
    naive = NaiveStore("A")

    def say(line: str) -> None:
        if verbose:
            print(line)

    say("step 1: alice and bob both read cart (empty) from replica A")
    _, ctx_alice = a.get("cart")
    _, ctx_bob = a.get("cart")
    naive.get("cart")
    say("step 2: alice writes 'milk', bob writes 'eggs', both with the empty context")
    a.put("cart", "milk", ctx_alice)
    a.put("cart", "eggs", ctx_bob)
    naive.put("cart", "milk", {})
    naive.put("cart", "eggs", {})
    values, ctx = a.get("cart")
    naive_values, naive_ctx = naive.get("cart")
    say(f"  dotted store A: siblings {values}, context {fmt(ctx)}")
    say(f"  naive  store A: values   {naive_values}, vector {fmt(naive_ctx)}")
    out["dotted_siblings"] = values
    out["naive_values"] = naive_values

    say("step 3: carol writes 'flour' through replica B, which has not synced")
    _, ctx_carol = b.get("cart")
    b.put("cart", "flour", ctx_carol)
    a.sync_from(b, "cart")
    b.sync_from(a, "cart")
    values, ctx = a.get("cart")
    say(f"  after anti-entropy A<->B: siblings {values}, context {fmt(ctx)}")
    out["after_sync"] = values

    say("step 4: alice reads all siblings, merges them, writes back with that context")
    merged = "+".join(sorted(values))
    a.put("cart", merged, ctx)
    b.sync_from(a, "cart")
    values_a, ctx_a = a.get("cart")
    values_b, _ = b.get("cart")
    say(f"  replica A: {values_a}, context {fmt(ctx_a)}")
    say(f"  replica B: {values_b}")
    out["resolved_a"] = values_a
    out["resolved_b"] = values_b

    say("step 5: a stale write from bob, with his old context from step 1")
    a.put("cart", "eggs+bacon", ctx_bob)
    values, ctx = a.get("cart")
    say(f"  replica A: siblings {values}, context {fmt(ctx)}")
    out["stale_write"] = values
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the client script and print what each store keeps."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    script(verbose=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
