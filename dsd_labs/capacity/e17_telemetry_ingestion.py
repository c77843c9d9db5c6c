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
    herd = c.add("unjittered_reconnect_rate", "Reconnects per second without jitter",
                 connected / a.keep_alive, "connections/s",
                 "connected devices ÷ keep-alive (all detect the loss within one interval)")
    c.add("unjittered_handshake_cores", "Cores for TLS handshakes without jitter",
          math.ceil(herd / a.tls_handshakes_per_core), "cores",
          "unjittered reconnect rate ÷ handshakes per core, rounded up")
    c.add("broker_loss_reconnect_rate", "Reconnects per second after one broker crash",
          a.connections_per_broker / a.reconnect_window, "connections/s",
          "connections per broker ÷ reconnect window")
    c.add("duplicates_per_broker_crash", "Readings in flight on one broker, resent after its crash",
          connected / a.report_interval / math.ceil(connected / a.connections_per_broker)
          * a.ack_round_trip, "readings",
          "readings per broker per second × acknowledgment round trip")
    backlog = c.add("backlog_messages", "Buffered readings delivered after a day offline",
                    connected * a.offline_buffer_hours * HOUR / a.report_interval, "readings",
                    "devices × hours buffered ÷ report interval")
    live = connected / a.report_interval
    c.add("backlog_drain_time", "Time to drain that backlog beside live traffic",
          backlog / (live * (a.ingest_headroom - 1)), "s",
          "backlog ÷ (normal rate × (headroom − 1))")
    return c


def flow(a: Assumptions, rate: float) -> Table:
    f = Table("flow", "Flow control and back-pressure")
    f.add("qos1_packets", "Packets per second at QoS 1 (PUBLISH, PUBACK)", rate * 2,
          "packets/s", "messages × 2")
    f.add("qos2_packets", "Packets per second at QoS 2 (four-packet exchange)", rate * 4,
          "packets/s", "messages × 4")
    window = f.add("device_window_rate", "Most messages one device can send per second",
                   a.receive_maximum / a.ack_round_trip, "messages/s",
                   "Receive Maximum ÷ acknowledgment round trip")
    connected = a.devices * a.connected_share
    fleet = f.add("fleet_window_rate", "Fleet send rate if every device filled its window",
                  connected * window, "messages/s",
                  "connected devices × one device's window rate")
    f.add("window_overcommit", "Fleet window as a multiple of normal ingest", fleet / rate, "×",
          "fleet send rate ÷ telemetry messages")
    readings = f.add("device_backlog_readings", "Readings one device buffers in a day offline",
                     a.offline_buffer_hours * HOUR / a.report_interval, "readings",
                     "hours buffered ÷ report interval")
    batches = f.add("device_backlog_batches", "Backlog messages per device, batched",
                    math.ceil(readings / a.backlog_batch_readings), "messages",
                    "buffered readings ÷ readings per batch, rounded up")
    budget = f.add("backlog_batch_budget", "Backlog messages per second the pipeline can take",
                   rate * (a.ingest_headroom - 1) / a.backlog_batch_readings, "messages/s",
                   "normal rate × (headroom − 1) ÷ readings per batch")
    f.add("backlog_pacing_interval", "Interval between one device's backlog messages",
          connected / budget, "s", "connected devices ÷ backlog message budget")
    f.add("device_backlog_drain", "Time for one device to send its backlog when paced",
          batches * connected / budget, "s", "backlog messages × pacing interval")
    f.add("broker_inflight_worst", "Unacknowledged payload per broker if the log stalls",
          a.connections_per_broker * a.receive_maximum * a.payload_size, "B",
          "connections per broker × Receive Maximum × payload size")
    f.add("broker_inflight_worst_batched", "The same with backlog batches in flight",
          a.connections_per_broker * a.receive_maximum * a.payload_size
          * a.backlog_batch_readings, "B", "the same × readings per batch")
    return f


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    ingest_table, rate = ingest(a)
    return [ingest_table, connections(a), flow(a, rate)]
