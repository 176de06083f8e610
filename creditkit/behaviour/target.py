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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from creditkit.aging import aging_at_dates
from creditkit.behaviour._inputs import (
    check_months,
    customer_pos,
    data_end_of,
    days_of,
    known_at,
    shift_months,
)
from creditkit.checks import date_to_day
from creditkit.exceptions import ParameterError

__all__ = ["KINDS", "REASONS", "behaviour_target"]

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
    if kind == "B":
        last = shift_months(k.as_of, horizon)
        perf = [*pd.date_range(k.as_of + pd.Timedelta(days=1), last, freq="ME")]
        if not perf or perf[-1] != last:
            perf.append(last)
    else:
        last = k.as_of + pd.Timedelta(days=cure)
        perf = [last]
    last_day = date_to_day(last)
    dates = [k.as_of, *perf]
    n = len(k.ids)
    dpd = _worst_dpd(tables, k, dates, last_day)
    now, later = dpd[:, 0], dpd[:, 1:].max(axis=1)
    off_before, off_in = _write_offs(tables, k, last_day)
    has_bill = np.zeros(n, dtype=bool)
    pos = customer_pos(k, k.bills["customer_id"])
    has_bill[pos[pos >= 0]] = True
    observed = np.full(n, last_day <= end_day)
    reason = np.full(n, "included", dtype=object)
    if kind == "B":
        is_bad = (later >= bad) | off_in
        reason[~is_bad & (later > 0)] = "indeterminate"
        reason[~observed] = "horizon_not_observed"
        reason[now >= bad] = "already_bad"
        reason[off_before] = "written_off"
        reason[~has_bill] = "no_history"
    else:
        is_bad = (later > 0) | off_in
        reason[~observed] = "horizon_not_observed"
        reason[now <= 0] = "not_past_due"
        reason[off_before] = "written_off"
    in_sample = reason == "included"
    target = pd.array(is_bad.astype(np.int8), dtype="Int8")
    target[~in_sample] = pd.NA
    return pd.DataFrame({
        "customer_id": k.ids.to_numpy(dtype=object),
        "as_of": np.full(n, k.as_of.to_datetime64(), dtype="M8[ns]"),
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


def _write_offs(tables, k, last_day: int) -> tuple[np.ndarray, np.ndarray]:
    """Per known customer: a write-off dated ≤ as_of; one dated in (as_of, last_day]."""
    n = len(k.ids)
    pays = tables["payments"]
    if "kind" not in pays.columns:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    wo = pays.loc[(pays["kind"] == "write_off").to_numpy()]
    cust = wo["customer_id"].astype(object)
    if cust.isna().any() and "bill_id" in wo.columns:  # a write-off names its bill
        owner = tables["bills"].set_index("bill_id")["customer_id"].astype(object)
        cust = cust.fillna(wo["bill_id"].map(owner))
    pos = customer_pos(k, cust)
    day = days_of(wo["paid_date"])
    before = np.zeros(n, dtype=bool)
    inside = np.zeros(n, dtype=bool)
    before[pos[(pos >= 0) & (day <= k.day)]] = True
    inside[pos[(pos >= 0) & (day > k.day) & (day <= last_day)]] = True
    return before, inside
