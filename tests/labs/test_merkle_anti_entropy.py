"""Pin Merkle-tree anti-entropy: it finds exactly the differing ranges, cheaply."""

from __future__ import annotations

import random

import pytest

from dsd_labs.replication import merkle


def test_identical_replicas_exchange_one_hash() -> None:
    ours, theirs = merkle.diverge(random.Random(1), 1024, 0)
    result = merkle.run(ours, theirs, 1024, 6)
    assert result == merkle.Comparison([], 1, 1)


def test_one_difference_costs_one_root_and_two_hashes_per_level() -> None:
    ours, theirs = merkle.diverge(random.Random(2), 4096, 1)
    result = merkle.run(ours, theirs, 4096, 8)
    assert result.hashes_sent == 1 + 2 * 8
    assert result.round_trips == 9
    assert len(result.differing_leaves) == 1


@pytest.mark.parametrize("differing", [1, 7, 50, 400, 4096])
def test_differing_leaves_are_exactly_the_true_ones(differing: int) -> None:
    rng = random.Random(differing)
    ours, theirs = merkle.diverge(rng, 4096, differing)
    result = merkle.run(ours, theirs, 4096, 8)
    assert result.differing_leaves == merkle.truth(ours, theirs, 4096, 8)


def test_a_delete_is_detected() -> None:
    ours = {k: f"v{k}" for k in range(256)}
    theirs = dict(ours)
    del theirs[200]
    result = merkle.run(ours, theirs, 256, 4)
    assert result.differing_leaves == [200 // 16]


def test_few_differences_cost_far_less_than_a_per_key_comparison() -> None:
    ours, theirs = merkle.diverge(random.Random(3), 2 ** 14, 10)
    result = merkle.run(ours, theirs, 2 ** 14, 10)
    assert result.hashes_sent <= 1 + 2 * 10 * 10
    assert result.hashes_sent < 2 ** 14 / 50


def test_deeper_trees_send_more_hashes_and_narrow_the_ranges() -> None:
    ours, theirs = merkle.diverge(random.Random(4), 2 ** 12, 20)
    per_ours, per_theirs = merkle.key_hashes(ours, 2 ** 12), merkle.key_hashes(theirs, 2 ** 12)
    sent, keys = [], []
    for depth in (2, 6, 10):
        result = merkle.compare(merkle.build_tree(per_ours, depth),
                                merkle.build_tree(per_theirs, depth))
        sent.append(result.hashes_sent)
        keys.append(len(result.differing_leaves) * 2 ** 12 // 2 ** depth)
    assert sent == sorted(sent) and keys == sorted(keys, reverse=True)


def test_build_tree_rejects_uneven_leaves() -> None:
    with pytest.raises(ValueError, match="multiple"):
        merkle.build_tree([b""] * 10, 2)


def test_main_prints_both_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert merkle.main(["--keys", "4096", "--depth", "8"]) == 0
    out = capsys.readouterr().out
    assert "1. 4096 keys, depth 8" in out
    assert "2. Depth trade-off" in out
    assert " NO " not in out


@pytest.mark.parametrize(("args", "rows"), [
    (["--seed", "1"], [["1", "25", "13"], ["100", "1123", "13", "98", "1568"],
                       ["10000", "8167", "13", "3805", "60880"], ["4", "16", "4096", "31"],
                       ["16", "65536", "1", "1861", "59552", "100"]]),
    (["--seed", "1", "--keys", "16384", "--depth", "14"], [["10000", "30023"]]),
])
def test_figures_quoted_in_the_text(capsys: pytest.CaptureFixture[str], args: list[str],
                                    rows: list[list[str]]) -> None:
    merkle.main(args)
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    for row in rows:
        assert any(line[:len(row)] == row for line in lines), row
