"""The cache-aside stale-set race, reproduced deterministically, and three fixes.

A reader and a writer run against a database and a look-aside cache. Each
is a fixed sequence of steps; a schedule interleaves them. The program
enumerates every interleaving (keeping each client's own order) and checks
the end state: the cache is *stale* if it holds a value the database no
longer has, a state nothing repairs until the entry's TTL runs out.

Protocols compared, each a different reader and writer:

- ``delete on write``: the reader fills the cache on a miss; the writer
  updates the database and then deletes the key. One interleaving leaves
  the old value cached.
- ``lease``: a miss returns a lease token; a delete invalidates the key's
  outstanding tokens, and a set without a valid token is refused (memcache
  at Facebook, NSDI 2013).
- ``version tombstone``: the writer replaces the value with a tombstone that
  records the database version it wrote, and the cache refuses a set whose
  version is not newer than what it holds.
- ``update on write``: two writers each write the database and then set the
  cache to the value they wrote, the pattern that loses to reordering.
- ``update, versioned``: the same two writers with version-checked sets.

Two last protocols show why leases are not enough when the reader fills
the cache from a lagging replica while invalidations come from the primary,
and why Facebook sends invalidations from each replica's own commit stream.

Run: ``python -m dsd_labs.caching.stale_set``
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

TOMBSTONE = object()


@dataclass
class Database:
    """A primary with one replica; ``replicate`` copies the primary's row to the replica."""

    value: str = "v1"
    version: int = 1
    replica_value: str = "v1"
    replica_version: int = 1

    def write(self, value: str) -> int:
        self.version += 1
        self.value = value
        return self.version

    def replicate(self) -> None:
        self.replica_value, self.replica_version = self.value, self.version


# [start cache]
@dataclass
class Cache:
    """One key's worth of look-aside cache with optional leases and version checks."""

    value: object = None            # None: missing; TOMBSTONE: invalidated at ``version``
    version: int = 0
    leases: bool = False
    lease_token: int | None = None  # the one outstanding lease for the key
    next_token: int = 1

    def get(self) -> tuple[object, int | None]:
        """Return (value, lease); on a miss with leases on, hand out a fresh token."""
        if self.value is not None and self.value is not TOMBSTONE:
            return self.value, None
        if not self.leases:
            return None, None
        self.lease_token, self.next_token = self.next_token, self.next_token + 1
        return None, self.lease_token

    def set(self, value: str, version: int = 0, lease: int | None = None) -> bool:
        """Store unless a lease is required and stale, or the version is not newer."""
        if self.leases and (lease is None or lease != self.lease_token):
            return False
        if version and version <= self.version:
            return False
        self.value, self.version, self.lease_token = value, max(version, self.version), None
        return True

    def delete(self, version: int = 0) -> None:
        """Invalidate: drop the value and any outstanding lease; remember ``version`` if given."""
        self.lease_token = None
        if version:
            self.value, self.version = TOMBSTONE, max(version, self.version)
        else:
            self.value = None
# [end cache]


@dataclass
class World:
    """The shared state one schedule runs against, plus each client's local variables."""

    db: Database = field(default_factory=Database)
    cache: Cache = field(default_factory=Cache)
    local: dict[str, object] = field(default_factory=dict)


Step = tuple[str, Callable[[World], None]]


def reader(versioned: bool = False, from_replica: bool = False) -> list[Step]:
    """Cache-aside read: get, on a miss read the database, then fill the cache."""
    def get(w: World) -> None:
        w.local["hit"], w.local["lease"] = w.cache.get()

    def read_db(w: World) -> None:
        if w.local["hit"] is None:
            if from_replica:
                w.local["row"] = (w.db.replica_value, w.db.replica_version)
            else:
                w.local["row"] = (w.db.value, w.db.version)

    def fill(w: World) -> None:
        if w.local["hit"] is None:
            value, version = w.local["row"]  # type: ignore[misc]
            w.cache.set(value, version if versioned else 0, w.local["lease"])  # type: ignore[arg-type]

    source = "R: read replica" if from_replica else "R: read DB"
    return [("R: get", get), (source, read_db), ("R: set", fill)]


def delete_writer(new: str, versioned: bool = False) -> list[Step]:
    """Write the database, then invalidate the key (with a tombstone when versioned)."""
    def write(w: World) -> None:
        w.local["written"] = w.db.write(new)

    def invalidate(w: World) -> None:
        w.cache.delete(w.local["written"] if versioned else 0)  # type: ignore[arg-type]

    return [("W: write DB", write), ("W: delete", invalidate)]


def update_writer(name: str, new: str, versioned: bool = False) -> list[Step]:
    """Write the database, then set the cache to the value just written."""
    def write(w: World) -> None:
        w.local[name] = w.db.write(new)

    def update(w: World) -> None:
        w.cache.set(new, w.local[name] if versioned else 0)  # type: ignore[arg-type]

    return [(f"{name}: write DB", write), (f"{name}: set", update)]


def replicated_writer(invalidate_first: bool) -> list[Step]:
    """A writer whose row reaches the replica later than, or before, its invalidation.

    With ``invalidate_first`` the delete is sent as soon as the primary
    commits, and the replica applies the write afterward. Otherwise the
    delete is sent from the replica's own commit stream, after it applied
    the write, which is where Facebook's mcsqueal daemons read it.
    """
    write, invalidate = delete_writer("v2")
    replicate: Step = ("replica applies", lambda w: w.db.replicate())
    return [write, invalidate, replicate] if invalidate_first else [write, replicate, invalidate]


def interleavings(a: Sequence[Step], b: Sequence[Step]) -> Iterator[list[Step]]:
    """Every merge of ``a`` and ``b`` that keeps the order within each."""
    n = len(a) + len(b)
    for positions in itertools.combinations(range(n), len(a)):
        ia, ib = iter(a), iter(b)
        chosen = set(positions)
        yield [next(ia) if i in chosen else next(ib) for i in range(n)]


def is_stale(w: World) -> bool:
    """The cache holds a real value that differs from the database's current value."""
    v = w.cache.value
    return v is not None and v is not TOMBSTONE and v != w.db.value


def run(schedule: Sequence[Step], leases: bool = False) -> World:
    """Execute one schedule from the initial state: database v1, cache empty."""
    w = World(cache=Cache(leases=leases))
    for _, step in schedule:
        step(w)
    return w


PROTOCOLS: dict[str, tuple[Callable[[], list[Step]], Callable[[], list[Step]], bool]] = {
    "delete on write": (reader, lambda: delete_writer("v2"), False),
    "lease": (reader, lambda: delete_writer("v2"), True),
    "version tombstone": (lambda: reader(versioned=True),
                          lambda: delete_writer("v2", versioned=True), False),
    "update on write": (lambda: update_writer("W1", "v2"),
                        lambda: update_writer("W2", "v3"), False),
    "update, versioned": (lambda: update_writer("W1", "v2", versioned=True),
                          lambda: update_writer("W2", "v3", versioned=True), False),
    "lease, replica lags": (lambda: reader(from_replica=True),
                            lambda: replicated_writer(invalidate_first=True), True),
    "lease, replica stream": (lambda: reader(from_replica=True),
                              lambda: replicated_writer(invalidate_first=False), True),
}


def explore(protocol: str) -> tuple[int, list[list[Step]]]:
    """Run every interleaving of a protocol; return the count and the stale schedules."""
    make_a, make_b, leases = PROTOCOLS[protocol]
    schedules = list(interleavings(make_a(), make_b()))
    stale = [s for s in schedules if is_stale(run(s, leases))]
    return len(schedules), stale


def describe(schedule: Sequence[Step]) -> str:
    return " → ".join(name for name, _ in schedule)


def main(argv: list[str] | None = None) -> int:
    """Count stale outcomes per protocol, print the losing schedules, then the replica case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    print("initial state: database v1, cache empty; stale = cache holds a value the DB lacks")
    print(f"{'protocol':<22} {'interleavings':>13} {'stale':>6}")
    losing: dict[str, list[list[Step]]] = {}
    for protocol in PROTOCOLS:
        total, stale = explore(protocol)
        losing[protocol] = stale
        print(f"{protocol:<22} {total:>13} {len(stale):>6}")
    for protocol in ("delete on write", "update on write", "lease, replica lags"):
        for schedule in losing[protocol][:2]:
            w = run(schedule)
            print(f"\n{protocol}: {describe(schedule)}")
            print(f"  ends with cache={w.cache.value} database={w.db.value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
