"""Input checks and the "known at as_of" cut shared by the behaviour modules.

Everything a behaviour feature may see is cut here, once, at the top of each
public function: bills by issue date, payments by received date, transactions
by date and customers by onboarding date, each on or before ``as_of``.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from creditkit.aging import keys
from creditkit.checks import check_as_of, check_date, date_to_day
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import validate

REQUIRED_TABLES = ("customers", "bills", "payments")
_DATE_COLS = {"bills": "issue_date", "payments": "paid_date", "transactions": "txn_date"}
# the columns the behaviour modules and the ledger engine read (free text is left behind)
_USED = {
    "bills": ("bill_id", "invoice_id", "customer_id", "issue_date", "due_date", "amount_minor",
              "currency", "kind"),
    "payments": ("payment_id", "customer_id", "paid_date", "amount_minor", "currency", "kind",
                 "channel", "bill_id", "invoice_id"),
    "transactions": ("txn_id", "customer_id", "txn_date", "amount_minor", "currency"),
}


@dataclass(frozen=True)
class Known:
    """The tables as known at one date, and the customers in one sorted order."""

    as_of: pd.Timestamp
    day: int
    customers: pd.DataFrame  # known customers, sorted by customer_id, index 0..n-1
    bills: pd.DataFrame
    payments: pd.DataFrame
    transactions: pd.DataFrame | None
    ids: pd.Index  # customer ids, sorted
    id_text: pa.ChunkedArray  # the same, as Arrow text, for lookups
    open_day: np.ndarray  # int64
    currencies: pa.ChunkedArray  # the customers' distinct currencies
    currency: np.ndarray  # int64: each customer's currency in ``currencies``, -1 when missing


def check_tables(tables: object) -> Mapping[str, pd.DataFrame]:
    """The portfolio dict, with its required tables validated against the schema."""
    if not isinstance(tables, Mapping):
        raise ParameterError(
            f"tables must be a dict of DataFrames (as make_portfolio returns), got "
            f"{type(tables).__name__}; pass e.g. tables=load_or_make(path)")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise SchemaError(
            f"tables lacks {missing}; behaviour scores need customers, bills and payments "
            f"(transactions optional); got {sorted(map(str, tables))}")
    for name in (*REQUIRED_TABLES, "transactions"):
        if tables.get(name) is not None:
            validate(tables[name], name)
    if "open_date" not in tables["customers"].columns:
        raise SchemaError(
            "customers lacks column 'open_date'; months on book and who is known at as_of "
            "need each customer's onboarding date: add it (e.g. the first bill's issue date)")
    if tables["customers"]["open_date"].isna().any():
        n = int(tables["customers"]["open_date"].isna().sum())
        raise SchemaError(f"customers.open_date has {n} missing value(s); fill them first "
                          "(e.g. with the customer's first bill issue date)")
    return tables


def check_windows(windows: object) -> tuple[int, ...]:
    """Window lengths in months: positive integers, increasing, at most 120."""
    if isinstance(windows, numbers.Integral) and not isinstance(windows, bool):
        windows = (windows,)
    if not isinstance(windows, Sequence) or isinstance(windows, str) or not windows:
        raise ParameterError(f"windows must be a non-empty sequence of months, got {windows!r}; "
                             "pass e.g. windows=(3, 6, 12)")
    out = []
    for w in windows:
        if isinstance(w, bool) or not isinstance(w, numbers.Integral) or not 1 <= w <= 120:
            raise ParameterError(f"each window must be a whole number of months in 1..120, got "
                                 f"{w!r} in windows={tuple(windows)!r}; pass e.g. (3, 6, 12)")
        out.append(int(w))
    if sorted(set(out)) != out:
        raise ParameterError(f"windows must be increasing without repeats, got {tuple(out)}; "
                             "pass e.g. (3, 6, 12)")
    return tuple(out)


def check_dates(dates: object) -> list[pd.Timestamp]:
    """Observation dates: a non-empty increasing sequence of dates, checked one by one."""
    if isinstance(dates, str) or not isinstance(dates, Sequence | pd.Index | np.ndarray) or (
            len(dates) == 0):
        raise ParameterError(f"dates must be a non-empty sequence of dates, got {dates!r}; "
                             "pass e.g. creditkit.aging.month_ends('2024-06-30', '2025-03-31')")
    out = [check_date(d, "dates") for d in dates]
    if any(b <= a for a, b in itertools.pairwise(out)):
        raise ParameterError("dates must be increasing without repeats; sort them first")
    return out


def check_months(value: object, name: str, *, low: int = 1, high: int = 120) -> int:
    """A whole number in ``low..high`` (months or days)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not (
            low <= value <= high):
        raise ParameterError(f"{name} must be a whole number in {low}..{high}, got {value!r}")
    return int(value)


def shift_months(ts: pd.Timestamp, months: int) -> pd.Timestamp:
    """``ts`` moved by whole calendar months (a month end stays a month end)."""
    out = ts + pd.DateOffset(months=months)
    if ts.is_month_end:
        out = out + pd.offsets.MonthEnd(0)
    return out


def observation_dates(as_of: pd.Timestamp, n: int) -> list[pd.Timestamp]:
    """``as_of`` and the ``n - 1`` month ends before its month, increasing."""
    prev = as_of - pd.offsets.MonthEnd(1) if not as_of.is_month_end else as_of
    ends = list(pd.date_range(end=prev, periods=n, freq="ME"))
    if as_of.is_month_end:
        return ends
    return [*ends[1:], as_of]


def days_of(s: pd.Series) -> np.ndarray:
    """A datetime column as int64 days since 1970-01-01."""
    return s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def data_end_of(tables: Mapping[str, pd.DataFrame]) -> int:
    """The latest date any table holds, as a day (the data's end, when not given)."""
    ends = []
    for name, col in _DATE_COLS.items():
        df = tables.get(name)
        if df is not None and len(df):
            ends.append(int(days_of(df[col]).max()))
    if not ends:
        raise ParameterError("the tables hold no dated row; pass data_end= explicitly")
    return max(ends)


def known_at(tables: Mapping[str, pd.DataFrame], as_of: object) -> Known:
    """Every table cut to what was known on ``as_of`` (one filter per table)."""
    check_tables(tables)
    ts = check_as_of(as_of)
    day = date_to_day(ts)
    cust = tables["customers"]
    c_open = days_of(cust["open_date"])
    cust = cust.loc[c_open <= day]
    if len(cust) == 0:
        first = tables["customers"]["open_date"].min()
        raise ParameterError(
            f"as_of {ts.date()} is before every customer's open_date (the first is "
            f"{pd.Timestamp(first).date()}); pass an as_of inside the data")
    if cust["customer_id"].duplicated().any():
        dup = cust.loc[cust["customer_id"].duplicated(), "customer_id"].head(3).tolist()
        raise SchemaError(f"customers.customer_id repeats {dup}; one row per customer, "
                          "deduplicate first (creditkit.cleaning)")
    cust = cust.sort_values("customer_id", kind="stable").reset_index(drop=True)
    cut = {}
    for name, col in _DATE_COLS.items():
        df = tables.get(name)
        if df is not None:
            df = df[[c for c in df.columns if c in _USED[name]]]
        cut[name] = None if df is None else df.loc[days_of(df[col]) <= day]
    if "currency" in cust.columns:
        cur_text = keys.text(cust["currency"])
        currencies = pa.chunked_array([cur_text.unique().drop_null()])
        currency = keys.lookup(cur_text, currencies)
    else:
        currencies = pa.chunked_array([pa.array([], pa.large_string())])
        currency = np.full(len(cust), -1, dtype=np.int64)
    return Known(as_of=ts, day=day, customers=cust, bills=cut["bills"],
                 payments=cut["payments"], transactions=cut["transactions"],
                 ids=pd.Index(cust["customer_id"].astype(object)),
                 id_text=keys.text(cust["customer_id"]),
                 open_day=days_of(cust["open_date"]), currencies=currencies,
                 currency=currency)


def customer_pos(k: Known, ids: pd.Series) -> np.ndarray:
    """Position of each id among the known customers, -1 when unknown or missing."""
    return keys.lookup(keys.text(ids), k.id_text)


def own_currency(k: Known, pos: np.ndarray, currency: pd.Series) -> np.ndarray:
    """Rows of a known customer, in that customer's own currency."""
    ok = pos >= 0
    code = keys.lookup(keys.text(currency), k.currencies)
    theirs = np.where(ok, k.currency[np.where(ok, pos, 0)], -2) if len(k.currency) else pos
    return ok & ((code == theirs) | (theirs == -1))
