"""creditkit on Spark, on a laptop: the same calls run on a cluster with another session.

    .venv/bin/python examples/spark_local.py                 # local[2], a small demo lake
    .venv/bin/python examples/spark_local.py --customers 50000 --lake /tmp/lake

What it does:

1. writes a generator book as Parquet into a "lake" folder (on a cluster the tables
   are already there: ``s3a://bucket/ledger/bills`` or ``abfss://…``);
2. reads the tables back with ``spark.read.parquet`` (dates as ``date``, money as
   ``bigint`` minor units: creditkit checks the schema before any job runs);
3. runs the aging, the aging history with roll rates, the reconciliation, RFM value
   segments and a scorecard as Spark SQL, writing per-customer tables back as Parquet
   and printing the portfolio tables (small, added exactly on the driver).

On a cluster only the session changes (step 0): instead of ``local_session`` build

    spark = (SparkSession.builder.appName("creditkit")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.sql.shuffle.partitions", "400")   # customer slices
             .config("spark.pyspark.python", "./env/bin/python")  # an env with creditkit
             .config("spark.archives", "creditkit-env.tar.gz#env")
             .getOrCreate())

(``creditkit.spark.session_config()`` lists the settings creditkit relies on) and point
``--lake`` at the lake path. Every executor needs creditkit and pandas in its Python:
ship a packed environment (conda-pack / venv-pack, ``spark.archives``) or use an image.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from creditkit.aging import month_ends
from creditkit.datasets import make_portfolio
from creditkit.scoring.examples import example_card

AS_OF = "2025-09-30"


def write_demo_lake(spark, lake: str, customers: int) -> None:
    """A generator book as Parquet tables under ``lake`` (what a data lake would hold)."""
    from creditkit.spark import from_pandas

    book = make_portfolio(customers, seed=3, kind="mixed", start="2024-01-01", end="2025-12-31")
    for name in ("bills", "payments", "customers", "transactions", "applications"):
        from_pandas(spark, book[name]).write.mode("overwrite").parquet(f"{lake}/{name}")


def run(spark, lake: str, out: str) -> dict:
    """Read the lake's tables, run creditkit on them, write the per-customer results."""
    from creditkit import spark as cks

    t = {name: spark.read.parquet(f"{lake}/{name}")
         for name in ("bills", "payments", "customers", "transactions", "applications")}
    aged = cks.customer_aging(t["bills"], t["payments"], as_of=AS_OF, buckets="m")
    aged.write.mode("overwrite").parquet(f"{out}/customer_aging")
    portfolio = cks.portfolio_aging(t["bills"], t["payments"], as_of=AS_OF, buckets="m")

    history = cks.aging_at_dates(t["bills"], t["payments"],
                                 dates=month_ends("2025-01-31", AS_OF)).cache()
    history.write.mode("overwrite").parquet(f"{out}/aging_history")
    rolls = cks.roll_rates(history)
    history.unpersist()

    rec = cks.reconcile(t["payments"], t["bills"], t["customers"], as_of=AS_OF)
    rec.allocations.write.mode("overwrite").parquet(f"{out}/allocations")
    rec.exceptions.write.mode("overwrite").parquet(f"{out}/reconcile_exceptions")

    rfm = cks.rfm_scores(cks.rfm_table(t["transactions"], as_of=AS_OF,
                                       customers=t["customers"]))
    cks.value_segments(rfm).write.mode("overwrite").parquet(f"{out}/value_segments")

    applicants = t["applications"].withColumnRenamed("age_years", "age")
    points = cks.score_spark(example_card(), applicants, id_col="application_id")
    points.write.mode("overwrite").parquet(f"{out}/points")
    return {"portfolio_aging": portfolio, "roll_rates": rolls, "summary": rec.summary}


def main(argv: list[str] | None = None) -> None:
    from creditkit.spark import local_session

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=2_000)
    ap.add_argument("--lake", default=None, help="lake folder (default: a temporary one)")
    ap.add_argument("--cores", type=int, default=2)
    args = ap.parse_args(argv)
    lake = args.lake or tempfile.mkdtemp(prefix="creditkit-lake-")
    spark = local_session(args.cores)  # step 0: the only line that differs on a cluster
    try:
        start = time.perf_counter()
        write_demo_lake(spark, lake, args.customers)
        tables = run(spark, lake, str(Path(lake) / "results"))
        for name, frame in tables.items():
            print(f"== {name}\n{frame.head(12).to_string()}\n")
        print(f"results under {Path(lake) / 'results'} ({time.perf_counter() - start:.0f} s)")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
