"""Capacity model of design e16, ticketing and seat reservation."""

from __future__ import annotations

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


def admission(a: Assumptions, orders: float) -> Table:
    q = Table("admission", "Waiting room and holds")
    q.add("admitted_api_rate", "API rate with the waiting room",
          a.admission_rate * a.requests_per_admitted_user, "req/s",
          "admission rate × requests per user")
    q.add("hold_rate", "Hold attempts per second", a.admission_rate * a.hold_attempts_per_order,
          "holds/s", "admission rate × hold attempts per order")
    q.add("admitted_to_sell_out", "Users admitted before the last order is taken",
          orders / a.checkout_conversion, "users",
          "orders ÷ conversion (abandoned holds return their seats)")
    q.add("time_to_sell_out", "Time to sell out at the admission rate",
          orders / a.checkout_conversion / a.admission_rate + a.hold_time, "s",
          "users needed ÷ admission rate + one hold duration")
    q.add("seats_held_peak", "Seats on hold at once, at most",
          min(a.seats, a.admission_rate * a.hold_time * a.seats_per_order), "seats",
          "admission rate × hold time × seats per order, capped at the venue")
    return q


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    demand_table, orders = demand(a)
    return [demand_table, admission(a, orders)]
