"""Peak memory of cleaning and aging a large portfolio, against reading the same files.

Two inputs of about N bills each (default 10,000,000):

- a raw, messy bills CSV, written as an export would (see ``bench/clean.py``):
  ``read_csv`` (``pd.read_csv`` of that file) is the reference, and ``clean``
  reads and cleans it (``read_table`` + ``clean_bills``);
- the bills and payments of a generated portfolio of N / 9.3 customers, as
  Parquet: ``read_parquet`` (both files, plain pandas) is the reference, and
  ``aging`` reads them and computes ``customer_aging``.

Each stage runs in a fresh process, so its peak RSS (``ru_maxrss``) is its own. The inputs
are written by a process of their own too: Linux keeps ``ru_maxrss`` across ``execve``, so a
stage forked from a parent that had held the generated portfolio would report the parent's
peak instead of its own (the first 10M run showed both references at the same 5,283 MiB).
Printed: seconds, peak RSS in MiB, the ratio of peak RSS to the stage's
reference, and whether it is within the stated budget:

- cleaning: peak RSS at most ``CLEAN_BUDGET`` × the reference ``pd.read_csv``;
- aging: peak RSS at most ``AGING_BUDGET`` × reading the same Parquet files.

    .venv/bin/python bench/memory.py                  # 10,000,000 bills (minutes, ~10 GiB free)
    .venv/bin/python bench/memory.py --sizes 200000   # a quick look
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clean import make_raw_bills  # the messy export of bench/clean.py

#: Budgets, as multiples of the reference's peak RSS in the same run.
CLEAN_BUDGET = 6.0
AGING_BUDGET = 4.0
#: Bills per customer in a generated mixed portfolio (measured: 9.28M bills for 1M customers).
BILLS_PER_CUSTOMER = 9.3
AS_OF = "2025-12-31"
STAGES = {"read_csv": None, "clean": "read_csv", "read_parquet": None, "aging": "read_parquet"}
BUDGETS = {"clean": CLEAN_BUDGET, "aging": AGING_BUDGET}


def make_ledger(n_bills: int, folder: Path) -> tuple[int, int]:
    """Bills and payments of a generated portfolio of about ``n_bills`` bills, as Parquet."""
    from creditkit.datasets import make_portfolio

    n_customers = max(100, round(n_bills / BILLS_PER_CUSTOMER))
    tables = make_portfolio(n_customers, seed=42, kind="mixed", start="2024-01-01", end=AS_OF)
    tables["bills"].to_parquet(folder / "bills.parquet")
    tables["payments"].to_parquet(folder / "payments.parquet")
    return len(tables["bills"]), len(tables["payments"])


def run_stage(stage: str, folder: str) -> dict:
    """Run one stage in this process; return seconds and peak RSS (MiB)."""
    d = Path(folder)
    t0 = time.perf_counter()
    extra: dict = {}
    if stage == "read_csv":
        extra["rows"] = len(pd.read_csv(d / "bills.csv"))
    elif stage == "clean":
        from creditkit.cleaning import clean_bills
        from creditkit.io import read_table

        res = clean_bills(read_table(d / "bills.csv", table="bills"))
        extra = {"rows": res.rows_in, "quarantined": len(res.quarantine), "ok": bool(res.ok)}
    elif stage == "read_parquet":
        extra["rows"] = len(pd.read_parquet(d / "bills.parquet")) + len(
            pd.read_parquet(d / "payments.parquet"))
    else:
        from creditkit.aging import customer_aging

        bills = pd.read_parquet(d / "bills.parquet")
        payments = pd.read_parquet(d / "payments.parquet")
        table = customer_aging(bills, payments, as_of=AS_OF)
        extra = {"rows": len(bills), "customers": len(table)}
    return {"stage": stage, "seconds": time.perf_counter() - t0,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000_000])
    ap.add_argument("--stage", choices=list(STAGES), help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--make-inputs", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.folder)))
        return 0
    if args.make_inputs:
        folder = Path(args.folder)
        make_raw_bills(args.make_inputs, folder / "bills.csv")
        print(json.dumps(make_ledger(args.make_inputs, folder)))
        return 0
    failed = False
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, __file__, "--make-inputs", str(n), "--folder",
                                  str(folder)], capture_output=True, text=True, check=True)
            n_bills, n_payments = json.loads(out.stdout.strip().splitlines()[-1])
            csv_mib = (folder / "bills.csv").stat().st_size / 2**20
            print(f"\n{n:,} raw bill rows ({csv_mib:.0f} MiB CSV); generated ledger "
                  f"{n_bills:,} bills + {n_payments:,} payments "
                  f"(inputs written in {time.perf_counter() - t0:.0f} s)")
            results = {}
            for stage in STAGES:
                out = subprocess.run([sys.executable, __file__, "--stage", stage, "--folder",
                                      str(folder)], capture_output=True, text=True, check=True)
                results[stage] = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{'stage':<13} {'seconds':>8} {'peak RSS MiB':>12} {'x reference':>11} "
                  f"{'budget':>7}")
            for stage, ref in STAGES.items():
                r = results[stage]
                if ref is None:
                    print(f"{stage:<13} {r['seconds']:>8.1f} {r['peak_rss_mib']:>12.0f} "
                          f"{'(ref)':>11}")
                    continue
                ratio = r["peak_rss_mib"] / results[ref]["peak_rss_mib"]
                within = ratio <= BUDGETS[stage]
                failed |= not within
                print(f"{stage:<13} {r['seconds']:>8.1f} {r['peak_rss_mib']:>12.0f} "
                      f"{ratio:>10.2f}x {'ok' if within else 'OVER':>7} "
                      f"(budget {BUDGETS[stage]:.0f}x)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
