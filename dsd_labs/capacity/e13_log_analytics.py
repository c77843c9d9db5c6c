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
    t.add("indexing_capacity", "Indexing capacity provisioned",
          peak * a.indexing_headroom, "events/s", "peak events × indexing headroom")
    return t


def backpressure(a: Assumptions) -> Table:
    b = Table("backpressure", "Buffers and back-pressure")
    peak_bytes = a.ingest_per_day / DAY * a.peak_to_average
    b.add("agent_buffer_per_host", "Agent disk buffer per host for the buffering target",
          peak_bytes / a.hosts * a.agent_buffer_time, "B",
          "peak ingest ÷ hosts × buffering time")
    b.add("log_bytes", "Durable log storage",
          a.ingest_per_day * a.log_retention / DAY * a.log_replication / a.wire_compression, "B",
          "raw per day × retention ÷ 1 day × replicas ÷ wire compression")
    peak = a.ingest_per_day / a.event_size / DAY * a.peak_to_average
    capacity = peak * a.indexing_headroom
    backlog = b.add("burst_backlog_events", "Indexing backlog at the end of the burst",
                    (peak * a.burst_factor - capacity) * a.burst_duration, "events",
                    "(peak × burst factor − indexing capacity) × burst duration")
    b.add("burst_backlog_bytes", "The same backlog in raw bytes", backlog * a.event_size, "B",
          "backlog events × event size")
    b.add("freshness_lag_after_burst", "Freshness lag at the end of the burst",
          backlog / capacity, "s", "backlog ÷ indexing capacity")
    b.add("burst_drain_time", "Time to drain the backlog at normal peak",
          backlog / (capacity - peak), "s", "backlog ÷ (indexing capacity − peak events)")
    b.add("backlog_share_of_log", "Backlog as a share of the log's retention",
          backlog * a.event_size / (a.ingest_per_day * a.log_retention / DAY), "%",
          "backlog bytes ÷ raw bytes the log retains")
    return b


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
    warm = s.add("warm_bytes", "Warm tier: compressed data and full index, one copy",
                 compressed_day * (1 + a.full_index_ratio) * (a.warm_until_days - a.hot_days),
                 "B", "compressed per day × (1 + index ratio) × (warm-until days − hot days)")
    s.add("warm_nodes", "Warm nodes", math.ceil(warm / (a.warm_disk_per_node * a.disk_fill_target)),
          "nodes", "warm bytes ÷ (disk per warm node × fill target), rounded up")
    chunks = s.add("cold_bytes", "Object storage: compressed chunks for the whole retention",
                   compressed_day * a.retention_days, "B", "compressed per day × retention")
    s.add("object_storage_bytes", "Object storage in all, with the warm tier's snapshots",
          chunks + warm, "B", "chunks + one snapshot copy of the warm tier")
    s.add("all_indexed_bytes", "If all retention were fully indexed and replicated",
          compressed_day * (1 + a.full_index_ratio) * a.retention_days * a.hot_replicas, "B",
          "compressed per day × (1 + index ratio) × retention × replicas")
    return s


def recovery(a: Assumptions) -> Table:
    """Losing a node: how much it held and how long the copies take to rebuild elsewhere."""
    r = Table("recovery", "Node loss and recovery")
    compressed_day = a.ingest_per_day / a.compression_ratio
    hot = compressed_day * (1 + a.full_index_ratio) * a.hot_days * a.hot_replicas
    hot_nodes = math.ceil(hot / (a.ssd_per_node * a.disk_fill_target))
    per_hot = r.add("hot_node_bytes", "Data on one hot node", hot / hot_nodes, "B",
                    "hot bytes ÷ hot nodes")
    r.add("hot_rebuild_time", "Time to re-replicate a lost hot node's shards",
          per_hot / (a.recovery_bandwidth * (hot_nodes - 1)), "s",
          "data per node ÷ (recovery bandwidth × surviving hot nodes)")
    warm = compressed_day * (1 + a.full_index_ratio) * (a.warm_until_days - a.hot_days)
    warm_nodes = math.ceil(warm / (a.warm_disk_per_node * a.disk_fill_target))
    per_warm = r.add("warm_node_bytes", "Data on one warm node", warm / warm_nodes, "B",
                     "warm bytes ÷ warm nodes")
    r.add("warm_restore_time", "Time to restore a lost warm node's shards from snapshots",
          per_warm / (a.recovery_bandwidth * (warm_nodes - 1)), "s",
          "data per node ÷ (recovery bandwidth × surviving warm nodes)")
    return r


def scan(a: Assumptions) -> Table:
    q = Table("scan", "Brute-force scan of label-selected streams")
    bytes_scanned = q.add("scan_bytes", "Compressed bytes scanned by a typical query",
                          a.ingest_per_day / a.compression_ratio / DAY * a.query_window *
                          a.stream_selectivity, "B",
                          "compressed per second × query window × stream selectivity")
    raw = bytes_scanned * a.compression_ratio
    q.add("scan_core_seconds", "Core-seconds to decompress and filter it",
          raw / a.scan_rate_per_core, "s", "raw bytes in the selection ÷ scan rate per core")
    core_seconds = raw / a.scan_rate_per_core
    q.add("scan_cores_for_1s", "Cores to answer it in one second",
          math.ceil(core_seconds), "cores", "core-seconds ÷ 1 s, rounded up")
    q.add("scan_requests", "Object-storage reads for that query", bytes_scanned / a.chunk_size,
          "requests", "compressed bytes scanned ÷ chunk size")
    q.add("scan_pool_query_rate", "Typical queries per second the scan pool sustains",
          a.scan_pool_cores / core_seconds, "queries/s", "pool cores ÷ core-seconds per query")
    broad = a.ingest_per_day / a.scan_rate_per_core
    q.add("broad_scan_core_hours", "Core-hours to scan one day of all services", broad / 3600,
          "core-hours", "raw bytes per day ÷ scan rate ÷ 3,600 s")
    q.add("broad_scan_time", "That broad scan on the whole pool", broad / a.scan_pool_cores, "s",
          "core-seconds ÷ pool cores")
    q.add("interactive_window_limit", "Longest one-service window within the interactive budget",
          a.interactive_scan_budget / core_seconds * a.query_window, "s",
          "budget ÷ core-seconds per typical query × typical window")
    return q


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [ingest(a), backpressure(a), storage(a), recovery(a), scan(a)]
