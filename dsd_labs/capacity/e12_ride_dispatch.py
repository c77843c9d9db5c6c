"""Capacity model of design e12, proximity search and ride dispatch."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def locations(a: Assumptions) -> tuple[Table, float]:
    t = Table("locations", "Location updates")
    rate = t.add("update_rate", "Location updates at peak",
                 a.online_drivers / a.location_interval, "updates/s",
                 "online drivers ÷ update interval")
    t.add("update_bandwidth", "Update ingress at peak", rate * a.location_update_size * 8,
          "bit/s", "updates × update size × 8 bit")
    t.add("index_nodes", "Index nodes, all replicas",
          math.ceil(rate * a.index_replicas / a.updates_per_index_node), "nodes",
          "updates × replicas ÷ updates per node, rounded up")
    t.add("index_memory", "Location index memory, all replicas",
          a.online_drivers * a.index_entry_bytes * a.index_replicas, "iB",
          "drivers × bytes per entry × replicas")
    return t, rate


def search(a: Assumptions) -> Table:
    s = Table("search", "Proximity search")
    cells = 1 + 3 * a.search_radius_cells * (a.search_radius_cells + 1)
    s.add("cells_searched", "Cells within k rings of the rider's cell", cells, "cells",
          "1 + 3k(k + 1) hexagons within k rings")
    s.add("area_searched", "Area searched first", cells * a.cell_area / 1e6, "km²",
          "cells × cell area")
    s.add("eta_computations", "ETA computations at peak",
          a.peak_requests * a.candidates_per_request, "ETAs/s",
          "requests × candidates per request")
    s.add("hot_cell_share", "Share of a hot cell's drivers a request needs",
          a.candidates_per_request / a.hot_cell_drivers, "%",
          "candidates per request ÷ drivers in the hot cell")
    return s


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    location_table, _rate = locations(a)
    return [location_table, search(a)]
