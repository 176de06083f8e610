"""Channel performance (渠道表现): which payment channels bring the money in, and how well.

:func:`channel_performance` answers four questions per channel (bank
transfer, card, Alipay, WeChat Pay, auto-debit, cash; ``unknown`` when a cash
payment names none):

- **collected**: cash received (payments of kind ``payment``) per period, its
  share of the period's cash; the table adds up to all cash received by
  ``as_of``, per currency, to the minor unit.
- **timing**: days from a bill's due date to the payment that paid it
  (negative = early), per allocated piece: quartiles, and the share of the
  amount paid by the due date. With a reconciliation, the pieces are its
  ``allocations`` (the bill each payment was matched to: a payment without a
  customer or with a reference naming a later bill counts where it was
  matched); without one, the ledger engine's allocation of the payments as
  received (:func:`creditkit.aging.allocate_payments`; no second allocation rule).
- **matching** (with a reconciliation): payments fully applied, payments
  with an exception, match rate and amounts, and the exceptions by reason.
  It reads the ``allocations`` (payment_id, amount_minor) and ``exceptions``
  (payment_id, reason, amount_minor optional) frames of
  :class:`creditkit.collections.Reconciliation`, or any object or dict with
  those two frames. Rows of payments that are not cash received by
  ``as_of`` (dated later, credit notes, failed debits) are left out; a
  payment id missing from ``payments`` is an error.
- **auto-debit**: debits attempted, succeeded, failed and returned per
  period. The payments table has no status in the canonical schema and the
  generator records only successful debits; a ``status`` column
  (``succeeded``, ``failed`` or ``returned``; blank = succeeded) is read when
  present. A failed or returned debit brought no money: it is left out of
  collected, timing and matching, and counted here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditkit.aging import allocate_payments
from creditkit.checks import check_as_of
from creditkit.collections.reconcile import reconciliation_parts
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["CHANNEL_PERIODS", "DEBIT_STATUSES", "ChannelPerformance", "channel_performance"]

#: Values of an auto-debit ``status`` column (blank = succeeded).
DEBIT_STATUSES: tuple[str, ...] = ("succeeded", "failed", "returned")
#: Periods of ``by=`` and their pandas frequency.
CHANNEL_PERIODS: dict[str, str] = {"day": "D", "week": "W", "month": "M", "quarter": "Q",
                                   "year": "Y"}


@dataclass(frozen=True)
class ChannelPerformance:
    """Result of :func:`channel_performance` (see its Returns)."""

    collected: pd.DataFrame
    timing: pd.DataFrame
    auto_debit: pd.DataFrame
    matching: pd.DataFrame | None = None
    exceptions_by_reason: pd.DataFrame | None = None


def _status(p: pd.DataFrame) -> np.ndarray:
    if "status" not in p.columns:
        return np.full(len(p), "succeeded", dtype=object)
    st = p["status"].astype("string").str.strip().str.lower().fillna("succeeded")
    st = st.where(st != "", "succeeded")
    bad = ~st.isin(DEBIT_STATUSES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy(dtype=bool))[0])
        raise ParameterError(f"payments row {i}: status {p['status'].iloc[i]!r} is not one of "
                             f"{DEBIT_STATUSES} (blank = succeeded); fix it")
    return st.to_numpy(dtype=object)


def _matching(cash: pd.DataFrame, all_ids: set, reconciliation: object
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    al, ex, _ = reconciliation_parts(reconciliation)
    ids = pd.Index(cash["payment_id"].astype(str))
    keep = set(ids)
    for name, frame in (("allocations", al), ("exceptions", ex)):
        unknown = sorted(set(frame["payment_id"].astype(str)) - all_ids)
        if unknown:
            raise ParameterError(f"reconciliation.{name} names payment(s) {unknown[:5]} that are "
                                 "not in payments; pass the payments that were reconciled")
    # rows of payments that are not cash received by as_of (later, failed debits) do not count
    al = al[al["payment_id"].astype(str).isin(keep)]
    ex = ex[ex["payment_id"].astype(str).isin(keep)]
    applied = al.groupby(al["payment_id"].astype(str))["amount_minor"].sum()
    applied = applied.reindex(ids).fillna(0).astype("int64").to_numpy()
    amount = cash["amount_minor"].to_numpy(dtype="int64")
    if "amount_minor" in ex.columns:
        left = ex.groupby(ex["payment_id"].astype(str))["amount_minor"].sum()
        left = left.reindex(ids).fillna(0).astype("int64").to_numpy()
    else:
        left = np.where(ids.isin(set(ex["payment_id"].astype(str))), amount - applied, 0)
    has_ex = ids.isin(set(ex["payment_id"].astype(str)))
    m = pd.DataFrame({"currency": cash["currency"].to_numpy(),
                      "channel": cash["channel"].to_numpy(),
                      "amount_minor": amount, "applied_minor": applied, "exception_minor": left,
                      "matched": ~has_ex & (applied > 0), "exception": has_ex})
    out = m.groupby(["currency", "channel"]).agg(
        n_payments=("amount_minor", "size"), n_matched=("matched", "sum"),
        n_exceptions=("exception", "sum"), paid_minor=("amount_minor", "sum"),
        applied_minor=("applied_minor", "sum"), exception_minor=("exception_minor", "sum"),
    ).reset_index()
    out["match_rate"] = out["n_matched"] / out["n_payments"]
    out["matched_share"] = out["applied_minor"] / out["paid_minor"].where(out["paid_minor"] > 0)
    for c in ("n_matched", "n_exceptions"):
        out[c] = out[c].astype("int64")
    chan = dict(zip(ids, cash["channel"], strict=True))
    cur = dict(zip(ids, cash["currency"], strict=True))
    e = ex.assign(payment_id=ex["payment_id"].astype(str))
    e = e.assign(channel=e["payment_id"].map(chan), currency=e["payment_id"].map(cur))
    if "amount_minor" not in e.columns:
        e["amount_minor"] = e["payment_id"].map(dict(zip(ids, left, strict=True)))
    by_reason = e.groupby(["currency", "channel", "reason"]).agg(
        n_exceptions=("payment_id", "size"), exception_minor=("amount_minor", "sum")).reset_index()
    return out, by_reason


def _reconciled(reconciliation: object) -> pd.DataFrame:
    """The cash a reconciliation applied, per (payment, bill): its allocations."""
    al, _, _ = reconciliation_parts(reconciliation)
    if "bill_id" not in al.columns:
        raise SchemaError("reconciliation.allocations lacks bill_id: days to pay need the bill "
                          "each payment paid; pass reconcile()'s result")
    return al


def _timing(bills: pd.DataFrame, payments: pd.DataFrame, cash: pd.DataFrame,
            day: pd.Timestamp, reconciliation: object | None = None) -> pd.DataFrame:
    if reconciliation is None:  # payments as received, poured by the ledger engine
        al = allocate_payments(bills, payments, as_of=day).allocations
        al = al[al["kind"] == "payment"]
    else:  # payments as reconciled: the bill each one was matched to
        al = _reconciled(reconciliation)
    pos = pd.Index(cash["payment_id"].astype(str)).get_indexer(al["payment_id"].astype(str))
    bpos = pd.Index(bills["bill_id"].astype(str)).get_indexer(al["bill_id"].astype(str))
    keep = pos >= 0  # not cash received by as_of (credit notes, failed debits, later)
    missing = keep & (bpos < 0)
    if missing.any():
        names = sorted(set(al["bill_id"].astype(str).to_numpy()[missing]))
        raise ParameterError(f"reconciliation.allocations names bill(s) {names[:5]} that are not "
                             "in bills; pass the bills that were reconciled")
    pos, bpos = pos[keep], bpos[keep]
    due = pd.to_datetime(bills["due_date"]).to_numpy(dtype="datetime64[ns]")[bpos]
    paid = cash["paid_date"].to_numpy(dtype="datetime64[ns]")[pos]
    t = pd.DataFrame({"currency": cash["currency"].to_numpy()[pos],
                      "channel": cash["channel"].to_numpy()[pos],
                      "amount_minor": al["amount_minor"].to_numpy(dtype="int64")[keep],
                      "days": ((paid - due) // np.timedelta64(1, "D")).astype("int64")})
    keys = ["currency", "channel"]
    g = t.groupby(keys)
    out = g.agg(n_allocations=("days", "size"), applied_minor=("amount_minor", "sum"))
    q = g["days"].quantile([0.25, 0.5, 0.75]).unstack()
    out["days_q1"], out["days_median"], out["days_q3"] = (q[c].astype("float64")
                                                          for c in (0.25, 0.5, 0.75))
    early = t["amount_minor"].where(t["days"] <= 0, 0).groupby([t[k] for k in keys]).sum()
    out["on_time_share"] = (early / out["applied_minor"].where(out["applied_minor"] > 0)
                            ).astype("float64")
    return out.reset_index()


def channel_performance(
    payments: pd.DataFrame,
    bills: pd.DataFrame,
    *,
    as_of: object,
    by: str = "month",
    reconciliation: object | None = None,
) -> ChannelPerformance:
    """Amount and share collected per channel and period, days to pay, match rate, auto-debits.

    Parameters
    ----------
    payments, bills : DataFrame
        Canonical tables; payments dated after ``as_of`` do not exist yet.
        An optional ``status`` column (:data:`DEBIT_STATUSES`) marks failed
        or returned debits.
    as_of : date-like
    by : {"day", "week", "month", "quarter", "year"}
        The period of ``collected`` and ``auto_debit``.
    reconciliation : Reconciliation or dict, optional
        ``.allocations`` and ``.exceptions`` of a reconciliation of these
        payments (see the module docstring); adds ``matching`` and
        ``exceptions_by_reason``, and ``timing`` then reads its allocations
        (which need ``bill_id``) instead of the payments as received.

    Returns
    -------
    ChannelPerformance
        ``collected``: ``currency``, ``period`` (text, e.g. ``2025-03``),
        ``channel``, ``n_payments``, ``paid_minor``, ``share`` (of the
        period's cash in that currency).
        ``timing``: per ``currency`` and ``channel``: ``n_allocations``,
        ``applied_minor``, ``days_q1``, ``days_median``, ``days_q3`` (days
        from due date to payment), ``on_time_share`` (amount paid by the due date).
        ``auto_debit``: per ``currency`` and ``period``: ``n_debits``,
        ``n_debits_succeeded``, ``n_debits_failed``, ``n_debits_returned``,
        ``debit_success_rate``, ``debit_succeeded_minor``, ``debit_failed_minor``.
        ``matching`` (or None): per ``currency`` and ``channel``:
        ``n_payments``, ``n_matched`` (fully applied, no exception),
        ``n_exceptions``, ``paid_minor``, ``applied_minor``,
        ``exception_minor``, ``match_rate`` (count), ``matched_share`` (amount);
        a payment neither applied nor in the exceptions is in neither count
        (with :func:`reconcile`'s result there is none: it accounts for every payment).
        ``exceptions_by_reason`` (or None): ``currency``, ``channel``,
        ``reason``, ``n_exceptions``, ``exception_minor``.

    Raises
    ------
    ParameterError, SchemaError
        Bad ``by``, ``as_of``, status values (naming the row), a
        reconciliation naming payments that are not in ``payments`` or bills
        that are not in ``bills``, allocations without ``bill_id``.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> book = example_portfolio()
    >>> perf = channel_performance(book["payments"], book["bills"], as_of="2025-03-31")
    >>> perf.collected[["period", "channel", "paid_minor", "share"]].values.tolist()
    [['2025-02', 'alipay', 4000, 1.0]]
    >>> perf.timing[["channel", "days_median"]].values.tolist()
    [['alipay', -2.0]]
    """
    day = check_as_of(as_of)
    if by not in CHANNEL_PERIODS:
        raise ParameterError(f"by must be one of {sorted(CHANNEL_PERIODS)}; got {by!r}")
    for name, df, need in (("payments", payments, ["payment_id", "paid_date", "amount_minor",
                                                   "currency"]),
                           ("bills", bills, ["bill_id", "due_date"])):
        if not isinstance(df, pd.DataFrame):
            raise ParameterError(f"{name} must be a DataFrame (the canonical {name} table); got "
                                 f"{type(df).__name__}")
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise SchemaError(f"{name} lacks column(s) {missing}; pass the canonical {name} table")
    p = payments.reset_index(drop=True)
    paid_date = pd.to_datetime(p["paid_date"])
    kind = p["kind"].fillna("payment") if "kind" in p.columns else pd.Series("payment",
                                                                             index=p.index)
    chan = (p["channel"].astype("string").fillna("unknown") if "channel" in p.columns
            else pd.Series("unknown", index=p.index, dtype="string"))
    status = _status(p)
    is_cash = ((kind == "payment") & (paid_date <= day)).to_numpy()
    frame = pd.DataFrame({"payment_id": p["payment_id"].astype(str), "paid_date": paid_date,
                          "amount_minor": p["amount_minor"].to_numpy(dtype="int64"),
                          "currency": p["currency"].astype(str).str.upper(),
                          "channel": chan.astype(object), "status": status})
    frame["period"] = frame["paid_date"].dt.to_period(CHANNEL_PERIODS[by]).astype(str)
    debits = frame[is_cash & (frame["channel"] == "auto_debit").to_numpy()]
    ok = is_cash & (status == "succeeded")
    cash = frame[ok].reset_index(drop=True)
    col = cash.groupby(["currency", "period", "channel"]).agg(
        n_payments=("amount_minor", "size"), paid_minor=("amount_minor", "sum")).reset_index()
    tot = col.groupby(["currency", "period"])["paid_minor"].transform("sum")
    col["share"] = (col["paid_minor"] / tot.where(tot > 0)).astype("float64")
    ad = debits.assign(**{f"n_debits_{s}": debits["status"] == s for s in DEBIT_STATUSES})
    ad = ad.assign(debit_succeeded_minor=ad["amount_minor"].where(ad["status"] == "succeeded", 0),
                   debit_failed_minor=ad["amount_minor"].where(ad["status"] != "succeeded", 0))
    auto = ad.groupby(["currency", "period"]).agg(
        n_debits=("amount_minor", "size"), **{f"n_debits_{s}": (f"n_debits_{s}", "sum")
                                              for s in DEBIT_STATUSES},
        debit_succeeded_minor=("debit_succeeded_minor", "sum"),
        debit_failed_minor=("debit_failed_minor", "sum")).reset_index()
    for c in ("n_debits", *[f"n_debits_{s}" for s in DEBIT_STATUSES], "debit_succeeded_minor",
              "debit_failed_minor"):
        auto[c] = auto[c].astype("int64")
    auto["debit_success_rate"] = (auto["n_debits_succeeded"] / auto["n_debits"]).astype("float64")
    led_pay = p[~(status != "succeeded")] if "status" in p.columns else p
    matching = by_reason = None
    if reconciliation is not None:
        matching, by_reason = _matching(cash, set(frame["payment_id"]), reconciliation)
    timing = _timing(bills, led_pay, cash, day, reconciliation)
    return ChannelPerformance(collected=col, timing=timing, auto_debit=auto,
                              matching=matching, exceptions_by_reason=by_reason)
