"""Redis Cluster key placement: CRC16 hash slots, hash tags, and what resharding moves.

Redis Cluster (and Valkey, which forked from Redis 7.2) maps every key to one
of 16,384 hash slots with ``CRC16(key) mod 16384``, using the XMODEM variant
of CRC16, and assigns slots, not keys, to primaries. If a key contains a
non-empty ``{...}`` section, only the text inside the first such braces is
hashed: that *hash tag* is how you put related keys in one slot so a
multi-key command or a transaction can touch them together.

The program prints the slots of a few keys, spreads 100,000 keys over three
primaries with the slot ranges ``redis-cli --cluster create`` assigns, and
then counts how many keys move when a fourth primary takes a quarter of the
slots. It ends with the price of hash tags: every key sharing a tag lands on
one primary, however many keys there are.

Run: ``python -m dsd_labs.caching.slots``
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

SLOTS = 16_384


# [start slot]
def crc16_xmodem(data: bytes) -> int:
    """CRC16 with polynomial 0x1021, initial value 0, no reflection (the XMODEM variant)."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def hash_slot(key: str | bytes) -> int:
    """The cluster slot of ``key``, honoring the first non-empty ``{tag}``."""
    raw = key.encode() if isinstance(key, str) else key
    start = raw.find(b"{")
    if start != -1:
        end = raw.find(b"}", start + 1)
        if end > start + 1:  # "{}" with nothing inside does not count as a tag
            raw = raw[start + 1:end]
    return crc16_xmodem(raw) % SLOTS
# [end slot]


def even_ranges(nodes: int) -> list[range]:
    """Contiguous slot ranges of near-equal size, as cluster creation assigns them."""
    bounds = [round(i * SLOTS / nodes) for i in range(nodes + 1)]
    return [range(bounds[i], bounds[i + 1]) for i in range(nodes)]


def owner_map(ranges: Sequence[range]) -> list[int]:
    """Slot -> index of the primary that serves it."""
    owners = [0] * SLOTS
    for node, slots in enumerate(ranges):
        for slot in slots:
            owners[slot] = node
    return owners


def add_node(owners: list[int], nodes: int) -> list[int]:
    """A new primary takes an equal share of slots from every existing primary."""
    new = nodes
    share = SLOTS // (nodes + 1)
    per_donor = share // nodes
    moved = owners.copy()
    for donor in range(nodes):
        donor_slots = [s for s, o in enumerate(owners) if o == donor]
        for slot in donor_slots[-per_donor:]:
            moved[slot] = new
    return moved


def main(argv: list[str] | None = None) -> int:
    """Slots of sample keys, balance over three primaries, keys moved by a fourth, tag skew."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(f"CRC16/XMODEM('123456789') = 0x{crc16_xmodem(b'123456789'):04X}")
    for key in ("user:1000", "user:1001", "{user:1000}.profile", "{user:1000}.sessions",
                "foo{}{bar}"):
        print(f"slot({key}) = {hash_slot(key)}")
    keys = [f"object:{i}" for i in range(args.keys)]
    three = owner_map(even_ranges(3))
    print("\nthree primaries, slot ranges " + ", ".join(
        f"{r.start}-{r.stop - 1}" for r in even_ranges(3)))
    load = Counter(three[hash_slot(k)] for k in keys)
    print("keys per primary: " + ", ".join(f"{load[n]:,}" for n in range(3)))
    four = add_node(three, 3)
    slots_moved = sum(a != b for a, b in zip(three, four, strict=True))
    keys_moved = sum(three[hash_slot(k)] != four[hash_slot(k)] for k in keys)
    print(f"add a fourth primary: {slots_moved:,} slots move ({slots_moved / SLOTS:.1%}), "
          f"{keys_moved:,} keys move ({keys_moved / len(keys):.1%})")
    tagged = [f"{{tenant:42}}:object:{i}" for i in range(args.keys // 10)]
    tag_load = Counter(four[hash_slot(k)] for k in tagged)
    print(f"{len(tagged):,} keys tagged {{tenant:42}} land on "
          f"{len(tag_load)} primary (slot {hash_slot(tagged[0])})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
