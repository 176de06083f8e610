"""The state one update hands to the next: the ledger of record, open alerts, restrictions, plans.

Every state table holds rows per ``as_of`` (the update that decided them) and
is written by :func:`creditkit.store.write_update` in the date's transaction.
An update of date D reads only rows of dates before D, never its own: a re-run
of D starts from the state before D and gives the same rows.

- ``ledger``: the payments as reconciled. A date's rows are what it
  *decided* (``open`` false: cash applied to a bill, a tolerance write-off)
  plus the unapplied rests still open after it (``open`` true). Applied rows
  stay decided: the state before D is every applied row from the last
  ``full`` reconciliation (``ledger_runs.mode``) up to the latest date before
  D, plus the open rests of that latest date (:func:`read_ledger`).
- ``alert_state``, ``restriction_state``: the alerts open and the customers
  restricted after each date, with the day each opened or entered; the
  next update continues from the latest date before it
  (:func:`read_latest`).
- ``recovery_plans``: the instalments of the plans offered at each date;
  every plan offered before D is still a plan at D (:func:`read_before`).

Examples
--------
>>> import tempfile, pathlib
>>> from creditkit.store import write_update
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
>>> rows = pd.DataFrame({"customer_id": ["C1"], "rule_id": ["late"], "severity": ["high"],
...                      "opened": pd.to_datetime(["2025-05-31"])})
>>> _ = write_update(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-05-31",
...                  state={"alert_state": rows})
>>> read_latest(path, "alert_state", before="2025-06-30")[["customer_id", "rule_id"]].values.tolist()
[['C1', 'late']]
>>> len(read_latest(path, "alert_state", before="2025-05-31"))  # a re-run of May sees no May
0
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError
from creditkit.store._db import TABLES_V3, check_version, connect, existing, table_names

__all__ = ["LEDGER_PAYMENT_COLUMNS", "CarriedLedger", "read_before", "read_latest",
           "read_ledger"]

#: Columns of ``payments`` a ledger row takes from its source payment when read.
LEDGER_PAYMENT_COLUMNS = ("paid_date", "currency", "channel", "reference", "payer_name")


@dataclass(frozen=True)
class CarriedLedger:
    """The ledger of record before a date (see :func:`read_ledger`).

    Attributes
    ----------
    since : Timestamp or None
        The latest ledger date before the date asked (None: no ledger yet:
        the next update reconciles in full).
    basis : Timestamp or None
        The last ``full`` reconciliation at or before ``since``.
    applied : DataFrame
        Every decided row from ``basis`` to ``since``: ``payment_id``,
        ``source_payment_id``, ``customer_id``, ``bill_id``,
        ``amount_minor``, ``kind`` and the source payment's
        :data:`LEDGER_PAYMENT_COLUMNS`.
    open : DataFrame
        The unapplied rests open after ``since``, same columns (``bill_id`` null).
    """

    since: pd.Timestamp | None
    basis: pd.Timestamp | None
    applied: pd.DataFrame
    open: pd.DataFrame


def _open(path: str | Path):
    p = existing(path)
    con = connect(p, read_only=True, wait=30.0)
    try:
        check_version(con, p)
    except BaseException:
        con.close()
        raise
    return con


def _table(name: str) -> str:
    if name not in TABLES_V3:
        raise ParameterError(f"{name!r} is not a state table; one of {sorted(TABLES_V3)}")
    return name


def read_latest(path: str | Path, table: str, *, before: object) -> pd.DataFrame:
    """The rows of ``table`` of its latest date before ``before`` (empty when none).

    Parameters
    ----------
    path : str or Path
        The store.
    table : str
        ``alert_state``, ``restriction_state`` (or another state table).
    before : date-like
        Rows of this date and later are not read.

    Returns
    -------
    DataFrame
        The table's columns, ``as_of`` included.

    Examples
    --------
    See the module docstring.
    """
    day = check_as_of(before).to_pydatetime()
    con = _open(path)
    try:
        name = _table(table)
        if name not in table_names(con):  # a file not yet migrated: nothing carried
            return pd.DataFrame()
        return con.execute(f'SELECT * FROM "{name}" WHERE as_of = (SELECT max(as_of) FROM '
                           f'"{name}" WHERE as_of < $d) ORDER BY ALL', {"d": day}).df()
    finally:
        con.close()


def read_before(path: str | Path, table: str, *, before: object) -> pd.DataFrame:
    """Every row of ``table`` dated before ``before`` (e.g. the recovery plans offered so far).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> from creditkit.store import write_tables
    >>> write_tables(path, {"notes": pd.DataFrame({"x": [1]})})
    >>> len(read_before(path, "recovery_plans", before="2025-06-30"))
    0
    """
    day = check_as_of(before).to_pydatetime()
    con = _open(path)
    try:
        name = _table(table)
        if name not in table_names(con):
            return pd.DataFrame()
        return con.execute(f'SELECT * FROM "{name}" WHERE as_of < $d ORDER BY ALL',
                           {"d": day}).df()
    finally:
        con.close()


def read_ledger(path: str | Path, *, before: object) -> CarriedLedger:
    """The ledger of record as it stood before ``before``: what stays decided, what is open.

    Parameters
    ----------
    path : str or Path
        The store (with a ``payments`` table when there is a ledger).
    before : date-like
        The date about to be reconciled; its own rows (and later ones) are not read.

    Returns
    -------
    CarriedLedger

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_tables
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> write_tables(path, {"notes": pd.DataFrame({"x": [1]})})
    >>> read_ledger(path, before="2025-06-30").since is None
    True
    """
    day = check_as_of(before).to_pydatetime()
    con = _open(path)
    try:
        if not {"ledger_runs", "ledger", "payments"} <= table_names(con):
            return CarriedLedger(None, None, pd.DataFrame(), pd.DataFrame())
        since, basis = con.execute(
            "SELECT max(as_of), max(as_of) FILTER (WHERE mode = 'full') FROM ledger_runs "
            "WHERE as_of < $d", {"d": day}).fetchone()
        if since is None or basis is None:
            return CarriedLedger(None, None, pd.DataFrame(), pd.DataFrame())
        have = {r[0] for r in con.execute("DESCRIBE payments").fetchall()}
        extra = ", ".join(f"p.{c}" if c in have else f"CAST(NULL AS VARCHAR) AS {c}"
                          for c in LEDGER_PAYMENT_COLUMNS)
        sql = ("SELECT l.payment_id, l.source_payment_id, l.customer_id, l.bill_id, "
               f"l.amount_minor, l.kind, {extra} FROM ledger l LEFT JOIN payments p "
               "ON p.payment_id = l.source_payment_id WHERE {where} ORDER BY l.as_of, "
               "l.payment_id")
        applied = con.execute(sql.format(where="NOT l.open AND l.as_of >= $b AND l.as_of < $d"),
                              {"b": basis, "d": day}).df()
        rests = con.execute(sql.format(where="l.open AND l.as_of = $s"), {"s": since}).df()
    finally:
        con.close()
    return CarriedLedger(pd.Timestamp(since), pd.Timestamp(basis), applied, rests)
