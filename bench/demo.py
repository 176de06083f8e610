"""Profile ``creditkit demo``: per stage, per notebook, per cell; wall and CPU seconds.

Stages: generating the store, the monthly history (``creditkit update`` per month end),
then each notebook's report (kernel start, the import cell, every cell, the export).
CPU seconds are this process plus its reaped children (the kernels, worker processes),
read with ``resource.getrusage``; the load average is printed beside every figure,
since on a shared machine the wall time says more about the neighbours than about us.

    python bench/demo.py --store /tmp/demo.duckdb --out /tmp/reports            # fresh store
    python bench/demo.py --store datasets/creditkit.duckdb --reuse --cells 5    # notebooks only
    python bench/demo.py --store ... --reuse --jobs 2                            # parallel run_all
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path


def cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


class Stage:
    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> Stage:
        self.w, self.c = time.perf_counter(), cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        row = (self.name, time.perf_counter() - self.w, cpu() - self.c, load())
        print(f"{row[0]:<40} wall {row[1]:7.1f} s  cpu {row[2]:7.1f} s  load {row[3]}", flush=True)


def cell_profile(executed: Path, top: int) -> list[str]:
    """Kernel start, each code cell's seconds (papermill's metadata), the slowest first."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    start = dt.datetime.fromisoformat(nb.metadata["papermill"]["start_time"])
    cells = [(c.metadata.get("papermill", {}), c.source.splitlines()[0] if c.source else "")
             for c in nb.cells if c.cell_type == "code" and "papermill" in c.metadata]
    first = next((m for m, _ in cells if m.get("start_time")), None)
    lines = []
    if first:
        kstart = (dt.datetime.fromisoformat(first["start_time"]) - start).total_seconds()
        lines.append(f"    kernel start + papermill setup {kstart:6.1f} s")
    timed = [(m.get("duration") or 0.0, i, src) for i, (m, src) in enumerate(cells)]
    lines.append(f"    cells total {sum(d for d, _, _ in timed):6.1f} s; import cell "
                 f"{timed[0][0]:.1f} s" if timed else "    no cells")
    for d, i, src in sorted(timed, reverse=True)[:top]:
        lines.append(f"    cell {i:3d} {d:6.1f} s  {src[:70]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--store", default="/tmp/creditkit-demo-bench.duckdb")
    ap.add_argument("--out", default="/tmp/creditkit-demo-bench-reports")
    ap.add_argument("--notebooks", default="notebooks")
    ap.add_argument("--customers", type=int, default=20000)
    ap.add_argument("--history-months", type=int, default=12)
    ap.add_argument("--reuse", action="store_true", help="keep the store as it is (no generate)")
    ap.add_argument("--only", default="", help="comma-separated notebook name prefixes")
    ap.add_argument("--cells", type=int, default=0,
                    help="run the notebooks one by one and print the N slowest cells of each")
    ap.add_argument("--jobs", type=int, default=None, help="run_all's workers (default: its own)")
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args(argv)

    from creditkit.cli import main as cli
    from creditkit.reporting import notebook_parameters, run_all, run_notebook

    print(f"start {dt.datetime.now(dt.UTC):%H:%M:%S} UTC, load {load()}, {os.cpu_count()} cores")
    t0, c0 = time.perf_counter(), cpu()
    store = Path(args.store)
    if not args.reuse:
        with Stage("generate"):
            cli(["generate", "--store", str(store), "--customers", str(args.customers)])
    if args.history_months:
        from creditkit.creditfile import monthly_history

        with Stage(f"history ({args.history_months} month ends)"):
            monthly_history(store, end="2025-12-31", months=args.history_months,
                            progress=lambda s: print("   ", s, load(), flush=True))
    params = {"store_path": str(store.resolve()), "lang": args.lang, "as_of": "2025-12-31",
              "seed": 42, "n_customers": args.customers}
    nbs = sorted(Path(args.notebooks).glob("[0-9]*.ipynb"))
    if args.only:
        nbs = [p for p in nbs if p.name.startswith(tuple(args.only.split(",")))]
    if args.cells:
        for nb in nbs:
            declared = notebook_parameters(nb)
            with Stage(f"report {nb.stem}"):
                run_notebook(nb, {k: v for k, v in params.items() if k in declared}, args.out,
                             keep_ipynb=True)
            for line in cell_profile(Path(args.out) / f"{nb.stem}.executed.ipynb", args.cells):
                print(line, flush=True)
    else:
        kw = {} if args.jobs is None else {"jobs": args.jobs}
        with Stage(f"reports ({len(nbs)} notebooks, run_all {kw or 'default'})"):
            if args.only:
                folder = Path(args.out) / "_nbs"
                folder.mkdir(parents=True, exist_ok=True)
                for nb in nbs:
                    (folder / nb.name).write_bytes(nb.read_bytes())
                run_all(folder, args.out, params, **kw)
            else:
                run_all(args.notebooks, args.out, params, **kw)
        sizes = {p.name: p.stat().st_size for p in Path(args.out).glob("*.html")}
        for name, size in sorted(sizes.items()):
            print(f"    {name:<40} {size / 1e6:6.2f} MB")
    print(f"{'total':<40} wall {time.perf_counter() - t0:7.1f} s  cpu {cpu() - c0:7.1f} s  "
          f"load {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
