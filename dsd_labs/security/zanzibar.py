"""A Zanzibar-style relationship checker, and the new enemy problem it has to prevent.

Zanzibar (Pang et al., USENIX ATC 2019) stores authorization data as
relation tuples ``object#relation@user``, where the user may itself be a set
of users named by another tuple (``group:eng#member``). A namespace
configuration gives each relation a *userset rewrite*: ``viewer`` is the
direct viewers, plus every ``editor``, plus every viewer of the ``parent``
folder. ``check`` evaluates the rewrite recursively, with a depth limit so
that a deep or cyclic group graph ends in an error rather than a hang.

The second half replays the paper's two "new enemy" examples against a
replica whose shards lag behind the write log by different amounts. Reading
each shard at whatever version it has reached mixes two points in time and
lets a removed user see new content. Reading at one snapshot fixes the
mixing, and a zookie (the snapshot version returned when the content was
written) makes the snapshot fresh enough to include the removal.

Run: ``python -m dsd_labs.security.zanzibar``
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

# --- Data model and namespace configuration -----------------------------------


@dataclass(frozen=True)
class Userset:
    """``object#relation``: everyone who has ``relation`` on ``object``.

    The relation ``...`` names the object itself, as in a ``parent`` tuple.
    """

    obj: str
    relation: str

    def __str__(self) -> str:
        return f"{self.obj}#{self.relation}"


@dataclass(frozen=True)
class RelationTuple:
    obj: str
    relation: str
    user: str | Userset

    def __str__(self) -> str:
        return f"{self.obj}#{self.relation}@{self.user}"


def parse(text: str) -> RelationTuple:
    """Parse ``doc:q3#parent@folder:plans#...`` or ``folder:plans#viewer@user:bob``."""
    left, user = text.split("@")
    obj, relation = left.split("#")
    if "#" in user:
        uobj, urel = user.split("#")
        return RelationTuple(obj, relation, Userset(uobj, urel))
    return RelationTuple(obj, relation, user)


@dataclass(frozen=True)
class This:
    """The users named directly by tuples for this object and relation."""


@dataclass(frozen=True)
class Computed:
    """Everyone with another relation on the same object (editors are viewers)."""

    relation: str


@dataclass(frozen=True)
class TupleToUserset:
    """Follow ``tupleset`` to another object, then take ``computed`` there (parent's viewers)."""

    tupleset: str
    computed: str


@dataclass(frozen=True)
class Union:
    children: tuple


Rewrite = This | Computed | TupleToUserset | Union

# [start config]
CONTAINER = {
    "owner": This(),
    "editor": Union((This(), Computed("owner"))),
    "viewer": Union((This(), Computed("editor"), TupleToUserset("parent", "viewer"))),
    "parent": This(),
}
CONFIG: dict[str, dict[str, Rewrite]] = {
    "group": {"member": This()},
    "folder": CONTAINER,
    "doc": CONTAINER,
}
# [end config]


def namespace(obj: str) -> str:
    return obj.split(":", 1)[0]


# --- A versioned, sharded tuple store and a lagging replica -------------------


@dataclass(frozen=True)
class Write:
    version: int
    op: str  # "add" or "remove"
    tup: RelationTuple


@dataclass
class Log:
    """The leader's totally ordered write log; a version is a commit timestamp."""

    writes: list[Write] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.writes[-1].version if self.writes else 0

    def apply(self, op: str, text: str) -> int:
        self.writes.append(Write(self.version + 1, op, parse(text)))
        return self.version


class DepthExceeded(Exception):
    """The rewrite graph was deeper than the limit: fail closed (deny) and report."""


@dataclass
class Replica:
    """A replica whose shards (one per namespace) have applied the log up to different versions."""

    log: Log
    applied: dict[str, int]
    max_depth: int = 25
    reads: int = 0
    waited: dict[str, tuple[int, int]] = field(default_factory=dict)

    def read(self, obj: str, relation: str, at: int | None) -> list[RelationTuple]:
        """Tuples for (obj, relation) as of version ``at`` (None: this shard's latest)."""
        shard = namespace(obj)
        if at is None:
            at = self.applied[shard]
        elif at > self.applied[shard]:  # catch up (or forward) before answering
            self.waited[shard] = (self.applied[shard], at)
            self.applied[shard] = at
        self.reads += 1
        live: dict[RelationTuple, bool] = {}
        for w in self.log.writes:
            if w.version <= at and w.tup.obj == obj and w.tup.relation == relation:
                live[w.tup] = w.op == "add"
        return [t for t, present in live.items() if present]

    # [start check]
    def check(self, obj: str, relation: str, user: str, at: int | None, depth: int = 0) -> bool:
        """Does ``user`` have ``relation`` on ``obj`` at snapshot ``at``?"""
        if depth > self.max_depth:
            raise DepthExceeded(f"{obj}#{relation} deeper than {self.max_depth}")
        rewrite = CONFIG[namespace(obj)][relation]
        return self._eval(rewrite, obj, relation, user, at, depth)

    def _eval(self, rw: Rewrite, obj: str, relation: str, user: str, at: int | None,
              depth: int) -> bool:
        if isinstance(rw, Union):
            return any(self._eval(c, obj, relation, user, at, depth) for c in rw.children)
        if isinstance(rw, Computed):
            return self.check(obj, rw.relation, user, at, depth + 1)
        if isinstance(rw, TupleToUserset):
            return any(self.check(t.user.obj, rw.computed, user, at, depth + 1)
                       for t in self.read(obj, rw.tupleset, at) if isinstance(t.user, Userset))
        for t in self.read(obj, relation, at):  # This: direct users and nested usersets
            if t.user == user:
                return True
            if isinstance(t.user, Userset) and self.check(t.user.obj, t.user.relation, user,
                                                          at, depth + 1):
                return True
        return False
    # [end check]


def decide(replica: Replica, obj: str, relation: str, user: str, at: int | None) -> str:
    """'allow', 'deny', or 'error (deny)' when the depth limit is hit."""
    try:
        return "allow" if replica.check(obj, relation, user, at) else "deny"
    except DepthExceeded:
        return "error (deny)"


# --- The paper's new enemy examples --------------------------------------------

# [start history]
HISTORY = [
    ("add", "folder:plans#viewer@user:bob"),     # v1
    ("add", "folder:plans#viewer@user:dana"),    # v2
    ("add", "doc:roadmap#viewer@user:bob"),      # v3
    ("remove", "folder:plans#viewer@user:bob"),  # v4  Alice removes Bob from the folder
    ("add", "doc:q3#parent@folder:plans#..."),   # v5  Charlie files a new doc in it
    ("remove", "doc:roadmap#viewer@user:bob"),   # v6  Alice removes Bob from the doc
]
# [end history]


def new_enemy_report() -> list[str]:
    """Replay both examples against a replica whose folder shard lags its doc shard."""
    log = Log()
    for op, text in HISTORY:
        log.apply(op, text)
    lines = ["write log:"]
    lines += [f"  v{w.version} {w.op:<6} {w.tup}" for w in log.writes]

    def replica() -> Replica:
        return Replica(log, {"folder": 3, "doc": 5, "group": 6})

    lines.append("replica: folder shard applied through v3, doc shard through v5")
    lines.append("\nExample A: Bob was removed from the folder (v4) before doc:q3 was filed (v5)")
    zookie_a = 5  # returned by the check Charlie's write made when filing the doc
    for label, at in (("each shard at its latest", None), ("one snapshot, v3", 3),
                      (f"snapshot >= zookie v{zookie_a}", zookie_a)):
        r = replica()
        bob = decide(r, "doc:q3", "viewer", "user:bob", at)
        dana = decide(r, "doc:q3", "viewer", "user:dana", at)
        note = f"  (folder v{r.waited['folder'][0]}->v{r.waited['folder'][1]} first)" \
            if "folder" in r.waited else ""
        lines.append(f"  {label:<26} bob: {bob:<5} dana: {dana}{note}")
    lines.append("\nExample B: Bob removed from doc:roadmap (v6), then new content is saved")
    zookie_b = log.version  # content-change check ran at the latest snapshot
    for label, at in (("replica's latest (v5)", None), (f"snapshot >= zookie v{zookie_b}",
                                                        zookie_b)):
        r = replica()
        bob = decide(r, "doc:roadmap", "viewer", "user:bob", at)
        note = f"  (doc v{r.waited['doc'][0]}->v{r.waited['doc'][1]} first)" \
            if "doc" in r.waited else ""
        lines.append(f"  {label:<26} bob reads new content: {bob}{note}")
    return lines


def depth_report(chain: int, max_depth: int) -> list[str]:
    """A nested-group chain longer than the limit, and a group cycle."""
    log = Log()
    log.apply("add", "doc:wiki#viewer@group:g0#member")
    for i in range(chain):
        log.apply("add", f"group:g{i}#member@group:g{i + 1}#member")
    log.apply("add", f"group:g{chain}#member@user:zoe")
    log.apply("add", "group:a#member@group:b#member")
    log.apply("add", "group:b#member@group:a#member")
    log.apply("add", "doc:loop#viewer@group:a#member")
    applied = {"doc": log.version, "group": log.version, "folder": log.version}
    deep = Replica(log, dict(applied), max_depth=max_depth)
    ok = Replica(log, dict(applied), max_depth=chain + 5)
    loop = Replica(log, dict(applied), max_depth=max_depth)
    return [
        f"\ndepth limit {max_depth}, zoe is {chain + 1} groups below doc:wiki:",
        f"  check with limit {max_depth}: {decide(deep, 'doc:wiki', 'viewer', 'user:zoe', None)}",
        f"  check with limit {chain + 5}: {decide(ok, 'doc:wiki', 'viewer', 'user:zoe', None)}"
        f" after {ok.reads} tuple reads",
        f"  cycle a->b->a, check for bob: {decide(loop, 'doc:loop', 'viewer', 'user:bob', None)}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the new enemy replay and the depth-limit demonstration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chain", type=int, default=30, help="length of the nested-group chain")
    parser.add_argument("--max-depth", type=int, default=25)
    args = parser.parse_args(argv)
    for line in new_enemy_report() + depth_report(args.chain, args.max_depth):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
