"""Reading the snapshots back: a customer's credit file (资信档案), a date's portfolio, the dates.

Readers open the file read-only and wait (up to ``wait`` seconds) while a
write runs in another process: writes are short transactions, so a reader
sees the state before a write or after it, never half of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import DataReadError, ParameterError
from creditkit.store._db import (
    check_version,
    connect,
    ensure_schema,
    existing,
    table_names,
    write_transaction,
)

__all__ = ["CHANGE_FIELDS", "CreditFile", "credit_file", "migrate", "portfolio_aggregates",
           "portfolio_at", "snapshot_dates"]

#: The snapshot fields whose changes a credit file lists, with the columns giving the reason.
CHANGE_FIELDS = {
    "tier": ("tier_rule", "tier_values"),
    "score": ("scorecard", "scorecard_version"),
    "limit_minor": (),
    "term_days": (),
    "bucket": ("dpd",),
    "value_segment": (),
    "restriction_level": ("restriction_reason",),
    "open_alerts": ("alert_ids",),
    "dunning_level": (),
    "tags": (),
}


def _open(path: str | Path, wait: float) -> tuple[duckdb.DuckDBPyConnection, Path]:
    p = existing(path)
    con = connect(p, read_only=True, wait=wait)
    try:
        check_version(con, p, need=2)
    except BaseException:
        con.close()
        raise
    return con, p


def migrate(path: str | Path) -> int:
    """Bring a store written by an older creditkit to this release's schema, in one transaction.

    Parameters
    ----------
    path : str or Path
        An existing store.

    Returns
    -------
    int
        The schema version the file had (it now has the current one).

    Raises
    ------
    StoreVersionError
        The store was written by a newer creditkit.

    Examples
    --------
    >>> import tempfile, pathlib, duckdb
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "old.duckdb"
    >>> con = duckdb.connect(str(path))  # a store of creditkit 0.1.0 has no schema_version
    >>> _ = con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    >>> con.close()
    >>> migrate(path), migrate(path)
    (1, 3)
    """
    p = existing(path)
    with write_transaction(p, migrate=False) as con:
        before = ensure_schema(con, p)
    return before


def snapshot_dates(path: str | Path, *, wait: float = 30.0) -> list[pd.Timestamp]:
    """The dates that have a snapshot, oldest first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30")
    >>> [d.date().isoformat() for d in snapshot_dates(path)]
    ['2025-06-30']
    """
    con, _ = _open(path, wait)
    try:
        rows = con.execute("SELECT DISTINCT as_of FROM snapshots ORDER BY 1").fetchall()
    finally:
        con.close()
    return [pd.Timestamp(r[0]) for r in rows]


def _day_of(con: duckdb.DuckDBPyConnection, p: Path, date: object) -> pd.Timestamp:
    day = check_as_of(date)
    hit = con.execute("SELECT count(*) FROM snapshots WHERE as_of = ?",
                      [day.to_pydatetime()]).fetchone()[0]
    if not hit:
        dates = [pd.Timestamp(r[0]).date().isoformat() for r in con.execute(
            "SELECT DISTINCT as_of FROM snapshots ORDER BY 1").fetchall()]
        raise DataReadError(
            f"no snapshot of {day.date()} in the store {str(p)!r}; it has "
            f"{dates[-12:] if dates else 'none'}; pick one of those, or write that date "
            "with `creditkit update --as-of DATE`")
    return day


def portfolio_at(path: str | Path, date: object, *, wait: float = 30.0) -> pd.DataFrame:
    """Every customer's snapshot row of one date.

    Parameters
    ----------
    path : str or Path
        The store.
    date : date-like
        A snapshot date (:func:`snapshot_dates`).
    wait : float, default 30
        Seconds to wait while another process writes the store.

    Returns
    -------
    DataFrame
        The ``snapshots`` columns, sorted by ``customer_id``.

    Raises
    ------
    DataReadError
        No snapshot of that date (the dates there are listed).
    StoreVersionError
        A store of a newer creditkit, or one to migrate first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C2", "C1"], "dpd": [4, 0]}),
    ...                    as_of="2025-06-30")
    >>> portfolio_at(path, "2025-06-30")[["customer_id", "dpd"]].values.tolist()
    [['C1', 0], ['C2', 4]]
    """
    con, p = _open(path, wait)
    try:
        day = _day_of(con, p, date)
        df = con.execute("SELECT * FROM snapshots WHERE as_of = ? ORDER BY customer_id",
                         [day.to_pydatetime()]).df()
    finally:
        con.close()
    return df


def portfolio_aggregates(path: str | Path, *, wait: float = 30.0) -> pd.DataFrame:
    """The portfolio aggregates of every date (``as_of``, ``currency``, ``measure``, ``grp``).

    See :data:`creditkit.store.AGGREGATE_MEASURES` for the measures.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1", "C2"], "currency": "CNY",
    ...                    "outstanding_minor": [5, 7]}), as_of="2025-06-30")
    >>> a = portfolio_aggregates(path)
    >>> int(a.loc[a["measure"] == "outstanding_minor", "value"].iloc[0])
    12
    """
    con, _ = _open(path, wait)
    try:
        return con.execute("SELECT * FROM portfolio_aggregates "
                           "ORDER BY as_of, currency, measure, grp").df()
    finally:
        con.close()


@dataclass
class CreditFile:
    """A customer's credit file (资信档案): their snapshots over time and why each thing changed.

    Attributes
    ----------
    customer_id : str
    history : DataFrame
        One row per snapshot date (the ``snapshots`` columns), oldest first.
    changes : DataFrame
        One row per date and field that changed since the customer's previous
        snapshot: ``as_of``, ``field`` (see :data:`CHANGE_FIELDS`),
        ``before``, ``after`` (as text), ``reason`` (``column=value; …`` of
        the columns that explain it: the tier rule and the values it saw,
        the scorecard version, the restriction's reason, the alerts) — the
        first snapshot lists every field with ``before`` empty.
    dunning : DataFrame
        The customer's dunning runs (``dunning_history``).
    reviews : DataFrame
        Credit reviews recorded for the customer (``reviews``).
    plans : DataFrame
        Recovery plans (``recovery_plans``), empty when the store has none.
    """

    customer_id: str
    history: pd.DataFrame
    changes: pd.DataFrame
    dunning: pd.DataFrame
    reviews: pd.DataFrame
    plans: pd.DataFrame


def _text(values: pd.Series) -> pd.Series:
    out = values.astype(object).where(values.notna(), None)
    return out.map(lambda v: None if v is None else (f"{v:g}" if isinstance(v, float) else str(v)))


def _changes(history: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for field, why in CHANGE_FIELDS.items():
        now = _text(history[field])
        before = now.shift(1)
        before = before.astype(object).where(before.notna(), None)
        changed = (now.fillna("\0") != before.fillna("\0")).to_numpy().copy()
        changed[0] = now.iloc[0] is not None if len(now) else False
        if not changed.any():
            continue
        reason = pd.Series("", index=history.index, dtype=object)
        for col in why:
            vals = _text(history[col])
            part = (col + "=" + vals.fillna("")).where(vals.notna(), "")
            reason = reason.str.cat(part, sep="; ").str.strip("; ")
        rows.append(pd.DataFrame({"as_of": history["as_of"][changed], "field": field,
                                  "before": before[changed], "after": now[changed],
                                  "reason": reason[changed]}))
    if not rows:
        return pd.DataFrame(columns=["as_of", "field", "before", "after", "reason"])
    order = {f: i for i, f in enumerate(CHANGE_FIELDS)}
    out = pd.concat(rows, ignore_index=True)
    key = out["field"].map(order).to_numpy()
    return out.iloc[np.lexsort((key, out["as_of"].to_numpy()))].reset_index(drop=True)


def credit_file(path: str | Path, customer_id: str, *, wait: float = 30.0) -> CreditFile:
    """One customer's credit file over time, with the reason for each change.

    Parameters
    ----------
    path : str or Path
        The store.
    customer_id : str
    wait : float, default 30
        Seconds to wait while another process writes the store.

    Returns
    -------
    CreditFile

    Raises
    ------
    DataReadError
        The customer has no snapshot in the store.
    ParameterError
        ``customer_id`` is not a text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1"], "tier": ["prime"],
    ...     "tier_rule": ["prime"]}), as_of="2025-05-31")
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1"], "tier": ["high_risk"],
    ...     "tier_rule": ["high_risk_dpd"], "tier_values": ["dpd=40"]}), as_of="2025-06-30")
    >>> f = credit_file(path, "C1")
    >>> f.changes.loc[f.changes["field"] == "tier", ["before", "after", "reason"]].values.tolist()
    [[None, 'prime', 'tier_rule=prime'], ['prime', 'high_risk', 'tier_rule=high_risk_dpd; tier_values=dpd=40']]
    """  # noqa: E501
    if not isinstance(customer_id, str) or not customer_id:
        raise ParameterError(f"customer_id must be a non-empty text; got {customer_id!r}")
    con, p = _open(path, wait)
    try:
        history = con.execute("SELECT * FROM snapshots WHERE customer_id = ? ORDER BY as_of",
                              [customer_id]).df()
        if history.empty:
            raise DataReadError(
                f"customer {customer_id!r} has no snapshot in the store {str(p)!r}; check the "
                "id (ids are text and case-sensitive) or run `creditkit update` for a date "
                "when the customer was on file")
        names = table_names(con)

        def rows(table: str, column: str, order: str) -> pd.DataFrame:
            if table not in names:
                return pd.DataFrame()
            return con.execute(f'SELECT * FROM "{table}" WHERE "{column}" = ? ORDER BY {order}',
                               [customer_id]).df()

        dunning = rows("dunning_history", "customer_id", "run_date, currency")
        reviews = rows("reviews", "customer_id", "review_date")
        plans = rows("recovery_plans", "customer_id", "ALL")
    finally:
        con.close()
    return CreditFile(customer_id, history, _changes(history), dunning, reviews, plans)
