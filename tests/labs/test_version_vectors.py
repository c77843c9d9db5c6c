"""Pin the version-vector store: siblings on concurrency, resolution on merged context."""

from dsd_labs.clocks import version_vectors as vv


def test_concurrent_writes_become_siblings_and_naive_store_loses_one() -> None:
    out = vv.script(verbose=False)
    assert sorted(out["dotted_siblings"]) == ["eggs", "milk"]
    assert out["naive_values"] == ["eggs"]  # 'milk' silently dropped


def test_sync_keeps_writes_from_both_replicas() -> None:
    out = vv.script(verbose=False)
    assert sorted(out["after_sync"]) == ["eggs", "flour", "milk"]


def test_read_then_write_with_merged_context_resolves_siblings() -> None:
    out = vv.script(verbose=False)
    assert out["resolved_a"] == ["eggs+flour+milk"]
    assert out["resolved_b"] == ["eggs+flour+milk"]


def test_stale_context_write_is_a_sibling_not_an_overwrite() -> None:
    out = vv.script(verbose=False)
    assert sorted(out["stale_write"]) == ["eggs+bacon", "eggs+flour+milk"]


def test_write_with_current_context_supersedes() -> None:
    store = vv.DottedStore("A")
    store.put("k", "x", {})
    _, ctx = store.get("k")
    store.put("k", "y", ctx)
    values, ctx = store.get("k")
    assert values == ["y"]
    assert ctx == {"A": 2}


def test_sync_drops_sibling_the_other_side_overwrote() -> None:
    a, b = vv.DottedStore("A"), vv.DottedStore("B")
    a.put("k", "old", {})
    b.sync_from(a, "k")
    _, ctx = b.get("k")
    b.put("k", "new", ctx)
    a.sync_from(b, "k")
    assert a.get("k")[0] == ["new"]
