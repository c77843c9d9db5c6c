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
    requests = e.add("request_rate", "Requests served at peak",
                     a.peak_egress / 8 / a.average_object_size,
                     "req/s", "peak egress ÷ 8 ÷ average object size")
    e.add("requests_per_server", "Requests per edge server at peak", requests / servers,
          "req/s", "requests ÷ edge servers")
    e.add("keys_moved_on_server_loss", "Share of a PoP's objects that move when a server fails",
          a.pops / servers, "%", "1 ÷ servers per PoP (consistent hashing moves one share)")
    return e


def failover(a: Assumptions) -> Table:
    f = Table("failover", "Losing a PoP")
    pop = f.add("pop_peak_egress", "Peak egress of one PoP, average", a.peak_egress / a.pops,
                "bit/s", "peak egress ÷ PoPs")
    f.add("pops_to_absorb_pop", "Neighbor PoPs whose headroom absorbs one PoP",
          a.server_utilization / (1 - a.server_utilization), "PoPs",
          "utilization ÷ (1 − utilization)")
    normal = f.add("pop_miss_traffic", "Misses one PoP sends to its shield, normally",
                   pop * (1 - a.edge_hit_ratio), "bit/s", "PoP egress × (1 − edge hit ratio)")
    moved = f.add("moved_miss_traffic", "Misses of that PoP's users after they move",
                  pop * (1 - a.failover_hit_ratio), "bit/s",
                  "PoP egress × (1 − hit ratio for moved users)")
    f.add("failover_miss_multiple", "Miss traffic of moved users against normal", moved / normal,
          "×", "moved misses ÷ normal misses")
    return f


def hot_object(a: Assumptions) -> Table:
    h = Table("hot", "One very popular object")
    per_pop = h.add("hot_object_pop_egress", "Egress of one hot object in one PoP",
                    a.hot_object_rate / a.pops * a.average_object_size * 8, "bit/s",
                    "requests for it ÷ PoPs × object size × 8")
    h.add("hot_object_servers", "Servers one PoP needs for that object",
          math.ceil(per_pop / (a.server_egress * a.server_utilization)), "servers",
          "its PoP egress ÷ (server egress × utilization), rounded up")
    h.add("cold_fetches_unshielded", "Origin fetches for one cold object without shields",
          a.pops, "fetches", "one per PoP that misses")
    h.add("cold_fetches_shielded", "Origin fetches for one cold object with regional shields",
          a.shield_regions, "fetches", "one per shield region")
    return h


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
    p.add("purge_fast_path", "Purge completion when every PoP answers at once",
          a.purge_wan_rtt, "s", "publish and acknowledge: one round trip to the farthest PoP")
    p.add("purge_retries_in_target", "Resends of a lost purge message within the target",
          math.floor((a.purge_target - a.purge_wan_rtt) / a.purge_retry_interval), "resends",
          "(purge target − fast path) ÷ retry interval, rounded down")
    p.add("purge_worst_case", "Longest a partitioned PoP can serve purged content",
          a.purge_lease + a.purge_wan_rtt, "s", "purge lease + one wide-area round trip")
    p.add("lease_renewals", "Lease renewals per second, all PoPs",
          a.pops * 3 / a.purge_lease, "messages/s", "PoPs × three renewals per lease")
    return p


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [edge(a), tiers(a), failover(a), hot_object(a), purges(a)]
