"""The book every Spark test compares on: one 200,000-bill generator portfolio per run.

Generated once per session and put into the one local[2] Spark session once (cached);
each pandas reference is computed once, in the one test that compares with it, so that
`make spark` stays within CI's minutes on 2 shared cores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

#: Customers of the mixed BNPL/B2B generator book giving just over 200,000 bills.
BIG_CUSTOMERS = 21_600
AS_OF = "2025-09-30"
END = "2025-12-31"


def generated(n_customers: int) -> dict[str, pd.DataFrame]:
    from creditkit.datasets import make_portfolio

    return make_portfolio(n_customers, seed=5, kind="mixed", start="2024-01-01", end=END)


def in_spark(spark, tables: dict[str, pd.DataFrame], names: tuple[str, ...]) -> dict:
    """Tables as cached Spark DataFrames (dates as date, money as bigint)."""
    from creditkit.spark import from_pandas

    out = {}
    for name in names:
        out[name] = from_pandas(spark, tables[name]).cache()
        out[name].count()
    return out


@pytest.fixture(scope="session")
def book() -> dict[str, pd.DataFrame]:
    """The 200,000-bill book (pandas)."""
    return generated(BIG_CUSTOMERS)


@pytest.fixture(scope="session")
def spark_book(spark, book) -> dict:
    """The same book as cached Spark DataFrames."""
    out = in_spark(spark, book, ("bills", "payments", "customers", "transactions",
                                 "applications"))
    yield out
    for frame in out.values():
        frame.unpersist()


def _same_rows(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str], *,
               ulps: dict[str, int] | None = None) -> None:
    """Equal as tables: same columns in the same order, same rows once sorted by ``keys``.

    Text and categories are compared as Python strings (a Spark column has no category
    dtype), missing as None; numbers and dates by value, integers exactly. Columns in
    ``ulps`` are floats allowed that many units in the last place apart (and nothing more).
    """
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)

    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
        for col in frame.columns:
            s = frame[col]
            if not (pd.api.types.is_numeric_dtype(s.dtype) or
                    pd.api.types.is_datetime64_any_dtype(s.dtype)) or isinstance(
                    s.dtype, pd.CategoricalDtype):
                frame[col] = s.astype(object).where(s.notna(), None)
            elif pd.api.types.is_integer_dtype(s.dtype):
                frame[col] = s.astype("Int64")
        return frame

    got, expected = plain(got), plain(expected)
    for col, n in (ulps or {}).items():
        a, b = got.pop(col).to_numpy(float), expected.pop(col).to_numpy(float)
        assert np.array_equal(np.isnan(a), np.isnan(b))
        np.testing.assert_array_max_ulp(a[~np.isnan(a)], b[~np.isnan(b)], maxulp=n)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=True)


@pytest.fixture(scope="session")
def same_rows():
    """The table comparison of the Spark tests (see ``_same_rows``)."""
    return _same_rows


@pytest.fixture(scope="session")
def as_of() -> str:
    return AS_OF
