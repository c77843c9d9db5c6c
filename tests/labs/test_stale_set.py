"""Pin the stale-set lab: which cache protocols can end stale, and which never do."""

import pytest

from dsd_labs.caching import stale_set as ss


@pytest.mark.parametrize(("protocol", "total", "stale"), [
    ("delete on write", 10, 1),
    ("lease", 10, 0),
    ("version tombstone", 10, 0),
    ("update on write", 6, 2),
    ("update, versioned", 6, 0),
    ("lease, replica stream", 20, 0),
])
def test_stale_outcomes_per_protocol(protocol: str, total: int, stale: int) -> None:
    count, losing = ss.explore(protocol)
    assert count == total
    assert len(losing) == stale


def test_the_losing_delete_schedule_is_the_classic_race() -> None:
    _, losing = ss.explore("delete on write")
    names = [name for name, _ in losing[0]]
    assert names == ["R: get", "R: read DB", "W: write DB", "W: delete", "R: set"]
    w = ss.run(losing[0])
    assert (w.cache.value, w.db.value) == ("v1", "v2")


def test_leases_do_not_survive_a_lagging_replica() -> None:
    _, losing = ss.explore("lease, replica lags")
    assert losing
    assert all(ss.is_stale(ss.run(s, leases=True)) for s in losing)


def test_delete_invalidates_an_outstanding_lease() -> None:
    cache = ss.Cache(leases=True)
    _, token = cache.get()
    assert token is not None
    cache.delete()
    assert not cache.set("old", lease=token)
    _, fresh_token = cache.get()
    assert cache.set("new", lease=fresh_token)
    assert cache.get() == ("new", None)


def test_versioned_set_refuses_older_versions() -> None:
    cache = ss.Cache()
    cache.delete(version=5)
    assert not cache.set("v4", version=4)
    assert cache.set("v6", version=6)
    assert not cache.set("v5", version=5)


def test_main_prints_counts_and_losing_schedules(capsys: pytest.CaptureFixture[str]) -> None:
    assert ss.main([]) == 0
    out = capsys.readouterr().out
    assert "interleavings" in out
    assert "ends with cache=v1 database=v2" in out
    assert "lease, replica stream" in out
