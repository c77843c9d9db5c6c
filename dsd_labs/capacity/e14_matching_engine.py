"""Capacity model of design e14, the stock exchange matching engine."""

from __future__ import annotations

from dsd_labs.capacity.model import Assumptions, Table


def load(a: Assumptions) -> Table:
    t = Table("load", "Message load")
    t.add("per_partition_rate", "Messages per partition at peak, if evenly spread",
          a.peak_messages / a.partitions, "messages/s", "peak messages ÷ partitions")
    hot = t.add("hottest_symbol_rate", "Messages for the busiest symbol at peak",
                a.peak_messages * a.hottest_symbol_share, "messages/s",
                "peak messages × busiest symbol's share")
    t.add("engine_utilization", "Busiest partition's engine utilization from that symbol",
          hot * a.match_time, "%", "busiest symbol's rate × time per message")
    return t


def journal(a: Assumptions) -> Table:
    j = Table("journal", "Journal")
    messages = j.add("messages_per_session", "Messages per session",
                     a.peak_messages * a.average_to_peak * a.trading_seconds, "messages",
                     "peak rate × average share × session length")
    j.add("journal_per_session", "Journal bytes per session", messages * a.message_size, "B",
          "messages × message size")
    j.add("replay_time", "Time to replay a full session on one engine",
          messages / a.partitions * a.match_time, "s",
          "messages per partition × time per message")
    return j


def memory(a: Assumptions) -> Table:
    m = Table("memory", "Order book memory")
    m.add("book_memory", "All order books", a.symbols * a.resting_orders_per_symbol *
          a.order_state_bytes, "iB", "symbols × resting orders × bytes per order")
    return m


def latency(a: Assumptions) -> Table:
    lat = Table("latency", "Latency inside the exchange")
    lat.add("ack_latency", "Sequence, replicate, match (no queueing)",
            a.replication_rtt + a.match_time, "s",
            "replication round trip + time per message")
    return lat


def recovery(a: Assumptions) -> Table:
    """Snapshots bound replay, heartbeats bound detection, gateways hold what arrives meanwhile."""
    r = Table("recovery", "Snapshots, replay and failover")
    r.add("snapshot_size", "Snapshot of one partition's books",
          a.symbols * a.resting_orders_per_symbol * a.order_state_bytes / a.partitions, "iB",
          "all books ÷ partitions")
    per_partition = a.peak_messages / a.partitions
    r.add("replay_after_snapshot", "Worst-case replay from the last snapshot",
          per_partition * a.snapshot_interval * a.match_time, "s",
          "messages per partition at peak × snapshot interval × time per message")
    detection = r.add("detection_time", "Time to suspect a failed primary",
                      a.heartbeat_interval * a.missed_heartbeats, "s",
                      "heartbeat interval × missed heartbeats")
    r.add("detection_backlog", "Messages for one partition arriving during detection at peak",
          per_partition * detection, "messages", "messages per partition × detection time")
    return r


def fairness(a: Assumptions) -> Table:
    f = Table("fairness", "Fairness at the sequencing point")
    f.add("cable_head_start", "Head start of the shorter cable",
          a.cable_length_difference * a.fiber_delay_per_metre, "s",
          "cable length difference × delay per metre")
    hold = f.add("fairness_hold", "Hold in a timestamp-ordering buffer",
                 a.gateway_jitter_bound + a.clock_error_bound, "s",
                 "gateway jitter bound + clock error bound")
    f.add("hold_as_fiber", "The same hold expressed as fiber length",
          hold / a.fiber_delay_per_metre, "m", "hold ÷ delay per metre")
    f.add("ack_latency_with_hold", "Acknowledgment latency with that buffer",
          a.replication_rtt + a.match_time + hold, "s",
          "replication round trip + time per message + hold")
    return f


def market_data(a: Assumptions) -> Table:
    m = Table("market_data", "Market data")
    rate = m.add("md_rate", "Market data messages at peak", a.peak_messages * a.outputs_per_message,
                 "messages/s", "peak messages × outputs per message")
    m.add("md_bandwidth", "Market data bandwidth at peak, all partitions",
          rate * a.md_message_size * 8, "bit/s", "market data messages × size × 8")
    return m


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [load(a), journal(a), memory(a), latency(a), recovery(a), fairness(a), market_data(a)]
