"""Days in arrears, day by day, from one sort of the customers' dues and settlements.

Payment timeliness (付款及时性) is mostly lost at month ends: a bill paid a week
late and cleared before the month ends never shows there. Here each
customer's arrears on every day are followed exactly, in aggregate: on day
``t`` they are ``max(0, D(t) − S(t))``, where ``D(t)`` is the amount of the
customer's bills past due on ``t`` (due before ``t``: dpd > 0) and ``S(t)``
everything settled by ``t`` (cash, credit notes, write-offs, own currency).
That is the customer's past-due amount when settlements pay the oldest due
first (FIFO), as the ledger engine does by default; a payment the engine keeps
for a named bill not yet due is counted here as paying the arrears.

One lexsort of (customer, day) events, a cumulative sum per customer, and
each constant stretch between two events clipped to the window.
"""

from __future__ import annotations

import numpy as np


def arrears_in_windows(
    cust: np.ndarray, day: np.ndarray, delta: np.ndarray, n: int, as_of: int,
    starts: dict[int, int],
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Days with arrears and arrears amount-days per customer, per window (start, as_of].

    ``delta`` is +amount on the first day a bill is past due (due date + 1) and
    −amount on the day of a settlement; events after ``as_of`` must be
    removed by the caller.
    """
    days_out = {w: np.zeros(n, dtype=np.int64) for w in starts}
    amount_days = {w: np.zeros(n, dtype=np.float64) for w in starts}
    if len(cust) == 0:
        return days_out, amount_days
    order = np.lexsort((day, cust))
    c, d, v = cust[order], day[order], delta[order].astype(np.int64)
    level = np.cumsum(v)
    first = np.r_[True, c[1:] != c[:-1]]
    base = np.maximum.accumulate(np.where(first, np.arange(len(c)), 0))
    level = level - np.where(base > 0, np.cumsum(v)[base - 1], 0)
    # the level after an event holds until the customer's next event (or the day after as_of)
    last = np.r_[c[1:] != c[:-1], True]
    upto = np.where(last, as_of + 1, np.r_[d[1:], 0])
    owed = np.maximum(level, 0)
    for w, s in starts.items():
        lo = np.maximum(d, s + 1)
        length = np.maximum(upto - lo, 0)
        late = (owed > 0) & (length > 0)
        days_out[w] = np.bincount(c[late], weights=length[late], minlength=n).astype(np.int64)
        amount_days[w] = np.bincount(c[late], weights=(owed * length)[late].astype(np.float64),
                                     minlength=n)
    return days_out, amount_days


class RunningArrears:
    """Days with arrears and amount-days up to any day, per customer, for many dates at once.

    The same events as :func:`arrears_in_windows` (all of them, not cut at one
    date), sorted once; ``upto(t)`` gives, per customer, the days ≤ ``t`` with
    an amount past due and the sum of that amount over those days, so a window
    (start, as_of] is ``upto(as_of) − upto(start)``: every window of every
    date from one sort, each read by a binary search. ``t`` must lie in
    [``lo`` + 1, ``hi`` − 1], the range of the keys.
    """

    def __init__(self, cust: np.ndarray, day: np.ndarray, delta: np.ndarray, n: int,
                 lo: int, hi: int) -> None:
        order = np.lexsort((day, cust))
        c, d = cust[order].astype(np.int64), day[order].astype(np.int64)
        owed = np.maximum(_cum_by(c, delta[order].astype(np.int64)), 0)
        last = np.r_[c[1:] != c[:-1], True] if len(c) else np.zeros(0, dtype=bool)
        stretch = np.where(last, d, np.r_[d[1:], 0]) - d  # days until the next event
        self.late_cum = np.r_[0, np.cumsum((owed > 0) * stretch)]
        self.amount_cum = np.r_[0, np.cumsum(owed * stretch)]
        self.day, self.owed, self.lo, self.span = d, owed, lo, hi - lo + 1
        self.base = np.arange(n, dtype=np.int64) * self.span
        self.keys = c * self.span + (np.clip(d, lo, hi) - lo)
        self.first = np.searchsorted(self.keys, self.base, side="left")
        self.cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def upto(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """(days in arrears, amount-days past due) of each customer over all days ≤ ``t``."""
        if t not in self.cache:
            self.cache[t] = self._upto(t)
        return self.cache[t]

    def _upto(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        i = np.searchsorted(self.keys, self.base + (t - self.lo), side="right") - 1
        has = i >= self.first
        i = np.where(has, i, 0)
        if len(self.day) == 0:
            z = np.zeros(len(self.base), dtype=np.int64)
            return z, z
        run = t - self.day[i] + 1  # the stretch of the last event on or before t
        owed = self.owed[i]
        late = self.late_cum[i] - self.late_cum[self.first.clip(max=len(self.day))] + (
            owed > 0) * run
        amount = self.amount_cum[i] - self.amount_cum[self.first.clip(max=len(self.day))] + (
            owed * run)
        return np.where(has, late, 0), np.where(has, amount, 0)


def bill_clear_days(
    b_cust: np.ndarray, b_due: np.ndarray, b_amount: np.ndarray,
    s_cust: np.ndarray, s_day: np.ndarray, s_amount: np.ndarray,
) -> np.ndarray:
    """The day each bill is cleared when settlements pay the oldest due first (-1: not yet).

    Bills of a customer are taken in due-date order; bill ``k`` is cleared on
    the first settlement day by which the customer's settlements reach the
    amount of its bills due up to and including ``k``.
    """
    out = np.full(len(b_cust), -1, dtype=np.int64)
    if len(b_cust) == 0 or len(s_cust) == 0:
        return out
    bo = np.lexsort((b_due, b_cust))
    so = np.lexsort((s_day, s_cust))
    bc, sc = b_cust[bo], s_cust[so]
    b_cum = _cum_by(bc, b_amount[bo].astype(np.int64))
    s_cum = _cum_by(sc, s_amount[so].astype(np.int64))
    # one increasing axis for all customers: each customer's amounts shifted past the previous
    n = int(max(bc.max(), sc.max())) + 1
    span = np.zeros(n, dtype=np.int64)
    np.maximum.at(span, bc, b_cum)
    np.maximum.at(span, sc, s_cum)
    shift = np.r_[0, np.cumsum(span + 1)[:-1]]
    hit = np.searchsorted(s_cum + shift[sc], b_cum + shift[bc], side="left")
    ok = hit < len(sc)
    ok[ok] = sc[hit[ok]] == bc[ok]
    res = np.full(len(bc), -1, dtype=np.int64)
    res[ok] = s_day[so][hit[ok]]
    out[bo] = res
    return out


def _cum_by(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Cumulative sums restarting at each new value of the sorted ``group``."""
    cs = np.cumsum(values)
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    before = np.r_[0, cs][first]
    return cs - np.repeat(before, np.diff(np.r_[first, len(group)]))
