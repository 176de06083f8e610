"""Behaviour features at a date (行为特征): how a customer has actually paid, known at ``as_of``.

Only what was known on ``as_of`` is used, cut once at the top: bills issued,
payments received and transactions made on or before it, and customers
onboarded by then. The month-end states (outstanding, worst dpd) come from
one :func:`creditkit.aging.aging_at_dates` call over all observation dates,
so the allocation rule is the ledger engine's. Payment timeliness
(``days_in_arrears``, ``arrears_per_due``, ``late_share``, ``days_late``) is
followed on every day, not only at month ends, from one sort of each
customer's dues and settlements (:mod:`creditkit.behaviour._arrears`);
everything else is one vectorised pass per table (no loop per customer).

Observation dates of a window of ``w`` months: ``as_of`` and the ``w - 1``
month ends before its month (the last ``w`` month ends when ``as_of`` is one).
A window period of ``w`` months is (``as_of`` − ``w`` calendar months, ``as_of``].

Broken promises to pay and restructurings are not features yet: they need
the collections concept (issue #8), which has not landed; they are left out
rather than imitated.

Money features use only rows in the customer's own currency
(``customers.currency``; every row when it is missing); dpd features use all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditkit.aging import aging_at_dates
from creditkit.aging.cumsums import sum_at
from creditkit.behaviour._arrears import arrears_in_windows, bill_clear_days
from creditkit.behaviour._inputs import (
    Known,
    check_windows,
    customer_pos,
    days_of,
    known_at,
    observation_dates,
    own_currency,
    shift_months,
)
from creditkit.checks import check_lang, date_to_day
from creditkit.labels import BEHAVIOUR_FORMULAS, BEHAVIOUR_TEMPLATES, LABELS

__all__ = ["FEATURES", "behaviour_features", "feature_names", "feature_table"]

#: Every feature (a name, with ``{w}`` for a window's months) and its formula.
FEATURES: tuple[tuple[str, str], ...] = (
    ("months_on_book", "whole calendar months from customers.open_date to as_of"),
    ("dpd", "worst dpd at as_of (aging_at_dates.worst_dpd; 0 when nothing is outstanding)"),
    ("worst_dpd_{w}m", "max over the w observation dates of the customer's worst dpd "
                       "(aging_at_dates.worst_dpd; 0 when nothing is outstanding)"),
    ("avg_dpd_{w}m", "mean worst dpd over the observation dates on or after open_date"),
    ("months_delinquent_{w}m", "number of observation dates with worst dpd > 0"),
    ("months_since_delinquent", "observation dates back to the last one with worst dpd > 0 "
                                "(0 = delinquent at as_of); missing when none in the longest "
                                "window"),
    ("days_in_arrears_{w}m", "days of the period on which the customer had an amount past due "
                             "(its dues and settlements taken together, oldest due paid first)"),
    ("arrears_per_due_{w}m", "sum over the period's days of the amount past due ÷ amount of the "
                             "bills due in the period (about the days late per unit due); "
                             "missing when nothing was due"),
    ("late_share_{w}m", "share of the bills due in the period that were cleared after their due "
                        "date or are still open (oldest due paid first); missing when none"),
    ("days_late_{w}m", "mean days from due date to clearing (to as_of when still open, 0 when "
                       "on time) of the bills due in the period; missing when none"),
    ("payment_ratio_{w}m", "cash received (payments of kind 'payment') in the period ÷ amount "
                           "of the bills due in the period; missing when nothing was due"),
    ("outstanding_minor", "gross outstanding at as_of (aging_at_dates.outstanding_minor)"),
    ("utilisation", "outstanding_minor ÷ customers.credit_limit_minor; missing without a limit"),
    ("utilisation_change_{w}m", "utilisation at as_of − utilisation at the window's first "
                                "observation date"),
    ("outstanding_trend_{w}m", "outstanding at as_of ÷ mean outstanding over the w observation "
                               "dates; missing when that mean is 0"),
    ("auto_debit_share", "cash received by channel 'auto_debit' ÷ all cash received, in the "
                         "longest window's period; missing when nothing was received"),
    ("n_channels", "distinct channels of the cash received in the longest window's period"),
    ("active_plans", "instalment plans (invoice_id of bills of kind 'instalment' issued by "
                     "as_of) with an instalment due after as_of"),
    ("spend_{w}m_minor", "amount of the transactions dated in the period"),
    ("spend_trend", "(spending of the shortest window ÷ its months) ÷ (spending of the "
                    "longest window ÷ its months); missing when the longest has none"),
)


def feature_names(windows: Sequence[int] = (3, 6, 12)) -> list[str]:
    """The feature columns of :func:`behaviour_features` for ``windows``, in order.

    Examples
    --------
    >>> feature_names((3,))[:4]
    ['months_on_book', 'dpd', 'worst_dpd_3m', 'avg_dpd_3m']
    """
    wins = check_windows(windows)
    out = []
    for name, _ in FEATURES:
        out.extend(name.format(w=w) for w in wins) if "{w}" in name else out.append(name)
    return out


def feature_table(windows: Sequence[int] = (3, 6, 12), lang: str | None = None) -> pd.DataFrame:
    """One row per feature column: name, zh and en labels, formula in English and Chinese.

    Parameters
    ----------
    windows : sequence of int
        As :func:`behaviour_features`.
    lang : {"zh", "en"}, optional
        Keep only that language's label, in a column ``label``, and its
        formula, in a column ``formula``.

    Returns
    -------
    DataFrame
        ``name``, ``zh``, ``en``, ``formula`` (English), ``formula_zh``; or
        ``name``, ``label``, ``formula`` in ``lang``.

    Examples
    --------
    >>> feature_table((6,), lang="en").iloc[2].tolist()[:2]
    ['worst_dpd_6m', 'Worst dpd, last 6 months']
    >>> feature_table((6,), lang="zh").iloc[4]["formula"]
    '近6个观察日中最长逾期天数大于0的个数'
    """
    wins = check_windows(windows)
    rows = []
    for name, formula in FEATURES:
        zh_formula = BEHAVIOUR_FORMULAS[name]
        if "{w}" in name:
            zh, en = BEHAVIOUR_TEMPLATES[name]
            rows.extend((name.format(w=w), zh.format(w=w), en.format(w=w),
                         formula.replace("the w ", f"the {w} ").replace(
                             "period", f"{w}-month period"), zh_formula.format(w=w))
                        for w in wins)
        else:
            rows.append((name, LABELS[name]["zh"], LABELS[name]["en"], formula, zh_formula))
    table = pd.DataFrame(rows, columns=["name", "zh", "en", "formula", "formula_zh"])
    if lang is None:
        return table
    check_lang(lang)
    out = table[["name", lang, "formula" if lang == "en" else "formula_zh"]]
    return out.set_axis(["name", "label", "formula"], axis=1)


def behaviour_features(
    tables: Mapping[str, pd.DataFrame],
    *,
    as_of: object,
    windows: Sequence[int] = (3, 6, 12),
) -> pd.DataFrame:
    """Behaviour features of every customer known at ``as_of`` (one row each).

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``customers`` (with ``open_date``), ``bills``, ``payments``, and
        optionally ``transactions`` (the spending features are missing
        without it), as :func:`creditkit.datasets.make_portfolio` returns.
    as_of : date-like
        The date the features look from; nothing dated after it is used.
    windows : sequence of int, default (3, 6, 12)
        Window lengths in months, increasing.

    Returns
    -------
    DataFrame
        ``customer_id``, ``as_of``, then the columns of
        :func:`feature_names` (formulas in :data:`FEATURES` and
        :func:`feature_table`), sorted by customer_id. Integer counts and
        amounts are ``int64``, ratios ``float64``, ``months_since_delinquent``
        nullable ``Int64``.

    Raises
    ------
    SchemaError
        A required table or column is missing, or a table breaks the schema.
    ParameterError
        ``as_of`` not a date or before every customer; bad ``windows``.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(200, seed=1, end="2025-06-30")
    >>> f = behaviour_features(book, as_of="2025-03-31", windows=(3, 6))
    >>> f.columns[:4].tolist()
    ['customer_id', 'as_of', 'months_on_book', 'dpd']
    >>> bool((f["worst_dpd_6m"] >= f["worst_dpd_3m"]).all())
    True
    """
    wins = check_windows(windows)
    k = known_at(tables, as_of)
    obs = observation_dates(k.as_of, wins[-1])
    obs_day = np.array([date_to_day(d) for d in obs], dtype=np.int64)
    dpd, out = states(k, obs)
    starts = {w: date_to_day(shift_months(k.as_of, -w)) for w in wins}
    cash_pos, cash = cash_rows(k)
    late_days, amount_days = _arrears(k, starts)
    late_share, days_late = _lateness(k, starts)
    auto, total, n_ch = _channel_use(k, cash_pos, cash, starts[wins[-1]])
    parts = Parts(paid=_payment_sums(k, cash_pos, cash, starts), due=_due_sums(k, starts),
                  spend=_spend_sums(k, starts), late_days=late_days, amount_days=amount_days,
                  late_share=late_share, days_late=days_late, auto=auto, cash=total,
                  n_channels=n_ch, active_plans=_active_plans(k))
    return feature_frame(k.ids.to_numpy(dtype=object), k.as_of, k.open_day, credit_limits(k),
                         wins, obs_day, dpd, out, parts)


@dataclass
class Parts:
    """The per-customer sums behind the features at one date (one array per window)."""

    paid: dict[int, np.ndarray]
    due: dict[int, np.ndarray]
    spend: dict[int, np.ndarray | None]
    late_days: dict[int, np.ndarray]
    amount_days: dict[int, np.ndarray]
    late_share: dict[int, np.ndarray]
    days_late: dict[int, np.ndarray]
    auto: np.ndarray
    cash: np.ndarray
    n_channels: np.ndarray
    active_plans: np.ndarray


def feature_frame(ids: np.ndarray, as_of: pd.Timestamp, open_day: np.ndarray,
                  limit: np.ndarray, wins: tuple[int, ...], obs_day: np.ndarray,
                  dpd: np.ndarray, out: np.ndarray, parts: Parts) -> pd.DataFrame:
    """The feature frame at one date (see :func:`feature_columns`)."""
    res = feature_columns(ids, as_of, open_day, limit, wins, obs_day, dpd, out, parts)
    return pd.DataFrame(res)[["customer_id", "as_of", *feature_names(wins)]]


def feature_columns(ids: np.ndarray, as_of: pd.Timestamp, open_day: np.ndarray,
                    limit: np.ndarray, wins: tuple[int, ...], obs_day: np.ndarray,
                    dpd: np.ndarray, out: np.ndarray, parts: Parts) -> dict[str, object]:
    """The feature columns at one date from its states and sums: every formula is here, once.

    ``dpd`` and ``out`` are (customer, observation date) matrices over the
    ``max(wins)`` observation dates ``obs_day``, oldest first.
    """
    n, big = len(ids), wins[-1]
    onbook = obs_day[None, :] >= open_day[:, None]
    res: dict[str, object] = {"customer_id": ids,
                              "as_of": np.full(n, as_of.to_datetime64(), dtype="M8[ns]")}
    res["months_on_book"] = months_between(open_day, as_of)
    res["dpd"] = dpd[:, -1].copy()
    util = out / limit[:, None]
    paid, due, spend = parts.paid, parts.due, parts.spend
    with np.errstate(invalid="ignore", divide="ignore"):
        for w in wins:
            d, ob = dpd[:, big - w:], onbook[:, big - w:]
            res[f"worst_dpd_{w}m"] = d.max(axis=1).astype(np.int64)
            res[f"avg_dpd_{w}m"] = (d * ob).sum(axis=1) / np.maximum(ob.sum(axis=1), 1)
            res[f"months_delinquent_{w}m"] = (d > 0).sum(axis=1).astype(np.int64)
        delinquent = dpd[:, ::-1] > 0
        ever = delinquent.any(axis=1)
        res["months_since_delinquent"] = pd.array(
            np.where(ever, delinquent.argmax(axis=1), 0), dtype="Int64")
        res["months_since_delinquent"][~ever] = pd.NA
        for w in wins:
            res[f"days_in_arrears_{w}m"] = parts.late_days[w]
        for w in wins:
            res[f"arrears_per_due_{w}m"] = np.where(due[w] > 0, parts.amount_days[w] / np.where(
                due[w] > 0, due[w], 1), np.nan)
        for w in wins:
            res[f"late_share_{w}m"] = parts.late_share[w]
        for w in wins:
            res[f"days_late_{w}m"] = parts.days_late[w]
        for w in wins:
            res[f"payment_ratio_{w}m"] = np.where(due[w] > 0, paid[w] / np.where(
                due[w] > 0, due[w], 1), np.nan)
        res["outstanding_minor"] = out[:, -1].astype(np.int64)
        res["utilisation"] = util[:, -1]
        for w in wins:
            res[f"utilisation_change_{w}m"] = util[:, -1] - util[:, big - w]
        for w in wins:
            mean = out[:, big - w:].mean(axis=1)
            res[f"outstanding_trend_{w}m"] = np.where(mean > 0, out[:, -1] / np.where(
                mean > 0, mean, 1), np.nan)
        total = parts.cash
        res["auto_debit_share"] = np.where(total > 0, parts.auto / np.where(total > 0, total, 1),
                                           np.nan)
        res["n_channels"] = parts.n_channels
        res["active_plans"] = parts.active_plans
        for w in wins:
            res[f"spend_{w}m_minor"] = spend[w]
        lo, hi = wins[0], wins[-1]
        if spend[hi] is None:
            res["spend_trend"] = np.full(n, np.nan)
        else:
            long = spend[hi] / hi
            res["spend_trend"] = np.where(long > 0, (spend[lo] / lo) / np.where(
                long > 0, long, 1), np.nan)
    for w in wins:  # without transactions, spending is unknown, not zero
        if spend[w] is None:
            res[f"spend_{w}m_minor"] = pd.array(np.zeros(n, dtype=np.int64), dtype="Int64")
            res[f"spend_{w}m_minor"][:] = pd.NA
    return res


def states(k: Known, obs: list[pd.Timestamp]) -> tuple[np.ndarray, np.ndarray]:
    """Worst dpd (all currencies) and outstanding (own currency) per (customer, date)."""
    n, m = len(k.ids), len(obs)
    dpd = np.zeros((n, m), dtype=np.int64)
    out = np.zeros((n, m), dtype=np.int64)
    if len(k.bills) == 0:
        return dpd, out
    hist = aging_at_dates(k.bills, k.payments, dates=obs)
    pos = customer_pos(k, hist["customer_id"])
    di = np.searchsorted(np.array([d.to_datetime64() for d in obs], dtype="M8[ns]"),
                         hist["as_of"].to_numpy(dtype="M8[ns]"))
    ok = pos >= 0
    np.maximum.at(dpd, (pos[ok], di[ok]), hist["worst_dpd"].to_numpy(dtype=np.int64)[ok])
    own = own_currency(k, pos, hist["currency"])
    out[pos[own], di[own]] = hist["outstanding_minor"].to_numpy(dtype=np.int64)[own]
    return dpd, out


def months_between(open_day: np.ndarray, as_of: pd.Timestamp) -> np.ndarray:
    d = open_day.astype("M8[D]")
    month = d.astype("M8[M]")
    day_in = (d - month.astype("M8[D]")).astype(np.int64) + 1
    months = ((as_of.year - 1970) * 12 + as_of.month - 1) - month.astype(np.int64)
    return (months - (as_of.day < day_in)).astype(np.int64)


def credit_limits(k: Known) -> np.ndarray:
    if "credit_limit_minor" not in k.customers.columns:
        return np.full(len(k.ids), np.nan)
    lim = pd.to_numeric(k.customers["credit_limit_minor"], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan)
    return np.where(lim > 0, lim, np.nan)


def _window_sums(k: Known, pos: np.ndarray, day: np.ndarray, amount: np.ndarray,
                 starts: dict[int, int]) -> dict[int, np.ndarray]:
    """Sums by customer of ``amount`` dated in (start, as_of], per window (rows pre-filtered)."""
    return {w: sum_at(pos[day > s], amount[day > s], len(k.ids)) for w, s in starts.items()}


def cash_rows(k: Known) -> tuple[np.ndarray, pd.DataFrame]:
    p = k.payments
    pos = customer_pos(k, p["customer_id"])
    keep = own_currency(k, pos, p["currency"])
    if "kind" in p.columns:
        keep &= (p["kind"].fillna("payment") == "payment").to_numpy()
    return pos[keep], p.loc[keep]


def _payment_sums(k: Known, pos: np.ndarray, p: pd.DataFrame,
                  starts: dict[int, int]) -> dict[int, np.ndarray]:
    return _window_sums(k, pos, days_of(p["paid_date"]), p["amount_minor"].to_numpy(np.int64),
                        starts)


def _due_sums(k: Known, starts: dict[int, int]) -> dict[int, np.ndarray]:
    b = k.bills
    pos = customer_pos(k, b["customer_id"])
    due = days_of(b["due_date"])
    keep = own_currency(k, pos, b["currency"]) & (due <= k.day)
    return _window_sums(k, pos[keep], due[keep], b["amount_minor"].to_numpy(np.int64)[keep],
                        starts)


def _arrears(k: Known, starts: dict[int, int]) -> tuple[dict, dict]:
    """Days in arrears and amount-days past due per window (see ``_arrears``)."""
    b, p = k.bills, k.payments
    b_pos = customer_pos(k, b["customer_id"])
    past = days_of(b["due_date"]) + 1  # the first day with dpd > 0
    b_keep = own_currency(k, b_pos, b["currency"]) & (past <= k.day)
    p_pos = customer_pos(k, p["customer_id"])
    p_keep = own_currency(k, p_pos, p["currency"])
    cust = np.concatenate([b_pos[b_keep], p_pos[p_keep]])
    day = np.concatenate([past[b_keep], days_of(p["paid_date"])[p_keep]])
    delta = np.concatenate([b["amount_minor"].to_numpy(np.int64)[b_keep],
                            -p["amount_minor"].to_numpy(np.int64)[p_keep]])
    return arrears_in_windows(cust, day, delta, len(k.ids), k.day, starts)


def _lateness(k: Known, starts: dict[int, int]) -> tuple[dict, dict]:
    """Share of bills due in each period cleared late, and their mean days late."""
    b, p = k.bills, k.payments
    b_pos = customer_pos(k, b["customer_id"])
    due = days_of(b["due_date"])
    b_keep = own_currency(k, b_pos, b["currency"])
    p_pos = customer_pos(k, p["customer_id"])
    p_keep = own_currency(k, p_pos, p["currency"])
    bc, bd = b_pos[b_keep], due[b_keep]
    clear = bill_clear_days(bc, bd, b["amount_minor"].to_numpy(np.int64)[b_keep],
                            p_pos[p_keep], days_of(p["paid_date"])[p_keep],
                            p["amount_minor"].to_numpy(np.int64)[p_keep])
    end = np.where(clear >= 0, clear, k.day)
    late_days = np.maximum(end - bd, 0)
    n = len(k.ids)
    share, mean = {}, {}
    for w, s in starts.items():
        m = (bd > s) & (bd <= k.day)
        cnt = np.bincount(bc[m], minlength=n)
        lat = np.bincount(bc[m], weights=(late_days[m] > 0), minlength=n)
        tot = np.bincount(bc[m], weights=late_days[m], minlength=n)
        share[w] = np.where(cnt > 0, lat / np.maximum(cnt, 1), np.nan)
        mean[w] = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)
    return share, mean


def _spend_sums(k: Known, starts: dict[int, int]) -> dict[int, np.ndarray | None]:
    t = k.transactions
    if t is None:
        return dict.fromkeys(starts)
    pos = customer_pos(k, t["customer_id"])
    keep = own_currency(k, pos, t["currency"])
    return _window_sums(k, pos[keep], days_of(t["txn_date"])[keep],
                        t["amount_minor"].to_numpy(np.int64)[keep], starts)


def _channel_use(k: Known, pos: np.ndarray, p: pd.DataFrame,
                 start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(k.ids)
    inside = days_of(p["paid_date"]) > start
    pos, p = pos[inside], p.loc[inside]
    amount = p["amount_minor"].to_numpy(np.int64)
    cash = sum_at(pos, amount, n)
    if "channel" not in p.columns:
        return np.full(n, np.nan), cash, np.zeros(n, dtype=np.int64)
    chan = p["channel"].astype(object)
    auto = sum_at(pos, np.where((chan == "auto_debit").to_numpy(), amount, 0), n)
    code, uniq = pd.factorize(chan)
    known = code >= 0
    pairs = np.unique(pos[known] * max(len(uniq), 1) + code[known])
    n_ch = np.bincount(pairs // max(len(uniq), 1), minlength=n).astype(np.int64)
    return auto, cash, n_ch


def _active_plans(k: Known) -> np.ndarray:
    n = len(k.ids)
    b = k.bills
    if "kind" not in b.columns or len(b) == 0:
        return np.zeros(n, dtype=np.int64)
    pos = customer_pos(k, b["customer_id"])
    keep = (pos >= 0) & (b["kind"] == "instalment").to_numpy() & (days_of(b["due_date"]) > k.day)
    inv, _ = pd.factorize(b["invoice_id"].astype(object)[keep])
    pairs = np.unique(np.stack([pos[keep], inv]), axis=1) if keep.any() else np.zeros((2, 0), int)
    return np.bincount(pairs[0], minlength=n).astype(np.int64)
