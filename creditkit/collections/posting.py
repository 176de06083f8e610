"""Handing a reconciliation to the aging functions.

The ledger engine of :mod:`creditkit.aging` allocates a payment to the bill it
names (``bill_id``). :func:`apply_reconciliation` rewrites the payments so that
each reconciled piece names its bill: a payment split across bills becomes one
row per bill (``P1#1``, ``P1#2``, …, ``source_payment_id`` keeping the
original id), the part not applied stays a row of its own under the identified
customer (or none), and each tolerance write-off becomes a ``write_off`` row on
its bill. Amounts are conserved per payment to the minor unit, so
``bill_aging(bills, apply_reconciliation(payments, rec), as_of=…, mode="explicit")``
shows exactly what the reconciliation applied, and ``mode="fifo"`` (the
default) additionally lets the ledger's FIFO rule place the unapplied rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.collections.reconcile import Reconciliation
from creditkit.exceptions import SchemaError
from creditkit.schema import validate

__all__ = ["apply_reconciliation"]


def apply_reconciliation(payments: pd.DataFrame, rec: Reconciliation) -> pd.DataFrame:
    """Payments rewritten so the ledger engine allocates them as reconciled.

    Parameters
    ----------
    payments : DataFrame
        The payments given to :func:`~creditkit.collections.reconcile`.
    rec : Reconciliation
        Its result.

    Returns
    -------
    DataFrame
        Canonical payments plus ``source_payment_id``: one row per allocated
        (payment, bill) naming the bill, one per unapplied rest, one
        ``write_off`` row per tolerance write-off.

    Raises
    ------
    SchemaError
        When ``rec`` was not computed from these payments (ids or amounts differ).

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.collections import reconcile
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["I1", "I2"],
    ...     "customer_id": ["C1", "C1"], "issue_date": d(["2025-01-01", "2025-01-02"]),
    ...     "due_date": d(["2025-01-31", "2025-02-01"]), "amount_minor": [300, 200],
    ...     "currency": ["CNY", "CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["C1"],
    ...     "paid_date": d(["2025-02-05"]), "amount_minor": [500], "currency": ["CNY"]})
    >>> rec = reconcile(pays, bills, pd.DataFrame({"customer_id": ["C1"], "name": ["甲"]}),
    ...                 as_of="2025-02-28")
    >>> apply_reconciliation(pays, rec)[["payment_id", "bill_id", "amount_minor"]].values.tolist()
    [['P1#1', 'B1', 300], ['P1#2', 'B2', 200]]
    """
    validate(payments, "payments")
    bp = rec.by_payment.set_index("payment_id")
    ids = payments["payment_id"].to_numpy(dtype=object)
    if len(bp) != len(payments) or not bp.index.isin(ids).all() or not np.array_equal(
            bp["amount_minor"].reindex(ids).to_numpy(np.int64),
            payments["amount_minor"].to_numpy(np.int64)):
        raise SchemaError("rec was not computed from these payments (ids or amounts differ); "
                          "pass the payments given to reconcile()")
    base = payments.drop(columns=[c for c in ("bill_id", "invoice_id") if c in payments])
    base = base.assign(customer_id=bp["customer_id"].reindex(ids).to_numpy(dtype=object))
    cash = rec.allocations[["payment_id", "bill_id", "customer_id", "amount_minor"]]
    rest = rec.exceptions[["payment_id", "amount_minor"]].assign(bill_id=None)
    pieces = pd.concat([cash.assign(part=0), rest.assign(part=1)], ignore_index=True)
    pieces = pieces.sort_values(["payment_id", "part", "bill_id"], na_position="last")
    out = base.drop(columns=["amount_minor"]).merge(
        pieces.rename(columns={"customer_id": "bill_customer"}), on="payment_id",
        validate="one_to_many")
    out["customer_id"] = out["bill_customer"].where(out["bill_customer"].notna(),
                                                    out["customer_id"])
    n = out.groupby("payment_id")["payment_id"].transform("size").to_numpy()
    k = out.groupby("payment_id").cumcount().to_numpy() + 1
    out["source_payment_id"] = out["payment_id"]
    out["payment_id"] = np.where(n > 1, out["payment_id"].astype(str) + "#" + k.astype(str),
                                 out["payment_id"])
    wo = rec.writeoffs[["payment_id", "bill_id", "customer_id", "amount_minor"]].merge(
        base.drop(columns=["amount_minor", "customer_id"]), on="payment_id")
    if len(wo):
        wo = wo.assign(source_payment_id=wo["payment_id"],
                       payment_id=wo["payment_id"].astype(str) + "#wo-" + wo["bill_id"],
                       kind="write_off", bill_customer=wo["customer_id"])
        if "channel" in wo:
            wo["channel"] = None
    out = pd.concat([out, wo[[c for c in out.columns if c in wo.columns]]], ignore_index=True)
    cols = [c for c in payments.columns if c not in ("bill_id", "invoice_id")]
    out = out[[*cols, "bill_id", "source_payment_id"]]
    out["invoice_id"] = None
    out["amount_minor"] = out["amount_minor"].astype(np.int64)
    return out.reset_index(drop=True)
