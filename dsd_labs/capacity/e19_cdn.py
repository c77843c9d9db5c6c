"""Capacity model of design e19, the global content delivery network."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def edge(a: Assumptions) -> Table:
    e = Table("edge", "Edge tier")
    servers = e.add("edge_servers", "Edge servers at peak",
                    math.ceil(a.peak_egress / (a.server_egress * a.server_utilization)),
                    "servers", "peak egress ÷ (server egress × target utilization), rounded up")
    e.add("servers_per_pop", "Edge servers per PoP, average", servers / a.pops, "servers",
          "edge servers ÷ PoPs")
    e.add("request_rate", "Requests served at peak", a.peak_egress / 8 / a.average_object_size,
          "req/s", "peak egress ÷ 8 ÷ average object size")
    return e


def tiers(a: Assumptions) -> Table:
    t = Table("tiers", "Cache hierarchy")
    to_shield = t.add("shield_traffic", "Edge misses sent to shields",
                      a.peak_egress * (1 - a.edge_hit_ratio), "bit/s",
                      "peak egress × (1 − edge hit ratio)")
    origin = t.add("origin_traffic", "Shield misses sent to origins",
                   to_shield * (1 - a.shield_hit_ratio), "bit/s",
                   "shield traffic × (1 − shield hit ratio)")
    t.add("origin_offload", "Share of user bytes that never reach an origin",
          1 - origin / a.peak_egress, "%", "1 − origin traffic ÷ peak egress")
    t.add("origin_without_shield", "Origin traffic without a shield tier", to_shield, "bit/s",
          "edge misses go straight to origins")
    return t


def purges(a: Assumptions) -> Table:
    p = Table("purges", "Purge propagation")
    servers = math.ceil(a.peak_egress / (a.server_egress * a.server_utilization))
    p.add("purge_messages", "Purge messages if every purge reached every edge server",
          a.purge_rate * servers, "messages/s", "purge rate × edge servers")
    p.add("purge_messages_per_pop", "Purge messages with one fan-out per PoP",
          a.purge_rate * a.pops, "messages/s", "purge rate × PoPs")
    return p


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [edge(a), tiers(a), purges(a)]
