"""Targets of the behaviour card (B卡) and the collection card (C卡) at a date.

Every customer known at ``as_of`` gets one row, in the sample or not, with a
reason: nothing is dropped silently.

**B-card** (customers in good standing). Performance is read from the
ledger at the month ends in (``as_of``, ``as_of`` + ``horizon_months``] and
at the horizon's last day, as in a monthly cycle; ``perf_dpd`` is the worst
dpd among them.

- *already bad* at ``as_of``: worst dpd ≥ ``bad_dpd`` (reason ``already_bad``)
  or a write-off dated on or before ``as_of`` (``written_off``): left out;
  the past-due ones form the C-card population.
- no bill issued by ``as_of``: no repayment behaviour yet (``no_history``).
- the horizon ends after the data ends (``horizon_not_observed``).
- **bad** (target 1): ``perf_dpd`` ≥ ``bad_dpd``, or a write-off dated in the horizon.
- **indeterminate**: not bad and ``perf_dpd`` in 1 … ``bad_dpd`` − 1: kept
  and counted, not fitted (target missing).
- **good** (target 0): nothing past due at any performance date.

**C-card** (collections). The population is the customers *past due* at
``as_of`` (worst dpd > 0), as a collections team sees its worklist, not only
those already bad: a validator of a collection score takes every past-due
account. The outcome is read at ``as_of`` + ``cure_days``:

- **cured** (target 0): nothing past due then, and no write-off in between;
- **not cured** (target 1, the card's "bad"): still past due, or written off;
- left out: ``not_past_due`` (dpd 0 at ``as_of``), ``written_off`` (written
  off on or before ``as_of``), ``horizon_not_observed``. There are no
  indeterminates.

So the C card's points are high for customers likely to cure, and its
probability is that of *not* curing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from creditkit.aging import aging_at_dates
from creditkit.behaviour._inputs import (
    check_dates,
    check_months,
    customer_pos,
    data_end_of,
    days_of,
    known_at,
    shift_months,
)
from creditkit.checks import check_as_of, date_to_day
from creditkit.exceptions import ParameterError

__all__ = ["KINDS", "REASONS", "behaviour_target", "behaviour_target_at_dates"]

#: The two cards: behaviour (B) and collection (C).
KINDS: tuple[str, ...] = ("B", "C")
#: Every reason a row can carry; only ``included`` rows are fitted.
REASONS: tuple[str, ...] = ("included", "indeterminate", "already_bad", "written_off",
                            "no_history", "not_past_due", "horizon_not_observed")
_COLUMNS = ["customer_id", "as_of", "kind", "dpd", "perf_dpd", "written_off", "target",
            "in_sample", "reason"]


def check_kind(kind: object) -> str:
    """``"B"`` or ``"C"``, else a ParameterError naming both."""
    if kind not in KINDS:
        raise ParameterError(f"kind must be 'B' (behaviour card) or 'C' (collection card), "
                             f"got {kind!r}")
    return str(kind)


def behaviour_target(
    tables: Mapping[str, pd.DataFrame],
    *,
    as_of: object,
    kind: str = "B",
    horizon_months: int = 6,
    bad_dpd: int = 30,
    cure_days: int = 30,
    data_end: object | None = None,
) -> pd.DataFrame:
    """The B-card or C-card target of every customer known at ``as_of``.

    The rules are in the module's documentation (:mod:`creditkit.behaviour.target`).

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``customers`` (with ``open_date``), ``bills``, ``payments``.
    as_of : date-like
        The observation date.
    kind : {"B", "C"}, default "B"
    horizon_months : int, default 6
        B-card performance window, in months after ``as_of``.
    bad_dpd : int, default 30
        Days past due that make a customer bad.
    cure_days : int, default 30
        C-card: days after ``as_of`` by which a past-due customer must be current.
    data_end : date-like, optional
        The last day the data covers; default the latest date in the bills,
        payments and transactions. A window ending after it is not observed.

    Returns
    -------
    DataFrame
        One row per customer with ``open_date`` ≤ ``as_of``, sorted by id:
        ``customer_id``, ``as_of``, ``kind``, ``dpd`` (worst dpd at ``as_of``,
        int64), ``perf_dpd`` (int64: B the worst dpd at the performance dates,
        C the worst dpd at ``as_of`` + ``cure_days``), ``written_off`` (bool,
        a write-off in the performance window), ``target`` (Int8: 1 bad / not
        cured, 0 good / cured, missing outside the fitting sample),
        ``in_sample`` (bool) and ``reason`` (one of :data:`REASONS`).

    Raises
    ------
    SchemaError
        A required table or column is missing.
    ParameterError
        Bad ``as_of``, ``kind``, ``horizon_months``, ``bad_dpd`` or ``cure_days``.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(300, seed=2, end="2025-12-31")
    >>> t = behaviour_target(book, as_of="2025-03-31")
    >>> set(t["reason"]) <= set(REASONS)
    True
    >>> bool(t["target"].notna().eq(t["in_sample"]).all())
    True
    >>> late = behaviour_target(book, as_of="2025-09-30")
    >>> bool(late["reason"].eq("horizon_not_observed").any())
    True
    """
    kind = check_kind(kind)
    horizon = check_months(horizon_months, "horizon_months", high=60)
    bad = check_months(bad_dpd, "bad_dpd", high=3650)
    cure = check_months(cure_days, "cure_days", high=3650)
    k = known_at(tables, as_of)
    end_day = (data_end_of(tables) if data_end is None else date_to_day(data_end, "data_end"))
    last, perf = _performance_dates(k.as_of, kind, horizon, cure)
    last_day = date_to_day(last)
    dpd = _worst_dpd(tables, k, [k.as_of, *perf], last_day)
    off_before, off_in = _write_offs(tables, k, last_day)
    has_bill = np.zeros(len(k.ids), dtype=bool)
    pos = customer_pos(k, k.bills["customer_id"])
    has_bill[pos[pos >= 0]] = True
    return _target_frame(k.ids.to_numpy(dtype=object), k.as_of, kind, bad, dpd[:, 0],
                         dpd[:, 1:].max(axis=1), off_before, off_in, has_bill,
                         last_day <= end_day)


def behaviour_target_at_dates(
    tables: Mapping[str, pd.DataFrame],
    *,
    dates: Sequence[object],
    kind: str = "B",
    horizon_months: int = 6,
    bad_dpd: int = 30,
    cure_days: int = 30,
    data_end: object | None = None,
) -> pd.DataFrame:
    """The targets of :func:`behaviour_target` at each of ``dates``, stacked.

    The rows at each date are those of :func:`behaviour_target` at that date,
    from ONE :func:`creditkit.aging.aging_at_dates` over every date and every
    performance date (the ledger is sorted once, not once per date).

    Parameters
    ----------
    tables : dict of str to DataFrame
        As :func:`behaviour_target`.
    dates : sequence of date-like
        Observation dates, increasing.
    kind, horizon_months, bad_dpd, cure_days, data_end
        As :func:`behaviour_target`.

    Returns
    -------
    DataFrame
        The columns of :func:`behaviour_target`, date after date; index 0 … n − 1.

    Raises
    ------
    SchemaError
        A required table or column is missing.
    ParameterError
        As :func:`behaviour_target`; ``dates`` empty, not increasing, or the
        first before every customer.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(300, seed=2, end="2025-12-31")
    >>> t = behaviour_target_at_dates(book, dates=["2025-02-28", "2025-03-31"])
    >>> one = behaviour_target(book, as_of="2025-03-31")
    >>> t[t["as_of"] == "2025-03-31"].reset_index(drop=True).equals(one)
    True
    """
    kind = check_kind(kind)
    horizon = check_months(horizon_months, "horizon_months", high=60)
    bad = check_months(bad_dpd, "bad_dpd", high=3650)
    cure = check_months(cure_days, "cure_days", high=3650)
    days = [check_as_of(d) for d in check_dates(dates)]
    k = known_at(tables, days[-1])
    if (k.open_day > date_to_day(days[0])).all():
        raise ParameterError(
            f"dates[0] {days[0].date()} is before every customer's open_date (the first is "
            f"{pd.Timestamp(k.open_day.min(), unit='D').date()}); pass dates inside the data")
    end_day = (data_end_of(tables) if data_end is None else date_to_day(data_end, "data_end"))
    perfs = [_performance_dates(d, kind, horizon, cure) for d in days]
    every = sorted({*days, *(x for _, perf in perfs for x in perf)})
    every_day = np.array([date_to_day(x) for x in every], dtype=np.int64)
    max_last = max(date_to_day(last) for last, _ in perfs)
    dpd = _worst_dpd(tables, k, every, max_last)
    wo_pos, wo_day = _write_off_rows(tables, k)
    pos = customer_pos(k, k.bills["customer_id"])
    first_bill = np.full(len(k.ids), np.iinfo(np.int64).max)
    np.minimum.at(first_bill, pos[pos >= 0], days_of(k.bills["issue_date"])[pos >= 0])
    ids = k.ids.to_numpy(dtype=object)
    frames = []
    for d, (last, perf) in zip(days, perfs, strict=True):
        day, last_day = date_to_day(d), date_to_day(last)
        rows = np.flatnonzero(k.open_day <= day)
        now = dpd[rows, np.searchsorted(every_day, day)]
        later = dpd[np.ix_(rows, np.searchsorted(every_day, [date_to_day(x) for x in perf]))]
        before = np.zeros(len(k.ids), dtype=bool)
        inside = np.zeros(len(k.ids), dtype=bool)
        before[wo_pos[wo_day <= day]] = True
        inside[wo_pos[(wo_day > day) & (wo_day <= last_day)]] = True
        frames.append(_target_frame(ids[rows], d, kind, bad, now, later.max(axis=1),
                                    before[rows], inside[rows], first_bill[rows] <= day,
                                    last_day <= end_day))
    return pd.concat(frames, ignore_index=True)


def _performance_dates(as_of: pd.Timestamp, kind: str, horizon: int,
                       cure: int) -> tuple[pd.Timestamp, list[pd.Timestamp]]:
    """(last day of the performance window, the dates it is read at)."""
    if kind == "B":
        last = shift_months(as_of, horizon)
        perf = [*pd.date_range(as_of + pd.Timedelta(days=1), last, freq="ME")]
        if not perf or perf[-1] != last:
            perf.append(last)
        return last, perf
    last = as_of + pd.Timedelta(days=cure)
    return last, [last]


def _target_frame(ids: np.ndarray, as_of: pd.Timestamp, kind: str, bad: int, now: np.ndarray,
                  later: np.ndarray, off_before: np.ndarray, off_in: np.ndarray,
                  has_bill: np.ndarray, observed: bool) -> pd.DataFrame:
    """The target rows at one date from the dpd now and later: every rule is here, once."""
    n = len(ids)
    reason = np.full(n, "included", dtype=object)
    if kind == "B":
        is_bad = (later >= bad) | off_in
        reason[~is_bad & (later > 0)] = "indeterminate"
        if not observed:
            reason[:] = "horizon_not_observed"
        reason[now >= bad] = "already_bad"
        reason[off_before] = "written_off"
        reason[~has_bill] = "no_history"
    else:
        is_bad = (later > 0) | off_in
        if not observed:
            reason[:] = "horizon_not_observed"
        reason[now <= 0] = "not_past_due"
        reason[off_before] = "written_off"
    in_sample = reason == "included"
    target = pd.array(is_bad.astype(np.int8), dtype="Int8")
    target[~in_sample] = pd.NA
    return pd.DataFrame({
        "customer_id": ids,
        "as_of": np.full(n, as_of.to_datetime64(), dtype="M8[ns]"),
        "kind": np.full(n, kind, dtype=object),
        "dpd": now.astype(np.int64),
        "perf_dpd": later.astype(np.int64),
        "written_off": off_in,
        "target": target,
        "in_sample": in_sample,
        "reason": reason,
    })[_COLUMNS]


def _worst_dpd(tables, k, dates: list[pd.Timestamp], last_day: int) -> np.ndarray:
    """Worst dpd of each known customer at each date (the tables cut at the last one)."""
    bills, pays = tables["bills"], tables["payments"]
    bills = bills.loc[days_of(bills["issue_date"]) <= last_day]
    pays = pays.loc[days_of(pays["paid_date"]) <= last_day]
    out = np.zeros((len(k.ids), len(dates)), dtype=np.int64)
    if len(bills) == 0:
        return out
    hist = aging_at_dates(bills, pays, dates=dates)
    pos = customer_pos(k, hist["customer_id"])
    di = np.searchsorted(np.array([d.to_datetime64() for d in dates], dtype="M8[ns]"),
                         hist["as_of"].to_numpy(dtype="M8[ns]"))
    ok = pos >= 0
    np.maximum.at(out, (pos[ok], di[ok]), hist["worst_dpd"].to_numpy(dtype=np.int64)[ok])
    return out


def _write_off_rows(tables, k) -> tuple[np.ndarray, np.ndarray]:
    """(customer position, day) of every write-off of a known customer."""
    pays = tables["payments"]
    if "kind" not in pays.columns:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    wo = pays.loc[(pays["kind"] == "write_off").to_numpy()]
    cust = wo["customer_id"].astype(object)
    if cust.isna().any() and "bill_id" in wo.columns:  # a write-off names its bill
        owner = tables["bills"].set_index("bill_id")["customer_id"].astype(object)
        cust = cust.fillna(wo["bill_id"].map(owner))
    pos = customer_pos(k, cust)
    day = days_of(wo["paid_date"])
    return pos[pos >= 0], day[pos >= 0]


def _write_offs(tables, k, last_day: int) -> tuple[np.ndarray, np.ndarray]:
    """Per known customer: a write-off dated ≤ as_of; one dated in (as_of, last_day]."""
    n = len(k.ids)
    pos, day = _write_off_rows(tables, k)
    before = np.zeros(n, dtype=bool)
    inside = np.zeros(n, dtype=bool)
    before[pos[day <= k.day]] = True
    inside[pos[(day > k.day) & (day <= last_day)]] = True
    return before, inside
