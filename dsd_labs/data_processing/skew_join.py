"""A skewed join four ways: hash partitioning, salting, broadcast, and AQE-style splitting.

A fact table of orders joins a dimension table of customers on
``customer_id``. One customer (a marketplace's own store account, say) owns
a large share of the orders. The lab runs the same equi-join with each
strategy a distributed engine can use and reports, per strategy, the rows
the busiest task must process (which sets the stage's completion time), the
rows sent over the network, and whether the join result matches a
single-process join.

- **Hash partitioning** (a shuffle join): both sides are hashed on the key
  into P partitions. Every row of the hot key lands in one partition.
- **Salting**: rows of the hot keys get a random salt in ``[0, S)`` and are
  hashed on ``(key, salt)``; the dimension rows of those keys are copied S
  times, once per salt, so every salted fact row still finds its match.
- **Broadcast**: the whole dimension table is sent to every executor and
  each task joins one input split of the fact table locally. Nothing of
  the fact table moves, so skew in the key does not matter.
- **Skew split** (what Spark's adaptive query execution does for a
  sort-merge join): hash-partition as usual, then cut any partition larger
  than ``factor`` times the median (and than a minimum size) into chunks of
  about the target size, each chunk joined with a copy of the other side's
  matching partition.

Run: ``python -m dsd_labs.data_processing.skew_join --seed 1``
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import zlib
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Row = tuple[int, Hashable]  # (row id, join key)
Joined = tuple[int, int]  # (order id, customer row id) for each matched pair


def bucket(value: str, partitions: int) -> int:
    """A deterministic hash partition, the same on every machine."""
    return zlib.crc32(value.encode()) % partitions


def make_tables(rng: random.Random, orders: int, customers: int,
                hot_share: float) -> tuple[list[Row], list[Row]]:
    """Orders whose customer 0 owns ``hot_share`` of the rows; one row per customer."""
    fact: list[Row] = [(i, 0 if rng.random() < hot_share else rng.randrange(1, customers))
                       for i in range(orders)]
    dim: list[Row] = [(c, c) for c in range(customers)]
    return fact, dim


@dataclass(frozen=True)
class Task:
    """The rows one join task receives from each side."""

    fact: tuple[Row, ...]
    dim: tuple[Row, ...]

    @property
    def rows(self) -> int:
        """Rows the task must read and process."""
        return len(self.fact) + len(self.dim)


@dataclass(frozen=True)
class Plan:
    """A join strategy's tasks and the rows it moved over the network."""

    name: str
    tasks: tuple[Task, ...]
    network_rows: int


def join_task(task: Task) -> list[Joined]:
    """A hash join inside one task: build on the dimension rows, probe with the fact rows."""
    table: dict[Hashable, list[int]] = defaultdict(list)
    for row_id, key in task.dim:
        table[key].append(row_id)
    return [(order_id, match) for order_id, key in task.fact for match in table.get(key, ())]


def execute(plan: Plan) -> list[Joined]:
    """Run every task and return the sorted join result."""
    return sorted(pair for task in plan.tasks for pair in join_task(task))


def hash_plan(fact: Sequence[Row], dim: Sequence[Row], partitions: int) -> Plan:
    """Shuffle both sides by ``hash(key) mod P``: equal keys meet in one task."""
    f: list[list[Row]] = [[] for _ in range(partitions)]
    d: list[list[Row]] = [[] for _ in range(partitions)]
    for row in fact:
        f[bucket(str(row[1]), partitions)].append(row)
    for row in dim:
        d[bucket(str(row[1]), partitions)].append(row)
    tasks = tuple(Task(tuple(a), tuple(b)) for a, b in zip(f, d, strict=True))
    return Plan("hash partitioning", tasks, len(fact) + len(dim))


def hot_keys(fact: Sequence[Row], sample_every: int, share: float) -> set[int]:
    """Keys holding more than ``share`` of a 1-in-``sample_every`` sample of the fact table."""
    sample = Counter(key for _, key in fact[::sample_every])
    total = sum(sample.values())
    return {key for key, count in sample.items() if count > share * total}


# [start salt plan]
def salted_plan(fact: Sequence[Row], dim: Sequence[Row], partitions: int, salts: int,
                rng: random.Random) -> Plan:
    """Spread each hot key over ``salts`` sub-keys; copy its dimension row once per salt.

    The join key becomes ``(key, salt)`` on both sides. Joining the salted
    rows on ``key`` alone would match each order with every copy of its
    customer that shares the task, and duplicate results.
    """
    hot = hot_keys(fact, sample_every=100, share=0.01)
    f: list[list[Row]] = [[] for _ in range(partitions)]
    d: list[list[Row]] = [[] for _ in range(partitions)]
    for row_id, key in fact:
        salt = rng.randrange(salts) if key in hot else 0
        f[bucket(f"{key}#{salt}", partitions)].append((row_id, (key, salt)))
    copies = 0
    for row_id, key in dim:
        for salt in range(salts if key in hot else 1):
            d[bucket(f"{key}#{salt}", partitions)].append((row_id, (key, salt)))
            copies += 1
    tasks = tuple(Task(tuple(a), tuple(b)) for a, b in zip(f, d, strict=True))
    return Plan(f"salting ({salts} salts)", tasks, len(fact) + copies)
# [end salt plan]


def broadcast_plan(fact: Sequence[Row], dim: Sequence[Row], partitions: int,
                   executors: int) -> Plan:
    """Every task joins one input split of the fact table with the whole dimension table."""
    size = math.ceil(len(fact) / partitions)
    splits = [tuple(fact[i:i + size]) for i in range(0, len(fact), size)]
    tasks = tuple(Task(split, tuple(dim)) for split in splits)
    return Plan("broadcast", tasks, len(dim) * executors)


def skew_split_plan(fact: Sequence[Row], dim: Sequence[Row], partitions: int,
                    factor: float, minimum: int) -> Plan:
    """Hash-partition, then split oversized fact partitions into median-sized chunks.

    A partition is skewed when it exceeds both ``factor`` times the median
    partition and ``minimum`` rows (Spark's ``skewedPartitionFactor`` and
    ``skewedPartitionThresholdInBytes``). Each chunk is joined with a full
    copy of the dimension side's matching partition, which the chunk's
    task reads again.
    """
    base = hash_plan(fact, dim, partitions)
    median = statistics.median(len(t.fact) for t in base.tasks)
    target = max(1, math.ceil(median))
    tasks: list[Task] = []
    extra = 0
    for task in base.tasks:
        size = len(task.fact)
        if size > factor * median and size > minimum:
            chunks = math.ceil(size / target)
            step = math.ceil(size / chunks)
            tasks += [Task(task.fact[i:i + step], task.dim) for i in range(0, size, step)]
            extra += (chunks - 1) * len(task.dim)
        else:
            tasks.append(task)
    return Plan("skew split (AQE style)", tuple(tasks), base.network_rows + extra)


def describe(plan: Plan, reference: Sequence[Row]) -> str:
    """One report line: tasks, busiest task, imbalance, network rows, correctness."""
    loads = [t.rows for t in plan.tasks]
    mean = sum(loads) / len(loads)
    same = "yes" if execute(plan) == reference else "NO"
    return (f"{plan.name:<24} {len(loads):>5} {max(loads):>9,} {max(loads) / mean:>8.1f}"
            f" {plan.network_rows:>9,}  {same}")


def main(argv: list[str] | None = None) -> int:
    """Run the four strategies on one skewed table pair and compare them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--hot-share", type=float, default=0.3,
                        help="share of orders that belong to the hot customer")
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--salts", type=int, default=16)
    parser.add_argument("--executors", type=int, default=8)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    fact, dim = make_tables(rng, args.orders, args.customers, args.hot_share)
    reference = sorted(fact)  # each order's customer row id equals its key
    hot = Counter(key for _, key in fact).most_common(1)[0]
    print(f"orders: {len(fact):,} rows; customers: {len(dim):,} rows; customer {hot[0]} "
          f"owns {hot[1]:,} orders")
    print(f"({100 * hot[1] / len(fact):.1f}% of all orders)")
    print(f"P = {args.partitions} partitions, {args.executors} executors; "
          f"an even spread is {len(fact) // args.partitions:,} order rows per task\n")
    plans = [
        hash_plan(fact, dim, args.partitions),
        salted_plan(fact, dim, args.partitions, args.salts, random.Random(args.seed + 1)),
        broadcast_plan(fact, dim, args.partitions, args.executors),
        skew_split_plan(fact, dim, args.partitions, factor=5.0, minimum=1_000),
    ]
    print(f"{'strategy':<24} {'tasks':>5} {'max rows':>9} {'max/mean':>8} {'net rows':>9}"
          "  same result")
    for plan in plans:
        print(describe(plan, reference))
    print("\nmax rows: order and customer rows read by the busiest task; net rows: rows")
    print("shuffled, plus dimension rows copied by salting, broadcast or chunk replication")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
