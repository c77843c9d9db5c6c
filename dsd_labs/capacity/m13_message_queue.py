"""Capacity model of the distributed message queue interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def estimate(a: Assumptions) -> list[Table]:
    """Bytes in, across and out of the brokers; partitions; retained bytes and brokers."""
    t = Table("throughput", "Throughput")
    ingress = t.add("ingress_bytes", "Bytes produced at peak", a.peak_message_rate * a.message_size,
                    "B/s", "peak message rate × message size")
    t.add("replication_bytes", "Replication traffic between brokers at peak",
          ingress * (a.replication_factor - 1), "B/s", "bytes produced × (replicas − 1)")
    t.add("egress_bytes", "Bytes read by consumers at peak", ingress * a.consumer_groups, "B/s",
          "bytes produced × consumer groups")
    t.add("partitions", "Partitions needed for consumer parallelism",
          math.ceil(a.peak_message_rate / a.consumer_throughput), "partitions",
          "peak message rate ÷ one consumer's throughput, rounded up "
          "(a partition has at most one consumer per group)")

    s = Table("storage", "Retention")
    retained = s.add("retained_bytes", "Bytes retained, all replicas",
                     a.peak_message_rate * a.average_to_peak * a.retention * a.message_size
                     * a.replication_factor, "B",
                     "peak rate × average-to-peak share × retention × message size × replicas")
    s.add("brokers_for_disk", "Brokers needed for the retained bytes",
          math.ceil(retained / (a.broker_disk * a.disk_fill_target)), "brokers",
          "retained bytes ÷ (usable disk per broker × fill target), rounded up")
    return [t, s]
