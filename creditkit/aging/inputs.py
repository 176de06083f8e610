"""Guards at the boundary of the ledger: unique ids, and totals an int64 can hold.

Both run once per call on whole columns, vectorised, before any allocation:

- ``bill_id`` and ``payment_id`` must each be unique, or allocation keys
  (payment, bill) would repeat and a bill could be paid twice;
- per currency, the total of the absolute amounts of bills and payments must
  fit in an int64, so that no per-customer or portfolio sum (billed, paid,
  outstanding, a bucket) can wrap around. A float64 total screens every
  currency (its relative error is far below the margin kept); only a currency
  near the limit is summed exactly, in two 32-bit halves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from creditkit.aging import keys
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["INT64_MAX", "check_totals", "check_unique_ids", "repeated_ids"]

INT64_MAX = int(np.iinfo(np.int64).max)
#: Below this a float64 total surely is below INT64_MAX (summing error < 2^-20 relative).
_SCREEN = float(INT64_MAX) * (1.0 - 2.0**-20)


def repeated_ids(table: str, col: str, ids: pd.Series) -> SchemaError:
    """The error for repeated ids in ``table.col``, naming up to five of them and the fix.

    Examples
    --------
    >>> print(repeated_ids("bills", "bill_id", pd.Series(["B1", "B1", "B2"])))  # doctest: +ELLIPSIS
    bills.bill_id repeats ['B1'] (2 rows share an id); each bill needs one row, ...
    """
    dup = keys.duplicated_values(keys.text(ids))
    n = int(ids.duplicated(keep=False).sum())
    return SchemaError(
        f"{table}.{col} repeats {dup} ({n} rows share an id); each {col[:-3]} needs one "
        f"row, or allocations would repeat: drop the repeated rows (e.g. "
        f"{table}.drop_duplicates('{col}')) or give them distinct ids — "
        f"creditkit.cleaning.clean_{table} does this and quarantines the copies")


def check_unique_ids(bills: pd.DataFrame, payments: pd.DataFrame) -> None:
    """Refuse a repeated ``bills.bill_id`` or ``payments.payment_id`` (SchemaError).

    When payments name bills (``payments.bill_id``), the ledger's lookup of
    those bills hashes ``bills.bill_id`` anyway and refuses repeats there with
    the same message; the bills are then not hashed twice.

    Examples
    --------
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B1"]})
    >>> check_unique_ids(bills, pd.DataFrame({"payment_id": []}))
    Traceback (most recent call last):
    ...
    creditkit.exceptions.SchemaError: bills.bill_id repeats ['B1'] (2 rows share an id); ...
    """
    names_bills = "bill_id" in payments.columns and bool(payments["bill_id"].notna().any())
    for frame, table, col in ((bills, "bills", "bill_id"), (payments, "payments", "payment_id")):
        if col not in frame.columns or len(frame) < 2 or (table == "bills" and names_bills):
            continue
        if len(pc.unique(keys.text(frame[col]))) != len(frame):  # a null counts as one value
            raise repeated_ids(table, col, frame[col])


def _exact_total(amounts: np.ndarray) -> int:
    """The exact sum of non-negative int64 ``amounts`` as a Python int (no wrap)."""
    hi = (amounts >> 32).sum(dtype=np.int64)  # each < 2^31: safe for < 2^32 rows
    lo = (amounts & 0xFFFFFFFF).sum(dtype=np.int64)
    return int(hi) * 2**32 + int(lo)


def check_totals(amounts: list[np.ndarray], currency_codes: list[np.ndarray],
                 currencies: pd.Index) -> None:
    """Refuse when a currency's total of absolute amounts is past what an int64 holds.

    Parameters
    ----------
    amounts : list of numpy.ndarray
        int64 amounts in minor units (bills, payments).
    currency_codes : list of numpy.ndarray
        The currency code (index into ``currencies``) of each amount.
    currencies : pandas.Index
        The currencies the codes point to.

    Raises
    ------
    ParameterError
        Naming the currency, its exact total and the fix.

    Examples
    --------
    >>> big = np.array([2**62, 2**62], dtype=np.int64)
    >>> check_totals([big], [np.zeros(2, np.int64)], pd.Index(["CNY"]))
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: the CNY amounts total 9223372036854775808 minor ...
    """
    n = max(len(currencies), 1)
    approx = np.zeros(n)
    for amt, code in zip(amounts, currency_codes, strict=True):
        if len(amt):
            approx += np.bincount(code, weights=np.abs(amt).astype(np.float64), minlength=n)
    for c in np.flatnonzero(approx >= _SCREEN):
        exact = sum(_exact_total(np.abs(amt[code == c]))
                    for amt, code in zip(amounts, currency_codes, strict=True))
        if exact > INT64_MAX:
            raise ParameterError(
                f"the {currencies[c]} amounts total {exact} minor units (bills and payments "
                f"together), past the {INT64_MAX} an int64 holds, so balances could not be "
                "summed exactly; check for amounts in the wrong unit (yuan read as fen, an "
                "extra zero) or age a smaller portfolio at a time")
