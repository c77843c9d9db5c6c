"""Capacity model of design e06, the globally distributed SQL database."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def data(a: Assumptions) -> tuple[Table, float]:
    d = Table("data", "Data and ranges")
    d.add("ranges", "Ranges at full size", a.logical_data / a.range_size, "ranges",
          "logical data ÷ maximum range size")
    raw = d.add("replicated_data", "Data on disk, all replicas", a.logical_data * a.replicas,
                "B", "logical data × replicas per range")
    nodes = d.add("nodes_for_storage", "Nodes needed for storage",
                  math.ceil(raw / (a.disk_per_node * a.disk_fill_target)), "nodes",
                  "replicated data ÷ (disk per node × fill target), rounded up")
    return d, nodes


def writes(a: Assumptions) -> tuple[Table, float]:
    w = Table("writes", "Replicated writes")
    range_writes = w.add("range_writes", "Range writes at peak",
                         a.peak_write_txns * a.ranges_per_txn, "writes/s",
                         "transactions × ranges per transaction")
    applied = w.add("replica_applies", "Writes applied by replicas at peak",
                    range_writes * a.replicas, "writes/s", "range writes × replicas")
    nodes = w.add("nodes_for_writes", "Nodes needed for write throughput",
                  math.ceil(applied / a.range_writes_per_node), "nodes",
                  "replica writes ÷ writes per node, rounded up")
    return w, nodes


def latency(a: Assumptions) -> Table:
    lat = Table("latency", "Commit latency (network and clock terms only)")
    majority = lat.add("majority_latency", "Consensus write, leader in a region with 2 replicas",
                       a.near_region_rtt, "s",
                       "3 of 5 needed: 2 local + 1 in the nearest other region ≈ nearest RTT")
    lat.add("commit_wait", "Commit wait with TrueTime-class clocks", 2 * a.clock_uncertainty,
            "s", "2 × epsilon (overlaps the consensus write)")
    lat.add("single_range_commit", "Single-range transaction, TrueTime-class clocks",
            max(majority, 2 * a.clock_uncertainty), "s",
            "max(consensus write, commit wait)")
    lat.add("two_phase_commit", "Transaction over ranges led in two far regions",
            a.far_region_rtt + 2 * majority, "s",
            "far RTT (prepare round) + consensus write of prepare + of commit")
    lat.add("local_region_commit", "Same transaction if all replicas were in one region",
            a.local_rtt * 3, "s", "three local round trips (prepare, prepare log, commit log)")
    lat.add("uncertainty_window", "Read uncertainty window with NTP-class clocks",
            a.max_clock_offset, "s", "configured maximum clock offset")
    return lat


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    data_table, for_storage = data(a)
    writes_table, for_writes = writes(a)
    cluster = Table("cluster", "Cluster")
    nodes = cluster.add("nodes", "Cluster size", max(for_storage, for_writes), "nodes",
                        "the larger of the storage and write requirements")
    cluster.add("nodes_two_replica_region", "Nodes in each region holding 2 of 5 replicas",
                math.ceil(nodes * 2 / a.replicas), "nodes", "cluster size × 2 ÷ replicas")
    cluster.add("nodes_one_replica_region", "Nodes in the region holding 1 of 5 replicas",
                math.ceil(nodes / a.replicas), "nodes", "cluster size ÷ replicas")
    cluster.add("reads_per_node", "Read-only queries per node at peak",
                a.peak_read_queries / nodes, "queries/s", "read queries ÷ nodes")
    return [data_table, writes_table, cluster, latency(a)]
