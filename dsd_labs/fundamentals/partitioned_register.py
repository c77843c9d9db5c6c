"""A two-replica register under partition: what choosing A costs, and what choosing C costs.

Two replicas, R1 and R2, hold one register. Client ``alice`` reaches only R1
and client ``bob`` only R2, so when the link between the replicas fails each
client is cut off with its own replica. The same script of operations runs
against two designs:

- ``available``: every replica answers from its own copy at once and ships
  writes to its peer in the background, retrying until the link carries them
  (the choice of availability). Under partition, bob reads a value that alice
  overwrote before his read began: a stale read, which makes the history not
  linearizable.
- ``consistent``: every operation needs both replicas (a majority of two is
  two), so under partition no operation on either side can finish; each one
  fails after a timeout (the choice of consistency). Without a partition each
  operation pays a round trip to the peer.

The history of the ``available`` run uses the shared
:class:`dsd_labs.consistency.history.Operation` record, so Module 2's
linearizability checker can judge it: see :func:`availability_scenario_history`.

Run: ``python -m dsd_labs.fundamentals.partitioned_register``
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Literal

from dsd_labs.consistency.history import History, Operation

Mode = Literal["available", "consistent"]
HOME = {"alice": "R1", "bob": "R2"}


@dataclass(frozen=True)
class Step:
    """One client request in the script: who, what, and when it is invoked."""

    at: int
    process: str
    kind: Literal["read", "write"]
    value: int | None = None


# [start script]
SCRIPT: list[Step] = [
    Step(0, "alice", "write", 1),
    Step(4, "bob", "read"),
    Step(12, "alice", "write", 2),  # the link is down from 10 to 30
    Step(16, "bob", "read"),
    Step(20, "alice", "read"),
    Step(40, "bob", "read"),
]
PARTITION = (10, 30)  # the replica link is down for ticks 10 <= t < 30
# [end script]


@dataclass(frozen=True)
class Outcome:
    """What the client saw: a completed operation, or a failure after a timeout."""

    step: Step
    replica: str
    ok: bool
    value: int | None
    response: int


@dataclass
class Link:
    """The link between the two replicas: a fixed delay, down during the partition."""

    delay: int
    down: tuple[int, int]

    def up(self, t: int) -> bool:
        return not self.down[0] <= t < self.down[1]

    def carries(self, start: int, end: int) -> bool:
        """True if the link stays up for the whole interval [start, end]."""
        return all(self.up(t) for t in range(start, end + 1))

    def first_delivery(self, sent: int) -> int:
        """When a message sent at ``sent`` arrives if the sender retries until it does."""
        t = sent + self.delay
        while not self.carries(t - self.delay, t):
            t += 1
        return t


@dataclass
class Replica:
    """One copy of the register, versioned so that replicas converge to one value."""

    name: str
    value: int | None = None
    version: tuple[int, str] = (0, "")
    inbox: list[tuple[int, int, tuple[int, str]]] = field(default_factory=list)

    def apply(self, value: int, version: tuple[int, str]) -> None:
        """Keep the update with the highest version (counter, then replica name)."""
        if version > self.version:
            self.value, self.version = value, version

    def deliver_until(self, t: int) -> None:
        """Apply every replicated update that has arrived by tick ``t``."""
        for arrival, value, version in sorted(self.inbox):
            if arrival <= t:
                self.apply(value, version)
        self.inbox = [m for m in self.inbox if m[0] > t]


# [start simulate]
def simulate(mode: Mode, delay: int = 2, timeout: int = 8,
             script: list[Step] | None = None,
             partition: tuple[int, int] = PARTITION) -> list[Outcome]:
    """Run the script against one design and return what each client observed.

    A local step costs 1 tick. In ``available`` mode a replica answers at
    ``t + 1`` and queues the write for its peer, which receives it ``delay``
    ticks after the link can first carry it. In ``consistent`` mode a replica
    must hear from its peer: the answer comes at ``t + 1 + 2 * delay`` if the
    link carries the round trip, otherwise the client gets an error at
    ``t + timeout`` and the write is not applied anywhere.
    """
    link = Link(delay, partition)
    replicas = {name: Replica(name) for name in ("R1", "R2")}
    outcomes = []
    for step in sorted(script or SCRIPT, key=lambda s: s.at):
        home = replicas[HOME[step.process]]
        peer = replicas["R2" if home.name == "R1" else "R1"]
        for r in replicas.values():
            r.deliver_until(step.at)
        if mode == "available":
            if step.kind == "write":
                assert step.value is not None
                version = (home.version[0] + 1, home.name)
                home.apply(step.value, version)
                arrival = link.first_delivery(step.at + 1)
                peer.inbox.append((arrival, step.value, version))
            outcomes.append(Outcome(step, home.name, True, home.value, step.at + 1))
            continue
        done = step.at + 1 + 2 * delay
        if not link.carries(step.at, done):
            outcomes.append(Outcome(step, home.name, False, None, step.at + timeout))
            continue
        if step.kind == "write":
            assert step.value is not None
            version = (home.version[0] + 1, home.name)
            home.apply(step.value, version)
            peer.apply(step.value, version)
        outcomes.append(Outcome(step, home.name, True, home.value, done))
    return outcomes
# [end simulate]


def to_history(outcomes: list[Outcome]) -> History:
    """The completed operations as the shared history record (failures omitted).

    A failed operation in ``consistent`` mode had no effect on any replica, so
    leaving it out of the history loses nothing a checker needs.
    """
    return [Operation(o.step.process, o.step.kind,
                      o.step.value if o.step.kind == "write" else o.value,
                      o.step.at, o.response)
            for o in outcomes if o.ok]


# [start history]
def availability_scenario_history() -> list[Operation]:
    """The history of the ``available`` design on the fixed script (deterministic).

    It contains a stale read: bob's read at R2 during the partition returns 1
    although alice's write of 2 completed before that read began.
    """
    return to_history(simulate("available"))
# [end history]


# [start stale]
def stale_reads(history: History) -> list[tuple[Operation, Operation]]:
    """Pairs (read, newer write) that prove a read returned an overwritten value.

    A read is provably stale if some write completed before the read began and
    that write itself began after the write the read returned had completed (or
    the read returned the initial value ⊥). Written values must be distinct.
    Any such pair rules out linearizability; the converse needs a full checker.
    """
    writes = {op.value: op for op in history if op.kind == "write"}
    found = []
    for read in (op for op in history if op.kind == "read"):
        source = writes.get(read.value) if read.value is not None else None
        for newer in writes.values():
            if newer.precedes(read) and (source is None or source.precedes(newer)):
                found.append((read, newer))
                break
    return found
# [end stale]


def show(v: int | None) -> str:
    return "⊥" if v is None else str(v)


def main(argv: list[str] | None = None) -> int:
    """Run both designs on the script and print each client's view side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=int, default=2, help="one-way replica link delay, ticks")
    parser.add_argument("--timeout", type=int, default=8, help="client timeout, ticks")
    args = parser.parse_args(argv)
    if args.delay < 1 or args.timeout <= 1 + 2 * args.delay:
        parser.error("need delay >= 1 and timeout > 1 + 2 * delay")
    print(f"link delay {args.delay} ticks, client timeout {args.timeout} ticks, "
          f"partition during ticks [{PARTITION[0]}, {PARTITION[1]})")
    for mode in ("available", "consistent"):
        outcomes = simulate(mode, args.delay, args.timeout)
        print(f"== {mode}")
        for o in outcomes:
            what = (f"w({o.step.value})" if o.step.kind == "write" else "r()")
            result = ("ok" if o.step.kind == "write" else f"→ {show(o.value)}") if o.ok \
                else "ERROR unavailable"
            print(f"   {o.step.process:<5} {what:<5} at {o.replica} "
                  f"[{o.step.at:2d}, {o.response:2d}]  {result}")
        history = to_history(outcomes)
        failed = sum(not o.ok for o in outcomes)
        stale = stale_reads(history)
        healthy = [o.response - o.step.at for o in outcomes
                   if o.ok and o.step.at < PARTITION[0]]
        print(f"   failed: {failed}, provably stale reads: {len(stale)}, "
              f"latency without partition: {max(healthy)} ticks")
        for read, newer in stale:
            print(f"   stale: {read.process} read {show(read.value)} at "
                  f"[{read.invoke}, {read.response}] after w({newer.value}) "
                  f"finished at {newer.response}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
