"""Capacity model of design e07, the time-series metrics database."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0
HOUR = 3600.0


def ingest(a: Assumptions) -> tuple[Table, float]:
    t = Table("ingest", "Ingest")
    rate = t.add("sample_rate", "Samples ingested", a.active_series / a.scrape_interval,
                 "samples/s", "active series ÷ sample interval")
    t.add("compressed_ingest", "Compressed ingest bandwidth, one copy",
          rate * a.bytes_per_sample * 8, "bit/s", "samples per second × bytes per sample × 8 bit")
    t.add("compression_ratio", "Compression ratio", a.raw_sample_size / a.bytes_per_sample, "×",
          "raw sample size ÷ compressed sample size")
    return t, rate


def storage(a: Assumptions, rate: float) -> Table:
    s = Table("storage", "Storage")
    s.add("raw_per_day", "Full-resolution data per day", rate * DAY * a.bytes_per_sample, "B",
          "samples per day × bytes per sample")
    s.add("raw_retained", "Full-resolution data retained",
          rate * DAY * a.bytes_per_sample * a.raw_retention_days, "B",
          "data per day × retention days")
    points = a.active_series / a.downsample_interval * DAY * a.downsampled_retention_days
    s.add("downsampled_retained", "Downsampled data retained",
          points * a.aggregates_per_point * a.bytes_per_sample, "B",
          "series ÷ downsample interval × days × aggregates per point × bytes per sample")
    s.add("uncompressed_retained", "Full-resolution data retained if uncompressed",
          rate * DAY * a.raw_sample_size * a.raw_retention_days, "B",
          "data retained × raw sample size ÷ compressed size")
    return s


def ingesters(a: Assumptions, rate: float) -> Table:
    i = Table("ingesters", "Ingesters")
    by_rate = math.ceil(rate * a.replication_factor / a.samples_per_ingester)
    by_series = math.ceil(a.active_series * a.replication_factor / a.series_per_ingester)
    i.add("ingesters_for_rate", "Ingesters for the sample rate, replicated", by_rate,
          "ingesters", "samples per second × replicas ÷ samples per ingester, rounded up")
    i.add("ingesters_for_series", "Ingesters for the active series, replicated", by_series,
          "ingesters", "active series × replicas ÷ series per ingester, rounded up")
    i.add("head_memory", "Memory for samples in the head, all replicas",
          a.active_series * a.replication_factor * (a.head_hours * HOUR / a.scrape_interval) *
          a.bytes_per_sample, "iB",
          "series × replicas × samples in the head window × bytes per sample")
    i.add("index_memory", "Memory for series labels and index, all replicas",
          a.active_series * a.replication_factor * a.series_index_bytes, "iB",
          "series × replicas × index bytes per series")
    i.add("queriers", "Querier processes at peak", math.ceil(a.peak_queries /
          a.queries_per_querier), "queriers", "peak queries ÷ queries per querier, rounded up")
    return i


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    ingest_table, rate = ingest(a)
    return [ingest_table, storage(a, rate), ingesters(a, rate)]
