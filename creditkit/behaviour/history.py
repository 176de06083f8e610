"""Behaviour features at many dates (行为特征面板) from one pass over the ledger.

A development sample needs the features of every customer at each of, say,
12 month ends. :func:`behaviour_features` at each date would sort the ledger
and run :func:`creditkit.aging.aging_at_dates` 12 times;
:func:`behaviour_features_at_dates` gives the same rows from

- ONE ``aging_at_dates`` over the union of every date's observation month
  ends (the state at a date is that of the ledger known then: what comes
  later does not change it);
- one pass over each table (cash, bills due, transactions, each channel):
  every row placed between the dates and window starts by a binary search,
  summed per (customer, interval) and cumulated, so ``S(t)`` is the sum to
  each such day and a window sum is ``S(as_of) − S(start)``;
- one sort of the daily arrears events
  (:class:`creditkit.behaviour._arrears.RunningArrears`) and one FIFO clearing
  of the bills, read at every date.

Nothing dated after a date is used for that date's rows: a sum to ``as_of``
stops at ``as_of``, a bill counts once due (bills are due on or after their
issue date; a ledger breaking that is computed date by date instead).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditkit.aging.cumsums import sum_at
from creditkit.behaviour._arrears import RunningArrears, bill_clear_days
from creditkit.behaviour._inputs import (
    Known,
    check_dates,
    check_windows,
    customer_pos,
    days_of,
    known_at,
    observation_dates,
    own_currency,
    shift_months,
)
from creditkit.behaviour.features import (
    Parts,
    behaviour_features,
    credit_limits,
    feature_columns,
    feature_names,
    states,
)
from creditkit.checks import check_as_of, date_to_day
from creditkit.exceptions import ParameterError

__all__ = ["behaviour_features_at_dates"]


def behaviour_features_at_dates(
    tables: Mapping[str, pd.DataFrame],
    *,
    dates: Sequence[object],
    windows: Sequence[int] = (3, 6, 12),
) -> pd.DataFrame:
    """Behaviour features of every customer at each of ``dates``, stacked.

    The rows at each date are those of :func:`behaviour_features` at that
    date (the same values, dtypes and order), computed from one
    ``aging_at_dates`` call and one sort of each table for all dates.

    Parameters
    ----------
    tables : dict of str to DataFrame
        As :func:`behaviour_features`.
    dates : sequence of date-like
        Observation dates, increasing (e.g. month ends).
    windows : sequence of int, default (3, 6, 12)
        Window lengths in months, increasing.

    Returns
    -------
    DataFrame
        ``customer_id``, ``as_of``, then the feature columns: for each date
        in order, one row per customer with ``open_date`` on or before it,
        sorted by customer_id; index 0 … n − 1.

    Raises
    ------
    SchemaError
        A required table or column is missing, or a table breaks the schema.
    ParameterError
        ``dates`` empty, not increasing, or the first before every customer;
        bad ``windows``.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(200, seed=1, end="2025-06-30")
    >>> f = behaviour_features_at_dates(book, dates=["2025-02-28", "2025-03-31"], windows=(3,))
    >>> f.groupby("as_of").size().index.strftime("%m").tolist()
    ['02', '03']
    >>> one = behaviour_features(book, as_of="2025-03-31", windows=(3,))
    >>> f[f["as_of"] == "2025-03-31"].reset_index(drop=True).equals(one)
    True
    """
    days = [check_as_of(d) for d in check_dates(dates)]
    wins = check_windows(windows)
    k = known_at(tables, days[-1])
    if (k.open_day > date_to_day(days[0])).all():
        raise ParameterError(
            f"dates[0] {days[0].date()} is before every customer's open_date (the first is "
            f"{pd.Timestamp(k.open_day.min(), unit='D').date()}); pass dates inside the data")
    b = k.bills
    if (days_of(b["due_date"]) < days_of(b["issue_date"])).any():  # a bill due before issued
        return pd.concat([behaviour_features(tables, as_of=d, windows=wins) for d in days],
                         ignore_index=True)
    return _stacked(k, days, wins)


def _stacked(k: Known, days: list[pd.Timestamp], wins: tuple[int, ...]) -> pd.DataFrame:
    big = wins[-1]
    obs = [observation_dates(d, big) for d in days]
    union = sorted(set().union(*obs))
    union_day = np.array([date_to_day(d) for d in union], dtype=np.int64)
    dpd_all, out_all = states(k, union)
    starts = [{w: date_to_day(shift_months(d, -w)) for w in wins} for d in days]
    bounds = [date_to_day(d) for d in days] + [s for st in starts for s in st.values()]
    lo, hi = min(bounds) - 1, max(bounds) + 1
    led = _ledger(k)
    sums = _Sums(k, led, np.unique(np.array(bounds, dtype=np.int64)))
    arrears = RunningArrears(*_arrears_events(led), len(k.ids), lo, hi)
    late = _Lateness(led, len(k.ids))
    plans = _Plans(k, led.b_pos)
    limit = credit_limits(k)
    ids = k.ids.to_numpy(dtype=object)
    frames = []
    for d, ob, st in zip(days, obs, starts, strict=True):
        day = date_to_day(d)
        rows = np.flatnonzero(k.open_day <= day)
        cols = np.searchsorted(union_day, [date_to_day(x) for x in ob])
        late_end, amount_end = arrears.upto(day)
        late_days, amount_days = {}, {}
        for w, s in st.items():
            late_s, amount_s = arrears.upto(s)
            late_days[w] = late_end[rows] - late_s[rows]
            amount_days[w] = (amount_end[rows] - amount_s[rows]).astype(np.float64)
        share, mean = late.at(day, st, rows)
        paid = sums.window("cash", day, st, rows)
        parts = Parts(
            paid=paid, due=sums.window("due", day, st, rows),
            spend=(sums.window("spend", day, st, rows) if "spend" in sums.cum
                   else dict.fromkeys(st)),
            late_days=late_days, amount_days=amount_days, late_share=share, days_late=mean,
            auto=(sums.window("auto", day, {big: st[big]}, rows)[big] if "auto" in sums.cum
                  else np.full(len(rows), np.nan)),
            cash=paid[big], n_channels=sums.channels(day, st[big], rows),
            active_plans=plans.at(day, rows))
        frames.append(feature_columns(ids[rows], d, k.open_day[rows], limit[rows], wins,
                                      union_day[cols], dpd_all[np.ix_(rows, cols)],
                                      out_all[np.ix_(rows, cols)], parts))
    # each column joined and its pieces freed in turn; copy=False keeps one block per
    # column instead of copying all of them into blocks by dtype (the peak memory)
    return pd.DataFrame({name: _concat([f.pop(name) for f in frames])
                         for name in ["customer_id", "as_of", *feature_names(wins)]},
                        copy=False)


def _concat(arrays: list) -> object:
    """One column of every date (numpy arrays, or nullable pandas arrays kept so)."""
    if all(isinstance(a, np.ndarray) for a in arrays):
        return np.concatenate(arrays)
    return pd.concat([pd.Series(a) for a in arrays], ignore_index=True).array


class _Running:
    """Running sums per customer of one table's amounts by day, at each of ``bounds``.

    Each row falls in the interval of the sorted ``bounds`` it is dated in; the
    sums per (customer, interval), cumulated over the intervals, are the sums of
    the rows dated on or before each bound: one pass over the rows for every
    date and every window start.
    """

    def __init__(self, pos: np.ndarray, day: np.ndarray, amount: np.ndarray, n: int,
                 bounds: np.ndarray) -> None:
        width = len(bounds)
        slot = np.searchsorted(bounds, day, side="left")  # day ≤ bounds[j] ⇔ slot ≤ j
        keep = slot < width
        per = sum_at(pos[keep].astype(np.int64) * width + slot[keep],
                     np.asarray(amount, dtype=np.int64)[keep], n * width)
        self.cum = np.cumsum(per.reshape(n, width), axis=1)
        self.col = {int(b): j for j, b in enumerate(bounds)}

    def upto(self, t: int) -> np.ndarray:
        """Sum per customer of the amounts dated on or before ``t`` (one of the bounds)."""
        return self.cum[:, self.col[t]]


@dataclass(frozen=True)
class _Ledger:
    """The bills and payments known at the last date, their customers looked up once."""

    b_pos: np.ndarray  # customer position of each bill (-1: unknown)
    b_own: np.ndarray  # bill of a known customer in the customer's own currency
    b_due: np.ndarray
    b_amount: np.ndarray
    p_pos: np.ndarray
    p_own: np.ndarray
    p_day: np.ndarray
    p_amount: np.ndarray


def _ledger(k: Known) -> _Ledger:
    b, p = k.bills, k.payments
    b_pos, p_pos = customer_pos(k, b["customer_id"]), customer_pos(k, p["customer_id"])
    return _Ledger(b_pos=b_pos, b_own=own_currency(k, b_pos, b["currency"]),
                   b_due=days_of(b["due_date"]), b_amount=b["amount_minor"].to_numpy(np.int64),
                   p_pos=p_pos, p_own=own_currency(k, p_pos, p["currency"]),
                   p_day=days_of(p["paid_date"]), p_amount=p["amount_minor"].to_numpy(np.int64))


class _Sums:
    """The money sums of the features, every window of every date from one sort per table."""

    def __init__(self, k: Known, led: _Ledger, bounds: np.ndarray) -> None:
        n = len(k.ids)
        self.cum: dict[str, _Running] = {}
        p = k.payments
        cash = led.p_own.copy()
        if "kind" in p.columns:
            cash &= (p["kind"].fillna("payment") == "payment").to_numpy()
        pos, paid_day, amount = led.p_pos[cash], led.p_day[cash], led.p_amount[cash]
        self.cum["cash"] = _Running(pos, paid_day, amount, n, bounds)
        self.channels_cum: list[_Running] = []
        if "channel" in p.columns:
            chan = p["channel"].astype(object)[cash]
            auto = (chan == "auto_debit").to_numpy()
            self.cum["auto"] = _Running(pos[auto], paid_day[auto], amount[auto], n, bounds)
            code, uniq = pd.factorize(chan)
            self.channels_cum = [_Running(pos[code == c], paid_day[code == c],
                                          np.ones(int((code == c).sum()), dtype=np.int64),
                                          n, bounds) for c in range(len(uniq))]
        keep = led.b_own
        self.cum["due"] = _Running(led.b_pos[keep], led.b_due[keep], led.b_amount[keep], n,
                                   bounds)
        t = k.transactions
        if t is not None:
            t_pos = customer_pos(k, t["customer_id"])
            keep = own_currency(k, t_pos, t["currency"])
            self.cum["spend"] = _Running(t_pos[keep], days_of(t["txn_date"])[keep],
                                         t["amount_minor"].to_numpy(np.int64)[keep], n, bounds)

    def window(self, name: str, day: int, starts: dict[int, int],
               rows: np.ndarray) -> dict[int, np.ndarray]:
        """Sums in (start, day] per window, for the customers ``rows``."""
        run = self.cum[name]
        end = run.upto(day)[rows]
        return {w: end - run.upto(s)[rows] for w, s in starts.items()}

    def channels(self, day: int, start: int, rows: np.ndarray) -> np.ndarray:
        """Distinct channels with cash received in (start, day], per customer."""
        out = np.zeros(len(rows), dtype=np.int64)
        for run in self.channels_cum:
            out += (run.upto(day)[rows] - run.upto(start)[rows]) > 0
        return out


def _arrears_events(led: _Ledger) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(customer, day, ± amount) of every due passing and settlement, own currency."""
    b, p = led.b_own, led.p_own
    return (np.concatenate([led.b_pos[b], led.p_pos[p]]),
            np.concatenate([led.b_due[b] + 1, led.p_day[p]]),
            np.concatenate([led.b_amount[b], -led.p_amount[p]]))


class _Lateness:
    """The FIFO clearing day of every bill, once; each date reads the bills due in its windows."""

    def __init__(self, led: _Ledger, n: int) -> None:
        b, p = led.b_own, led.p_own
        due = led.b_due[b]
        clear = bill_clear_days(led.b_pos[b], due, led.b_amount[b], led.p_pos[p], led.p_day[p],
                                led.p_amount[p])
        order = np.argsort(due, kind="stable")
        self.cust, self.due, self.clear = led.b_pos[b][order], due[order], clear[order]
        self.n = n

    def at(self, day: int, starts: dict[int, int], rows: np.ndarray) -> tuple[dict, dict]:
        """Share of bills due in each window cleared late and their mean days late, at ``day``."""
        share, mean = {}, {}
        hi = np.searchsorted(self.due, day, side="right")
        for w, s in starts.items():
            lo = np.searchsorted(self.due, s, side="right")
            c, due, clear = self.cust[lo:hi], self.due[lo:hi], self.clear[lo:hi]
            end = np.where((clear >= 0) & (clear <= day), clear, day)
            late_days = np.maximum(end - due, 0)
            cnt = np.bincount(c, minlength=self.n)[rows]
            lat = np.bincount(c, weights=(late_days > 0), minlength=self.n)[rows]
            tot = np.bincount(c, weights=late_days, minlength=self.n)[rows]
            share[w] = np.where(cnt > 0, lat / np.maximum(cnt, 1), np.nan)
            mean[w] = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)
        return share, mean


class _Plans:
    """Instalment plans (customer, invoice) with their bills' issue and due days."""

    def __init__(self, k: Known, pos: np.ndarray) -> None:
        b = k.bills
        self.n = len(k.ids)
        if "kind" not in b.columns or len(b) == 0:
            self.pair = np.zeros(0, dtype=np.int64)
            self.issue = self.due = self.pair
            return
        keep = (pos >= 0) & (b["kind"] == "instalment").to_numpy()
        inv, uniq = pd.factorize(b["invoice_id"].astype(object)[keep])
        width = max(len(uniq), 1) + 1
        self.width = width
        self.pair = pos[keep].astype(np.int64) * width + (inv + 1)
        self.issue = days_of(b["issue_date"])[keep]
        self.due = days_of(b["due_date"])[keep]

    def at(self, day: int, rows: np.ndarray) -> np.ndarray:
        """Plans issued by ``day`` with an instalment due after it, per customer."""
        if len(self.pair) == 0:
            return np.zeros(len(rows), dtype=np.int64)
        pairs = np.unique(self.pair[(self.issue <= day) & (self.due > day)])
        return np.bincount(pairs // self.width, minlength=self.n).astype(np.int64)[rows]
