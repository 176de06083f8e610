"""aging_at_dates, roll rates, flow rates, cure rate."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import (
    aging_at_dates,
    allocate_payments,
    bill_aging,
    cure_rate,
    flow_rates,
    month_ends,
    roll_rate_matrix,
    roll_rates,
)
from creditkit.exceptions import ParameterError

DATES = ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"]


@pytest.fixture
def book(bills_of, payments_of):
    bills = bills_of([
        {"bill_id": "A1", "customer_id": "A", "due_date": "2025-01-15", "amount_minor": 100},
        {"bill_id": "B1", "customer_id": "B", "due_date": "2025-02-15", "amount_minor": 200},
        {"bill_id": "C1", "customer_id": "C", "issue_date": "2025-03-01",
         "due_date": "2025-03-31", "amount_minor": 300}])
    pays = payments_of([
        {"payment_id": "PA", "customer_id": "A", "paid_date": "2025-03-10", "amount_minor": 100},
        {"payment_id": "PB", "customer_id": "B", "paid_date": "2025-04-10", "amount_minor": 200}])
    return bills, pays


def test_history_states(book):
    h = aging_at_dates(*book, dates=DATES)
    got = {(str(r.as_of.date()), r.customer_id): (r.outstanding_minor, r.bucket)
           for r in h.itertuples()}
    assert got == {
        ("2025-01-31", "A"): (100, "M1"), ("2025-01-31", "B"): (200, "M0"),
        ("2025-02-28", "A"): (100, "M2"), ("2025-02-28", "B"): (200, "M1"),
        ("2025-03-31", "B"): (200, "M2"), ("2025-03-31", "C"): (300, "M0"),
        ("2025-04-30", "C"): (300, "M1")}


def test_roll_rates_include_new_and_closed(book):
    r = roll_rates(aging_at_dates(*book, dates=DATES))
    feb = r[r["to_date"] == pd.Timestamp("2025-03-31")]
    cols = ["from_bucket", "to_bucket", "count", "outstanding_minor"]
    cells = {(a, b): (n, bal) for a, b, n, bal in feb[cols].itertuples(index=False)}
    assert cells == {("M2", "closed"): (1, 100), ("M1", "M2"): (1, 200), ("new", "M0"): (1, 300)}
    m = roll_rate_matrix(r)
    assert m.loc["M1", "M2"] == pytest.approx(1.0)
    # A (100) closes from M2 in March, B (200) in April
    assert roll_rate_matrix(r, value="outstanding", normalize=False).loc["M2", "closed"] == 300


def test_flow_and_cure_rates(book):
    h = aging_at_dates(*book, dates=DATES)
    f = flow_rates(h)
    # M0 at 01-31 is B's 200; M1 at 02-28 is B's 200
    assert f.loc[pd.Timestamp("2025-02-28"), "M0→M1"] == pytest.approx(1.0)
    assert f.loc[pd.Timestamp("2025-03-31"), "M1→M2"] == pytest.approx(1.0)
    c = cure_rate(h).set_index("as_of")
    assert c.loc[pd.Timestamp("2025-03-31"), "cure_rate"] == pytest.approx(0.5)
    assert c.loc[pd.Timestamp("2025-04-30"), "cured"] == 1


def test_month_ends_and_raises(book):
    assert len(month_ends("2025-01-01", "2025-12-31")) == 12
    with pytest.raises(ParameterError, match=r"end .* is before start"):
        month_ends("2025-02-01", "2025-01-01")
    with pytest.raises(ParameterError, match="dates must increase strictly"):
        aging_at_dates(*book, dates=["2025-02-28", "2025-01-31"])
    with pytest.raises(ParameterError, match="dates must be a list of dates"):
        aging_at_dates(*book, dates="2025-02-28")
    with pytest.raises(ParameterError, match="dates is empty"):
        aging_at_dates(*book, dates=[])
    with pytest.raises(ParameterError, match="history lacks column"):
        roll_rates(pd.DataFrame({"as_of": []}))
    with pytest.raises(ParameterError, match="history must be a DataFrame"):
        flow_rates([1])
    with pytest.raises(ParameterError, match="value must be one of"):
        roll_rate_matrix(roll_rates(aging_at_dates(*book, dates=DATES)), value="amount")


def test_inputs_not_mutated(book):
    bills, pays = book
    b0, p0 = bills.copy(deep=True), pays.copy(deep=True)
    h = aging_at_dates(bills, pays, dates=DATES)
    h0 = h.copy(deep=True)
    roll_rates(h)
    flow_rates(h)
    cure_rate(h)
    pd.testing.assert_frame_equal(bills, b0)
    pd.testing.assert_frame_equal(pays, p0)
    pd.testing.assert_frame_equal(h, h0)


def test_last_month_ends():
    from creditkit.aging import last_month_ends

    assert [str(d.date()) for d in last_month_ends("2025-03-15", 2)] == [
        "2025-01-31", "2025-02-28"]
    assert str(last_month_ends("2025-03-31", 1)[0].date()) == "2025-03-31"
    # opening=True adds the opening-balance month end in front, for n whole periods
    assert last_month_ends("2025-03-15", 2, opening=True) == last_month_ends("2025-03-15", 3)
    assert last_month_ends("2025-03-15", 2, opening=True)[1:] == last_month_ends("2025-03-15", 2)
    with pytest.raises(ParameterError, match="n must be a positive number of months"):
        last_month_ends("2025-03-31", 0)


@pytest.mark.parametrize("mode", ["fifo", "explicit"])
def test_payment_naming_a_later_bill_and_an_invoice_waits_for_the_bill(
        bills_of, payments_of, mode):
    # P1 names bill X2 (issued 03-01) and invoice INV (instalment X1, open since 01-01):
    # before 03-01 it waits for X2 (unapplied; FIFO may use it), it never pays INV
    bills = bills_of([
        {"bill_id": "X1", "invoice_id": "INV", "due_date": "2025-01-20", "amount_minor": 100},
        {"bill_id": "X2", "invoice_id": "X2", "issue_date": "2025-03-01",
         "due_date": "2025-03-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 100,
                         "bill_id": "X2", "invoice_id": "INV"}])
    dates = ["2025-02-28", "2025-03-31"]
    hist = aging_at_dates(bills, pays, dates=dates, mode=mode)
    for d in dates:
        one = bill_aging(bills, pays, as_of=d, mode=mode).set_index("bill_id")
        at = hist[hist["as_of"] == pd.Timestamp(d)]  # no row: nothing owed or unapplied
        assert at["outstanding_minor"].sum() == one["outstanding_minor"].sum()
    feb = bill_aging(bills, pays, as_of="2025-02-28", mode=mode).set_index("bill_id")
    # explicit: P1 is unapplied in February; fifo: FIFO (not the invoice rule) pays X1
    assert feb.loc["X1", "outstanding_minor"] == (0 if mode == "fifo" else 100)
    _, left = allocate_payments(bills, pays, as_of="2025-02-28", mode=mode)
    assert left["unapplied_minor"].iloc[0] == (0 if mode == "fifo" else 100)
    mar = bill_aging(bills, pays, as_of="2025-03-31", mode=mode).set_index("bill_id")
    assert mar["outstanding_minor"].to_dict() == {"X1": 100, "X2": 0}


def test_flow_into_the_last_bucket_counts_only_new_arrivals(bills_of, payments_of):
    # S sits in M7 already; N moves M6 -> M7: the M6->M7 flow is 200/200, not (100+200)/200
    bills = bills_of([
        {"bill_id": "S", "issue_date": "2024-09-01", "due_date": "2024-10-01",
         "amount_minor": 100},
        {"bill_id": "N", "issue_date": "2024-11-15", "due_date": "2024-12-15",
         "amount_minor": 200}])
    hist = aging_at_dates(bills, payments_of([]), dates=["2025-05-31", "2025-06-30"])
    assert hist["into_last_minor"].tolist() == [0, 200]
    assert hist["M7"].tolist() == [100, 300]
    f = flow_rates(hist)
    assert f["M6→M7"].iloc[0] == pytest.approx(1.0)
    # without the column (a hand-made history) the last step is the stock ratio
    assert flow_rates(hist.drop(columns="into_last_minor"))["M6→M7"].iloc[0] == \
        pytest.approx(1.5)


def test_dates_passed_positionally_still_works_and_warns_once(book):
    with pytest.warns(FutureWarning, match=r"aging_at_dates\(bills, payments, dates=\.\.\.\)"):
        old = aging_at_dates(*book, DATES)
    pd.testing.assert_frame_equal(old, aging_at_dates(*book, dates=DATES))
    with pytest.raises(TypeError, match="dates="):
        aging_at_dates(*book, DATES, dates=DATES)


def test_roll_rate_matrix_value_balance_is_deprecated(book):
    r = roll_rates(aging_at_dates(*book, dates=DATES))
    with pytest.warns(FutureWarning, match='value="outstanding"'):
        old = roll_rate_matrix(r, value="balance")
    pd.testing.assert_frame_equal(old, roll_rate_matrix(r, value="outstanding"))
