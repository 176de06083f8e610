"""The side tables of a dunning run, checked: run history, promises to pay, disputes.

Each is a small table the collections team keeps (in a notebook, a
spreadsheet or the store). Each check returns a typed copy or raises a
:class:`~creditkit.exceptions.CreditkitError` naming the row and the fix.

``history`` (what :class:`~creditkit.collections.dunning.DunningRun` returns as ``.history``)
    ``run_date``, ``customer_id``, ``currency``, ``level``, ``event``
    (``sent`` or ``stopped``), and for reading ``previous_level``,
    ``reason``, ``channel``, ``amount_minor``, ``bill_ids``.
``promises`` (承诺还款)
    ``customer_id``, ``promise_date`` (when the customer promised),
    ``pay_by`` (the date promised), ``amount_minor`` (the amount promised);
    optional ``currency`` (needed when the bills hold several) and
    ``bill_id`` (kept for reading: a promise pauses the customer's sequence).
``disputes`` (争议)
    ``bill_id``, ``dispute_date``; optional ``resolved_date`` (blank while open).

Examples
--------
>>> import pandas as pd
>>> d = check_disputes(pd.DataFrame({"bill_id": ["B1"], "dispute_date": ["2025-03-01"]}))
>>> d["resolved_date"].isna().tolist()
[True]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.checks import check_table
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["HISTORY_COLUMNS", "check_disputes", "check_history", "check_promises",
           "empty_history"]

#: The columns of a dunning history, in order.
HISTORY_COLUMNS: tuple[str, ...] = ("run_date", "customer_id", "currency", "level",
                                    "previous_level", "event", "reason", "channel",
                                    "amount_minor", "bill_ids")
EVENTS = ("sent", "stopped")


def empty_history() -> pd.DataFrame:
    """A dunning history without runs, with the columns and dtypes of a real one.

    Examples
    --------
    >>> list(empty_history().columns)[:4]
    ['run_date', 'customer_id', 'currency', 'level']
    """
    return pd.DataFrame({
        "run_date": pd.Series([], dtype="datetime64[ns]"),
        "customer_id": pd.Series([], dtype=object), "currency": pd.Series([], dtype=object),
        "level": pd.Series([], dtype="int64"), "previous_level": pd.Series([], dtype="int64"),
        "event": pd.Series([], dtype=object), "reason": pd.Series([], dtype=object),
        "channel": pd.Series([], dtype=object), "amount_minor": pd.Series([], dtype="int64"),
        "bill_ids": pd.Series([], dtype=object)})


def _dates(s: pd.Series, name: str, col: str, *, blank_ok: bool = False) -> pd.Series:
    """A date column at midnight; a bad or (unless allowed) blank value names its row."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        raise ParameterError(f"{name}.{col} is timezone-aware; which calendar day it means "
                             "depends on the zone: convert it and drop the zone with "
                             ".dt.tz_convert('Asia/Shanghai').dt.tz_localize(None)")
    blank = s.isna() | s.astype(str).str.strip().isin(["", "NaT", "nan", "None"])
    out = pd.to_datetime(s.where(~blank), errors="coerce")
    bad = out.isna() & ~blank if blank_ok else out.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"{name}.{col} on row {i} is {s.tolist()[i]!r}, not a date; write "
                             "dates as 2025-06-30")
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        raise ParameterError(f"{name}.{col} holds timezone-aware dates; write plain dates "
                             "(2025-06-30)")
    return out.dt.normalize().astype("datetime64[ns]")


def _whole_minor(s: pd.Series, name: str) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() | (num < 0) | (num != num.round())
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"{name}.amount_minor on row {i} is {s.tolist()[i]!r}; it must be a "
                             "whole, non-negative number of minor units (fen, cents): parse "
                             "amounts with creditkit.money.parse_amounts")
    return num.astype("int64")


def check_history(history: pd.DataFrame | None, as_of: pd.Timestamp) -> pd.DataFrame:
    """The history of earlier runs, typed; the runs before ``as_of`` only.

    A history row dated ``as_of`` is this run's own, from an earlier attempt
    at the same date: it is set aside and written again, so that re-running a
    date gives the same result.

    Parameters
    ----------
    history : DataFrame or None
        A previous ``DunningRun.history`` (``None``: no run yet).
    as_of : Timestamp
        The run's date (checked by the caller).

    Returns
    -------
    DataFrame
        :data:`HISTORY_COLUMNS`, the rows dated before ``as_of``.

    Raises
    ------
    SchemaError
        A required column is missing.
    ParameterError
        A run dated after ``as_of``; an unknown event; a level that is not a
        whole number ≥ 0; two rows for one customer and currency on one date.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"run_date": ["2025-03-01", "2025-03-02"], "customer_id": ["A", "A"],
    ...     "currency": ["CNY", "CNY"], "level": [1, 2], "event": ["sent", "sent"]})
    >>> check_history(h, pd.Timestamp("2025-03-02"))["level"].tolist()
    [1]
    """
    if history is None:
        return empty_history()
    need = ("run_date", "customer_id", "currency", "level", "event")
    h = check_table(history, need, name="history",
                    fix="pass the .history of the previous DunningRun")
    out = empty_history()
    if h.empty:
        return out
    h = h.reset_index(drop=True)
    run = _dates(h["run_date"], "history", "run_date")
    later = run > as_of
    if later.any():
        raise ParameterError(
            f"history holds runs after as_of {as_of.date()} (latest {run.max().date()}); a run "
            "cannot use what happened later: pass history[history.run_date <= as_of], or run "
            "for a later as_of")
    level = pd.to_numeric(h["level"], errors="coerce")
    bad = level.isna() | (level < 0) | (level != level.round())
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"history.level on row {i} is {h['level'].tolist()[i]!r}; levels are "
                             "whole numbers from 0 (no level) up")
    event = h["event"].astype(str).str.strip()
    bad = ~event.isin(EVENTS)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"history.event on row {i} is {h['event'].tolist()[i]!r}; it must be "
                             f"one of {EVENTS}")
    data = {"run_date": run, "customer_id": h["customer_id"].astype(str),
            "currency": h["currency"].astype(str).str.upper(), "level": level.astype("int64"),
            "event": event}
    for col in ("previous_level", "amount_minor"):
        data[col] = (pd.to_numeric(h[col], errors="coerce").fillna(0).astype("int64")
                     if col in h.columns else pd.Series(0, index=h.index, dtype="int64"))
    for col in ("reason", "channel", "bill_ids"):
        data[col] = h[col].fillna("").astype(str) if col in h.columns else ""
    typed = pd.DataFrame(data)[list(HISTORY_COLUMNS)]
    dup = typed.duplicated(["run_date", "customer_id", "currency"], keep=False)
    if dup.any():
        r = typed[dup].iloc[0]
        raise ParameterError(f"history has {int(dup.sum())} rows for customer "
                             f"{r['customer_id']!r} ({r['currency']}) on {r['run_date'].date()}; "
                             "a run writes one row per customer and currency: keep one")
    return typed[typed["run_date"] < as_of].reset_index(drop=True)


def check_promises(promises: pd.DataFrame | None, currencies: list[str]) -> pd.DataFrame:
    """Promises to pay, typed.

    Parameters
    ----------
    promises : DataFrame or None
        See the module docstring.
    currencies : list of str
        The currencies of the bills: a promise without ``currency`` takes the
        only one; with several, the column is required.

    Returns
    -------
    DataFrame
        ``customer_id``, ``currency``, ``promise_date``, ``pay_by``, ``amount_minor``.

    Raises
    ------
    SchemaError
        A required column is missing.
    ParameterError
        A bad date or amount, ``pay_by`` before ``promise_date``, or no
        ``currency`` column while the bills hold several currencies.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"customer_id": ["A"], "promise_date": ["2025-03-10"],
    ...     "pay_by": ["2025-03-15"], "amount_minor": [5000]})
    >>> check_promises(p, ["CNY"])[["currency", "amount_minor"]].values.tolist()
    [['CNY', 5000]]
    """
    cols = ["customer_id", "currency", "promise_date", "pay_by", "amount_minor"]
    if promises is None:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[ns]" if "date" in c or c == "pay_by"
                                          else ("int64" if c == "amount_minor" else object))
                             for c in cols})
    need = ("customer_id", "promise_date", "pay_by", "amount_minor")
    p = check_table(promises, need, name="promises",
                    fix="record a promise as customer_id, promise_date, pay_by, amount_minor"
                    ).reset_index(drop=True)
    if "currency" in p.columns:
        cur = p["currency"].astype(str).str.strip().str.upper()
    elif len(currencies) <= 1:
        cur = pd.Series(currencies[0] if currencies else "CNY", index=p.index)
    else:
        raise SchemaError(f"promises has no currency column but the bills hold {currencies}; "
                          "add a currency column saying which currency each promise is in")
    out = pd.DataFrame({"customer_id": p["customer_id"].astype(str), "currency": cur,
                        "promise_date": _dates(p["promise_date"], "promises", "promise_date"),
                        "pay_by": _dates(p["pay_by"], "promises", "pay_by"),
                        "amount_minor": _whole_minor(p["amount_minor"], "promises")})
    early = out["pay_by"] < out["promise_date"]
    if early.any():
        i = int(np.flatnonzero(early.to_numpy())[0])
        raise ParameterError(f"promises row {i}: pay_by {out['pay_by'].iloc[i].date()} is before "
                             f"promise_date {out['promise_date'].iloc[i].date()}; a customer "
                             "promises to pay on or after the day of the promise")
    return out


def check_disputes(disputes: pd.DataFrame | None) -> pd.DataFrame:
    """Disputed bills, typed (``resolved_date`` missing while the dispute is open).

    Parameters
    ----------
    disputes : DataFrame or None
        ``bill_id``, ``dispute_date``, optional ``resolved_date``.

    Returns
    -------
    DataFrame
        ``bill_id``, ``dispute_date``, ``resolved_date``.

    Raises
    ------
    SchemaError
        A required column is missing.
    ParameterError
        A bad date, or a dispute resolved before it was opened.

    Examples
    --------
    >>> import pandas as pd
    >>> check_disputes(None).columns.tolist()
    ['bill_id', 'dispute_date', 'resolved_date']
    """
    if disputes is None:
        return pd.DataFrame({"bill_id": pd.Series([], dtype=object),
                             "dispute_date": pd.Series([], dtype="datetime64[ns]"),
                             "resolved_date": pd.Series([], dtype="datetime64[ns]")})
    d = check_table(disputes, ("bill_id", "dispute_date"), name="disputes",
                    fix="record a dispute as bill_id, dispute_date (and resolved_date once "
                    "resolved)")
    d = d.reset_index(drop=True)
    resolved = (_dates(d["resolved_date"], "disputes", "resolved_date", blank_ok=True)
                if "resolved_date" in d.columns
                else pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]"))
    out = pd.DataFrame({"bill_id": d["bill_id"].astype(str),
                        "dispute_date": _dates(d["dispute_date"], "disputes", "dispute_date"),
                        "resolved_date": resolved})
    bad = out["resolved_date"] < out["dispute_date"]
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"disputes row {i}: resolved_date is before dispute_date; check "
                             "the dates of bill " + repr(out["bill_id"].iloc[i]))
    return out
