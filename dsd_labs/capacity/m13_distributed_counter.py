"""Capacity model of the distributed counter interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def estimate(a: Assumptions) -> list[Table]:
    """The hot counter with and without batching, and the stored counters."""
    t = Table("hot", "The hottest counter")
    hot = t.add("hot_key_rate", "Increments on the hottest counter at peak",
                a.peak_increment_rate * a.hot_key_share, "increments/s",
                "peak increments × hot-key share")
    t.add("hot_key_shards", "Sub-counters needed without batching",
          math.ceil(hot / a.key_write_limit), "sub-counters",
          "hot-key increments ÷ writes one key sustains, rounded up")
    batched = t.add("hot_key_batched_writes", "Store writes to the hot counter with batching",
                    a.aggregators / a.flush_interval, "writes/s",
                    "aggregators ÷ flush interval (one summed write each per interval)")
    t.add("batching_reduction", "Write reduction from batching", hot / batched, "×",
          "hot-key increments ÷ batched writes")

    s = Table("storage", "Storage")
    s.add("counter_storage", "Stored counters, one copy", a.counter_keys * a.counter_record, "B",
          "counters × bytes per counter")
    return [t, s]
