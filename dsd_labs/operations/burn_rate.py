"""Burn-rate alerting on a simulated month of requests, compared with a plain threshold.

A 99.9% availability SLO over 30 days allows one failed request in a
thousand: the error budget. The burn rate of a window is its error ratio
divided by that allowance, so a burn rate of 1 spends exactly the budget by
the end of the period. The simulation draws per-minute request and error
counts (diurnal traffic, a low background error ratio, short harmless blips
and three significant events) and evaluates four alerting policies from the
SRE Workbook's chapter "Alerting on SLOs" on the same series, reporting for
each significant event how long the alert took to fire, how much budget had
gone by then, and how long it kept firing after the errors stopped, plus the
alerts that fired with no significant event under way.

Run: ``python -m dsd_labs.operations.burn_rate --seed 7``
"""

from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass
from itertools import accumulate

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR


@dataclass(frozen=True)
class Event:
    """A stretch of minutes whose error ratio replaces the background ratio."""

    name: str
    start: int  # minute since the start of the evaluated period
    minutes: int
    error_ratio: float
    significant: bool

    @property
    def end(self) -> int:
        """First minute after the event."""
        return self.start + self.minutes


# [start policy]
@dataclass(frozen=True)
class Condition:
    """Fire when the error ratio over the long window, and over the short window
    if there is one, both exceed ``burn`` times the error budget ratio."""

    long_minutes: int
    short_minutes: int | None
    burn: float


@dataclass(frozen=True)
class Policy:
    """An alert that fires when any of its conditions holds."""

    name: str
    conditions: tuple[Condition, ...]


def policies() -> list[Policy]:
    """The policies compared, after the Workbook's approaches 1, 4 and 6."""
    hour, day = MINUTES_PER_HOUR, MINUTES_PER_DAY
    return [
        Policy("threshold: 10 min ratio > SLO", (Condition(10, None, 1.0),)),
        Policy("burn rate 14.4 over 1 h", (Condition(hour, None, 14.4),)),
        Policy("page: 14.4 1h&5m | 6 6h&30m", (Condition(hour, 5, 14.4),
                                               Condition(6 * hour, 30, 6.0))),
        Policy("ticket: 3 1d&2h | 1 3d&6h", (Condition(day, 2 * hour, 3.0),
                                             Condition(3 * day, 6 * hour, 1.0))),
    ]
# [end policy]


@dataclass
class Month:
    """Per-minute request and error counts, with a warm-up prefix for long windows."""

    requests: list[int]
    errors: list[int]
    warmup: int
    events: list[Event]

    @property
    def minutes(self) -> int:
        """Length of the evaluated period, warm-up excluded."""
        return len(self.requests) - self.warmup


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: exact (Knuth) for small means, normal approximation above 50."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def scenario(seed: int, days: int = 30) -> list[Event]:
    """Three significant events at fixed times and harmless blips at seeded times."""
    day, hour = MINUTES_PER_DAY, MINUTES_PER_HOUR
    events = [
        Event("outage", 6 * day + 14 * hour, 20, 0.20, True),
        Event("partial", 13 * day + 9 * hour, 8 * hour, 0.008, True),
        Event("slow", 20 * day, 48 * hour, 0.0025, True),
    ]
    rng = random.Random(seed)
    busy = [(e.start - day, e.end + 3 * day) for e in events]
    while len(events) < 3 + 12:
        start = rng.randrange(0, days * day - hour)
        if any(lo <= start < hi for lo, hi in busy):
            continue
        if rng.random() < 0.75:
            events.append(Event("blip", start, rng.randint(1, 3), rng.uniform(0.02, 0.05), False))
        else:
            events.append(Event("blip", start, rng.randint(60, 120), 0.0015, False))
        busy.append((start - hour, start + 4 * hour))
    return sorted(events, key=lambda e: e.start)


def simulate(seed: int, days: int = 30, warmup_days: int = 3, rate: float = 1000.0,
             background: float = 0.0002) -> Month:
    """Draw per-minute counts: traffic swings ±40% over the day around ``rate``."""
    rng = random.Random(seed)
    events = scenario(seed, days)
    warmup = warmup_days * MINUTES_PER_DAY
    ratio = [background] * (warmup + days * MINUTES_PER_DAY)
    for event in events:
        for minute in range(event.start, event.end):
            ratio[warmup + minute] = event.error_ratio
    requests, errors = [], []
    for minute, error_ratio in enumerate(ratio):
        phase = 2 * math.pi * (minute % MINUTES_PER_DAY) / MINUTES_PER_DAY
        count = poisson(rng, rate * (1 + 0.4 * math.sin(phase)))
        requests.append(count)
        errors.append(min(count, poisson(rng, count * error_ratio)))
    return Month(requests, errors, warmup, events)


# [start evaluate]
def firing(month: Month, policy: Policy, slo: float) -> list[bool]:
    """For every evaluated minute, whether the policy fires at the end of that minute."""
    budget = 1.0 - slo
    req = [0, *accumulate(month.requests)]
    err = [0, *accumulate(month.errors)]

    def ratio(end: int, width: int) -> float:
        total = req[end] - req[end - width]
        return (err[end] - err[end - width]) / total if total else 0.0

    fired = []
    for minute in range(month.warmup, len(month.requests)):
        end = minute + 1
        fired.append(any(
            ratio(end, c.long_minutes) > c.burn * budget
            and (c.short_minutes is None or ratio(end, c.short_minutes) > c.burn * budget)
            for c in policy.conditions))
    return fired
# [end evaluate]


def episodes(fired: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of firing minutes as (first minute, first minute after)."""
    runs, start = [], None
    for minute, on in enumerate([*fired, False]):
        if on and start is None:
            start = minute
        elif not on and start is not None:
            runs.append((start, minute))
            start = None
    return runs


@dataclass(frozen=True)
class Detection:
    """How one policy handled one significant event."""

    delay: int | None  # minutes from event start to the first firing minute
    budget_spent: float  # fraction of the period's budget spent by then
    reset: int | None  # minutes from event end to the end of the last alert episode
    episodes: int  # alert episodes started during the event: more than 1 means flapping


def budget_errors(month: Month, slo: float) -> float:
    """The period's error budget in requests: (1 - SLO) times all requests."""
    return (1.0 - slo) * sum(month.requests[month.warmup:])


def detect(month: Month, fired: list[bool], event: Event, slo: float) -> Detection:
    """Detection delay, budget spent by then, reset time and episode count for one event."""
    horizon = min(len(fired), event.end + 3 * MINUTES_PER_DAY)
    first = next((m for m in range(event.start, horizon) if fired[m]), None)
    if first is None:
        return Detection(None, 0.0, None, 0)
    offset = month.warmup
    spent = sum(month.errors[offset + event.start: offset + first + 1])
    during = [(start, end) for start, end in episodes(fired)
              if event.start <= start <= max(event.end, first)]
    return Detection(first - event.start, spent / budget_errors(month, slo),
                     during[-1][1] - event.end, len(during))


def false_alarms(fired: list[bool], events: list[Event]) -> int:
    """Alert episodes that start outside every significant event (and its aftermath)."""
    significant = [(e.start, e.end + 3 * MINUTES_PER_DAY) for e in events if e.significant]
    return sum(1 for start, _ in episodes(fired)
               if not any(lo <= start < hi for lo, hi in significant))


def predicted_delay(event: Event, condition: Condition, slo: float) -> float:
    """The Workbook's detection time, (1 - SLO) / error ratio x window x burn rate,
    taken over both windows of the condition (both must fire)."""
    windows = [condition.long_minutes] + ([condition.short_minutes]
                                          if condition.short_minutes else [])
    return max((1 - slo) / event.error_ratio * w * condition.burn for w in windows)


def fmt_minutes(value: int | None) -> str:
    """Minutes as ``m`` or ``h`` for the report; a dash when there is no value."""
    if value is None:
        return "-"
    return f"{value} min" if abs(value) < 180 else f"{value / 60:.1f} h"


def main(argv: list[str] | None = None) -> int:
    """Simulate the month, evaluate every policy, and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slo", type=float, default=0.999)
    parser.add_argument("--rate", type=float, default=1000.0, help="mean requests per minute")
    args = parser.parse_args(argv)
    month = simulate(args.seed, rate=args.rate)
    budget = budget_errors(month, args.slo)
    offset = month.warmup
    print(f"30 days, SLO {args.slo:.1%}: {sum(month.requests[offset:]):,} requests, "
          f"error budget {budget:,.0f} failed requests")
    print("significant events (share of the month's budget they spend):")
    for event in month.events:
        if event.significant:
            errors = sum(month.errors[offset + event.start: offset + event.end])
            print(f"  {event.name:8} {fmt_minutes(event.minutes):>8} at {event.error_ratio:.2%}"
                  f" (burn {event.error_ratio / (1 - args.slo):5.1f}): {errors / budget:5.1%}")
    blips = [e for e in month.events if not e.significant]
    blip_errors = sum(sum(month.errors[offset + e.start: offset + e.end]) for e in blips)
    print(f"  {len(blips)} harmless blips together: {blip_errors / budget:.1%}")
    print("\npolicy                          event     detect   budget    reset  alerts")
    significant = [e for e in month.events if e.significant]
    for policy in policies():
        fired = firing(month, policy, args.slo)
        for i, event in enumerate(significant):
            result = detect(month, fired, event, args.slo)
            name = policy.name if i == 0 else ""
            budget_text = f"{result.budget_spent:6.1%}" if result.delay is not None else "     -"
            print(f"{name:31} {event.name:8} {fmt_minutes(result.delay):>8} {budget_text}"
                  f" {fmt_minutes(result.reset):>8} {result.episodes:7}")
        print(f"{'':31} false alarms: {false_alarms(fired, month.events)}")
    page, ticket = policies()[2].conditions, policies()[3].conditions
    print("\nWorkbook formula, (1 - SLO) / error ratio x window x burn rate:")
    for event, condition in zip(significant, (page[0], page[1], ticket[1]), strict=True):
        print(f"  {event.name:8} on {condition.long_minutes // 60:>3} h window at burn "
              f"{condition.burn:4}: {predicted_delay(event, condition, args.slo):7.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
