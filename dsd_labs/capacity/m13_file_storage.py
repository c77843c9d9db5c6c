"""Capacity model of the distributed file storage interview walkthrough (Module 13)."""

from __future__ import annotations

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0


def estimate(a: Assumptions) -> list[Table]:
    """Upload bandwidth, then bytes on disk with erasure coding versus replication and metadata."""
    t = Table("traffic", "Uploads")
    average = t.add("upload_rate", "Upload bandwidth, daily average",
                    a.registered_users * a.daily_upload_per_user / DAY, "B/s",
                    "registered users × bytes uploaded per user per day ÷ 86,400 s")
    t.add("peak_upload_rate", "Upload bandwidth at peak", average * a.peak_to_average, "B/s",
          "average upload bandwidth × peak factor")

    s = Table("storage", "Storage")
    logical = s.add("logical_bytes", "Bytes users see as stored",
                    a.registered_users * a.stored_per_user, "B",
                    "registered users × bytes per user")
    unique = s.add("unique_bytes", "Bytes after block deduplication", logical * a.unique_share,
                   "B", "logical bytes × unique share")
    coded = s.add("raw_erasure", "Raw disk with erasure coding", unique * a.erasure_overhead, "B",
                  "unique bytes × erasure-coding overhead")
    replicated = s.add("raw_replicated", "Raw disk with three-way replication",
                       unique * a.replica_copies, "B", "unique bytes × replica copies")
    s.add("erasure_saving", "Disk saved by erasure coding", replicated - coded, "B",
          "replicated raw bytes − erasure-coded raw bytes")
    blocks = s.add("blocks", "Blocks stored", unique / a.average_block_size, "blocks",
                   "unique bytes ÷ average block size")
    s.add("block_metadata", "Block index (hash to placement), one copy",
          blocks * a.block_record_size, "B", "blocks × metadata per block")
    return [t, s]
