"""Capacity model of design e17, device telemetry ingestion."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0
HOUR = 3600.0


def ingest(a: Assumptions) -> tuple[Table, float]:
    t = Table("ingest", "Ingest")
    rate = t.add("message_rate", "Telemetry messages", a.devices * a.connected_share /
                 a.report_interval, "messages/s",
                 "devices × connected share ÷ report interval")
    t.add("ingest_bandwidth", "Ingest bandwidth", rate * a.payload_size * 8, "bit/s",
          "messages × payload size × 8 bit")
    t.add("stored_per_day", "Stored per day, compressed",
          rate * DAY * a.payload_size / a.compression_ratio, "B",
          "messages per day × payload size ÷ compression")
    t.add("stored_retained", "Hot store at the retention limit",
          rate * DAY * a.payload_size / a.compression_ratio * a.retention_days, "B",
          "stored per day × retention days")
    return t, rate


def connections(a: Assumptions) -> Table:
    c = Table("connections", "Connections and reconnect storms")
    connected = c.add("connected_devices", "Connected devices", a.devices * a.connected_share,
                      "connections", "devices × connected share")
    c.add("brokers", "Broker nodes", math.ceil(connected / a.connections_per_broker), "nodes",
          "connections ÷ connections per broker, rounded up")
    storm = c.add("reconnect_rate", "Reconnects per second after a regional outage",
                  connected / a.reconnect_window, "connections/s",
                  "connected devices ÷ reconnect window")
    c.add("handshake_cores", "Cores for full TLS handshakes during the storm",
          math.ceil(storm / a.tls_handshakes_per_core), "cores",
          "reconnect rate ÷ handshakes per core, rounded up")
    backlog = c.add("backlog_messages", "Buffered messages delivered after a day offline",
                    connected * a.offline_buffer_hours * HOUR / a.report_interval, "messages",
                    "devices × hours buffered ÷ report interval")
    live = connected / a.report_interval
    c.add("backlog_drain_time", "Time to drain that backlog beside live traffic",
          backlog / (live * (a.ingest_headroom - 1)), "s",
          "backlog ÷ (normal rate × (headroom − 1))")
    return c


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    ingest_table, _rate = ingest(a)
    return [ingest_table, connections(a)]
