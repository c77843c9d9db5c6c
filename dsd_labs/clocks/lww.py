"""Last-write-wins with skewed clocks: the causally later write silently disappears.

A register is replicated on two coordinators, A and B, that stamp each write
with their own physical clock in microseconds (as Cassandra coordinators do
when the client supplies no timestamp) and keep the write with the largest
stamp. A client writes through A, reads its own write, then overwrites it
through B, whose clock lags A's. Both writes are acknowledged; the replicas
converge on the *first* value. The same script with a hybrid logical clock
that carries the client's last-seen stamp keeps the second value. A seeded
sweep then measures how often a lagging clock loses a read-then-write.

Run: ``python -m dsd_labs.clocks.lww --seed 3``
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass

from dsd_labs.clocks.hlc import HybridLogicalClock


@dataclass(frozen=True)
class Cell:
    """A stored cell: a value and the timestamp the coordinator gave it."""

    value: str
    stamp: tuple[int, int]


# [start lww merge]
def lww_merge(current: Cell | None, incoming: Cell) -> Cell:
    """Keep the cell with the larger timestamp; the loser is dropped without a trace.

    Nothing in the merge knows whether ``incoming`` was written by someone
    who had read ``current``: the timestamp is the only evidence it uses.
    """
    if current is None or incoming.stamp > current.stamp:
        return incoming
    return current
# [end lww merge]


def physical_run(skew_us: int, gap_us: int, start_us: int = 1_000_000) -> tuple[Cell, Cell, Cell]:
    """Write v1 via A at ``start_us``, then v2 via B ``gap_us`` later; B lags by ``skew_us``."""
    first = Cell("v1", (start_us, 0))
    second = Cell("v2", (start_us + gap_us - skew_us, 0))
    final = lww_merge(lww_merge(None, first), second)
    return first, second, final


def hlc_run(skew_us: int, gap_us: int, start_us: int = 1_000_000) -> tuple[Cell, Cell, Cell]:
    """The same writes, stamped by HLCs; the client passes the stamp it read to B."""
    node_a, node_b = HybridLogicalClock(), HybridLogicalClock()
    first = Cell("v1", node_a.send_or_local(start_us))
    seen_by_client = first.stamp  # returned with the read of v1
    second = Cell("v2", node_b.receive(start_us + gap_us - skew_us, seen_by_client))
    final = lww_merge(lww_merge(None, first), second)
    return first, second, final


def sweep(rng: random.Random, trials: int, skew_us: int, mean_gap_us: int) -> int:
    """Count read-then-write pairs lost when the second coordinator lags by ``skew_us``.

    The gap between the read-your-write and the overwrite is exponentially
    distributed with the given mean; a pair is lost when the gap is shorter
    than the skew (ties favor the first write, as the merge keeps ``current``).
    """
    lost = 0
    for _ in range(trials):
        gap = round(rng.expovariate(1 / mean_gap_us))
        _, _, final = physical_run(skew_us, gap)
        if final.value == "v1":
            lost += 1
    return lost


def main(argv: list[str] | None = None) -> int:
    """Run the two-write story with physical and hybrid clocks, then the sweep."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--skew-ms", type=int, default=30, help="how far B's clock lags A's")
    parser.add_argument("--gap-ms", type=int, default=5, help="time between the two writes")
    parser.add_argument("--trials", type=int, default=100_000)
    args = parser.parse_args(argv)
    skew, gap = args.skew_ms * 1000, args.gap_ms * 1000
    print(f"B's clock lags A's by {args.skew_ms} ms; v2 is written {args.gap_ms} ms after v1,"
          " by a client that read v1")
    for label, runner in (("physical clocks", physical_run), ("hybrid clocks", hlc_run)):
        first, second, final = runner(skew, gap)
        print(f"{label}: v1 stamp {first.stamp}, v2 stamp {second.stamp} "
              f"-> register keeps {final.value}")
    rng = random.Random(args.seed)
    print(f"\nsweep: {args.trials} read-then-write pairs, mean gap 20 ms between the writes")
    print("skew (ms)  lost writes  lost (%)")
    for skew_ms in (1, 5, 10, 30, 100):
        lost = sweep(rng, args.trials, skew_ms * 1000, 20_000)
        print(f"{skew_ms:>9}  {lost:>11}  {100 * lost / args.trials:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
