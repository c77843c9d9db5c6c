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


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [load(a), journal(a), memory(a), latency(a)]
