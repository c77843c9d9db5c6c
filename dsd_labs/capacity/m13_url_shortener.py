"""Capacity model of the URL shortener interview walkthrough (Module 13)."""

from __future__ import annotations

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0
YEAR_DAYS = 365.0
BASE62 = 62


def estimate(a: Assumptions) -> list[Table]:
    """Traffic, then storage and how much of the code space five years use."""
    t = Table("traffic", "Traffic")
    creates = t.add("create_rate", "Links created, daily average", a.new_urls_per_day / DAY,
                    "links/s", "new links per day ÷ 86,400 s")
    t.add("peak_create_rate", "Links created at peak", creates * a.peak_to_average, "links/s",
          "average create rate × peak factor")
    redirects = t.add("redirect_rate", "Redirects, daily average", creates * a.reads_per_write,
                      "redirects/s", "average create rate × redirects per link")
    t.add("peak_redirect_rate", "Redirects at peak", redirects * a.peak_to_average, "redirects/s",
          "average redirect rate × peak factor")

    s = Table("storage", "Storage and code space")
    links = s.add("links_stored", "Links stored at the end of retention",
                  a.new_urls_per_day * YEAR_DAYS * a.retention_years, "links",
                  "new links per day × 365 × years kept")
    s.add("storage_bytes", "Link records, one copy", links * a.record_size, "B",
          "links stored × record size")
    space = s.add("code_space", "Distinct codes of the chosen length", BASE62**a.code_length,
                  "codes", "62 ^ code length")
    s.add("code_space_used", "Share of the code space used", links / space, "%",
          "links stored ÷ distinct codes")
    return [t, s]
