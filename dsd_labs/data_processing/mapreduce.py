"""A small MapReduce engine with worker failures, re-execution and backup tasks.

The engine follows the execution model of Dean and Ghemawat's 2004 paper.
The input is cut into M splits. Each map task runs the user's map function
over one split and files its intermediate pairs into R partitions chosen by
a partitioning function on the key; an optional combiner pre-aggregates
each partition before it leaves the map task. Each of the R reduce tasks
fetches its partition from every map task, groups the pairs by key and runs
the reduce function.

Execution is simulated in virtual time on a handful of workers, so that
crashes and slow machines can be staged deterministically. A master assigns
idle tasks to free workers and notices a crashed worker only after a
heartbeat timeout. It then resets to idle every task that worker was
running *and every map task it had completed*, because completed map output
lives on the crashed machine's local disk; completed reduce output is in
the (simulated) global file system and survives. When a phase has no idle
task left, the master can launch a backup copy of each task still running;
the first copy to finish commits, and later completions are discarded.
One simplification: a reduce task fetches all its input when it starts,
and the simulation does not model a fetch from a machine that has crashed
but is not yet declared dead.

Run: ``python -m dsd_labs.data_processing.mapreduce --seed 1``
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import random
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

Pair = tuple[str, int]
Record = tuple[str, str]
MapFn = Callable[[str, str], Iterable[Pair]]
ReduceFn = Callable[[str, list[int]], int]
Task = tuple[str, int]  # ("map", i) or ("reduce", r)


# [start partition]
def partition_for(key: str, reducers: int) -> int:
    """The reduce partition of ``key``, computed identically by every worker.

    Python's built-in ``hash`` of a string is salted per process, so two map
    workers using it would send the same key to different reducers and the
    reduce for that key would see only part of its values. CRC-32 of the
    UTF-8 bytes is the same on every machine, in every run.
    """
    return zlib.crc32(key.encode()) % reducers
# [end partition]


def pair_bytes(key: str, value: int) -> int:
    """Serialized size of one intermediate pair, written as a tab-separated line."""
    return len(f"{key}\t{value}\n".encode())


@dataclass(frozen=True)
class Job:
    """The user's part of a MapReduce program: map, reduce, R and an optional combiner."""

    map_fn: MapFn
    reduce_fn: ReduceFn
    reducers: int
    combiner: ReduceFn | None = None


@dataclass(frozen=True)
class MapOutput:
    """The R sorted partitions one map task leaves on its worker's local disk."""

    partitions: tuple[tuple[Pair, ...], ...]

    @property
    def pairs(self) -> int:
        """Intermediate pairs across all partitions."""
        return sum(len(p) for p in self.partitions)

    @property
    def size(self) -> int:
        """Bytes the reducers will fetch from this map task."""
        return sum(pair_bytes(k, v) for p in self.partitions for k, v in p)


def run_map_task(split: Sequence[Record], job: Job) -> MapOutput:
    """Map every record of one split and file the output into R partitions.

    With a combiner, each partition holds one pair per distinct key: the
    combiner has already merged the values this split produced for it.
    """
    buckets: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(job.reducers)]
    for key, value in split:
        for out_key, out_value in job.map_fn(key, value):
            buckets[partition_for(out_key, job.reducers)][out_key].append(out_value)
    partitions = []
    for bucket in buckets:
        if job.combiner is None:
            pairs = [(k, v) for k in sorted(bucket) for v in bucket[k]]
        else:
            pairs = [(k, job.combiner(k, bucket[k])) for k in sorted(bucket)]
        partitions.append(tuple(pairs))
    return MapOutput(tuple(partitions))


def run_reduce_task(r: int, fetched: Iterable[MapOutput], job: Job) -> tuple[Pair, ...]:
    """Group partition ``r`` of every map output by key and reduce each group, in key order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for output in fetched:
        for key, value in output.partitions[r]:
            groups[key].append(value)
    return tuple((key, job.reduce_fn(key, groups[key])) for key in sorted(groups))


def word_count_map(doc_id: str, text: str) -> Iterable[Pair]:
    """Emit (word, 1) for every word of a document."""
    del doc_id
    for word in text.split():
        yield word, 1


def sum_values(key: str, values: list[int]) -> int:
    """Reduce and combine for word count: addition is associative and commutative."""
    del key
    return sum(values)


def word_count_job(reducers: int, combiner: bool) -> Job:
    """Word count with R reducers, with or without the sum as combiner."""
    return Job(word_count_map, sum_values, reducers, sum_values if combiner else None)


def make_corpus(rng: random.Random, documents: int, words: int, vocabulary: int) -> list[Record]:
    """Documents whose words follow a Zipf distribution, as natural-language words do."""
    vocab = [f"w{i:04d}" for i in range(vocabulary)]
    weights = [1 / (rank + 1) for rank in range(vocabulary)]
    return [(f"doc{d:04d}", " ".join(rng.choices(vocab, weights, k=words)))
            for d in range(documents)]


def make_splits(records: Sequence[Record], per_split: int) -> list[tuple[Record, ...]]:
    """Cut the input into consecutive splits of ``per_split`` records."""
    return [tuple(records[i:i + per_split]) for i in range(0, len(records), per_split)]


def run_sequential(records: Sequence[Record], job: Job) -> dict[str, int]:
    """The reference result: one process maps everything and reduces every key."""
    groups: dict[str, list[int]] = defaultdict(list)
    for key, value in records:
        for out_key, out_value in job.map_fn(key, value):
            groups[out_key].append(out_value)
    return {key: job.reduce_fn(key, values) for key, values in groups.items()}


@dataclass(frozen=True)
class Worker:
    """A worker machine: how fast it processes work units, and when (if ever) it crashes."""

    name: str
    speed: float = 100.0  # input words (map) or fetched pairs (reduce) per second
    crash_at: float | None = None


@dataclass
class Attempt:
    """One execution of a task on one worker."""

    ident: int
    task: Task
    worker: str
    start: float
    end: float
    backup: bool
    fetched: tuple[MapOutput, ...] = ()
    stopped: float | None = None  # when it finished, was killed, or was declared lost


@dataclass
class JobResult:
    """What one simulated run produced and what it cost."""

    output: dict[str, int]
    makespan: float
    map_attempts: int
    reduce_attempts: int
    backups: int
    lost_map_outputs: int
    maps_complete_at: float
    worker_seconds: float
    shuffle_pairs: int
    shuffle_bytes: int


@dataclass
class Master:
    """Schedules tasks on workers in virtual time, re-executes after crashes, runs backups."""

    splits: Sequence[Sequence[Record]]
    job: Job
    workers: Sequence[Worker]
    backups: bool = False
    heartbeat_timeout: float = 3.0
    now: float = 0.0
    map_done: dict[int, tuple[str, MapOutput]] = field(default_factory=dict)
    reduce_done: dict[int, tuple[Pair, ...]] = field(default_factory=dict)
    running: dict[int, Attempt] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)
    crashed: set[str] = field(default_factory=set)  # down, whether or not the master knows
    detected: set[str] = field(default_factory=set)
    lost_map_outputs: int = 0
    maps_complete_at: float = 0.0
    events: list[tuple[float, int, str, object]] = field(default_factory=list)
    sequence: Iterator[int] = field(default_factory=itertools.count)

    def run(self) -> JobResult:
        """Run the job to completion and collect the committed output."""
        by_name = {w.name: w for w in self.workers}
        for w in self.workers:
            if w.crash_at is not None:
                self._push(w.crash_at, "crash", w.name)
                self._push(w.crash_at + self.heartbeat_timeout, "detect", w.name)
        self._schedule(by_name)
        while len(self.reduce_done) < self.job.reducers:
            if not self.events:
                raise RuntimeError("no live worker is left to run the remaining tasks")
            self.now, _, kind, payload = heapq.heappop(self.events)
            if kind == "finish":
                self._finish(self.running.get(payload))  # type: ignore[arg-type]
            elif kind == "crash":
                self.crashed.add(payload)  # type: ignore[arg-type]
            else:
                self._detect(payload)  # type: ignore[arg-type]
            self._schedule(by_name)
        return self._result()

    def _push(self, when: float, kind: str, payload: object) -> None:
        heapq.heappush(self.events, (when, next(self.sequence), kind, payload))

    def _free_workers(self) -> list[str]:
        busy = {a.worker for a in self.running.values()}
        return [w.name for w in self.workers if w.name not in busy | self.detected]

    def _attempts_of(self, task: Task) -> list[Attempt]:
        return [a for a in self.running.values() if a.task == task]

    def _next_task(self, worker: str) -> tuple[Task, bool] | None:
        """An idle task for ``worker``, or a backup of a running one near the phase's end.

        Reduce tasks start only when every map output exists, so a map output
        lost in a crash holds back the reduces that have not fetched yet.
        """
        if len(self.map_done) < len(self.splits):
            phase = [("map", i) for i in range(len(self.splits)) if i not in self.map_done]
        else:
            phase = [("reduce", r) for r in range(self.job.reducers) if r not in self.reduce_done]
        for task in phase:
            if not self._attempts_of(task):
                return task, False
        if not self.backups:
            return None
        candidates = [a for a in self.running.values() if a.task in phase
                      and len(self._attempts_of(a.task)) == 1 and a.worker != worker]
        if not candidates:
            return None
        latest = max(candidates, key=lambda a: (a.end, a.ident))
        return latest.task, True

    def _schedule(self, by_name: dict[str, Worker]) -> None:
        for name in self._free_workers():
            choice = self._next_task(name)
            if choice is None:
                return
            self._start(choice[0], by_name[name], choice[1])

    def _start(self, task: Task, worker: Worker, backup: bool) -> None:
        kind, index = task
        if kind == "map":
            work = sum(len(text.split()) for _, text in self.splits[index])
            fetched: tuple[MapOutput, ...] = ()
        else:
            fetched = tuple(self.map_done[i][1] for i in range(len(self.splits)))
            work = sum(len(out.partitions[index]) for out in fetched)
        attempt = Attempt(len(self.attempts), task, worker.name, self.now,
                          self.now + work / worker.speed, backup, fetched)
        self.attempts.append(attempt)
        self.running[attempt.ident] = attempt
        if worker.name not in self.crashed:  # a crashed machine never reports back
            self._push(attempt.end, "finish", attempt.ident)

    def _finish(self, attempt: Attempt | None) -> None:
        """Commit the first copy of a task to finish; kill its other copies."""
        if attempt is None or attempt.worker in self.crashed:
            return
        del self.running[attempt.ident]
        attempt.stopped = self.now
        kind, index = attempt.task
        if kind == "map" and index not in self.map_done:
            self.map_done[index] = (attempt.worker, run_map_task(self.splits[index], self.job))
            if len(self.map_done) == len(self.splits):
                self.maps_complete_at = self.now
        elif kind == "reduce" and index not in self.reduce_done:
            self.reduce_done[index] = run_reduce_task(index, attempt.fetched, self.job)
        for other in self._attempts_of(attempt.task):
            other.stopped = self.now
            del self.running[other.ident]

    def _detect(self, worker: str) -> None:
        """The master declares ``worker`` dead and reschedules what it had.

        Its running tasks return to idle. Its completed map tasks return to
        idle too, since their output was on its local disk, unless every
        reduce has already committed. Its completed reduce output is safe in
        the global file system.
        """
        self.detected.add(worker)
        for attempt in [a for a in self.running.values() if a.worker == worker]:
            attempt.stopped = self.now
            del self.running[attempt.ident]
        if len(self.reduce_done) < self.job.reducers:
            for index in [i for i, (w, _) in self.map_done.items() if w == worker]:
                del self.map_done[index]
                self.lost_map_outputs += 1

    def _result(self) -> JobResult:
        output = {k: v for r in sorted(self.reduce_done) for k, v in self.reduce_done[r]}
        stops = [a.stopped if a.stopped is not None else self.now for a in self.attempts]
        committed = [out for _, out in self.map_done.values()]
        return JobResult(
            output=output,
            makespan=self.now,
            map_attempts=sum(a.task[0] == "map" for a in self.attempts),
            reduce_attempts=sum(a.task[0] == "reduce" for a in self.attempts),
            backups=sum(a.backup for a in self.attempts),
            lost_map_outputs=self.lost_map_outputs,
            maps_complete_at=self.maps_complete_at,
            worker_seconds=sum(s - a.start for s, a in zip(stops, self.attempts, strict=True)),
            shuffle_pairs=sum(out.pairs for out in committed),
            shuffle_bytes=sum(out.size for out in committed),
        )


def run_job(splits: Sequence[Sequence[Record]], job: Job, workers: Sequence[Worker],
            backups: bool = False) -> JobResult:
    """Run ``job`` on the simulated cluster and return its output and costs."""
    return Master(splits, job, workers, backups).run()


def cluster(count: int, slow: dict[str, float] | None = None,
            crash: dict[str, float] | None = None) -> list[Worker]:
    """``count`` workers at 100 units/s; ``slow`` divides a worker's speed, ``crash`` kills it."""
    slow, crash = slow or {}, crash or {}
    return [Worker(f"w{i}", 100.0 / slow.get(f"w{i}", 1.0), crash.get(f"w{i}"))
            for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    """Check the output against a sequential run under faults, and measure the combiner."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--words", type=int, default=100, help="words per document")
    parser.add_argument("--per-split", type=int, default=20, help="documents per split")
    parser.add_argument("--reducers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--slowdown", type=float, default=10.0, help="straggler's slowdown")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    corpus = make_corpus(rng, args.documents, args.words, vocabulary=2000)
    splits = make_splits(corpus, args.per_split)
    print(f"word count: {len(corpus):,} documents, {len(corpus) * args.words:,} words, "
          f"M = {len(splits)}, R = {args.reducers}")
    print(f"{args.workers} workers, each processing 100 words (or fetched pairs) per second")

    print("\nshuffle volume (what the map tasks hand to the reducers)")
    print("combiner     pairs       bytes  output = sequential run")
    sizes = {}
    for use in (False, True):
        job = word_count_job(args.reducers, use)
        result = run_job(splits, job, cluster(args.workers))
        sizes[use] = result.shuffle_bytes
        same = result.output == run_sequential(corpus, job)
        label = "yes" if use else "no"
        print(f"{label:<8}  {result.shuffle_pairs:>8,}  {result.shuffle_bytes:>10,}"
              f"  {'yes' if same else 'NO'}")
    print(f"the combiner removes {100 * (1 - sizes[True] / sizes[False]):.1f}% of shuffle bytes")

    job = word_count_job(args.reducers, combiner=True)
    reference = run_sequential(corpus, job)
    base = run_job(splits, job, cluster(args.workers))
    last = f"w{args.workers - 1}"
    late = round((base.maps_complete_at + base.makespan) / 2)
    scenarios = [
        ("no faults", cluster(args.workers), False),
        (f"straggler {last}, {args.slowdown:g}x slower",
         cluster(args.workers, slow={last: args.slowdown}), False),
        ("straggler, backup tasks", cluster(args.workers, slow={last: args.slowdown}), True),
        ("w1 dies at 50 s (maps)", cluster(args.workers, crash={"w1": 50.0}), False),
        (f"w1 dies at {late} s (reduces)", cluster(args.workers, crash={"w1": late}), False),
        ("w1 dies, straggler, backups", cluster(args.workers, slow={last: args.slowdown},
                                                crash={"w1": 50.0}), True),
    ]
    print("\nexecution in virtual time (combiner on)")
    print(f"{'scenario':<28} {'time':>7} {'maps':>4} {'reduces':>7} {'backups':>7} "
          f"{'lost':>4} {'work':>6} {'output':>7}")
    for name, workers, backups in scenarios:
        r = run_job(splits, job, workers, backups)
        same = "same" if r.output == reference else "DIFFERS"
        print(f"{name:<28} {r.makespan:>6.1f}s {r.map_attempts:>4} {r.reduce_attempts:>7} "
              f"{r.backups:>7} {r.lost_map_outputs:>4} {r.worker_seconds:>5.0f}s {same:>7}")
    print("time: job completion; maps, reduces: task executions started; lost: completed")
    print("map outputs re-executed after a crash; work: worker-seconds, wasted copies")
    print("included; output: \"same\" when it equals a sequential run")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
