"""Image optimization: bucket geometry, Accept classes, the variant store and pre-rendering."""

from __future__ import annotations

import math

import pytest

from dsd_labs.capacity import model

DESIGN = "e20-media-optimization"


def value(name: str, scale: float = 1.0) -> float:
    return model.estimate(DESIGN, scale).row(name).value


def test_buckets_are_geometric_between_the_extremes() -> None:
    r = value("bucket_ratio")
    assert 160 * r ** 7 == pytest.approx(2560)
    assert value("worst_pixel_overshoot") == pytest.approx(r * r)


def test_mean_overshoot_matches_a_log_uniform_average() -> None:
    """Average (bucket ÷ requested width)² over widths spread evenly on a log scale."""
    r = value("bucket_ratio")
    n = 100_000
    numeric = sum(r ** (2 * (i + 0.5) / n) for i in range(n)) / n
    assert value("mean_pixel_overshoot") == pytest.approx(numeric, rel=1e-6)
    assert 1 < value("mean_pixel_overshoot_doubled") < value("mean_pixel_overshoot")


def test_accept_classes_shrink_the_key_space() -> None:
    assert value("raw_accept_entries") / value("class_accept_entries") == pytest.approx(40 / 3)


def test_the_variant_store_turns_misses_into_reads() -> None:
    assert value("miss_rate") == pytest.approx(5e6 * 0.03)
    assert value("store_read_bandwidth") == pytest.approx(150_000 * 60_000 * 8)
    assert value("transform_rate") == pytest.approx(100 * 24 * 0.1)
    assert value("no_store_cores") == pytest.approx(150_000 * 0.08)
    assert value("transformers") < value("no_store_transformers") / 50


def test_pre_rendering_costs_the_untouched_share() -> None:
    assert value("prerender_rate") == pytest.approx(value("transform_rate") * 10)
    assert value("prerender_wasted_storage") == pytest.approx(
        0.9 * value("prerender_storage"))
    assert value("prerender_storage") == pytest.approx(10 * value("variant_storage"))
    assert value("cold_path_latency") == pytest.approx(0.18)


def test_originals_and_uploads_scale_with_load() -> None:
    assert value("original_storage", 100) == pytest.approx(100 * value("original_storage"))
    assert value("transform_rate", 10) == pytest.approx(10 * value("transform_rate"))
    assert math.isclose(value("bucket_ratio", 10), value("bucket_ratio"))


def test_misses_dwarf_first_requests() -> None:
    assert value("misses_per_new_variant") == pytest.approx(150_000 / 240)


def test_the_example_request_rounds_up_to_the_next_bucket() -> None:
    r = value("bucket_ratio")
    assert value("example_bucket") == pytest.approx(160 * r ** 4)
    assert 160 * r ** 3 < 700 <= value("example_bucket")
    assert value("example_overshoot") == pytest.approx((value("example_bucket") / 700) ** 2)
