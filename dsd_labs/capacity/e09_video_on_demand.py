"""Capacity model of design e09, the video-on-demand streaming service."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

HOUR = 3600.0


def zipf_share(top: int, total: int, exponent: float) -> float:
    """Share of all views that go to the ``top`` most popular of ``total`` titles."""
    def weight(rank: int) -> float:
        return rank ** -exponent
    return math.fsum(weight(r) for r in range(1, top + 1)) / math.fsum(
        weight(r) for r in range(1, total + 1))


def delivery(a: Assumptions) -> Table:
    d = Table("delivery", "Delivery")
    egress = d.add("peak_egress", "Egress at the peak hour",
                   a.peak_concurrent_streams * a.average_delivered_bitrate, "bit/s",
                   "concurrent streams × average bitrate")
    d.add("edge_servers", "Edge servers at the peak hour",
          math.ceil(egress / (a.edge_server_throughput * a.edge_utilization)), "servers",
          "egress ÷ (server throughput × target utilization), rounded up")
    d.add("segment_requests", "Segment requests at the peak hour",
          a.peak_concurrent_streams / a.segment_seconds, "req/s",
          "concurrent streams ÷ segment duration")
    return d


def catalog(a: Assumptions) -> Table:
    c = Table("catalog", "Catalog storage")
    per_title = c.add("bytes_per_title", "One title, all encodings",
                      a.hours_per_title * HOUR * a.ladder_bitrate / 8 * a.codecs *
                      (1 + a.audio_and_subtitles), "B",
                      "hours × 3,600 s × ladder bitrate ÷ 8 × codecs × (1 + audio share)")
    total = c.add("catalog_bytes", "Whole catalog, one copy", per_title * a.catalog_titles, "B",
                  "bytes per title × titles")
    c.add("origin_bytes", "Origin storage", total * a.origin_copies, "B",
          "catalog × origin copies")
    c.add("edge_site_bytes", "Storage per edge site", total * a.edge_catalog_share, "B",
          "catalog × share stored at the edge")
    return c


def popularity(a: Assumptions) -> Table:
    p = Table("popularity", "Popularity and cache hits")
    titles = int(a.catalog_titles)
    stored = max(1, int(titles * a.edge_catalog_share))
    hit = p.add("edge_hit_ratio", "Views served by the titles an edge site stores",
                zipf_share(stored, titles, a.zipf_exponent), "%",
                "Zipf share of the top stored titles among all titles")
    p.add("one_percent_share", "Views that go to the top 1% of titles",
          zipf_share(max(1, titles // 100), titles, a.zipf_exponent), "%",
          "Zipf share of the top 1% of titles")
    p.add("fill_egress", "Peak egress not served from the edge",
          a.peak_concurrent_streams * a.average_delivered_bitrate * (1 - hit), "bit/s",
          "peak egress × (1 − edge hit ratio)")
    return p


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [delivery(a), catalog(a), popularity(a)]
