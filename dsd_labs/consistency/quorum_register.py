"""A replicated register on read and write quorums, judged by the linearizability checker.

Three replicas hold one register. A single writer stamps each write with the
next integer tag and sends it to every replica; it returns once ``W``
replicas have acknowledged. A reader asks every replica, waits for ``R``
replies and takes the value with the highest tag. With ``write_back`` the
reader then sends that tag and value to every replica and waits for ``W``
acknowledgments before it returns, which is the read phase of Attiya,
Bar-Noy and Dolev's algorithm. Message delays are random (seeded), so every
run interleaves differently, and each run's client history goes to the
Module 2 checker.

The point of the lab: ``R + W > N`` makes every read see the last write that
*completed* before it began, but a read can still see a write that is in
flight while a later read does not (a new-old inversion). Only the
write-back removes that, and then every run is linearizable.

Run ``python -m dsd_labs.consistency.quorum_register``.
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
from dataclasses import dataclass, field

from dsd_labs.consistency.history import History, Operation, OpKind
from dsd_labs.consistency.linearizability import check, describe

REPLICAS = ("R1", "R2", "R3")


@dataclass(frozen=True)
class Config:
    """Quorum sizes and whether reads write back what they return."""

    r: int
    w: int
    write_back: bool

    def label(self) -> str:
        back = "with write-back" if self.write_back else "no write-back"
        return f"N=3 R={self.r} W={self.w} {back}"


@dataclass
class _Client:
    """A client's current operation: what it waits for and what it has heard."""

    name: str
    remaining: int
    kind: OpKind = "read"
    op: int = 0
    invoke: int = 0
    phase: str = ""
    tag: int = 0
    value: int | None = None
    replies: list[tuple[int, int | None]] = field(default_factory=list)


# [start simulate]
def simulate(config: Config, seed: int, readers: int = 3, ops_per_client: int = 6,
             max_delay: int = 4, slow_share: float = 0.1, slow_delay: int = 40) -> History:
    """Run one seeded execution and return the clients' history.

    Most messages take 1 to ``max_delay`` ticks; a ``slow_share`` of them
    (a retransmission, a paused process) take up to ``slow_delay``, which is
    what leaves a write on one replica while the others wait for it for a
    while. Replicas answer on arrival
    and keep the value with the highest tag they have seen. Messages that
    arrive after their operation has returned are still applied: a write
    keeps spreading after its writer has moved on.
    """
    rng = random.Random(seed)
    store = {name: (0, None) for name in REPLICAS}      # tag, value
    clients = {"w": _Client("w", ops_per_client)}
    for k in range(readers):
        clients[chr(ord("a") + k)] = _Client(chr(ord("a") + k), ops_per_client)
    events: list[tuple[int, int, str, tuple]] = []
    counter = 0
    history: History = []
    next_tag = 0

    def send(at: int, kind: str, payload: tuple) -> None:
        nonlocal counter
        counter += 1
        slow = rng.random() < slow_share
        delay = rng.randint(max_delay + 1, slow_delay) if slow else rng.randint(1, max_delay)
        heapq.heappush(events, (at + delay, counter, kind, payload))

    def start(client: _Client, now: int) -> None:
        nonlocal next_tag
        client.op += 1
        client.invoke, client.replies = now, []
        if client.name == "w":
            next_tag += 1
            client.kind, client.phase = "write", "store"
            client.tag, client.value = next_tag, next_tag
            for replica in REPLICAS:
                send(now, "store", (replica, client.name, client.op, client.tag,
                                    client.value))
        else:
            client.kind, client.phase = "read", "query"
            for replica in REPLICAS:
                send(now, "query", (replica, client.name, client.op))

    def finish(client: _Client, now: int) -> None:
        history.append(Operation(client.name, client.kind, client.value, client.invoke, now))
        client.remaining -= 1
        client.phase = ""
        if client.remaining:
            heapq.heappush(events, (now + rng.randint(1, 3), 0, "begin", (client.name,)))

    for name in clients:
        heapq.heappush(events, (rng.randint(0, 3), 0, "begin", (name,)))
    while events:
        now, _, kind, payload = heapq.heappop(events)
        if kind == "begin":
            start(clients[payload[0]], now)
        elif kind == "store":                       # at a replica
            replica, who, op, tag, value = payload
            if tag > store[replica][0]:
                store[replica] = (tag, value)
            send(now, "ack", (who, op, "store", tag, None))
        elif kind == "query":                       # at a replica
            replica, who, op = payload
            send(now, "reply", (who, op, "query", *store[replica]))
        else:                                       # at a client: count replies to
            client = clients[payload[0]]            # the current phase only
            if payload[1] != client.op or payload[2] != client.phase:
                continue
            client.replies.append((payload[3], payload[4]))
            if client.phase == "store" and len(client.replies) == config.w:
                finish(client, now)
            elif client.phase == "query" and len(client.replies) == config.r:
                client.tag, client.value = max(client.replies, key=lambda tv: tv[0])
                if not config.write_back:
                    finish(client, now)
                    continue
                client.phase, client.replies = "store", []
                for replica in REPLICAS:
                    send(now, "store", (replica, client.name, client.op, client.tag,
                                        client.value))
    return sorted(history, key=lambda op: (op.invoke, op.process))
# [end simulate]


# [start regular]
def reads_older_than_completed(history: History) -> list[Operation]:
    """Reads that returned a value older than a write that completed before them.

    With one writer, tags equal values, so "older" is a comparison of values
    (``None`` is the initial value, older than every write). A register with
    no such read, in which every read also returns an existing or concurrent
    write, is what Lamport called *regular*; linearizable ("atomic") registers
    additionally forbid new-old inversions between reads.
    """
    writes = [op for op in history if op.kind == "write"]
    out = []
    for read in (op for op in history if op.kind == "read"):
        done = [w.value for w in writes if w.precedes(read) and w.value is not None]
        if done and (read.value is None or read.value < max(done)):
            out.append(read)
    return out
# [end regular]


CONFIGS = (Config(1, 1, False), Config(2, 2, False), Config(2, 2, True))


def main(argv: list[str] | None = None) -> int:
    """Run every configuration over many seeds and report what the checker finds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="seed of the first run")
    parser.add_argument("--runs", type=int, default=200, help="runs per configuration")
    parser.add_argument("--slow-share", type=float, default=0.1,
                        help="share of messages that are slow (up to 40 ticks)")
    args = parser.parse_args(argv)
    seeds = range(args.seed, args.seed + args.runs)
    print(f"{args.runs} runs per configuration (seeds {seeds[0]}..{seeds[-1]}), "
          f"1 writer and 3 readers, 6 operations each;\n"
          f"messages take 1..4 ticks, or 5..40 ticks for {args.slow_share:.0%} of them")
    for config in CONFIGS:
        failing, stale, example = 0, 0, None
        for seed in seeds:
            history = simulate(config, seed, slow_share=args.slow_share)
            verdict = check(history)
            stale += bool(reads_older_than_completed(history))
            if not verdict.linearizable:
                failing += 1
                if example is None:
                    example = (seed, [history[i] for i in verdict.core])
        print(f"== {config.label()}: {failing} of {args.runs} runs not linearizable,\n"
              f"   {stale} with a read older than a completed write")
        if example is not None:
            seed, core = example
            print(f"   first failing run, seed {seed}, minimal failing sub-history:")
            for op in core:
                print(f"     {describe(op)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
