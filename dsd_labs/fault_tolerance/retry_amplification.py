"""Retry amplification down a call chain, computed and simulated, with and without retry budgets.

A request enters at the top of a chain of retrying layers (for example
client, edge proxy, API service, domain service) and ends at a database that
does not retry. Each retrying layer makes up to ``retries + 1`` attempts to
the layer below whenever an attempt fails. With the database failing every
call, the database sees ``(retries + 1) ** layers`` calls per user request;
with 3 retries at each of 4 layers that is 4^4 = 256.

The lab computes the expected calls per tier exactly (each attempt fails
independently with probability ``p`` at the database), simulates the same
chain with a seeded generator to check the formula, and then repeats the
simulation with two kinds of limiters on every retrying layer: a retry
budget in the style of Finagle and the Google SRE book (retries may not
exceed a fixed fraction of first attempts, plus a small reserve), and the
retry throttle of gRPC (gRFC A6: a token count that failures drain and
successes refill; no retries at or below half of ``maxTokens``).

Run: ``python -m dsd_labs.fault_tolerance.retry_amplification``
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from typing import Protocol


# [start expected]
def expected_calls(layers: int, retries: int, p: float) -> list[float]:
    """Expected calls arriving at each tier per user request, top tier first.

    Tier 0 receives the user's request; tier ``layers`` is the database.
    ``f`` is the probability that one call into a tier ends in failure after
    all the retries below it. A tier that retries makes
    ``1 + f + f^2 + ... + f^retries`` attempts on average to the tier below,
    and its own call fails only if all ``retries + 1`` attempts fail.
    """
    attempts = []  # expected attempts per call, bottom retrying layer first
    f = p
    for _ in range(layers):
        attempts.append(sum(f**i for i in range(retries + 1)))
        f = f ** (retries + 1)
    calls = [1.0]
    for a in reversed(attempts):
        calls.append(calls[-1] * a)
    return calls
# [end expected]


class Limiter(Protocol):
    """What a retrying layer asks before each retry, and tells after each attempt."""

    def on_first_attempt(self) -> None: ...
    def may_retry(self) -> bool: ...
    def on_outcome(self, failed: bool) -> None: ...


class Unlimited:
    """No limit: every failed attempt is retried up to the per-request maximum."""

    def on_first_attempt(self) -> None:
        return None

    def may_retry(self) -> bool:
        return True

    def on_outcome(self, failed: bool) -> None:
        return None


# [start budget]
@dataclass
class RetryBudget:
    """Retries limited to ``ratio`` of first attempts, plus a reserve.

    Each first attempt deposits ``ratio`` of a token, each retry withdraws a
    whole one, and the balance never exceeds ``cap``. Over a long outage a
    layer therefore sends at most ``1 + ratio`` attempts per call it receives,
    instead of ``retries + 1``. (Finagle also expires deposits after a time to
    live; this lab has no clock, so the cap plays that role.)
    """

    ratio: float = 0.1
    reserve: float = 10.0
    cap: float = 100.0
    balance: float = field(init=False)

    def __post_init__(self) -> None:
        self.balance = self.reserve

    def on_first_attempt(self) -> None:
        # Rounded so that ten deposits of 0.1 make exactly one token.
        self.balance = round(min(self.cap, self.balance + self.ratio), 9)

    def may_retry(self) -> bool:
        if self.balance >= 1.0:
            self.balance -= 1.0
            return True
        return False

    def on_outcome(self, failed: bool) -> None:
        return None


@dataclass
class GrpcThrottle:
    """gRPC retry throttling (gRFC A6) for one client and one server name.

    ``tokens`` starts at ``max_tokens``; a failed attempt removes 1, a
    successful one adds ``token_ratio``; retries are allowed only while
    ``tokens`` is above ``max_tokens / 2``.
    """

    max_tokens: float = 10.0
    token_ratio: float = 0.1
    tokens: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.max_tokens

    def on_first_attempt(self) -> None:
        return None

    def may_retry(self) -> bool:
        return self.tokens > self.max_tokens / 2

    def on_outcome(self, failed: bool) -> None:
        delta = -1.0 if failed else self.token_ratio
        self.tokens = min(self.max_tokens, max(0.0, self.tokens + delta))
# [end budget]


# [start chain]
@dataclass
class Chain:
    """Retrying layers above a database; counts the calls that reach every tier."""

    layers: int
    retries: int
    p: float
    rng: random.Random
    limiters: list[Limiter]
    calls: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.calls = [0] * (self.layers + 1)

    def call(self, tier: int = 0) -> bool:
        """Deliver one call to ``tier``; True if it succeeds."""
        self.calls[tier] += 1
        if tier == self.layers:
            return self.rng.random() >= self.p
        limiter = self.limiters[tier]
        limiter.on_first_attempt()
        for attempt in range(self.retries + 1):
            if attempt > 0 and not limiter.may_retry():
                return False
            ok = self.call(tier + 1)
            limiter.on_outcome(not ok)
            if ok:
                return True
        return False
# [end chain]


POLICIES = ("retry at every layer", "retry at one layer", "every layer, 10% budget",
            "every layer, gRPC throttle")


def simulate(policy: str, layers: int, retries: int, p: float, requests: int,
             seed: int) -> tuple[list[int], int]:
    """Send ``requests`` user requests; return (calls per tier, user requests that failed)."""
    rng = random.Random(seed)
    limiters: list[Limiter]
    if policy == "retry at every layer":
        limiters = [Unlimited() for _ in range(layers)]
    elif policy == "retry at one layer":
        # Only the layer next to the database retries; the others pass failures up.
        limiters = [_NoRetry() for _ in range(layers - 1)] + [Unlimited()]
    elif policy == "every layer, 10% budget":
        limiters = [RetryBudget() for _ in range(layers)]
    elif policy == "every layer, gRPC throttle":
        limiters = [GrpcThrottle() for _ in range(layers)]
    else:
        raise ValueError(f"unknown policy {policy!r}")
    chain = Chain(layers, retries, p, rng, limiters)
    failed = sum(not chain.call() for _ in range(requests))
    return chain.calls, failed


class _NoRetry(Unlimited):
    """A layer that never retries."""

    def may_retry(self) -> bool:
        return False


def main(argv: list[str] | None = None) -> int:
    """Print the formula, its check by simulation, and the effect of budgets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=4, help="retrying layers above the database")
    parser.add_argument("--retries", type=int, default=3, help="retries per layer")
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    n, r = args.layers, args.retries
    print(f"{n} retrying layers, {r} retries each ({r + 1} attempts), then the database")
    print(f"database calls per user request if it always fails: {r + 1}^{n} = {(r + 1) ** n}\n")
    print("expected calls per user request, tier by tier (top tier first):")
    for p in (1.0, 0.5, 0.1):
        tiers = " ".join(f"{c:7.2f}" for c in expected_calls(n, r, p))
        print(f"  p = {p:.1f}: {tiers}")
    print(f"\nsimulated database calls per user request, {args.requests:,} requests:")
    print(f"  {'policy':<28}{'p = 1.0':>9}{'p = 0.5':>9}{'p = 0.1':>9}"
          f"{'users failed at p = 0.5':>25}")
    for policy in POLICIES:
        cells = []
        failed_half = 0
        for p in (1.0, 0.5, 0.1):
            calls, failed = simulate(policy, n, r, p, args.requests, args.seed)
            cells.append(f"{calls[-1] / args.requests:>9.2f}")
            if p == 0.5:
                failed_half = failed
        print(f"  {policy:<28}{''.join(cells)}{100 * failed_half / args.requests:>24.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
