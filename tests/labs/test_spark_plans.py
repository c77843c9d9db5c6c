"""Pin what Spark 3.5 plans for the module's queries: pushdown, join strategy and pruning.

One local Spark session serves every test in the file; starting a JVM is the
expensive part, the queries are small.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from dsd_labs.data_processing import spark_plans as sp


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = sp.session()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def root(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark-tables")
    sp.write_tables(spark, path)
    return path


def test_column_filter_is_pushed_to_parquet_and_udf_is_not(spark: SparkSession,
                                                          root: Path) -> None:
    queries = sp.filter_queries(spark, root)
    column = sp.plan_text(queries["column expression"])
    udf = sp.plan_text(queries["Python UDF"])
    assert "PushedFilters: [IsNotNull(amount), GreaterThan(amount,100.0)]" in column
    assert "BatchEvalPython" not in column
    assert "PushedFilters: []" in udf
    assert "BatchEvalPython" in udf
    assert queries["column expression"].count() == queries["Python UDF"].count() > 0


def test_small_side_is_broadcast_and_large_join_sorts_and_merges(spark: SparkSession,
                                                                 root: Path) -> None:
    with sp.broadcast_threshold(spark, "10485760"):
        broadcast_df = sp.join_query(spark, root)
        broadcast_plan = sp.plan_text(broadcast_df)
        broadcast_rows = broadcast_df.collect()
    with sp.broadcast_threshold(spark, "-1"):
        merge_df = sp.join_query(spark, root)
        merge_plan = sp.plan_text(merge_df)
        merge_rows = merge_df.collect()
    assert "BroadcastHashJoin" in broadcast_plan
    assert "BroadcastExchange" in broadcast_plan
    assert "SortMergeJoin" not in broadcast_plan
    assert "SortMergeJoin" in merge_plan
    assert merge_plan.count("Exchange hashpartitioning(customer_id") == 2
    assert "Broadcast" not in merge_plan
    assert broadcast_rows == merge_rows
    assert [r["segment"] for r in merge_rows] == ["enterprise", "retail"]


def test_threshold_context_restores_the_setting(spark: SparkSession) -> None:
    key = "spark.sql.autoBroadcastJoinThreshold"
    before = spark.conf.get(key)
    with sp.broadcast_threshold(spark, "-1"):
        assert spark.conf.get(key) == "-1"
    assert spark.conf.get(key) == before


def test_static_filter_on_partition_column_reads_one_day(spark: SparkSession,
                                                         root: Path) -> None:
    df = sp.pruning_queries(spark, root)["static partition filter"]
    plan = sp.plan_text(df)
    assert "PartitionFilters: [isnotnull(order_date" in plan
    assert "= 2026-03-03)]" in plan
    rows = df.collect()
    assert {str(r["order_date"]) for r in rows} == {"2026-03-03"}
    files_per_day = len(list((root / "orders" / "order_date=2026-03-03").glob("*.parquet")))
    assert sp.scan_counts(df) == [(1, files_per_day)]


def test_join_filter_prunes_partitions_at_run_time(spark: SparkSession, root: Path) -> None:
    df = sp.pruning_queries(spark, root)["dynamic partition pruning"]
    plan = sp.plan_text(df)
    assert "dynamicpruningexpression(order_date" in plan
    rows = df.collect()
    assert {str(r["order_date"]) for r in rows} == {"2026-03-03"}
    partitions, _files = sp.scan_counts(df)[0]
    assert partitions == 1


def test_normalize_renumbers_ids_and_hides_the_temporary_path(tmp_path: Path) -> None:
    plan = (f"Filter (amount#57 > 1)\n+- FileScan parquet [amount#57,id#12L] Batched: true, "
            f"Location: InMemoryFileIndex(1 paths)[{tmp_path.resolve().as_uri()}/orders], "
            "PushedFilters: [], [plan_id=91]")
    text = sp.normalize(plan, tmp_path)
    assert "amount#0" in text and "id#1L" in text
    assert "#57" not in text and str(tmp_path) not in text
    assert "[file:/data/orders]" in text and "[plan_id=n]" in text
    assert text.splitlines()[2].strip() == "Batched: true,"
    assert text.splitlines()[-1] == "       PushedFilters: [], [plan_id=n]"


def test_wrap_scan_keeps_other_lines_and_indents_under_the_branch() -> None:
    assert sp.wrap_scan("+- Project [a#0]") == "+- Project [a#0]"
    wrapped = sp.wrap_scan(":- FileScan parquet [a#0] Batched: true, Format: Parquet").splitlines()
    assert wrapped == [":- FileScan parquet [a#0],", ":      Batched: true,",
                       ":      Format: Parquet"]


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(sp.shutil, "which", lambda _name: None)
    with pytest.raises(SystemExit, match="needs a Java runtime"):
        sp.require_java()
