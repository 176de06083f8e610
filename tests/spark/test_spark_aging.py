"""Allocation, aging, aging over time and roll rates on Spark equal pandas (200,000 bills)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit import aging
from creditkit import spark as cks

pytestmark = pytest.mark.spark


def test_the_aging_chain_equals_pandas(book, spark_book, same_rows, as_of):
    """customer_aging, portfolio_aging, aging_at_dates and roll_rates on 200,000 bills."""
    bills, pays = book["bills"], book["payments"]
    assert len(bills) >= 200_000
    assert pays["customer_id"].isna().any()  # unclaimed payments are in the book
    b, p = spark_book["bills"], spark_book["payments"]

    got = cks.to_pandas(cks.customer_aging(b, p, as_of=as_of))
    expected = aging.customer_aging(bills, pays, as_of=as_of)
    same_rows(got, expected, ["customer_id", "currency"])
    assert int(got["outstanding_minor"].sum()) == int(expected["outstanding_minor"].sum())

    pd.testing.assert_frame_equal(cks.portfolio_aging(b, p, as_of=as_of, partitions=7),
                                  aging.portfolio_aging(bills, pays, as_of=as_of),
                                  check_dtype=False, check_exact=True)

    ends = aging.month_ends("2024-01-31", "2025-12-31")
    history = cks.aging_at_dates(b, p, dates=ends, validate=False).cache()
    exp_history = aging.aging_at_dates(bills, pays, dates=ends)
    same_rows(cks.to_pandas(history), exp_history, ["as_of", "customer_id", "currency"])
    pd.testing.assert_frame_equal(cks.roll_rates(history), aging.roll_rates(exp_history),
                                  check_dtype=False, check_exact=True)
    history.unpersist()


def test_allocation_and_bill_aging_equal_pandas(book, spark_book, same_rows, as_of):
    b, p = spark_book["bills"], spark_book["payments"]
    alloc = cks.allocate_payments(b, p, as_of=as_of, mode="fifo")
    expected = aging.allocate_payments(book["bills"], book["payments"], as_of=as_of)
    same_rows(cks.to_pandas(alloc.allocations), expected.allocations, ["payment_id", "bill_id"])
    same_rows(cks.to_pandas(alloc.unapplied), expected.unapplied, ["customer_id", "currency"])
    bills = cks.to_pandas(cks.bill_aging(b, p, as_of=as_of, buckets="m", mode="explicit"))
    same_rows(bills, aging.bill_aging(book["bills"], book["payments"], as_of=as_of,
                                      buckets="m", mode="explicit"), ["bill_id"])


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
