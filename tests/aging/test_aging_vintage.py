"""vintage, FPD, collection multiplier, collection_metrics."""

from __future__ import annotations

import pandas as pd
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
    f30 = fpd(bills, pays, as_of="2025-06-30", dpd=30).iloc[0]
    assert (f30["n_loans"], f30["n_fpd"], f30["amount_fpd_rate"]) == (2, 1, 0.5)
    # paid 40 days late: not in default at 45 days
    assert fpd(bills, pays, as_of="2025-06-30", dpd=45).iloc[0]["n_fpd"] == 0
    # not yet observable
    assert fpd(bills, pays, as_of="2025-03-01", dpd=30).empty


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


def test_count_back_dso_reaches_months_before_the_first_date(loans):
    # February's AR (300) counts back over February's sales (0) and January's (400):
    # 28 days + 300/400 x 31 days, though January is before the first date given
    bills, pays = loans
    cm = collection_metrics(bills, pays, dates=["2025-01-31", "2025-02-28"])
    assert cm["count_back_dso"].iloc[0] == pytest.approx(28 + 300 / 400 * 31)
    one = collection_metrics(bills, pays, dates=["2025-01-31", "2025-02-28"],
                             count_back_months=1)
    assert one["count_back_dso"].iloc[0] == pytest.approx(28)  # AR outlasts the one month


def test_raises(loans):
    bills, pays = loans
    with pytest.raises(ParameterError, match="whole number of days"):
        fpd(bills, pays, as_of="2025-06-30", dpd=-1)
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
    with pytest.raises(ParameterError, match="count_back_months must be a positive int"):
        collection_metrics(bills, pays, dates=["2025-01-31", "2025-02-28"], count_back_months=0)


def test_fpd_exact_when_outstanding_grows_between_month_ends(bills_of, payments_of):
    # P1 prepays Y (issued 02-05): until then FIFO puts it on X, so X is paid at 01-31;
    # from 02-05 P1 belongs to Y and X owes 100 again until P2 on 02-20, paid by 02-28.
    # At X's observation day 02-09 (due 01-10 + 30) X is unpaid: a first-payment default.
    # (Z, observed in December, makes the month-end grid start before X's window.)
    z = {"bill_id": "Z", "invoice_id": "LZ", "customer_id": "Z", "issue_date": "2024-10-01",
         "due_date": "2024-11-01", "amount_minor": 100}
    bills = bills_of([z,
        {"bill_id": "X", "invoice_id": "LX", "due_date": "2025-01-10", "amount_minor": 100},
        {"bill_id": "Y", "invoice_id": "LY", "issue_date": "2025-02-05",
         "due_date": "2025-03-05", "amount_minor": 100}])
    pays = payments_of([
        {"payment_id": "P1", "paid_date": "2025-01-05", "amount_minor": 100, "bill_id": "Y"},
        {"payment_id": "P2", "paid_date": "2025-02-20", "amount_minor": 100}])
    f = fpd(bills, pays, as_of="2025-06-30", dpd=30).set_index("vintage")
    assert f.loc["2025-01", "n_fpd"] == 1 and f.loc["2024-10", "n_fpd"] == 1
    # the same with a backdated bill due before X that takes the FIFO cash
    bills2 = bills_of([z,
        {"bill_id": "X", "invoice_id": "LX", "due_date": "2025-01-10", "amount_minor": 100},
        {"bill_id": "W", "invoice_id": "LW", "issue_date": "2025-02-05",
         "due_date": "2025-01-09", "amount_minor": 100}])
    pays2 = payments_of([
        {"payment_id": "P1", "paid_date": "2025-01-05", "amount_minor": 100},
        {"payment_id": "P2", "paid_date": "2025-02-20", "amount_minor": 100}])
    f2 = fpd(bills2, pays2, as_of="2025-06-30", dpd=30).set_index("vintage")
    assert f2.loc["2025-01", "n_fpd"] == 1


def test_cash_is_payments_only_in_both_metrics(loans, payments_of):
    # a credit note and a write-off lower AR but bring no cash
    bills, pays = loans
    extra = payments_of([
        {"payment_id": "CN", "customer_id": "B", "paid_date": "2025-02-25", "amount_minor": 30,
         "kind": "credit_note"},
        {"payment_id": "WO", "customer_id": "B", "paid_date": "2025-02-26", "amount_minor": 20,
         "kind": "write_off"}])
    both = pd.concat([pays, extra], ignore_index=True)
    dates = ["2025-01-31", "2025-02-28"]
    cm = collection_metrics(bills, both, dates=dates)
    mult = collection_multiplier(bills, both, dates=dates)
    assert cm["paid_minor"].tolist() == mult["paid_minor"].tolist() == [100]
    assert cm["ending_ar_minor"].iloc[0] == 400 - 100 - 50


def test_fpd_keyword_x_is_deprecated_for_dpd(bills_of, payments_of):
    import warnings

    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        old = fpd(bills, pays, as_of="2025-06-30", x=30)
        fpd(bills, pays, as_of="2025-06-30", x=30)
    assert [str(w.message) for w in seen if w.category is FutureWarning] == [
        "fpd(x=) is deprecated and will be removed in creditkit 0.3; use fpd(dpd=)"]
    pd.testing.assert_frame_equal(old, fpd(bills, pays, as_of="2025-06-30", dpd=30))
    with pytest.raises(TypeError, match="dpd="):
        fpd(bills, pays, as_of="2025-06-30", x=30, dpd=30)
