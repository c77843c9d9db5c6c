"""A linearizability checker for single-register histories.

The checker searches for a linearization in the manner of Wing and Gong: it
repeatedly picks an operation that no pending operation precedes in real time,
applies it to a sequential register, and backtracks when a read disagrees.
The search memoizes the configurations it has already explored, keyed by
(set of linearized operations, register value), the optimization that Lowe's
checkers and Knossos use: two different orders of the same operations that
leave the register holding the same value have the same future, so only one
of them is explored. When no linearization
exists, the checker shrinks the history to a small sub-history that still has
none, so a reader sees why in three or four lines instead of a hundred.

Run ``python -m dsd_labs.consistency.linearizability`` to judge the module's
sample histories and, when it is installed, the partitioned-register history
of Module 1.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from dsd_labs.consistency.history import History, Operation, OpKind, module1_history


@dataclass(frozen=True)
class Verdict:
    """The checker's answer, with the evidence for it.

    ``witness`` is a total order of the history's operations (indices into
    the history) that respects real time and the register's sequential
    specification, when one exists. ``core`` is a sub-history (indices) that
    is itself not linearizable, and ``reason`` says in words where every
    attempt to order it gets stuck; both are empty for a linearizable
    history. ``states`` counts the distinct search configurations explored.
    """

    linearizable: bool
    witness: tuple[int, ...] = ()
    core: tuple[int, ...] = ()
    reason: tuple[str, ...] = field(default_factory=tuple)
    states: int = 0


def describe(op: Operation) -> str:
    """One operation in the notation the text uses: ``A: w(1) [0, 2]``."""
    symbol = "w" if op.kind == "write" else "r"
    value = "⊥" if op.value is None else str(op.value)
    arrow = f"({value})" if op.kind == "write" else f"() → {value}"
    return f"{op.process}: {symbol}{arrow} [{op.invoke}, {op.response}]"


# [start search]
def _search(history: Sequence[Operation], initial: int | None
            ) -> tuple[tuple[int, ...] | None, int, int, tuple[int, ...], int | None]:
    """Depth-first Wing–Gong search with memoization on (linearized set, value).

    Returns (witness or None, states explored, and, for a failure, the deepest
    configuration reached: its linearized set as a bitmask and its value).
    An operation is a candidate to go next when no other unlinearized
    operation finished before it started: anything else would put it before
    an operation that precedes it in real time.
    """
    n = len(history)
    full = (1 << n) - 1
    seen: set[tuple[int, int | None]] = set()
    stack: list[tuple[int, int | None, tuple[int, ...]]] = [(0, initial, ())]
    best: tuple[int, int, int | None] = (-1, 0, initial)
    while stack:
        done, value, order = stack.pop()
        if done == full:
            return order, len(seen), 0, (), None
        if (done, value) in seen:
            continue
        seen.add((done, value))
        if len(order) > best[0]:
            best = (len(order), done, value)
        pending = [i for i in range(n) if not done >> i & 1]
        horizon = min(history[i].response for i in pending)
        for i in reversed(pending):          # reversed: the stack pops index order
            op = history[i]
            if op.invoke > horizon:          # some pending op finished before op began
                continue
            if op.kind == "write":
                stack.append((done | 1 << i, op.value, (*order, i)))
            elif op.value == value:          # a read must see the current value
                stack.append((done | 1 << i, value, (*order, i)))
    _, done, value = best
    blocked = tuple(i for i in range(n) if not done >> i & 1)
    return None, len(seen), done, blocked, value
# [end search]


def _explain(history: Sequence[Operation], done: int, value: int | None) -> tuple[str, ...]:
    """Why the deepest configuration of a failed search cannot be extended."""
    n = len(history)
    pending = [i for i in range(n) if not done >> i & 1]
    horizon = min(history[i].response for i in pending)
    shown = "⊥" if value is None else str(value)
    placed = n - len(pending)
    lines = [f"after {placed} of {n} operations the register holds {shown}; next candidates:"]
    for i in pending:
        op = history[i]
        if op.invoke > horizon:
            continue
        if op.kind == "read":
            lines.append(f"  {describe(op)}: returns "
                         f"{'⊥' if op.value is None else op.value}, register holds {shown}")
        else:
            lines.append(f"  {describe(op)}: leads only to configurations already refuted")
    if len(lines) == 1:
        lines.append("  none can go next without breaking real-time order")
    return tuple(lines)


def _shrink(history: Sequence[Operation], initial: int | None) -> tuple[int, ...]:
    """A 1-minimal non-linearizable sub-history, found by sound deletions only.

    Deleting a read never turns a linearizable history into a
    non-linearizable one, and neither does deleting a write together with
    every read of its value when written values are distinct. So if the
    smaller history still fails, the failure it shows is a failure of the
    original. Deletions that would need other assumptions are not tried.
    """
    keep = list(range(len(history)))
    writes = [op.value for op in history if op.kind == "write"]
    distinct = len(writes) == len(set(writes)) and initial not in writes
    changed = True
    while changed:
        changed = False
        for i in list(keep):
            if i not in keep:
                continue
            op = history[i]
            if op.kind == "read":
                drop = {i}
            elif distinct:
                drop = {i} | {j for j in keep
                              if history[j].kind == "read" and history[j].value == op.value}
            else:
                continue
            trial = [j for j in keep if j not in drop]
            witness, *_ = _search([history[j] for j in trial], initial)
            if witness is None:
                keep = trial
                changed = True
    return tuple(keep)


def check(history: History, initial: int | None = None) -> Verdict:
    """Decide whether a single-register history is linearizable.

    Every operation in ``history`` is complete. An operation that timed out
    (its effect unknown) is modeled by giving it a response later than every
    other event: it then may, but need not, be ordered early.
    """
    if not history:
        return Verdict(True)
    witness, states, *_ = _search(history, initial)
    if witness is not None:
        return Verdict(True, witness=witness, states=states)
    core = _shrink(history, initial)
    sub = [history[j] for j in core]
    _, _, sub_done, _, sub_value = _search(sub, initial)
    return Verdict(False, core=core, reason=_explain(sub, sub_done, sub_value),
                   states=states)


@dataclass
class _Pending:
    """An invoked operation of the simulated register, not yet answered."""

    kind: OpKind
    value: int | None
    invoke: int
    effected: bool = False


# [start generator]
def sequential_register_history(seed: int, processes: int = 4, operations: int = 24,
                                read_share: float = 0.5) -> History:
    """A history produced by a correct (atomic) register, hence linearizable.

    Each operation takes effect at one instant strictly between its
    invocation and its response; processes overlap freely. Written values are
    distinct so the tests can shrink failures soundly.
    """
    rng = random.Random(seed)
    names = [chr(ord("A") + k) for k in range(processes)]
    pending: dict[str, _Pending] = {}
    register: int | None = None
    next_value, started, clock = 1, 0, 0
    out: History = []
    while started < operations or pending:
        clock += 1
        name = rng.choice(names)
        call = pending.get(name)
        if call is None:
            if started == operations:
                continue
            if rng.random() < read_share:
                pending[name] = _Pending("read", None, clock)
            else:
                pending[name] = _Pending("write", next_value, clock)
                next_value += 1
            started += 1
        elif not call.effected:           # the single instant the operation takes effect
            if call.kind == "write":
                register = call.value
            else:
                call.value = register
            call.effected = True
        else:
            del pending[name]
            out.append(Operation(name, call.kind, call.value, call.invoke, clock))
    return sorted(out, key=lambda op: (op.invoke, op.process))
# [end generator]


# [start samples]
def sample_histories() -> dict[str, History]:
    """Hand-made histories for the text, each showing one point."""
    op = Operation
    return {
        "reads overlapping a write see old, then new": [
            op("A", "write", 1, 0, 10),
            op("B", "read", None, 2, 4),
            op("C", "read", 1, 3, 5),
            op("B", "read", 1, 6, 8),
        ],
        "stale read after the write completed": [
            op("A", "write", 1, 0, 2),
            op("B", "read", None, 3, 4),
        ],
        "new-old inversion between two readers": [
            op("A", "write", 1, 0, 10),
            op("B", "read", 1, 1, 3),
            op("C", "read", None, 4, 6),
        ],
        "sequentially consistent, not linearizable": [
            op("A", "write", 1, 0, 1),
            op("A", "write", 2, 2, 3),
            op("B", "read", 1, 4, 5),
            op("B", "read", 2, 6, 7),
        ],
    }
# [end samples]


def report(name: str, history: History) -> list[str]:
    """The lines the lab prints for one history."""
    verdict = check(history)
    lines = [f"== {name}: {len(history)} operations, {verdict.states} states explored"]
    if verdict.linearizable:
        order = ", ".join(describe(history[i]).split(" [")[0] for i in verdict.witness)
        lines.append(f"   LINEARIZABLE, witness: {order}")
    else:
        lines.append("   NOT LINEARIZABLE; minimal failing sub-history:")
        lines += [f"     {describe(history[i])}" for i in verdict.core]
        lines += [f"   {line}" for line in verdict.reason]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Judge the sample histories, Module 1's history, and random ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="seed of the random histories")
    parser.add_argument("--random", type=int, default=200,
                        help="how many random register histories to check")
    parser.add_argument("--only", choices=["samples", "module1", "random"],
                        help="print one section only")
    args = parser.parse_args(argv)
    sections = [args.only] if args.only else ["samples", "module1", "random"]
    if "samples" in sections:
        for name, history in sample_histories().items():
            print("\n".join(report(name, history)))
    if "module1" in sections:
        history = module1_history()
        if history is None:
            print("== Module 1 history: dsd_labs.fundamentals.partitioned_register "
                  "is not installed")
        else:
            print("\n".join(report("Module 1 partitioned register", history)))
    if "random" in sections:
        accepted, most = 0, 0
        for k in range(args.random):
            verdict = check(sequential_register_history(args.seed + k))
            accepted += verdict.linearizable
            most = max(most, verdict.states)
        print(f"== {args.random} random histories from an atomic register "
              f"(seeds {args.seed}..{args.seed + args.random - 1}): "
              f"{accepted} linearizable, at most {most} states explored")
    return 0


if __name__ == "__main__":
    sys.exit(main())
