"""Benchmark of bill cleaning: rows per second against a plain ``pd.read_csv``.

The input is a raw, messy bills CSV (UTF-8) of N rows: bills from
``creditkit.datasets.make_portfolio`` tiled to N with unique ids, rendered as
an export would write them (amounts as ``1,234.50`` / ``¥1234.50`` / ``1234.5元``,
dates as ``2024-01-05`` / ``2024/1/5`` / ``2024年1月5日`` / ``20240105``, Chinese
headers), with about 1 % of rows corrupted (``#N/A``, impossible dates,
non-numeric and negative amounts, duplicated rows).

Measured, each in a fresh process so its peak RSS is its own:

- ``read_csv``: ``pd.read_csv(path)`` — the reference (parsing only, no checks);
- ``read_table``: ``creditkit.io.read_table(path, table="bills")`` — raw text read;
- ``clean``: ``clean_bills`` on that frame (normalise, validate, route, invariants);
- ``end_to_end``: read_table + clean_bills.

Printed: seconds, rows per second, the ratio to ``read_csv`` and peak RSS.

    .venv/bin/python bench/clean.py --sizes 20000
    .venv/bin/python bench/clean.py --sizes 1000000
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

import numpy as np
import pandas as pd

STAGES = ("read_csv", "read_table", "clean", "end_to_end")


def make_raw_bills(n: int, path: Path, seed: int = 7) -> None:
    """Write ``n`` raw, messy bill rows to ``path`` (CSV, UTF-8)."""
    from creditkit.datasets import make_portfolio

    base = make_portfolio(2000, seed=seed, kind="mixed")["bills"]
    rng = np.random.default_rng(seed)
    reps = -(-n // len(base))
    b = pd.concat([base] * reps, ignore_index=True).iloc[:n]
    k = np.arange(n)
    amt = b["amount_minor"].to_numpy()
    yuan, fen = amt // 100, amt % 100
    plain = pd.Series(yuan.astype(str)) + "." + pd.Series(fen).astype(str).str.zfill(2)
    grouped = pd.Series([f"{y:,}" for y in np.unique(yuan)], index=np.unique(yuan))
    grouped = pd.Series(grouped.reindex(yuan).to_numpy()) + "." + pd.Series(fen).astype(
        str).str.zfill(2)
    style = k % 4
    amount = plain.where(style != 1, "¥" + plain).where(style != 2, grouped).where(
        style != 3, plain + "元")

    def dates(s: pd.Series) -> pd.Series:
        iso = s.dt.strftime("%Y-%m-%d")
        slash = s.dt.year.astype(str) + "/" + s.dt.month.astype(str) + "/" + s.dt.day.astype(str)
        zh = s.dt.year.astype(str) + "年" + s.dt.month.astype(str) + "月" + s.dt.day.astype(
            str) + "日"
        compact = s.dt.strftime("%Y%m%d")
        return iso.where(style != 1, slash).where(style != 2, zh).where(style != 3, compact)

    raw = pd.DataFrame({
        "账单号": "B" + pd.Series(k).astype(str),
        "发票号": b["invoice_id"].astype(str) + "-" + pd.Series(k // len(base)).astype(str),
        "客户编号": b["customer_id"].astype(str),
        "出账日期": dates(b["issue_date"]),
        "到期日": dates(b["due_date"]),
        "金额": amount,
        "币种": np.where(k % 7 == 0, "人民币", ""),
        "类型": b["kind"].map({"invoice": "发票", "instalment": "分期", "fee": "费用"}),
    })
    bad = rng.random(n) < 0.01
    which = rng.integers(0, 4, n)
    raw.loc[bad & (which == 0), "金额"] = "#N/A"
    raw.loc[bad & (which == 1), "到期日"] = "2024-02-30"
    raw.loc[bad & (which == 2), "金额"] = "abc"
    raw.loc[bad & (which == 3), "金额"] = "-" + raw.loc[bad & (which == 3), "金额"]
    dup = (rng.random(n) < 0.002) & (k < n // 2)   # exact copies of earlier rows
    raw = pd.concat([raw.iloc[: n - int(dup.sum())], raw[dup]], ignore_index=True)
    raw.to_csv(path, index=False, encoding="utf-8")


def run_stage(stage: str, path: str) -> dict:
    """Run one stage in this process; return seconds, rows and peak RSS (MiB)."""
    from creditkit.cleaning import clean_bills
    from creditkit.io import read_table

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    df = None
    if stage == "clean":
        df = read_table(path, table="bills")
    t0 = time.perf_counter()
    if stage == "read_csv":
        rows = len(pd.read_csv(path))
    elif stage == "read_table":
        rows = len(read_table(path, table="bills"))
    elif stage == "clean":
        res = clean_bills(df)
        rows = res.rows_in
    else:
        res = clean_bills(read_table(path, table="bills"))
        rows = res.rows_in
    sec = time.perf_counter() - t0
    extra = {}
    if stage in ("clean", "end_to_end"):
        extra = {"clean_rows": len(res.clean), "quarantined": len(res.quarantine),
                 "merged": len(res.merged), "invariants_ok": res.ok}
    return {"stage": stage, "seconds": sec, "rows": rows,
            "rss_before_mib": rss0,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.path)))
        return 0
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bills.csv"
            t0 = time.perf_counter()
            make_raw_bills(n, path)
            print(f"\n{n:,} raw bill rows, {path.stat().st_size / 2**20:.0f} MiB CSV "
                  f"(written in {time.perf_counter() - t0:.1f} s)")
            results = {}
            for stage in STAGES:
                out = subprocess.run([sys.executable, __file__, "--stage", stage, "--path",
                                      str(path)], capture_output=True, text=True, check=True)
                results[stage] = json.loads(out.stdout.strip().splitlines()[-1])
            ref = results["read_csv"]["seconds"]
            print(f"{'stage':<11} {'seconds':>8} {'rows/s':>11} {'x read_csv':>10} "
                  f"{'peak RSS MiB':>12}")
            for stage in STAGES:
                r = results[stage]
                print(f"{stage:<11} {r['seconds']:>8.2f} {r['rows'] / r['seconds']:>11,.0f} "
                      f"{r['seconds'] / ref:>10.1f} {r['peak_rss_mib']:>12.0f}")
            c = results["end_to_end"]
            print(f"clean {c['clean_rows']:,}, quarantined {c['quarantined']:,}, merged "
                  f"{c['merged']:,}; invariants ok: {c['invariants_ok']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
