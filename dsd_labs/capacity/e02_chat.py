"""Capacity model of design e02, the chat and messaging service."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0


def traffic(a: Assumptions) -> tuple[Table, dict[str, float]]:
    t = Table("traffic", "Traffic")
    sent = t.add("send_rate", "Messages sent, daily average",
                 a.daily_active_users * a.messages_per_user / DAY, "messages/s",
                 "active users × messages per user ÷ 86,400 s")
    peak_sent = t.add("peak_send_rate", "Messages sent at peak", sent * a.peak_to_average,
                      "messages/s", "average send rate × peak factor")
    recipients = (1 - a.group_message_share) * 1 + a.group_message_share * a.group_recipients
    t.add("recipients_per_message", "Recipients per message, average", recipients, "recipients",
          "(1 − group share) × 1 + group share × group recipients")
    deliveries = t.add("peak_device_deliveries", "Device deliveries at peak",
                       peak_sent * recipients * a.devices_per_user, "deliveries/s",
                       "peak sends × recipients per message × devices per user")
    t.add("peak_pushes", "Push notifications at peak", deliveries * a.offline_share,
          "pushes/s", "device deliveries × offline share")
    return t, {"sent": sent, "peak_sent": peak_sent, "deliveries": deliveries}


def connections(a: Assumptions) -> Table:
    c = Table("connections", "Connections")
    devices = c.add("peak_connections", "Connected devices at the peak minute",
                    a.daily_active_users * a.concurrent_share * a.devices_per_user,
                    "connections", "active users × concurrent share × devices per user")
    c.add("gateways", "Gateway servers",
          math.ceil(devices / (a.connections_per_gateway * a.server_utilization)), "servers",
          "connections ÷ (connections per gateway × target utilization), rounded up")
    c.add("heartbeat_rate", "Heartbeats received", devices / a.heartbeat_interval,
          "heartbeats/s", "connections ÷ heartbeat interval")
    return c


def storage(a: Assumptions, rates: dict[str, float]) -> Table:
    s = Table("storage", "Storage")
    daily = s.add("bytes_per_day", "New messages per day, one copy",
                  rates["sent"] * DAY * a.message_size, "B",
                  "messages per day × stored message size")
    s.add("history_bytes", "History kept, all replicas",
          daily * a.history_days * a.store_replicas, "B",
          "bytes per day × days of history × replicas")
    s.add("storage_nodes", "Storage nodes for the peak write rate",
          math.ceil(rates["peak_sent"] * a.store_replicas /
                    (a.writes_per_storage_node * a.server_utilization)), "nodes",
          "peak sends × replicas ÷ (writes per node × target utilization), rounded up")
    return s


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    traffic_table, rates = traffic(a)
    return [traffic_table, connections(a), storage(a, rates)]
