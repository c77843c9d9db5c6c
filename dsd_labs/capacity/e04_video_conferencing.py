"""Capacity model of design e04, the video conferencing service."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

HOUR = 3600.0


def media(a: Assumptions) -> tuple[Table, dict[str, float]]:
    m = Table("media", "Media streams")
    meetings = m.add("meetings", "Meetings at the peak minute",
                     a.peak_participants / a.participants_per_meeting, "meetings",
                     "participants ÷ participants per meeting")
    senders = a.peak_participants * a.video_share
    simulcast = a.uplink_high + a.uplink_medium + a.uplink_low
    m.add("simulcast_uplink", "Uplink of one video sender, all simulcast layers",
          simulcast + a.audio_bitrate, "bit/s", "sum of the three layers + audio")
    m.add("simulcast_overhead", "Simulcast uplink beyond the top layer alone",
          simulcast / a.uplink_high - 1, "%", "sum of the three layers ÷ top layer − 1")
    ingress = m.add("sfu_ingress", "SFU ingress at peak",
                    senders * simulcast + a.peak_participants * a.audio_bitrate, "bit/s",
                    "video senders × simulcast uplink + participants × audio")
    downlink = a.videos_received * a.received_layer_mix + (
        a.participants_per_meeting - 1) * a.audio_bitrate
    m.add("participant_downlink", "Downlink of one participant", downlink, "bit/s",
          "videos received × average layer bitrate + other participants' audio")
    egress = m.add("sfu_egress", "SFU egress at peak", a.peak_participants * downlink, "bit/s",
                   "participants × downlink")
    return m, {"meetings": meetings, "ingress": ingress, "egress": egress}


def servers(a: Assumptions, rates: dict[str, float]) -> Table:
    s = Table("servers", "Servers")
    total = rates["ingress"] + rates["egress"]
    s.add("sfu_servers", "SFU servers at peak",
          math.ceil(total / (a.sfu_capacity * a.server_utilization)), "servers",
          "(ingress + egress) ÷ (SFU capacity × target utilization), rounded up")
    s.add("relay_traffic", "TURN relay traffic at peak", total * a.relay_share, "bit/s",
          "(ingress + egress) × relayed share")
    return s


def recordings(a: Assumptions, rates: dict[str, float]) -> Table:
    r = Table("recordings", "Recordings")
    daily = r.add("recording_bytes_per_day", "Recording bytes per day",
                  rates["meetings"] * a.recorded_share * a.meeting_hours_per_day * HOUR *
                  a.recording_bitrate / 8, "B",
                  "meetings × recorded share × meeting hours × recording bitrate ÷ 8")
    r.add("recording_storage", "Recording storage at the retention limit",
          daily * a.retention_days, "B", "bytes per day × retention days")
    return r


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    media_table, rates = media(a)
    return [media_table, servers(a, rates), recordings(a, rates)]
