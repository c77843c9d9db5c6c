"""Capacity model of the distributed lock service interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def estimate(a: Assumptions) -> list[Table]:
    """Keep-alive messages, consensus writes and the number of consensus groups they need."""
    t = Table("load", "Leases and writes")
    interval = t.add("keepalive_interval", "Keep-alive interval per session",
                     a.lease_duration * a.renew_fraction, "s", "lease duration × renewal share")
    keepalives = t.add("keepalive_rate", "Keep-alive messages the leaders receive",
                       a.lock_holders / interval, "messages/s",
                       "sessions holding leases ÷ keep-alive interval")
    writes = t.add("write_rate", "Consensus writes (acquire and release)", a.acquire_rate * 2,
                   "writes/s", "acquisitions × 2")
    t.add("leader_messages", "Requests reaching the leaders", keepalives + writes, "requests/s",
          "keep-alive messages + consensus writes")
    budget = t.add("group_write_budget", "Writes one group is planned to carry",
                   a.write_capacity * a.target_utilization, "writes/s",
                   "writes per group × target utilization")
    t.add("consensus_groups", "Consensus groups for the write rate",
          math.ceil(writes / budget), "groups",
          "consensus writes ÷ planned writes per group, rounded up")
    return [t]
