"""The book the Spark tests compare on: a generator portfolio of about 200,000 bills.

Built once per run, with its Spark copies (cached) and the pandas results the Spark
functions must equal.
"""

from __future__ import annotations

import pandas as pd
import pytest

#: Customers of the mixed BNPL/B2B generator book giving just over 200,000 bills.
N_CUSTOMERS = 21_600
AS_OF = "2025-09-30"
END = "2025-12-31"


@pytest.fixture(scope="session")
def book() -> dict[str, pd.DataFrame]:
    from creditkit.datasets import make_portfolio

    return make_portfolio(N_CUSTOMERS, seed=5, kind="mixed", start="2024-01-01", end=END)


@pytest.fixture(scope="session")
def spark_book(spark, book) -> dict:
    """The book's tables as cached Spark DataFrames (dates as date, money as bigint)."""
    from creditkit.spark import from_pandas

    out = {}
    for name in ("bills", "payments", "customers", "transactions", "applications"):
        out[name] = from_pandas(spark, book[name]).cache()
        out[name].count()
    yield out
    for frame in out.values():
        frame.unpersist()


def _same_rows(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    """Equal as tables: same columns in the same order, same rows once sorted by ``keys``.

    Text and categories are compared as Python strings (a Spark column has no category
    dtype), missing as None; numbers and dates by value, integers exactly.
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

    pd.testing.assert_frame_equal(plain(got), plain(expected), check_dtype=False,
                                  check_exact=True)


@pytest.fixture(scope="session")
def same_rows():
    """The table comparison of the Spark tests (see ``_same_rows``)."""
    return _same_rows


@pytest.fixture(scope="session")
def as_of() -> str:
    return AS_OF
