"""All placement schemes side by side, on the same keys and the same membership changes.

The table answers the questions you ask when choosing a scheme: how even is
the load, how many keys move when a node joins or an arbitrary node leaves,
what does one lookup cost, and how much state must every router hold beyond
the list of nodes. Balance and movement are counted over real keys; lookup
cost is counted in hash evaluations and steps, not timed, so the output is
the same on every machine.

Run: ``python -m dsd_labs.partitioning.compare --seed 1``
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dsd_labs.partitioning.consistent_hash import HashRing, modulo_owner
from dsd_labs.partitioning.jump_hash import jump_owner, jump_steps
from dsd_labs.partitioning.keyspace import (
    Balance,
    hash64,
    key_balance,
    make_keys,
    moved_fraction,
    node_names,
    sampling_cv,
)
from dsd_labs.partitioning.rendezvous import rendezvous_owner

Placement = Callable[[Sequence[str]], Callable[[str], str]]


@dataclass(frozen=True)
class Row:
    """One scheme's measurements."""

    scheme: str
    balance: Balance
    join: float
    leave: float
    lookup: str
    state: str


def leave_list(nodes: Sequence[str], gone: str, fill_hole: bool) -> list[str]:
    """Survivors after ``gone`` leaves, either renumbered or with the last node moved into the hole.

    Schemes that index nodes by position (modulo, jump) must pick one;
    schemes that look nodes up by name (ring, rendezvous) ignore the order.
    """
    if not fill_hole or gone == nodes[-1]:
        return [n for n in nodes if n != gone]
    survivors = list(nodes[:-1])
    survivors[nodes.index(gone)] = nodes[-1]
    return survivors


def measure(scheme: str, place: Placement, nodes: Sequence[str], keys: Sequence[str],
            gone: str, fill_hole: bool, lookup: str, state: str) -> Row:
    """Balance over ``nodes``; keys moved when one node joins, and when ``gone`` leaves."""
    base = place(nodes)
    grown = place([*nodes, f"n{len(nodes)}"])
    shrunk = place(leave_list(nodes, gone, fill_hole))
    return Row(scheme, key_balance(base, keys, len(nodes)), moved_fraction(base, grown, keys),
               moved_fraction(base, shrunk, keys), lookup, state)


def compare(n: int, keys: Sequence[str], gone: str, vnode_counts: Sequence[int]) -> list[Row]:
    """Measure every scheme over ``n`` nodes."""
    names = node_names(n)
    rows = [measure("hash mod N", modulo_owner, names, keys, gone, False, "1 hash", "none")]
    for v in vnode_counts:
        steps = math.ceil(math.log2(n * v))
        rows.append(measure(f"ring, {v} vnodes", lambda ns, v=v: HashRing(ns, v).owner,
                            names, keys, gone, False, f"1 hash + {steps} cmp",
                            f"{n * v:,} tokens"))
    rows.append(measure("rendezvous", rendezvous_owner, names, keys, gone, False,
                        f"{n} hashes", "none"))
    sample = [hash64(k) for k in keys[:10_000]]
    steps = sum(jump_steps(h, n) for h in sample) / len(sample)
    rows.append(measure("jump (fill hole)", jump_owner, names, keys, gone, True,
                        f"1 hash + {steps:.1f} steps", "none"))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print one table comparing the schemes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="chooses the node that leaves")
    parser.add_argument("--nodes", type=int, default=10)
    parser.add_argument("--keys", type=int, default=40_000)
    parser.add_argument("--vnodes", default="16,256")
    args = parser.parse_args(argv)
    names = node_names(args.nodes)
    gone = random.Random(args.seed).choice(names[:-1])
    keys = make_keys(args.keys)
    vnode_counts = [int(x) for x in args.vnodes.split(",")]
    n = args.nodes
    print(f"placement schemes compared: N = {n}, {args.keys:,} keys; "
          f"n{n} joins, or {gone} leaves")
    print(f"{'scheme':<17} {'max/mean':>8} {'CV':>6} {'join':>7} {'leave':>7}  "
          f"{'lookup work':<19} extra state")
    for row in compare(n, keys, gone, vnode_counts):
        print(f"{row.scheme:<17} {row.balance.max_over_mean:>8.3f} {row.balance.cv:>6.3f} "
              f"{row.join:>7.2%} {row.leave:>7.2%}  {row.lookup:<19} {row.state}")
    print(f"(ideal: join {1 / (n + 1):.2%}, leave = the departing node's share; "
          f"counting floor for CV {sampling_cv(args.keys, n):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
