"""Capacity model of design e11, web-scale full-text search."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def index(a: Assumptions) -> tuple[Table, float]:
    i = Table("index", "Index")
    text = i.add("text_bytes", "Extracted text", a.documents * a.text_per_document, "B",
                 "documents × text per document")
    size = i.add("index_bytes", "Inverted index, one copy", text * a.index_to_text, "B",
                 "text × index-to-text ratio")
    shards = i.add("shards", "Document-partitioned shards",
                   math.ceil(size / a.shard_memory), "shards",
                   "index size ÷ bytes per serving machine, rounded up")
    i.add("documents_per_shard", "Documents per shard", a.documents / shards, "documents",
          "documents ÷ shards")
    i.add("refresh_time", "Time to re-crawl the whole index",
          a.documents / a.crawl_rate, "s", "documents ÷ crawl rate")
    return i, shards


def serving(a: Assumptions, shards: float) -> Table:
    s = Table("serving", "Serving")
    replicas = s.add("replicas_per_shard", "Replicas per shard for the query rate",
                     math.ceil(a.peak_queries / a.queries_per_replica), "replicas",
                     "peak queries ÷ queries per replica, rounded up (each query hits all shards)")
    s.add("serving_machines", "Serving machines", shards * replicas, "machines",
          "shards × replicas per shard")
    s.add("leaf_requests", "Leaf requests at peak", a.peak_queries * shards, "req/s",
          "peak queries × shards (document partitioning fans out to all)")
    s.add("slow_query_share", "Queries waiting on at least one slow shard",
          1 - (1 - a.per_shard_slow_probability) ** shards, "%",
          "1 − (1 − per-shard slow probability) ^ shards")
    s.add("term_partition_requests", "Shard requests per query if partitioned by term",
          a.terms_per_query, "requests", "one request per query term")
    return s


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    index_table, shards = index(a)
    return [index_table, serving(a, shards)]
