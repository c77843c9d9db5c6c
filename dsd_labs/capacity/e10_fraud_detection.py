"""Capacity model of design e10, real-time stream processing for fraud detection."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def streams(a: Assumptions) -> tuple[Table, float]:
    s = Table("streams", "Event streams")
    events = s.add("event_rate", "Events at peak", a.peak_payments * a.events_per_payment,
                   "events/s", "payments × events per payment")
    s.add("event_bandwidth", "Event bandwidth at peak", events * a.event_size * 8, "bit/s",
          "events × event size × 8 bit")
    s.add("task_slots", "Task slots for the feature pipeline",
          math.ceil(events / a.events_per_task_slot), "slots",
          "events ÷ events per slot, rounded up")
    return s, events


def state(a: Assumptions, events: float) -> Table:
    st = Table("state", "Keyed state")
    total = st.add("state_bytes", "Feature state, all keys",
                   a.active_cards * a.state_per_card + a.active_merchants * a.state_per_merchant,
                   "B", "cards × state per card + merchants × state per merchant")
    st.add("checkpoint_full", "Full checkpoint size", total, "B", "all keyed state")
    st.add("changed_per_checkpoint", "State touched between two checkpoints, at most",
           events * a.checkpoint_interval * (a.state_per_card + a.state_per_merchant), "B",
           "events × checkpoint interval × (card state + merchant state)")
    st.add("replay_events", "Events replayed after a failure, worst case",
           events * a.checkpoint_interval, "events", "event rate × checkpoint interval")
    return st


def scoring(a: Assumptions) -> Table:
    sc = Table("scoring", "Synchronous scoring path")
    path = sc.add("scoring_latency", "Scoring path latency, p99 terms summed",
                  a.model_latency + a.feature_read_latency + a.network_hops * a.hop_latency,
                  "s", "model + feature read + hops × hop latency")
    sc.add("scoring_headroom", "Headroom left in the budget", a.scoring_budget - path, "s",
           "budget − scoring path latency")
    return sc


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    streams_table, events = streams(a)
    return [streams_table, state(a, events), scoring(a)]
