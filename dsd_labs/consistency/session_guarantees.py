"""Checkers for the four session guarantees of Terry et al. (1994).

A client-only history cannot show which writes a replica held when it
answered, and the session guarantees are statements about exactly that. So
the checkers read an annotated trace: every operation names the replica that
served it and how much of that replica's apply log existed at that moment,
and every replica's apply log (the order in which it applied writes) is
recorded for the whole run. A small simulated cluster produces such traces.

Run ``python -m dsd_labs.consistency.session_guarantees`` to see one anomaly
per guarantee, a sticky-session run that avoids all four, and what can be
said about Module 1's partitioned-register history from its client view.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from dsd_labs.consistency.history import History, OpKind, module1_history


# [start format]
@dataclass(frozen=True)
class SessionOp:
    """One operation of a session, annotated with the replica state it saw.

    ``write`` is the id of the write this operation created (a write) or of
    the write whose value it returned (a read; ``None`` is the initial
    value). ``seen`` is the length of ``replica``'s apply log when the
    operation was served, so the replica's state then is ``log[:seen]``; a
    write is appended to its replica's log at position ``seen``.
    """

    session: str
    kind: OpKind
    key: str
    write: str | None
    replica: str
    seen: int


@dataclass
class Trace:
    """Session operations in issue order, plus every replica's apply log."""

    ops: list[SessionOp] = field(default_factory=list)
    logs: dict[str, list[str]] = field(default_factory=dict)

    def state(self, op: SessionOp) -> list[str]:
        """The writes the serving replica had applied when it served ``op``."""
        return self.logs[op.replica][:op.seen]

    def key_of(self) -> dict[str, str]:
        """Which key each write wrote."""
        return {op.write: op.key for op in self.ops if op.kind == "write" and op.write}
# [end format]


@dataclass(frozen=True)
class Violation:
    """A pair of operations in one session that breaks a guarantee."""

    guarantee: str
    session: str
    detail: str


def validate(trace: Trace) -> None:
    """Reject a trace whose annotations contradict themselves.

    A read must return the last write to its key in the state it saw, and a
    write must sit in its replica's log exactly where ``seen`` says. A
    checker fed an inconsistent trace would judge a fiction.
    """
    keys = trace.key_of()
    for op in trace.ops:
        log = trace.logs[op.replica]
        if op.kind == "write":
            if op.seen >= len(log) or log[op.seen] != op.write:
                raise ValueError(f"{op}: write not at position {op.seen} of {op.replica}")
        else:
            latest = [w for w in trace.state(op) if keys[w] == op.key]
            if (latest[-1] if latest else None) != op.write:
                raise ValueError(f"{op}: read does not return the latest write it saw")


def _pairs(trace: Trace, first: OpKind, second: OpKind
           ) -> list[tuple[SessionOp, SessionOp]]:
    """Every (earlier, later) pair of the given kinds within one session."""
    out = []
    for i, a in enumerate(trace.ops):
        for b in trace.ops[i + 1:]:
            if a.session == b.session and a.kind == first and b.kind == second:
                out.append((a, b))
    return out


def _relevant(trace: Trace, read: SessionOp) -> list[str]:
    """Terry's RelevantWrites: the writes to the read's key in the state it saw."""
    keys = trace.key_of()
    return [w for w in trace.state(read) if keys[w] == read.key]


# [start checkers]
def read_your_writes(trace: Trace) -> list[Violation]:
    """If read R follows write W in a session, W is in the state R is served from."""
    return [Violation("RYW", w.session, f"{w.write} missing at {r.replica} when read")
            for w, r in _pairs(trace, "write", "read") if w.write not in trace.state(r)]


def monotonic_reads(trace: Trace) -> list[Violation]:
    """If R1 precedes R2 in a session, R1's relevant writes are in R2's state."""
    out = []
    for r1, r2 in _pairs(trace, "read", "read"):
        missing = [w for w in _relevant(trace, r1) if w not in trace.state(r2)]
        if missing:
            out.append(Violation("MR", r1.session,
                                 f"{', '.join(missing)} seen at {r1.replica}, "
                                 f"missing at {r2.replica}"))
    return out


def _ordered_everywhere(trace: Trace, before: str, after: str) -> str | None:
    """The first replica that holds ``after`` without ``before`` ahead of it."""
    for replica, log in sorted(trace.logs.items()):
        if after in log and (before not in log or log.index(before) > log.index(after)):
            return replica
    return None


def monotonic_writes(trace: Trace) -> list[Violation]:
    """If W1 precedes W2 in a session, every replica with W2 applied W1 first."""
    out = []
    for w1, w2 in _pairs(trace, "write", "write"):
        bad = _ordered_everywhere(trace, w1.write or "", w2.write or "")
        if bad:
            out.append(Violation("MW", w1.session,
                                 f"{bad} applied {w2.write} without {w1.write} before it"))
    return out


def writes_follow_reads(trace: Trace) -> list[Violation]:
    """If R precedes W in a session, every replica with W applied R's relevant writes first."""
    out = []
    for r, w in _pairs(trace, "read", "write"):
        for dep in _relevant(trace, r):
            bad = _ordered_everywhere(trace, dep, w.write or "")
            if bad:
                out.append(Violation("WFR", r.session,
                                     f"{bad} applied {w.write} without {dep} before it"))
    return out
# [end checkers]


CHECKERS: dict[str, Callable[[Trace], list[Violation]]] = {
    "RYW": read_your_writes,
    "MR": monotonic_reads,
    "MW": monotonic_writes,
    "WFR": writes_follow_reads,
}


def check_all(trace: Trace) -> dict[str, list[Violation]]:
    """Validate the trace, then run all four checkers."""
    validate(trace)
    return {name: checker(trace) for name, checker in CHECKERS.items()}


# [start cluster]
class Cluster:
    """Replicas that accept reads and writes locally and exchange writes later.

    There is no coordination at all: a write is applied at the replica that
    receives it, and other replicas learn of it only through ``sync`` (which
    copies missing writes in the sender's order) or ``deliver`` (which
    applies chosen writes in any order, as a gossip layer with no ordering
    guarantee does). Every operation is recorded, annotated, in ``trace``.
    """

    def __init__(self, replicas: list[str]) -> None:
        self.trace = Trace(logs={name: [] for name in replicas})
        self._counts: dict[str, int] = {}
        self._keys: dict[str, str] = {}

    def write(self, session: str, key: str, replica: str) -> str:
        """Apply a new write at ``replica`` and return its id (``session:n``)."""
        self._counts[session] = self._counts.get(session, 0) + 1
        write = f"{session}:{self._counts[session]}"
        log = self.trace.logs[replica]
        self.trace.ops.append(SessionOp(session, "write", key, write, replica, len(log)))
        log.append(write)
        self._keys[write] = key
        return write

    def read(self, session: str, key: str, replica: str) -> str | None:
        """Return the id of the last write to ``key`` that ``replica`` applied."""
        log = self.trace.logs[replica]
        latest = [w for w in log if self._keys[w] == key]
        value = latest[-1] if latest else None
        self.trace.ops.append(SessionOp(session, "read", key, value, replica, len(log)))
        return value

    def sync(self, source: str, target: str) -> None:
        """Anti-entropy: ``target`` applies what it lacks, in ``source``'s order."""
        have = set(self.trace.logs[target])
        self.trace.logs[target] += [w for w in self.trace.logs[source] if w not in have]

    def deliver(self, target: str, *writes: str) -> None:
        """Gossip without ordering: ``target`` applies the given writes in this order."""
        self.trace.logs[target] += [w for w in writes if w not in self.trace.logs[target]]
# [end cluster]


# [start scenarios]
def scenarios() -> dict[str, Trace]:
    """One anomaly per guarantee, then a run that avoids them all."""
    out: dict[str, Trace] = {}

    c = Cluster(["R1", "R2"])            # Ann posts at R1, her refresh lands on R2.
    c.write("ann", "profile", "R1")
    c.read("ann", "profile", "R2")
    out["Ann cannot see her own update"] = c.trace

    c = Cluster(["R1", "R2"])            # Bob sees a comment at R1, then not at R2.
    c.write("cat", "thread", "R1")
    c.read("bob", "thread", "R1")
    c.read("bob", "thread", "R2")
    out["Bob's comment disappears on refresh"] = c.trace

    c = Cluster(["R1", "R2", "R3"])      # Dan edits twice; R3 gets the edits reversed.
    first = c.write("dan", "doc", "R1")
    c.sync("R1", "R2")
    second = c.write("dan", "doc", "R2")
    c.deliver("R3", second, first)
    c.read("eve", "doc", "R3")
    out["Dan's older edit overwrites his newer one"] = c.trace

    c = Cluster(["R1", "R2"])            # Fay replies to Gus's post; R2 shows the reply alone.
    post = c.write("gus", "post", "R1")
    c.read("fay", "post", "R1")
    reply = c.write("fay", "reply", "R1")
    c.deliver("R2", reply)
    c.read("hal", "reply", "R2")
    c.read("hal", "post", "R2")
    c.deliver("R2", post)
    out["Fay's reply appears without the post"] = c.trace

    c = Cluster(["R1", "R2"])            # The same people, each pinned to one replica,
    c.write("ann", "profile", "R1")      # with replication that preserves order.
    c.read("ann", "profile", "R1")
    c.write("dan", "doc", "R2")
    c.write("dan", "doc", "R2")
    c.sync("R1", "R2")
    c.read("bob", "profile", "R2")
    c.read("bob", "doc", "R2")
    c.write("bob", "reply", "R2")
    c.sync("R2", "R1")
    c.read("bob", "reply", "R2")
    out["sticky sessions, ordered anti-entropy"] = c.trace
    return out
# [end scenarios]


# [start observed]
def observed_session_anomalies(history: History) -> list[str]:
    """What a client-only register history proves about RYW and MR.

    Without replica annotations the checker cannot see replica state, but
    one inference is sound: the initial value ⊥ precedes every write, so a
    session that wrote, or read a written value, and later reads ⊥ was served
    from a state missing a write it had written (RYW) or seen (MR). Other
    stale reads are invisible here; they need the annotated trace.
    """
    out = []
    for process in sorted({op.process for op in history}):
        wrote = saw = None
        for op in sorted((op for op in history if op.process == process),
                         key=lambda op: op.invoke):
            if op.kind == "write":
                wrote = op
            elif op.value is None and wrote is not None:
                out.append(f"RYW: {process} wrote {wrote.value}, then read ⊥ "
                           f"at [{op.invoke}, {op.response}]")
            elif op.value is None and saw is not None:
                out.append(f"MR: {process} read {saw.value}, then read ⊥ "
                           f"at [{op.invoke}, {op.response}]")
            if op.kind == "read" and op.value is not None:
                saw = op
    return out
# [end observed]


def main(argv: list[str] | None = None) -> int:
    """Check every scenario and Module 1's history; print one line per finding."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-trace", metavar="NAME", help="print one scenario's trace")
    args = parser.parse_args(argv)
    traces = scenarios()
    if args.show_trace:
        trace = traces[args.show_trace]
        for op in trace.ops:
            print(f"{op.session:>4} {op.kind:<5} {op.key:<8} {op.write or '⊥':<7} "
                  f"at {op.replica}, state {trace.state(op)}")
        print("logs: " + "; ".join(f"{r}={log}" for r, log in sorted(trace.logs.items())))
        return 0
    for name, trace in traces.items():
        found = check_all(trace)
        verdicts = "  ".join(f"{g} {'ok' if not v else 'VIOLATED'}" for g, v in found.items())
        print(f"== {name}\n   {verdicts}")
        for violations in found.values():
            for v in violations:
                print(f"   {v.guarantee} ({v.session}): {v.detail}")
    history = module1_history()
    if history is None:
        print("== Module 1 history: dsd_labs.fundamentals.partitioned_register "
              "is not installed")
    else:
        anomalies = observed_session_anomalies(history)
        print(f"== Module 1 partitioned register, client view: "
              f"{len(anomalies) or 'no'} provable RYW/MR violations")
        for line in anomalies:
            print(f"   {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
