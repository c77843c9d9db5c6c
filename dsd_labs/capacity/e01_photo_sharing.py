"""Capacity model of design e01, the photo and video sharing platform.

Each row's ``how`` text repeats the arithmetic in words so a reader can
check it against the assumptions table without reading this file.
"""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0
YEAR = 365 * DAY


def traffic(a: Assumptions) -> tuple[Table, dict[str, float]]:
    t = Table("traffic", "Traffic")
    photos = t.add("photo_post_rate", "Photo posts, daily average",
                   a.daily_active_users * a.photo_posts_per_user / DAY, "posts/s",
                   "active users × photo posts per user ÷ 86,400 s")
    videos = t.add("video_post_rate", "Video posts, daily average",
                   a.daily_active_users * a.video_posts_per_user / DAY, "posts/s",
                   "active users × video posts per user ÷ 86,400 s")
    t.add("peak_post_rate", "Posts at peak", (photos + videos) * a.peak_to_average, "posts/s",
          "(photo + video posts) × peak factor")
    feed = t.add("feed_rate", "Feed page loads, daily average",
                 a.daily_active_users * a.feed_pages_per_user / DAY, "req/s",
                 "active users × pages per user ÷ 86,400 s")
    peak_feed = t.add("peak_feed_rate", "Feed page loads at peak", feed * a.peak_to_average,
                      "req/s", "average page loads × peak factor")
    t.add("read_write_ratio", "Feed loads per post", feed / (photos + videos), "×",
          "feed load rate ÷ post rate")
    t.add("peak_media_rate", "Media objects fetched at peak", peak_feed * a.items_per_page,
          "req/s", "peak page loads × items per page")
    return t, {"photos": photos, "videos": videos, "peak_feed": peak_feed}


def storage(a: Assumptions, rates: dict[str, float]) -> Table:
    s = Table("storage", "Storage")
    video_original = a.video_seconds_per_post * a.video_original_bitrate
    video_ladder = a.video_seconds_per_post * a.video_ladder_bitrate
    photo_day = s.add("photo_bytes_per_day", "New photo bytes per day",
                      rates["photos"] * DAY * (a.photo_original_size + a.photo_rendition_size),
                      "B", "photo posts per day × (original + renditions)")
    video_day = s.add("video_bytes_per_day", "New video bytes per day",
                      rates["videos"] * DAY * (video_original + video_ladder), "B",
                      "video posts per day × length × (original + ladder bitrate)")
    media_day = photo_day + video_day
    s.add("video_share", "Video's share of new media bytes", video_day / media_day, "%",
          "video bytes ÷ all media bytes")
    raw_year = s.add("raw_media_per_year", "Raw disk for one year of media",
                     media_day * 365 * a.storage_overhead, "B",
                     "(photo + video bytes per day) × 365 × erasure-coding overhead")
    s.add("raw_media_horizon", "Raw disk for the planning horizon",
          raw_year * a.retention_years, "B", "one year of raw media × years in the horizon")
    s.add("metadata_per_year", "Metadata per year, all replicas",
          (rates["photos"] + rates["videos"]) * YEAR * a.metadata_per_post * a.metadata_replicas,
          "B", "posts per year × metadata per post × replicas")
    return s


def bandwidth(a: Assumptions, rates: dict[str, float]) -> Table:
    b = Table("bandwidth", "Network bandwidth")
    ingest = (rates["photos"] * a.photo_original_size +
              rates["videos"] * a.video_seconds_per_post * a.video_original_bitrate)
    b.add("peak_ingress", "Upload ingress at peak", ingest * a.peak_to_average * 8, "bit/s",
          "(photo rate × photo size + video rate × video bytes) × peak factor × 8 bit")
    egress = rates["peak_feed"] * a.items_per_page * a.bytes_per_item_viewed * 8
    b.add("peak_cdn_egress", "CDN egress to viewers at peak", egress, "bit/s",
          "peak media fetches × bytes per item × 8 bit")
    b.add("peak_origin_egress", "Origin egress to the CDN at peak",
          egress * (1 - a.cdn_hit_ratio), "bit/s", "CDN egress × (1 − hit ratio)")
    return b


def memory(a: Assumptions) -> Table:
    m = Table("memory", "Memory")
    m.add("timeline_cache", "Home-timeline cache, all active users",
          a.daily_active_users * a.timeline_entries * a.timeline_entry_bytes *
          a.cache_memory_overhead, "iB",
          "active users × entries × bytes per entry × memory overhead")
    return m


def fanout(a: Assumptions, rates: dict[str, float]) -> Table:
    f = Table("fanout", "Timeline fan-out")
    inserts = f.add("fanout_inserts", "Timeline inserts at peak, fan-out on write",
                    (rates["photos"] + rates["videos"]) * a.peak_to_average *
                    a.followers_per_poster, "inserts/s",
                    "peak post rate × followers per poster")
    f.add("fanout_workers", "Fan-out workers at peak",
          math.ceil(inserts / (a.fanout_inserts_per_worker * a.server_utilization)), "workers",
          "inserts ÷ (inserts per worker × target utilization), rounded up")
    f.add("celebrity_delivery", "Delivery time of one post by the largest account, one worker",
          a.celebrity_followers / a.fanout_inserts_per_worker, "s",
          "followers of the largest account ÷ inserts per worker")
    f.add("threshold_delivery", "Slowest fan-out below the large-account threshold, one worker",
          a.large_account_threshold / a.fanout_inserts_per_worker, "s",
          "threshold follower count ÷ inserts per worker")
    f.add("merge_reads", "Large-account post-list reads at peak, fan-out on read",
          rates["peak_feed"] * a.large_accounts_followed, "reads/s",
          "peak page loads × large accounts followed per user")
    return f


def machines(a: Assumptions, rates: dict[str, float]) -> Table:
    n = Table("machines", "Machines")
    n.add("api_servers", "Feed API servers at peak",
          math.ceil(rates["peak_feed"] / (a.api_requests_per_server * a.server_utilization)),
          "servers", "peak page loads ÷ (requests per server × target utilization), rounded up")
    average = n.add("transcode_cores_average", "Transcoding CPU cores, daily average",
                    rates["videos"] * a.video_seconds_per_post *
                    a.transcode_cpu_per_video_second, "cores",
                    "average video posts × length × CPU seconds per video second")
    peak = n.add("transcode_cores_peak", "Transcoding CPU cores to keep up at peak",
                 average * a.peak_to_average, "cores", "average cores × peak factor")
    n.add("transcoders_average", "Transcoding machines, sized for the average",
          math.ceil(average / (a.cores_per_transcoder * a.server_utilization)), "machines",
          "average cores ÷ (cores per machine × target utilization), rounded up")
    n.add("transcoders_peak", "Transcoding machines, sized for the peak",
          math.ceil(peak / (a.cores_per_transcoder * a.server_utilization)), "machines",
          "peak cores ÷ (cores per machine × target utilization), rounded up")
    return n


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    traffic_table, rates = traffic(a)
    return [traffic_table, storage(a, rates), bandwidth(a, rates), memory(a),
            fanout(a, rates), machines(a, rates)]
