"""Benchmark: time and peak memory of ``make_portfolio`` at growing sizes.

Each size runs in a fresh child process so its peak resident memory
(``ru_maxrss``, read right after generation) belongs to that size alone.
Ratios use CPU time (the machine is shared, wall time is noisy) against
references measured in the same child:

- ``random``: building plain pandas frames with the same rows and columns
  (random int64 / float64 numbers, random dates, ``str`` ids via Arrow);
- ``parquet``: writing the generated frames to Parquet (pyarrow, snappy).

Usage::

    .venv/bin/python bench/generate.py                    # the issue sizes: 100,000 and 1,000,000
    .venv/bin/python bench/generate.py --sizes 20000      # a quick run
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


def _random_like(tables, seed: int = 0):
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    out = {}
    for name, df in tables.items():
        n = len(df)
        cols = {}
        for c, dtype in df.dtypes.items():
            if pd.api.types.is_datetime64_any_dtype(dtype):
                cols[c] = pd.Series(rng.integers(19_000, 20_500, n).astype("M8[D]").astype(
                    "M8[ns]"))
            elif pd.api.types.is_string_dtype(dtype):
                text = pc.utf8_lpad(pa.array(rng.integers(0, 10**9, n)).cast(pa.string()), 10,
                                    padding="0")
                cols[c] = pd.Series(text, dtype="str")
            elif pd.api.types.is_float_dtype(dtype):
                cols[c] = rng.random(n)
            else:
                cols[c] = rng.integers(0, 10**6, n)
        out[name] = pd.DataFrame(cols)
    return out


def child(n: int, kind: str, seed: int) -> dict:
    """Run one size; return timings, row counts and peak RSS (MiB)."""
    import pandas as pd  # noqa: F401  (import cost outside the timed region)

    from creditkit.datasets import make_portfolio

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w0, c0 = time.perf_counter(), time.process_time()
    tables = make_portfolio(n, seed=seed, kind=kind)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # generation's high-water
    rows = {k: len(v) for k, v in tables.items()}
    out_mib = sum(v.memory_usage(deep=True).sum() for v in tables.values()) / 2**20
    c0 = time.process_time()
    _random_like(tables)
    cpu_random = time.process_time() - c0
    with tempfile.TemporaryDirectory() as tmp:
        c0 = time.process_time()
        for name, df in tables.items():
            df.to_parquet(Path(tmp) / f"{name}.parquet")
        cpu_parquet = time.process_time() - c0
    return {"n": n, "wall_s": wall, "cpu_s": cpu, "random_cpu_s": cpu_random,
            "parquet_cpu_s": cpu_parquet, "rows": rows, "peak_mib": peak, "base_mib": base,
            "output_mib": out_mib}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000],
                    help="customers per run (default: the issue sizes, %(default)s)")
    ap.add_argument("--kind", default="mixed", choices=["bnpl", "b2b", "mixed"])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.kind, args.seed)))
        return 0
    print(f"make_portfolio(kind={args.kind!r}); ratios are CPU time against references run in "
          "the same process\n(random = plain frames of the same shape, parquet = writing the "
          "result); peak = max RSS during generation; out = size of the frames")
    header = (f"{'customers':>10} {'bills':>11} {'payments':>11} {'wall s':>8} {'cpu s':>7} "
              f"{'x random':>9} {'x parquet':>10} {'peak MiB':>9} {'out MiB':>8}")
    print(header)
    for n in args.sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(n), "--kind", args.kind,
             "--seed", str(args.seed)], capture_output=True, text=True, check=False)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{n:>10,} {r['rows']['bills']:>11,} {r['rows']['payments']:>11,} "
              f"{r['wall_s']:>8.1f} {r['cpu_s']:>7.1f} {r['cpu_s'] / r['random_cpu_s']:>9.2f} "
              f"{r['cpu_s'] / r['parquet_cpu_s']:>10.2f} {r['peak_mib']:>9,.0f} "
              f"{r['output_mib']:>8,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
