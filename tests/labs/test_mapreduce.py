"""Pin the MapReduce lab: same output under crashes and stragglers, combiner shrinks the shuffle."""

import random
import subprocess
import sys
from pathlib import Path

import pytest

from dsd_labs.data_processing import mapreduce as mr


@pytest.fixture(scope="module")
def corpus() -> list[mr.Record]:
    return mr.make_corpus(random.Random(7), documents=120, words=60, vocabulary=500)


@pytest.fixture(scope="module")
def splits(corpus) -> list[tuple[mr.Record, ...]]:
    return mr.make_splits(corpus, per_split=10)


def test_partition_is_stable_across_processes() -> None:
    # Python's hash() is salted per process; the partition function must not be.
    code = "from dsd_labs.data_processing.mapreduce import partition_for as p; print(p('w0042', 7))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": str(seed)},
                           cwd=Path(__file__).resolve().parents[2]).stdout
            for seed in (1, 2, 3)}
    assert runs == {f"{mr.partition_for('w0042', 7)}\n"}


def test_each_key_reaches_exactly_one_reducer(splits) -> None:
    job = mr.word_count_job(reducers=5, combiner=False)
    outputs = [mr.run_map_task(split, job) for split in splits]
    owner: dict[str, set[int]] = {}
    for out in outputs:
        for r, part in enumerate(out.partitions):
            for key, _ in part:
                owner.setdefault(key, set()).add(r)
    assert all(len(rs) == 1 for rs in owner.values())


@pytest.mark.parametrize("combiner", [False, True])
def test_fault_free_run_equals_sequential(corpus, splits, combiner) -> None:
    job = mr.word_count_job(reducers=4, combiner=combiner)
    result = mr.run_job(splits, job, mr.cluster(3))
    assert result.output == mr.run_sequential(corpus, job)
    assert sum(result.output.values()) == 120 * 60


def test_combiner_shrinks_shuffle_and_keeps_output(splits) -> None:
    plain = mr.run_job(splits, mr.word_count_job(4, combiner=False), mr.cluster(3))
    combined = mr.run_job(splits, mr.word_count_job(4, combiner=True), mr.cluster(3))
    assert plain.shuffle_pairs == 120 * 60  # one pair per word without a combiner
    assert combined.shuffle_bytes < 0.7 * plain.shuffle_bytes
    assert combined.output == plain.output


@pytest.mark.parametrize(("slow", "crash", "backups"), [
    ({"w2": 10.0}, {}, False),
    ({"w2": 10.0}, {}, True),
    ({}, {"w1": 15.0}, False),
    ({}, {"w1": 75.0}, False),
    ({"w2": 10.0}, {"w1": 15.0}, True),
    ({}, {"w0": 5.0, "w1": 40.0}, True),
])
def test_output_identical_under_faults(corpus, splits, slow, crash, backups) -> None:
    job = mr.word_count_job(reducers=6, combiner=True)
    result = mr.run_job(splits, job, mr.cluster(4, slow=slow, crash=crash), backups=backups)
    assert result.output == mr.run_sequential(corpus, job)


def test_crash_reexecutes_completed_map_tasks(splits) -> None:
    job = mr.word_count_job(reducers=6, combiner=True)
    base = mr.run_job(splits, job, mr.cluster(4))
    # Crash after w1 has completed maps, while the map phase is still running.
    crashed = mr.run_job(splits, job, mr.cluster(4, crash={"w1": base.maps_complete_at * 0.6}))
    assert crashed.lost_map_outputs >= 1
    assert crashed.map_attempts > len(splits)
    assert crashed.makespan > base.makespan


def test_completed_reduce_output_survives_a_crash(splits) -> None:
    job = mr.word_count_job(reducers=2, combiner=True)
    base = mr.run_job(splits, job, mr.cluster(4))
    # With R = 2 < 4 workers every reduce starts at once; a crash after all commit loses nothing.
    late = mr.run_job(splits, job, mr.cluster(4, crash={"w0": base.makespan + 1.0}))
    assert late.reduce_attempts == 2
    assert late.lost_map_outputs == 0


def test_backup_tasks_cut_straggler_delay_at_small_cost(splits) -> None:
    job = mr.word_count_job(reducers=6, combiner=True)
    base = mr.run_job(splits, job, mr.cluster(4))
    slow = mr.run_job(splits, job, mr.cluster(4, slow={"w3": 10.0}))
    backed = mr.run_job(splits, job, mr.cluster(4, slow={"w3": 10.0}), backups=True)
    assert slow.makespan > 1.5 * base.makespan
    assert backed.makespan < 0.7 * slow.makespan
    assert backed.backups > 0
    assert backed.worker_seconds < slow.worker_seconds


def test_duplicate_completion_is_ignored(splits) -> None:
    # Backups with no straggler still launch copies; only one copy of each task commits.
    job = mr.word_count_job(reducers=6, combiner=True)
    master = mr.Master(splits, job, mr.cluster(4), backups=True)
    result = master.run()
    assert len(master.map_done) == len(splits)
    assert len(master.reduce_done) == 6
    assert result.map_attempts >= len(splits)


def test_main_prints_sections(capsys) -> None:
    assert mr.main([]) == 0
    out = capsys.readouterr().out
    assert "shuffle volume" in out
    assert "the combiner removes" in out
    assert "execution in virtual time" in out
    rows = [line for line in out.splitlines() if line.endswith("    same")]
    assert len(rows) == 6  # every scenario's output equals the sequential run
    assert not any(line.endswith(" DIFFERS") for line in out.splitlines())
    assert "  NO" not in out
