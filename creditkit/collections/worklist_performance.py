"""Collector performance (催收员考核): what each collector recovered and how promises went.

Attribution (last touch): a cash payment (kind ``payment``) of a customer
counts for the latest assignment of that customer and currency made strictly
before the payment's date and at most ``window_days`` before it; an
assignment is credited at most the past-due amount it was given (money that
pays bills not yet due is not a recovery). Worklists are made daily, so a
customer on a collector's list for ten days is ten assignments, and each
payment counts once.

Promises to pay (承诺还款, the dunning run's table: ``customer_id``,
``promise_date``, ``pay_by``, ``amount_minor``, optional ``currency`` and
``collector_id``): a promise belongs to its ``collector_id`` or else to the
collector holding the customer's latest assignment on or before
``promise_date``. It is **kept** when the customer's cash paid from
``promise_date`` to ``pay_by`` (inclusive) reaches the amount (the dunning
run's rule), **pending** while ``pay_by`` is after ``end``, else **broken**.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.checks import check_date, check_table
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["collector_performance"]

_KEY = ["customer_id", "currency"]
_NOBODY = "\x01unattributed"  # promises no collector holds, while grouping (NA after)


def _frame(df: object, name: str, need: list[str], fix: str) -> pd.DataFrame:
    return check_table(df, need, name=name, fix=fix).reset_index(drop=True)


def _dates(s: pd.Series, name: str, col: str) -> pd.Series:
    d = s if pd.api.types.is_datetime64_any_dtype(s) else pd.to_datetime(
        s.astype("string"), errors="coerce", format="mixed")
    bad = d.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"{name} row {i}: {col} {s.iloc[i]!r} is not a date; fix it")
    if getattr(d.dt, "tz", None) is not None:
        raise ParameterError(f"{name}.{col} is timezone-aware; pass calendar dates")
    return d.dt.normalize().astype("datetime64[ns]")


def _minor(s: pd.Series, name: str, col: str) -> np.ndarray:
    if not pd.api.types.is_integer_dtype(s):
        raise ParameterError(f"{name}.{col} must hold integer minor units (fen); got dtype "
                             f"{s.dtype}; convert with creditkit.money.parse")
    if s.isna().any() or (s < 0).any():
        i = int(np.flatnonzero((s.isna() | (s < 0)).to_numpy(dtype=bool))[0])
        raise ParameterError(f"{name} row {i}: {col} {s.iloc[i]!r} must be >= 0; fix it")
    return s.to_numpy(dtype="int64")


def _cur(df: pd.DataFrame) -> pd.Series:
    return df["currency"].astype(str).str.strip().str.upper()


def _assignments(assignments: pd.DataFrame) -> pd.DataFrame:
    a = _frame(assignments, "assignments", ["assigned_date", "collector_id", "customer_id",
                                            "currency", "past_due_minor"],
               "pass Worklist.assignments(), or several stacked with pd.concat")
    out = pd.DataFrame({"assigned_date": _dates(a["assigned_date"], "assignments",
                                                "assigned_date"),
                        "collector_id": a["collector_id"].astype(object),
                        "customer_id": a["customer_id"].astype(object), "currency": _cur(a),
                        "past_due_minor": _minor(a["past_due_minor"], "assignments",
                                                 "past_due_minor")})
    if out["collector_id"].isna().any() or out["customer_id"].isna().any():
        raise ParameterError("assignments have a blank collector_id or customer_id; keep only "
                             "assigned rows (Worklist.assignments() does)")
    dup = out.duplicated(["assigned_date", *_KEY])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise ParameterError(f"assignments row {i}: customer {out['customer_id'][i]!r} is "
                             f"assigned twice on {out['assigned_date'][i].date()}; one collector "
                             "per customer and day")
    return out


def _cash(payments: pd.DataFrame) -> pd.DataFrame:
    p = _frame(payments, "payments", ["customer_id", "paid_date", "amount_minor", "currency"],
               "pass the canonical payments table")
    cash = p if "kind" not in p.columns else p[p["kind"].fillna("payment") == "payment"]
    cash = cash[cash["customer_id"].notna()]
    return pd.DataFrame({"customer_id": cash["customer_id"].astype(object).to_numpy(),
                         "currency": _cur(cash).to_numpy(),
                         "paid_date": _dates(cash["paid_date"], "payments", "paid_date").to_numpy(),
                         "amount_minor": _minor(cash["amount_minor"], "payments", "amount_minor")})


def _latest_before(left: pd.DataFrame, on: str, right: pd.DataFrame, *, strict: bool,
                   within: int | None) -> pd.DataFrame:
    """For each left row, the right row of its (customer, currency) latest before ``on``."""
    lft = left.reset_index().rename(columns={"index": "_row"}).sort_values(on, kind="stable")
    rgt = right.sort_values("assigned_date", kind="stable")
    lft = lft.assign(**{k: lft[k].astype(object) for k in _KEY})
    rgt = rgt.assign(**{k: rgt[k].astype(object) for k in _KEY})
    m = pd.merge_asof(lft, rgt, left_on=on, right_on="assigned_date", by=_KEY,
                      allow_exact_matches=not strict,
                      tolerance=pd.Timedelta(days=within) if within is not None else None)
    return m.sort_values("_row").set_index("_row")


def _promises(promises: pd.DataFrame, asg: pd.DataFrame, cash: pd.DataFrame, start, end,
              currencies: list[str]) -> pd.DataFrame:
    p = _frame(promises, "promises", ["customer_id", "promise_date", "pay_by", "amount_minor"],
               "record a promise as customer_id, promise_date, pay_by, amount_minor")
    if "currency" in p.columns:
        cur = _cur(p)
    elif len(currencies) <= 1:
        cur = pd.Series(currencies[0] if currencies else "CNY", index=p.index)
    else:
        raise SchemaError(f"promises has no currency column but the assignments hold "
                          f"{currencies}; add a currency column")
    pr = pd.DataFrame({"customer_id": p["customer_id"].astype(object), "currency": cur,
                       "promise_date": _dates(p["promise_date"], "promises", "promise_date"),
                       "pay_by": _dates(p["pay_by"], "promises", "pay_by"),
                       "amount_minor": _minor(p["amount_minor"], "promises", "amount_minor")})
    early = pr["pay_by"] < pr["promise_date"]
    if early.any():
        i = int(np.flatnonzero(early.to_numpy())[0])
        raise ParameterError(f"promises row {i}: pay_by is before promise_date; a customer "
                             "promises to pay on or after the day of the promise")
    pr = pr[(pr["promise_date"] >= start) & (pr["promise_date"] <= end)]
    if "collector_id" in p.columns:
        pr["collector_id"] = p.loc[pr.index, "collector_id"].astype(object)
    else:
        pr["collector_id"] = None
    need = pr["collector_id"].isna()
    if need.any() and len(asg):
        m = _latest_before(pr.loc[need, ["customer_id", "currency", "promise_date"]],
                           "promise_date", asg[["assigned_date", *_KEY, "collector_id"]],
                           strict=False, within=None)
        pr.loc[need, "collector_id"] = m["collector_id"].to_numpy()
    j = pr.reset_index(drop=True).reset_index().merge(cash, on=_KEY, how="left")
    inside = (j["paid_date"] >= j["promise_date"]) & (j["paid_date"] <= j["pay_by"])
    paid = j["amount_minor_y"].where(inside, 0).groupby(j["index"]).sum()
    pr = pr.reset_index(drop=True)
    kept = paid.reindex(pr.index).fillna(0).to_numpy() >= pr["amount_minor"].to_numpy()
    pr["status"] = np.where(kept, "kept", np.where(pr["pay_by"] > end, "pending", "broken"))
    return pr


def collector_performance(
    assignments: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    start: object,
    end: object,
    window_days: int = 30,
    promises: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per collector and currency: customers assigned, amount recovered, promises kept and broken.

    Parameters
    ----------
    assignments : DataFrame
        ``assigned_date``, ``collector_id``, ``customer_id``, ``currency``,
        ``past_due_minor``: :meth:`Worklist.assignments`, one or several days
        stacked. Assignments dated in [start, end] are counted.
    payments : DataFrame
        Canonical payments (reconciled: ``customer_id`` known); cash only
        (kind ``payment``) counts. Payments up to ``end + window_days`` count
        for assignments made by ``end``.
    start, end : date-like
        The period of the assignments (e.g. a month for 月度考核).
    window_days : int
        Days after an assignment during which a payment is credited to it.
    promises : DataFrame, optional
        Promises to pay (see the module docstring).

    Returns
    -------
    DataFrame
        ``collector_id``, ``currency``, ``assignments``, ``customers_assigned``,
        ``assigned_minor`` (sum over the collector's customers of the largest
        past due assigned), ``recovered_minor``, ``recovery_rate``,
        ``customers_paid``, then, with ``promises``, ``promises_made``,
        ``promises_kept``, ``promises_broken``, ``promises_pending``,
        ``promised_minor``, ``kept_minor``, ``promise_kept_rate`` (kept ÷
        (kept + broken)). A promise with no collector shows under a missing
        ``collector_id``. Sorted by recovered amount, largest first.

    Raises
    ------
    ParameterError, SchemaError
        Missing columns, bad dates or amounts (naming the row), ``start``
        after ``end``, ``window_days`` not a positive whole number.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.Timestamp
    >>> asg = pd.DataFrame({"assigned_date": [d("2025-03-01")] * 2,
    ...     "collector_id": ["K1", "K2"], "customer_id": ["A", "B"],
    ...     "currency": ["CNY", "CNY"], "past_due_minor": [10000, 5000]})
    >>> pay = pd.DataFrame({"customer_id": ["A", "B"], "paid_date": [d("2025-03-05"),
    ...     d("2025-05-01")], "amount_minor": [12000, 5000], "currency": ["CNY", "CNY"]})
    >>> perf = collector_performance(asg, pay, start="2025-03-01", end="2025-03-31")
    >>> perf[["collector_id", "recovered_minor", "recovery_rate"]].values.tolist()
    [['K1', 10000, 1.0], ['K2', 0, 0.0]]
    """
    lo, hi = check_date(start, "start"), check_date(end, "end")
    if lo > hi:
        raise ParameterError(f"start {lo.date()} is after end {hi.date()}; swap them")
    if not isinstance(window_days, (int, np.integer)) or isinstance(window_days, bool) or (
            window_days < 1):
        raise ParameterError(f"window_days must be a whole number of days >= 1; got "
                             f"{window_days!r}")
    asg = _assignments(assignments)
    asg = asg[(asg["assigned_date"] >= lo) & (asg["assigned_date"] <= hi)].reset_index(drop=True)
    cash_all = _cash(payments)
    cash = cash_all[(cash_all["paid_date"] > lo) & (cash_all["paid_date"]
                                            <= hi + pd.Timedelta(days=int(window_days)))]
    credit = np.zeros(len(asg), dtype=np.int64)
    if len(asg) and len(cash):
        m = _latest_before(cash, "paid_date", asg.reset_index().rename(columns={"index": "_a"}),
                           strict=True, within=int(window_days))
        m = m[m["_a"].notna()]
        got = m.groupby(m["_a"].astype("int64"))["amount_minor"].sum()
        credit[got.index.to_numpy()] = got.to_numpy()
    asg["recovered_minor"] = np.minimum(credit, asg["past_due_minor"].to_numpy())
    g = asg.groupby(["collector_id", "currency"])
    per_cust = asg.groupby(["collector_id", "currency", "customer_id"]).agg(
        most=("past_due_minor", "max"), rec=("recovered_minor", "sum")).reset_index()
    cg = per_cust.groupby(["collector_id", "currency"])
    out = pd.DataFrame({"assignments": g.size(), "customers_assigned": cg.size(),
                        "assigned_minor": cg["most"].sum(), "recovered_minor": cg["rec"].sum(),
                        "customers_paid": cg["rec"].apply(lambda s: int((s > 0).sum()))})
    out = out.reset_index()
    if promises is not None:
        pr = _promises(promises, asg, cash_all, lo, hi, sorted(asg["currency"].unique()))
        pr["collector_id"] = pr["collector_id"].astype(object)
        stat = pd.crosstab([pr["collector_id"].fillna(_NOBODY), pr["currency"]], pr["status"]
                           ).reindex(columns=["kept", "broken", "pending"], fill_value=0)
        amt = pr.groupby([pr["collector_id"].fillna(_NOBODY), "currency"]).agg(
            promises_made=("amount_minor", "size"), promised_minor=("amount_minor", "sum"))
        amt["kept_minor"] = pr[pr["status"] == "kept"].groupby(
            [pr["collector_id"].fillna(_NOBODY), "currency"])["amount_minor"].sum()
        amt = amt.join(stat.rename(columns=lambda s: f"promises_{s}")).reset_index()
        amt = amt.rename(columns={amt.columns[0]: "collector_id"})
        out = out.merge(amt, on=["collector_id", "currency"], how="outer")
        out["collector_id"] = out["collector_id"].where(out["collector_id"] != _NOBODY)
        ints = ["assignments", "customers_assigned", "assigned_minor", "recovered_minor",
                "customers_paid", "promises_made", "promised_minor", "kept_minor",
                "promises_kept", "promises_broken", "promises_pending"]
        out[ints] = out[ints].fillna(0).astype("int64")
        judged = out["promises_kept"] + out["promises_broken"]
        out["promise_kept_rate"] = (out["promises_kept"] / judged.where(judged > 0)).astype(
            "float64")
    rate = out["recovered_minor"] / out["assigned_minor"].where(out["assigned_minor"] > 0)
    out.insert(out.columns.get_loc("recovered_minor") + 1, "recovery_rate", rate.astype("float64"))
    return out.sort_values(["recovered_minor", "collector_id"], ascending=[False, True],
                           kind="stable", na_position="last").reset_index(drop=True)
