"""Capacity model of the live leaderboard interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def estimate(a: Assumptions) -> list[Table]:
    """Operations per second, shards, memory, and the cost of a top-k read across shards."""
    t = Table("load", "Load and shards")
    ops = t.add("peak_ops", "Sorted-set operations at peak",
                a.peak_score_updates + a.peak_rank_reads, "ops/s",
                "score updates + rank reads")
    shards = t.add("shards", "Shards for the operation rate",
                   math.ceil(ops / (a.ops_per_shard * a.target_utilization)), "shards",
                   "operations ÷ (operations per shard × target utilization), rounded up")
    memory = t.add("board_memory", "One sorted set of every player", a.players * a.entry_memory,
                   "iB", "players × memory per entry")
    t.add("memory_per_shard", "Memory per shard", memory / shards, "iB",
          "board memory ÷ shards")
    t.add("topk_merge_entries", "Entries read for one top-k page when sharded by player",
          shards * a.top_k, "entries", "shards × top-k")
    return [t]
