"""Reconciliation on Spark equals the pandas reconciliation of the whole book."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.collections import reconcile
from creditkit.spark import reconcile as spark_reconcile
from creditkit.spark import to_pandas

pytestmark = pytest.mark.spark


def test_reconciliation_equals_pandas(book, spark_book, same_rows, as_of):
    got = spark_reconcile(spark_book["payments"], spark_book["bills"], spark_book["customers"],
                          as_of=as_of)
    expected = reconcile(book["payments"], book["bills"], book["customers"], as_of=as_of)
    # the book has payers found only by name and payments no rule can place
    assert (expected.by_payment["payer_method"] == "name_exact").any()
    assert (expected.by_payment["payer_method"] == "bill_reference").any()
    assert expected.by_payment["customer_id"].isna().any()
    same_rows(to_pandas(got.allocations), expected.allocations, ["payment_id", "bill_id"])
    same_rows(to_pandas(got.writeoffs), expected.writeoffs, ["payment_id", "bill_id"])
    same_rows(to_pandas(got.exceptions), expected.exceptions, ["payment_id"])
    same_rows(to_pandas(got.by_payment), expected.by_payment, ["payment_id"])
    pd.testing.assert_frame_equal(got.summary, expected.summary.astype(
        {"currency": object, "channel": object}), check_dtype=False, check_exact=True)
    assert set(got.stats) == set(expected.stats)
