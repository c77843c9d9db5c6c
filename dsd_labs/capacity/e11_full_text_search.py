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


def partitioning(a: Assumptions, shards: float) -> Table:
    """What one query moves over the network under each way of partitioning the index."""
    p = Table("partitioning", "Document against term partitioning, per query")
    doc_bytes = p.add("doc_partition_bytes", "Bytes shards return, partitioned by document",
                      shards * a.results_per_page * a.result_entry_bytes, "B",
                      "shards × results per shard × bytes per result")
    postings = p.add("postings_per_term", "Postings of a typical query term, whole corpus",
                     a.documents * a.term_document_share, "postings",
                     "documents × share of documents containing the term")
    term_bytes = p.add("term_partition_bytes",
                       "Bytes shipped to intersect, partitioned by term",
                       (a.terms_per_query - 1) * postings * a.posting_bytes, "B",
                       "(terms per query − 1) × postings per term × bytes per posting")
    p.add("doc_partition_network", "Network at peak, partitioned by document",
          doc_bytes * a.peak_queries * 8, "bit/s", "bytes per query × peak queries × 8")
    p.add("term_partition_network", "Network at peak, partitioned by term",
          term_bytes * a.peak_queries * 8, "bit/s", "bytes per query × peak queries × 8")
    p.add("term_to_doc_bytes", "Term partitioning's bytes per query over document partitioning's",
          term_bytes / doc_bytes, "×", "term-partitioned bytes ÷ document-partitioned bytes")
    return p


def tail(a: Assumptions, shards: float) -> Table:
    t = Table("tail", "Tail tolerance")
    t.add("hedged_slow_share", "Queries waiting on a slow shard, with hedged requests",
          1 - (1 - a.per_shard_slow_probability ** 2) ** shards, "%",
          "1 − (1 − p²) ^ shards, slowdowns independent across replicas")
    t.add("hedge_requests", "Extra leaf requests at peak from hedging",
          a.peak_queries * shards * a.hedge_share, "req/s",
          "leaf requests × share outstanding at the hedge delay")
    t.add("leaf_deadline", "Deadline the aggregators give the leaves",
          a.latency_target - a.snippet_phase - a.merge_phase, "s",
          "latency target − snippet phase − merge phase")
    t.add("result_on_missing_shard", "Chance one top-ten result lives on a given missing shard",
          1 / shards, "%", "1 ÷ shards (documents assigned by hash)")
    t.add("page_changed_by_missing_shard",
          "Queries whose top ten changes when one shard is missing",
          1 - (1 - 1 / shards) ** a.results_per_page, "%",
          "1 − (1 − 1 ÷ shards) ^ results per page")
    return t


def tiers(a: Assumptions, shards: float) -> Table:
    t = Table("tiers", "Tiered index")
    first = t.add("tier1_shards", "First-tier shards", math.ceil(shards * a.tier1_document_share),
                  "shards", "shards × first-tier share of documents, rounded up")
    second = t.add("tier2_shards", "Second-tier shards", shards - first, "shards",
                   "shards − first-tier shards")
    t.add("tier1_slow_share", "First-tier queries waiting on a slow shard, without hedging",
          1 - (1 - a.per_shard_slow_probability) ** first, "%",
          "1 − (1 − p) ^ first-tier shards")
    first_replicas = math.ceil(a.peak_queries / a.queries_per_replica)
    second_replicas = math.ceil(a.peak_queries * a.tier2_query_share / a.queries_per_replica)
    machines = t.add("tiered_machines", "Serving machines with two tiers",
                     first * first_replicas + second * second_replicas, "machines",
                     "first-tier shards × replicas for all queries + second-tier shards × "
                     "replicas for the second-tier share, each rounded up")
    t.add("tiering_saving", "Machines without tiers over machines with them",
          shards * first_replicas / machines, "×", "single-tier machines ÷ tiered machines")
    return t


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    index_table, shards = index(a)
    return [index_table, serving(a, shards), partitioning(a, shards), tail(a, shards),
            tiers(a, shards)]
