"""Aging (账龄) as of one date: per bill, per customer and per portfolio.

``dpd`` = as_of − due_date in days. Each bill's outstanding amount falls in one
bucket (``current`` for dpd ≤ 0, so buckets always add up to the outstanding
amount). With ``basis="issue"`` the bucket is taken on ``age`` = as_of −
issue_date instead (ERPNext's "Posting Date" ageing); ``dpd`` and past due stay
on the due date. Allocation follows :func:`creditkit.aging.allocate_payments`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditkit.aging.allocation import group_frame, group_payment_sums
from creditkit.aging.buckets import Buckets, resolve_buckets
from creditkit.aging.cumsums import seg_sum, sum_at
from creditkit.aging.ledger import (
    Ledger,
    State,
    build_ledger,
    check_mode,
    state_at,
)
from creditkit.checks import date_to_day
from creditkit.exceptions import ParameterError

__all__ = ["bill_aging", "customer_aging", "portfolio_aging", "worst_customers"]

BASES = ("due", "issue")


def check_basis(basis: str) -> str:
    if basis not in BASES:
        raise ParameterError(f"unknown aging basis {basis!r}; expected one of {BASES}")
    return basis


def bucket_codes(led: Ledger, st: State, b: Buckets, basis: str) -> tuple[np.ndarray, np.ndarray]:
    """(dpd, bucket code) per canonical bill; code −1 where nothing is outstanding."""
    dpd = st.day - led.bills.due_day
    age = dpd if basis == "due" else st.day - led.bills.issue_day
    code = b.assign(age)
    code[st.b_outstanding <= 0] = -1
    return dpd, code


def _fx_convert(fx: object, amounts: np.ndarray, currencies: np.ndarray, day: int, to: str):
    """Amounts converted to ``to`` with ``creditkit.money.FXTable`` (or a rates frame)."""
    if isinstance(fx, pd.DataFrame):
        from creditkit.money import FXTable  # money-io engineer's module

        fx = FXTable(fx)
    if not hasattr(fx, "convert"):
        raise ParameterError(
            f"fx must be a creditkit.money.FXTable or a rates DataFrame, got {type(fx).__name__}"
        )
    out = np.asarray(amounts, dtype=np.int64).copy()
    todo = np.flatnonzero((currencies != to) & (out != 0))
    if len(todo):
        on = pd.Timestamp(np.datetime64(day, "D"))
        conv = fx.convert(pd.Series(out[todo]), pd.Series(currencies[todo]), on, to=to)
        out[todo] = np.asarray(conv, dtype=np.int64)
    return out


def _prepare(bills, payments, as_of, mode, buckets, edges, basis):
    check_mode(mode)
    check_basis(basis)
    b = resolve_buckets(buckets, edges=edges)
    day = date_to_day(as_of)
    led = build_ledger(bills, payments, day)
    return b, day, led, state_at(led, day, mode)


def bill_aging(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    mode: str = "fifo",
    buckets: str | Sequence[int] | Buckets = "days",
    edges: Sequence[int] | None = None,
    basis: str = "due",
    fx: object | None = None,
    report_currency: str = "CNY",
) -> pd.DataFrame:
    """Outstanding amount, days past due and bucket of every bill as of a date.

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical tables (see :func:`allocate_payments`).
    as_of : date-like
    mode : {"fifo", "explicit"}
        Allocation mode.
    buckets, edges
        Bucket preset (``"days"``, ``"m"``, ``"five_class"`` with ``edges``)
        or a list of edges; see :func:`creditkit.aging.resolve_buckets`.
    basis : {"due", "issue"}
        Bucket on dpd (default) or on age since issue (adds an ``age`` column).
    fx : FXTable or DataFrame, optional
        Dated rates (``creditkit.money.FXTable``); adds
        ``outstanding_report_minor`` and ``report_currency`` at the as_of rate.
    report_currency : str, default "CNY"

    Returns
    -------
    DataFrame
        The bills issued on or before ``as_of``, in input order and index:
        ``bill_id``, ``invoice_id``, ``customer_id``, ``currency``,
        ``issue_date``, ``due_date``, ``amount_minor``, ``applied_minor``
        (what payments, credit notes and write-offs applied to the bill),
        ``outstanding_minor``, ``dpd``, (``age``), ``bucket`` (categorical,
        missing when nothing is outstanding).

    Raises
    ------
    SchemaError, ParameterError
        As :func:`allocate_payments`; also unknown ``basis`` or bucket preset.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["B1", "B2"],
    ...     "customer_id": ["A", "A"], "issue_date": d(["2025-01-01", "2025-02-01"]),
    ...     "due_date": d(["2025-01-31", "2025-03-31"]), "amount_minor": [1000, 500],
    ...     "currency": ["CNY", "CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-03-01"]), "amount_minor": [400], "currency": ["CNY"]})
    >>> out = bill_aging(bills, pays, as_of="2025-03-31")
    >>> out[["bill_id", "outstanding_minor", "dpd", "bucket"]].values.tolist()
    [['B1', 600, 59, '31-60'], ['B2', 500, 0, 'current']]
    """
    b, day, led, st = _prepare(bills, payments, as_of, mode, buckets, edges, basis)
    dpd, code = bucket_codes(led, st, b, basis)
    keep = np.zeros(len(bills), dtype=bool)
    keep[led.bills.rows] = True
    pos = np.cumsum(keep) - 1
    at = pos[led.bills.rows]  # output position of each canonical bill

    def scatter(values: np.ndarray) -> np.ndarray:
        out = np.empty(len(values), dtype=values.dtype)
        out[at] = values
        return out

    cols = ["bill_id", "invoice_id", "customer_id", "currency", "issue_date", "due_date",
            "amount_minor"]
    out = bills[cols] if keep.all() else bills.loc[keep, cols]
    out = out.copy()
    outstanding = scatter(st.b_outstanding)
    out["applied_minor"] = out["amount_minor"].to_numpy(dtype=np.int64) - outstanding
    out["outstanding_minor"] = outstanding
    out["dpd"] = scatter(dpd)
    if basis == "issue":
        out["age"] = scatter(day - led.bills.issue_day)
    out["bucket"] = pd.Categorical.from_codes(scatter(code), categories=list(b.labels))
    if fx is not None:
        out["outstanding_report_minor"] = _fx_convert(
            fx, outstanding, out["currency"].to_numpy(dtype=object), day, report_currency)
        out["report_currency"] = report_currency
    return out


def customer_aging(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    mode: str = "fifo",
    buckets: str | Sequence[int] | Buckets = "days",
    edges: Sequence[int] | None = None,
    basis: str = "due",
    fx: object | None = None,
    report_currency: str = "CNY",
) -> pd.DataFrame:
    """Per customer (and currency): outstanding, unapplied, net balance, buckets, worst dpd.

    Parameters are those of :func:`bill_aging`. Without ``fx`` there is one
    row per (customer_id, currency); with ``fx`` every amount is converted to
    ``report_currency`` at the as_of rate (bill by bill, so the buckets still
    add up) and there is one row per customer.

    Returns
    -------
    DataFrame
        Sorted by customer_id, currency: ``billed_minor`` (bills issued by
        as_of), ``outstanding_minor``, ``unapplied_minor``,
        ``net_balance_minor`` (= outstanding − unapplied; negative is a credit
        balance), ``past_due_minor`` (outstanding with dpd > 0), one column per
        bucket label, ``worst_dpd`` (largest dpd of an outstanding bill, 0 if
        none is past due), ``bucket`` (the bucket of ``worst_dpd``, missing when
        nothing is outstanding), then what the customer settled by as_of,
        applied to bills or not: ``paid_minor`` (cash, payments of kind
        ``payment``), ``credited_minor`` (credit notes), ``written_off_minor``
        (write-offs) and their sum ``settled_minor``
        (``net_balance_minor`` = ``billed_minor`` − ``settled_minor``).

    Raises
    ------
    SchemaError, ParameterError
        As :func:`bill_aging`.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["B1"], "customer_id": ["A"],
    ...     "issue_date": d(["2025-01-01"]), "due_date": d(["2025-01-31"]),
    ...     "amount_minor": [1000], "currency": ["CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-02-01"]), "amount_minor": [300], "currency": ["CNY"]})
    >>> row = customer_aging(bills, pays, as_of="2025-03-31").iloc[0]
    >>> int(row["outstanding_minor"]), int(row["31-60"]), int(row["worst_dpd"])
    (700, 700, 59)
    """
    b, day, led, st = _prepare(bills, payments, as_of, mode, buckets, edges, basis)
    dpd, code = bucket_codes(led, st, b, basis)
    out_amt = st.b_outstanding
    sums = group_payment_sums(led, st)
    has = np.flatnonzero((np.diff(led.bills.group_start) > 0)
                         | (np.diff(led.payments.group_start) > 0))
    amt = np.where(st.b_exists, led.bills.amount, 0)
    if fx is not None:
        cur_names = led.currencies.to_numpy(dtype=object)
        ncur = max(len(led.currencies), 1)
        cur = cur_names[led.bills.group % ncur]
        out_amt = _fx_convert(fx, out_amt, cur, day, report_currency)
        amt = _fx_convert(fx, amt, cur, day, report_currency)
        gcur = cur_names[has % ncur]
        sums = {k: _fx_convert(fx, v[has], gcur, day, report_currency) for k, v in sums.items()}
    else:
        sums = {k: v[has] for k, v in sums.items()}
    res = group_frame(led, has)
    res["billed_minor"] = seg_sum(led.bills.group_start, amt)[has]
    res["outstanding_minor"] = seg_sum(led.bills.group_start, out_amt)[has]
    for col in ("unapplied_minor", "paid_minor", "credited_minor", "written_off_minor",
                "settled_minor"):
        res[col] = sums[col]
    res["net_balance_minor"] = res["outstanding_minor"] - res["unapplied_minor"]
    res["past_due_minor"] = seg_sum(led.bills.group_start, np.where(dpd > 0, out_amt, 0))[has]
    for k, lab in enumerate(b.labels):
        res[lab] = seg_sum(led.bills.group_start, np.where(code == k, out_amt, 0))[has]
    worst = worst_dpd(led, st.b_outstanding, dpd)
    res["worst_dpd"] = np.maximum(worst, 0)[has]
    wc = b.assign(np.maximum(worst, 0))
    wc[worst == np.iinfo(np.int64).min] = -1
    res["bucket"] = pd.Categorical.from_codes(wc[has], categories=list(b.labels))
    res = res[["customer_id", "currency", "billed_minor", "outstanding_minor", "unapplied_minor",
               "net_balance_minor", "past_due_minor", *b.labels, "worst_dpd", "bucket",
               "paid_minor", "credited_minor", "written_off_minor", "settled_minor"]]
    if fx is not None:
        money = [c for c in res.columns if c.endswith("_minor") or c in b.labels]
        res = res.groupby("customer_id", sort=True, dropna=False).agg(
            {**{c: "sum" for c in money}, "worst_dpd": "max"}).reset_index()
        res.insert(1, "currency", report_currency)
        wc = b.assign(res["worst_dpd"].to_numpy())
        wc[res["outstanding_minor"].to_numpy() <= 0] = -1
        res["bucket"] = pd.Categorical.from_codes(wc, categories=list(b.labels))
    return res.reset_index(drop=True)


def worst_dpd(led: Ledger, outstanding: np.ndarray, dpd: np.ndarray) -> np.ndarray:
    """Per group, the dpd of its oldest-due outstanding bill (int64 min if none).

    Bills are in (due_date, …) order within a group, so the first outstanding
    bill of a group is its worst; one pass, no per-customer loop.
    """
    res = np.full(led.n_groups, np.iinfo(np.int64).min, dtype=np.int64)
    idx = np.flatnonzero(outstanding > 0)
    if len(idx):
        g = led.bills.group[idx]
        first = np.r_[True, g[1:] != g[:-1]]
        res[g[first]] = dpd[idx[first]]
    return res


def portfolio_aging(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    mode: str = "fifo",
    buckets: str | Sequence[int] | Buckets = "days",
    edges: Sequence[int] | None = None,
    basis: str = "due",
    fx: object | None = None,
    report_currency: str = "CNY",
) -> pd.DataFrame:
    """The aging summary: outstanding by bucket for the whole portfolio.

    Parameters are those of :func:`bill_aging`.

    Returns
    -------
    DataFrame
        One row per (currency, bucket), every bucket present:
        ``outstanding_minor``, ``share`` (of the currency's outstanding),
        ``n_bills`` and ``n_customers`` with an amount in that bucket. With
        ``fx`` one currency, ``report_currency``.

    Raises
    ------
    SchemaError, ParameterError
        As :func:`bill_aging`.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["B1", "B2"],
    ...     "customer_id": ["A", "B"], "issue_date": d(["2025-01-01", "2025-03-01"]),
    ...     "due_date": d(["2025-01-31", "2025-04-30"]), "amount_minor": [1000, 500],
    ...     "currency": ["CNY", "CNY"]})
    >>> from creditkit.schema import empty
    >>> pays = empty("payments").astype({"amount_minor": "int64"})
    >>> t = portfolio_aging(bills, pays, as_of="2025-03-31")
    >>> t.set_index("bucket")["outstanding_minor"].loc[["current", "31-60"]].tolist()
    [500, 1000]
    """
    b, day, led, st = _prepare(bills, payments, as_of, mode, buckets, edges, basis)
    _, code = bucket_codes(led, st, b, basis)
    ncur = max(len(led.currencies), 1)
    cur = led.bills.group % ncur
    amt = st.b_outstanding
    if fx is not None:
        amt = _fx_convert(fx, amt, led.currencies.to_numpy(dtype=object)[cur], day,
                          report_currency)
        cur = np.zeros(len(cur), dtype=np.int64)
        names = np.array([report_currency], dtype=object)
        ncur = 1
    else:
        names = led.currencies.to_numpy(dtype=object)
    nbk = len(b.labels)
    live = code >= 0
    key = cur[live] * nbk + code[live]
    total = sum_at(key, amt[live], ncur * nbk)
    n_bills = np.bincount(key, minlength=ncur * nbk)
    cust_key = np.unique(key * led.n_groups + led.bills.group[live]) // led.n_groups
    n_cust = np.bincount(cust_key, minlength=ncur * nbk)
    present = np.unique(cur) if len(cur) else np.zeros(0, np.int64)
    rows = (present[:, None] * nbk + np.arange(nbk)[None, :]).ravel()
    res = pd.DataFrame({
        "currency": names[rows // nbk],
        "bucket": pd.Categorical.from_codes(rows % nbk, categories=list(b.labels)),
        "outstanding_minor": total[rows],
        "n_bills": n_bills[rows],
        "n_customers": n_cust[rows],
    })
    cur_tot = res.groupby("currency")["outstanding_minor"].transform("sum").to_numpy()
    res.insert(3, "share", np.divide(res["outstanding_minor"].to_numpy(), cur_tot,
                                     out=np.zeros(len(res)), where=cur_tot > 0))
    return res


def worst_customers(
    aging: pd.DataFrame,
    *,
    customers: pd.DataFrame | None = None,
    n: int = 20,
) -> pd.DataFrame:
    """The ``n`` customers with the most past due, worst first, names masked.

    Parameters
    ----------
    aging : DataFrame
        From :func:`customer_aging`.
    customers : DataFrame, optional
        The customers table; its ``name`` is attached masked
        (``creditkit.privacy.mask_pii``), so the table is safe in reports.
    n : int, default 20

    Returns
    -------
    DataFrame
        ``customer_id``, (``name``), ``currency``, ``outstanding_minor``,
        ``past_due_minor``, ``unapplied_minor``, ``worst_dpd``, ``bucket`` of the
        customers with something past due, most past due first (then worst dpd).

    Raises
    ------
    ParameterError
        ``n`` not a positive int, ``aging`` lacking the columns.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"customer_id": ["A", "B"], "currency": ["CNY"] * 2,
    ...     "past_due_minor": [5, 9], "worst_dpd": [40, 3], "outstanding_minor": [5, 9]})
    >>> c = pd.DataFrame({"customer_id": ["A", "B"], "name": ["张三", "李四"]})
    >>> worst_customers(a, customers=c)[["customer_id", "name"]].values.tolist()
    [['B', '李*'], ['A', '张*']]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ParameterError(f"n must be a positive int, got {n!r}")
    need = ["customer_id", "past_due_minor", "worst_dpd"]
    if not isinstance(aging, pd.DataFrame) or any(c not in aging.columns for c in need):
        raise ParameterError(f"worst_customers needs the table of customer_aging (columns {need})")
    cols = [c for c in ("customer_id", "currency", "outstanding_minor", "past_due_minor",
                        "unapplied_minor", "worst_dpd", "bucket") if c in aging.columns]
    top = aging.loc[aging["past_due_minor"] > 0, cols].sort_values(
        ["past_due_minor", "worst_dpd", "customer_id"], ascending=[False, False, True]).head(n)
    if customers is not None and "name" in customers.columns:
        from creditkit.privacy import mask_pii

        names = mask_pii(customers[["customer_id", "name"]].drop_duplicates("customer_id"),
                         columns={"name": "name"})
        top = top.merge(names, on="customer_id", how="left")
        top.insert(1, "name", top.pop("name"))
    return top.reset_index(drop=True)
