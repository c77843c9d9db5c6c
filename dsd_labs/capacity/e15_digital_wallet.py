"""Capacity model of design e15, the digital wallet and double-entry ledger."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

YEAR = 365 * 86400.0


def ledger(a: Assumptions) -> Table:
    t = Table("ledger", "Ledger writes")
    entries = t.add("peak_entries", "Ledger entries at peak",
                    a.peak_transfers * a.entries_per_transfer, "entries/s",
                    "transfers × entries per transfer")
    local = a.peak_transfers * (1 - a.cross_shard_share)
    cross = a.peak_transfers * a.cross_shard_share
    txns = t.add("peak_shard_transactions", "Shard transactions at peak",
                 local + 2 * cross, "transactions/s",
                 "same-shard transfers + 2 × cross-shard transfers (one per side)")
    t.add("shards_needed", "Shards needed for the peak",
          math.ceil(txns / a.writes_per_shard), "shards",
          "shard transactions ÷ transactions per shard, rounded up")
    t.add("shard_utilization", "Utilization of the provisioned shards",
          txns / (a.shards * a.writes_per_shard), "%",
          "shard transactions ÷ (shards × transactions per shard)")
    t.add("entries_per_year", "Entries per year",
          entries * a.average_to_peak * YEAR, "entries", "peak entries × average share × year")
    return t


def storage(a: Assumptions) -> Table:
    s = Table("storage", "Storage")
    per_year = (a.peak_transfers * a.entries_per_transfer * a.average_to_peak * YEAR *
                a.entry_size)
    s.add("bytes_per_year", "Ledger bytes per year, one copy", per_year, "B",
          "entries per year × entry size")
    s.add("bytes_retained", "Ledger bytes for the retention period, one copy",
          per_year * a.retention_years, "B", "bytes per year × retention years")
    s.add("entries_per_wallet", "Entries per wallet per year, average",
          a.peak_transfers * a.entries_per_transfer * a.average_to_peak * YEAR / a.wallets,
          "entries", "entries per year ÷ wallets")
    return s


def hot(a: Assumptions) -> Table:
    h = Table("hot", "The hot account")
    rate = h.add("hot_account_rate", "Updates to the busiest account at peak",
                 a.peak_transfers * a.hot_account_share, "updates/s",
                 "transfers × busiest account's share")
    h.add("hot_row_utilization", "Utilization of a single balance row",
          rate / a.per_row_updates, "%", "updates ÷ updates one row sustains")
    h.add("hot_split_utilization", "Utilization per sub-account after splitting",
          rate / a.sub_accounts / a.per_row_updates, "%",
          "updates ÷ sub-accounts ÷ updates one row sustains")
    return h


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [ledger(a), storage(a), hot(a)]
