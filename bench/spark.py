"""pandas in one process against Spark local[2]: the same creditkit functions, time and memory.

For each size (default 1,000,000 and 10,000,000 bills) a generator book of N / 9.3
customers is written as Parquet by a process of its own; then each stage runs in a
fresh process (so its peak memory is its own) and reads the Parquet files:

- ``pandas``: ``customer_aging`` at the last day, then ``aging_at_dates`` over 12 month
  ends and ``roll_rates``; peak RSS = the process's ``ru_maxrss``;
- ``spark``: the same through ``creditkit.spark`` on ``local[2]`` (customer slices =
  ``--partitions``), each per-customer table forced with a ``noop`` write, the roll
  rates collected; peak memory = the driver's Python plus the JVM (driver and
  executors: in local mode one JVM) plus its Python workers, summed and sampled every
  50 ms with psutil (``children(recursive=True)``); the JVM heap is ``--memory``.
  The session start is timed apart.

Then the scorecard as Spark SQL (``score_spark``: one SELECT of CASE expressions) on
``--sql-rows`` (default 10,000,000) generated applicant rows, against ``predict_points``
in pandas on the same number of rows.

Every stage checks its result: Spark's exact portfolio totals equal pandas' (outstanding
per currency, roll-rate counts), so the timings compare equal work.

On 2 cores Spark is expected to be slower than pandas: Arrow carries every row from the
JVM to Python and back, and the shuffle writes the rows to disk once. What Spark buys is
that nothing needs the whole book in one process: each slice holds N / partitions bills,
the work grows linearly with N (compare the two sizes), and on a cluster the slices run in
parallel on as many executors as there are, with the session configuration the only
change (see README, "Spark").

Measured 2026-12-07 on this 2-core machine shared with other jobs (load average 9-14
throughout, so every figure is slower than on an idle machine, pandas' too):

- 998,209 bills + 838,091 payments, 4 slices: results equal. customer_aging pandas 8.6 s
  (+ 4.8 s reading Parquet), Spark 129.3 s (reads, slicing and the Arrow passage included;
  15x); history of 12 month ends + roll rates pandas 11.3 s, Spark 194.0 s (17x). Peak
  memory pandas 823 MiB; Spark 4,905 MiB in all (JVM 3,735, Python workers 973), session
  start 63 s.
- 9,975,887 bills + 8,378,132 payments, 40 slices, ``--no-history`` (the history at 10M
  did not fit the session's time; load 9-12): results equal. customer_aging pandas 145.2 s
  (+ 57.6 s reading), peak 5,882 MiB; Spark 694.0 s with reads (4.8x), peak 4,707 MiB in
  all (JVM 4,482 with its 6g heap, Python workers 958), session start 91.5 s. From 1M to
  10M Spark's time grew 5.4x (fixed costs amortised) and its memory stayed flat (bounded
  by the heap and the slice size), pandas' grew 17x in time and 7x in memory.
- scorecard on 10,000,000 generated rows: Spark SQL 21.7 s (peak 642 MiB),
  pandas ``predict_points`` 1.9 s (514 MiB).

``--history-only`` (``aging_at_dates`` over the 12 month ends of 2025 + ``roll_rates``; the
Spark history persisted on disk once, the roll rates and the outstanding at the last month
end read from it), measured 2026-12-07 21:15-21:31 in one run, CPU seconds beside wall
(load 8-9 during the 1M stages, 4-6 at the 10M pandas stage, falling to ~0 during the 10M
Spark stage, so the wall ratios between sizes are not comparable; the CPU ones are):

- 998,209 bills, 4 slices: results equal (rows, outstanding per currency, roll counts).
  pandas 13.2 s wall, 3.6 CPU s (read 4.3 s), peak 758 MiB; Spark 168.0 s wall, 87.6 CPU s
  (driver, JVM, Python workers), peak 3,073 MiB (JVM = driver + executors 1,941, Python
  workers 954), session start 47.0 s: 12.7x wall, 24.2x CPU.
- 9,975,887 bills, 40 slices: results equal. pandas 91.0 s wall, 61.6 CPU s (read 8.4 s),
  peak 5,974 MiB; Spark 189.4 s wall, 216.8 CPU s, peak 3,654 MiB (JVM 2,654, Python
  workers 1,003), session start 15.4 s: 2.1x wall, 3.5x CPU.
- 1M -> 10M (10.0x the bills): pandas 17.0x CPU, 7.9x memory (6.9x wall); Spark 2.5x CPU,
  1.2x memory (1.1x wall, load falling). Spark's cost grows at most linearly (its fixed
  costs, session and Python workers, weigh on the 1M run) and its memory is bounded by the
  heap and the slice size; pandas' grows faster than the book. Spark's CPU is sampled from
  the live JVM and Python daemon (their reaped workers included), once, before the stop.

    .venv/bin/python bench/spark.py --sizes 200000 --sql-rows 1000000   # a quick look
    .venv/bin/python bench/spark.py                                      # 1M and 10M (long)
    .venv/bin/python bench/spark.py --sql-rows 0 --history-only          # the history, 1M and 10M
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

AS_OF = "2025-12-31"
BILLS_PER_CUSTOMER = 9.3


def make_inputs(n_bills: int, folder: Path) -> tuple[int, int]:
    from creditkit.datasets import make_portfolio

    n_customers = max(100, round(n_bills / BILLS_PER_CUSTOMER))
    tables = make_portfolio(n_customers, seed=42, kind="mixed", start="2024-01-01", end=AS_OF)
    # microsecond timestamps: Spark does not read Parquet's nanosecond ones
    for name in ("bills", "payments"):
        tables[name].to_parquet(folder / f"{name}.parquet", coerce_timestamps="us",
                                allow_truncated_timestamps=True)
    return len(tables["bills"]), len(tables["payments"])


class TreePeak:
    """Peak summed RSS of this process and all its descendants (JVM, Python workers)."""

    def __enter__(self):
        self.proc = psutil.Process()
        self.peak = {"total": 0, "jvm": 0, "workers": 0}
        self.stop = False
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()
        return self

    def _sample(self) -> None:
        me = self.proc.memory_info().rss
        jvm = workers = 0
        for child in self.proc.children(recursive=True):
            try:
                rss = child.memory_info().rss
                if "java" in child.name():
                    jvm += rss
                else:
                    workers += rss
            except psutil.Error:
                continue
        for key, value in (("total", me + jvm + workers), ("jvm", jvm), ("workers", workers)):
            self.peak[key] = max(self.peak[key], value)

    def _run(self):
        while not self.stop:
            self._sample()
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.stop = True
        self.t.join()


def months() -> list:
    from creditkit.aging import month_ends

    return month_ends("2025-01-31", AS_OF)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def stage_pandas_history(folder: Path) -> dict:
    """``aging_at_dates`` over the month ends + ``roll_rates``; outstanding at the last one."""
    import pandas as pd

    from creditkit.aging import aging_at_dates, roll_rates

    t0 = time.perf_counter()
    bills = pd.read_parquet(folder / "bills.parquet")
    payments = pd.read_parquet(folder / "payments.parquet")
    t_read, c_read = time.perf_counter(), _cpu()
    history = aging_at_dates(bills, payments, dates=months())
    rolls = roll_rates(history)
    last = history[history["as_of"] == history["as_of"].max()]
    return {"read_s": t_read - t0, "history_s": time.perf_counter() - t_read,
            "history_cpu_s": _cpu() - c_read, "rows": len(history),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "outstanding": {str(k): int(v) for k, v in
                            last.groupby("currency")["outstanding_minor"].sum().items()},
            "roll_count": int(rolls["count"].sum())}


def stage_spark_history(folder: Path, cores: int, partitions: int, memory: str) -> dict:
    """The same through creditkit.spark; the history persisted once (disk), then read twice."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from creditkit import spark as cks

    with TreePeak() as peak:
        t0 = time.perf_counter()
        spark = cks.local_session(cores, memory=memory,
                                  config={"spark.sql.shuffle.partitions": str(partitions)})
        t_start, c_start = time.perf_counter(), _cpu()
        bills = spark.read.parquet(str(folder / "bills.parquet"))
        payments = spark.read.parquet(str(folder / "payments.parquet"))
        for c in ("issue_date", "due_date"):
            bills = bills.withColumn(c, F.to_date(c))
        payments = payments.withColumn("paid_date", F.to_date("paid_date"))
        history = cks.aging_at_dates(bills, payments, dates=months(), validate=False).persist(
            StorageLevel.DISK_ONLY)
        rows = history.count()
        t_rows = time.perf_counter()
        rolls = cks.roll_rates(history)
        last = history.where(F.col("as_of") == F.lit(months()[-1].date()))
        outstanding = {r["currency"]: int(r["s"]) for r in last.groupBy("currency").agg(
            F.sum("outstanding_minor").alias("s")).collect()}
        t_hist = time.perf_counter()
        # the JVM's CPU (driver and executors in local mode) and its Python workers, alive
        cpu = sum(c.cpu_times().user + c.cpu_times().system
                  for c in psutil.Process().children(recursive=True))
        spark.stop()
    return {"start_s": t_start - t0, "history_s": t_hist - t_start,
            "history_rows_s": t_rows - t_start, "rows": rows,
            "history_cpu_s": _cpu() - c_start + cpu,
            "peak_mib": peak.peak["total"] / 2**20, "jvm_mib": peak.peak["jvm"] / 2**20,
            "workers_mib": peak.peak["workers"] / 2**20, "outstanding": outstanding,
            "roll_count": int(rolls["count"].sum())}


def stage_pandas(folder: Path, history: bool = True) -> dict:
    import pandas as pd

    from creditkit.aging import aging_at_dates, customer_aging, roll_rates

    t0 = time.perf_counter()
    bills = pd.read_parquet(folder / "bills.parquet")
    payments = pd.read_parquet(folder / "payments.parquet")
    t_read = time.perf_counter()
    aged = customer_aging(bills, payments, as_of=AS_OF)
    t_aging = time.perf_counter()
    rolls = roll_rates(aging_at_dates(bills, payments, dates=months())) if history else None
    t_hist = time.perf_counter()
    return {"read_s": t_read - t0, "aging_s": t_aging - t_read, "history_s": t_hist - t_aging,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "outstanding": {str(k): int(v) for k, v in
                            aged.groupby("currency")["outstanding_minor"].sum().items()},
            "roll_count": int(rolls["count"].sum()) if history else None}


def stage_spark(folder: Path, cores: int, partitions: int, memory: str,
                with_history: bool = True) -> dict:
    from creditkit import spark as cks

    with TreePeak() as peak:
        t0 = time.perf_counter()
        spark = cks.local_session(cores, memory=memory,
                                  config={"spark.sql.shuffle.partitions": str(partitions)})
        t_start = time.perf_counter()
        bills = spark.read.parquet(str(folder / "bills.parquet"))
        payments = spark.read.parquet(str(folder / "payments.parquet"))
        # pandas writes datetime64 to Parquet as timestamps: creditkit's dates are days
        from pyspark.sql import functions as F

        for c in ("issue_date", "due_date"):
            bills = bills.withColumn(c, F.to_date(c))
        payments = payments.withColumn("paid_date", F.to_date("paid_date"))
        aged = cks.customer_aging(bills, payments, as_of=AS_OF, validate=False)
        outstanding = {r["currency"]: int(r["s"]) for r in aged.groupBy("currency").agg(
            F.sum("outstanding_minor").alias("s")).collect()}
        t_aging = time.perf_counter()
        rolls = None
        if with_history:
            history = cks.aging_at_dates(bills, payments, dates=months(), validate=False)
            history.write.format("noop").mode("overwrite").save()
        t_hist_only = time.perf_counter()
        if with_history:
            rolls = cks.roll_rates(history)
        t_hist = time.perf_counter()
        spark.stop()
    return {"start_s": t_start - t0, "aging_s": t_aging - t_start,
            "history_s": t_hist - t_aging, "history_rows_s": t_hist_only - t_aging,
            "peak_mib": peak.peak["total"] / 2**20, "jvm_mib": peak.peak["jvm"] / 2**20,
            "workers_mib": peak.peak["workers"] / 2**20,
            "outstanding": outstanding,
            "roll_count": int(rolls["count"].sum()) if with_history else None}


def stage_sql(rows: int, cores: int, memory: str, engine: str) -> dict:
    from creditkit.scoring.examples import example_card

    card = example_card()
    if engine == "pandas":
        import numpy as np
        import pandas as pd

        rng = np.random.default_rng(1)
        age = rng.integers(18, 80, rows).astype("float64")
        age[rng.random(rows) < 0.02] = np.nan
        t0 = time.perf_counter()
        points = card.predict_points(pd.DataFrame({"age": age}))
        return {"seconds": time.perf_counter() - t0, "sum": float(points.sum()),
                "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    from pyspark.sql import functions as F

    from creditkit import spark as cks

    with TreePeak() as peak:
        spark = cks.local_session(cores, memory=memory)
        applicants = spark.range(rows).select(
            F.col("id").cast("string").alias("application_id"),
            F.when(F.rand(1) < 0.02, None).otherwise(F.floor(F.rand(2) * 62) + 18)
            .cast("double").alias("age"))
        t0 = time.perf_counter()
        scored = cks.score_spark(card, applicants, id_col="application_id")
        total = scored.agg(F.sum("points").alias("s")).collect()[0]["s"]
        seconds = time.perf_counter() - t0
        spark.stop()
    return {"seconds": seconds, "sum": float(total), "peak_mib": peak.peak["total"] / 2**20}


def run(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"stage {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def history_runs(a: argparse.Namespace) -> int:
    """``--history-only``: pandas and Spark histories per size, and the growth between sizes."""
    ok, rows = True, []
    for n in a.sizes:
        parts = a.partitions or max(4, round(n / 250_000))
        with tempfile.TemporaryDirectory() as tmp:
            n_bills, n_pay = run(["--stage", "inputs", "--n", str(n), "--folder", tmp])
            pdr = run(["--stage", "pandas-history", "--folder", tmp])
            print(f"load {os.getloadavg()[0]:.1f} after pandas at {n:,}", flush=True)
            spr = run(["--stage", "spark-history", "--folder", tmp, "--cores", str(a.cores),
                       "--partitions", str(parts), "--memory", a.memory])
        same = (pdr["outstanding"] == spr["outstanding"] and pdr["roll_count"] ==
                spr["roll_count"] and pdr["rows"] == spr["rows"])
        ok &= same
        rows.append((n_bills, pdr, spr))
        print(f"\n{n_bills:,} bills + {n_pay:,} payments, 12 month ends; Spark local[{a.cores}], "
              f"{parts} customer slices; results equal: {same}; load {os.getloadavg()[0]:.1f}")
        print(f"pandas: history+rolls {pdr['history_s']:.1f} s wall, {pdr['history_cpu_s']:.1f} "
              f"CPU s (read {pdr['read_s']:.1f} s), peak {pdr['peak_mib']:.0f} MiB")
        print(f"spark:  history+rolls {spr['history_s']:.1f} s wall (history rows "
              f"{spr['history_rows_s']:.1f} s), {spr['history_cpu_s']:.1f} CPU s (driver, JVM, "
              f"workers; reads included), peak {spr['peak_mib']:.0f} MiB (JVM = driver + "
              f"executors {spr['jvm_mib']:.0f}, Python workers {spr['workers_mib']:.0f}); "
              f"session start {spr['start_s']:.1f} s")
        print(f"ratio spark/pandas: {spr['history_s'] / pdr['history_s']:.1f}x wall, "
              f"{spr['history_cpu_s'] / pdr['history_cpu_s']:.1f}x CPU", flush=True)
    for (n0, p0, s0), (n1, p1, s1) in itertools.pairwise(rows):
        print(f"\ngrowth {n0:,} -> {n1:,} bills ({n1 / n0:.1f}x): pandas "
              f"{p1['history_s'] / p0['history_s']:.1f}x wall, "
              f"{p1['history_cpu_s'] / p0['history_cpu_s']:.1f}x CPU, "
              f"{p1['peak_mib'] / p0['peak_mib']:.1f}x memory; Spark "
              f"{s1['history_s'] / s0['history_s']:.1f}x wall, "
              f"{s1['history_cpu_s'] / s0['history_cpu_s']:.1f}x CPU, "
              f"{s1['peak_mib'] / s0['peak_mib']:.1f}x memory")
    print(f"load average at end: {os.getloadavg()}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--sql-rows", type=int, default=10_000_000)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=0,
                    help="customer slices (default: one per ~250,000 bills, at least 4)")
    ap.add_argument("--memory", default="6g", help="JVM heap of the local session")
    ap.add_argument("--no-history", action="store_true",
                    help="time customer_aging only (the 10M run on a loaded 2-core machine)")
    ap.add_argument("--history-only", action="store_true",
                    help="time aging_at_dates over 12 month ends + roll_rates only (the history "
                         "holds the aging at the last month end)")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.stage:
        folder = Path(a.folder) if a.folder else None
        result = {"inputs": lambda: make_inputs(a.n, folder),
                  "pandas": lambda: stage_pandas(folder, not a.no_history),
                  "spark": lambda: stage_spark(folder, a.cores, a.partitions, a.memory,
                                               not a.no_history),
                  "pandas-history": lambda: stage_pandas_history(folder),
                  "spark-history": lambda: stage_spark_history(folder, a.cores, a.partitions,
                                                               a.memory),
                  "sql-pandas": lambda: stage_sql(a.n, a.cores, a.memory, "pandas"),
                  "sql-spark": lambda: stage_sql(a.n, a.cores, a.memory, "spark")}[a.stage]()
        print(json.dumps(result))
        return 0
    print(f"load average at start: {os.getloadavg()} on {os.cpu_count()} cores")
    ok = True
    if a.history_only:
        return history_runs(a)
    for n in a.sizes:
        parts = a.partitions or max(4, round(n / 250_000))
        with tempfile.TemporaryDirectory() as tmp:
            n_bills, n_pay = run(["--stage", "inputs", "--n", str(n), "--folder", tmp])
            hist = ["--no-history"] if a.no_history else []
            pdr = run(["--stage", "pandas", "--folder", tmp, *hist])
            spr = run(["--stage", "spark", "--folder", tmp, "--cores", str(a.cores),
                       "--partitions", str(parts), "--memory", a.memory, *hist])
        same = pdr["outstanding"] == spr["outstanding"] and pdr["roll_count"] == spr["roll_count"]
        ok &= same
        print(f"\n{n_bills:,} bills + {n_pay:,} payments; Spark local[{a.cores}], {parts} "
              f"customer slices; results equal: {same}")
        print(f"{'engine':<8} {'aging s':>8} {'history+rolls s':>16} {'peak MiB':>9} "
              f"{'(JVM / py workers)':>19}")
        print(f"{'pandas':<8} {pdr['aging_s']:>8.1f} {pdr['history_s']:>16.1f} "
              f"{pdr['peak_mib']:>9.0f}   (read {pdr['read_s']:.1f} s)")
        print(f"{'spark':<8} {spr['aging_s']:>8.1f} {spr['history_s']:>16.1f} "
              f"{spr['peak_mib']:>9.0f} {spr['jvm_mib']:>9.0f} / {spr['workers_mib']:.0f}"
              f"   (session start {spr['start_s']:.1f} s; reads included)")
        print(f"ratio spark/pandas: aging {spr['aging_s'] / pdr['aging_s']:.1f}x"
              + (f", history {spr['history_s'] / pdr['history_s']:.1f}x"
                 if not a.no_history else " (history not run: --no-history)"))
    if a.sql_rows:
        sp = run(["--stage", "sql-spark", "--n", str(a.sql_rows), "--cores", str(a.cores),
                  "--memory", a.memory])
        pp = run(["--stage", "sql-pandas", "--n", str(a.sql_rows)])
        print(f"\nscorecard on {a.sql_rows:,} rows: Spark SQL {sp['seconds']:.1f} s "
              f"(peak {sp['peak_mib']:.0f} MiB), pandas predict_points {pp['seconds']:.1f} s "
              f"(peak {pp['peak_mib']:.0f} MiB)")
    print(f"load average at end: {os.getloadavg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
