"""The monthly review's HTML size against the book's size (issue #11: under 8 MB at any size).

For each size: generate a portfolio store, export ``notebooks/07-portfolio-review.ipynb``
from it, and print the report's size, the part that is not plotly.js (inlined once), and
the time and CPU seconds the export took, with the load average beside them.

    python bench/review_size.py --customers 1000 10000
    python bench/review_size.py --customers 10000 1000000 --keep /tmp/review-size
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

NB = Path(__file__).resolve().parents[1] / "notebooks" / "07-portfolio-review.ipynb"
AS_OF = "2025-12-31"
_PLOTLY_JS = re.compile(r"<script[^>]*>\s*/\*\*\s*\n?\s*\* plotly\.js v.*?</script>", re.S)


def cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def review_size(n: int, folder: Path, *, lang: str = "zh") -> dict:
    """Generate ``n`` customers into ``folder``, export the review, measure the HTML."""
    from creditkit.datasets import make_portfolio
    from creditkit.reporting import run_notebook
    from creditkit.store import write_tables

    store = folder / f"store-{n}.duckdb"
    t, c = time.perf_counter(), cpu()
    if not store.exists():
        write_tables(store, make_portfolio(n, seed=42, kind="mixed", end=AS_OF), replace=True,
                     generator={"n_customers": n, "seed": 42, "kind": "mixed", "end": AS_OF})
    made = (time.perf_counter() - t, cpu() - c)
    t, c = time.perf_counter(), cpu()
    html = run_notebook(NB, {"store_path": str(store), "as_of": AS_OF, "lang": lang,
                             "n_customers": n}, folder / f"out-{n}", timeout=3600
                        ).read_text(encoding="utf-8")
    size = len(html.encode("utf-8"))
    rest = len(_PLOTLY_JS.sub("", html).encode("utf-8"))
    return {"customers": n, "bytes": size, "without_plotly_js": rest,
            "generate_s": made[0], "generate_cpu_s": made[1],
            "report_s": time.perf_counter() - t, "report_cpu_s": cpu() - c,
            "load": "/".join(f"{x:.1f}" for x in os.getloadavg())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--customers", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--keep", default=None, help="folder for the stores and reports (reused)")
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="review-size-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = [review_size(n, folder, lang=args.lang) for n in args.customers]
    print(f"{'customers':>10} {'MB':>7} {'MB w/o plotly.js':>17} {'gen s':>7} {'gen cpu':>8} "
          f"{'report s':>9} {'rep cpu':>8}  load")
    for r in rows:
        print(f"{r['customers']:>10,} {r['bytes'] / 1e6:7.3f} {r['without_plotly_js'] / 1e6:17.3f} "
              f"{r['generate_s']:7.1f} {r['generate_cpu_s']:8.1f} {r['report_s']:9.1f} "
              f"{r['report_cpu_s']:8.1f}  {r['load']}")
    base = rows[0]["bytes"]
    for r in rows[1:]:
        print(f"{r['customers']:,} vs {rows[0]['customers']:,}: "
              f"{(r['bytes'] - base) / base:+.2%} in size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
