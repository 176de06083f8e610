"""The ``reconcile`` stage on the ledger of record: a month reconciles only what is new.

What is carried from one update to the next (the store's ``ledger``, see
:mod:`creditkit.store.state`), and why:

- **Decided rows stay decided.** Cash applied to a bill and tolerance
  write-offs are final, as in a receivables ledger: last month's applied
  payments are not re-matched. A later run cannot move them (a new rule file
  or an analyst's decision applies to what is still open).
- **Unapplied rests stay open.** Every rest not yet applied (unknown payer,
  no open bill, low confidence, overpayment...) is tried again each month,
  with its payer, reference and original date (so it is matched before the
  month's new payments), so a bill issued later can pick up an earlier
  unapplied payment (one that names it, or one of its exact amount), and a
  payer identified later (a new account, a corrected name) takes it.
- **Bills still open, at their open balance.** A month reconciles against
  the bills with money left on them (amount less the applied cash and
  write-offs carried), each at that balance; fully paid bills are not
  candidates.
- **New payments**: those not in the carried ledger, dated on or before the
  update's date. Payments dated later are left for a later month (they do
  not age at this date anyway); they are passed through unapplied.
- **Analysts' decisions** (a ``reconcile_decisions`` table in the store, the
  columns of :func:`creditkit.collections.manual.check_decisions`): applied
  to the payments and bills of the month's pool; a decision about a payment
  already decided is not applied again.

The first update of a store (or one asked with ``mode="full"``) reconciles
every payment to its date against every bill: a ``full`` date, the basis the
following months build on. Idempotent: a re-run of a date reads only the
ledger of earlier dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError

__all__ = ["MODES", "MonthLedger", "reconcile_month"]

#: How a date reconciles: only what is new (``month``, the default when a ledger
#: exists) or every payment against every bill (``full``).
MODES = ("month", "full")
_KEEP = ("payment_id", "source_payment_id", "customer_id", "bill_id", "amount_minor", "kind")


@dataclass(frozen=True)
class MonthLedger:
    """Result of :func:`reconcile_month`.

    Attributes
    ----------
    payments : DataFrame
        The posted payments at ``as_of`` for the later stages (the shape of
        :func:`creditkit.collections.apply_reconciliation`): carried decided
        rows, this date's rows, and payments dated later (unapplied).
    rows : DataFrame
        The ``ledger`` rows of this date: what it decided (``open`` false)
        and the rests open after it (``open`` true).
    run : dict
        The ``ledger_runs`` row: ``mode``, ``since``, ``payments`` (new
        payments reconciled), ``rests`` (open rests tried again), ``bills``
        (open bills offered).
    """

    payments: pd.DataFrame
    rows: pd.DataFrame
    run: dict


def _known(ids: pd.Series, *known: pd.Series) -> np.ndarray:
    """Which ``ids`` are among ``known``: one Arrow hash lookup (``Series.isin`` on Arrow
    strings turns every known id into a Python object first: seconds at 100,000 customers)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.chunked_array([pa.array(k.astype(object).to_numpy(), type=pa.string())
                               for k in known])
    found = pc.is_in(pa.array(ids.astype(object).to_numpy(), type=pa.string()),
                     value_set=values.combine_chunks())
    return found.to_numpy(zero_copy_only=False).astype(bool)


def _as_payments(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.reindex(columns=[*columns, "source_payment_id"])
    return out


def reconcile_month(tables: Mapping[str, pd.DataFrame], *, as_of: pd.Timestamp,
                    carried: Any, rules: Any = None, mode: str | None = None,
                    decisions: pd.DataFrame | None = None) -> MonthLedger:
    """Reconcile the payments new since the carried ledger against the bills still open.

    Parameters
    ----------
    tables : mapping
        ``payments``, ``bills``, ``customers`` (canonical).
    as_of : Timestamp
        The update's date.
    carried : CarriedLedger
        :func:`creditkit.store.read_ledger` of the store before ``as_of``.
    rules : optional
        Reconciliation rules (as :func:`creditkit.collections.reconcile`).
    mode : {"month", "full"}, optional
        Default: ``month`` when ``carried`` has a ledger, else ``full``.
    decisions : DataFrame, optional
        Analysts' decisions; those about payments of the month's pool are applied.

    Returns
    -------
    MonthLedger

    Raises
    ------
    ParameterError
        An unknown ``mode``.

    Examples
    --------
    >>> from creditkit.store import CarriedLedger
    >>> d = pd.to_datetime
    >>> t = {"bills": pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["I1"],
    ...      "customer_id": ["C1"], "issue_date": d(["2025-01-01"]),
    ...      "due_date": d(["2025-01-31"]), "amount_minor": [300], "currency": ["CNY"]}),
    ...      "payments": pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["C1", "C1"],
    ...      "paid_date": d(["2025-01-20", "2025-01-25"]), "amount_minor": [300, 80],
    ...      "currency": ["CNY", "CNY"]}),
    ...      "customers": pd.DataFrame({"customer_id": ["C1"], "name": ["甲"]})}
    >>> none = CarriedLedger(None, None, pd.DataFrame(), pd.DataFrame())
    >>> m = reconcile_month(t, as_of=d("2025-01-31"), carried=none)
    >>> m.run["mode"], m.rows[["bill_id", "amount_minor", "open"]].values.tolist()
    ('full', [['B1', 300, False], [None, 80, True]])
    """
    from creditkit.collections import apply_reconciliation, reconcile

    if mode is None:
        mode = "full" if carried.since is None else "month"
    if mode not in MODES:
        raise ParameterError(f"reconcile mode must be one of {MODES}; got {mode!r}")
    if mode == "month" and carried.since is None:
        mode = "full"  # nothing carried: the first date is a full one
    pays, bills = tables["payments"], tables["bills"]
    columns = [c for c in pays.columns if c not in ("bill_id", "invoice_id")]
    paid = pays["paid_date"].to_numpy() <= np.datetime64(as_of.to_datetime64())
    ymd = as_of.strftime("%Y%m%d")
    if mode == "full":
        new, rests, offered = pays[paid], pays.iloc[:0], bills
        applied = None
        seen = np.zeros(len(pays), bool)
    else:
        applied = carried.applied
        seen = _known(pays["payment_id"], applied["source_payment_id"],
                      carried.open["source_payment_id"])
        new = pays[paid & ~seen]
        rests = carried.open.assign(payment_id=carried.open["source_payment_id"].astype(str)
                                    + "@" + ymd)
        rests = rests.reindex(columns=list(pays.columns))
        for c in pays.columns:  # the payments' dtypes (a rest read back may be all-NULL)
            if c in rests and len(rests):
                rests[c] = rests[c].astype(pays[c].dtype) if c != "customer_id" else rests[c]
        taken = applied.loc[applied["bill_id"].notna()].groupby("bill_id")["amount_minor"].sum()
        left = bills["amount_minor"].to_numpy(np.int64) - taken.reindex(
            bills["bill_id"]).fillna(0).to_numpy(np.int64)
        offered = bills[left > 0].assign(amount_minor=left[left > 0])
    pool = pd.concat([new, rests], ignore_index=True) if len(rests) else new.reset_index(
        drop=True)
    source = pool["payment_id"].astype(object).to_numpy()
    if len(rests):
        source = np.concatenate([new["payment_id"].astype(object).to_numpy(),
                                 carried.open["source_payment_id"].astype(object).to_numpy()])
    mine = None
    if decisions is not None and len(decisions):
        ids = dict(zip(pool["payment_id"], source, strict=True))
        back = {s: p for p, s in ids.items()}
        mine = decisions[decisions["payment_id"].isin(back)
                         & decisions["bill_id"].isin(offered["bill_id"])]
        mine = mine.assign(payment_id=mine["payment_id"].map(back)) if len(mine) else None
    rec = reconcile(pool, offered, tables["customers"], as_of=as_of, rules=rules,
                    decisions=mine)
    posted = apply_reconciliation(pool, rec)
    posted["source_payment_id"] = pd.Series(source, index=pool["payment_id"]).reindex(
        posted["source_payment_id"]).to_numpy()
    is_open = posted["bill_id"].isna().to_numpy()
    rows = posted.reindex(columns=list(_KEEP)).assign(open=is_open)
    later = pays[~paid & ~seen].assign(source_payment_id=pays.loc[~paid & ~seen, "payment_id"])
    later = later.drop(columns=[c for c in ("bill_id", "invoice_id") if c in later])
    parts = [posted.drop(columns=["invoice_id"])]
    if applied is not None and len(applied):
        parts.insert(0, _as_payments(applied, [*columns, "bill_id"]))
    if len(later):
        parts.append(later.assign(bill_id=None))
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    out["invoice_id"] = None
    out = out[[*columns, "bill_id", "source_payment_id", "invoice_id"]]
    out["amount_minor"] = out["amount_minor"].astype(np.int64)
    run = {"mode": mode, "since": carried.since if mode == "month" else None,
           "payments": len(new), "rests": len(rests), "bills": len(offered)}
    return MonthLedger(out, rows, run)
