"""One customer's credit file as a committee reads it: what the report and its widget show.

:func:`creditkit.store.credit_file` reads the customer's snapshots and why each
thing changed; :func:`credit_file_view` adds what a credit committee needs
beside it: the customer's identity (masked by default), the file cut at the
report's date, the open bills and the latest payments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from creditkit.checks import check_as_of, check_lang
from creditkit.exceptions import DataReadError, ParameterError

__all__ = ["HISTORY_COLUMNS", "CreditFileView", "credit_file_view", "default_customer",
           "file_date"]

#: The snapshot columns the history table shows, in this order (those present).
HISTORY_COLUMNS = ["as_of", "score", "pd", "scorecard_version", "tier", "value_segment",
                   "limit_minor", "term_days", "outstanding_minor", "past_due_minor", "dpd",
                   "bucket", "restriction_level", "open_alerts", "dunning_level", "currency"]
_IDENTITY = ["customer_id", "name", "id_number", "phone", "kind", "region", "industry",
             "open_date", "credit_limit_minor", "currency"]
#: The payments shown: no payer name or reference (free text; a report shows no personal
#: text it does not need, and the customer is named at the top).
_PAYMENTS = ["payment_id", "paid_date", "amount_minor", "currency", "kind", "channel", "bill_id"]
_BILLS = ["bill_id", "invoice_id", "issue_date", "due_date", "amount_minor", "outstanding_minor",
          "dpd", "currency", "kind"]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def file_date(store: str | Path, as_of: object = None) -> pd.Timestamp:
    """The snapshot date a credit file is read at: the latest one on or before ``as_of``.

    Parameters
    ----------
    store : str or Path
        The store.
    as_of : date-like, optional
        The report's date; default the latest snapshot.

    Returns
    -------
    Timestamp

    Raises
    ------
    DataReadError
        The store has no snapshot (run ``creditkit update``), or none on or
        before ``as_of``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-05-31")
    >>> str(file_date(path, "2025-06-15").date())
    '2025-05-31'
    """
    from creditkit.store import snapshot_dates

    dates = snapshot_dates(store)
    if not dates:
        raise DataReadError(
            f"the store {str(store)!r} holds no snapshot; write one with `creditkit update "
            "--store PATH --as-of DATE` (make demo builds a year of them)")
    if as_of is None:
        return dates[-1]
    day = check_as_of(as_of)
    earlier = [d for d in dates if d <= day]
    if not earlier:
        raise DataReadError(
            f"the store {str(store)!r} has no snapshot on or before as_of={day.date()!s}; "
            f"its first is {dates[0].date()!s}: pass a later as_of")
    return earlier[-1]


def default_customer(store: str | Path, *, as_of: object = None) -> str:
    """The customer a credit-file report shows when none is named.

    The customer with the largest past-due amount at the snapshot of
    :func:`file_date` (ties: the larger dpd, then the smaller id); when nobody
    is past due, the largest outstanding; the store certainly has that one.

    Parameters
    ----------
    store : str or Path
    as_of : date-like, optional
        Default the latest snapshot.

    Returns
    -------
    str

    Raises
    ------
    DataReadError
        The store has no snapshot, or the date's snapshot no customer.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1", "C2"],
    ...     "past_due_minor": [0, 500], "outstanding_minor": [900, 500]}), as_of="2025-05-31")
    >>> default_customer(path)
    'C2'
    """
    from creditkit.store import portfolio_at

    day = file_date(store, as_of)
    book = portfolio_at(store, day)
    if book.empty:
        raise DataReadError(f"the snapshot of {day.date()!s} in {str(store)!r} has no "
                            "customer; pass customer_id=")
    keys = [c for c in ("past_due_minor", "dpd", "outstanding_minor") if c in book.columns]
    ranked = book.assign(**{k: book[k].fillna(0) for k in keys}).sort_values(
        [*keys, "customer_id"], ascending=[False] * len(keys) + [True], kind="stable")
    return str(ranked["customer_id"].iloc[0])


@dataclass
class CreditFileView:
    """A customer's credit file cut at one date, ready to show.

    Attributes
    ----------
    customer_id : str
    as_of : Timestamp
        The snapshot date the file is read at.
    identity : DataFrame
        One row from ``customers`` (masked when ``mask``).
    history : DataFrame
        The snapshots up to ``as_of`` (every column), oldest first; a report shows
        :data:`HISTORY_COLUMNS` of it (:func:`creditkit.creditfile.shown_history`).
    changes, dunning, reviews, plans : DataFrame
        As in :class:`creditkit.store.CreditFile`, up to ``as_of``.
    open_bills : DataFrame
        Bills with an amount open at ``as_of`` (``bill_aging``, the customer's own
        payments applied oldest due first), oldest due first.
    payments : DataFrame
        The latest payments up to ``as_of``, newest first: id, date, amount, kind,
        channel and the bill named (no payer name or reference).
    """

    customer_id: str
    as_of: pd.Timestamp
    identity: pd.DataFrame
    history: pd.DataFrame
    changes: pd.DataFrame
    dunning: pd.DataFrame
    reviews: pd.DataFrame
    plans: pd.DataFrame
    open_bills: pd.DataFrame
    payments: pd.DataFrame
    mask: bool = field(default=True)

    @property
    def currency(self) -> str:
        """The currency of the latest snapshot (CNY when none is recorded)."""
        if "currency" in self.history.columns and self.history["currency"].notna().any():
            return str(self.history["currency"].dropna().iloc[-1])
        return "CNY"

    def headline(self, *, lang: str = "zh") -> dict[str, Any]:
        """The first screen's figures: the latest snapshot's and the file's counts.

        Examples
        --------
        >>> v = CreditFileView("C1", pd.Timestamp("2025-05-31"), pd.DataFrame(),
        ...     pd.DataFrame({"as_of": [pd.Timestamp("2025-05-31")], "score": [612.0],
        ...                   "tier": ["prime"]}),
        ...     pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
        ...     pd.DataFrame(), pd.DataFrame())
        >>> h = v.headline(lang="en")
        >>> h["customer_id"], h["score"], h["tier"], h["creditfile_snapshots"]
        ('C1', 612.0, 'Prime', 1)
        """
        from creditkit.labels import label

        check_lang(lang)
        last = self.history.iloc[-1] if len(self.history) else pd.Series(dtype=object)
        out: dict[str, Any] = {"customer_id": self.customer_id}
        for col in ("score", "tier", "outstanding_minor", "past_due_minor", "dpd",
                    "dunning_level"):
            if col not in last.index or pd.isna(last[col]):
                continue
            value = last[col]
            if col == "tier":
                value = label(f"tier_{value}", lang)
            elif col.endswith("_minor") or col in ("dpd", "dunning_level"):
                value = int(value)
            else:
                value = float(value)
            out[col] = value
        out["creditfile_snapshots"] = len(self.history)
        out["creditfile_changes"] = len(self.changes)
        out["creditfile_open_bills"] = len(self.open_bills)
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """The file's tables by label key (for the table browser); empty ones left out.

        Examples
        --------
        >>> v = CreditFileView("C1", pd.Timestamp("2025-05-31"), pd.DataFrame(),
        ...     pd.DataFrame({"score": [1.0]}), *[pd.DataFrame()] * 6)
        >>> list(v.tables())
        ['creditfile_history_table']
        """
        named = {"creditfile_history_table": self.history,
                 "creditfile_changes_table": self.changes,
                 "creditfile_dunning_table": self.dunning,
                 "creditfile_reviews_table": self.reviews,
                 "creditfile_plans_table": self.plans,
                 "creditfile_bills_table": self.open_bills,
                 "creditfile_payments_table": self.payments}
        return {k: v for k, v in named.items() if len(v)}


def _upto(df: pd.DataFrame, column: str, day: pd.Timestamp) -> pd.DataFrame:
    if df.empty or column not in df.columns:
        return df.reset_index(drop=True)
    return df[pd.to_datetime(df[column]) <= day].reset_index(drop=True)


def _ledger(store: str | Path, customer_id: str, day: pd.Timestamp,
            n_payments: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from creditkit.aging import bill_aging
    from creditkit.store import read_table

    where = f"customer_id = {_quoted(customer_id)}"
    bills = read_table(store, "bills", where=where, wait=30)
    pays = read_table(store, "payments", where=where, wait=30)
    pays = pays[pays["paid_date"] <= day]
    if bills.empty:
        open_bills = pd.DataFrame(columns=_BILLS)
    else:
        aged = bill_aging(bills, pays, as_of=day)
        open_bills = aged[aged["outstanding_minor"] > 0]
        open_bills = open_bills[[c for c in _BILLS if c in open_bills.columns]]
        open_bills = open_bills.sort_values(["due_date", "bill_id"], kind="stable")
    recent = pays.sort_values(["paid_date", "payment_id"], ascending=False, kind="stable")
    recent = recent[[c for c in _PAYMENTS if c in recent.columns]].head(n_payments)
    return open_bills.reset_index(drop=True), recent.reset_index(drop=True)


def credit_file_view(store: str | Path, customer_id: str | None = None, *,
                     as_of: object = None, mask: bool = True,
                     n_payments: int = 10) -> CreditFileView:
    """One customer's credit file at ``as_of`` with identity, open bills and payments.

    Parameters
    ----------
    store : str or Path
        The store with snapshots (``creditkit update``).
    customer_id : str, optional
        Default :func:`default_customer` (the largest past due at the date).
    as_of : date-like, optional
        Default the latest snapshot; the file shows snapshots up to it.
    mask : bool, default True
        Mask name, ID number and mobile.
    n_payments : int, default 10
        How many of the latest payments to show.

    Returns
    -------
    CreditFileView

    Raises
    ------
    DataReadError
        No snapshot at or before ``as_of``, or none of this customer.
    ParameterError
        ``mask`` is not a bool or ``n_payments`` not a positive integer.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.store import write_snapshot, write_tables
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> book = make_portfolio(20, seed=1)
    >>> write_tables(path, book)
    >>> cid = book["customers"]["customer_id"].iloc[0]
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": [cid], "score": [600.0]}),
    ...                    as_of="2025-06-30")
    >>> v = credit_file_view(path, cid)
    >>> v.identity["name"].iloc[0] == book["customers"]["name"].iloc[0]
    False
    >>> len(v.history), str(v.as_of.date())
    (1, '2025-06-30')
    """
    from creditkit.privacy import mask_pii
    from creditkit.store import credit_file, read_table

    if not isinstance(mask, bool):
        raise ParameterError(f"mask must be True or False; got {mask!r}")
    if isinstance(n_payments, bool) or not isinstance(n_payments, int) or n_payments < 1:
        raise ParameterError(f"n_payments must be a positive integer; got {n_payments!r}")
    day = file_date(store, as_of)
    cid = default_customer(store, as_of=day) if customer_id is None else customer_id
    cf = credit_file(store, cid)
    history = _upto(cf.history, "as_of", day)
    if history.empty:
        raise DataReadError(
            f"customer {cid!r} has no snapshot on or before {day.date()!s}; their first is "
            f"{cf.history['as_of'].min().date()!s}: pass a later as_of")
    customers = read_table(store, "customers", where=f"customer_id = {_quoted(cid)}", wait=30)
    identity = customers[[c for c in _IDENTITY if c in customers.columns]].head(1)
    if mask:
        identity = mask_pii(identity, "customers")
    open_bills, payments = _ledger(store, cid, day, n_payments)
    dunning = _upto(cf.dunning, "run_date", day)
    if mask and not dunning.empty:
        dunning = mask_pii(dunning)
    return CreditFileView(
        customer_id=cid, as_of=day, identity=identity.reset_index(drop=True), history=history,
        changes=_upto(cf.changes, "as_of", day), dunning=dunning,
        reviews=_upto(cf.reviews, "review_date", day), plans=cf.plans.reset_index(drop=True),
        open_bills=open_bills, payments=payments, mask=mask)
