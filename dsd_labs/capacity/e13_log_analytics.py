"""Capacity model of design e13, the log search and analytics platform."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0


def ingest(a: Assumptions) -> Table:
    t = Table("ingest", "Ingest")
    events = t.add("event_rate", "Events per second, daily average",
                   a.ingest_per_day / a.event_size / DAY, "events/s",
                   "bytes per day ÷ event size ÷ 86,400 s")
    peak = t.add("peak_event_rate", "Events per second at peak", events * a.peak_to_average,
                 "events/s", "average × peak factor")
    t.add("peak_ingest_bandwidth", "Ingest bandwidth at peak",
          a.ingest_per_day / DAY * a.peak_to_average * 8, "bit/s",
          "bytes per day ÷ 86,400 s × peak factor × 8 bit")
    t.add("indexing_cores", "Indexing cores at peak (full-text indexing)",
          math.ceil(peak / a.events_per_ingest_core), "cores",
          "peak events ÷ events per core, rounded up")
    return t


def storage(a: Assumptions) -> Table:
    s = Table("storage", "Storage")
    compressed_day = a.ingest_per_day / a.compression_ratio
    hot = s.add("hot_bytes", "Hot tier: compressed data and full index, replicated",
                compressed_day * (1 + a.full_index_ratio) * a.hot_days * a.hot_replicas, "B",
                "compressed per day × (1 + index ratio) × hot days × replicas")
    s.add("hot_nodes", "Hot nodes", math.ceil(hot / (a.ssd_per_node * a.disk_fill_target)),
          "nodes", "hot bytes ÷ (SSD per node × fill target), rounded up")
    s.add("hot_shards", "Primary shards on the hot tier",
          math.ceil(compressed_day * (1 + a.full_index_ratio) * a.hot_days / a.shard_size),
          "shards", "compressed data with index ÷ target shard size, rounded up")
    s.add("cold_bytes", "Cold tier: compressed data only, object storage",
          compressed_day * (a.retention_days - a.hot_days), "B",
          "compressed per day × (retention − hot days)")
    s.add("all_indexed_bytes", "If all retention were fully indexed and replicated",
          compressed_day * (1 + a.full_index_ratio) * a.retention_days * a.hot_replicas, "B",
          "compressed per day × (1 + index ratio) × retention × replicas")
    return s


def scan(a: Assumptions) -> Table:
    q = Table("scan", "Brute-force scan of label-selected streams")
    bytes_scanned = q.add("scan_bytes", "Compressed bytes scanned by a typical query",
                          a.ingest_per_day / a.compression_ratio / DAY * a.query_window *
                          a.stream_selectivity, "B",
                          "compressed per second × query window × stream selectivity")
    raw = bytes_scanned * a.compression_ratio
    q.add("scan_core_seconds", "Core-seconds to decompress and filter it",
          raw / a.scan_rate_per_core, "s", "raw bytes in the selection ÷ scan rate per core")
    q.add("scan_cores_for_1s", "Cores to answer it in one second",
          math.ceil(raw / a.scan_rate_per_core), "cores", "core-seconds ÷ 1 s, rounded up")
    return q


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [ingest(a), storage(a), scan(a)]
