"""The credit file as a report, and the monthly history its store needs.

- :func:`month_ends`: the month ends of a history ending at a date;
- :func:`monthly_history`: ``creditkit update`` for each month end the store
  lacks (what ``creditkit demo`` builds: a year of month ends by default);
- :func:`ensure_snapshots`: the same, only when the store has no snapshot on or
  before the date (a credit-file report on a store fresh from ``creditkit generate``);
- :func:`credit_file_report`: notebook ``08-credit-file`` run for one customer and
  exported as an offline HTML report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import DataReadError, ParameterError

__all__ = ["NOTEBOOK", "credit_file_report", "ensure_snapshots", "month_ends",
           "monthly_history"]

#: The credit-file notebook of a source checkout (``notebooks/08-credit-file.ipynb``).
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "08-credit-file.ipynb"


def _months(months: object) -> int:
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ParameterError(f"months must be a whole number >= 0; got {months!r}")
    return months


def month_ends(end: object, months: int) -> list[pd.Timestamp]:
    """The ``months`` month ends up to ``end`` (``end`` itself when it is one), oldest first.

    Examples
    --------
    >>> [str(d.date()) for d in month_ends("2025-03-15", 3)]
    ['2024-12-31', '2025-01-31', '2025-02-28']
    >>> [str(d.date()) for d in month_ends("2025-03-31", 2)]
    ['2025-02-28', '2025-03-31']
    """
    day = check_as_of(end)
    n = _months(months)
    last = day if day.is_month_end else day - pd.offsets.MonthEnd(1)
    return list(pd.date_range(end=last, periods=n, freq="ME")) if n else []


def monthly_history(store: str | Path, *, end: object, months: int = 12,
                    progress: Callable[[str], None] | None = None) -> list[pd.Timestamp]:
    """Write the snapshots of the ``months`` month ends up to ``end`` the store lacks.

    Each date is one :func:`creditkit.update.update` (clean, reconcile, re-score,
    tiers, dunning, snapshot), in date order. A store already holding every
    month end is left as it is. When a month end is missing before the store's
    latest snapshot, the history is rebuilt from it onwards (later dates
    depend on the dunning runs of earlier ones).

    Parameters
    ----------
    store : str or Path
        A store with the portfolio tables (``creditkit generate``).
    end : date-like
        The last day of the history (the report's ``as_of``).
    months : int, default 12
    progress : callable, optional
        Called with a line of text before each date is written.

    Returns
    -------
    list of Timestamp
        The dates written (empty when the store was current).

    Raises
    ------
    ParameterError
        ``months`` is not a whole number >= 0.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.store import snapshot_dates, write_tables
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> write_tables(path, make_portfolio(30, seed=3, end="2025-03-31"))
    >>> [str(d.date()) for d in monthly_history(path, end="2025-03-31", months=2)]
    ['2025-02-28', '2025-03-31']
    >>> monthly_history(path, end="2025-03-31", months=2)
    []
    """
    from creditkit.store import snapshot_dates
    from creditkit.update import update

    wanted = month_ends(end, months)
    have = set(snapshot_dates(store)) if Path(store).exists() else set()
    missing = [d for d in wanted if d not in have]
    if not missing:
        return []
    latest = max(have) if have else None
    todo = [d for d in wanted if d >= missing[0]] if latest and missing[0] < latest else missing
    for day in todo:
        if progress is not None:
            progress(f"creditkit update --as-of {day.date()}")
        update(store, as_of=day, rebuild=latest is not None and day <= latest)
    return todo


def ensure_snapshots(store: str | Path, *, as_of: object, months: int = 3) -> list[pd.Timestamp]:
    """Build ``months`` month ends of history only when the store has no snapshot by ``as_of``.

    A store written by ``creditkit generate`` holds no snapshot yet; a credit
    file needs some. A store with any snapshot on or before ``as_of`` is left
    as it is (``make demo`` builds a year of them first).

    Parameters
    ----------
    store : str or Path
    as_of : date-like or None
        None: the store must already have a snapshot (else ``DataReadError``).
    months : int, default 3
        0 refuses to write: the store must already have a snapshot.

    Returns
    -------
    list of Timestamp
        The dates written.

    Raises
    ------
    DataReadError
        ``months`` is 0 and the store has no snapshot on or before ``as_of``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.store import write_tables
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> write_tables(path, make_portfolio(30, seed=3, end="2025-03-31"))
    >>> len(ensure_snapshots(path, as_of="2025-03-31", months=1)), ensure_snapshots(path, as_of="2025-03-31")
    (1, [])
    """  # noqa: E501
    from creditkit.store import snapshot_dates

    n = _months(months)
    dates = snapshot_dates(store)
    if as_of is None:
        if dates:
            return []
        raise DataReadError(
            f"the store {str(store)!r} has no snapshot yet; pass as_of= the date of the "
            "history to build, or run `creditkit update --store PATH --as-of DATE`")
    day = check_as_of(as_of)
    if any(d <= day for d in dates):
        return []
    if n == 0:
        raise DataReadError(
            f"the store {str(store)!r} has no snapshot on or before {day.date()!s}; run "
            "`creditkit update --store PATH --as-of DATE` (or make demo), or pass months > 0")
    return monthly_history(store, end=day, months=n)


def credit_file_report(store: str | Path, customer_id: str | None = None, *,
                       out_dir: str | os.PathLike = "reports", lang: str = "zh",
                       as_of: object = None, mask: bool = True, timeout: int = 600,
                       notebook: str | os.PathLike | None = None) -> Path:
    """Write one customer's credit file (资信档案) as an offline HTML report.

    Runs notebook ``08-credit-file`` with these parameters (as
    ``creditkit report notebooks/08-credit-file.ipynb -p customer_id …`` does).

    Parameters
    ----------
    store : str or Path
        The store with snapshots.
    customer_id : str, optional
        Default: the customer most past due at the date
        (:func:`creditkit.creditfile.default_customer`).
    out_dir : path, default "reports"
    lang : {"zh", "en"}
    as_of : date-like, optional
        Default the latest snapshot.
    mask : bool, default True
        Mask name, ID number and mobile.
    timeout : int, default 600
        Seconds per cell.
    notebook : path, optional
        Default :data:`NOTEBOOK` (a source checkout's notebooks folder).

    Returns
    -------
    Path
        The HTML report (``08-credit-file.html`` in ``out_dir``).

    Raises
    ------
    DataReadError
        The notebook is not found (pass ``notebook=``) or the store is missing.
    ReportError
        The notebook failed (the partial notebook is kept beside the report).
    """
    from creditkit.reporting import run_notebook

    nb = Path(notebook) if notebook is not None else NOTEBOOK
    if not nb.is_file():
        raise DataReadError(f"the credit-file notebook {str(nb)!r} does not exist; pass "
                            "notebook= the path of notebooks/08-credit-file.ipynb")
    if not Path(store).is_file():
        raise DataReadError(f"no store at {str(store)!r}; make one with `creditkit generate "
                            "--store PATH` and `creditkit update`")
    params: dict = {"store_path": str(Path(store).resolve()), "lang": lang, "mask": mask,
                    "customer_id": customer_id,
                    "as_of": None if as_of is None else str(check_as_of(as_of).date())}
    return run_notebook(nb, params, out_dir, timeout=timeout)
