"""Reconciliation on Spark equals the pandas reconciliation of the whole book, analysts'
decisions applied."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.collections import reconcile
from creditkit.exceptions import SchemaError
from creditkit.spark import from_pandas, to_pandas
from creditkit.spark import reconcile as spark_reconcile

pytestmark = pytest.mark.spark


def decisions_for(book: dict, as_of: str) -> pd.DataFrame:
    """Confirmations and rejections an analyst could make on this book: a payment of unknown
    payer confirmed to a bill, a payment confirmed to another customer's bill, and the bill a
    payment names rejected."""
    bills = book["bills"]
    pays = book["payments"][book["payments"]["paid_date"] <= as_of]
    issued = bills[bills["issue_date"] <= as_of]
    unknown = pays[pays["customer_id"].isna() & pays["bill_id"].isna()].iloc[0]
    known = pays[pays["customer_id"].notna() & pays["bill_id"].isna()].iloc[0]
    named = pays[pays["customer_id"].notna() & pays["bill_id"].notna()].iloc[0]
    rows = []
    for k, pay in enumerate((unknown, known)):
        other = issued[(issued["currency"] == pay["currency"])
                       & (issued["customer_id"] != pay["customer_id"])].iloc[k]
        rows.append((pay["payment_id"], other["bill_id"],
                     min(int(pay["amount_minor"]), int(other["amount_minor"])), "confirm"))
    rows.append((named["payment_id"], named["bill_id"], 0, "reject"))
    return pd.DataFrame(rows, columns=["payment_id", "bill_id", "amount_minor", "decision"])


def test_reconciliation_with_decisions_equals_pandas(book, spark_book, same_rows, as_of):
    decisions = decisions_for(book, as_of)
    got = spark_reconcile(spark_book["payments"], spark_book["bills"], spark_book["customers"],
                          as_of=as_of, decisions=decisions)
    expected = reconcile(book["payments"], book["bills"], book["customers"], as_of=as_of,
                         decisions=decisions)
    # the book has payers found only by name and payments no rule can place
    assert (expected.by_payment["payer_method"] == "name_exact").any()
    assert (expected.by_payment["payer_method"] == "bill_reference").any()
    assert expected.by_payment["customer_id"].isna().any()
    # the decisions took effect: two manual allocations, the rejected pair never made
    manual = expected.allocations[expected.allocations["method"] == "manual"]
    assert sorted(manual["payment_id"]) == sorted(decisions["payment_id"].iloc[:2])
    rejected = decisions.iloc[2]
    assert not ((expected.allocations["payment_id"] == rejected["payment_id"])
                & (expected.allocations["bill_id"] == rejected["bill_id"])).any()
    same_rows(to_pandas(got.allocations), expected.allocations, ["payment_id", "bill_id"])
    same_rows(to_pandas(got.writeoffs), expected.writeoffs, ["payment_id", "bill_id"])
    same_rows(to_pandas(got.exceptions), expected.exceptions, ["payment_id"])
    same_rows(to_pandas(got.by_payment), expected.by_payment, ["payment_id"])
    pd.testing.assert_frame_equal(got.summary, expected.summary.astype(
        {"currency": object, "channel": object}), check_dtype=False, check_exact=True)
    assert set(got.stats) == set(expected.stats)


def test_a_bad_decision_names_its_row(spark, book, spark_book, as_of):
    decisions = decisions_for(book, as_of)
    decisions.loc[1, "bill_id"] = "NO-SUCH-BILL"
    with pytest.raises(SchemaError, match=r"decisions row 1: bill 'NO-SUCH-BILL' is not in"):
        spark_reconcile(spark_book["payments"], spark_book["bills"], spark_book["customers"],
                        as_of=as_of, decisions=from_pandas(spark, decisions))
