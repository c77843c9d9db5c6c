"""Physical plans from a real Spark: pushdown, broadcast vs. sort-merge join, pruning.

The module's pages describe what Spark's optimizer does with a query; this
lab makes Spark 3.5 show it. It writes a small orders table as Parquet,
partitioned by day, and a customers table, then asks Spark for the physical
plan of four queries:

- ``filter``: the same filter written as a column expression and as a Python
  UDF. Only the first reaches the Parquet reader as a pushed filter.
- ``broadcast``: a join with the small customers table, which Spark
  broadcasts because its estimated size is under
  ``spark.sql.autoBroadcastJoinThreshold``.
- ``sort-merge``: the same join with broadcasting disabled, which becomes a
  shuffle on both sides, a sort and a merge.
- ``pruning``: a filter on the partition column, which removes whole
  directories before any file is opened, and a join whose filter on the
  other side prunes partitions at run time (dynamic partition pruning).

Each plan is followed by a check computed from running the query, so the
page shows that the strategies agree on the result while differing in how
they get it. The code uses only the DataFrame API, so the same functions
run unchanged against a cluster when ``--master`` names one.

Plans print expression IDs (``amount#12``) that depend on everything the
session did before, and the path of the temporary directory. The lab
renumbers IDs in order of first appearance and prints the data directory
as ``/data``, so that the output is the same on every run; it also breaks
each file scan's long line before every property (``PushedFilters: ...``),
indented under the scan, so that the plans fit a printed page.

Run: ``python -m dsd_labs.data_processing.spark_plans --query broadcast --query sort-merge``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import BooleanType

QUERIES = ("filter", "broadcast", "sort-merge", "pruning")
DAYS = 7
FIRST_DAY = dt.date(2026, 3, 1)
ID_RE = re.compile(r"#(\d+)")
PLAN_ID_RE = re.compile(r"\[plan_id=\d+\]")
PATH_RE = re.compile(r"file:[^\],\s]+")
SCAN_PROPERTY_RE = re.compile(
    r",? (?=(?:Batched|DataFilters|Format|Location|PartitionFilters|PushedFilters|ReadSchema): )")


def require_java() -> None:
    """Fail with the fix, not with PySpark's gateway error, when no JVM can be found."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and Path(java_home, "bin", "java").exists():
        return
    if shutil.which("java") is None:
        raise SystemExit("spark_plans: Spark needs a Java runtime (8, 11 or 17) and none "
                         "was found; install one (Debian: default-jre-headless) or set "
                         "JAVA_HOME")


def session(master: str = "local[2]") -> SparkSession:
    """A quiet, small session whose settings make plans and results repeatable."""
    require_java()
    # Python UDF workers otherwise start whatever `python3` is first on PATH,
    # which may lack pyspark or differ in version from the driver.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(master).appName("dsd-spark-plans")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.driver.memory", "1g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# start-write-tables
def write_tables(spark: SparkSession, root: Path, orders: int = 70_000,
                 customers: int = 1_000) -> None:
    """Orders partitioned by day (one directory per day) and a small customer table."""
    (spark.range(orders)
     .withColumnRenamed("id", "order_id")
     .withColumn("customer_id", F.col("order_id") % customers)
     .withColumn("amount", (F.col("order_id") * 37 % 50_000) / 100)
     .withColumn("order_date",
                 F.date_add(F.lit(FIRST_DAY.isoformat()).cast("date"),
                            (F.col("order_id") % DAYS).cast("int")))
     .write.partitionBy("order_date").parquet(str(root / "orders")))
    (spark.range(customers)
     .withColumnRenamed("id", "customer_id")
     .withColumn("segment", F.when(F.col("customer_id") % 10 == 0, "enterprise")
                 .otherwise("retail"))
     .withColumn("signup_date",
                 F.date_add(F.lit(FIRST_DAY.isoformat()).cast("date"),
                            (F.col("customer_id") % DAYS).cast("int")))
     .write.parquet(str(root / "customers")))
# end-write-tables


def plan_text(df: DataFrame, mode: str = "simple") -> str:
    """The plan as ``df.explain`` prints it, captured instead of printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        df.explain(mode)
    return buffer.getvalue().rstrip("\n")


def normalize(plan: str, root: Path) -> str:
    """Renumber expression IDs by first appearance and hide the temporary path."""
    numbers: dict[str, int] = {}

    def renumber(match: re.Match[str]) -> str:
        return "#" + str(numbers.setdefault(match.group(1), len(numbers)))

    plan = plan.replace(root.resolve().as_uri(), "file:/data").replace(str(root), "/data")
    plan = PATH_RE.sub(lambda m: m.group(0) if m.group(0).startswith("file:/data")
                       else "file:/data", plan)
    plan = PLAN_ID_RE.sub("[plan_id=n]", plan)
    return "\n".join(wrap_scan(line) for line in ID_RE.sub(renumber, plan).splitlines())


def wrap_scan(line: str) -> str:
    """Break a ``FileScan`` line before each property, indented under the scan."""
    start = line.find("FileScan ")
    if start < 0:
        return line
    prefix = line[:start].replace("+- ", "   ").replace(":- ", ":  ")
    first, *properties = SCAN_PROPERTY_RE.split(line)
    return "\n".join([first + ",", *(f"{prefix}    {p}," for p in properties[:-1]),
                      f"{prefix}    {properties[-1]}"] if properties else [line])


def scan_counts(df: DataFrame) -> list[tuple[int, int]]:
    """(partitions, files) read by each file scan of a query that has run.

    The numbers are the scans' SQL metrics, the ones the Spark UI shows. PySpark
    has no public call for them, so this walks the JVM plan through the
    DataFrame's internal handle; it works in classic PySpark, not over Spark
    Connect.
    """
    plan = df._jdf.queryExecution().executedPlan()
    if plan.nodeName() == "AdaptiveSparkPlan":
        plan = plan.executedPlan()
    leaves = plan.collectLeaves()
    counts = []
    for i in range(leaves.length()):
        metrics = leaves.apply(i).metrics()
        if metrics.contains("numFiles") and metrics.contains("numPartitions"):
            counts.append((metrics.apply("numPartitions").value(),
                           metrics.apply("numFiles").value()))
    return counts


# start-filter
def filter_queries(spark: SparkSession, root: Path) -> dict[str, DataFrame]:
    """One filter, written as a column expression and as an opaque Python function."""
    orders = spark.read.parquet(str(root / "orders"))
    is_big = F.udf(lambda amount: amount is not None and amount > 100, BooleanType())
    return {
        "column expression": orders.filter(F.col("amount") > 100),
        "Python UDF": orders.filter(is_big("amount")),
    }
# end-filter


# start-joins
def join_query(spark: SparkSession, root: Path) -> DataFrame:
    """Revenue per customer segment: a fact table joined with a small dimension."""
    orders = spark.read.parquet(str(root / "orders"))
    customers = spark.read.parquet(str(root / "customers"))
    return (orders.join(customers, "customer_id")
            .groupBy("segment").agg(F.round(F.sum("amount"), 2).alias("revenue"))
            .orderBy("segment"))


@contextlib.contextmanager
def broadcast_threshold(spark: SparkSession, value: str) -> Iterator[None]:
    """Set the size under which Spark broadcasts a join side; ``-1`` disables it."""
    key = "spark.sql.autoBroadcastJoinThreshold"
    previous = spark.conf.get(key)
    spark.conf.set(key, value)
    try:
        yield
    finally:
        spark.conf.set(key, previous)
# end-joins


# start-pruning
def pruning_queries(spark: SparkSession, root: Path) -> dict[str, DataFrame]:
    """A static filter on the partition column, and one that arrives through a join."""
    orders = spark.read.parquet(str(root / "orders"))
    customers = spark.read.parquet(str(root / "customers"))
    static = orders.filter(F.col("order_date") == F.lit("2026-03-03").cast("date"))
    day_of_signup = (orders.join(customers.filter(F.col("customer_id") == 2),
                                 orders.order_date == customers.signup_date)
                     .select("order_id", "order_date", "amount"))
    return {"static partition filter": static, "dynamic partition pruning": day_of_signup}
# end-pruning


def section(title: str, plan: str, root: Path, checks: list[str]) -> str:
    lines = [f"== {title} ==", normalize(plan, root), *checks, ""]
    return "\n".join(lines)


def report_filter(spark: SparkSession, root: Path) -> str:
    queries = filter_queries(spark, root)
    counts = {name: df.count() for name, df in queries.items()}
    same = "yes" if len(set(counts.values())) == 1 else "no"
    return "\n".join(section(f"Filter as a {name}", plan_text(df), root,
                             [f"rows kept: {counts[name]:,}"])
                     for name, df in queries.items()) + f"same rows either way: {same}\n"


def report_join(spark: SparkSession, root: Path, threshold: str, title: str) -> str:
    with broadcast_threshold(spark, threshold):
        df = join_query(spark, root)
        plan = plan_text(df)
        rows = [(r["segment"], r["revenue"]) for r in df.collect()]
    result = ", ".join(f"{segment} {revenue:,.2f}" for segment, revenue in rows)
    return section(title, plan, root, [f"revenue by segment: {result}"])


def report_pruning(spark: SparkSession, root: Path) -> str:
    days = len(list((root / "orders").glob("order_date=*")))
    files = len(list((root / "orders").glob("order_date=*/*.parquet")))
    parts = []
    for name, df in pruning_queries(spark, root).items():
        plan = plan_text(df)
        rows = df.collect()
        dates = sorted({str(r["order_date"]) for r in rows})
        read_days, read_files = scan_counts(df)[0]
        parts.append(section(f"Partition pruning: {name}", plan, root, [
            f"rows: {len(rows):,}; days present: {', '.join(dates)}",
            f"orders scan read {read_days} of {days} day partitions, "
            f"{read_files} of {files} files"]))
    return "\n".join(parts)


REPORTS: dict[str, Callable[[SparkSession, Path], str]] = {
    "filter": report_filter,
    "broadcast": lambda s, r: report_join(s, r, "10485760", "Join, broadcast allowed (10 MB)"),
    "sort-merge": lambda s, r: report_join(s, r, "-1", "Join, broadcast disabled"),
    "pruning": report_pruning,
}


def run(queries: list[str], master: str = "local[2]", customers: int = 1_000) -> str:
    """Write the tables to a temporary directory and report on each query."""
    spark = session(master)
    try:
        with tempfile.TemporaryDirectory(prefix="dsd-spark-") as tmp:
            root = Path(tmp)
            write_tables(spark, root, customers=customers)
            return "\n".join(REPORTS[q](spark, root) for q in queries).rstrip("\n")
    finally:
        spark.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", choices=QUERIES, action="append",
                        help="a query to report on; repeat for several (default: all)")
    parser.add_argument("--master", default="local[2]",
                        help="Spark master URL; local[2] runs in this process's JVM")
    parser.add_argument("--customers", type=int, default=1_000,
                        help="rows in the customers table (the join's small side)")
    args = parser.parse_args(argv)
    print(run(args.query or list(QUERIES), args.master, args.customers))


if __name__ == "__main__":
    main()
