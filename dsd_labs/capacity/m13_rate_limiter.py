"""Capacity model of the rate limiter interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def estimate(a: Assumptions) -> list[Table]:
    """Checks per second and shards, then memory of counter state versus a timestamp log."""
    t = Table("throughput", "Checks")
    t.add("refill_rate", "Sustained rate one client is allowed", a.limit / a.window,
          "requests/s", "limit ÷ window")
    t.add("limiter_shards", "Limiter shards for the peak check rate",
          math.ceil(a.peak_request_rate / (a.ops_per_node * a.target_utilization)), "shards",
          "peak requests ÷ (checks per shard × target utilization), rounded up")

    m = Table("memory", "Memory")
    counters = m.add("counter_memory", "Token bucket or sliding-window counter, all clients",
                     a.active_keys * (a.key_overhead + a.counter_state), "iB",
                     "active clients × (key overhead + counter state)")
    log = m.add("log_memory", "Sliding-window log, all clients at their limit",
                a.active_keys * (a.key_overhead + a.limit * a.log_entry), "iB",
                "active clients × (key overhead + limit × bytes per logged timestamp)")
    m.add("log_to_counter", "Log memory over counter memory", log / counters, "×",
          "sliding-window log memory ÷ counter memory")
    return [t, m]
