"""Pin the hot-key simulation: one key caps balance, the matching split relieves it."""

import itertools

from dsd_labs.partitioning import hot_keys as hk


def test_zipf_shares_sum_to_one_and_decrease() -> None:
    shares = hk.zipf_shares(1_000, 1.0)
    assert abs(sum(shares) - 1.0) < 1e-9
    assert all(a > b for a, b in itertools.pairwise(shares))


def test_hottest_key_alone_exceeds_a_partitions_fair_share() -> None:
    shares = hk.zipf_shares(100_000, 1.0)
    base = hk.simulate(shares, 32, 0.5, "split writes", 1, 1.0, "t")
    assert shares[0] > 2.5 / 32
    assert base.max_over_ideal >= shares[0] * 32  # its partition carries at least that key


def test_matching_strategy_relieves_the_hot_partition() -> None:
    shares = hk.zipf_shares(20_000, 1.0)
    threshold = 1 / 32 / 4
    for read_fraction, good, bad in ((0.1, "split writes", "replicate reads"),
                                     (0.95, "replicate reads", "split writes")):
        base = hk.simulate(shares, 32, read_fraction, good, 1, threshold, "t")
        fixed = hk.simulate(shares, 32, read_fraction, good, 4, threshold, "t")
        wrong = hk.simulate(shares, 32, read_fraction, bad, 4, threshold, "t")
        assert fixed.max_over_ideal < 0.7 * base.max_over_ideal
        assert fixed.total_requests < 1.15
        assert wrong.total_requests > 1.4  # the other operation fans out to every copy
        assert wrong.max_over_ideal > fixed.max_over_ideal


def test_main_prints_both_mixes(capsys) -> None:
    assert hk.main(["--keys", "5000"]) == 0
    out = capsys.readouterr().out
    assert "hottest key alone" in out
    assert "90% writes" in out and "95% reads" in out
