"""Capacity model of the search autocomplete interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0


def estimate(a: Assumptions) -> list[Table]:
    """Suggestion requests, what reaches the servers, and the size of the index."""
    t = Table("traffic", "Requests")
    average = t.add("request_rate", "Suggestion requests, daily average",
                    a.daily_searches * a.requests_per_search / DAY, "requests/s",
                    "searches per day × requests per search ÷ 86,400 s")
    peak = t.add("peak_request_rate", "Suggestion requests at peak",
                 average * a.peak_to_average, "requests/s", "average request rate × peak factor")
    backend = t.add("peak_backend_rate", "Requests reaching the servers at peak",
                    peak * (1 - a.cache_hit_ratio), "requests/s",
                    "peak requests × (1 − cache hit ratio)")
    t.add("serving_nodes", "Serving nodes, each with a full index copy",
          math.ceil(backend / (a.server_qps * a.target_utilization)), "nodes",
          "backend requests ÷ (requests per node × target utilization), rounded up")

    i = Table("index", "Index")
    i.add("index_memory", "Precomputed top-k lists, one copy",
          a.distinct_prefixes * a.top_k * a.suggestion_size, "iB",
          "prefixes × suggestions per prefix × bytes per suggestion")
    return [t, i]
