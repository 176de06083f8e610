"""Cohort views of repayment: vintage curves, first-payment default, collection multiplier.

Each sorts the ledger once (:mod:`creditkit.aging.ledger`) and evaluates the
allocation state at the dates it needs (month ends, or due date + x).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditkit.aging.cumsums import member, sum_at
from creditkit.aging.ledger import balances_at, build_ledger, check_mode, day_to_ts
from creditkit.aging.metrics import cash_received, month_ends, period_ledger
from creditkit.checks import date_to_day
from creditkit.deprecation import renamed_keywords
from creditkit.exceptions import ParameterError

__all__ = ["collection_multiplier", "fpd", "vintage"]


def _days_between_checks(x: int, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, int | np.integer) or x < 0:
        raise ParameterError(f"{name} must be a whole number of days >= 0, got {x!r}")
    return int(x)


def vintage(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    dpd: int = 30,
    ever: bool = False,
    mode: str = "fifo",
    max_mob: int | None = None,
) -> pd.DataFrame:
    """Vintage curves (账龄分析): by origination month and months on book (MOB).

    A bill's vintage is the month of its ``issue_date``; MOB k is the k-th
    month end after that month's end (MOB 0 = the origination month end). The
    metric at (vintage, MOB) is the share of the vintage's original amount

    * ``ever=False``: outstanding at that month end on bills more than
      ``dpd`` days past due (e.g. "30+ dpd balance / principal");
    * ``ever=True``: on bills that have been more than ``dpd`` days past due
      at any month end up to then (e.g. "ever 90+"), counted at full amount.

    Returns
    -------
    DataFrame
        ``vintage`` (month, ``YYYY-MM``), ``mob``, ``as_of``, ``amount_minor``
        (vintage principal), ``bad_minor``, ``rate``.

    Raises
    ------
    ParameterError
        ``dpd`` not a whole number ≥ 0, bad ``as_of`` or ``mode``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["I1", "I1"],
    ...     "customer_id": ["A", "A"], "issue_date": d(["2025-01-05", "2025-01-05"]),
    ...     "due_date": d(["2025-01-20", "2025-02-20"]), "amount_minor": [500, 500],
    ...     "currency": ["CNY", "CNY"]})
    >>> from creditkit.schema import empty
    >>> v = vintage(bills, empty("payments").astype({"amount_minor": "int64"}),
    ...             as_of="2025-03-31", dpd=30)
    >>> v["mob"].tolist(), v["rate"].tolist()
    ([0, 1, 2], [0.0, 0.5, 1.0])
    """
    check_mode(mode)
    x = _days_between_checks(dpd, "dpd")
    end = date_to_day(as_of)
    led = build_ledger(bills, payments, end)
    if len(led.bills.rows) == 0:
        return pd.DataFrame(columns=["vintage", "mob", "as_of", "amount_minor", "bad_minor",
                                     "rate"])
    issue_m = led.bills.issue_day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    ends = month_ends(day_to_ts(int(led.bills.issue_day.min())), day_to_ts(end))
    ends_m = np.array([e.to_datetime64() for e in ends]).astype("datetime64[M]").astype(np.int64)
    vm, vinv = np.unique(issue_m, return_inverse=True)
    principal = sum_at(vinv, led.bills.amount, len(vm))
    ever_bad = np.zeros(len(led.bills.rows), bool)
    rows = []
    for e, em in zip(ends, ends_m, strict=True):
        day = date_to_day(e)
        out, _ = balances_at(led, day, mode)
        bad_now = (out > 0) & (day - led.bills.due_day > x)
        ever_bad |= bad_now
        val = np.where(ever_bad, led.bills.amount, 0) if ever else np.where(bad_now, out, 0)
        live = vm <= em
        bad = sum_at(vinv, val, len(vm))
        mob = em - vm
        if max_mob is not None:
            live &= mob <= max_mob
        for j in np.flatnonzero(live):
            rows.append((vm[j], int(mob[j]), e, int(principal[j]), int(bad[j])))
    res = pd.DataFrame(rows, columns=["vm", "mob", "as_of", "amount_minor", "bad_minor"])
    res.insert(0, "vintage", pd.PeriodIndex.from_ordinals(res.pop("vm"), freq="M").astype(str))
    res["mob"] = res["mob"].astype("int64")
    res["rate"] = np.divide(res["bad_minor"].to_numpy(), res["amount_minor"].to_numpy(),
                            out=np.full(len(res), np.nan), where=res["amount_minor"].to_numpy() > 0)
    return res.sort_values(["vintage", "mob"], ignore_index=True)


@renamed_keywords(x="dpd")
def fpd(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    dpd: int = 30,
    mode: str = "fifo",
) -> pd.DataFrame:
    """First-payment default FPD(dpd) (首逾) by origination month.

    An invoice (loan or order) is in first-payment default when its first
    instalment (earliest due_date, then issue_date, bill_id) reaches ``dpd``
    days past due: it still has an amount outstanding ``dpd`` days after its
    due date (FPD30: ``dpd=30``). Only invoices whose first instalment's due
    date + ``dpd`` is on or before ``as_of`` are observed.

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical tables (see :func:`creditkit.aging.allocate_payments`).
    as_of : date-like
    dpd : int, default 30
        The days past due a first instalment must reach to count as a
        first-payment default (``x=`` is its deprecated name).
    mode : {"fifo", "explicit"}

    Cost: the ledger is sorted once and evaluated at month ends; an
    instalment still open at the month end before its observation date and
    paid by the one after is settled exactly, on a ledger of its customers
    only (per-customer purity), once per distinct observation date. So is an
    instalment whose outstanding amount may grow between the two month ends
    (its customer gets a bill that sorts before it, or a bill a payment had
    named in advance, so cash moves away from it): the result is exact.

    Returns
    -------
    DataFrame
        ``vintage`` (issue month of the first instalment), ``n_loans``,
        ``n_fpd``, ``fpd_rate``, ``amount_minor`` (first instalments),
        ``fpd_amount_minor`` (amount of the first instalments in default),
        ``amount_fpd_rate``.

    Raises
    ------
    ParameterError
        ``dpd`` not a whole number ≥ 0, bad ``as_of`` or ``mode``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["I1", "I2"],
    ...     "customer_id": ["A", "B"], "issue_date": d(["2025-01-05", "2025-01-06"]),
    ...     "due_date": d(["2025-02-05", "2025-02-06"]), "amount_minor": [500, 500],
    ...     "currency": ["CNY", "CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-02-05"]), "amount_minor": [500], "currency": ["CNY"]})
    >>> out = fpd(bills, pays, as_of="2025-06-30", dpd=30)
    >>> int(out["n_loans"].iloc[0]), int(out["n_fpd"].iloc[0]), float(out["fpd_rate"].iloc[0])
    (2, 1, 0.5)
    """
    check_mode(mode)
    x = _days_between_checks(dpd, "dpd")
    end = date_to_day(as_of)
    led = build_ledger(bills, payments, end)
    inv = bills["invoice_id"].take(led.bills.rows)
    codes, _ = pd.factorize(pd.MultiIndex.from_arrays(
        [inv.astype(object).to_numpy(), led.bills.group]))
    # canonical order is (group, due, issue, bill_id): the first row of each invoice is its first
    first_mask = np.zeros(len(codes), bool)
    _, first_idx = np.unique(codes, return_index=True)
    first_mask[first_idx] = True
    obs = led.bills.due_day + x
    sel = np.flatnonzero(first_mask & (obs <= end))
    bad = _unpaid_at(bills, payments, led, sel, obs[sel], end, mode)
    vm = led.bills.issue_day[sel].astype("datetime64[D]").astype("datetime64[M]")
    amt = led.bills.amount[sel]
    df = pd.DataFrame({"vintage": pd.PeriodIndex(vm, freq="M").astype(str),
                       "bad": bad, "amount_minor": amt,
                       "fpd_amount_minor": np.where(bad, amt, 0)})
    g = df.groupby("vintage", sort=True)
    res = pd.DataFrame({"n_loans": g.size(), "n_fpd": g["bad"].sum().astype(int),
                        "amount_minor": g["amount_minor"].sum(),
                        "fpd_amount_minor": g["fpd_amount_minor"].sum()}).reset_index()
    res.insert(3, "fpd_rate", res["n_fpd"] / res["n_loans"])
    res["amount_fpd_rate"] = res["fpd_amount_minor"] / res["amount_minor"].replace(0, np.nan)
    return res


def _unpaid_at(bills, payments, led, sel, obs, end, mode) -> np.ndarray:
    """Whether canonical bills ``sel`` still owe something on their day ``obs``."""
    bad = np.zeros(len(sel), dtype=bool)
    if len(sel) == 0:
        return bad
    grid = np.array([date_to_day(e) for e in month_ends(day_to_ts(int(obs.min())),
                                                   day_to_ts(end))], dtype=np.int64)
    grid = np.unique(np.r_[grid, end])
    hi = np.searchsorted(grid, obs, side="left")
    out_hi = np.zeros(len(sel), np.int64)
    out_lo = np.ones(len(sel), np.int64)
    for k, day in enumerate(grid):  # one state per month end
        o = balances_at(led, int(day), mode)[0][sel]
        out_hi[hi == k] = o[hi == k]
        lo = hi - 1 == k
        out_lo[lo] = np.where(led.bills.issue_day[sel[lo]] <= day, o[lo], 1)
    exact = grid[hi] == obs
    bad[out_hi > 0] = True
    todo = np.flatnonzero(~exact & (((out_hi == 0) & (out_lo > 0))
                                    | _may_grow(led, sel, grid, hi)))
    if len(todo) == 0:
        return bad
    # settle the rest exactly on the ledger of their customers alone
    cust = led.customers.take(led.bills.group[sel[todo]] // max(len(led.currencies), 1))
    bmask = bills["customer_id"].isin(cust)
    sub_b = bills[bmask]
    pmask = payments["customer_id"].isin(cust) if "customer_id" in payments.columns else \
        pd.Series(False, index=payments.index)
    if "bill_id" in payments.columns:
        pmask |= payments["customer_id"].isna() & payments["bill_id"].isin(sub_b["bill_id"])
    sub = build_ledger(sub_b, payments[pmask], end)
    ids = bills["bill_id"].take(led.bills.rows[sel[todo]])
    where = pd.Index(sub_b["bill_id"].take(sub.bills.rows)).get_indexer(ids)
    for day in np.unique(obs[todo]):  # only instalments settled between two month ends
        here = obs[todo] == day
        bad[todo[here]] = balances_at(sub, int(day), mode)[0][where[here]] > 0
    return bad


def _may_grow(led, sel, grid, hi) -> np.ndarray:
    """Whether the outstanding of canonical bills ``sel`` may grow in (grid[hi-1], grid[hi]].

    A bill's outstanding only grows when its group gets a bill in that window
    that sorts before it (FIFO or its invoice then pour cash there first), or a
    bill that a payment named before it was issued (the cash moves to it).
    """
    n_win = len(grid) + 1
    win = np.searchsorted(grid, led.bills.issue_day, side="left")  # window each bill appears in
    key = led.bills.group * n_win + win
    o = np.argsort(key, kind="stable")  # canonical index ascending within a key
    ks, first = np.unique(key[o], return_index=True)
    min_idx = o[first]  # the first (canonical) bill appearing in each (group, window)
    want = led.bills.group[sel] * n_win + hi
    pos = np.minimum(np.searchsorted(ks, want), len(ks) - 1)
    risky = (ks[pos] == want) & (min_idx[pos] < sel)
    # paid before its bill was issued
    pre = led.bill_refs.effective_day > led.payments.paid_day[led.bill_refs.payment]
    if pre.any():
        pkey = np.unique(led.bills.group[led.bill_refs.bill[pre]] * n_win
                         + np.searchsorted(grid, led.bill_refs.effective_day[pre], side="left"))
        risky |= member(want, pkey)
    return risky


def collection_multiplier(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    dates: Sequence[object],
) -> pd.DataFrame:
    """Collection multiplier per period: cash received / amount falling due.

    There is no single standard definition; we use the one common in
    consumer instalment servicing: cash collected in the period (payments,
    not credit notes or write-offs) divided by the amount of bills whose due
    date falls in the period. 1.0 collects exactly what falls due; above 1
    arrears are being worked down; below 1 they build up. It complements the
    CEI (:func:`creditkit.aging.cei`), which relates collections to what was
    collectable.

    Returns
    -------
    DataFrame
        ``as_of`` (period end), ``paid_minor`` (cash, payments of kind
        ``payment``), ``due_minor``, ``multiplier``.

    Raises
    ------
    ParameterError
        Fewer than two dates, dates not increasing, several currencies.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["B1"], "customer_id": ["A"],
    ...     "issue_date": d(["2025-01-05"]), "due_date": d(["2025-02-05"]),
    ...     "amount_minor": [1000], "currency": ["CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-02-10"]), "amount_minor": [800], "currency": ["CNY"]})
    >>> m = collection_multiplier(bills, pays, dates=["2025-01-31", "2025-02-28"])
    >>> m["multiplier"].tolist()
    [0.8]
    """
    days, led = period_ledger(bills, payments, dates, "collection_multiplier")
    rows = []
    for a, b in itertools.pairwise(days):
        cash = cash_received(led, a, b)
        due = int(led.bills.amount[(led.bills.due_day > a) & (led.bills.due_day <= b)].sum())
        rows.append({"as_of": day_to_ts(b), "paid_minor": cash, "due_minor": due,
                     "multiplier": cash / due if due else np.nan})
    return pd.DataFrame(rows)
