"""Pin the stampede lab: database queries per refresh under each protection."""

import math
import random

import pytest

from dsd_labs.caching import stampede as st

SCENARIO = st.Scenario(rate=1_000.0, servers=40, ttl=30.0, recompute=0.3, duration=300.0)


@pytest.fixture(scope="module")
def results() -> dict[str, st.Result]:
    return {s: st.simulate(s, SCENARIO, seed=5) for s in st.STRATEGIES}


def test_plain_ttl_sends_rate_times_recompute_per_expiry(results: dict[str, st.Result]) -> None:
    r = results["plain TTL"]
    assert r.db_queries / r.cycles == pytest.approx(SCENARIO.rate * SCENARIO.recompute, rel=0.1)
    assert r.waited == r.db_queries


def test_coalescing_caps_queries_at_one_per_server(results: dict[str, st.Result]) -> None:
    r = results["coalesce per server"]
    assert r.db_queries / r.cycles <= SCENARIO.servers
    assert r.peak_concurrent <= SCENARIO.servers


def test_lease_allows_one_query_per_expiry_but_makes_readers_wait(
        results: dict[str, st.Result]) -> None:
    r = results["lease"]
    assert r.db_queries == r.cycles
    assert r.peak_concurrent == 1
    assert r.waited > 0
    assert r.total_wait / r.waited < SCENARIO.recompute


def test_serving_stale_removes_the_wait(results: dict[str, st.Result]) -> None:
    r = results["lease + serve stale"]
    assert r.db_queries == r.cycles
    assert r.waited == 0


def test_xfetch_refreshes_before_expiry_with_few_queries(results: dict[str, st.Result]) -> None:
    r = results["XFetch"]
    assert r.waited == 0
    assert r.db_queries < results["plain TTL"].db_queries / 50


@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_xfetch_queries_per_cycle_match_e_to_the_one_over_beta(beta: float) -> None:
    long_run = st.Scenario(rate=100.0, ttl=5.0, duration=2_500.0, beta=beta)
    r = st.simulate("XFetch", long_run, seed=9)
    assert r.db_queries / r.cycles == pytest.approx(math.exp(1 / beta), rel=0.12)


def test_xfetch_trigger_probability_is_exponential_in_the_gap() -> None:
    rng = random.Random(4)
    delta, beta, expiry = 0.3, 1.0, 100.0
    for gap in (0.15, 0.3, 0.9):
        trials = 20_000
        hits = sum(st.xfetch_should_recompute(expiry - gap, expiry, delta, beta, rng)
                   for _ in range(trials))
        assert hits / trials == pytest.approx(math.exp(-gap / (delta * beta)), abs=0.01)
    assert st.xfetch_should_recompute(expiry, expiry, delta, beta, rng)


def test_main_prints_every_strategy(capsys: pytest.CaptureFixture[str]) -> None:
    assert st.main(["--duration", "120"]) == 0
    out = capsys.readouterr().out
    for strategy in st.STRATEGIES:
        assert strategy in out
    assert "rate × recompute" in out
