"""Collection metrics: DSO (simple, count-back), best possible DSO, ADD and CEI.

Formulas (the reference file ``aging_cases.json`` has worked numbers):

* simple DSO = ending AR / credit sales of the period × days in the period
  (Credit Research Foundation, "Days Sales Outstanding"; ERPNext/Oracle
  Receivables use the same definition).
* count-back DSO: walk back month by month from the newest, subtracting each
  month's credit sales from ending AR and counting that month's days, until
  what is left is smaller than a month's sales; add that fraction of the
  month's days (CRF "countback" / "exhaustion" method).
* best possible DSO (BPDSO) = current (not past due) AR / credit sales × days
  (CRF; Oracle Collections "Best Possible DSO").
* average days delinquent (ADD) = DSO − BPDSO (CRF; Oracle Collections).
* CEI = (beginning AR + credit sales − ending total AR) /
  (beginning AR + credit sales − ending current AR)
  (CRF "Collection Effectiveness Index"; Oracle Collections effectiveness metrics).

``collection_metrics`` computes them per month from bills and payments, AR
being the outstanding bills (:func:`creditkit.aging.bill_aging`) at each month end.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditkit.aging.ledger import (
    Ledger,
    balances_at,
    build_ledger,
    check_mode,
    day_to_ts,
)
from creditkit.checks import date_to_day
from creditkit.exceptions import ParameterError

__all__ = [
    "average_days_delinquent",
    "best_possible_dso",
    "cei",
    "collection_metrics",
    "count_back_dso",
    "last_month_ends",
    "month_ends",
    "simple_dso",
]


def _num(value: object, name: str, *, positive: bool = False) -> float:
    try:
        v = float(value)  # ratios of money, not money arithmetic
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, got {value!r}") from None
    if np.isnan(v) or v < 0 or (positive and v == 0):
        need = "> 0" if positive else ">= 0"
        raise ParameterError(f"{name} must be {need}, got {value!r}")
    return v


def _ratio(num: float, den: float) -> float:
    return num / den if den else float("nan")


def simple_dso(ending_ar: float, credit_sales: float, days: float) -> float:
    """Simple DSO = ending AR / credit sales × days (CRF).

    Returns NaN when there were no credit sales.

    Raises
    ------
    ParameterError
        Negative or non-numeric inputs, ``days`` ≤ 0.

    Examples
    --------
    >>> round(simple_dso(212000, 250000, 90), 2)
    76.32
    """
    return _ratio(_num(ending_ar, "ending_ar"), _num(credit_sales, "credit_sales")) * _num(
        days, "days", positive=True)


def best_possible_dso(ending_current_ar: float, credit_sales: float, days: float) -> float:
    """Best possible DSO = current (not yet due) AR / credit sales × days (CRF).

    Raises
    ------
    ParameterError
        Negative or non-numeric inputs, ``days`` ≤ 0.

    Examples
    --------
    >>> round(best_possible_dso(60000, 250000, 90), 2)
    21.6
    """
    return _ratio(_num(ending_current_ar, "ending_current_ar"),
                  _num(credit_sales, "credit_sales")) * _num(days, "days", positive=True)


def average_days_delinquent(
    ending_ar: float, ending_current_ar: float, credit_sales: float, days: float
) -> float:
    """Average days delinquent = simple DSO − best possible DSO (CRF).

    Raises
    ------
    ParameterError
        Negative or non-numeric inputs, ``days`` ≤ 0, current AR above total AR.

    Examples
    --------
    >>> round(average_days_delinquent(212000, 60000, 250000, 90), 2)
    54.72
    """
    if _num(ending_current_ar, "ending_current_ar") > _num(ending_ar, "ending_ar"):
        raise ParameterError(
            f"ending_current_ar ({ending_current_ar}) cannot exceed ending_ar ({ending_ar})")
    return simple_dso(ending_ar, credit_sales, days) - best_possible_dso(
        ending_current_ar, credit_sales, days)


def count_back_dso(
    ending_ar: float,
    monthly_credit_sales_newest_first: Sequence[float],
    days_in_month: Sequence[float],
) -> float:
    """Count-back (exhaustion) DSO (CRF).

    Subtract each month's credit sales from ending AR, newest month first,
    counting that month's days, until the remainder is below a month's sales;
    then add remainder / that month's sales × its days. If the AR outlasts
    every month given, all their days count and the leftover is not extrapolated.

    Raises
    ------
    ParameterError
        Lengths differ, negative values.

    Examples
    --------
    >>> round(count_back_dso(212000, [100000, 80000, 70000], [30, 30, 30]), 3)
    73.714
    """
    sales = [_num(s, "monthly_credit_sales") for s in monthly_credit_sales_newest_first]
    days = [_num(d, "days_in_month", positive=True) for d in days_in_month]
    if len(sales) != len(days):
        raise ParameterError(
            f"monthly_credit_sales_newest_first has {len(sales)} months but days_in_month "
            f"{len(days)}; give one day count per month")
    left = _num(ending_ar, "ending_ar")
    total = 0.0
    for s, d in zip(sales, days, strict=True):  # a handful of months, not rows
        if left <= s:
            return total + (left / s * d if s else 0.0)
        left -= s
        total += d
    return total


def cei(beginning_ar: float, credit_sales: float, ending_total_ar: float,
        ending_current_ar: float) -> float:
    """Collection effectiveness index for one period (CRF).

    CEI = (beginning AR + credit sales − ending total AR) /
    (beginning AR + credit sales − ending current AR).

    Raises
    ------
    ParameterError
        Negative or non-numeric inputs.

    Examples
    --------
    >>> round(cei(100000, 50000, 90000, 60000), 4)
    0.6667
    """
    b = _num(beginning_ar, "beginning_ar")
    s = _num(credit_sales, "credit_sales")
    return _ratio(b + s - _num(ending_total_ar, "ending_total_ar"),
                  b + s - _num(ending_current_ar, "ending_current_ar"))


def month_ends(start: object, end: object) -> list[pd.Timestamp]:
    """Month ends from the month of ``start`` to the last one on or before ``end``.

    Examples
    --------
    >>> [str(d.date()) for d in month_ends("2025-01-15", "2025-03-31")]
    ['2025-01-31', '2025-02-28', '2025-03-31']
    """
    s = day_to_ts(date_to_day(start, "start"))
    e = day_to_ts(date_to_day(end, "end"))
    if e < s:
        raise ParameterError(f"end ({e.date()}) is before start ({s.date()})")
    return list(pd.date_range(s + pd.offsets.MonthEnd(0), e, freq="ME"))


def last_month_ends(as_of: object, n: int, *, opening: bool = False) -> list[pd.Timestamp]:
    """The ``n`` month ends up to ``as_of`` (``as_of`` itself last when it is a month end).

    With ``opening=True`` the month end before the first is added in front: the
    opening-balance date that per-period metrics (:func:`collection_metrics`,
    :func:`collection_multiplier`) need for ``n`` whole periods.

    Raises
    ------
    ParameterError
        ``n`` not a positive int, ``as_of`` not a date.

    Examples
    --------
    >>> [str(d.date()) for d in last_month_ends("2025-06-30", 3)]
    ['2025-04-30', '2025-05-31', '2025-06-30']
    >>> [str(d.date()) for d in last_month_ends("2025-06-30", 2, opening=True)]
    ['2025-04-30', '2025-05-31', '2025-06-30']
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ParameterError(f"n must be a positive number of months, got {n!r}")
    end = day_to_ts(date_to_day(as_of))
    if not end.is_month_end:
        end = end - pd.offsets.MonthEnd(1)
    return list(pd.date_range(end=end, periods=n + bool(opening), freq="ME"))


def collection_metrics(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    dates: Sequence[object],
    mode: str = "fifo",
    count_back_months: int = 12,
) -> pd.DataFrame:
    """DSO, BPDSO, ADD and CEI per period between consecutive ``dates`` (month ends).

    AR at a date is the outstanding amount of bills issued by then
    (:func:`bill_aging`); current AR the part with dpd ≤ 0; credit sales the
    amount of bills issued in the period (after the previous date, up to this
    one); cash the payments received in it (not credit notes or write-offs,
    which lower AR without cash). Count-back DSO goes back up to
    ``count_back_months`` periods, through the calendar months before the
    first date when needed. Money columns are int64 minor units of one
    currency: pass bills and payments of one currency.

    Returns
    -------
    DataFrame
        One row per period (the first date only opens AR): ``as_of``,
        ``beginning_ar_minor``, ``credit_sales_minor``, ``paid_minor`` (cash:
        payments of kind ``payment``),
        ``ending_ar_minor``, ``ending_current_ar_minor``, ``days``,
        ``dso``, ``count_back_dso``, ``bpdso``, ``add``, ``cei``.

    Raises
    ------
    ParameterError
        Fewer than two dates, dates not increasing, several currencies,
        ``count_back_months`` not a positive int.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["B1"], "customer_id": ["A"],
    ...     "issue_date": d(["2025-02-01"]), "due_date": d(["2025-02-15"]),
    ...     "amount_minor": [1000], "currency": ["CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-02-20"]), "amount_minor": [400], "currency": ["CNY"]})
    >>> m = collection_metrics(bills, pays, dates=["2025-01-31", "2025-02-28"])
    >>> int(m["ending_ar_minor"].iloc[0]), float(m["cei"].iloc[0])
    (600, 0.4)
    """
    check_mode(mode)
    if isinstance(count_back_months, bool) or not isinstance(count_back_months, int) \
            or count_back_months < 1:
        raise ParameterError(f"count_back_months must be a positive int, got "
                             f"{count_back_months!r}")
    days, led = period_ledger(bills, payments, dates, "collection_metrics")
    ar, cur_ar = [], []
    for d in days:  # one O(n) pass per period end, on the ledger sorted once
        out, _ = balances_at(led, d, mode)
        ar.append(int(out.sum()))
        cur_ar.append(int(out[led.bills.due_day >= d].sum()))
    # count-back also reaches the calendar months before the first date, so the
    # first periods' count-back DSO is not cut short by the window of dates
    pre = [date_to_day(e) for e in last_month_ends(day_to_ts(days[0] - 1), count_back_months)]
    ext = [d for d in pre if d < days[0]] + days
    n_pre = len(ext) - len(days)
    ext_sales = [int(led.bills.amount[(led.bills.issue_day > a) & (led.bills.issue_day <= b)].sum())
                 for a, b in itertools.pairwise(ext)]
    ext_per = np.diff(ext)
    sales = ext_sales[n_pre:]
    cash = [cash_received(led, a, b) for a, b in itertools.pairwise(days)]
    per = np.diff(days)
    rows = []
    for i in range(1, len(days)):
        j = i + n_pre  # period i in the extended list
        back = max(0, j - count_back_months)
        s_back = ext_sales[back:j][::-1]
        d_back = ext_per[back:j][::-1]
        s, n = sales[i - 1], float(per[i - 1])
        rows.append({
            "as_of": day_to_ts(days[i]),
            "beginning_ar_minor": ar[i - 1],
            "credit_sales_minor": s,
            "paid_minor": cash[i - 1],
            "ending_ar_minor": ar[i],
            "ending_current_ar_minor": cur_ar[i],
            "days": int(n),
            "dso": simple_dso(ar[i], s, n),
            "count_back_dso": count_back_dso(ar[i], s_back, d_back),
            "bpdso": best_possible_dso(cur_ar[i], s, n),
            "add": average_days_delinquent(ar[i], cur_ar[i], s, n),
            "cei": cei(ar[i - 1], s, ar[i], cur_ar[i]),
        })
    return pd.DataFrame(rows)


def period_ledger(bills: pd.DataFrame, payments: pd.DataFrame, dates: Sequence[object],
                  who: str) -> tuple[list[int], Ledger]:
    """(period-end days, ledger up to the last) for per-period metrics of one currency."""
    days = sorted_days(dates)
    if len(days) < 2:
        raise ParameterError(f"dates needs at least two dates (period ends), got {list(dates)!r}")
    led = build_ledger(bills, payments, days[-1])
    if len(led.currencies) > 1:
        raise ParameterError(
            f"{who} needs one currency, got {list(led.currencies)}; "
            "filter bills and payments by currency first")
    return days, led


def cash_received(led: Ledger, after: int, upto: int) -> int:
    """Cash received in (after, upto]: payments only, not credit notes or write-offs."""
    m = (led.payments.kind == 0) & (led.payments.paid_day > after) & (led.payments.paid_day <= upto)
    return int(led.payments.amount[m].sum())


def sorted_days(dates: Sequence[object]) -> list[int]:
    """Dates as day numbers, checked to increase strictly."""
    if isinstance(dates, str | bytes) or not hasattr(dates, "__iter__"):
        raise ParameterError(f"dates must be a list of dates, got {dates!r}")
    days = [date_to_day(d, "dates") for d in dates]
    if any(b <= a for a, b in itertools.pairwise(days)):
        raise ParameterError("dates must increase strictly (e.g. consecutive month ends)")
    return days
