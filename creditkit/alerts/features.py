"""What early-warning rules read: the customer features, and the few signals they lack.

:func:`alert_features` is :func:`creditkit.segmentation.customer_features`
(score, pd, dpd, dpd history, utilisation, broken promises, …: each from its
owner) plus, computed here from the canonical tables known at ``as_of``
(bills issued, payments and transactions dated on or before it), vectorised:

``late_streak``
    Consecutive late payments: of the customer's bills due before ``as_of``
    (fees left out), oldest due first, how many of the latest in a row were
    cleared after their due date or are still open. A bill's clearing day is
    the date of the payment, credit note or write-off that completed it in
    the ledger engine's allocation (:func:`creditkit.aging.allocate_payments`).
``utilisation_change_1m``
    Utilisation at ``as_of`` minus utilisation one calendar month earlier
    (outstanding in the customer's currency from
    :func:`creditkit.aging.customer_aging` at both dates, over the credit
    limit); missing without a limit.
``spend_1m_minor``, ``spend_ratio_1m``
    Spending in the last month; and that over the customer's own mean
    monthly spending in the 6 months before it (missing when those 6 months
    hold no spending, or without a transactions table).
``failed_debits_30d``
    Failed auto-debit attempts (``status`` ``failed`` or ``returned``) dated
    in the last 30 days: from the optional ``debit_attempts`` table (every
    attempt, as a payment processor logs them) when given, otherwise from
    payments of channel ``auto_debit`` carrying a ``status`` column; missing
    when neither records failures (none is assumed).
``new_channel_30d``
    True when cash was received in the last 30 days through a channel the
    customer had not paid through in the 12 months before, having paid then.
``score_drop``
    Points at the previous evaluation minus points today, when both come
    from the same card (B or C); missing without a previous evaluation.

Examples
--------
>>> alert_fields()["late_streak"], alert_fields()["new_channel_30d"]
('number', 'flag')
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from creditkit.aging import allocate_payments, customer_aging
from creditkit.checks import check_as_of
from creditkit.collections.channels import DEBIT_STATUSES
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.segmentation import customer_features, feature_fields

__all__ = ["ALERT_FEATURES", "alert_features", "alert_fields"]

#: The columns :func:`alert_features` adds to the customer features, with what they hold.
ALERT_FEATURES: dict[str, str] = {
    "late_streak": "number", "utilisation_change_1m": "number", "spend_1m_minor": "number",
    "spend_ratio_1m": "number", "failed_debits_30d": "number", "new_channel_30d": "flag",
    "score_drop": "number"}

_SPEND_TRAIL_MONTHS = 6
_RECENT_DAYS = 30
_CHANNEL_MONTHS = 12


def alert_fields(history_months: int = 24) -> dict[str, str]:
    """Every column an alert rule may read, with what it holds ("number", "text", "flag").

    The columns of :func:`creditkit.segmentation.feature_fields` and
    :data:`ALERT_FEATURES`.

    Examples
    --------
    >>> "dpd" in alert_fields(), "score_drop" in alert_fields()
    (True, True)
    """
    return {**feature_fields(history_months), **ALERT_FEATURES}


def _days(s: pd.Series) -> np.ndarray:
    return pd.to_datetime(s).to_numpy(dtype="M8[D]").astype(np.int64)


def late_streaks(bills: pd.DataFrame, payments: pd.DataFrame, as_of: pd.Timestamp,
                 ids: pd.Series) -> np.ndarray:
    """Consecutive late bills up to ``as_of`` per customer of ``ids`` (see the module)."""
    n = len(ids)
    b = bills[pd.to_datetime(bills["issue_date"]) <= as_of]
    if "kind" in b.columns:
        b = b[b["kind"].fillna("invoice") != "fee"]
    b = b[pd.to_datetime(b["due_date"]) < as_of]
    if b.empty:
        return np.zeros(n, dtype=np.int64)
    alloc = allocate_payments(bills, payments, as_of=as_of).allocations
    bill_ids = pd.Index(b["bill_id"].astype(str))
    pay_ids = pd.Index(payments["payment_id"].astype(str))
    bill = bill_ids.get_indexer(alloc["bill_id"].astype(str))
    day = _days(payments["paid_date"])[pay_ids.get_indexer(alloc["payment_id"].astype(str))]
    amount = alloc["amount_minor"].to_numpy(np.int64)
    mine = bill >= 0
    bill, day, amount = bill[mine], day[mine], amount[mine]
    order = np.lexsort((day, bill))
    bill, day, amount = bill[order], day[order], amount[order]
    cum = np.cumsum(amount)
    first = np.r_[True, bill[1:] != bill[:-1]] if len(bill) else np.zeros(0, dtype=bool)
    cum -= np.repeat(np.r_[0, cum[:-1]][first], np.diff(np.r_[np.flatnonzero(first), len(bill)]))
    full = cum >= b["amount_minor"].to_numpy(np.int64)[bill]
    done, at = np.unique(bill[full], return_index=True)  # first row of each bill that clears it
    clear = np.full(len(b), np.iinfo(np.int64).max)
    clear[done] = day[full][at]
    due = _days(b["due_date"])
    late = clear > due  # still open, or cleared after the due date
    cust = pd.Index(ids.astype(str)).get_indexer(b["customer_id"].astype(str))
    keep = cust >= 0
    cust, due, late = cust[keep], due[keep], late[keep]
    order = np.lexsort((np.flatnonzero(keep), due, cust))  # due date, then file order
    cust, late = cust[order], late[order]
    out = np.zeros(n, dtype=np.int64)
    if not len(cust):
        return out
    starts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]])
    ends = np.r_[starts[1:], len(cust)]
    last_ok = np.maximum.reduceat(np.where(~late, np.arange(len(cust)), -1), starts)
    out[cust[starts]] = ends - 1 - np.maximum(last_ok, starts - 1)
    return out


def _outstanding_own(bills: pd.DataFrame, payments: pd.DataFrame, day: pd.Timestamp,
                     ids: pd.Series, currency: pd.Series) -> np.ndarray:
    """Outstanding in the customer's own currency at ``day`` (0 with nothing)."""
    ag = customer_aging(bills, payments, as_of=day)
    own = currency.reindex(ag["customer_id"]).to_numpy()
    mine = pd.isna(own) | (ag["currency"].to_numpy() == own)
    out = ag.loc[mine].groupby("customer_id")["outstanding_minor"].sum()
    return out.reindex(ids).fillna(0).to_numpy(dtype=np.float64)


def _spending(tables: Mapping[str, pd.DataFrame], as_of: pd.Timestamp,
              ids: pd.Series) -> tuple[pd.arrays.IntegerArray, np.ndarray]:
    n = len(ids)
    t = tables.get("transactions")
    if t is None:
        return pd.array([pd.NA] * n, dtype="Int64"), np.full(n, np.nan)
    day = _days(t["txn_date"])
    last = as_of - pd.DateOffset(months=1)
    first = as_of - pd.DateOffset(months=1 + _SPEND_TRAIL_MONTHS)
    cut = [int(pd.Timestamp(x).to_datetime64().astype("M8[D]").astype(np.int64))
           for x in (first, last, as_of)]
    amount = t["amount_minor"].to_numpy(np.int64)
    cust = t["customer_id"].astype(str).to_numpy()
    recent = (day > cut[1]) & (day <= cut[2])
    trail = (day > cut[0]) & (day <= cut[1])
    now = pd.Series(amount[recent]).groupby(cust[recent]).sum().reindex(ids).fillna(0)
    before = pd.Series(amount[trail]).groupby(cust[trail]).sum().reindex(ids).fillna(0)
    base = before.to_numpy(dtype=np.float64) / _SPEND_TRAIL_MONTHS
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(base > 0, now.to_numpy(dtype=np.float64) / np.where(base > 0, base, 1),
                         np.nan)
    return pd.array(now.to_numpy(dtype=np.int64), dtype="Int64"), ratio


def _channels(payments: pd.DataFrame, as_of: pd.Timestamp,
              ids: pd.Series) -> tuple[pd.arrays.IntegerArray, np.ndarray]:
    """Failed auto-debits in the last 30 days, and payment through a channel new to the customer."""
    n = len(ids)
    p = payments[payments["customer_id"].notna() & (pd.to_datetime(payments["paid_date"])
                                                     <= as_of)]
    day = _days(p["paid_date"])
    today = int(as_of.to_datetime64().astype("M8[D]").astype(np.int64))
    recent = day > today - _RECENT_DAYS
    cust = p["customer_id"].astype(str).to_numpy()
    chan = p["channel"].astype("string").fillna("").to_numpy(dtype=object) \
        if "channel" in p.columns else np.full(len(p), "", dtype=object)
    if "status" in p.columns:
        status = p["status"].astype("string").str.strip().str.lower().fillna("succeeded")
        bad = ~status.isin(DEBIT_STATUSES)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ParameterError(f"payments row {i}: status {p['status'].iloc[i]!r} is not one of "
                                 f"{DEBIT_STATUSES} (blank = succeeded); fix it")
        failed = (status != "succeeded").to_numpy() & (chan == "auto_debit") & recent
        fails = pd.Series(failed).groupby(cust).sum().reindex(ids).fillna(0)
        failed_debits = pd.array(fails.to_numpy(dtype=np.int64), dtype="Int64")
        cash_ok = (status == "succeeded").to_numpy()
    else:
        failed_debits = pd.array([pd.NA] * n, dtype="Int64")
        cash_ok = np.ones(len(p), dtype=bool)
    if "kind" in p.columns:
        cash_ok &= (p["kind"].fillna("payment") == "payment").to_numpy()
    start = int((as_of - pd.DateOffset(months=_CHANNEL_MONTHS)).to_datetime64()
                .astype("M8[D]").astype(np.int64))
    known = cash_ok & (chan != "")
    before = known & ~recent & (day > start)
    now = known & recent
    c_code, _ = pd.factorize(cust)
    h_code, h_uniq = pd.factorize(chan)
    pair = c_code.astype(np.int64) * (len(h_uniq) + 1) + h_code
    fresh = ~np.isin(pair[now], pair[before]) & np.isin(c_code[now], c_code[before])
    moved = pd.Index(ids).isin(pd.unique(cust[now][fresh]))
    return failed_debits, np.asarray(moved, dtype=bool)


def failed_attempts(attempts: pd.DataFrame, as_of: pd.Timestamp,
                    ids: pd.Series) -> pd.arrays.IntegerArray:
    """Failed or returned debit attempts in the last 30 days per customer of ``ids``."""
    missing = [c for c in ("customer_id", "attempt_date", "status") if c not in attempts.columns]
    if missing:
        raise SchemaError(f"debit_attempts lacks column(s) {missing}; it needs customer_id, "
                          "attempt_date and status (succeeded, failed, returned)")
    status = attempts["status"].astype("string").str.strip().str.lower().fillna("succeeded")
    bad = ~status.isin(DEBIT_STATUSES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(f"debit_attempts row {i}: status {attempts['status'].iloc[i]!r} is "
                             f"not one of {DEBIT_STATUSES} (blank = succeeded); fix it")
    day = _days(attempts["attempt_date"])
    today = int(as_of.to_datetime64().astype("M8[D]").astype(np.int64))
    recent = (day > today - _RECENT_DAYS) & (day <= today) & (status != "succeeded").to_numpy()
    cust = attempts["customer_id"].astype(str).to_numpy()[recent]
    fails = pd.Series(np.ones(len(cust), dtype=np.int64)).groupby(cust).sum()
    return pd.array(fails.reindex(ids).fillna(0).to_numpy(dtype=np.int64), dtype="Int64")


def score_drop(features: pd.DataFrame, previous: pd.DataFrame | None) -> np.ndarray:
    """Points at the previous evaluation minus points now, when both are of the same card."""
    n = len(features)
    if previous is None or len(previous) == 0:
        return np.full(n, np.nan)
    prev = previous.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    ids = features["customer_id"].astype(str)
    before = prev["points"].reindex(ids).to_numpy(dtype=np.float64)
    was = prev["scorecard"].astype(object).reindex(ids).fillna("").to_numpy(dtype=object)
    now = features["scorecard"].astype(object).fillna("").to_numpy(dtype=object)
    same = (was == now) & (now != "")
    drop = before - features["points"].to_numpy(dtype=np.float64)
    return np.where(same, drop, np.nan)


def alert_features(tables: Mapping[str, pd.DataFrame], *, as_of: object,
                   previous: pd.DataFrame | None = None, cards: Mapping | None = None,
                   history_months: int = 12,
                   behaviour: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per customer at ``as_of``: every column an alert rule may read.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``customers``, ``bills``, ``payments``; optionally ``transactions``
        (spending), ``promises`` (broken promises) and ``debit_attempts``
        (failed auto-debits), as
        :func:`creditkit.segmentation.customer_features` takes them.
    as_of : date-like
        Nothing dated after it is used.
    previous : DataFrame, optional
        ``customer_id``, ``scorecard``, ``points`` of the previous evaluation
        (``AlertState.scores``), for ``score_drop``.
    cards : dict, optional
        The behaviour cards (default: the shipped ones).
    history_months : int, default 12
        As :func:`creditkit.segmentation.customer_features`.
    behaviour : DataFrame, optional
        Behaviour features at ``as_of`` already built (see
        :func:`creditkit.segmentation.customer_features`).

    Returns
    -------
    DataFrame
        The customer features, then the columns of :data:`ALERT_FEATURES`.

    Raises
    ------
    SchemaError, ParameterError
        As :func:`creditkit.segmentation.customer_features`; an unknown
        auto-debit ``status`` (naming the row).

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(100, seed=3, end="2025-06-30")
    >>> f = alert_features(book, as_of="2025-06-30")
    >>> bool((f["late_streak"] >= 0).all()), bool(f["score_drop"].isna().all())
    (True, True)
    """
    day = check_as_of(as_of)
    if previous is not None and (not isinstance(previous, pd.DataFrame) or not {
            "customer_id", "scorecard", "points"} <= set(previous.columns)):
        raise ParameterError("previous must be a DataFrame with customer_id, scorecard and "
                             "points (AlertState.scores of the previous evaluation) or None")
    base = customer_features(tables, as_of=day, cards=cards, history_months=history_months,
                             behaviour=behaviour)
    ids = base["customer_id"].astype(str)
    bills, payments = tables["bills"], tables["payments"]
    out = base.copy()
    out["late_streak"] = late_streaks(bills, payments, day, ids)
    cust = tables["customers"].drop_duplicates("customer_id").assign(
        customer_id=lambda c: c["customer_id"].astype(str)).set_index("customer_id")
    currency = cust["currency"] if "currency" in cust.columns else pd.Series(dtype=object)
    limit = base["credit_limit_minor"].to_numpy(dtype=np.float64, na_value=np.nan)
    limit = np.where(limit > 0, limit, np.nan)
    prev_out = _outstanding_own(bills, payments, day - pd.DateOffset(months=1), ids, currency)
    now_out = base["outstanding_minor"].to_numpy(dtype=np.float64)
    out["utilisation_change_1m"] = (now_out - prev_out) / limit
    out["spend_1m_minor"], out["spend_ratio_1m"] = _spending(tables, day, ids)
    out["failed_debits_30d"], out["new_channel_30d"] = _channels(payments, day, ids)
    if tables.get("debit_attempts") is not None:
        out["failed_debits_30d"] = failed_attempts(tables["debit_attempts"], day, ids)
    out["score_drop"] = score_drop(base, previous)
    return out
