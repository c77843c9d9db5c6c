"""A circuit breaker with a count-based sliding window, driven by a scripted outage.

The state machine follows the model of Resilience4j 2.x: CLOSED records the
outcome of every call in a sliding window and opens when, with at least
``minimum_calls`` recorded, the failure rate or the slow-call rate reaches
its threshold; OPEN rejects calls without touching the dependency until
``wait_ms`` has passed; HALF_OPEN lets ``half_open_calls`` trial calls through
and then closes or reopens on their failure rate. The transition out of OPEN
happens lazily, on the first call after the wait, as in Resilience4j's
default configuration.

The script sends one call every 100 ms to a dependency that is healthy, then
down, then slow, then healthy again. The report lists every transition, the
calls the breaker rejected, and the calls that reached the failing
dependency with and without the breaker. A second run wraps the breaker in a
retry loop (retry outside, breaker inside) and shows that the window fills
with attempts rather than requests, and that a rejected attempt must not be
retried.

Run: ``python -m dsd_labs.fault_tolerance.circuit_breaker``
"""

from __future__ import annotations

import argparse
from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class State(Enum):
    """The three states a breaker moves between."""

    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


@dataclass(frozen=True)
class Config:
    """Thresholds and windows; the defaults are small so that a short script exercises them."""

    window_size: int = 10  # outcomes kept by the count-based window
    minimum_calls: int = 5  # no decision before this many outcomes are recorded
    failure_rate_threshold: float = 50.0  # percent; open at or above it
    slow_call_ms: float = 500.0  # a call lasting longer than this is slow
    slow_call_rate_threshold: float = 80.0  # percent; open at or above it
    wait_ms: float = 1_000.0  # time spent OPEN before trial calls are allowed
    half_open_calls: int = 3  # trial calls permitted in HALF_OPEN


# [start window]
@dataclass
class CountWindow:
    """The last ``size`` outcomes in a ring buffer, with running totals.

    Totals are updated on insert and on eviction (subtract-on-evict), so
    reading the failure rate costs O(1) whatever the window size.
    """

    size: int
    outcomes: deque[tuple[bool, bool]] = field(default_factory=deque)  # (failed, slow)
    failures: int = 0
    slow: int = 0

    def record(self, now: float, failed: bool, slow: bool) -> None:
        """Add one outcome, evicting the oldest when the buffer is full (``now`` is unused)."""
        if len(self.outcomes) == self.size:
            old_failed, old_slow = self.outcomes.popleft()
            self.failures -= old_failed
            self.slow -= old_slow
        self.outcomes.append((failed, slow))
        self.failures += failed
        self.slow += slow

    def rates(self, now: float) -> tuple[int, float, float]:
        """(calls recorded, failure rate %, slow-call rate %)."""
        n = len(self.outcomes)
        if n == 0:
            return 0, 0.0, 0.0
        return n, 100.0 * self.failures / n, 100.0 * self.slow / n
# [end window]


@dataclass
class TimeWindow:
    """Outcomes of the last ``buckets`` × ``bucket_ms`` of time, one partial total per bucket.

    Resilience4j's time-based window keeps one bucket per epoch second; here
    the bucket width is a parameter so that tests can use small numbers.
    A bucket is reset when time has moved past it, so the window forgets
    calls by age rather than by count.
    """

    buckets: int
    bucket_ms: float = 1_000.0
    totals: dict[int, list[int]] = field(default_factory=dict)  # index -> [calls, fails, slow]

    def record(self, now: float, failed: bool, slow: bool) -> None:
        """Add one outcome to the bucket that ``now`` falls in."""
        self._evict(now)
        total = self.totals.setdefault(int(now // self.bucket_ms), [0, 0, 0])
        total[0] += 1
        total[1] += failed
        total[2] += slow

    def rates(self, now: float) -> tuple[int, float, float]:
        """(calls, failure rate %, slow-call rate %) over the buckets still in the window."""
        self._evict(now)
        calls = sum(t[0] for t in self.totals.values())
        if calls == 0:
            return 0, 0.0, 0.0
        fails = sum(t[1] for t in self.totals.values())
        slow = sum(t[2] for t in self.totals.values())
        return calls, 100.0 * fails / calls, 100.0 * slow / calls

    def _evict(self, now: float) -> None:
        oldest = int(now // self.bucket_ms) - self.buckets + 1
        for index in [i for i in self.totals if i < oldest]:
            del self.totals[index]


# [start breaker]
@dataclass
class CircuitBreaker:
    """A CLOSED / OPEN / HALF_OPEN state machine over a sliding window.

    The window is count-based unless ``time_buckets`` is positive, in which
    case it covers the last ``time_buckets`` seconds.
    """

    config: Config = field(default_factory=Config)
    time_buckets: int = 0
    state: State = State.CLOSED
    opened_at: float = 0.0
    window: CountWindow | TimeWindow = field(init=False)
    trial_permits: int = 0
    trial_results: list[tuple[bool, bool]] = field(default_factory=list)
    transitions: list[tuple[float, State, State, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.window = self._new_window()

    def _new_window(self) -> CountWindow | TimeWindow:
        if self.time_buckets > 0:
            return TimeWindow(self.time_buckets)
        return CountWindow(self.config.window_size)

    def try_acquire(self, now: float) -> bool:
        """May a call go to the dependency now? False means rejected without a call."""
        if self.state is State.OPEN and now - self.opened_at >= self.config.wait_ms:
            self._move(now, State.HALF_OPEN, f"waited {self.config.wait_ms:,.0f} ms")
        if self.state is State.CLOSED:
            return True
        if self.state is State.HALF_OPEN and self.trial_permits < self.config.half_open_calls:
            self.trial_permits += 1
            return True
        return False

    def on_result(self, now: float, failed: bool, duration_ms: float) -> None:
        """Record the outcome of a permitted call and change state if a threshold is crossed."""
        slow = duration_ms > self.config.slow_call_ms
        if self.state is State.HALF_OPEN:
            self.trial_results.append((failed, slow))
            if len(self.trial_results) == self.config.half_open_calls:
                self._judge_trials(now)
            return
        self.window.record(now, failed, slow)
        calls, fail_rate, slow_rate = self.window.rates(now)
        if calls < self.config.minimum_calls:
            return
        if fail_rate >= self.config.failure_rate_threshold:
            self._move(now, State.OPEN, f"failure rate {fail_rate:.0f}% of last {calls}")
        elif slow_rate >= self.config.slow_call_rate_threshold:
            self._move(now, State.OPEN, f"slow-call rate {slow_rate:.0f}% of last {calls}")

    def _judge_trials(self, now: float) -> None:
        n = len(self.trial_results)
        fail_rate = 100.0 * sum(f for f, _ in self.trial_results) / n
        slow_rate = 100.0 * sum(s for _, s in self.trial_results) / n
        if (fail_rate >= self.config.failure_rate_threshold
                or slow_rate >= self.config.slow_call_rate_threshold):
            self._move(now, State.OPEN, f"trials: {fail_rate:.0f}% failed, {slow_rate:.0f}% slow")
        else:
            self._move(now, State.CLOSED, f"trials: {fail_rate:.0f}% failed, {slow_rate:.0f}% slow")

    def _move(self, now: float, to: State, why: str) -> None:
        self.transitions.append((now, self.state, to, why))
        self.state = to
        self.window = self._new_window()
        self.trial_permits = 0
        self.trial_results = []
        if to is State.OPEN:
            self.opened_at = now
# [end breaker]


@dataclass(frozen=True)
class Phase:
    """A stretch of the script: until ``end_ms`` the dependency behaves this way."""

    end_ms: float
    fail_every: int  # 1: every call fails; 0: none fails; k: every k-th call fails
    latency_ms: float


# Healthy with a rare failure, hard down, slow but answering, healthy again.
SCRIPT = (
    Phase(2_000, 7, 40),
    Phase(4_500, 1, 5),
    Phase(6_000, 0, 900),
    Phase(9_000, 0, 40),
)


def dependency(now: float, n: int, script: tuple[Phase, ...] = SCRIPT) -> tuple[bool, float]:
    """(failed, latency) of the ``n``-th call that reaches the dependency at ``now``."""
    for phase in script:
        if now < phase.end_ms:
            failed = phase.fail_every == 1 or (phase.fail_every > 1 and n % phase.fail_every == 0)
            return failed, phase.latency_ms
    return False, script[-1].latency_ms


@dataclass
class Run:
    """Counters of one scripted run."""

    requests: int = 0
    attempts_sent: int = 0  # calls that reached the dependency
    failed_sent: int = 0  # of those, calls that failed or were slow
    rejected: int = 0  # attempts the breaker refused
    succeeded: int = 0  # requests that got a good answer


# [start drive]
def drive(breaker: CircuitBreaker | None, interval_ms: float = 100.0, retries: int = 0,
          end_ms: float = 9_000.0) -> Run:
    """Send one request per interval; each may retry ``retries`` times after a failure.

    The retry loop sits outside the breaker, so every attempt is a separate
    breaker call. A rejection is final: retrying a call the breaker refused
    only spins in a loop against a breaker that will refuse again.
    """
    run = Run()
    n = 0
    now = 0.0
    while now < end_ms:
        run.requests += 1
        for _attempt in range(retries + 1):
            if breaker is not None and not breaker.try_acquire(now):
                run.rejected += 1
                break
            n += 1
            failed, latency = dependency(now, n)
            run.attempts_sent += 1
            bad = failed or latency > Config().slow_call_ms
            run.failed_sent += bad
            if breaker is not None:
                breaker.on_result(now, failed, latency)
            if not failed:
                run.succeeded += not bad
                break
        now += interval_ms
    return run
# [end drive]


def main(argv: list[str] | None = None) -> int:
    """Print the transitions and the counts with and without the breaker."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retries", type=int, default=2, help="retries per request, second run")
    args = parser.parse_args(argv)
    cfg = Config()
    print(f"window {cfg.window_size} calls, minimum {cfg.minimum_calls}, open at "
          f"{cfg.failure_rate_threshold:.0f}% failed or {cfg.slow_call_rate_threshold:.0f}% "
          f"slower than {cfg.slow_call_ms:.0f} ms; wait {cfg.wait_ms:,.0f} ms; "
          f"{cfg.half_open_calls} trial calls")
    print("script: healthy to 2.0 s, down to 4.5 s, slow (900 ms) to 6.0 s, healthy to 9.0 s\n")
    for label, retries in (("one attempt per request", 0),
                           (f"retry outside the breaker, {args.retries} retries", args.retries)):
        breaker = CircuitBreaker(cfg)
        with_cb = drive(breaker, retries=retries)
        without = drive(None, retries=retries)
        print(f"{label}:")
        for t, old, new, why in breaker.transitions:
            print(f"  {t / 1000:5.1f} s  {old.value:>9} -> {new.value:<9} {why}")
        print(f"  requests {with_cb.requests}, rejected attempts {with_cb.rejected}, "
              f"good answers {with_cb.succeeded}")
        print(f"  failed or slow calls reaching the dependency: {with_cb.failed_sent} "
              f"with the breaker, {without.failed_sent} without\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
