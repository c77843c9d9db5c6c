"""Capacity model of design e05, the Dynamo-style key-value store."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

MINUTE = 60.0


def storage(a: Assumptions) -> tuple[Table, float]:
    s = Table("storage", "Storage")
    logical = s.add("logical_bytes", "Logical data", a.stored_keys * (a.key_size + a.value_size),
                    "B", "keys × (key size + value size)")
    raw = s.add("replicated_bytes", "Data on disk with replication",
                logical * a.replication_factor, "B", "logical data × N")
    nodes = s.add("nodes_for_storage", "Nodes needed for storage",
                  math.ceil(raw / (a.disk_per_node * a.disk_fill_target)), "nodes",
                  "replicated data ÷ (disk per node × fill target), rounded up")
    return s, nodes


def throughput(a: Assumptions) -> tuple[Table, float]:
    t = Table("throughput", "Throughput")
    replica_reads = t.add("replica_reads", "Replica reads at peak",
                          a.peak_reads * a.read_quorum, "req/s",
                          "client reads × R (the coordinator asks R replicas)")
    replica_writes = t.add("replica_writes", "Replica writes at peak",
                           a.peak_writes * a.replication_factor, "req/s",
                           "client writes × N (every replica stores every write)")
    t.add("write_tolerance", "Unreachable replicas a write tolerates",
          a.replication_factor - a.write_quorum, "replicas", "N − W")
    t.add("read_tolerance", "Unreachable replicas a read tolerates",
          a.replication_factor - a.read_quorum, "replicas", "N − R")
    nodes = t.add("nodes_for_throughput", "Nodes needed for throughput",
                  math.ceil((replica_reads + replica_writes) / a.ops_per_node), "nodes",
                  "(replica reads + replica writes) ÷ operations per node, rounded up")
    return t, nodes


def cluster(a: Assumptions, for_storage: float, for_throughput: float) -> Table:
    c = Table("cluster", "Cluster")
    nodes = c.add("nodes", "Cluster size", max(for_storage, for_throughput), "nodes",
                  "the larger of the storage and throughput requirements")
    c.add("tokens", "Token ranges on the ring", nodes * a.vnodes_per_node, "ranges",
          "nodes × virtual nodes per node")
    c.add("keys_per_node", "Keys per node (one replica each)",
          a.stored_keys * a.replication_factor / nodes, "keys", "keys × N ÷ nodes")
    c.add("hints_per_outage", "Hints stored while one node is down",
          a.peak_writes * a.replication_factor / nodes * a.outage_minutes * MINUTE, "hints",
          "replica writes per node × outage duration")
    leaves = a.stored_keys * a.replication_factor / nodes / a.leaf_keys
    c.add("merkle_tree_size", "Merkle tree size per node (leaves and inner nodes)",
          2 * leaves * a.hash_size, "iB", "2 × (keys per node ÷ keys per leaf) × hash size")
    return c


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    storage_table, for_storage = storage(a)
    throughput_table, for_throughput = throughput(a)
    return [storage_table, throughput_table, cluster(a, for_storage, for_throughput)]
