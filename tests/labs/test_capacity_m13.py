"""The Module 13 walkthroughs' capacity models scale as their text says.

That every model runs and uses each of its assumptions is checked for all
models in test_capacity_designs.py."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml

from dsd_labs.capacity import model

DESIGNS = sorted(p.stem for p in model.DATA.glob("m13-*.yaml"))
WALKTHROUGHS = ["url-shortener", "social-feed", "message-queue", "rate-limiter", "lock-service",
                "autocomplete", "file-storage", "notification-service", "distributed-counter",
                "leaderboard", "collaborative-editing", "payments"]


def _values(design: str, scale: float = 1.0) -> dict[str, float]:
    return {r.name: r.value for t in model.estimate(design, scale).tables for r in t.rows}


def _with(design: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          **changes: float) -> dict[str, float]:
    """Run a model with some assumptions replaced, through a copy of its data file."""
    data = yaml.safe_load(model.data_file(design).read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    for name, value in changes.items():
        changed["assumptions"][name]["value"] = value
    monkeypatch.setattr(model, "DATA", tmp_path)
    (tmp_path / f"{design}.yaml").write_text(yaml.safe_dump(changed), encoding="utf-8")
    return _values(design)


def _assumption(design: str, name: str) -> float:
    data = yaml.safe_load(model.data_file(design).read_text(encoding="utf-8"))
    return float(data["assumptions"][name]["value"])


def test_every_walkthrough_has_a_model() -> None:
    assert sorted(f"m13-{slug}" for slug in WALKTHROUGHS) == DESIGNS


LOAD_ROWS = {
    "m13-url-shortener": "peak_redirect_rate", "m13-social-feed": "peak_fanout_writes",
    "m13-message-queue": "ingress_bytes", "m13-rate-limiter": "counter_memory",
    "m13-lock-service": "keepalive_rate", "m13-autocomplete": "peak_backend_rate",
    "m13-file-storage": "logical_bytes", "m13-notification-service": "combined_peak",
    "m13-distributed-counter": "hot_key_rate", "m13-leaderboard": "board_memory",
    "m13-collaborative-editing": "op_rate", "m13-payments": "peak_ledger_writes",
}


def test_every_model_names_a_load_row() -> None:
    assert sorted(LOAD_ROWS) == DESIGNS


@pytest.mark.parametrize("design", DESIGNS)
def test_doubling_the_load_doubles_the_key_number(design: str) -> None:
    """Each walkthrough's headline number is proportional to the load it is sized for."""
    name = LOAD_ROWS[design]
    base, double = model.estimate(design), model.estimate(design, scale=2)
    assert double.row(name).value == pytest.approx(2 * base.row(name).value)


def test_url_shortener_redirects_follow_the_read_ratio() -> None:
    v = _values("m13-url-shortener")
    ratio = _assumption("m13-url-shortener", "reads_per_write")
    assert v["redirect_rate"] == pytest.approx(v["create_rate"] * ratio)
    assert v["code_space"] == pytest.approx(62 ** 7)
    assert v["code_space_used"] == pytest.approx(v["links_stored"] / 62 ** 7)
    assert v["code_space_used"] < 0.1, "seven base62 characters leave ample room"


def test_url_shortener_six_characters_would_run_out(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert _with("m13-url-shortener", tmp_path, monkeypatch, code_length=6)["code_space_used"] > 1


def test_feed_push_cost_grows_with_followers_and_pull_with_reads() -> None:
    v = _values("m13-social-feed")
    followers = _assumption("m13-social-feed", "average_followers")
    assert v["peak_fanout_writes"] == pytest.approx(v["peak_post_rate"] * followers)
    assert v["peak_pull_reads"] == pytest.approx(v["peak_feed_reads"] * followers)
    assert v["peak_pull_reads"] > v["peak_fanout_writes"], "reads outnumber posts"
    assert v["celebrity_fanout_time"] == pytest.approx(
        _assumption("m13-social-feed", "celebrity_followers")
        / _assumption("m13-social-feed", "fanout_write_capacity"))


def test_queue_partitions_follow_consumer_throughput(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    v = _values("m13-message-queue")
    assert v["partitions"] == math.ceil(_assumption("m13-message-queue", "peak_message_rate")
                                        / _assumption("m13-message-queue", "consumer_throughput"))
    assert v["replication_bytes"] == pytest.approx(2 * v["ingress_bytes"])
    slower = _with("m13-message-queue", tmp_path, monkeypatch, consumer_throughput=2500)
    assert slower["partitions"] == 2 * v["partitions"]


def test_rate_limiter_log_memory_grows_with_the_limit(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    v = _values("m13-rate-limiter")
    assert v["log_memory"] > 10 * v["counter_memory"]
    doubled = _with("m13-rate-limiter", tmp_path, monkeypatch, limit=200)
    assert doubled["counter_memory"] == pytest.approx(v["counter_memory"])
    assert doubled["log_memory"] > 1.9 * v["log_memory"]


def test_lock_keepalives_follow_lease_and_renewal() -> None:
    v = _values("m13-lock-service")
    interval = (_assumption("m13-lock-service", "lease_duration")
                * _assumption("m13-lock-service", "renew_fraction"))
    assert v["keepalive_rate"] == pytest.approx(
        _assumption("m13-lock-service", "lock_holders") / interval)
    assert v["keepalive_rate"] > v["write_rate"], "keep-alive messages, not acquisitions, dominate"


def test_autocomplete_cache_cuts_backend_load(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    v = _values("m13-autocomplete")
    hit = _assumption("m13-autocomplete", "cache_hit_ratio")
    assert v["peak_backend_rate"] == pytest.approx(v["peak_request_rate"] * (1 - hit))
    no_cache = _with("m13-autocomplete", tmp_path, monkeypatch, cache_hit_ratio=0.0)
    assert no_cache["serving_nodes"] > v["serving_nodes"]


def test_file_storage_erasure_coding_halves_raw_bytes() -> None:
    v = _values("m13-file-storage")
    assert v["raw_erasure"] == pytest.approx(v["raw_replicated"] / 2)
    assert v["unique_bytes"] < v["logical_bytes"]


def test_notification_campaign_dominates_the_peak() -> None:
    v = _values("m13-notification-service")
    assert v["combined_peak"] == pytest.approx(v["peak_send_rate"] + v["campaign_rate"])
    assert v["campaign_rate"] > v["peak_send_rate"]


def test_counter_batching_bounds_hot_key_writes(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    v = _values("m13-distributed-counter")
    hotter = _with("m13-distributed-counter", tmp_path, monkeypatch, hot_key_share=0.04)
    assert hotter["hot_key_rate"] == pytest.approx(2 * v["hot_key_rate"])
    assert hotter["hot_key_shards"] == 2 * v["hot_key_shards"]
    assert hotter["hot_key_batched_writes"] == v["hot_key_batched_writes"], (
        "with batching the store sees one write per aggregator per interval, whatever the load")


def test_leaderboard_shards_follow_operations() -> None:
    v = _values("m13-leaderboard")
    assert v["shards"] == math.ceil(v["peak_ops"] / (100000 * 0.5))
    assert v["memory_per_shard"] * v["shards"] == pytest.approx(v["board_memory"])


def test_busiest_document_fanout_is_quadratic(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    v = _values("m13-collaborative-editing")
    doubled = _with("m13-collaborative-editing", tmp_path, monkeypatch, hot_document_editors=200)
    assert doubled["hot_document_fanout"] / v["hot_document_fanout"] == pytest.approx(
        200 * 199 / (100 * 99))


def test_payment_ledger_writes_follow_entries_per_payment() -> None:
    v = _values("m13-payments")
    entries = _assumption("m13-payments", "entries_per_payment")
    assert v["peak_ledger_writes"] == pytest.approx(v["peak_payment_rate"] * entries)
    assert v["ledger_retained"] == pytest.approx(
        v["ledger_per_year"] * _assumption("m13-payments", "retention_years"))
