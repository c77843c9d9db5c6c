"""Pin the Zanzibar lab: userset rewrites, the depth limit, and the new enemy fix."""

import random

from dsd_labs.security import zanzibar as z


def store(*writes: str) -> z.Replica:
    log = z.Log()
    for w in writes:
        op, text = w.split(" ")
        log.apply(op, text)
    return z.Replica(log, {"doc": log.version, "folder": log.version, "group": log.version})


def test_rewrites_owner_editor_viewer_and_parent() -> None:
    r = store("add folder:f#owner@user:ann", "add doc:d#parent@folder:f#...",
              "add group:eng#member@user:ben", "add doc:d#editor@group:eng#member")
    assert r.check("doc:d", "viewer", "user:ann", None)  # owner -> editor -> viewer of folder
    assert r.check("doc:d", "viewer", "user:ben", None)  # editor through a group
    assert r.check("doc:d", "editor", "user:ben", None)
    assert not r.check("doc:d", "owner", "user:ben", None)
    assert not r.check("doc:d", "viewer", "user:cat", None)


def test_snapshot_read_sees_only_writes_up_to_version() -> None:
    r = store("add doc:d#viewer@user:bob", "remove doc:d#viewer@user:bob")
    assert r.check("doc:d", "viewer", "user:bob", 1)
    assert not r.check("doc:d", "viewer", "user:bob", 2)


def test_depth_limit_fails_closed_on_chains_and_cycles() -> None:
    lines = z.depth_report(chain=30, max_depth=25)
    assert "check with limit 25: error (deny)" in lines[1]
    assert "check with limit 35: allow" in lines[2]
    assert lines[3].endswith("error (deny)")


def test_new_enemy_only_without_a_common_fresh_snapshot() -> None:
    text = "\n".join(z.new_enemy_report())
    assert "each shard at its latest   bob: allow" in text  # the new enemy
    assert "one snapshot, v3           bob: deny  dana: deny" in text
    assert "snapshot >= zookie v5      bob: deny  dana: allow" in text
    assert "replica's latest (v5)      bob reads new content: allow" in text
    assert "snapshot >= zookie v6      bob reads new content: deny" in text


def test_checks_at_snapshot_match_a_fresh_store_of_the_prefix() -> None:
    """Property: evaluating at version t equals evaluating a store built from writes <= t."""
    rng = random.Random(3)
    users = [f"user:u{i}" for i in range(4)]
    for _ in range(20):
        log = z.Log()
        for _ in range(25):
            kind = rng.random()
            if kind < 0.2:
                text = f"doc:d{rng.randrange(3)}#parent@folder:f{rng.randrange(2)}#..."
            elif kind < 0.4:
                text = f"folder:f{rng.randrange(2)}#viewer@group:g{rng.randrange(2)}#member"
            elif kind < 0.7:
                text = f"group:g{rng.randrange(2)}#member@{rng.choice(users)}"
            else:
                text = f"doc:d{rng.randrange(3)}#viewer@{rng.choice(users)}"
            log.apply("add" if rng.random() < 0.7 else "remove", text)
        t = rng.randrange(1, log.version + 1)
        full = z.Replica(log, {"doc": log.version, "folder": log.version, "group": log.version})
        prefix = z.Log(log.writes[:t])
        fresh = z.Replica(prefix, {"doc": t, "folder": t, "group": t})
        for d in range(3):
            for u in users:
                assert full.check(f"doc:d{d}", "viewer", u, t) == \
                    fresh.check(f"doc:d{d}", "viewer", u, None)


def test_zookie_read_waits_for_lagging_shard() -> None:
    log = z.Log()
    for op, text in z.HISTORY:
        log.apply(op, text)
    r = z.Replica(log, {"folder": 3, "doc": 5, "group": 6})
    r.check("doc:q3", "viewer", "user:bob", 5)
    assert r.waited["folder"] == (3, 5)
    assert r.applied["folder"] == 5


def test_main_prints_both_examples(capsys) -> None:
    assert z.main([]) == 0
    out = capsys.readouterr().out
    assert "Example A" in out and "Example B" in out and "depth limit" in out
