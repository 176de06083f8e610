"""bill_aging / customer_aging / portfolio_aging and the bucket presets."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import (
    bill_aging,
    customer_aging,
    portfolio_aging,
    resolve_buckets,
)
from creditkit.exceptions import ParameterError

AS_OF = pd.Timestamp("2025-06-30")


@pytest.mark.parametrize(("dpd", "days", "m"), [
    (-1, "current", "M0"), (0, "current", "M0"), (1, "1-30", "M1"), (30, "1-30", "M1"),
    (31, "31-60", "M2"), (90, "61-90", "M3"), (91, "91-120", "M4"), (120, "91-120", "M4"),
    (121, "120+", "M5"), (180, "120+", "M6"), (181, "120+", "M7")])
def test_bucket_edges(bills_of, payments_of, dpd, days, m):
    due = AS_OF - pd.Timedelta(days=dpd)
    bills = bills_of([{"bill_id": "B", "issue_date": due - pd.Timedelta(days=400),
                       "due_date": due, "amount_minor": 100}])
    pays = payments_of([])
    got = bill_aging(bills, pays, as_of=AS_OF).iloc[0]
    assert (got["dpd"], got["bucket"]) == (dpd, days)
    assert bill_aging(bills, pays, as_of=AS_OF, buckets="m").iloc[0]["bucket"] == m


def test_bill_due_on_as_of_is_current_and_payment_on_as_of_counts(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B", "due_date": AS_OF, "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P", "paid_date": AS_OF, "amount_minor": 40}])
    row = customer_aging(bills, pays, as_of=AS_OF).iloc[0]
    assert (row["current"], row["past_due_minor"], row["worst_dpd"]) == (60, 0, 0)


def test_five_class_and_custom_edges(bills_of, payments_of):
    bills = bills_of([{"bill_id": f"B{d}", "issue_date": "2023-01-01",
                       "due_date": AS_OF - pd.Timedelta(days=d), "amount_minor": 10}
                      for d in (0, 90, 91, 181, 361)])
    pays = payments_of([])
    got = bill_aging(bills, pays, as_of=AS_OF, buckets="five_class", edges=[0, 90, 180, 360])
    assert got["bucket"].tolist() == ["normal", "special_mention", "substandard", "doubtful",
                                      "loss"]
    cust = customer_aging(bills, pays, as_of=AS_OF, buckets=[0, 100])
    assert cust[["current", "1-100", "100+"]].iloc[0].tolist() == [10, 20, 20]


def test_issue_basis_ages_on_issue_date(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B", "issue_date": "2025-05-01", "due_date": "2025-07-31",
                       "amount_minor": 10}])
    got = bill_aging(bills, payments_of([]), as_of=AS_OF, basis="issue").iloc[0]
    assert (got["age"], got["dpd"], got["bucket"]) == (60, -31, "31-60")


def test_bills_issued_after_as_of_do_not_exist(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B", "issue_date": "2025-07-01", "due_date": "2025-07-31",
                       "amount_minor": 10}])
    assert bill_aging(bills, payments_of([]), as_of=AS_OF).empty


def test_customer_aging_net_credit_balance_and_only_credits(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B", "due_date": "2025-05-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P", "paid_date": "2025-06-01", "amount_minor": 130},
                        {"payment_id": "C", "customer_id": "Z", "paid_date": "2025-06-01",
                         "amount_minor": 7, "kind": "credit_note"}])
    got = customer_aging(bills, pays, as_of=AS_OF).set_index("customer_id")
    assert got.loc["A", "net_balance_minor"] == -30
    assert pd.isna(got.loc["A", "bucket"])
    assert (got.loc["Z", "outstanding_minor"], got.loc["Z", "unapplied_minor"]) == (0, 7)


def test_zero_amount_bill_has_no_bucket(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B", "due_date": "2025-05-31", "amount_minor": 0}])
    got = bill_aging(bills, payments_of([]), as_of=AS_OF).iloc[0]
    assert got["outstanding_minor"] == 0 and pd.isna(got["bucket"])


def test_portfolio_aging_sums_and_shares(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-05-31", "amount_minor": 300},
                      {"bill_id": "B2", "customer_id": "B", "due_date": "2025-07-31",
                       "amount_minor": 100}])
    t = portfolio_aging(bills, payments_of([]), as_of=AS_OF).set_index("bucket")
    assert t["outstanding_minor"].sum() == 400
    assert t.loc["1-30", "share"] == pytest.approx(0.75)
    assert t.loc["current", "n_customers"] == 1


def test_fx_report_currency(bills_of, payments_of):
    pytest.importorskip("creditkit.money")
    rates = pd.DataFrame({"currency": ["USD"], "rate_date": pd.to_datetime(["2025-06-01"]),
                          "to_CNY": ["7.10"]})
    bills = bills_of([{"bill_id": "U", "due_date": "2025-05-31", "amount_minor": 100,
                       "currency": "USD"},
                      {"bill_id": "C", "due_date": "2025-05-31", "amount_minor": 100}])
    cust = customer_aging(bills, payments_of([]), as_of=AS_OF, fx=rates)
    assert cust[["currency", "outstanding_minor", "1-30"]].values.tolist() == [["CNY", 810, 810]]
    port = portfolio_aging(bills, payments_of([]), as_of=AS_OF, fx=rates)
    assert port["outstanding_minor"].sum() == 810


def test_inputs_not_mutated(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B", "due_date": "2025-05-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P", "paid_date": "2025-06-01", "amount_minor": 30}])
    b0, p0 = bills.copy(deep=True), pays.copy(deep=True)
    for f in (bill_aging, customer_aging, portfolio_aging):
        f(bills, pays, as_of=AS_OF)
    pd.testing.assert_frame_equal(bills, b0)
    pd.testing.assert_frame_equal(pays, p0)


def test_raises(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B", "due_date": "2025-05-31", "amount_minor": 100}])
    pays = payments_of([])
    with pytest.raises(ParameterError, match="unknown aging basis 'paid'"):
        bill_aging(bills, pays, as_of=AS_OF, basis="paid")
    with pytest.raises(ParameterError, match="unknown bucket preset 'weeks'"):
        customer_aging(bills, pays, as_of=AS_OF, buckets="weeks")
    with pytest.raises(ParameterError, match="needs the caller's edges"):
        bill_aging(bills, pays, as_of=AS_OF, buckets="five_class")
    with pytest.raises(ParameterError, match="exactly 4 edges"):
        resolve_buckets("five_class", edges=[0, 90])
    with pytest.raises(ParameterError, match="only used with buckets='five_class'"):
        resolve_buckets("days", edges=[0, 90])
    with pytest.raises(ParameterError, match="start at 0 and increase strictly"):
        resolve_buckets([0, 30, 30])
    with pytest.raises(ParameterError, match="whole days"):
        resolve_buckets([0, 30.5])
    with pytest.raises(ParameterError, match="sequence of whole days"):
        resolve_buckets([0, "x"])
    with pytest.raises(ParameterError, match=r"fx must be a creditkit\.money\.FXTable"):
        bill_aging(bills, pays, as_of=AS_OF, fx=42, report_currency="USD")


def test_worst_customers_masks_names_and_raises(bills_of, payments_of):
    from creditkit.aging import worst_customers

    bills = bills_of([{"bill_id": "B1", "customer_id": "A", "due_date": "2025-05-31",
                       "amount_minor": 100},
                      {"bill_id": "B2", "customer_id": "B", "due_date": "2025-04-30",
                       "amount_minor": 300},
                      {"bill_id": "B3", "customer_id": "C", "due_date": "2025-07-31",
                       "amount_minor": 900}])
    cust = customer_aging(bills, payments_of([]), as_of=AS_OF)
    names = pd.DataFrame({"customer_id": ["A", "B", "C"], "name": ["张三", "李四", "王五"]})
    top = worst_customers(cust, customers=names, n=5)
    assert top[["customer_id", "name"]].values.tolist() == [["B", "李*"], ["A", "张*"]]
    assert "王五" not in top.to_string() and "李四" not in top.to_string()
    with pytest.raises(ParameterError, match="n must be a positive int"):
        worst_customers(cust, n=0)
    with pytest.raises(ParameterError, match="needs the table of customer_aging"):
        worst_customers(cust.drop(columns="worst_dpd"))


def test_fx_uses_the_latest_rate_on_or_before_as_of(bills_of, payments_of):
    pytest.importorskip("creditkit.money")
    rates = pd.DataFrame({"currency": ["USD", "USD"],
                          "rate_date": pd.to_datetime(["2025-05-01", "2025-07-01"]),
                          "to_CNY": ["7.00", "7.50"]})
    bills = bills_of([{"bill_id": "U", "due_date": "2025-05-31", "amount_minor": 1000,
                       "currency": "USD"}])
    pays = payments_of([{"payment_id": "P", "paid_date": "2025-06-01", "amount_minor": 1200,
                         "currency": "USD", "bill_id": "U"}])
    june = bill_aging(bills, pays, as_of=AS_OF, fx=rates, report_currency="CNY").iloc[0]
    assert (june["outstanding_report_minor"], june["report_currency"]) == (0, "CNY")
    late = bills_of([{"bill_id": "U", "due_date": "2025-05-31", "amount_minor": 1000,
                      "currency": "USD"}])
    for as_of, want in (("2025-06-30", 7000), ("2025-07-15", 7500)):
        got = bill_aging(late, payments_of([]), as_of=as_of, fx=rates).iloc[0]
        assert got["outstanding_report_minor"] == want
    # the 200 USD overpaid is unapplied, converted at the as_of rate too
    cust = customer_aging(bills, pays, as_of=AS_OF, fx=rates).iloc[0]
    assert (cust["currency"], cust["unapplied_minor"], cust["net_balance_minor"]) == \
        ("CNY", 1400, -1400)
