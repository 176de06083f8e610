"""Allocation, aging, aging over time and roll rates on Spark equal pandas on the whole book."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit import aging
from creditkit import spark as cks

pytestmark = pytest.mark.spark


def test_the_book_has_200k_bills(book):
    assert len(book["bills"]) >= 200_000
    # unclaimed payments and payments without customer that name a bill are both present
    pays = book["payments"]
    assert pays["customer_id"].isna().any()
    assert (pays["customer_id"].isna() & pays["bill_id"].notna()).any()


def test_customer_aging_equals_pandas(book, spark_book, same_rows, as_of):
    got = cks.to_pandas(cks.customer_aging(spark_book["bills"], spark_book["payments"],
                                           as_of=as_of))
    expected = aging.customer_aging(book["bills"], book["payments"], as_of=as_of)
    same_rows(got, expected, ["customer_id", "currency"])
    # money in = money out: the exact sums agree too
    assert int(got["outstanding_minor"].sum()) == int(expected["outstanding_minor"].sum())


def test_allocation_and_bill_aging_equal_pandas(book, spark_book, same_rows, as_of):
    b, p = spark_book["bills"], spark_book["payments"]
    alloc = cks.allocate_payments(b, p, as_of=as_of, mode="fifo")
    expected = aging.allocate_payments(book["bills"], book["payments"], as_of=as_of)
    same_rows(cks.to_pandas(alloc.allocations), expected.allocations, ["payment_id", "bill_id"])
    same_rows(cks.to_pandas(alloc.unapplied), expected.unapplied, ["customer_id", "currency"])
    bills = cks.to_pandas(cks.bill_aging(b, p, as_of=as_of, buckets="m", mode="explicit"))
    same_rows(bills, aging.bill_aging(book["bills"], book["payments"], as_of=as_of,
                                      buckets="m", mode="explicit"), ["bill_id"])


def test_portfolio_aging_is_combined_exactly(book, spark_book, same_rows, as_of):
    got = cks.portfolio_aging(spark_book["bills"], spark_book["payments"], as_of=as_of,
                              partitions=7)
    expected = aging.portfolio_aging(book["bills"], book["payments"], as_of=as_of)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=True)


def test_history_and_roll_rates_equal_pandas(book, spark_book, same_rows, as_of):
    ends = aging.month_ends("2024-01-31", "2025-12-31")
    history = cks.aging_at_dates(spark_book["bills"], spark_book["payments"], dates=ends)
    expected = aging.aging_at_dates(book["bills"], book["payments"], dates=ends)
    same_rows(cks.to_pandas(history), expected, ["as_of", "customer_id", "currency"])
    rolls = cks.roll_rates(history.cache())
    pd.testing.assert_frame_equal(rolls, aging.roll_rates(expected), check_dtype=False,
                                  check_exact=True)
    history.unpersist()


def test_slices_do_not_change_the_rows(book, spark_book, spark, same_rows, as_of):
    """Any number of customer slices gives the same rows, here on a small part of the book."""
    ids = book["customers"]["customer_id"].iloc[:400]
    b = book["bills"][book["bills"]["customer_id"].isin(ids)]
    p = book["payments"][book["payments"]["customer_id"].isin(ids)
                         | book["payments"]["customer_id"].isna()]
    sb, sp = cks.from_pandas(spark, b), cks.from_pandas(spark, p)
    expected = aging.customer_aging(b, p, as_of=as_of)
    for n in (1, 5):
        got = cks.to_pandas(cks.customer_aging(sb, sp, as_of=as_of, partitions=n))
        same_rows(got, expected, ["customer_id", "currency"])
