"""Benchmark of amount parsing and raw CSV reading against pandas references.

1. ``creditkit.money.parse_amounts`` on *mixed* amount strings (plain, grouped,
   ``¥``/``CNY``/``RMB`` markers, accounting negatives, trailing minus,
   full-width digits, ``万``, and ~1% unreadable values coerced to ``<NA>``),
   against ``pd.to_numeric`` on the same amounts written as *clean* strings
   (which gives floats, i.e. it is the speed reference, not a correct parser).
   The result is checked against the amounts the strings were made from.
2. ``creditkit.io.read_table`` on a GB18030 CSV with Chinese headers against
   ``pd.read_csv(dtype=str, keep_default_na=False)`` on the same file with the
   encoding given.

Each size runs in a fresh process so that its peak RSS is its own.

    .venv/bin/python bench/money_io.py --sizes 100000
    .venv/bin/python bench/money_io.py --sizes 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def mixed_amounts(n: int, seed: int = 0) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Mixed-format strings, the same amounts as clean strings, and the expected minor units."""
    rng = np.random.default_rng(seed)
    minor = rng.integers(-10**9, 10**9, size=n)
    kind = rng.choice(11, size=n, p=[.55, .15, .05, .05, .03, .03, .03, .03, .03, .04, .01])
    clean, mixed, expected = [], [], minor.copy()
    for m, k in zip(minor.tolist(), kind.tolist(), strict=True):
        plain = str(Decimal(m).scaleb(-2))
        clean.append(plain)
        a = str(Decimal(abs(m)).scaleb(-2))
        grouped = f"{Decimal(a):,}"
        sign = "-" if m < 0 else ""
        mixed.append([
            plain, sign + grouped, f"{sign}¥{grouped}", f"({grouped})" if m < 0 else grouped,
            f"{a}-" if m < 0 else a, sign + a.translate(FULL), f"CNY {sign}{grouped}",
            f"RMB{sign}{a}", f"{sign}{a}元", f"{sign}{Decimal(a) / 10000}万", "n/a?",
        ][k])
    expected = np.where(kind == 10, -1, expected)
    return pd.Series(mixed), pd.Series(clean), expected


def run_one(n: int) -> dict:
    from creditkit.io import read_table
    from creditkit.money import parse_amounts

    mixed, clean, expected = mixed_amounts(n)
    t = time.perf_counter()
    pd.to_numeric(clean)
    t_ref = time.perf_counter() - t
    t = time.perf_counter()
    got = parse_amounts(mixed, errors="coerce")
    t_parse = time.perf_counter() - t
    ok = bool((got.fillna(-1).to_numpy() == expected).all())

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "payments.csv"
        frame = pd.DataFrame({"回款编号": np.char.add("P", np.arange(n).astype(str)),
                              "客户编号": np.char.add("C", (np.arange(n) % 997).astype(str)),
                              "金额": mixed, "备注": "货款"})
        frame.to_csv(path, index=False, encoding="gb18030")
        t = time.perf_counter()
        pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030")
        t_csv_ref = time.perf_counter() - t
        t = time.perf_counter()
        df = read_table(path, table="payments")
        t_csv = time.perf_counter() - t
        ok = ok and len(df) == n and df["amount"].tolist()[:3] == mixed.tolist()[:3]
    return {"n": n, "parse_s": t_parse, "to_numeric_s": t_ref, "read_table_s": t_csv,
            "read_csv_s": t_csv_ref, "correct": ok,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out)
        print(f"n={n:>9,}  parse_amounts(mixed) {r['parse_s']:.2f}s "
              f"({n / r['parse_s']:,.0f} rows/s)  pd.to_numeric(clean) {r['to_numeric_s']:.2f}s  "
              f"ratio {r['parse_s'] / r['to_numeric_s']:.1f}x  "
              f"| read_table {r['read_table_s']:.2f}s vs pd.read_csv {r['read_csv_s']:.2f}s ratio "
              f"{r['read_table_s'] / r['read_csv_s']:.1f}x  | correct={r['correct']}  "
              f"peak RSS {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
