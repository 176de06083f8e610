"""Tests of creditkit.overview: totals conserved, as_of respected, currencies kept apart."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.overview import (
    balances_by,
    channel_mix,
    customer_balances,
    issued_paid_by_month,
    portfolio_summary,
)

AS_OF = "2025-03-31"


@pytest.fixture
def book() -> dict[str, pd.DataFrame]:
    customers = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3"], "name": ["甲", "乙", "丙"],
        "kind": ["consumer", "business", "business"], "region": ["华东", "华北", None],
        "open_date": pd.to_datetime(["2024-12-01", "2025-01-01", "2025-05-01"])})
    bills = pd.DataFrame({
        "bill_id": ["B1", "B2", "B3", "B4", "B5"], "invoice_id": ["I1", "I1", "I2", "I3", "I4"],
        "customer_id": ["C1", "C1", "C2", "C2", "C3"],
        "issue_date": pd.to_datetime(["2025-01-05", "2025-01-05", "2025-01-20", "2025-03-31",
                                      "2025-04-01"]),
        "due_date": pd.to_datetime(["2025-02-05", "2025-03-05", "2025-03-01", "2025-05-01",
                                    "2025-05-01"]),
        "amount_minor": [10_000, 10_000, 500_000, 1_000, 7_000],
        "currency": ["CNY", "CNY", "CNY", "USD", "CNY"],
        "kind": ["instalment", "instalment", "invoice", "invoice", "invoice"]})
    payments = pd.DataFrame({
        "payment_id": ["P1", "P2", "P3", "P4", "P5"],
        "customer_id": ["C1", "C2", None, "C2", "C1"],
        "paid_date": pd.to_datetime(["2025-02-05", "2025-03-10", "2025-03-11", "2025-03-20",
                                     "2025-04-02"]),
        "amount_minor": [10_000, 300_000, 2_500, 50_000, 10_000],
        "currency": ["CNY"] * 5,
        "kind": ["payment", "payment", "payment", "credit_note", "payment"],
        "channel": ["alipay", "bank_transfer", None, None, "alipay"]})
    return {"customers": customers, "bills": bills, "payments": payments}


def test_customer_balances_billed_minus_settled(book: dict[str, pd.DataFrame]) -> None:
    per = customer_balances(book, as_of=AS_OF).set_index(["customer_id", "currency"])
    assert per.loc[("C1", "CNY"), "net_balance_minor"] == 10_000  # B1+B2 − P1; P5 after as_of
    assert per.loc[("C2", "CNY"), "net_balance_minor"] == 500_000 - 300_000 - 50_000
    assert per.loc[("C2", "USD"), "net_balance_minor"] == 1_000  # issued on as_of: counts
    # paid is cash only; the credit note P4 is settled but not paid
    assert per.loc[("C2", "CNY"), ["paid_minor", "credited_minor", "written_off_minor",
                                   "settled_minor"]].tolist() == [300_000, 50_000, 0, 350_000]
    anonymous = per.reset_index().loc[lambda d: d["customer_id"].isna()]
    assert anonymous[["product", "region", "net_balance_minor"]].values.tolist() == [
        ["unattributed", "unattributed", -2_500]]
    assert "C3" not in per.index.get_level_values(0)  # its only bill is after as_of
    assert per.loc[("C1", "CNY"), "product"] == "bnpl"
    assert per.loc[("C2", "CNY"), "product"] == "b2b"


def test_totals_in_equal_totals_out(book: dict[str, pd.DataFrame]) -> None:
    ts = pd.Timestamp(AS_OF)
    bills, payments = book["bills"], book["payments"]
    by = balances_by(book, as_of=AS_OF)
    for cur in ("CNY", "USD"):
        billed = bills.loc[(bills["issue_date"] <= ts) & (bills["currency"] == cur),
                           "amount_minor"].sum()
        upto = payments.loc[(payments["paid_date"] <= ts) & (payments["currency"] == cur)]
        settled = upto["amount_minor"].sum()
        paid = upto.loc[upto["kind"] == "payment", "amount_minor"].sum()
        part = by.loc[by["currency"] == cur]
        assert part["billed_minor"].sum() == billed and part["settled_minor"].sum() == settled
        assert part["paid_minor"].sum() == paid
        assert (part[["paid_minor", "credited_minor", "written_off_minor"]].sum(axis=1)
                == part["settled_minor"]).all()
        assert part["net_balance_minor"].sum() == billed - settled
    assert by["net_balance_minor"].dtype == "int64"


def test_balances_by_sorted_largest_first(book: dict[str, pd.DataFrame]) -> None:
    by = balances_by(book, ["region"], as_of=AS_OF)
    cny = by.loc[by["currency"] == "CNY", ["region", "net_balance_minor", "n_customers_active"]]
    assert cny.to_dict("list") == {"region": ["华北", "华东", "unattributed"],
                                   "net_balance_minor": [150_000, 10_000, -2_500],
                                   "n_customers_active": [1, 1, 0]}
    assert balances_by(book, "product", as_of=AS_OF)["product"].tolist() == [
        "b2b", "bnpl", "unattributed", "b2b"]


def test_summary(book: dict[str, pd.DataFrame]) -> None:
    s = portfolio_summary(book, as_of=AS_OF).set_index("currency")
    assert s.loc["CNY", "n_customers_on_file"] == 2  # C3 opens after as_of
    assert s.loc["CNY", "n_bills"] == 3 and s.loc["USD", "n_bills"] == 1
    assert s.loc["CNY", "n_payments"] == 3 and s.loc["USD", "n_payments"] == 0  # cash only
    assert s.loc["CNY", "paid_minor"] == 312_500 and s.loc["CNY", "settled_minor"] == 362_500
    assert s.loc["CNY", "net_balance_minor"] == 520_000 - 362_500


def test_issued_paid_by_month_fills_gaps(book: dict[str, pd.DataFrame]) -> None:
    m = issued_paid_by_month(book, as_of=AS_OF)
    cny = m.loc[m["currency"] == "CNY"]
    assert cny["month"].dt.strftime("%Y-%m").tolist() == ["2025-01", "2025-02", "2025-03"]
    assert cny["billed_minor"].tolist() == [520_000, 0, 0]
    assert cny["paid_minor"].tolist() == [0, 10_000, 302_500]  # cash only
    assert cny["credited_minor"].tolist() == [0, 0, 50_000]
    assert cny["settled_minor"].tolist() == [0, 10_000, 352_500]
    assert cny["n_payments"].tolist() == [0, 1, 2]
    assert m["billed_minor"].sum() == 521_000
    empty = issued_paid_by_month(book, as_of="2020-01-01")
    assert empty.empty and list(empty.columns) == list(m.columns)


def test_channel_mix_counts_payments_only(book: dict[str, pd.DataFrame]) -> None:
    mix = channel_mix(book, as_of=AS_OF)
    assert mix[["channel", "count", "amount_minor"]].to_dict("list") == {
        "channel": ["bank_transfer", "alipay", "unknown"], "count": [1, 1, 1],
        "amount_minor": [300_000, 10_000, 2_500]}
    assert mix["share"].sum() == pytest.approx(1.0)


def test_inputs_not_mutated(book: dict[str, pd.DataFrame]) -> None:
    before = {k: v.copy() for k, v in book.items()}
    for f in (customer_balances, portfolio_summary, issued_paid_by_month, channel_mix):
        f(book, as_of=AS_OF)
    balances_by(book, as_of=AS_OF)
    for k, v in book.items():
        pd.testing.assert_frame_equal(v, before[k])


def test_product_column_wins_over_kind(book: dict[str, pd.DataFrame]) -> None:
    book = {**book, "customers": book["customers"].assign(product=["pay_in_4", "net_30", "x"])}
    assert set(balances_by(book, "product", as_of=AS_OF)["product"]) == {
        "pay_in_4", "net_30", "unattributed"}
    regions = customer_balances({**book, "bills": book["bills"].assign(customer_id="C3")},
                                as_of="2025-12-31")
    assert regions.loc[regions["customer_id"] == "C3", "region"].unique().tolist() == ["unknown"]


def test_errors(book: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(ParameterError, match="as_of must be a date"):
        balances_by(book, as_of="not a date")
    with pytest.raises(ParameterError, match="as_of must be timezone-naive"):
        customer_balances(book, as_of=pd.Timestamp("2025-03-31", tz="Asia/Shanghai"))
    with pytest.raises(ParameterError, match="by must name 'product' and/or 'region'"):
        balances_by(book, ["industry"], as_of=AS_OF)
    with pytest.raises(SchemaError, match=r"missing table\(s\) \['payments'\]"):
        portfolio_summary({"customers": book["customers"], "bills": book["bills"]}, as_of=AS_OF)
    with pytest.raises(ParameterError, match="expected a dict of tables"):
        channel_mix([book["payments"]], as_of=AS_OF)
    bad = {**book, "bills": book["bills"].assign(amount_minor=1.5)}
    with pytest.raises(SchemaError, match="amount_minor is float64"):
        customer_balances(bad, as_of=AS_OF)


def test_real_portfolio_conserves_money(small_portfolio: dict[str, pd.DataFrame],
                                        portfolio_as_of: str) -> None:
    by = balances_by(small_portfolio, as_of=portfolio_as_of)
    total = portfolio_summary(small_portfolio, as_of=portfolio_as_of)
    assert by["net_balance_minor"].sum() == total["net_balance_minor"].sum()
    assert by["settled_minor"].sum() == small_portfolio["payments"]["amount_minor"].sum()
    cash = small_portfolio["payments"].loc[lambda p: p["kind"] == "payment", "amount_minor"]
    assert total["paid_minor"].sum() == cash.sum() < total["settled_minor"].sum()
    assert by["billed_minor"].sum() == small_portfolio["bills"]["amount_minor"].sum()


def test_a_payment_without_kind_is_cash(book: dict[str, pd.DataFrame]) -> None:
    no_kind = {**book, "payments": book["payments"].drop(columns="kind")}
    s = portfolio_summary(no_kind, as_of=AS_OF).set_index("currency")
    assert s.loc["CNY", "paid_minor"] == s.loc["CNY", "settled_minor"] == 362_500
    assert s.loc["CNY", "credited_minor"] == 0
