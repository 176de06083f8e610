"""The balance bridge (余额勾稽): from gross outstanding to net balance, per currency.

Two reports can show two honest balances of one book on one date: the aging
(the sum of bills' open amounts after allocation, which its buckets add up
to) and the overview (billed − settled). They differ by the money received
that no bill has taken. The bridge names each step, per currency::

      gross outstanding   Σ open amount of bills issued by as_of, after allocation
                          (= Σ aging buckets = customer_aging's outstanding_minor)
    − unapplied           settlements of identified customers that no bill has taken
                          (credit balances, prepayments, overpayments)
    − unclaimed           settlements whose payer is not identified yet (no
                          customer_id; they cannot be applied to any bill)
    = net balance         billed − settled up to as_of (the overview's net balance)

Everything is int64 minor units, exact: the lines come from one call of
:func:`creditkit.aging.customer_aging` (so from the one allocation engine of
:func:`creditkit.aging.allocate_payments`), and ``net_balance_minor`` =
``outstanding_minor`` − ``unapplied_minor`` − ``unclaimed_minor`` holds row by
row and in every sum. Currencies are never added together.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditkit.aging.aging import customer_aging
from creditkit.exceptions import ParameterError

__all__ = ["BRIDGE_COLUMNS", "BRIDGE_LINES", "UNATTRIBUTED", "UNKNOWN", "balance_bridge",
           "bridge_lines"]

#: The amount columns of :func:`balance_bridge`, in bridge order.
BRIDGE_COLUMNS = ("outstanding_minor", "unapplied_minor", "unclaimed_minor", "net_balance_minor")
#: The line keys of :func:`bridge_lines` (label keys of ``creditkit.labels``), by column,
#: with the sign each amount takes in the bridge.
BRIDGE_LINES = {"outstanding_minor": ("gross_outstanding", 1),
                "unapplied_minor": ("less_unapplied", -1),
                "unclaimed_minor": ("less_unclaimed", -1),
                "net_balance_minor": ("net_balance", 1)}
#: Group value of settlements whose payer is not identified (no customer_id).
UNATTRIBUTED = "unattributed"
#: Group value of a customer missing from ``customers`` or lacking the grouping value.
UNKNOWN = "unknown"


def _groups(by: str | Sequence[str] | None, customers: pd.DataFrame | None) -> list[str]:
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    if any(not isinstance(k, str) for k in keys):
        raise ParameterError(f"by must name columns, got {by!r}")
    need = [k for k in keys if k != "customer_id"]
    if need:
        if not isinstance(customers, pd.DataFrame) or "customer_id" not in customers.columns:
            raise ParameterError(
                f"grouping the bridge by {need} needs customers=, a DataFrame with "
                "customer_id and those columns")
        missing = [k for k in need if k not in customers.columns]
        if missing:
            raise ParameterError(
                f"customers has no column(s) {missing} to group the bridge by; "
                f"it has {list(customers.columns)}")
    return keys


def balance_bridge(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    mode: str = "fifo",
    by: str | Sequence[str] | None = None,
    customers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Gross outstanding → unapplied → unclaimed → net balance, per currency (and group).

    The bridge between the aging's total and the overview's net balance::

        net_balance = outstanding − unapplied − unclaimed
                    = billed − settled                       (up to as_of)

    ``outstanding_minor`` is the open amount of bills after allocation (what
    the aging buckets add up to); ``unapplied_minor`` what identified
    customers settled that no bill has taken; ``unclaimed_minor`` what was
    received from payers not identified yet (payments with no
    ``customer_id`` that name no bill of a customer: they stay unapplied);
    ``net_balance_minor`` their balance. All from one
    :func:`customer_aging` call, so the allocation is the engine's.

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical tables (see :func:`allocate_payments`).
    as_of : date-like
        Bills issued and payments dated after it do not exist yet.
    mode : {"fifo", "explicit"}
        Allocation mode; it moves money between ``outstanding`` and
        ``unapplied`` but never changes ``net_balance``.
    by : str or sequence of str, optional
        ``"customer_id"`` and/or columns of ``customers`` (``product``,
        ``region``, ...) to split the bridge by; default per currency only.
        Unclaimed money is the group ``"unattributed"`` (missing
        ``customer_id``); a customer not in ``customers`` or without the
        value is ``"unknown"``.
    customers : DataFrame, optional
        ``customer_id`` and the columns named in ``by``.

    Returns
    -------
    DataFrame
        ``*by, currency, outstanding_minor, unapplied_minor, unclaimed_minor,
        net_balance_minor`` (int64), sorted by currency then ``by``; one row
        per currency (and group) with bills or settlements by ``as_of``.

    Raises
    ------
    SchemaError, ParameterError
        As :func:`customer_aging`; also a ``by`` the inputs cannot group by.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["B1", "B2"],
    ...     "customer_id": ["A", "B"], "issue_date": d(["2025-01-01", "2025-01-01"]),
    ...     "due_date": d(["2025-01-31", "2025-01-31"]), "amount_minor": [1000, 500],
    ...     "currency": ["CNY", "CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["B", None],
    ...     "paid_date": d(["2025-02-01", "2025-02-02"]), "amount_minor": [700, 80],
    ...     "currency": ["CNY", "CNY"]})
    >>> br = balance_bridge(bills, pays, as_of="2025-03-31")
    >>> br[list(BRIDGE_COLUMNS)].iloc[0].tolist()
    [1000, 200, 80, 720]
    >>> bridge_lines(br)[["bridge_line", "amount_minor"]].values.tolist()
    [['gross_outstanding', 1000], ['less_unapplied', -200], ['less_unclaimed', -80], \
['net_balance', 720]]
    """
    keys = _groups(by, customers)
    ca = customer_aging(bills, payments, as_of=as_of, mode=mode)
    known = ca["customer_id"].notna().to_numpy()
    unapplied = ca["unapplied_minor"].to_numpy(dtype=np.int64)
    rows = pd.DataFrame({
        "customer_id": ca["customer_id"].astype("object"),
        "currency": ca["currency"].astype("str"),
        "outstanding_minor": ca["outstanding_minor"].to_numpy(dtype=np.int64),
        "unapplied_minor": np.where(known, unapplied, 0),
        "unclaimed_minor": np.where(known, 0, unapplied),
    })
    rows["net_balance_minor"] = (rows["outstanding_minor"] - rows["unapplied_minor"]
                                 - rows["unclaimed_minor"])
    extra = [k for k in keys if k != "customer_id"]
    if extra:
        table = customers[["customer_id", *extra]].drop_duplicates("customer_id")
        table = table.astype({"customer_id": "str"})
        rows = rows.merge(table, on="customer_id", how="left")
        for k in extra:
            value = rows[k].astype("object").where(rows[k].notna(), UNKNOWN)
            rows[k] = value.where(known, UNATTRIBUTED).astype("str")
    if "customer_id" in keys:
        rows["customer_id"] = rows["customer_id"].where(known, None)
    group = ["currency", *keys]
    out = (rows.groupby(group, sort=True, dropna=False)[list(BRIDGE_COLUMNS)].sum()
           .reset_index())
    return out[[*keys, "currency", *BRIDGE_COLUMNS]].astype(
        dict.fromkeys(BRIDGE_COLUMNS, "int64"))


def bridge_lines(bridge: pd.DataFrame) -> pd.DataFrame:
    """The bridge as lines to read down, deductions negative, so each currency's lines add up.

    Parameters
    ----------
    bridge : DataFrame
        From :func:`balance_bridge` (any grouping: the lines are per currency
        totals).

    Returns
    -------
    DataFrame
        ``bridge_line, currency, amount_minor``: per currency the four lines
        ``gross_outstanding``, ``less_unapplied`` (negative),
        ``less_unclaimed`` (negative), ``net_balance`` (label keys of
        ``creditkit.labels``); the first three add up to the fourth.

    Raises
    ------
    ParameterError
        If ``bridge`` lacks the bridge columns.

    Examples
    --------
    >>> import pandas as pd
    >>> br = pd.DataFrame({"currency": ["USD"], "outstanding_minor": [900],
    ...     "unapplied_minor": [100], "unclaimed_minor": [0], "net_balance_minor": [800]})
    >>> bridge_lines(br)["amount_minor"].tolist()
    [900, -100, 0, 800]
    """
    need = ["currency", *BRIDGE_COLUMNS]
    if not isinstance(bridge, pd.DataFrame) or any(c not in bridge.columns for c in need):
        raise ParameterError(f"bridge_lines needs the table of balance_bridge (columns {need})")
    totals = bridge.groupby("currency", sort=True)[list(BRIDGE_COLUMNS)].sum()
    parts = []
    for cur, row in totals.iterrows():
        for col, (line, sign) in BRIDGE_LINES.items():
            parts.append((line, cur, sign * int(row[col])))
    out = pd.DataFrame(parts, columns=["bridge_line", "currency", "amount_minor"])
    return out.astype({"bridge_line": "object", "currency": "object", "amount_minor": "int64"})
