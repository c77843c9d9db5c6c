"""Pin scatter-gather: the slowest of k responses sets the latency, and it grows with k."""

import random

from dsd_labs.partitioning import scatter_gather as sg


def test_fanout_quantile_is_the_single_quantile_at_q_to_the_one_over_k() -> None:
    single = sg.sample(random.Random(2), 50_000)
    assert sg.fanout_quantile(single, 1, 0.5) == sg.quantile(single, 0.5)
    medians = [sg.fanout_quantile(single, k, 0.5) for k in (1, 4, 16, 64, 256)]
    assert medians == sorted(medians)
    assert medians[-1] > 10 * medians[0]  # at 256 the median query waits for a stall


def test_fanout_matches_a_direct_simulation() -> None:
    rng = random.Random(4)
    single = sg.sample(rng, 50_000)
    k = 16
    maxima = sorted(max(sg.draw_latency(rng) for _ in range(k)) for _ in range(4_000))
    predicted = sg.fanout_quantile(single, k, 0.5)
    assert abs(sg.quantile(maxima, 0.5) - predicted) < 0.15 * predicted


def test_any_stall_probability() -> None:
    assert abs(sg.slow_fraction(1) - 0.01) < 1e-12
    assert abs(sg.slow_fraction(64) - (1 - 0.99**64)) < 1e-12


def test_global_index_touches_fewer_partitions_and_stalls_less() -> None:
    rng = random.Random(6)
    single = sg.sample(rng, 50_000)
    glob = sg.global_index_latencies(single, 5, 32, 5_000, rng)
    stalled = sum(1 for x in glob if x > sg.STALL_MS) / len(glob)
    assert stalled < sg.slow_fraction(32) / 2


def test_main_prints_both_tables(capsys) -> None:
    assert sg.main(["--samples", "20000", "--trials", "2000"]) == 0
    out = capsys.readouterr().out
    assert "fan-out k" in out
    assert "query by a secondary attribute" in out
