"""Analysts' decisions on reconciliation exceptions, applied on the next run.

A decisions table has one row per decision: ``payment_id``, ``bill_id``,
``amount_minor`` and ``decision`` (``confirm`` or ``reject``). A confirmation
allocates that amount of the payment to that bill (method ``manual``,
confidence 1) before any rule runs; a rejection forbids the rules from ever
pairing that payment with that bill. Decisions win over the rules: a payment
with a confirmation is settled by the analyst alone (what is left of it stays
an exception, ``manual_remainder``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.exceptions import SchemaError

__all__ = ["DECISIONS", "check_decisions"]

#: Allowed values of ``decision``.
DECISIONS = ("confirm", "reject")
_COLUMNS = ("payment_id", "bill_id", "amount_minor", "decision")


def check_decisions(
    decisions: pd.DataFrame, payments: pd.DataFrame, bills: pd.DataFrame,
) -> pd.DataFrame:
    """Validate a decisions table against the payments and bills it refers to.

    Parameters
    ----------
    decisions : DataFrame
        ``payment_id``, ``bill_id``, ``amount_minor`` (needed for ``confirm``),
        ``decision``.
    payments, bills : DataFrame
        The tables being reconciled.

    Returns
    -------
    DataFrame
        The decisions with ``row`` (payment position), ``bill`` (bill
        position), ``amount_minor`` as int64 (0 for rejections).

    Raises
    ------
    SchemaError
        A missing column, an unknown decision, payment or bill, a confirmation
        without a positive whole amount, confirmations exceeding a payment or a
        bill, or a confirmation across currencies; the message names the row.

    Examples
    --------
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "amount_minor": [500], "currency": ["CNY"]})
    >>> bills = pd.DataFrame({"bill_id": ["B1"], "amount_minor": [800], "currency": ["CNY"]})
    >>> d = pd.DataFrame({"payment_id": ["P1"], "bill_id": ["B1"], "amount_minor": [500],
    ...                   "decision": ["confirm"]})
    >>> check_decisions(d, pays, bills)[["row", "bill", "amount_minor"]].values.tolist()
    [[0, 0, 500]]
    >>> check_decisions(d.assign(decision="maybe"), pays, bills)
    Traceback (most recent call last):
    ...
    creditkit.exceptions.SchemaError: decisions row 0: decision 'maybe' is not one of ...
    """
    missing = [c for c in _COLUMNS if c not in decisions.columns]
    if missing:
        raise SchemaError(f"decisions is missing column(s) {missing}; it needs {list(_COLUMNS)}")
    d = decisions.reset_index(drop=True)
    p_pos = pd.Series(np.arange(len(payments)), index=payments["payment_id"].to_numpy())
    b_pos = pd.Series(np.arange(len(bills)), index=bills["bill_id"].to_numpy())
    row = p_pos.reindex(d["payment_id"].to_numpy()).to_numpy()
    bill = b_pos.reindex(d["bill_id"].to_numpy()).to_numpy()
    amount = pd.to_numeric(d["amount_minor"], errors="coerce").to_numpy(dtype=float)
    confirm = (d["decision"] == "confirm").to_numpy()
    checks = [
        (~d["decision"].isin(DECISIONS).to_numpy(), lambda i: (
            f"decision {d['decision'].iloc[i]!r} is not one of {DECISIONS}; write confirm or "
            "reject")),
        (np.isnan(row), lambda i: (f"payment {d['payment_id'].iloc[i]!r} is not in payments; "
                                   "check the id or drop the row")),
        (np.isnan(bill), lambda i: (f"bill {d['bill_id'].iloc[i]!r} is not in the bills issued "
                                    "by as_of; check the id or drop the row")),
        (confirm & ~((amount > 0) & (amount == np.floor(amount))), lambda i: (
            f"a confirmation needs a positive whole amount_minor; got "
            f"{d['amount_minor'].iloc[i]!r}")),
    ]
    for bad, message in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise SchemaError(f"decisions row {i}: {message(i)}")
    row, bill = row.astype(np.int64), bill.astype(np.int64)
    amt = np.where(confirm, np.nan_to_num(amount), 0).astype(np.int64)
    cur_p = payments["currency"].to_numpy(dtype=object)[row]
    cur_b = bills["currency"].to_numpy(dtype=object)[bill]
    cross = confirm & (cur_p != cur_b)
    if cross.any():
        i = int(np.flatnonzero(cross)[0])
        raise SchemaError(f"decisions row {i}: payment in {cur_p[i]} confirmed to a bill in "
                          f"{cur_b[i]}; currencies never mix, confirm a bill in {cur_p[i]}")
    for pos, table, what in ((row, payments, "payment"), (bill, bills, "bill")):
        total = np.bincount(pos[confirm], weights=amt[confirm], minlength=len(table))
        over = np.flatnonzero(total > table["amount_minor"].to_numpy(dtype=np.int64))
        if len(over):
            i = int(np.flatnonzero(confirm & (pos == over[0]))[-1])
            raise SchemaError(f"decisions row {i}: confirmations exceed the {what}'s amount "
                              f"({int(table['amount_minor'].iloc[over[0]])}); lower the "
                              "confirmed amounts")
    return d.assign(row=row, bill=bill, amount_minor=amt)
