"""Capacity model of design e20, the edge image and media optimization service."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def variants(a: Assumptions) -> Table:
    v = Table("variants", "Variants")
    per_image = v.add("variants_per_image", "Possible variants per original",
                      a.width_buckets * a.formats, "variants", "width buckets × formats")
    touched = v.add("variants_stored", "Variants ever generated",
                    a.originals * per_image * a.variants_touched_share, "variants",
                    "originals × variants per original × share requested")
    v.add("variant_storage", "Storage for generated variants", touched * a.variant_size, "B",
          "variants generated × variant size")
    v.add("original_storage", "Storage for originals", a.originals * a.original_size, "B",
          "originals × original size")
    return v


def bucket_ratio(a: Assumptions) -> float:
    """Ratio between neighboring width buckets, spaced geometrically from min to max."""
    return (a.max_width / a.min_width) ** (1 / max(a.width_buckets - 1, 1))


def keys(a: Assumptions) -> Table:
    k = Table("keys", "Cache-key normalization")
    r = k.add("bucket_ratio", "Ratio between neighboring width buckets", bucket_ratio(a), "×",
              "(widest ÷ narrowest) ^ (1 ÷ (buckets − 1))")
    k.add("worst_pixel_overshoot", "Pixels sent per pixel needed, at worst", r * r, "×",
          "bucket ratio squared (a width just above a bucket)")
    k.add("mean_pixel_overshoot", "Pixels sent per pixel needed, on average",
          (r * r - 1) / (2 * math.log(r)), "×",
          "(ratio² − 1) ÷ (2 ln ratio), widths spread evenly on a log scale")
    r2 = (a.max_width / a.min_width) ** (1 / max(2 * a.width_buckets - 1, 1))
    k.add("mean_pixel_overshoot_doubled", "The same average with twice as many buckets",
          (r2 * r2 - 1) / (2 * math.log(r2)), "×", "as above, for 2 × buckets")
    bucket = a.min_width * r ** max(math.ceil(
        math.log(max(a.example_width, a.min_width) / a.min_width) / math.log(r) - 1e-9), 0)
    k.add("example_bucket", "Bucket for the example request's width", bucket, "pixels",
          "smallest bucket at or above the requested width")
    k.add("example_overshoot", "Pixels sent per pixel needed for the example",
          (bucket / a.example_width) ** 2, "×", "(bucket ÷ requested width) squared")
    k.add("raw_accept_entries", "Cache entries per original keyed on the raw Accept header",
          a.width_buckets * a.accept_strings, "entries", "width buckets × distinct Accept values")
    k.add("class_accept_entries", "Cache entries per original keyed on the format class",
          a.width_buckets * a.formats, "entries", "width buckets × format classes")
    return k


def transforms(a: Assumptions) -> Table:
    t = Table("transforms", "Transformations and the variant store")
    misses = t.add("miss_rate", "Variant cache misses at peak (edge and shield)",
                   a.peak_image_requests * (1 - a.derived_hit_ratio), "req/s",
                   "image requests × (1 − hit ratio)")
    t.add("store_read_bandwidth", "Variant store reads at peak", misses * a.variant_size * 8,
          "bit/s", "misses × variant size × 8")
    new = t.add("transform_rate", "Transformations at peak (first request of a variant)",
                a.upload_rate * a.width_buckets * a.formats * a.variants_touched_share,
                "transforms/s", "new originals × variants per original × share requested")
    t.add("misses_per_new_variant", "Cache misses per first request of a variant", misses / new,
          "×", "misses ÷ transformations")
    cores = t.add("transform_cores", "CPU cores for transformations, with burst headroom",
                  new * a.transform_cpu * a.transform_burst_factor, "cores",
                  "transformations × CPU time each × burst factor")
    t.add("transformers", "Transformation servers",
          math.ceil(cores / (a.cores_per_transformer * a.server_utilization)), "servers",
          "cores ÷ (cores per server × utilization), rounded up")
    store_less = t.add("no_store_cores", "Cores if every cache miss were transformed",
                       misses * a.transform_cpu, "cores", "misses × CPU time each")
    t.add("no_store_transformers", "Servers if every cache miss were transformed",
          math.ceil(store_less / (a.cores_per_transformer * a.server_utilization)), "servers",
          "those cores ÷ (cores per server × utilization), rounded up")
    t.add("no_cache_cores", "Cores if every request were transformed",
          a.peak_image_requests * a.transform_cpu, "cores",
          "image requests × CPU time each")
    t.add("cold_path_latency", "Latency of a cold variant, fetch and transform",
          a.original_fetch_time + a.transform_cpu, "s",
          "original fetch + transformation time")
    return t


def prerender(a: Assumptions) -> Table:
    p = Table("prerender", "Pre-rendering every variant at upload")
    per_image = a.width_buckets * a.formats
    p.add("prerender_rate", "Transformations at peak", a.upload_rate * per_image,
          "transforms/s", "new originals × variants per original")
    p.add("prerender_cores", "CPU cores at peak",
          a.upload_rate * per_image * a.transform_cpu, "cores",
          "transformations × CPU time each")
    stored = p.add("prerender_storage", "Storage for every variant of every original",
                   a.originals * per_image * a.variant_size, "B",
                   "originals × variants per original × variant size")
    p.add("prerender_wasted_storage", "Of which never requested",
          stored * (1 - a.variants_touched_share), "B", "storage × (1 − share requested)")
    p.add("prerender_cpu_multiple", "CPU against generating on first request",
          1 / a.variants_touched_share, "×", "1 ÷ share requested")
    return p


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [variants(a), keys(a), transforms(a), prerender(a)]
