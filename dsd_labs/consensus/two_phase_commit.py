"""Two-phase commit with a coordinator that crashes: where participants block.

A coordinator ``C`` commits one transaction at participants ``P1..Pn``. Every
node is a state machine with a log that survives crashes; messages take a
fixed one-way latency and are never lost (only the coordinator fails), so
every delay you see comes from the protocol, not from the network.

The lab runs the same transaction under five scripts:

* ``ok``: no failure. Everyone commits after two round trips.
* ``crash-during-prepare``: PREPARE reaches only some participants before the
  coordinator crashes. A participant that never voted may abort on its own,
  and the prepared ones learn that from it: nobody blocks.
* ``crash-after-votes``: every participant voted yes and the coordinator
  crashes before it logs a decision. Every participant is prepared, none
  knows the outcome, and asking each other cannot help: all stay in doubt,
  holding their locks, until the coordinator recovers and (presumed abort)
  aborts. This is the blocking window.
* ``crash-mid-commit``: the coordinator logged COMMIT and reached one
  participant. The others learn the outcome from it.
* ``heuristic-abort``: as ``crash-mid-commit``, but prepared participants
  abort on timeout instead of waiting. Atomicity breaks: one participant
  committed, the others aborted.

Run: ``python -m dsd_labs.consensus.two_phase_commit --recover-ms 30000``
"""

from __future__ import annotations

import argparse
import heapq
from dataclasses import dataclass, field

SCRIPTS = ("ok", "crash-during-prepare", "crash-after-votes", "crash-mid-commit",
           "heuristic-abort")


@dataclass
class Participant:
    """One resource manager. ``state`` is what its durable log says."""

    name: str
    state: str = "working"  # working -> prepared -> committed | aborted
    prepared_at: int | None = None
    decided_at: int | None = None
    inquiries: int = 0


@dataclass
class Coordinator:
    """The transaction manager; ``log`` is its forced (durable) log."""

    log: list[str] = field(default_factory=list)
    votes: dict[str, bool] = field(default_factory=dict)
    up: bool = True


@dataclass
class Result:
    """What happened to each participant, for the report and the tests."""

    script: str
    outcomes: dict[str, str]
    in_doubt_ms: dict[str, int]
    inquiries: int
    finished_ms: int


class Simulation:
    """A discrete-event run of 2PC with presumed abort and cooperative termination."""

    def __init__(self, script: str, participants: int, latency_ms: int,
                 timeout_ms: int, recover_ms: int) -> None:
        self.script = script
        self.latency = latency_ms
        self.timeout = timeout_ms
        self.recover = recover_ms
        self.coord = Coordinator()
        self.parts = {f"P{i + 1}": Participant(f"P{i + 1}") for i in range(participants)}
        self.queue: list[tuple[int, int, str, str, str]] = []
        self.seq = 0
        self.now = 0

    def send(self, src: str, dst: str, kind: str, delay: int | None = None) -> None:
        """Queue a message; delivery order is (time, send order), so runs are repeatable."""
        self.seq += 1
        at = self.now + (self.latency if delay is None else delay)
        heapq.heappush(self.queue, (at, self.seq, src, dst, kind))

    # [start coordinator]
    def start(self) -> None:
        """Phase 1: ask every participant to prepare (the crash scripts cut this short)."""
        names = list(self.parts)
        if self.script == "crash-during-prepare":
            names = names[:-1]  # the crash happens before the last PREPARE leaves
        for name in names:
            self.send("C", name, "PREPARE")
        if self.script == "crash-during-prepare":
            self.crash_coordinator()

    def on_vote(self, src: str, yes: bool) -> None:
        """Collect votes; the decision point is the forced write of the decision."""
        self.coord.votes[src] = yes
        if len(self.coord.votes) < len(self.parts):
            return
        if self.script == "crash-after-votes":
            self.crash_coordinator()  # every vote is in, nothing is logged yet
            return
        decision = "COMMIT" if all(self.coord.votes.values()) else "ABORT"
        self.coord.log.append(decision)  # forced before any participant hears it
        targets = list(self.parts)
        if self.script in ("crash-mid-commit", "heuristic-abort"):
            targets = targets[:1]  # the crash interrupts phase 2 after one send
        for name in targets:
            self.send("C", name, decision)
        if len(targets) < len(self.parts):
            self.crash_coordinator()

    def crash_coordinator(self) -> None:
        """Stop the coordinator; it restarts at ``recover_ms`` and reads its log."""
        self.coord.up = False
        self.send("C", "C", "RECOVER", delay=self.recover - self.now)

    def on_recover(self) -> None:
        """Presumed abort: no COMMIT record in the log means the outcome is ABORT."""
        self.coord.up = True
        decision = "COMMIT" if "COMMIT" in self.coord.log else "ABORT"
        if decision == "ABORT" and "ABORT" not in self.coord.log:
            self.coord.log.append("ABORT")
        for name, part in self.parts.items():
            if part.state in ("working", "prepared"):
                self.send("C", name, decision)
    # [end coordinator]

    # [start participant]
    def on_prepare(self, part: Participant) -> None:
        """Vote yes: force a PREPARED record, keep the locks, give up the right to abort."""
        part.state = "prepared"
        part.prepared_at = self.now
        self.send(part.name, "C", "VOTE-YES")
        self.send(part.name, part.name, "TIMEOUT", delay=self.timeout)

    def on_work_timeout(self, part: Participant) -> None:
        """PREPARE never came: a participant that has not voted may abort alone."""
        if part.state == "working":
            self.decide(part, "aborted")

    def on_timeout(self, part: Participant) -> None:
        """Prepared and no decision yet: wait, and ask everyone who might know."""
        if part.state == "prepared":
            if self.script == "heuristic-abort":
                self.decide(part, "aborted")  # forbidden by the protocol
                return
            part.inquiries += 1  # cooperative termination: ask everyone
            for other in [*self.parts, "C"]:
                if other != part.name:
                    self.send(part.name, other, "WHAT-OUTCOME")
            self.send(part.name, part.name, "TIMEOUT", delay=self.timeout)

    def on_inquiry(self, part: Participant, asker: str) -> None:
        """Answer a peer: an outcome if known; a participant that never voted aborts first."""
        if part.state == "working":
            self.decide(part, "aborted")
        if part.state in ("committed", "aborted"):
            kind = "COMMIT" if part.state == "committed" else "ABORT"
            self.send(part.name, asker, kind)
        # a prepared participant knows nothing more than the asker: no reply helps
    # [end participant]

    def decide(self, part: Participant, state: str) -> None:
        """Apply the outcome once: release locks, record when the doubt ended."""
        if part.state in ("committed", "aborted"):
            return
        part.state = state
        part.decided_at = self.now

    def deliver(self, src: str, dst: str, kind: str) -> None:
        """Route one message to its handler; a crashed coordinator drops what it receives."""
        if dst == "C":
            if kind == "RECOVER":
                self.on_recover()
            elif self.coord.up and kind == "VOTE-YES":
                self.on_vote(src, True)
            elif self.coord.up and kind == "WHAT-OUTCOME" and self.coord.log:
                self.send("C", src, self.coord.log[-1])
            return
        part = self.parts[dst]
        if kind == "PREPARE":
            self.on_prepare(part)
        elif kind == "WORK-TIMEOUT":
            self.on_work_timeout(part)
        elif kind == "TIMEOUT":
            self.on_timeout(part)
        elif kind == "WHAT-OUTCOME":
            self.on_inquiry(part, src)
        elif kind in ("COMMIT", "ABORT"):
            self.decide(part, "committed" if kind == "COMMIT" else "aborted")

    def run(self) -> Result:
        """Run until every participant has decided and no message is left."""
        self.start()
        # a participant that never receives PREPARE still times out on its own work
        for part in self.parts.values():
            self.send(part.name, part.name, "WORK-TIMEOUT", delay=self.timeout)
        while self.queue:
            self.now, _, src, dst, kind = heapq.heappop(self.queue)
            self.deliver(src, dst, kind)
            if all(p.state in ("committed", "aborted") for p in self.parts.values()):
                break
        return Result(
            script=self.script,
            outcomes={n: p.state for n, p in self.parts.items()},
            in_doubt_ms={n: (p.decided_at or self.now) - p.prepared_at
                         for n, p in self.parts.items() if p.prepared_at is not None},
            inquiries=sum(p.inquiries for p in self.parts.values()),
            finished_ms=self.now,
        )


def simulate(script: str, participants: int = 3, latency_ms: int = 1,
             timeout_ms: int = 1000, recover_ms: int = 30_000) -> Result:
    """Run one script and return its result."""
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}")
    return Simulation(script, participants, latency_ms, timeout_ms, recover_ms).run()


def atomic(result: Result) -> bool:
    """All participants reached the same outcome."""
    return len(set(result.outcomes.values())) == 1


def main(argv: list[str] | None = None) -> int:
    """Run every script and print outcomes, in-doubt windows and whether atomicity held."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=3)
    parser.add_argument("--latency-ms", type=int, default=1)
    parser.add_argument("--timeout-ms", type=int, default=1000)
    parser.add_argument("--recover-ms", type=int, default=30_000)
    args = parser.parse_args(argv)
    print(f"{args.participants} participants; one-way delay {args.latency_ms} ms; "
          f"timeout {args.timeout_ms} ms")
    print(f"a crashed coordinator is back at {args.recover_ms} ms")
    for script in SCRIPTS:
        res = simulate(script, args.participants, args.latency_ms, args.timeout_ms,
                       args.recover_ms)
        outcome = " ".join(f"{n}={s}" for n, s in res.outcomes.items())
        doubt = " ".join(f"{n}={ms}" for n, ms in res.in_doubt_ms.items()) or "none"
        print(f"\n[{script}]")
        print(f"  outcome: {outcome}")
        print(f"  in doubt (ms, locks held): {doubt}")
        print(f"  inquiry rounds: {res.inquiries}; all decided at {res.finished_ms} ms; "
              f"atomic: {'yes' if atomic(res) else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
