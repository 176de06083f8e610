"""vintage, FPD, collection multiplier, collection_metrics."""

from __future__ import annotations

import pytest

from creditkit.aging import collection_metrics, collection_multiplier, fpd, vintage
from creditkit.exceptions import ParameterError


@pytest.fixture
def loans(bills_of, payments_of):
    # two loans of two instalments issued in January; L1 pays on time, L2 pays its
    # first instalment 40 days late
    bills = bills_of([
        {"bill_id": "L1/1", "invoice_id": "L1", "customer_id": "A", "issue_date": "2025-01-10",
         "due_date": "2025-02-10", "amount_minor": 100},
        {"bill_id": "L1/2", "invoice_id": "L1", "customer_id": "A", "issue_date": "2025-01-10",
         "due_date": "2025-03-10", "amount_minor": 100},
        {"bill_id": "L2/1", "invoice_id": "L2", "customer_id": "B", "issue_date": "2025-01-20",
         "due_date": "2025-02-20", "amount_minor": 100},
        {"bill_id": "L2/2", "invoice_id": "L2", "customer_id": "B", "issue_date": "2025-01-20",
         "due_date": "2025-03-20", "amount_minor": 100}])
    pays = payments_of([
        {"payment_id": "A1", "customer_id": "A", "paid_date": "2025-02-10", "amount_minor": 100},
        {"payment_id": "A2", "customer_id": "A", "paid_date": "2025-03-10", "amount_minor": 100},
        {"payment_id": "B1", "customer_id": "B", "paid_date": "2025-04-01", "amount_minor": 100}])
    return bills, pays


def test_fpd_exact_at_due_plus_x(loans):
    bills, pays = loans
    f30 = fpd(bills, pays, as_of="2025-06-30", x=30).iloc[0]
    assert (f30["n_loans"], f30["n_fpd"], f30["amount_fpd_rate"]) == (2, 1, 0.5)
    # paid 40 days late: not in default at 45 days
    assert fpd(bills, pays, as_of="2025-06-30", x=45).iloc[0]["n_fpd"] == 0
    # not yet observable
    assert fpd(bills, pays, as_of="2025-03-01", x=30).empty


def test_vintage_share_30_plus_and_ever(loans):
    bills, pays = loans
    v = vintage(bills, pays, as_of="2025-06-30", dpd=30).set_index("mob")
    assert v.loc[2, "rate"] == pytest.approx(100 / 400)  # L2/1 is 39 dpd at 03-31
    assert v.loc[3, "rate"] == pytest.approx(100 / 400)  # L2/2 41 dpd at 04-30
    ev = vintage(bills, pays, as_of="2025-06-30", dpd=30, ever=True).set_index("mob")
    assert ev.loc[5, "rate"] == pytest.approx(200 / 400)
    assert vintage(bills, pays, as_of="2025-06-30", max_mob=1)["mob"].max() == 1


def test_collection_multiplier_and_metrics(loans):
    bills, pays = loans
    m = collection_multiplier(bills, pays, dates=["2025-01-31", "2025-02-28", "2025-03-31"])
    assert m["due_minor"].tolist() == [200, 200]
    assert m["multiplier"].tolist() == [0.5, 0.5]
    cm = collection_metrics(bills, pays, dates=["2024-12-31", "2025-01-31", "2025-02-28"])
    jan, feb = cm.iloc[0], cm.iloc[1]
    assert (jan["credit_sales_minor"], jan["ending_ar_minor"]) == (400, 400)
    assert jan["cei"] != jan["cei"]  # no AR was collectable: undefined, NaN
    # feb: begin 400, sales 0, end 300, current 200 -> (400-300)/(400-200)
    assert feb["cei"] == pytest.approx(0.5)


def test_raises(loans):
    bills, pays = loans
    with pytest.raises(ParameterError, match="whole number of days"):
        fpd(bills, pays, as_of="2025-06-30", x=-1)
    with pytest.raises(ParameterError, match="whole number of days"):
        vintage(bills, pays, as_of="2025-06-30", dpd=2.5)
    with pytest.raises(ParameterError, match="at least two dates"):
        collection_multiplier(bills, pays, dates=["2025-01-31"])
    with pytest.raises(ParameterError, match="at least two dates"):
        collection_metrics(bills, pays, dates=["2025-01-31"])
    usd = bills.assign(currency=["CNY", "CNY", "USD", "USD"])
    with pytest.raises(ParameterError, match="needs one currency"):
        collection_multiplier(usd, pays, dates=["2025-01-31", "2025-02-28"])
    with pytest.raises(ParameterError, match="needs one currency"):
        collection_metrics(usd, pays, dates=["2025-01-31", "2025-02-28"])
