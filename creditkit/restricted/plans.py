"""Recovery plans (信用恢复计划): a balance repaid in monthly instalments, exact to the fen.

A customer who owes a balance they cannot pay at once agrees a plan: ``n``
monthly instalments from a start date, with interest on the principal still
owed and an optional plan fee. :func:`recovery_plan` makes one schedule;
:func:`recovery_plans` makes one per row of a table of balances.

How a schedule is made (and what it decides)
--------------------------------------------
- **Dates.** Instalment ``k`` falls due ``k`` months after ``start``, on
  ``day_of_month`` (default: the start's day), or on the month's last day when
  the month is shorter: a plan started on Jan 31 falls due on Feb 28 (Feb 29 in
  a leap year), Mar 31, Apr 30. The day is never lost to a short month.
- **Interest.** The monthly rate is ``annual_rate / 12``; each instalment's
  interest is the principal still owed times that rate, rounded to the minor
  unit by ``rounding`` (default half up, 四舍五入).
- **Methods.** ``"equal_instalment"`` (等额本息): principal plus interest is the
  same each month, the annuity payment rounded by ``rounding``.
  ``"equal_principal"`` (等额本金): the same principal each month, interest
  falling as the principal is repaid.
- **Exactness.** Amounts are integers of minor units; no float is used. The
  principal parts add up to the balance and the fee parts to the fee, exactly:
  the rounding residue is put on the **last instalment**, which takes the
  principal still owed. Every instalment is positive: a plan needs at least one
  minor unit of principal per instalment, so 0.02 cannot be split into three
  (the error says how many instalments it can take).

Examples
--------
>>> plan = recovery_plan(100001, start="2025-01-31", n=3)
>>> plan[["due_date", "amount_minor"]].astype(str).values.tolist()
[['2025-02-28', '33334'], ['2025-03-31', '33334'], ['2025-04-30', '33333']]
>>> int(plan["principal_minor"].sum())
100001
"""

from __future__ import annotations

import calendar
from decimal import Decimal, localcontext
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_date
from creditkit.exceptions import ParameterError
from creditkit.money import format_minor, minor_unit_exponent
from creditkit.money.iso import check_rounding

__all__ = ["METHODS", "PLAN_COLUMNS", "plan_due_dates", "recovery_plan", "recovery_plans"]

#: The ways a plan repays its principal.
METHODS = ("equal_instalment", "equal_principal")
#: The columns of one schedule, in order.
PLAN_COLUMNS = ("instalment", "due_date", "principal_minor", "interest_minor", "fee_minor",
                "amount_minor", "remaining_minor", "currency")
_MAX_INSTALMENTS = 600


def plan_due_dates(start: Any, n: int, day_of_month: int | None = None) -> pd.DatetimeIndex:
    """The due dates of ``n`` monthly instalments after ``start``, month ends kept.

    Parameters
    ----------
    start : date-like
        The plan's start; the first instalment falls due one month later.
    n : int
        How many instalments.
    day_of_month : int, optional
        The day each instalment falls due (1-31); a month without that day
        uses its last day. Default: the start's day.

    Returns
    -------
    DatetimeIndex

    Examples
    --------
    >>> plan_due_dates("2024-01-31", 3).strftime("%Y-%m-%d").tolist()
    ['2024-02-29', '2024-03-31', '2024-04-30']
    >>> plan_due_dates("2024-02-29", 2).strftime("%Y-%m-%d").tolist()
    ['2024-03-29', '2024-04-29']
    """
    begin = check_date(start, "start")
    n = _count(n)
    day = begin.day if day_of_month is None else _day(day_of_month)
    months = begin.year * 12 + begin.month - 1 + np.arange(1, n + 1)
    years, month0 = np.divmod(months, 12)
    days = [min(day, calendar.monthrange(int(y), int(m) + 1)[1])
            for y, m in zip(years, month0, strict=True)]
    return pd.DatetimeIndex(pd.to_datetime(
        {"year": years, "month": month0 + 1, "day": days}), name="due_date")


def _count(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, Integral) or not 1 <= int(n) <= _MAX_INSTALMENTS:
        raise ParameterError(f"n must be a whole number of instalments from 1 to "
                             f"{_MAX_INSTALMENTS}, got {n!r}; pass e.g. n=12")
    return int(n)


def _day(day: Any) -> int:
    if isinstance(day, bool) or not isinstance(day, Integral) or not 1 <= int(day) <= 31:
        raise ParameterError(f"day_of_month must be a day from 1 to 31, got {day!r}; pass e.g. "
                             "day_of_month=15 (31 means the last day of each month)")
    return int(day)


def _minor(value: Any, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ParameterError(f"{name} must be an integer of minor units (fen, cents), got "
                             f"{value!r} ({type(value).__name__}); convert an amount with "
                             "creditkit.money.to_minor_units('1000.01') first")
    if int(value) < minimum:
        raise ParameterError(f"{name} must be at least {minimum} minor units, got {int(value)}")
    return int(value)


def _rate(annual_rate: Any) -> Decimal:
    if isinstance(annual_rate, bool):
        annual_rate = None
    try:
        rate = Decimal(repr(annual_rate) if isinstance(annual_rate, float) else str(annual_rate))
    except (ArithmeticError, ValueError):
        rate = None
    if rate is None or not rate.is_finite() or not Decimal(0) <= rate < Decimal(1):
        raise ParameterError(f"annual_rate must be a yearly rate from 0 to below 1 (0.12 for "
                             f"12 %), got {annual_rate!r}; pass e.g. annual_rate='0.12'")
    return rate


def _round(value: Decimal, rounding: str) -> int:
    return int(value.quantize(Decimal(1), rounding=rounding))


def recovery_plan(balance_minor: int, *, start: Any, n: int,
                  method: str = "equal_instalment", annual_rate: Any = 0, fee_minor: int = 0,
                  day_of_month: int | None = None, currency: str = "CNY",
                  rounding: str = "ROUND_HALF_UP") -> pd.DataFrame:
    """One recovery plan: ``n`` monthly instalments that repay ``balance_minor`` exactly.

    Parameters
    ----------
    balance_minor : int
        The balance to repay, in minor units (fen); at least one per instalment.
    start : date-like
        The day the plan is agreed; the first instalment falls due a month later.
    n : int
        Number of monthly instalments (1-600).
    method : {"equal_instalment", "equal_principal"}, default "equal_instalment"
        等额本息 (the same amount each month) or 等额本金 (the same principal).
    annual_rate : str, Decimal, int or float, default 0
        Yearly interest rate on the principal still owed (``"0.12"`` = 12 %);
        read exactly (a float through its shortest text).
    fee_minor : int, default 0
        A plan fee in minor units, spread evenly over the instalments.
    day_of_month : int, optional
        Day the instalments fall due (month ends kept); default the start's day.
    currency : str, default "CNY"
        ISO 4217 code of the balance.
    rounding : str, default "ROUND_HALF_UP"
        How interest and the annuity payment are rounded to the minor unit
        (a ``decimal`` rounding mode name).

    Returns
    -------
    DataFrame
        One row per instalment: ``instalment`` (1..n), ``due_date``,
        ``principal_minor``, ``interest_minor``, ``fee_minor``, ``amount_minor``
        (their sum) and ``remaining_minor`` (principal owed after it), ``currency``.
        The principal sums to the balance and the fees to the fee, exactly;
        the residue of rounding is on the last instalment.

    Raises
    ------
    ParameterError
        A bad argument, or a balance too small for ``n`` positive instalments.

    Examples
    --------
    >>> p = recovery_plan(999999999, start="2025-01-15", n=36, annual_rate="0.12")
    >>> p["amount_minor"].iloc[[0, 1, -1]].tolist()  # the last takes the rounding residue
    [33214310, 33214310, 33214300]
    >>> int(p["principal_minor"].sum()), int(p["amount_minor"].sum() - p["interest_minor"].sum())
    (999999999, 999999999)
    >>> recovery_plan(2, start="2025-01-15", n=3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: a balance of ¥0.02 cannot be split into 3 ...; use at ...
    """
    balance = _minor(balance_minor, "balance_minor", minimum=1)
    fee = _minor(fee_minor, "fee_minor", minimum=0)
    n = _count(n)
    if method not in METHODS:
        raise ParameterError(f"method must be one of {list(METHODS)}, got {method!r}")
    rate = _rate(annual_rate) / 12
    check_rounding(rounding)
    minor_unit_exponent(currency)
    if balance < n:
        raise ParameterError(f"a balance of {format_minor(balance, currency)} cannot be split "
                             f"into {n} instalments of at least 1 minor unit each; use at most "
                             f"{balance} instalments")
    dates = plan_due_dates(start, n, day_of_month)
    principal, interest = _schedule(balance, n, rate, method, rounding)
    fees = np.full(n, fee // n, dtype=np.int64)
    fees[-1] += fee - int(fees.sum())
    amount = principal + interest + fees
    return pd.DataFrame({
        "instalment": np.arange(1, n + 1, dtype=np.int64),
        "due_date": dates.to_numpy(),
        "principal_minor": principal,
        "interest_minor": interest,
        "fee_minor": fees,
        "amount_minor": amount,
        "remaining_minor": balance - np.cumsum(principal),
        "currency": currency.upper(),
    })


def _schedule(balance: int, n: int, rate: Decimal, method: str,
              rounding: str) -> tuple[np.ndarray, np.ndarray]:
    """Principal and interest per instalment; the principal sums to ``balance`` exactly."""
    principal = np.zeros(n, dtype=np.int64)
    interest = np.zeros(n, dtype=np.int64)
    with localcontext() as ctx:
        ctx.prec = 50
        if method == "equal_principal":
            level = None
        elif rate == 0:
            level = _round(Decimal(balance) / n, rounding)
        else:
            level = _round(Decimal(balance) * rate / (1 - (1 + rate) ** -n), rounding)
        remaining = balance
        for k in range(n):
            owed = _round(Decimal(remaining) * rate, rounding)
            left = n - k - 1
            if left == 0:
                part = remaining
            elif level is None:
                part = balance // n
            else:
                part = max(level - owed, 0)
            # keep at least one minor unit of principal for every later instalment
            part = min(part, remaining - left)
            if level is not None and part == 0 and owed == 0:
                part = 1
            principal[k], interest[k] = part, owed
            remaining -= part
    return principal, interest


def recovery_plans(balances: pd.DataFrame, *, start: Any, n: int,
                   method: str = "equal_instalment", annual_rate: Any = 0, fee_minor: int = 0,
                   day_of_month: int | None = None,
                   rounding: str = "ROUND_HALF_UP") -> pd.DataFrame:
    """One recovery plan per row of ``balances``, stacked, each with its ``plan_id``.

    Parameters
    ----------
    balances : DataFrame
        ``customer_id``, ``balance_minor``, ``currency``; optional columns
        ``start``, ``n``, ``method``, ``annual_rate``, ``fee_minor`` override the
        keyword defaults for their row.
    start, n, method, annual_rate, fee_minor, day_of_month, rounding
        As in :func:`recovery_plan`, for rows without their own.

    Returns
    -------
    DataFrame
        ``plan_id`` (``customer_id@start/currency``), ``customer_id``, ``start`` and the
        columns of :func:`recovery_plan`.

    Raises
    ------
    ParameterError
        A missing column, a repeated (customer, currency), or a bad row (named).

    Examples
    --------
    >>> import pandas as pd
    >>> b = pd.DataFrame({"customer_id": ["C1", "C2"], "balance_minor": [30000, 100],
    ...                   "currency": "CNY", "n": [3, 2]})
    >>> plans = recovery_plans(b, start="2025-06-30", n=6)
    >>> plans.groupby("plan_id")["amount_minor"].sum().to_dict()
    {'C1@2025-06-30/CNY': 30000, 'C2@2025-06-30/CNY': 100}
    """
    if not isinstance(balances, pd.DataFrame):
        raise ParameterError(f"balances must be a DataFrame, got {type(balances).__name__}")
    need = ["customer_id", "balance_minor", "currency"]
    missing = [c for c in need if c not in balances.columns]
    if missing:
        raise ParameterError(f"balances has no column {missing[0]!r}; it needs {need} (one row "
                             "per customer and currency to put on a plan)")
    if balances.duplicated(["customer_id", "currency"]).any():
        dup = balances.loc[balances.duplicated(["customer_id", "currency"]), "customer_id"].iloc[0]
        raise ParameterError(f"balances repeats customer {dup!r} in one currency; sum their "
                             "balances into one row per customer and currency first")
    defaults = {"start": start, "n": n, "method": method, "annual_rate": annual_rate,
                "fee_minor": fee_minor}
    parts = []
    for row in balances.to_dict("records"):
        args = {k: (row[k] if k in row and not _blank(row[k]) else v) for k, v in defaults.items()}
        args["n"], args["fee_minor"] = _as_int(args["n"]), _as_int(args["fee_minor"])
        begin = check_date(args.pop("start"), "start")
        try:
            plan = recovery_plan(_as_int(row["balance_minor"]), start=begin,
                                 currency=str(row["currency"]), day_of_month=day_of_month,
                                 rounding=rounding, **args)
        except ParameterError as exc:
            raise ParameterError(f"customer {row['customer_id']!r}: {exc}") from None
        plan.insert(0, "start", begin)
        plan.insert(0, "customer_id", row["customer_id"])
        plan_id = f"{row['customer_id']}@{begin:%Y-%m-%d}/{plan['currency'].iat[0]}"
        plan.insert(0, "plan_id", plan_id)
        parts.append(plan)
    if not parts:
        cols = ["plan_id", "customer_id", "start", *PLAN_COLUMNS]
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return pd.concat(parts, ignore_index=True)


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _as_int(value: Any) -> Any:
    """numpy integers and whole floats (a column with gaps) as int; anything else as given."""
    if isinstance(value, np.integer) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    return value
