"""Pin the hash-slot lab against the Redis Cluster specification's own examples."""

import pytest

from dsd_labs.caching import slots


def test_crc16_matches_the_specification_check_value() -> None:
    assert slots.crc16_xmodem(b"123456789") == 0x31C3


@pytest.mark.parametrize(("key", "slot"), [("somekey", 11058), ("foo{hash_tag}", 2515)])
def test_documented_cluster_keyslot_results(key: str, slot: int) -> None:
    assert slots.hash_slot(key) == slot


def test_hash_tag_rules() -> None:
    assert slots.hash_slot("{user1000}.following") == slots.hash_slot("{user1000}.followers")
    assert slots.hash_slot("foo{}{bar}") == slots.crc16_xmodem(b"foo{}{bar}") % slots.SLOTS
    assert slots.hash_slot("foo{{bar}}zap") == slots.crc16_xmodem(b"{bar") % slots.SLOTS
    assert slots.hash_slot("foo{bar}{zap}") == slots.hash_slot("bar")


def test_adding_a_fourth_primary_moves_a_quarter_of_the_keys() -> None:
    three = slots.owner_map(slots.even_ranges(3))
    four = slots.add_node(three, 3)
    keys = [f"k{i}" for i in range(20_000)]
    moved = sum(three[slots.hash_slot(k)] != four[slots.hash_slot(k)] for k in keys)
    assert moved / len(keys) == pytest.approx(0.25, abs=0.01)
    assert set(four) == {0, 1, 2, 3}


def test_main_prints_slots_balance_and_tag_skew(capsys: pytest.CaptureFixture[str]) -> None:
    assert slots.main(["--keys", "20000"]) == 0
    out = capsys.readouterr().out
    assert "0x31C3" in out
    assert "keys per primary" in out
    assert "land on 1 primary" in out
