"""The ``creditkit`` command: generate a portfolio, run reports, run the whole demo.

Each subcommand is one ``_add_<name>(subparsers)`` (its arguments and help)
plus one ``_cmd_<name>(args) -> int`` (what it does), registered in
``_SUBCOMMANDS``; adding a command is adding such a pair. The pair of
``creditkit clean`` lives in ``creditkit/_cli_clean.py``, that of
``creditkit update`` in ``creditkit/_cli_update.py``. Errors creditkit
raises on purpose (:class:`~creditkit.exceptions.CreditkitError`) print one
line on stderr and exit with status 2, never a traceback.

Examples
--------
>>> main(["report", "--help"])  # doctest: +ELLIPSIS
usage: creditkit report [-h] ...
0
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from creditkit._cli_clean import add_clean
from creditkit._cli_update import add_update
from creditkit.exceptions import CreditkitError, ParameterError

__all__ = ["main", "parse_value", "stale_reason"]

DEFAULT_STORE = "datasets/creditkit.duckdb"
DEFAULT_START = "2024-01-01"
DEFAULT_END = "2025-12-31"

_EPILOG = """\
examples:
  creditkit demo                                 # portfolio + every report into reports/
  creditkit generate --customers 20000 --kind mixed --seed 7
  creditkit report notebooks/00-portfolio-overview.ipynb -p lang en -p as_of 2025-03-31
  creditkit report notebooks/00-portfolio-overview.ipynb --list-parameters
  creditkit clean exports/账单.csv --table bills --out cleaned/bills --encoding big5 --dayfirst
  creditkit update --store datasets/creditkit.duckdb --as-of 2025-12-31 --input exports/
  creditkit <command> --help                     # the options of one command

Reports are self-contained HTML files: open reports/index.html in a browser (works offline).
"""


def parse_value(text: str) -> Any:
    """A ``-p NAME VALUE`` value: a JSON literal when it parses as one, else the string.

    Examples
    --------
    >>> parse_value("12"), parse_value("true"), parse_value('["a", 1]'), parse_value("2025-06-30")
    (12, True, ['a', 1], '2025-06-30')
    >>> parse_value('"007"'), parse_value("zh")
    ('007', 'zh')
    """
    try:
        return json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return text


def _progress(total: int, desc: str) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="step", file=sys.stderr)


# --- generate ---------------------------------------------------------------

def _add_generate(sub: Any) -> None:
    p = sub.add_parser(
        "generate", help="generate a synthetic portfolio into the store",
        description="Generate a synthetic credit portfolio (customers, applications, "
                    "transactions, bills, payments) and write it to the DuckDB store.",
        epilog="example:\n  creditkit generate --customers 20000 --kind b2b --seed 1 "
               "--store datasets/creditkit.duckdb",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _generation_options(p)
    p.set_defaults(func=_cmd_generate)


def _generation_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--customers", "-n", type=int, default=20000, metavar="N",
                   help="number of customers (default: %(default)s)")
    p.add_argument("--kind", choices=["bnpl", "b2b", "mixed"], default="mixed",
                   help="consumer instalments, B2B invoices, or both (default: %(default)s)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    p.add_argument("--start", default=DEFAULT_START,
                   help="first day of activity (default: %(default)s)")
    p.add_argument("--end", default=DEFAULT_END, help="last day of activity (default: %(default)s)")
    p.add_argument("--store", default=DEFAULT_STORE, metavar="PATH",
                   help="DuckDB store file to (re)write (default: %(default)s)")


def _generator_params(args: argparse.Namespace) -> dict[str, Any]:
    """The generator parameters as kept in the store's meta (same keys as load_or_make)."""
    return {"n_customers": args.customers, "seed": args.seed, "kind": args.kind,
            "start": args.start, "end": args.end}


def _generate(args: argparse.Namespace) -> Path:
    from creditkit.datasets import make_portfolio
    from creditkit.store import write_tables

    if args.customers < 1:
        raise ParameterError(f"--customers must be at least 1, got {args.customers}")
    store = Path(args.store)
    store.parent.mkdir(parents=True, exist_ok=True)
    with _progress(2, "portfolio") as bar:
        bar.set_postfix_str(f"generating {args.customers:,} customers")
        tables = make_portfolio(args.customers, seed=args.seed, kind=args.kind,
                                start=args.start, end=args.end)
        bar.update()
        bar.set_postfix_str(f"writing {store}")
        write_tables(store, tables, replace=True, generator=_generator_params(args))
        bar.update()
    sizes = ", ".join(f"{len(df):,} {name}" for name, df in tables.items())
    print(f"wrote {sizes} to {store}")
    return store


def _cmd_generate(args: argparse.Namespace) -> int:
    _generate(args)
    return 0


# --- report -----------------------------------------------------------------

def _add_report(sub: Any) -> None:
    p = sub.add_parser(
        "report", help="run one notebook with parameters and export its HTML report",
        description="Run a notebook with papermill and export an offline HTML report "
                    "(code hidden, plotly charts inline, manifest at the top).",
        epilog="examples:\n"
               "  creditkit report notebooks/00-portfolio-overview.ipynb -p lang en\n"
               "  creditkit report notebooks/00-portfolio-overview.ipynb -p as_of 2025-03-31 "
               "-p store_path datasets/creditkit.duckdb --out reports/\n\n"
               "  creditkit report notebooks/03-repayment-tracking.ipynb --list-parameters"
               "\n\nvalues are read as JSON when they parse (12, true, [1, 2], \"007\"), "
               "else as text;\npaths (names ending _path) are relative to where you run "
               "the command.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebook", help="the .ipynb to run")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="set a parameter (repeatable)")
    p.add_argument("--out", default="reports", metavar="DIR",
                   help="folder for the HTML report (default: %(default)s)")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                   help="maximum seconds per cell (default: %(default)s)")
    p.add_argument("--keep-ipynb", action="store_true",
                   help="also keep the executed notebook next to the report")
    p.add_argument("--list-parameters", action="store_true",
                   help="print the notebook's parameters (defaults and what each means) "
                        "and exit without running it")
    p.set_defaults(func=_cmd_report)


def _parameters_cell(notebook: str) -> str:
    """The source of a notebook's ``parameters`` cell (names, defaults, comments)."""
    import nbformat

    from creditkit.reporting import notebook_parameters

    notebook_parameters(notebook)  # checks the path and the cell, raising CreditkitErrors
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells
             if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    return cells[0] if cells else "(no parameters cell: the notebook takes no -p values)"


def _cmd_report(args: argparse.Namespace) -> int:
    from creditkit.reporting import run_notebook

    if args.list_parameters:
        print(f"parameters of {args.notebook} (set any with -p NAME VALUE):")
        print(_parameters_cell(args.notebook))
        return 0
    params = {name: parse_value(value) for name, value in args.parameter}
    out = run_notebook(args.notebook, params, args.out, timeout=args.timeout,
                       keep_ipynb=args.keep_ipynb)
    print(f"report: {out}")
    return 0


# --- demo -------------------------------------------------------------------

def _add_demo(sub: Any) -> None:
    p = sub.add_parser(
        "demo", help="make (or reuse) the portfolio store and export every notebook's report",
        description="Generate a synthetic portfolio into the store, run every notebook in\n"
                    "the notebooks folder and export their HTML reports with an index.\n\n"
                    "The store is generated only when it is missing, was generated with other\n"
                    "options than these, or --regenerate is given; a store creditkit did not\n"
                    "generate (your own data) is used as it is.",
        epilog="examples:\n"
               "  creditkit demo                              # every report (store made once)\n"
               "  creditkit demo --customers 50000 --lang en  # a bigger book, English reports\n"
               "  creditkit demo --regenerate                 # generate the store again",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _generation_options(p)
    p.add_argument("--notebooks", default="notebooks", metavar="DIR",
                   help="folder of notebooks to run (default: %(default)s)")
    p.add_argument("--out", default="reports", metavar="DIR",
                   help="folder for the reports (default: %(default)s)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh",
                   help="language of the reports (default: %(default)s)")
    p.add_argument("--as-of", default=None, metavar="DATE",
                   help="reporting date (default: the --end date)")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                   help="maximum seconds per cell (default: %(default)s)")
    p.add_argument("--regenerate", action="store_true",
                   help="generate the store again even if it exists (overwrites it)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="notebooks run at the same time, each in its own kernel (default: the "
                        "machine's cores, at most 4; 1: one after the other)")
    p.add_argument("--history-months", type=int, default=12, metavar="N",
                   help="month ends of snapshots built with `creditkit update` up to the "
                        "reporting date, those the store lacks (default: %(default)s; 0: none)")
    p.set_defaults(func=_cmd_demo)


def stale_reason(store: str | Path, generator: dict[str, Any], *,
                 regenerate: bool = False) -> str | None:
    """Why ``creditkit demo`` must (re)generate the store, or None to reuse it as it is.

    Generated when asked (``regenerate``), when the file is missing, or when it
    was generated with other parameters than ``generator`` or by another
    creditkit version. A store without a generator record holds data creditkit
    did not generate (an analyst's own book): it is never overwritten unless
    ``regenerate``.

    Parameters
    ----------
    store : path
        The DuckDB store.
    generator : dict
        The generator parameters wanted (``n_customers``, ``seed``, ``kind``,
        ``start``, ``end``), as :func:`creditkit.store.write_tables` records them.
    regenerate : bool, default False
        Generate again whatever the store holds.

    Returns
    -------
    str or None
        A reason to print, or None.

    Examples
    --------
    >>> stale_reason("no/such.duckdb", {"seed": 42})
    'no store at no/such.duckdb'
    >>> stale_reason("no/such.duckdb", {"seed": 42}, regenerate=True)
    '--regenerate'
    """
    from creditkit.store import read_meta

    store = Path(store)
    if regenerate:
        return "--regenerate"
    if not store.exists():
        return f"no store at {store}"
    from creditkit import __version__

    meta = read_meta(store)
    if "generator" not in meta:
        return None
    wanted = json.loads(json.dumps(generator, default=str))
    got = json.loads(meta["generator"])
    changed = [f"{k} {got.get(k)!r} -> {v!r}" for k, v in wanted.items() if got.get(k) != v]
    if meta.get("creditkit_version") != __version__:  # the generator itself may have changed
        changed.append(f"creditkit {meta.get('creditkit_version')} -> {__version__}")
    return f"{store} was generated with other parameters ({'; '.join(changed)})" if changed \
        else None


def _history(store: Path, as_of: str, months: int) -> None:
    """The demo's monthly snapshots: `creditkit update` for each month end the store lacks."""
    from creditkit.creditfile import monthly_history

    if months < 0:
        raise ParameterError(f"--history-months must be 0 or more, got {months}")
    t0 = time.perf_counter()
    done = monthly_history(store, end=as_of, months=months, progress=lambda s: print(s, flush=True))
    if done:
        print(f"history: {len(done)} month end(s) written in {time.perf_counter() - t0:.0f} s")
    elif months:
        print(f"history: the store already holds the {months} month ends up to {as_of}")


def _cmd_demo(args: argparse.Namespace) -> int:
    from creditkit.reporting import run_all

    reason = stale_reason(args.store, _generator_params(args), regenerate=args.regenerate)
    if reason is None:
        store = Path(args.store).resolve()
        print(f"using the existing store {args.store} (same generator parameters, or not "
              "generated by creditkit); pass --regenerate to generate it again")
    else:
        print(f"generating the portfolio: {reason}")
        store = _generate(args).resolve()
    as_of = args.as_of or args.end
    t0 = time.perf_counter()
    _history(store, as_of, args.history_months)
    t1 = time.perf_counter()
    params = {"store_path": str(store), "lang": args.lang, "as_of": as_of,
              "seed": args.seed, "n_customers": args.customers}
    reports = run_all(args.notebooks, args.out, params, timeout=args.timeout, progress=True,
                      jobs=args.jobs)
    print(f"stages: history {t1 - t0:.0f} s, reports {time.perf_counter() - t1:.0f} s")
    print("reports:")
    for r in reports:
        print(f"  {r}")
    print(f"open {reports[-1]} in a browser (works offline)")
    return 0


# --- main -------------------------------------------------------------------

_SUBCOMMANDS: list[Callable[[Any], None]] = [_add_generate, _add_report, _add_demo,
                                              add_clean, add_update]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``creditkit`` command."""
    parser = argparse.ArgumentParser(
        prog="creditkit",
        description="creditkit: credit-control toolkit for analysts. Generate a synthetic\n"
                    "portfolio, run parameterised notebooks and export offline HTML reports.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    from creditkit import __version__

    parser.add_argument("--version", action="version", version=f"creditkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``creditkit`` command line; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 for a usage error or a :class:`CreditkitError`
        (message on stderr, no traceback), 130 when interrupted.

    Examples
    --------
    >>> main(["report", "no/such.ipynb"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except CreditkitError as exc:
        print(f"creditkit {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("creditkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
