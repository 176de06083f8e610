"""allocate_payments: rules, edges, money conservation, errors."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import allocate_payments
from creditkit.exceptions import ParameterError, SchemaError


def test_named_bill_excess_stays_unapplied_in_explicit(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100},
                      {"bill_id": "B2", "due_date": "2025-02-28", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 150,
                         "bill_id": "B1"}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31", mode="explicit")
    assert alloc[["bill_id", "amount_minor", "method"]].values.tolist() == [["B1", 100, "explicit"]]
    assert left["unapplied_minor"].tolist() == [50]
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31", mode="fifo")
    assert alloc[["bill_id", "amount_minor", "method"]].values.tolist() == [
        ["B1", 100, "explicit"], ["B2", 50, "fifo"]]
    assert left["unapplied_minor"].tolist() == [0]


def test_two_payments_to_one_bill_take_turns_by_date(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([
        {"payment_id": "P2", "paid_date": "2025-02-02", "amount_minor": 80, "bill_id": "B1"},
        {"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 80, "bill_id": "B1"}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31", mode="explicit")
    assert alloc.set_index("payment_id")["amount_minor"].to_dict() == {"P1": 80, "P2": 20}
    assert left["unapplied_minor"].tolist() == [60]


def test_invoice_payment_pays_instalments_oldest_due_first(bills_of, payments_of):
    bills = bills_of([
        {"bill_id": "I/2", "invoice_id": "I", "due_date": "2025-03-01", "amount_minor": 100},
        {"bill_id": "I/1", "invoice_id": "I", "due_date": "2025-02-01", "amount_minor": 100},
        {"bill_id": "X", "due_date": "2025-01-15", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P", "paid_date": "2025-02-10", "amount_minor": 150,
                         "invoice_id": "I"}])
    alloc, _ = allocate_payments(bills, pays, as_of="2025-03-31", mode="explicit")
    assert alloc.set_index("bill_id")["amount_minor"].to_dict() == {"I/1": 100, "I/2": 50}


def test_currencies_never_mix(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 100,
                         "currency": "USD"},
                        {"payment_id": "P2", "paid_date": "2025-02-01", "amount_minor": 100,
                         "currency": "USD", "bill_id": "B1"}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    assert alloc.empty
    assert left.set_index("currency")["unapplied_minor"].to_dict() == {"USD": 200}


def test_payment_after_as_of_ignored_and_on_as_of_counts(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-03-31", "amount_minor": 30},
                        {"payment_id": "P2", "paid_date": "2025-04-01", "amount_minor": 70}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    assert alloc["payment_id"].tolist() == ["P1"]
    assert left["settled_minor"].tolist() == [30]


def test_payment_larger_than_everything_owed(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100},
                      {"bill_id": "B2", "due_date": "2025-02-28", "amount_minor": 50}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 1000}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    assert alloc["amount_minor"].sum() == 150
    row = left.iloc[0]
    assert (row["applied_minor"], row["unapplied_minor"], row["settled_minor"]) == (150, 850, 1000)


def test_credit_notes_and_write_offs_reported_apart(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([
        {"payment_id": "C1", "paid_date": "2025-02-01", "amount_minor": 20, "kind": "credit_note"},
        {"payment_id": "W1", "paid_date": "2025-02-02", "amount_minor": 30, "kind": "write_off"},
        {"payment_id": "P1", "paid_date": "2025-02-03", "amount_minor": 70}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    assert alloc.set_index("payment_id")["kind"].to_dict() == {
        "C1": "credit_note", "W1": "write_off", "P1": "payment"}
    row = left.iloc[0]
    # by kind, what was received (cash 70, of which 20 is left over), not what was applied
    assert (row["paid_minor"], row["credited_minor"], row["written_off_minor"]) == (70, 20, 30)
    assert (row["settled_minor"], row["applied_minor"], row["unapplied_minor"]) == (120, 100, 20)


def test_customer_with_only_credits(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "C1", "customer_id": "Z", "paid_date": "2025-02-01",
                         "amount_minor": 40, "kind": "credit_note"}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    assert alloc.empty
    z = left.set_index("customer_id").loc["Z"]
    assert (z["credited_minor"], z["applied_minor"], z["unapplied_minor"]) == (40, 0, 40)


def test_zero_amount_rows(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B0", "due_date": "2025-01-01", "amount_minor": 0},
                      {"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P0", "paid_date": "2025-02-01", "amount_minor": 0},
                        {"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 60}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    assert alloc[["payment_id", "bill_id", "amount_minor"]].values.tolist() == [["P1", "B1", 60]]
    assert left["unapplied_minor"].tolist() == [0]


def test_payment_without_customer_takes_named_bills_customer(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P1", "customer_id": None, "paid_date": "2025-02-01",
                         "amount_minor": 100, "bill_id": "B1"},
                        {"payment_id": "P2", "customer_id": None, "paid_date": "2025-02-01",
                         "amount_minor": 5}])
    alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    assert alloc["customer_id"].tolist() == ["A"]
    assert left["unapplied_minor"].sum() == 5


def test_inputs_not_mutated(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 60}])
    b0, p0 = bills.copy(deep=True), pays.copy(deep=True)
    allocate_payments(bills, pays, as_of="2025-03-31")
    pd.testing.assert_frame_equal(bills, b0)
    pd.testing.assert_frame_equal(pays, p0)


@pytest.fixture
def ledger(bills_of, payments_of):
    return (bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100}]),
            payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 60}]))


def test_raises_on_missing_columns(ledger):
    bills, pays = ledger
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['due_date'\] in bills"):
        allocate_payments(bills.drop(columns="due_date"), pays, as_of="2025-03-31")
    with pytest.raises(SchemaError, match="in payments"):
        allocate_payments(bills, pays.drop(columns="paid_date"), as_of="2025-03-31")


def test_raises_on_non_integer_money(ledger):
    bills, pays = ledger
    with pytest.raises(SchemaError, match="amount_minor is float64"):
        allocate_payments(bills.astype({"amount_minor": "float64"}), pays, as_of="2025-03-31")


def test_raises_on_missing_or_negative_amounts_and_dates(ledger):
    bills, pays = ledger
    with pytest.raises(SchemaError, match="missing amount"):
        allocate_payments(bills.astype({"amount_minor": "Int64"}).assign(
            amount_minor=pd.array([pd.NA], dtype="Int64")), pays, as_of="2025-03-31")
    with pytest.raises(SchemaError, match="negative amount"):
        allocate_payments(bills, pays.assign(amount_minor=-1), as_of="2025-03-31")
    with pytest.raises(SchemaError, match="missing date"):
        allocate_payments(bills.assign(due_date=pd.NaT), pays, as_of="2025-03-31")


def test_raises_on_bad_as_of_and_mode(ledger):
    bills, pays = ledger
    with pytest.raises(ParameterError, match="as_of must be a date"):
        allocate_payments(bills, pays, as_of="not a date")
    with pytest.raises(ParameterError, match="as_of must be a date"):
        allocate_payments(bills, pays, as_of=20250331)
    with pytest.raises(ParameterError, match="timezone-naive"):
        allocate_payments(bills, pays, as_of=pd.Timestamp("2025-03-31", tz="UTC"))
    with pytest.raises(ParameterError, match="unknown allocation mode 'lifo'"):
        allocate_payments(bills, pays, as_of="2025-03-31", mode="lifo")


def test_raises_on_unknown_kind_and_duplicate_bills(ledger):
    bills, pays = ledger
    with pytest.raises(SchemaError, match="unknown payment kind"):
        allocate_payments(bills, pays.assign(kind="refund"), as_of="2025-03-31")
    dup = pd.concat([bills, bills], ignore_index=True)
    with pytest.raises(SchemaError, match=r"bills\.bill_id repeats \[.B1.\]"):
        allocate_payments(dup, pays.assign(bill_id="B1"), as_of="2025-03-31")


def test_raises_when_not_a_frame(ledger):
    _, pays = ledger
    with pytest.raises(SchemaError, match="expected a pandas DataFrame"):
        allocate_payments([1, 2], pays, as_of="2025-03-31")
