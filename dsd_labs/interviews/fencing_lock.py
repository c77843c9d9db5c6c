"""A lease-based lock service, a client that pauses, and the fencing rule that makes it safe.

The lock service grants a lease of fixed length and a token that grows with
every grant. Each client increments a shared counter under the lock: read,
compute, check that its lease is still valid, write. A pause (a garbage
collection, a stalled VM) that falls between the lease check and the write
lets the lease expire and another client take the lock, so two clients act
on the counter at once. Three storage rules are compared:

* ``none``: the storage accepts every request, so increments are lost;
* ``writes``: the storage rejects a write whose token is lower than the
  highest it has seen on a write, which stops a late write from overwriting
  a newer one but not a late write landing between the new holder's read
  and its write;
* ``all``: the storage remembers the highest token seen on any request,
  reads included, and rejects anything lower, so no increment is lost.

Time is simulated in integer milliseconds with a seeded generator; nothing
reads the wall clock.
"""

from __future__ import annotations

import argparse
import heapq
import random
from dataclasses import dataclass, field

MODES = ("none", "writes", "all")


# [start lock-service]
@dataclass
class LockService:
    """One lock; a grant is a lease until ``expires`` and a token larger than every earlier one."""

    lease_ms: int
    holder: int | None = None
    token: int = 0
    expires: int = 0

    def acquire(self, client: int, now: int) -> int | None:
        if self.holder is not None and now < self.expires:
            return None
        self.token += 1
        self.holder, self.expires = client, now + self.lease_ms
        return self.token

    def release(self, token: int) -> None:
        if token == self.token:
            self.holder = None
# [end lock-service]


# [start storage]
@dataclass
class Storage:
    """A counter behind a fencing rule: ``none``, ``writes`` or ``all`` (see module docstring)."""

    mode: str
    value: int = 0
    highest: int = 0
    rejected: int = 0

    def _admit(self, token: int, is_write: bool) -> bool:
        if self.mode == "none" or (self.mode == "writes" and not is_write):
            return True
        if token < self.highest:
            self.rejected += 1
            return False
        self.highest = token
        return True

    def read(self, token: int) -> int | None:
        return self.value if self._admit(token, is_write=False) else None

    def write(self, token: int, value: int) -> bool:
        if not self._admit(token, is_write=True):
            return False
        self.value = value
        return True
# [end storage]


@dataclass
class Timing:
    """Delays of one client's critical section, in ms."""

    lease_ms: int = 10_000
    network_ms: int = 5
    work_ms: tuple[int, int] = (50, 400)
    retry_ms: int = 200
    pause_chance: float = 0.05
    pause_ms: tuple[int, int] = (5_000, 20_000)


@dataclass
class Run:
    """What a simulation produced: increments the clients believe they made, and the counter."""

    acknowledged: int = 0
    final_value: int = 0
    rejected: int = 0
    trace: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.acknowledged - self.final_value


class Simulation:
    """Clients that each perform ``increments`` read-modify-write steps under the lock."""

    def __init__(self, mode: str, clients: int, increments: int, timing: Timing,
                 rng: random.Random) -> None:
        self.lock, self.store = LockService(timing.lease_ms), Storage(mode)
        self.timing, self.rng, self.result = timing, rng, Run()
        self.left = dict.fromkeys(range(clients), increments)
        self.events: list[tuple[int, int, int, str, tuple[int, ...]]] = []
        self.seq = 0
        for client in range(clients):
            self.at(rng.randrange(0, 50), client, "acquire")

    def at(self, time: int, client: int, step: str, *args: int) -> None:
        self.seq += 1
        heapq.heappush(self.events, (time, self.seq, client, step, args))

    def run(self) -> Run:
        while self.events:
            now, _, client, step, args = heapq.heappop(self.events)
            getattr(self, "_" + step)(now, client, *args)
        self.result.final_value, self.result.rejected = self.store.value, self.store.rejected
        return self.result

    def _acquire(self, now: int, client: int) -> None:
        token = self.lock.acquire(client, now)
        if token is None:
            self.at(now + self.timing.retry_ms + self.rng.randrange(50), client, "acquire")
            return
        self.at(now + self.timing.network_ms, client, "read", token, now + self.timing.lease_ms)

    def _read(self, now: int, client: int, token: int, lease_end: int) -> None:
        value = self.store.read(token)
        if value is None:
            self.at(now, client, "done", token, 0)
            return
        work = self.rng.randint(*self.timing.work_ms)
        self.at(now + work, client, "check", token, lease_end, value)

    def _check(self, now: int, client: int, token: int, lease_end: int, value: int) -> None:
        if now >= lease_end:  # the client sees its lease has lapsed and gives up this attempt
            self.at(now, client, "done", token, 0)
            return
        pause = 0
        if self.rng.random() < self.timing.pause_chance:
            pause = self.rng.randint(*self.timing.pause_ms)
        self.at(now + pause + self.timing.network_ms, client, "write", token, value + 1)

    def _write(self, now: int, client: int, token: int, value: int) -> None:
        accepted = self.store.write(token, value)
        self.result.acknowledged += accepted
        self.at(now, client, "done", token, int(accepted))

    def _done(self, now: int, client: int, token: int, succeeded: int) -> None:
        self.lock.release(token)
        self.left[client] -= succeeded
        if self.left[client] > 0:
            self.at(now + self.timing.network_ms, client, "acquire")


# Two orders of the same events. Each step: (time label, client, action, token).
STORIES = {
    "A's write arrives after B's write (the Module 1 story)": [
        ("0 s", "A", "read", 1), ("10 s", "B", "read", 2),
        ("10.3 s", "B", "write", 2), ("15 s", "A", "write", 1)],
    "A's write lands between B's read and B's write": [
        ("0 s", "A", "read", 1), ("10 s", "B", "read", 2),
        ("10.2 s", "A", "write", 1), ("10.3 s", "B", "write", 2)],
}


def play(mode: str, steps: list[tuple[str, str, str, int]]) -> tuple[dict[str, str], int]:
    """Run a scripted order against one fencing rule: each write's fate and the final counter."""
    store, seen, fate = Storage(mode), {}, {}
    for _time, client, action, token in steps:
        if action == "read":
            seen[client] = store.read(token)
        elif seen[client] is not None:
            accepted = store.write(token, seen[client] + 1)
            fate[client] = "accepted" if accepted else "rejected"
        else:
            fate[client] = "read rejected"
    return fate, store.value


def story_lines(title: str, steps: list[tuple[str, str, str, int]]) -> list[str]:
    """The events of one scripted order, then what each fencing rule made of it."""
    lines = [title]
    for time, client, action, token in steps:
        lines.append(f"  t={time:<7} {client} {action}s with token {token}")
    for mode in MODES:
        fate, value = play(mode, steps)
        acknowledged = sum(f == "accepted" for f in fate.values())
        lines.append(f"  {mode:<7} A {fate['A']}, B {fate['B']}: "
                     f"{acknowledged} acknowledged, counter {value}")
    return lines


def trials(mode: str, seeds: range, clients: int, increments: int, timing: Timing) -> Run:
    """Sum of many simulations of the same configuration."""
    total = Run()
    for seed in seeds:
        run = Simulation(mode, clients, increments, timing, random.Random(seed)).run()
        total.acknowledged += run.acknowledged
        total.final_value += run.final_value
        total.rejected += run.rejected
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="first seed of the random trials")
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--increments", type=int, default=20, help="increments per client")
    parser.add_argument("--pause-chance", type=float, default=0.05)
    args = parser.parse_args(argv)
    print("Lease 10 s. A takes token 1 at t=0, reads the counter (0), checks its lease and")
    print("pauses. At t=10 s the lease has expired and B takes token 2.\n")
    for title, steps in STORIES.items():
        print("\n".join(story_lines(title, steps)) + "\n")
    timing = Timing(pause_chance=args.pause_chance)
    print(f"Random trials: {args.trials} runs of {args.clients} clients × {args.increments} "
          f"increments (seeds from {args.seed})")
    print(f"lease {timing.lease_ms // 1000} s, pause chance {args.pause_chance:g} per write, "
          f"pauses {timing.pause_ms[0] // 1000}–{timing.pause_ms[1] // 1000} s")
    print(f"  {'fencing rule':<14}{'acknowledged':>13}{'counter':>9}{'lost':>7}{'rejected':>10}")
    seeds = range(args.seed, args.seed + args.trials)
    for mode in MODES:
        run = trials(mode, seeds, args.clients, args.increments, timing)
        print(f"  {mode:<14}{run.acknowledged:>13}{run.final_value:>9}{run.lost:>7}"
              f"{run.rejected:>10}")


if __name__ == "__main__":
    main()
