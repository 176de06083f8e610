"""Aging over time: aging at many dates, roll and flow rates, vintage, FPD, cure rate.

``aging_at_dates`` sorts the ledger once (:mod:`creditkit.aging.ledger`) and
then, per date, runs only a few O(n) passes over prefix arrays (masks and a
cumulative sum): no re-sorting, no re-validation, no per-customer loop. A
customer's (account's) state at a date is its outstanding amount and its
worst dpd — under FIFO, that of its oldest-due unpaid bill, found as the first
outstanding bill of the customer in canonical order — and its bucket is the
bucket of that dpd (contractual delinquency: the whole balance sits in the
bucket of the oldest arrears, as in consumer-credit roll rates).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from creditkit.aging.aging import worst_dpd
from creditkit.aging.allocation import group_frame
from creditkit.aging.buckets import Buckets, resolve_buckets
from creditkit.aging.cumsums import seg_sum, sum_at
from creditkit.aging.ledger import (
    balances_at,
    build_ledger,
    check_mode,
    day_to_ts,
)
from creditkit.aging.metrics import sorted_days
from creditkit.deprecation import warn_deprecated
from creditkit.exceptions import ParameterError

__all__ = [
    "aging_at_dates",
    "cure_rate",
    "flow_rates",
    "roll_rate_matrix",
    "roll_rates",
]

_HIST_COLS = ("as_of", "customer_id", "currency", "outstanding_minor", "past_due_minor",
              "unapplied_minor", "worst_dpd", "bucket")


def _dates_keyword_only(func: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Accept ``dates`` as the third positional argument for one release, warning once.

    Every aging function takes the two tables positionally and everything
    else by keyword; ``aging_at_dates`` took ``dates`` positionally in 0.1.
    """

    @functools.wraps(func)
    def wrapper(bills: pd.DataFrame, payments: pd.DataFrame, *args: object,
                **kwargs: object) -> pd.DataFrame:
        if args:
            if len(args) > 1 or "dates" in kwargs:
                raise TypeError(f"{func.__name__}() takes bills and payments positionally; "
                                "pass dates= and the rest by keyword")
            warn_deprecated(f"{func.__name__}(bills, payments, dates)",
                            f"{func.__name__}(bills, payments, dates=...)")
            kwargs["dates"] = args[0]
        return func(bills, payments, **kwargs)

    return wrapper


@_dates_keyword_only
def aging_at_dates(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    dates: Sequence[object],
    mode: str = "fifo",
    buckets: str | Sequence[int] | Buckets = "m",
    edges: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Customer aging at each of ``dates`` (e.g. month ends), computed in one sort.

    The state at each date is exactly that of :func:`customer_aging` at that
    date (same allocation rule), but the ledger is validated and sorted once.

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical tables.
    dates : sequence of date-like
        Increasing dates, e.g. :func:`creditkit.aging.month_ends`; keyword
        only, like every argument after the two tables (passing it third
        positionally is deprecated).
    mode : {"fifo", "explicit"}
    buckets, edges
        Bucket preset or edges (default ``"m"``: M0 … M7).

    Returns
    -------
    DataFrame
        One row per (as_of, customer_id, currency) with something outstanding
        or unapplied at that date: ``outstanding_minor``, ``past_due_minor``,
        ``unapplied_minor``, ``worst_dpd`` (≥ 0), ``bucket`` (the account's
        bucket, of worst_dpd; missing when nothing is outstanding), then one
        column per bucket label with the outstanding of the customer's bills
        in that bucket (bill by bill, as :func:`customer_aging`; they add up to
        ``outstanding_minor``), and ``into_last_minor``: the outstanding of
        bills that reached the last bucket since the previous date from the
        bucket before it (0 at the first date), for :func:`flow_rates`. A
        customer absent at a date owes nothing then.

    Raises
    ------
    SchemaError, ParameterError
        As :func:`allocate_payments`; dates not increasing.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["B1"], "customer_id": ["A"],
    ...     "issue_date": d(["2025-01-01"]), "due_date": d(["2025-01-31"]),
    ...     "amount_minor": [1000], "currency": ["CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-03-10"]), "amount_minor": [1000], "currency": ["CNY"]})
    >>> h = aging_at_dates(bills, pays, dates=["2025-01-31", "2025-02-28", "2025-03-31"])
    >>> h[["outstanding_minor", "bucket"]].astype(str).values.tolist()
    [['1000', 'M0'], ['1000', 'M1']]
    """
    check_mode(mode)
    b = resolve_buckets(buckets, edges=edges)
    days = sorted_days(dates)
    if not days:
        raise ParameterError("dates is empty; give at least one date")
    led = build_ledger(bills, payments, days[-1])
    parts = []
    top = b.edges[-1]  # the last bucket holds dpd > top; the one before it dpd > low
    low = b.edges[-2] if len(b.edges) > 1 else np.iinfo(np.int64).min
    prev = None
    for day in days:  # a few O(n) array passes per date
        out, un_g = balances_at(led, day, mode)
        dpd = day - led.bills.due_day
        o_g = seg_sum(led.bills.group_start, out)
        pd_g = seg_sum(led.bills.group_start, np.where(dpd > 0, out, 0))
        worst = worst_dpd(led, out, dpd)
        has = np.flatnonzero((o_g > 0) | (un_g > 0))
        w = np.maximum(worst[has], 0)
        code = b.assign(w)
        code[o_g[has] <= 0] = -1
        mat = _bucket_amounts(led.bills.group, b.assign(dpd), out, has, len(b.labels))
        # bills that reached the last bucket since the previous date, from the one before
        back = dpd - (day - prev) if prev is not None else dpd
        came = (dpd > top) & (back <= top) & (back > low) & (prev is not None)
        into = seg_sum(led.bills.group_start, np.where(came, out, 0))[has]
        parts.append((day, has, o_g[has], pd_g[has], un_g[has], w, code, mat, into))
        prev = day
    has = np.concatenate([p[1] for p in parts]).astype(np.int64)
    res = group_frame(led, has)
    res.insert(0, "as_of", np.repeat(day_to_ts(np.array([p[0] for p in parts])),
                                     [len(p[1]) for p in parts]))
    res["outstanding_minor"] = np.concatenate([p[2] for p in parts]).astype(np.int64)
    res["past_due_minor"] = np.concatenate([p[3] for p in parts]).astype(np.int64)
    res["unapplied_minor"] = np.concatenate([p[4] for p in parts]).astype(np.int64)
    res["worst_dpd"] = np.concatenate([p[5] for p in parts]).astype(np.int64)
    res["bucket"] = pd.Categorical.from_codes(
        np.concatenate([p[6] for p in parts]).astype(np.int8), categories=list(b.labels))
    mats = np.concatenate([p[7] for p in parts]) if parts else np.zeros((0, len(b.labels)))
    for k, lab in enumerate(b.labels):
        res[lab] = mats[:, k].astype(np.int64)
    res["into_last_minor"] = np.concatenate([p[8] for p in parts]).astype(np.int64)
    return res


def _bucket_amounts(grp: np.ndarray, code: np.ndarray, out: np.ndarray, has: np.ndarray,
                    nbk: int) -> np.ndarray:
    """Outstanding per (group in ``has``, bill bucket), one pass.

    Within a group bills run in due-date order, so their bucket codes never
    increase: every (group, bucket) is one contiguous run, summed with reduceat.
    """
    res = np.zeros((len(has), nbk), dtype=np.int64)
    if len(grp) == 0 or len(has) == 0:
        return res
    key = grp * nbk + code
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sums = np.add.reduceat(out, starts)
    g, c = grp[starts], code[starts].astype(np.int64)
    row = np.searchsorted(has, g)
    ok = (row < len(has)) & (has[np.minimum(row, len(has) - 1)] == g) & (sums != 0)
    res[row[ok], c[ok]] = sums[ok]
    return res


def _check_history(history: pd.DataFrame) -> None:
    if not isinstance(history, pd.DataFrame):
        raise ParameterError(f"history must be a DataFrame from aging_at_dates, got "
                             f"{type(history).__name__}")
    missing = [c for c in _HIST_COLS if c not in history.columns]
    if missing:
        raise ParameterError(
            f"history lacks column(s) {missing}; got {list(history.columns)}; "
            "build it with creditkit.aging.aging_at_dates")


def _dated_keys(history: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(account key per row, sorted dates, date index per row, number of keys)."""
    cust, _ = pd.factorize(history["customer_id"], use_na_sentinel=False)
    cur, cur_u = pd.factorize(history["currency"], use_na_sentinel=False)
    key = cust.astype(np.int64) * max(len(cur_u), 1) + cur
    dates = history["as_of"].to_numpy()
    udates = np.unique(dates)
    return key, udates, np.searchsorted(udates, dates), int(key.max()) + 1 if len(key) else 1


def roll_rates(history: pd.DataFrame) -> pd.DataFrame:
    """Roll-rate table (滚动率) between consecutive dates of an aging history.

    For each pair of consecutive dates, customers are counted from their
    bucket at the earlier date to their bucket at the later one. A customer
    owing nothing at the earlier date comes from ``new``; one owing nothing
    at the later date goes to ``closed``.

    Parameters
    ----------
    history : DataFrame
        From :func:`aging_at_dates`.

    Returns
    -------
    DataFrame
        ``from_date``, ``to_date``, ``from_bucket``, ``to_bucket``, ``count``,
        ``outstanding_minor`` (outstanding at the earlier date; at the later date
        for ``new``) — long form, see :func:`roll_rate_matrix` for the matrix.

    Raises
    ------
    ParameterError
        Not an aging history.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-02-28"]),
    ...     "customer_id": ["A", "A"], "currency": ["CNY", "CNY"],
    ...     "outstanding_minor": [100, 100], "past_due_minor": [0, 100],
    ...     "unapplied_minor": [0, 0], "worst_dpd": [0, 28],
    ...     "bucket": pd.Categorical(["M0", "M1"], categories=["M0", "M1"])})
    >>> roll_rates(h)[["from_bucket", "to_bucket", "count"]].values.tolist()
    [['M0', 'M1', 1]]
    """
    _check_history(history)
    bucket = history["bucket"]
    if not isinstance(bucket.dtype, pd.CategoricalDtype):
        bucket = bucket.astype("category")
    labels = list(bucket.cat.categories)
    cats_from = ["new", *labels]
    cats_to = [*labels, "closed"]
    nb = len(labels)
    key, udates, di, nkey = _dated_keys(history)
    code = bucket.cat.codes.to_numpy().astype(np.int64)
    bal = history["outstanding_minor"].to_numpy(dtype=np.int64)
    rows = []
    for i in range(1, len(udates)):  # per date pair, vectorised over customers
        a = di == i - 1
        z = di == i
        fa = np.full(nkey, -1, np.int64)
        fb = np.full(nkey, -1, np.int64)
        ba = np.zeros(nkey, np.int64)
        bb = np.zeros(nkey, np.int64)
        fa[key[a]] = code[a]
        ba[key[a]] = bal[a]
        fb[key[z]] = code[z]
        bb[key[z]] = bal[z]
        live = np.flatnonzero((fa >= 0) | (fb >= 0))
        f = np.where(fa[live] >= 0, fa[live] + 1, 0)  # 0 = new
        t = np.where(fb[live] >= 0, fb[live], nb)  # nb = closed
        w = np.where(fa[live] >= 0, ba[live], bb[live])
        cell = f * (nb + 1) + t
        cnt = np.bincount(cell, minlength=(nb + 1) ** 2)
        bsum = sum_at(cell, w, (nb + 1) ** 2)
        nz = np.flatnonzero(cnt)
        rows.append(pd.DataFrame({
            "from_date": udates[i - 1], "to_date": udates[i],
            "from_bucket": np.array(cats_from, dtype=object)[nz // (nb + 1)],
            "to_bucket": np.array(cats_to, dtype=object)[nz % (nb + 1)],
            "count": cnt[nz], "outstanding_minor": bsum[nz]}))
    if not rows:
        return pd.DataFrame({"from_date": pd.Series(dtype="datetime64[ns]"),
                             "to_date": pd.Series(dtype="datetime64[ns]"),
                             "from_bucket": pd.Categorical([], categories=cats_from),
                             "to_bucket": pd.Categorical([], categories=cats_to),
                             "count": pd.Series(dtype="int64"),
                             "outstanding_minor": pd.Series(dtype="int64")})
    out = pd.concat(rows, ignore_index=True)
    out["from_bucket"] = pd.Categorical(out["from_bucket"], categories=cats_from)
    out["to_bucket"] = pd.Categorical(out["to_bucket"], categories=cats_to)
    return out


def roll_rate_matrix(rolls: pd.DataFrame, *, value: str = "count",
                     normalize: bool = True) -> pd.DataFrame:
    """From-bucket × to-bucket matrix of a :func:`roll_rates` table, summed over dates.

    Parameters
    ----------
    rolls : DataFrame
        From :func:`roll_rates` (filter ``from_date`` first for one month).
    value : {"count", "outstanding"}
        Count customers, or sum their outstanding amount (``"balance"`` is
        the deprecated spelling of ``"outstanding"``).
    normalize : bool, default True
        Divide each row by its total (share of the from-bucket moving to each
        to-bucket).

    Raises
    ------
    ParameterError
        Unknown ``value``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"from_bucket": ["M0", "M0"], "to_bucket": ["M0", "M1"],
    ...     "count": [3, 1], "outstanding_minor": [30, 10]})
    >>> roll_rate_matrix(r).loc["M0", "M1"]
    np.float64(0.25)
    """
    if value == "balance":
        warn_deprecated('roll_rate_matrix(value="balance")',
                        'roll_rate_matrix(value="outstanding")')
        value = "outstanding"
    cols = {"count": "count", "outstanding": "outstanding_minor"}
    if value not in cols:
        raise ParameterError(f"value must be one of {sorted(cols)}, got {value!r}")
    m = rolls.pivot_table(index="from_bucket", columns="to_bucket", values=cols[value],
                          aggfunc="sum", fill_value=0, observed=False)
    if normalize:
        tot = m.sum(axis=1).replace(0, np.nan)
        m = m.div(tot, axis=0).fillna(0.0)
    return m


def bucket_balances(history: pd.DataFrame, *, by: Sequence[str] = ("as_of",)) -> pd.DataFrame:
    """Outstanding per bucket (columns) by ``by``: bill by bill from the history's
    bucket columns, or by account bucket when a history lacks them."""
    labels = list(history["bucket"].cat.categories) if isinstance(
        history["bucket"].dtype, pd.CategoricalDtype) else []
    if labels and all(lab in history.columns for lab in labels):
        return history.groupby(list(by), sort=True)[labels].sum()
    return history.pivot_table(index=list(by), columns="bucket", values="outstanding_minor",
                               aggfunc="sum", fill_value=0, observed=False)


def flow_rates(history: pd.DataFrame) -> pd.DataFrame:
    """Flow rates (迁徙率): outstanding in bucket n+1 at t / outstanding in bucket n at t−1.

    Balances are bill by bill (the bucket columns of :func:`aging_at_dates`),
    so a bill's outstanding amount can only reach bucket n+1 from bucket n a month
    earlier; histories without those columns use the account buckets. The
    last, open-ended bucket (e.g. M7, 180+) also keeps what was already in it,
    so its step counts only what newly reached it (``into_last_minor`` of
    :func:`aging_at_dates`) when the history has that column; without it the
    last step is a stock ratio and can exceed 1.

    Parameters
    ----------
    history : DataFrame
        From :func:`aging_at_dates` (account-level buckets).

    Returns
    -------
    DataFrame
        Index ``as_of`` (from the second date), one column per step
        ``"M0→M1"`` …; NaN where the earlier bucket was empty.

    Raises
    ------
    ParameterError
        Not an aging history.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-02-28"]),
    ...     "customer_id": ["A", "A"], "currency": ["CNY", "CNY"],
    ...     "outstanding_minor": [200, 100], "past_due_minor": [0, 100],
    ...     "unapplied_minor": [0, 0], "worst_dpd": [0, 28],
    ...     "bucket": pd.Categorical(["M0", "M1"], categories=["M0", "M1"])})
    >>> float(flow_rates(h).iloc[0, 0])
    0.5
    """
    _check_history(history)
    bal = bucket_balances(history)
    labels = list(bal.columns)
    prev = bal.shift(1).iloc[1:]
    cur = bal.iloc[1:]
    out = pd.DataFrame(index=cur.index)
    into = None
    if "into_last_minor" in history.columns and labels and all(
            lab in history.columns for lab in labels):
        into = history.groupby("as_of", sort=True)["into_last_minor"].sum().iloc[1:]
    for a, b in itertools.pairwise(labels):
        den = prev[a].astype("float64").replace(0.0, np.nan)
        num = into if (into is not None and b == labels[-1]) else cur[b]
        out[f"{a}→{b}"] = num.astype("float64") / den
    return out


def cure_rate(history: pd.DataFrame) -> pd.DataFrame:
    """Cure rate (催回率): share of past-due customers at t−1 who are not past due at t.

    A customer is cured when it had ``worst_dpd > 0`` at the earlier date and
    at the later date owes nothing past due (current, or closed).

    Returns
    -------
    DataFrame
        ``as_of``, ``delinquent`` (count at t−1), ``cured``, ``cure_rate``,
        ``delinquent_outstanding_minor``, ``cured_outstanding_minor`` (outstanding at t−1),
        ``outstanding_cure_rate``.

    Raises
    ------
    ParameterError
        Not an aging history.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-01-31", "2025-02-28"]),
    ...     "customer_id": ["A", "B", "B"], "currency": ["CNY"] * 3,
    ...     "outstanding_minor": [100, 50, 50], "past_due_minor": [100, 50, 50],
    ...     "unapplied_minor": [0, 0, 0], "worst_dpd": [10, 10, 38],
    ...     "bucket": pd.Categorical(["M1", "M1", "M2"], categories=["M0", "M1", "M2"])})
    >>> r = cure_rate(h).iloc[0]
    >>> int(r["delinquent"]), int(r["cured"]), float(r["cure_rate"])
    (2, 1, 0.5)
    """
    _check_history(history)
    key, udates, di, nkey = _dated_keys(history)
    late = history["past_due_minor"].to_numpy(dtype=np.int64) > 0
    bal = history["outstanding_minor"].to_numpy(dtype=np.int64)
    rows = []
    for i in range(1, len(udates)):
        a, z = di == i - 1, di == i
        was = np.zeros(nkey, bool)
        was[key[a & late]] = True
        still = np.zeros(nkey, bool)
        still[key[z & late]] = True
        wb = np.zeros(nkey, np.int64)
        wb[key[a]] = bal[a]
        cured = was & ~still
        n, c = int(was.sum()), int(cured.sum())
        nb_, cb = int(wb[was].sum()), int(wb[cured].sum())
        rows.append({"as_of": udates[i], "delinquent": n, "cured": c,
                     "cure_rate": c / n if n else np.nan,
                     "delinquent_outstanding_minor": nb_, "cured_outstanding_minor": cb,
                     "outstanding_cure_rate": cb / nb_ if nb_ else np.nan})
    return pd.DataFrame(rows)
