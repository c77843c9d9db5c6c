"""Capacity model of the notification service interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0


def estimate(a: Assumptions) -> list[Table]:
    """Organic and campaign send rates, sender workers and the deduplication store."""
    t = Table("traffic", "Send rates")
    average = t.add("send_rate", "Notifications, daily average", a.notifications_per_day / DAY,
                    "notifications/s", "notifications per day ÷ 86,400 s")
    peak = t.add("peak_send_rate", "Notifications at peak, without campaigns",
                 average * a.peak_to_average, "notifications/s",
                 "average rate × peak factor")
    campaign = t.add("campaign_rate", "One campaign delivered within its window",
                     a.campaign_recipients / a.campaign_window, "notifications/s",
                     "campaign recipients ÷ campaign window")
    combined = t.add("combined_peak", "Peak with a campaign running", peak + campaign,
                     "notifications/s", "organic peak + campaign rate")
    t.add("peak_sms_rate", "SMS messages at the combined peak", combined * a.sms_share,
          "messages/s", "combined peak × SMS share")
    t.add("sender_workers", "Sender workers",
          math.ceil(combined / (a.worker_throughput * a.target_utilization)), "workers",
          "combined peak ÷ (per-worker rate × target utilization), rounded up")

    d = Table("dedup", "Deduplication store")
    d.add("dedup_memory", "Remembered notification IDs, one copy",
          average * a.dedup_window * a.dedup_entry, "iB",
          "average rate × deduplication window × bytes per entry")
    return [t, d]
