"""Replication lag: the three anomalies it causes and the routing that prevents each.

A leader ships its log to two followers asynchronously. Each follower
applies the log in order, and applies write ``i`` at
``max(applied(i − 1), commit(i) + lag)``, with ``lag`` drawn from an
exponential distribution whose mean differs per follower: a nearby follower
that keeps up, and one in another zone that falls behind. Three seeded
experiments follow, each with the routing that breaks a guarantee and the
routing that restores it:

* read-your-writes: a user saves a profile and reads it back;
* monotonic reads: a user reads a key twice while another user updates it;
* consistent prefix: a question on one partition, its answer on another.

Time is simulated in milliseconds; nothing reads the wall clock.

Run: ``python -m dsd_labs.replication.replication_lag --seed 1``
"""

from __future__ import annotations

import argparse
import random
from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Follower:
    """A follower's apply times: ``applied[i]`` is when write ``i + 1`` became visible."""

    applied: list[float]

    def position(self, t: float) -> int:
        """The log position (number of writes applied) visible at time ``t``."""
        return bisect_right(self.applied, t)

    def caught_up_at(self, lsn: int) -> float:
        """When the follower applied write ``lsn``."""
        return self.applied[lsn - 1]


def ship(rng: random.Random, commits: list[float], mean_lag: float) -> Follower:
    """Apply ``commits`` in order, each after its own exponential lag."""
    applied: list[float] = []
    last = 0.0
    for t in commits:
        last = max(last, t + rng.expovariate(1 / mean_lag))
        applied.append(last)
    return Follower(applied)


def stale_expectation(mean_lags: list[float], mean_think: float) -> float:
    """P(a random follower lacks the write when the read arrives), one write, no queue.

    For an exponential lag ``L`` and pause ``T``, ``P(L > T) = m_L / (m_L + m_T)``.
    """
    return sum(m / (m + mean_think) for m in mean_lags) / len(mean_lags)


@dataclass
class RywTally:
    """Outcomes of one routing policy for read-your-writes."""

    stale: int = 0
    to_leader: int = 0
    waited: int = 0
    wait_ms: float = 0.0


# [start ryw routing]
def read_own_write(rng: random.Random, followers: list[Follower], write_lsn: int,
                   read_at: float, policy: str, tally: RywTally,
                   leader_window: float = 1000.0, max_wait: float = 20.0) -> None:
    """Route the writer's read of its own write, and record what it saw.

    ``random``: any follower. ``leader-window``: the leader for
    ``leader_window`` ms after the user's last write. ``lsn``: the client
    sends the log position of its write; a follower that has not applied it
    waits up to ``max_wait`` ms, and past that the read goes to the leader.
    """
    if policy == "leader-window" and read_at < leader_window:
        tally.to_leader += 1
        return
    follower = rng.choice(followers)
    if policy == "lsn" and follower.position(read_at) < write_lsn:
        wait = follower.caught_up_at(write_lsn) - read_at
        if wait > max_wait:
            tally.to_leader += 1
            return
        tally.waited += 1
        tally.wait_ms += wait
        read_at = follower.caught_up_at(write_lsn)
    if follower.position(read_at) < write_lsn:
        tally.stale += 1
# [end ryw routing]


def ryw_experiment(rng: random.Random, trials: int, mean_lags: list[float],
                   mean_think: float, policy: str) -> RywTally:
    """One write at time 0, one read after an exponential pause, per trial."""
    tally = RywTally()
    for _ in range(trials):
        followers = [ship(rng, [0.0], m) for m in mean_lags]
        read_own_write(rng, followers, 1, rng.expovariate(1 / mean_think), policy, tally)
    return tally


def monotonic_experiment(rng: random.Random, trials: int, mean_lags: list[float],
                         sticky: bool, interval: float = 10.0, mean_gap: float = 20.0) -> int:
    """Count readers whose second read returns an older version than their first.

    Another user writes the key every ``interval`` ms for 1 s. The reader
    reads at a random time in the second half and again after an exponential
    gap. A sticky reader uses one follower for both reads.
    """
    commits = [interval * i for i in range(int(1000 / interval))]
    backwards = 0
    for _ in range(trials):
        followers = [ship(rng, commits, m) for m in mean_lags]
        t1 = rng.uniform(500.0, 900.0)
        t2 = t1 + rng.expovariate(1 / mean_gap)
        first = rng.choice(followers)
        second = first if sticky else rng.choice(followers)
        if second.position(t2) < first.position(t1):
            backwards += 1
    return backwards


def prefix_experiment(rng: random.Random, trials: int, mean_lag: float, layout: str,
                      mean_reaction: float = 20.0) -> int:
    """Count observers who see the answer but not the question.

    The question is committed at time 0 on partition P1; the answerer reads
    it from P1's leader and commits the answer ``reaction`` ms later on P2
    (``separate``) or on P1 (``same``). An observer reads both from
    followers at a uniform time in the first 300 ms. With ``dependency``, the
    answer carries the question's P1 log position, and the observer shows
    the answer only if its P1 follower has applied that position.
    """
    anomalies = 0
    for _ in range(trials):
        reaction = rng.expovariate(1 / mean_reaction)
        observe = rng.uniform(0.0, 300.0)
        if layout == "same":
            log = ship(rng, [0.0, reaction], mean_lag)
            question, answer = log.position(observe) >= 1, log.position(observe) >= 2
        else:
            p1 = ship(rng, [0.0], mean_lag)
            p2 = ship(rng, [reaction], mean_lag)
            question, answer = p1.position(observe) >= 1, p2.position(observe) >= 1
            if layout == "dependency" and not question:
                answer = False  # the answer's dependency (P1 position 1) is not visible yet
        if answer and not question:
            anomalies += 1
    return anomalies


def main(argv: list[str] | None = None) -> int:
    """Run the three anomalies with the routing that causes and the routing that cures each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--lags", default="5,50", help="mean lag of each follower, ms")
    parser.add_argument("--think-ms", type=float, default=100.0,
                        help="mean pause between a write and the writer's read")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    lags = [float(x) for x in args.lags.split(",")]
    n = args.trials
    print(f"Seed {args.seed}, {n} trials per row; followers' mean lags "
          + ", ".join(f"F{i + 1} = {m:g} ms" for i, m in enumerate(lags)))

    print(f"\n1. Read-your-writes: a user writes, then reads after a pause"
          f" (mean {args.think_ms:g} ms)")
    print("   routing                          stale  to leader  waited (mean wait)")
    labels = {"random": "random follower", "leader-window": "leader for 1 s after a write",
              "lsn": "follower with the write's LSN"}
    for policy, label in labels.items():
        t = ryw_experiment(rng, n, lags, args.think_ms, policy)
        waited = (f"{100 * t.waited / n:5.1f}% ({t.wait_ms / t.waited:.1f} ms)"
                  if t.waited else "    -")
        print(f"   {label:<31} {100 * t.stale / n:5.1f}%  {100 * t.to_leader / n:8.1f}%  {waited}")
    print(f"   expected stale for a random follower:"
          f" {100 * stale_expectation(lags, args.think_ms):.1f}%")

    print("\n2. Monotonic reads: another user writes every 10 ms; a user reads twice,")
    print("   20 ms apart on average")
    for sticky in (False, True):
        back = monotonic_experiment(rng, n, lags, sticky)
        label = "sticky follower (hash of user)" if sticky else "random follower"
        print(f"   {label:<31} second read older than the first: {100 * back / n:5.1f}%")

    print("\n3. Consistent prefix: a question, then its answer about 20 ms later; both")
    print(f"   followers lag {lags[-1]:g} ms on average; an observer reads in the first 300 ms")
    layouts = {"separate": "separate partitions",
               "same": "one partition, one log",
               "dependency": "answer carries question's LSN"}
    for layout, label in layouts.items():
        bad = prefix_experiment(rng, n, lags[-1], layout)
        print(f"   {label:<31} answer without its question: {100 * bad / n:5.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
