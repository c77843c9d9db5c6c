"""Pin the eviction lab: each policy's rule on hand cases, and the hit-ratio orderings it shows."""

import math

import pytest

from dsd_labs.caching import eviction as ev
from dsd_labs.caching.workload import Zipf, scan_trace, shift_trace, zipf_trace


def run(policy: ev.Policy, keys: list[int]) -> list[bool]:
    return [policy.access(k) for k in keys]


def test_lru_evicts_the_least_recently_used_key() -> None:
    lru = ev.LRU(2)
    assert run(lru, [1, 2, 1, 3]) == [False, False, True, False]  # 3 evicts 2, not 1
    assert run(lru, [1, 2]) == [True, False]


def test_fifo_ignores_hits() -> None:
    fifo = ev.FIFO(2)
    assert run(fifo, [1, 2, 1, 3]) == [False, False, True, False]  # 3 evicts 1 anyway
    assert run(fifo, [1]) == [False]


def test_lfu_evicts_the_least_frequent_key() -> None:
    lfu = ev.LFU(2)
    run(lfu, [1, 1, 1, 2, 3])  # 3 evicts 2 (count 1), keeps 1 (count 3)
    assert lfu.access(1)
    assert not lfu.access(2)


def test_sketch_never_undercounts_and_ages() -> None:
    sketch = ev.CountMinSketch(width=64, sample_size=1_000)
    for key in range(50):
        for _ in range(key % 7):
            sketch.increment(key)
    assert all(sketch.estimate(key) >= key % 7 for key in range(50))
    aging = ev.CountMinSketch(width=64, sample_size=100)
    for _ in range(20):
        aging.increment(999)
    assert aging.estimate(999) == 15  # 4-bit counters saturate
    for key in range(80):
        aging.increment(key)  # the 100th increment halves every counter
    assert aging.estimate(999) < 10


def test_window_tinylfu_rejects_a_one_hit_candidate() -> None:
    cache = ev.WTinyLFU(100)
    for _ in range(5):
        for key in range(99):
            cache.access(key)
    for key in range(1_000, 1_050):  # one-time keys pass through the window only
        cache.access(key)
    assert sum(cache.access(key) for key in range(99)) >= 95


@pytest.fixture(scope="module")
def zipf_results() -> dict[int, dict[str, float]]:
    trace = zipf_trace(20_000, 0.9, 40_000, seed=3)
    return {size: ev.compare(trace, size, warmup=10_000) for size in (50, 200, 2_000)}


def test_no_policy_beats_the_ceiling(zipf_results: dict[int, dict[str, float]]) -> None:
    zipf = Zipf(20_000, 0.9)
    for size, ratios in zipf_results.items():
        for ratio in ratios.values():
            assert ratio <= zipf.top_share(size) + 0.02


def test_hit_ratio_grows_with_size(zipf_results: dict[int, dict[str, float]]) -> None:
    for name in ev.POLICIES:
        series = [zipf_results[s][name] for s in (50, 200, 2_000)]
        assert series == sorted(series)


def test_frequency_beats_recency_on_a_stationary_zipf(
        zipf_results: dict[int, dict[str, float]]) -> None:
    small = zipf_results[200]
    assert small["LRU"] > small["FIFO"]
    assert small["W-TinyLFU"] > small["LRU"] + 0.05
    assert small["LFU"] > small["LRU"] + 0.05


def test_sampled_lru_tracks_exact_lru(zipf_results: dict[int, dict[str, float]]) -> None:
    for ratios in zipf_results.values():
        assert math.isclose(ratios["LRU~5"], ratios["LRU"], abs_tol=0.015)


def test_scans_flush_lru_but_not_admission_policies() -> None:
    trace = scan_trace(20_000, 0.9, 40_000, seed=3, scan_every=200, scan_length=200)
    ratios = ev.compare(trace, 200, warmup=10_000, only_below=20_000)
    clean = ev.compare(zipf_trace(20_000, 0.9, 40_000, seed=3), 200, warmup=10_000)
    assert ratios["LRU"] < clean["LRU"] - 0.05
    assert ratios["W-TinyLFU"] > ratios["LRU"] + 0.05
    assert ratios["LFU"] > ratios["LRU"] + 0.05


def test_aging_lets_tinylfu_follow_a_popularity_shift() -> None:
    trace = shift_trace(20_000, 0.9, 60_000, seed=3)
    ratios = ev.compare(trace, 500, warmup=10_000)
    assert ratios["W-TinyLFU"] > ratios["LFU"] + 0.03


def test_main_prints_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.main(["--keys", "5000", "--requests", "8000", "--sizes", "50", "500"]) == 0
    out = capsys.readouterr().out
    assert "hit ratio by cache size" in out
    assert "W-TinyLFU" in out
    assert "Zipf + one-time scans" in out and "popularity shift" in out
