"""Shared measuring tools for the partitioning labs: a hash, keys, and load statistics.

Every placement scheme in this package is judged by the same three numbers,
so they live here once: how uneven the load is (the busiest node against the
mean, and the standard deviation relative to the mean), and what fraction of
keys change owner when the set of nodes changes. Keys are synthetic
(``user:0``, ``user:1``, …) and the hash is BLAKE2b, so every run is
reproducible without a seed for the keys themselves.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

HASH_SPACE = 2**64


def hash64(text: str, salt: str = "") -> int:
    """A 64-bit hash; a different ``salt`` gives an independent function.

    Placement must not depend on Python's per-process string hash, which is
    randomized; every node and client must compute the same value.
    """
    digest = hashlib.blake2b(text.encode(), digest_size=8, person=salt.encode()[:16]).digest()
    return int.from_bytes(digest, "big")


def make_keys(count: int, prefix: str = "user") -> list[str]:
    """``count`` distinct keys, named so that their order carries no information."""
    return [f"{prefix}:{i}" for i in range(count)]


def node_names(count: int, start: int = 0) -> list[str]:
    """Node names ``n0``, ``n1``, … ``n{count-1}`` (shifted by ``start``)."""
    return [f"n{i}" for i in range(start, start + count)]


@dataclass(frozen=True)
class Balance:
    """How evenly a scheme spreads keys over nodes."""

    max_over_mean: float
    cv: float  # standard deviation of per-node load divided by the mean
    min_over_mean: float


def balance(counts: Iterable[float], nodes: int) -> Balance:
    """Balance of per-node loads; nodes that received nothing count as zero."""
    loads = list(counts)
    loads += [0.0] * (nodes - len(loads))
    mean = sum(loads) / nodes
    var = sum((x - mean) ** 2 for x in loads) / nodes
    return Balance(max(loads) / mean, math.sqrt(var) / mean, min(loads) / mean)


def key_balance(owner: Callable[[str], Hashable], keys: Sequence[str], nodes: int) -> Balance:
    """Balance of key counts when ``owner`` places every key."""
    return balance(Counter(owner(k) for k in keys).values(), nodes)


def moved_fraction(before: Callable[[str], Hashable], after: Callable[[str], Hashable],
                   keys: Sequence[str]) -> float:
    """Fraction of keys whose owner differs between two placements."""
    return sum(1 for k in keys if before(k) != after(k)) / len(keys)


def sampling_cv(keys: int, nodes: int) -> float:
    """The CV that counting ``keys`` random keys adds even to a perfect split.

    Each node's count is binomial with mean ``keys/nodes``; its relative
    standard deviation is ``sqrt((nodes - 1) / keys)``. No scheme measured by
    counting keys can look better than this floor.
    """
    return math.sqrt((nodes - 1) / keys)
