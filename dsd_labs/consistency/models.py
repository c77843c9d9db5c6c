"""Exact checkers for four consistency models on small multi-key histories.

The linearizability checker next door handles long single-register histories
with a memoized search. This module trades length for breadth: it decides
linearizability, sequential consistency, causal consistency and PRAM for
histories over several keys, straight from the definitions, so that the
histories that separate the models on the text's pages can be judged side by
side and the hierarchy LIN ⇒ SC ⇒ CC ⇒ PRAM can be tested on random runs.

Every model here asks the same question of a set of operations: is there a
sequence that keeps some required order and in which every read returns the
last value written to its key? Only the set of operations and the required
order change from model to model, so one search serves all four.

Written values are assumed distinct per key, so each read's source write is
known (the reads-from relation), as the text assumes.

Run ``python -m dsd_labs.consistency.models`` to judge the module's
separating histories and Module 1's history under all four models.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dsd_labs.consistency.history import OpKind, module1_history


# [start record]
@dataclass(frozen=True)
class KeyOp:
    """One completed operation on one key of a store, as a client observed it.

    ``value`` is the value written, or the value a read returned (``None``
    for the initial value ⊥). ``invoke`` and ``response`` are instants on the
    observer's clock; they matter only to linearizability, and they give
    each process's operations their order.
    """

    process: str
    kind: OpKind
    key: str
    value: int | None
    invoke: int
    response: int


KeyHistory = list[KeyOp]
Edges = set[tuple[int, int]]
# [end record]


def describe(op: KeyOp) -> str:
    """One operation in the text's notation: ``A: w(x, 1) [0, 1]``."""
    value = "⊥" if op.value is None else str(op.value)
    call = f"w({op.key}, {value})" if op.kind == "write" else f"r({op.key}) → {value}"
    return f"{op.process}: {call} [{op.invoke}, {op.response}]"


# [start orders]
def process_order(history: KeyHistory) -> Edges:
    """Per-process order: each process's operations in the order it issued them."""
    edges: Edges = set()
    for a, x in enumerate(history):
        for b, y in enumerate(history):
            if a != b and x.process == y.process and x.response < y.invoke:
                edges.add((a, b))
    return edges


def real_time_order(history: KeyHistory) -> Edges:
    """Real-time order: ``a`` responded before ``b`` was invoked."""
    return {(a, b) for a, x in enumerate(history) for b, y in enumerate(history)
            if a != b and x.response < y.invoke}


def reads_from(history: KeyHistory) -> Edges:
    """The writes-into relation: each write before every read of its value."""
    return {(w, r) for w, x in enumerate(history) for r, y in enumerate(history)
            if x.kind == "write" and y.kind == "read" and x.key == y.key
            and y.value is not None and x.value == y.value}


def closure(edges: Edges, size: int) -> Edges:
    """Transitive closure (Warshall), small enough for the histories here."""
    reach = [[(a, b) in edges for b in range(size)] for a in range(size)]
    for k in range(size):
        for a in range(size):
            if reach[a][k]:
                row_k = reach[k]
                row_a = reach[a]
                for b in range(size):
                    if row_k[b]:
                        row_a[b] = True
    return {(a, b) for a in range(size) for b in range(size) if reach[a][b]}


def causal_order(history: KeyHistory) -> Edges:
    """Happens-before on operations: per-process order plus writes-into, closed."""
    return closure(process_order(history) | reads_from(history), len(history))
# [end orders]


# [start serialize]
def serialize(history: KeyHistory, members: Iterable[int], order: Edges
              ) -> tuple[int, ...] | None:
    """A legal sequence of ``members`` that keeps ``order``, or None.

    Depth-first over the operations that may go next (all their required
    predecessors among ``members`` placed), keeping the current value of
    every key, so a read may go next only if it returns that value. Two
    partial sequences that placed the same operations and left the same
    values behave alike from then on, so the search remembers them.
    """
    chosen = sorted(members)
    preds = {i: {a for a, b in order if b == i and a in chosen} for i in chosen}
    keys = sorted({history[i].key for i in chosen})
    seen: set[tuple[frozenset[int], tuple[int | None, ...]]] = set()

    def place(done: frozenset[int], values: dict[str, int | None],
              sequence: tuple[int, ...]) -> tuple[int, ...] | None:
        if len(done) == len(chosen):
            return sequence
        state = (done, tuple(values[k] for k in keys))
        if state in seen:
            return None
        seen.add(state)
        for i in chosen:
            if i in done or not preds[i] <= done:
                continue
            op = history[i]
            if op.kind == "read" and values[op.key] != op.value:
                continue
            after = dict(values)
            if op.kind == "write":
                after[op.key] = op.value
            found = place(done | {i}, after, (*sequence, i))
            if found is not None:
                return found
        return None

    return place(frozenset(), dict.fromkeys(keys), ())
# [end serialize]


def _writes(history: KeyHistory) -> set[int]:
    return {i for i, op in enumerate(history) if op.kind == "write"}


def _own(history: KeyHistory, process: str) -> set[int]:
    return {i for i, op in enumerate(history) if op.process == process}


# [start models]
def linearizable(history: KeyHistory) -> bool:
    """One legal sequence of all operations that respects real-time order."""
    return serialize(history, range(len(history)), real_time_order(history)) is not None


def sequentially_consistent(history: KeyHistory) -> bool:
    """One legal sequence of all operations that respects per-process order."""
    return serialize(history, range(len(history)), process_order(history)) is not None


def causally_consistent(history: KeyHistory) -> bool:
    """Per process, a legal sequence of all writes and its own operations
    that respects causal order (Ahamad et al.)."""
    order = causal_order(history)
    return all(serialize(history, _writes(history) | _own(history, p), order) is not None
               for p in sorted({op.process for op in history}))


def pram_consistent(history: KeyHistory) -> bool:
    """Per process, a legal sequence of all writes and its own operations
    that respects every process's order (Lipton and Sandberg)."""
    order = process_order(history)
    return all(serialize(history, _writes(history) | _own(history, p), order) is not None
               for p in sorted({op.process for op in history}))
# [end models]


MODELS: dict[str, Callable[[KeyHistory], bool]] = {
    "LIN": linearizable,
    "SC": sequentially_consistent,
    "CC": causally_consistent,
    "PRAM": pram_consistent,
}


def judge(history: KeyHistory) -> dict[str, bool]:
    """Every model's verdict on one history."""
    return {name: model(history) for name, model in MODELS.items()}


# [start samples]
def separating_histories() -> dict[str, KeyHistory]:
    """The histories of the module's pages, each allowed by some models only."""
    op = KeyOp
    return {
        "feature flag: stale read after the write returned": [
            op("admin", "write", "flag", 0, 0, 2),
            op("colleague", "read", "flag", None, 5, 6),
        ],
        "reader lags the writer": [
            op("A", "write", "x", 1, 0, 1), op("A", "write", "x", 2, 2, 3),
            op("B", "read", "x", 1, 4, 5), op("B", "read", "x", 2, 6, 7),
        ],
        "two flags (store buffering)": [
            op("A", "write", "x", 1, 0, 1), op("A", "read", "y", None, 2, 3),
            op("B", "write", "y", 1, 0, 1), op("B", "read", "x", None, 2, 3),
        ],
        "concurrent writes seen in two orders": [
            op("A", "write", "x", 1, 0, 1), op("B", "write", "x", 2, 0, 1),
            op("C", "read", "x", 1, 2, 3), op("C", "read", "x", 2, 4, 5),
            op("D", "read", "x", 2, 2, 3), op("D", "read", "x", 1, 4, 5),
        ],
        "reply visible without its post": [
            op("A", "write", "x", 1, 0, 1),
            op("B", "read", "x", 1, 2, 3), op("B", "write", "y", 2, 4, 5),
            op("C", "read", "y", 2, 6, 7), op("C", "read", "x", None, 8, 9),
        ],
        "one writer's edits seen swapped": [
            op("A", "write", "x", 1, 0, 1), op("A", "write", "x", 2, 2, 3),
            op("C", "read", "x", 2, 4, 5), op("C", "read", "x", 1, 6, 7),
        ],
    }
# [end samples]


def random_history(seed: int, processes: int = 4, operations: int = 8,
                   keys: str = "xy") -> KeyHistory:
    """A small random history, not produced by any store: reads return any
    value ever written to their key (or ⊥), and operations may overlap.

    Such histories exercise every branch of the checkers, including ones
    that no model allows. Written values are distinct per key.
    """
    rng = random.Random(seed)
    names = [chr(ord("A") + k) for k in range(processes)]
    clock = {name: 0 for name in names}
    drafts: list[tuple[str, OpKind, str, int, int]] = []
    for _ in range(operations):
        name = rng.choice(names)
        start = clock[name] + rng.randint(0, 3)
        end = start + rng.randint(0, 3)
        clock[name] = end + 1
        kind: OpKind = "write" if rng.random() < 0.4 else "read"
        drafts.append((name, kind, rng.choice(keys), start, end))
    counter = dict.fromkeys(keys, 0)
    written: dict[str, list[int | None]] = {k: [None] for k in keys}
    out: KeyHistory = []
    for name, kind, key, start, end in drafts:
        if kind == "write":
            counter[key] += 1
            written[key].append(counter[key])
            out.append(KeyOp(name, kind, key, counter[key], start, end))
        else:
            out.append(KeyOp(name, kind, key, None, start, end))
    return [o if o.kind == "write" else
            KeyOp(o.process, o.kind, o.key, rng.choice(written[o.key]), o.invoke, o.response)
            for o in out]


def _row(name: str, verdicts: dict[str, bool], width: int) -> str:
    marks = "  ".join(f"{'yes' if ok else 'no':<4}" for ok in verdicts.values())
    return f"{name:<{width}}  {marks}".rstrip()


def main(argv: list[str] | None = None) -> int:
    """Print the verdict table, Module 1's history, and the random-run check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="seed of the first random history")
    parser.add_argument("--random", type=int, default=300,
                        help="how many random histories to test the hierarchy on")
    args = parser.parse_args(argv)
    samples = separating_histories()
    width = max(len(name) for name in samples)
    print((f"{'history':<{width}}  " + "  ".join(f"{m:<4}" for m in MODELS)).rstrip())
    for name, history in samples.items():
        print(_row(name, judge(history), width))
    module1 = module1_history()
    if module1 is None:
        print("Module 1 history: dsd_labs.fundamentals.partitioned_register is not installed")
    else:
        history = [KeyOp(o.process, o.kind, "x", o.value, o.invoke, o.response)
                   for o in module1]
        print(_row("Module 1 partitioned register"[:width], judge(history), width))
    counts = dict.fromkeys(MODELS, 0)
    broken = 0
    for k in range(args.random):
        verdicts = judge(random_history(args.seed + k))
        for name, ok in verdicts.items():
            counts[name] += ok
        chain = list(verdicts.values())
        broken += any(stronger and not weaker for stronger, weaker in itertools.pairwise(chain))
    print(f"{args.random} random histories (seeds {args.seed}..{args.seed + args.random - 1}); "
          "allowed: " + ", ".join(f"{n} {c}" for n, c in counts.items()))
    print(f"histories a stronger model allows and a weaker one rejects: {broken}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
