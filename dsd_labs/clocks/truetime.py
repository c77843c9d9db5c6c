"""TrueTime intervals and Spanner's commit wait, with the uncertainty model of the paper.

The model follows the numbers Corbett et al. (2012) report: each server
polls its time masters every 30 s; between polls the uncertainty grows at the
assumed worst-case drift of 200 µs/s from a floor of about 1 ms (the
communication delay to the masters), so epsilon is a sawtooth from 1 ms to
7 ms. ``TT.now()`` returns ``[t - eps, t + eps]``. A transaction takes
``s = TT.now().latest`` as its commit timestamp and commit wait holds its
locks until ``TT.after(s)``, that is until ``TT.now().earliest > s``. The lab
computes that wait for commits spread over the poll cycle.

Run: ``python -m dsd_labs.clocks.truetime --seed 5``
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass

POLL_S = 30.0
FLOOR_MS = 1.0
DRIFT_MS_PER_S = 0.200  # 200 µs/s


def epsilon_ms(t_s: float) -> float:
    """Uncertainty at true time ``t_s`` seconds: the floor plus drift since the last poll."""
    since_poll = t_s % POLL_S
    return FLOOR_MS + DRIFT_MS_PER_S * since_poll


@dataclass(frozen=True)
class Interval:
    """A TrueTime interval, in milliseconds; absolute time lies inside it."""

    earliest: float
    latest: float


def tt_now(t_s: float) -> Interval:
    """TT.now() at true time ``t_s``: the clock reading plus or minus epsilon."""
    eps = epsilon_ms(t_s)
    return Interval(t_s * 1000 - eps, t_s * 1000 + eps)


# [start commit wait]
def commit_wait_ms(commit_at_s: float) -> tuple[float, float]:
    """Return (commit timestamp s in ms, wait in ms) for a commit at true time ``commit_at_s``.

    The leader picks ``s = TT.now().latest`` and may not let anyone see the
    write until ``TT.after(s)``: until even the earliest possible current
    time is past ``s``. Then ``s`` is in the past everywhere, so any
    transaction that starts later gets a larger timestamp.
    """
    s = tt_now(commit_at_s).latest
    poll_s = commit_at_s - commit_at_s % POLL_S
    while True:
        # Inside one poll cycle, earliest(t) = t - FLOOR - DRIFT * (t/1000 - poll),
        # a line in t; solve earliest(t) = s for the first instant past s.
        t_ms = (s + FLOOR_MS - DRIFT_MS_PER_S * poll_s) / (1 - DRIFT_MS_PER_S / 1000)
        next_poll_ms = (poll_s + POLL_S) * 1000
        if t_ms < next_poll_ms:
            return s, t_ms - commit_at_s * 1000
        poll_s += POLL_S
        if next_poll_ms - FLOOR_MS > s:  # the poll itself shrinks epsilon enough
            return s, next_poll_ms - commit_at_s * 1000
# [end commit wait]


def main(argv: list[str] | None = None) -> int:
    """Print epsilon across a poll cycle, one worked commit, and the wait distribution."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--commits", type=int, default=2000)
    args = parser.parse_args(argv)
    print("seconds since poll  epsilon (ms)  commit wait (ms)")
    for since in (0, 7.5, 15, 22.5, 29.9):
        _, wait = commit_wait_ms(60 + since)
        print(f"{since:>18}  {epsilon_ms(60 + since):>12.2f}  {wait:>16.2f}")
    mean_eps = sum(epsilon_ms(i / 1000) for i in range(30_000)) / 30_000
    print(f"time-averaged epsilon over a poll cycle: {mean_eps:.2f} ms")
    rng = random.Random(args.seed)
    waits = sorted(commit_wait_ms(rng.uniform(0, 3600))[1] for _ in range(args.commits))
    mean = sum(waits) / len(waits)
    p99 = waits[int(0.99 * len(waits)) - 1]
    print(f"\n{args.commits} commits at random times: mean wait {mean:.2f} ms, "
          f"min {waits[0]:.2f} ms, p99 {p99:.2f} ms, max {waits[-1]:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
