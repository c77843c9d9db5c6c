"""Pin jump consistent hash: 1/(n+1) of keys move on growth, all to the new bucket."""

from collections import Counter

from dsd_labs.partitioning import jump_hash as jh
from dsd_labs.partitioning.keyspace import balance, hash64, make_keys, node_names


def test_single_bucket_and_range() -> None:
    assert jh.jump(12345, 1) == 0
    for h in (0, 1, 2**63, 2**64 - 1):
        assert 0 <= jh.jump(h, 37) < 37


def test_growth_moves_one_in_n_plus_one_and_only_to_the_new_bucket() -> None:
    hashes = [hash64(k) for k in make_keys(20_000)]
    for n in (1, 4, 10, 50):
        moved, only_new = jh.growth_moves(hashes, n)
        assert only_new
        assert abs(moved - 1 / (n + 1)) < 0.25 / (n + 1) + 0.005


def test_each_growth_step_keeps_the_key_or_sends_it_to_the_newest_bucket() -> None:
    for h in (hash64(k) for k in make_keys(300)):
        for n in range(1, 60):
            before, after = jh.jump(h, n), jh.jump(h, n + 1)
            assert after in (before, n)


def test_balance_is_even() -> None:
    hashes = [hash64(k) for k in make_keys(30_000)]
    b = balance(Counter(jh.jump(h, 12) for h in hashes).values(), 12)
    assert b.max_over_mean < 1.05


def test_lookup_steps_grow_logarithmically() -> None:
    hashes = [hash64(k) for k in make_keys(3_000)]
    mean = {n: sum(jh.jump_steps(h, n) for h in hashes) / len(hashes) for n in (10, 1000)}
    assert 2 < mean[10] < 4.5
    assert 6 < mean[1000] < 9  # about ln(n) + 1


def test_removing_a_middle_node_costs_more_than_its_share() -> None:
    results = jh.removal_moves(make_keys(20_000), node_names(10), "n3")
    fill = results["last node fills the hole"]
    renumber = results["renumber survivors"]
    assert 0.15 < fill < 0.23  # its own keys plus most of the last bucket's
    assert renumber > 0.5


def test_main_prints_growth_and_removal(capsys) -> None:
    assert jh.main(["--keys", "3000"]) == 0
    out = capsys.readouterr().out
    assert "jump consistent hash" in out
    assert "removing a node other than the last" in out
