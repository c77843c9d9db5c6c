"""Capacity model of the social feed interview walkthrough (Module 13)."""

from __future__ import annotations

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0


def estimate(a: Assumptions) -> list[Table]:
    """Fan-out on write versus on read, then the celebrity post and timeline memory."""
    t = Table("traffic", "Posts, reads and fan-out")
    posts = t.add("post_rate", "Posts, daily average",
                  a.daily_active_users * a.posts_per_user / DAY, "posts/s",
                  "active users × posts per user ÷ 86,400 s")
    peak_posts = t.add("peak_post_rate", "Posts at peak", posts * a.peak_to_average, "posts/s",
                       "average post rate × peak factor")
    reads = t.add("peak_feed_reads", "Feed loads at peak",
                  a.daily_active_users * a.feed_reads_per_user / DAY * a.peak_to_average,
                  "reads/s", "active users × feed loads per user ÷ 86,400 s × peak factor")
    push = t.add("peak_fanout_writes", "Fan-out on write: timeline inserts at peak",
                 peak_posts * a.average_followers, "inserts/s",
                 "peak posts × followers per account")
    t.add("fanout_utilization", "Share of the fan-out tier's capacity used at peak",
          push / a.fanout_write_capacity, "%", "timeline inserts at peak ÷ fan-out capacity")
    pull = t.add("peak_pull_reads", "Fan-out on read: author lookups at peak",
                 reads * a.average_followers, "lookups/s",
                 "peak feed loads × accounts followed (equal to followers per account on average)")
    t.add("pull_to_push", "Fan-out on read over fan-out on write, operations", pull / push, "×",
          "author lookups ÷ timeline inserts")
    t.add("peak_hybrid_reads", "Hybrid: extra lookups for followed large accounts at peak",
          reads * a.followed_celebrities, "lookups/s",
          "peak feed loads × large accounts followed")

    c = Table("celebrity", "The celebrity post and timeline memory")
    c.add("celebrity_fanout_time", "Time to fan out one post of the largest account",
          a.celebrity_followers / a.fanout_write_capacity, "s",
          "followers of the largest account ÷ fan-out capacity (with nothing else running)")
    c.add("timeline_memory", "Precomputed timelines, one copy",
          a.daily_active_users * a.timeline_length * a.entry_size, "iB",
          "active users × entries per timeline × bytes per entry")
    return [t, c]
