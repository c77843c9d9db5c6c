"""Pin the load-balancing simulation: what each policy does to queues and tail latency."""

import random

from dsd_labs.load_balancing import policies, simulation

HOMOGENEOUS = (1.0,) * 10


def results(speeds, utilization, requests=30_000, seed=3, **kwargs):
    return {r.policy: r for r in simulation.run_all(speeds, utilization, requests, seed,
                                                     **kwargs)}


def test_power_of_two_keeps_queues_far_below_random() -> None:
    runs = results(HOMOGENEOUS, 0.9)
    p2c, rand = runs["power of two choices"], runs["random"]
    assert p2c.max_queue * 3 < rand.max_queue
    assert p2c.p99_ms * 2 < rand.p99_ms


def test_mean_latency_tracks_the_supermarket_model() -> None:
    # Mitzenmacher: with d = 2 choices at load 0.9 the mean time in system tends to
    # sum over i ≥ 1 of 0.9^(2^i − 2) ≈ 2.61 mean service times as n grows; one
    # random choice gives 1 / (1 − 0.9) = 10. Ten servers sit close to both limits.
    runs = results(HOMOGENEOUS, 0.9, requests=60_000)
    assert 20 < runs["power of two choices"].mean_ms < 35
    assert 75 < runs["random"].mean_ms < 125


def test_round_robin_beats_random_on_equal_servers_and_least_outstanding_beats_both() -> None:
    runs = results(HOMOGENEOUS, 0.9)
    assert runs["round robin"].p99_ms < runs["random"].p99_ms
    assert runs["least outstanding"].p99_ms < runs["power of two choices"].p99_ms
    assert runs["least outstanding"].p99_ms < runs["round robin"].p99_ms


def test_load_blind_policies_overload_slow_servers() -> None:
    speeds = simulation.DEFAULT_SPEEDS
    runs = results(speeds, 0.7)
    for name in ("random", "round robin"):
        assert runs[name].max_queue > 500  # 77 req/s into a 50 req/s server grows without bound
    for name in ("weighted round robin", "least outstanding", "power of two choices"):
        assert runs[name].max_queue < 40
        assert runs[name].p99_ms < 200


def test_round_robin_splits_exactly_and_weighted_round_robin_follows_weights() -> None:
    speeds = simulation.DEFAULT_SPEEDS
    runs = results(speeds, 0.7, requests=11_000)
    assert max(runs["round robin"].per_server) - min(runs["round robin"].per_server) <= 1
    wrr = runs["weighted round robin"].per_server
    for count, speed in zip(wrr, speeds, strict=True):
        assert abs(count - 11_000 * speed / sum(speeds)) <= 1


def test_stale_view_makes_least_outstanding_herd_but_not_power_of_two() -> None:
    live = results(HOMOGENEOUS, 0.9)
    stale = results(HOMOGENEOUS, 0.9, refresh_ms=100.0,
                    names=("least outstanding", "power of two choices"))
    assert stale["least outstanding"].mean_ms > live["random"].mean_ms
    assert stale["power of two choices"].mean_ms < live["random"].mean_ms
    assert stale["least outstanding"].max_queue > 3 * stale["power of two choices"].max_queue


def test_static_weights_cannot_follow_a_server_that_slows_down() -> None:
    speeds = simulation.DEFAULT_SPEEDS
    slow = simulation.Degradation(0, 10_000.0, 20_000.0, 0.1)
    runs = results(speeds, 0.7, degradation=slow,
                   names=("weighted round robin", "least outstanding", "power of two choices"))
    assert runs["weighted round robin"].max_queue > 500
    assert runs["least outstanding"].max_queue < 20
    assert runs["power of two choices"].max_queue < 30


def test_ties_are_broken_at_random() -> None:
    policy = policies.LeastOutstanding(random.Random(0))
    picks = {policy.pick(4, lambda i: 0) for _ in range(200)}
    assert picks == {0, 1, 2, 3}


def test_same_seed_same_result() -> None:
    first = simulation.run_all(HOMOGENEOUS, 0.8, 5_000, 7)
    second = simulation.run_all(HOMOGENEOUS, 0.8, 5_000, 7)
    assert first == second


def test_main_prints_the_three_tables(capsys) -> None:
    assert simulation.main(["--requests", "3000"]) == 0
    out = capsys.readouterr().out
    assert "policy (live load view)" in out
    assert "policy (stale load view)" in out
    assert "server 0 runs at 0.1 of its speed" in out
    for name in policies.POLICY_NAMES:
        assert name in out
