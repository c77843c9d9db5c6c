"""Capacity model of design e08, the distributed event log."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0


def traffic(a: Assumptions) -> tuple[Table, dict[str, float]]:
    t = Table("traffic", "Traffic at peak")
    produce = t.add("produce_bytes", "Produced bytes", a.peak_ingest_rate * a.message_size,
                    "B/s", "messages × message size")
    replication = t.add("replication_bytes", "Replication traffic between brokers",
                        produce * (a.replication_factor - 1), "B/s",
                        "produced bytes × (replicas − 1)")
    consume = t.add("consume_bytes", "Bytes read by consumers", produce * a.consumer_groups,
                    "B/s", "produced bytes × consumer groups")
    total = t.add("broker_network_total", "Broker network traffic, in and out",
                  (produce + 2 * replication + consume) * 8, "bit/s",
                  "(produce + replication sent + replication received + consume) × 8 bit")
    return t, {"produce": produce, "network": total}


def storage(a: Assumptions, rates: dict[str, float]) -> tuple[Table, float]:
    s = Table("storage", "Storage")
    retained = s.add("retained_bytes", "Retained log, all replicas",
                     rates["produce"] * a.average_to_peak * DAY * a.retention_days *
                     a.replication_factor, "B",
                     "peak bytes × average share × 86,400 s × days × replicas")
    brokers = s.add("brokers_for_disk", "Brokers needed for disk",
                    math.ceil(retained / (a.disk_per_broker * a.disk_fill_target)), "brokers",
                    "retained bytes ÷ (disk per broker × fill target), rounded up")
    return s, brokers


def cluster(a: Assumptions, rates: dict[str, float], for_disk: float) -> Table:
    c = Table("cluster", "Cluster")
    for_network = c.add("brokers_for_network", "Brokers needed for network",
                        math.ceil(rates["network"] / (a.broker_network * a.network_utilization)),
                        "brokers", "network traffic ÷ (interface × utilization), rounded up")
    c.add("brokers", "Cluster size", max(for_disk, for_network), "brokers",
          "the larger of the disk and network requirements")
    c.add("partitions", "Partitions needed for the write rate",
          math.ceil(rates["produce"] / a.partition_throughput), "partitions",
          "produced bytes ÷ partition throughput, rounded up")
    c.add("tolerated_failures", "Replicas a partition can lose and still accept writes",
          a.replication_factor - a.min_insync, "replicas", "replicas − min.insync.replicas")
    return c


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    traffic_table, rates = traffic(a)
    storage_table, for_disk = storage(a, rates)
    return [traffic_table, storage_table, cluster(a, rates, for_disk)]
