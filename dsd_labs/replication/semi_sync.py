"""Semi-synchronous replication: what a source crash loses at each wait point.

A model of MySQL's replication commit path. The source writes each
transaction to its binary log and syncs it; the binary log streams, in
order, to two replicas, which acknowledge a transaction once it is in their
relay log on disk. The modes differ in when the transaction becomes visible
to other sessions (committed in the storage engine) and when the committing
client hears "OK":

* ``async``: committed and acknowledged at once; replicas catch up later;
* ``AFTER_COMMIT``: committed at once, acknowledged after one replica's ack;
* ``AFTER_SYNC``: committed and acknowledged after one replica's ack.

The source crashes at a random instant and a replica is promoted. For every
crash the lab counts transactions the client was told had committed and the
new source lacks (lost acknowledged writes), transactions other sessions
could read and the new source lacks (phantom reads), and transactions in
the old source's binary log that the new source lacks (which the old source
must discard before it can rejoin). A second part plays the timeout: a
replica that stops acknowledging for longer than
``rpl_semi_sync_source_timeout`` turns semi-synchronous into asynchronous
replication until it catches up.

Time is simulated in milliseconds; nothing reads the wall clock.

Run: ``python -m dsd_labs.replication.semi_sync --seed 2``
"""

from __future__ import annotations

import argparse
import random
from bisect import bisect_left
from dataclasses import dataclass

MODES = ("async", "AFTER_COMMIT", "AFTER_SYNC")


@dataclass(frozen=True)
class Txn:
    """One transaction's timeline on the source and on each replica."""

    synced: float              # in the source's binary log, on disk
    received: tuple[float, ...]  # in each replica's relay log, on disk
    ack: float                 # the first replica acknowledgment reaches the source


def timeline(rng: random.Random, count: int, interval: float) -> list[Txn]:
    """``count`` transactions, one every ``interval`` ms, streamed in order to two replicas.

    One-way network delay is uniform in 0.1–0.5 ms and a relay-log flush in
    0.05–0.5 ms; each replica receives transactions in binary-log order.
    """
    last = [0.0, 0.0]
    txns = []
    for i in range(count):
        synced = i * interval
        received = []
        for r in range(2):
            last[r] = max(last[r], synced + rng.uniform(0.1, 0.5) + rng.uniform(0.05, 0.5))
            received.append(last[r])
        ack = min(t + rng.uniform(0.1, 0.5) for t in received)
        txns.append(Txn(synced, tuple(received), ack))
    return txns


# [start semisync visibility]
def visible_at(txn: Txn, mode: str) -> float:
    """When other sessions can read the transaction on the source."""
    return txn.ack if mode == "AFTER_SYNC" else txn.synced


def acknowledged_at(txn: Txn, mode: str) -> float:
    """When the committing client is told the transaction committed."""
    return txn.synced if mode == "async" else txn.ack
# [end semisync visibility]


@dataclass
class CrashTally:
    """Totals over many crashes for one mode and one promotion rule."""

    acked_lost: int = 0
    seen_lost: int = 0
    log_only: int = 0


def crash(txns: list[Txn], at: float, mode: str, promote: str, tally: CrashTally) -> None:
    """The source crashes at ``at``; promote a replica and count what is missing.

    ``promote="most-advanced"`` picks the replica with the longest relay
    log, which has every acknowledged transaction; ``"fixed"`` always picks
    replica 2, as a failover script with a preferred zone might.
    """
    in_log = bisect_left([t.synced for t in txns], at)
    held = [bisect_left([t.received[r] for t in txns[:in_log]], at) for r in range(2)]
    new_source = max(held) if promote == "most-advanced" else held[1]
    for txn in txns[new_source:in_log]:
        tally.log_only += 1
        tally.seen_lost += visible_at(txn, mode) < at
        tally.acked_lost += acknowledged_at(txn, mode) < at


def crash_experiment(rng: random.Random, crashes: int, mode: str, promote: str,
                     interval: float = 0.5) -> CrashTally:
    """Crash the source at a uniform instant in each of ``crashes`` independent runs."""
    tally = CrashTally()
    for _ in range(crashes):
        txns = timeline(rng, 160, interval)
        crash(txns, rng.uniform(20.0, 75.0), mode, promote, tally)
    return tally


@dataclass(frozen=True)
class TimeoutStory:
    """What a replica stall does under one timeout setting."""

    blocked_ms: float
    acked_lost: int
    unanswered: int


# [start semisync timeout]
def timeout_story(timeout_ms: float, stall_at: float = 1000.0, crash_at: float = 16000.0,
                  sessions: int = 200, rate_per_ms: float = 2.0) -> TimeoutStory:
    """The only replica stops acknowledging at ``stall_at``; the source crashes later.

    Commits wait for an ack. Within one ack-less window all ``sessions``
    block; when ``timeout_ms`` expires the source reverts to asynchronous
    replication, every waiting commit returns OK, and later commits return
    at once at ``rate_per_ms``. None of them reaches the stalled replica, so
    each acknowledged one is lost when the replica is promoted.
    """
    switch = stall_at + timeout_ms
    if switch >= crash_at:  # never reverted: clients were still waiting at the crash
        return TimeoutStory(crash_at - stall_at, 0, sessions)
    acked_async = int((crash_at - switch) * rate_per_ms)
    return TimeoutStory(timeout_ms, sessions + acked_async, 0)
# [end semisync timeout]


def main(argv: list[str] | None = None) -> int:
    """Crash the source under each wait point, then play the timeout fallback."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--crashes", type=int, default=1000)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    print(f"1. The source crashes {args.crashes} times at 2,000 commits/s; two replicas,"
          "\n   one acknowledgment awaited; totals over all crashes")
    print("   mode          promote        acked and lost  seen and lost  only in old log")
    labels = {"most-advanced": "longest log", "fixed": "replica 2"}
    for mode in MODES:
        for promote, label in labels.items():
            if mode == "async" and promote == "fixed":
                continue
            t = crash_experiment(rng, args.crashes, mode, promote)
            print(f"   {mode:<13} {label:<14} {t.acked_lost:>14} {t.seen_lost:>14}"
                  f" {t.log_only:>16}")

    print("\n2. The only replica stops acknowledging at 1 s; the source crashes at 16 s")
    print("   (200 client sessions, 2,000 commits/s when commits return at once)")
    print("   rpl_semi_sync_source_timeout  commits blocked  acked and lost  unanswered")
    for timeout in (10_000.0, 1_000.0, 60_000.0):
        s = timeout_story(timeout)
        print(f"   {int(timeout):>23} ms  {s.blocked_ms / 1000:>12.0f} s"
              f"  {s.acked_lost:>14}  {s.unanswered:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
