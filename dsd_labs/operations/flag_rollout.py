"""Percentage rollout of a feature flag by consistent bucketing, against two naive schemes.

A percentage rollout must give every user one answer on every request and
every server, keep the users it has enabled enabled as the percentage grows,
and pick unrelated cohorts for unrelated flags. Consistent bucketing gets all
three from one hash: a user's bucket is a number in [0, 1) derived from the
flag's key, the flag's salt and the user's key, and the user is in the
rollout when the bucket is below the percentage. The scheme follows the one
LaunchDarkly's server SDKs document (SHA-1 of "flag.salt.user", first 15 hex
digits, divided by 0xFFFFFFFFFFFFFFF).

The naive schemes it is compared with: a fresh random draw per request (users
flip between variants) and one hash of the user alone shared by every flag
(the same users land in every rollout).

Run: ``python -m dsd_labs.operations.flag_rollout --users 100000``
"""

from __future__ import annotations

import argparse
import hashlib
import random

LONG_SCALE = 0xFFFFFFFFFFFFFFF  # 15 hex digits


# [start bucket]
def bucket(flag_key: str, salt: str, user_key: str) -> float:
    """The user's position in [0, 1) for this flag: a pure function of its inputs."""
    digest = hashlib.sha1(f"{flag_key}.{salt}.{user_key}".encode()).hexdigest()
    return int(digest[:15], 16) / LONG_SCALE


def enabled(flag_key: str, salt: str, user_key: str, percent: float) -> bool:
    """In the rollout when the bucket is below the percentage: raising the percentage
    only ever adds users, and lowering it only ever removes them."""
    return bucket(flag_key, salt, user_key) < percent / 100
# [end bucket]


def shared_hash_enabled(user_key: str, percent: float) -> bool:
    """Naive: one bucket per user for every flag (hash of the user key alone)."""
    digest = hashlib.sha1(user_key.encode()).hexdigest()
    return int(digest[:15], 16) / LONG_SCALE < percent / 100


def ramp(users: list[str], steps: list[float], flag: str = "new-checkout",
         salt: str = "s1") -> list[tuple[float, int, int]]:
    """For each step of a ramp: (percent, users enabled, users dropped since the last step)."""
    previous: set[str] = set()
    rows = []
    for percent in steps:
        now = {u for u in users if enabled(flag, salt, u, percent)}
        rows.append((percent, len(now), len(previous - now)))
        previous = now
    return rows


def flip_share(users: list[str], percent: float, requests: int, seed: int) -> float:
    """Share of users who see both variants when each request draws afresh."""
    rng = random.Random(seed)
    flipped = 0
    for _ in users:
        seen = {rng.random() < percent / 100 for _ in range(requests)}
        flipped += len(seen) == 2
    return flipped / len(users)


def consistent_flip_share(users: list[str], percent: float, requests: int) -> float:
    """Share of users who see both variants when every request evaluates the bucket."""
    flipped = sum(len({enabled("new-checkout", "s1", u, percent) for _ in range(requests)}) == 2
                  for u in users)
    return flipped / len(users)


def overlap(users: list[str], percent: float) -> tuple[float, float]:
    """Share of users in two flags' rollouts at once: per-flag hashing, shared hashing."""
    both_keyed = sum(enabled("flag-a", "s1", u, percent) and enabled("flag-b", "s1", u, percent)
                     for u in users)
    both_shared = sum(shared_hash_enabled(u, percent) for u in users)
    return both_keyed / len(users), both_shared / len(users)


def main(argv: list[str] | None = None) -> int:
    """Ramp a flag, then compare stability and cohort independence with the naive schemes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    users = [f"user-{i}" for i in range(args.users)]
    print(f"Ramp of flag 'new-checkout' over {args.users:,} users (consistent bucketing):")
    print("percent   enabled   expected   dropped since previous step")
    for percent, count, dropped in ramp(users, [1, 5, 25, 50, 100]):
        print(f"{percent:6.0f}%  {count:8,}   {args.users * percent / 100:8,.0f}   {dropped:6}")
    first = [u for u in users if enabled("new-checkout", "s1", u, 25)]
    second = [u for u in reversed(users) if enabled("new-checkout", "s1", u, 25)]
    print(f"two evaluations at 25% in different orders: {len(first):,} and {len(second):,}, "
          f"same users: {set(first) == set(second)}")
    sample = users[: min(len(users), 10_000)]
    print("\nUsers who see both variants after 20 requests at 25%:")
    print(f"  consistent bucketing:          {consistent_flip_share(sample, 25, 20):.1%}")
    print(f"  fresh random draw per request: {flip_share(sample, 25, 20, args.seed):.1%}"
          f" (1 - 0.75^20 - 0.25^20 = {1 - 0.75 ** 20 - 0.25 ** 20:.1%})")
    keyed, shared = overlap(users, 10)
    print("\nUsers inside two unrelated 10% rollouts at once:")
    print(f"  bucket from flag key + salt + user: {keyed:.2%} (independent: 10% x 10% = 1.00%)")
    print(f"  one hash of the user for all flags: {shared:.2%} (every flag gets the same cohort)")
    reshuffled = sum(enabled("new-checkout", "s1", u, 25) != enabled("new-checkout", "s2", u, 25)
                     for u in users)
    print(f"\nChanging the salt at 25% moves {reshuffled:,} users in or out "
          f"(expected 2 x 25% x 75% = 37.5%: {reshuffled / len(users):.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
