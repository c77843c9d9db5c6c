"""Capacity model of design e16, ticketing and seat reservation."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def demand(a: Assumptions) -> tuple[Table, float]:
    d = Table("demand", "Demand at the on-sale")
    arrival = d.add("arrival_rate", "User arrival rate", a.onsale_users / a.arrival_window,
                    "users/s", "users ÷ arrival window")
    orders = a.seats / a.seats_per_order
    d.add("orders_available", "Orders the venue can satisfy", orders, "orders",
          "seats ÷ seats per order")
    d.add("demand_ratio", "Users per available order", a.onsale_users / orders, "×",
          "users ÷ orders the venue can satisfy")
    d.add("unthrottled_api_rate", "API rate if everyone were admitted at once",
          arrival * a.requests_per_admitted_user, "req/s",
          "arrival rate × requests per user")
    return d, orders


def abandon_share(a: Assumptions) -> float:
    """Share of holds that expire unpaid; kept above zero so the round count stays finite."""
    return min(max(1 - a.checkout_conversion, 1e-6), 1 - 1e-6)


def hold_rounds(a: Assumptions) -> float:
    """Expiry rounds until the unsold share falls to the target: abandon^r = target."""
    return math.log(a.unsold_share_target) / math.log(abandon_share(a))


def admission(a: Assumptions, orders: float) -> Table:
    q = Table("admission", "Waiting room and holds")
    q.add("admitted_api_rate", "API rate with the waiting room",
          a.admission_rate * a.requests_per_admitted_user, "req/s",
          "admission rate × requests per user")
    q.add("hold_rate", "Hold attempts per second", a.admission_rate * a.hold_attempts_per_order,
          "holds/s", "admission rate × hold attempts per order")
    q.add("admitted_to_sell_out", "Users admitted before the last order is taken",
          orders / a.checkout_conversion, "users",
          "orders ÷ conversion (each round's abandoned holds return their seats)")
    full = q.add("time_to_fully_held", "Time until every seat is sold or on hold",
                 a.seats / (a.admission_rate * a.seats_per_order), "s",
                 "seats ÷ (admission rate × seats per order)")
    q.add("admitted_while_full", "Users admitted into a fully held venue without gating",
          a.admission_rate * max(a.hold_time - full, 0), "users",
          "admission rate × (hold time − time to fully held)")
    rounds = q.add("expiry_rounds", "Expiry rounds until the unsold share reaches the target",
                   hold_rounds(a), "rounds",
                   "log(unsold target) ÷ log(1 − conversion)")
    q.add("time_to_sell_out", "Time to sell out",
          full + rounds * a.hold_time, "s",
          "time to fully held + expiry rounds × hold time")
    q.add("seats_released_per_round", "Seats returned by expiry in the first round",
          a.seats * abandon_share(a), "seats", "seats × (1 − conversion)")
    q.add("seats_hidden_by_sweep", "Free seats still shown as held, at most",
          a.admission_rate * abandon_share(a) * a.seats_per_order * a.sweep_interval, "seats",
          "admission rate × (1 − conversion) × seats per order × sweep interval")
    q.add("seats_held_peak", "Seats on hold at once, at most",
          min(a.seats, a.admission_rate * a.hold_time * a.seats_per_order), "seats",
          "admission rate × hold time × seats per order, capped at the venue")
    return q


def contention(a: Assumptions) -> Table:
    c = Table("contention", "Contention on the hottest section")
    hot = c.add("hot_section_hold_rate", "Hold attempts on the hottest section",
                a.admission_rate * a.hold_attempts_per_order * a.hot_section_share, "holds/s",
                "hold attempts × hottest section's share")
    capacity = c.add("partition_commit_capacity", "Conflicting holds one partition commits",
                     1 / a.hold_commit_time, "holds/s", "1 ÷ commit time of one hold")
    c.add("hot_partition_utilization", "Utilization of the hottest partition",
          hot / capacity, "%", "hottest section's holds ÷ partition commit capacity")
    c.add("holds_failed_in_failover", "Hold attempts refused during one leader failover",
          hot * a.leader_failover_time, "holds",
          "hottest section's holds × failover time")
    c.add("hold_clock_error", "Relative change of a hold's length after a leader change, at most",
          a.leader_clock_skew / a.hold_time, "%", "clock skew between leaders ÷ hold time")
    return c


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    demand_table, orders = demand(a)
    return [demand_table, admission(a, orders), contention(a)]
