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


def transforms(a: Assumptions) -> Table:
    t = Table("transforms", "Transformations")
    misses = t.add("transform_rate", "Transformations at peak (variant cache misses)",
                   a.peak_image_requests * (1 - a.derived_hit_ratio), "transforms/s",
                   "image requests × (1 − hit ratio)")
    cores = t.add("transform_cores", "CPU cores for transformations at peak",
                  misses * a.transform_cpu, "cores", "transformations × CPU time each")
    t.add("transformers", "Transformation servers",
          math.ceil(cores / (a.cores_per_transformer * a.server_utilization)), "servers",
          "cores ÷ (cores per server × utilization), rounded up")
    t.add("no_cache_cores", "Cores if every request were transformed",
          a.peak_image_requests * a.transform_cpu, "cores",
          "image requests × CPU time each")
    return t


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    return [variants(a), transforms(a)]
