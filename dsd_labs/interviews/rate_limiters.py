"""Four rate limiters on the same bursts: what each admits in any window, and what it stores.

A rate limiter's contract is usually stated as "at most L requests per W",
but the algorithms enforce different things. A sliding-window log enforces
it exactly, for every window, at the price of one timestamp per admitted
request. A token bucket enforces "at most b + r·T in any interval T", which
lets a full bucket and its refill through back to back. A fixed window counts
per calendar window and admits 2L across a boundary. A sliding-window counter
weights the previous window's count and is exact only when that window's
traffic was spread evenly. Time is integer milliseconds and the token count
is an exact fraction, so every run is reproducible.
"""

from __future__ import annotations

import argparse
import random
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol


class Limiter(Protocol):
    """One client's limiter: decide on a request arriving at ``now`` (ms)."""

    name: str

    def allow(self, now: int) -> bool: ...

    def state_size(self) -> int: ...


# [start token-bucket]
@dataclass
class TokenBucket:
    """Capacity ``limit`` tokens, refilled at ``limit`` per ``window`` ms; a request takes one."""

    limit: int
    window: int
    name: str = "token bucket"
    tokens: Fraction = field(init=False)
    last: int = 0

    def __post_init__(self) -> None:
        self.tokens = Fraction(self.limit)

    def allow(self, now: int) -> bool:
        refill = Fraction(self.limit, self.window) * (now - self.last)
        self.tokens = min(Fraction(self.limit), self.tokens + refill)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
# [end token-bucket]

    def state_size(self) -> int:
        return 2


@dataclass
class FixedWindow:
    """A count per calendar window ``[kW, (k+1)W)``; reset when the window changes."""

    limit: int
    window: int
    name: str = "fixed window"
    index: int = -1
    count: int = 0

    def allow(self, now: int) -> bool:
        if now // self.window != self.index:
            self.index, self.count = now // self.window, 0
        if self.count < self.limit:
            self.count += 1
            return True
        return False

    def state_size(self) -> int:
        return 2


# [start sliding-log]
@dataclass
class SlidingWindowLog:
    """Timestamps of admitted requests in ``(now − W, now]``; admit if fewer than the limit."""

    limit: int
    window: int
    name: str = "sliding-window log"
    log: deque[int] = field(default_factory=deque)
    peak_size: int = 0

    def allow(self, now: int) -> bool:
        while self.log and self.log[0] <= now - self.window:
            self.log.popleft()
        if len(self.log) < self.limit:
            self.log.append(now)
            self.peak_size = max(self.peak_size, len(self.log))
            return True
        return False
# [end sliding-log]

    def state_size(self) -> int:
        return self.peak_size


# [start sliding-counter]
@dataclass
class SlidingWindowCounter:
    """Estimate the last W ms as previous count × unexpired share + current count."""

    limit: int
    window: int
    name: str = "sliding-window counter"
    index: int = -1
    previous: int = 0
    current: int = 0

    def allow(self, now: int) -> bool:
        index = now // self.window
        if index != self.index:
            self.previous = self.current if index == self.index + 1 else 0
            self.index, self.current = index, 0
        unexpired = Fraction(self.window - now % self.window, self.window)
        if self.previous * unexpired + self.current + 1 <= self.limit:
            self.current += 1
            return True
        return False
# [end sliding-counter]

    def state_size(self) -> int:
        return 3


def limiters(limit: int, window: int) -> list[Limiter]:
    """One fresh limiter of each kind, all configured for ``limit`` per ``window`` ms."""
    return [TokenBucket(limit, window), FixedWindow(limit, window),
            SlidingWindowLog(limit, window), SlidingWindowCounter(limit, window)]


def two_bursts(limit: int, window: int) -> list[int]:
    """``limit`` requests just before a window boundary, ``limit`` more 0.45 W after it."""
    step = max(window // (20 * limit), 1)
    first = [window - limit * step + i * step for i in range(limit)]
    second = [window + (45 * window) // 100 + i * step for i in range(limit)]
    return first + second


def poisson_arrivals(rate: float, seconds: int, rng: random.Random) -> list[int]:
    """Arrival times in ms of a Poisson stream of ``rate`` requests per second."""
    times, now = [], 0.0
    while True:
        now += rng.expovariate(rate) * 1000
        if now >= seconds * 1000:
            return times
        times.append(int(now))


def max_in_any_window(admitted: list[int], window: int) -> int:
    """Most admitted requests in any interval ``(t − W, t]``: what a client actually got."""
    best, left = 0, 0
    for right, t in enumerate(admitted):
        while admitted[left] <= t - window:
            left += 1
        best = max(best, right - left + 1)
    return best


def run(limiter: Limiter, arrivals: list[int]) -> list[int]:
    """Admitted arrival times, in order."""
    return [t for t in arrivals if limiter.allow(t)]


def report(title: str, arrivals: list[int], limit: int, window: int) -> list[str]:
    lines = [title, f"  {'limiter':<24}{'admitted':>9}{'max in any window':>19}{'state':>7}"]
    for limiter in limiters(limit, window):
        admitted = run(limiter, arrivals)
        lines.append(f"  {limiter.name:<24}{len(admitted):>9}"
                     f"{max_in_any_window(admitted, window):>19}{limiter.state_size():>7}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10, help="requests allowed per window")
    parser.add_argument("--window-ms", type=int, default=1000, help="window length in ms")
    parser.add_argument("--rate", type=float, default=30.0, help="Poisson arrival rate, req/s")
    parser.add_argument("--seconds", type=int, default=20, help="length of the Poisson run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    limit, window = args.limit, args.window_ms
    print(f"Contract: at most {limit} requests in any {window} ms window")
    print("(state: numbers stored per client; for the log, the most timestamps held)\n")
    bursts = two_bursts(limit, window)
    print("\n".join(report(f"Two bursts of {limit}: just before the boundary at {window} ms, "
                           f"then at {bursts[limit]} ms", bursts, limit, window)))
    arrivals = poisson_arrivals(args.rate, args.seconds, random.Random(args.seed))
    print()
    print("\n".join(report(f"Poisson arrivals, {args.rate:g} req/s for {args.seconds} s "
                           f"({len(arrivals)} requests, seed {args.seed})",
                           arrivals, limit, window)))
    print(f"\nSustained allowance: {limit} per {window} ms = "
          f"{limit * args.seconds * 1000 // window} over the run, plus one burst")


if __name__ == "__main__":
    main()
