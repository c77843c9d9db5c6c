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


def _edge_servers(a: Assumptions) -> int:
    return math.ceil(a.peak_concurrent_streams * a.average_delivered_bitrate /
                     (a.edge_server_throughput * a.edge_utilization))


def _bytes_per_title(a: Assumptions) -> float:
    return (a.hours_per_title * HOUR * a.ladder_bitrate / 8 * a.codecs *
            (1 + a.audio_and_subtitles))


def _edge_hit_ratio(a: Assumptions) -> float:
    titles = int(a.catalog_titles)
    return zipf_share(max(1, int(titles * a.edge_catalog_share)), titles, a.zipf_exponent)


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


def rate_for_buffer(a: Assumptions, buffer_seconds: float) -> float:
    """The buffer-based rate map: lowest below the reservoir, highest above the cushion."""
    if buffer_seconds <= a.reservoir:
        return a.lowest_rendition
    if buffer_seconds >= a.reservoir + a.cushion:
        return a.highest_rendition
    share = (buffer_seconds - a.reservoir) / a.cushion
    return a.lowest_rendition + (a.highest_rendition - a.lowest_rendition) * share


def adaptation(a: Assumptions) -> Table:
    """The deep dive's trace: a full buffer at the top rendition, then the link drops."""
    t = Table("adaptation", "Worked trace: the link drops under a full buffer")
    in_flight = t.add("in_flight_segment_time",
                      "Download time of the top-rendition segment in flight",
                      a.segment_seconds * a.highest_rendition / a.throughput_after_drop, "s",
                      "segment duration × highest rendition ÷ throughput after the drop")
    low_point = t.add("buffer_trough", "Buffer left when that segment arrives",
                       a.max_buffer - in_flight, "s",
                       "largest buffer − download time of that segment")
    t.add("trough_margin", "Margin of that low point over the reservoir",
          low_point - a.reservoir, "s", "buffer left − reservoir")
    after = t.add("buffer_after_in_flight", "Buffer once that segment is added",
                  low_point + a.segment_seconds, "s", "buffer left + segment duration")
    t.add("rate_after_in_flight", "Rendition the rate map picks next",
          rate_for_buffer(a, after), "bit/s",
          "lowest + (highest − lowest) × (buffer − reservoir) ÷ cushion")
    t.add("equilibrium_buffer", "Buffer at which the map picks what the link carries",
          a.reservoir + a.cushion * (a.throughput_after_drop - a.lowest_rendition) /
          (a.highest_rendition - a.lowest_rendition), "s",
          "reservoir + cushion × (throughput − lowest) ÷ (highest − lowest)")
    t.add("stall_without_adaptation", "Time to a stall if the player kept the top rendition",
          a.max_buffer / (1 - a.throughput_after_drop / a.highest_rendition), "s",
          "largest buffer ÷ (1 − throughput ÷ highest rendition)")
    t.add("lowest_segment_time", "Download time of a lowest-rendition segment after the drop",
          a.segment_seconds * a.lowest_rendition / a.throughput_after_drop, "s",
          "segment duration × lowest rendition ÷ throughput after the drop")
    return t


def shielding(a: Assumptions) -> Table:
    s = Table("shielding", "Shielding and offload")
    s.add("servers_per_site", "Edge servers per site, average", _edge_servers(a) / a.edge_sites,
          "servers",
          "edge servers ÷ edge sites")
    new_bytes = s.add("new_bytes_per_day", "New encodings published per day",
                      a.new_titles_per_day * _bytes_per_title(a), "B",
                      "new titles per day × bytes per title")
    s.add("fill_rate_per_site", "Fill rate per edge site for new titles",
          new_bytes * 8 / a.fill_window, "bit/s", "new bytes per day × 8 ÷ fill window")
    s.add("origin_fill_unshielded", "Origin reads per day if every edge site filled from it",
          new_bytes * a.edge_sites, "B", "new bytes per day × edge sites")
    s.add("origin_fill_shielded", "Origin reads per day with shields",
          new_bytes * a.shield_sites, "B", "new bytes per day × shield sites")
    egress = a.peak_concurrent_streams * a.average_delivered_bitrate
    misses = egress * (1 - _edge_hit_ratio(a))
    s.add("shield_egress_per_site", "Peak egress of one shield site", misses / a.shield_sites,
          "bit/s", "peak egress not served from the edge ÷ shield sites")
    origin = s.add("origin_peak_egress", "Peak origin egress", misses * a.shield_miss_share,
                   "bit/s", "peak egress not served from the edge × shield miss share")
    s.add("cdn_offload", "Offload: peak bytes served without the origin", 1 - origin / egress, "%",
          "1 − origin egress ÷ peak egress")
    return s


def resilience(a: Assumptions) -> Table:
    r = Table("resilience", "Blast radius and recovery")
    per_server = r.add("streams_per_server", "Streams on one edge server at peak",
                       a.edge_server_throughput * a.edge_utilization /
                       a.average_delivered_bitrate, "streams",
                       "server throughput × target utilization ÷ average bitrate")
    per_site = _edge_servers(a) / a.edge_sites
    r.add("streams_per_site", "Streams on one edge site at peak", per_server * per_site,
          "streams", "streams per server × servers per site")
    r.add("sites_to_absorb_site", "Neighbor sites whose headroom absorbs one lost site",
          a.edge_utilization / (1 - a.edge_utilization), "sites",
          "utilization ÷ (1 − utilization)")
    r.add("server_refill_time", "Time to refill a replacement edge server from its shield",
          _bytes_per_title(a) * a.catalog_titles * a.edge_catalog_share / per_site * 8 /
          a.refill_bandwidth, "s",
          "storage per site ÷ servers per site × 8 ÷ refill bandwidth")
    return r


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [delivery(a), catalog(a), popularity(a), adaptation(a), shielding(a), resilience(a)]
