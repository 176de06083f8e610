"""The ledger engine's parts: built by keyword only, each array named for what it holds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from creditkit.aging.ledger import BillArrays, Ledger, build_ledger
from creditkit.checks import date_to_day


def test_parts_cannot_be_built_positionally():
    arrays = [np.zeros(0, np.int64)] * 6
    with pytest.raises(TypeError):
        BillArrays(*arrays)
    with pytest.raises(TypeError):
        Ledger(0, None, None, 0, None, None, None, None)
    for cls in (Ledger, BillArrays):
        assert all(f.kw_only for f in dataclasses.fields(cls))


def test_build_ledger_names_each_array(bills_of, payments_of):
    bills = bills_of([
        {"bill_id": "B2", "due_date": "2025-02-28", "amount_minor": 50},
        {"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 100},
        {"bill_id": "B3", "due_date": "2025-03-31", "amount_minor": 70,
         "issue_date": "2025-04-01"}])  # issued after the date: not in the ledger
    pays = payments_of([
        {"payment_id": "P2", "paid_date": "2025-03-01", "amount_minor": 30, "bill_id": "B2"},
        {"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 40,
         "invoice_id": "B1"},
        {"payment_id": "C1", "paid_date": "2025-02-15", "amount_minor": 5,
         "kind": "credit_note"}])
    led = build_ledger(bills, pays, date_to_day("2025-03-31"))
    # bills in canonical order (due date first), by frame position
    assert led.bills.rows.tolist() == [1, 0]
    assert led.bills.amount.tolist() == [100, 50]
    assert led.bills.due_day.tolist() == [date_to_day("2025-01-31"), date_to_day("2025-02-28")]
    assert led.bills.group_start.tolist() == [0, 2]
    # payments by paid date; kind indexes schema.PAYMENT_KINDS
    assert led.payments.rows.tolist() == [1, 2, 0]
    assert led.payments.paid_day.tolist() == [date_to_day(d) for d in
                                              ("2025-02-01", "2025-02-15", "2025-03-01")]
    assert led.payments.kind.tolist() == [0, 1, 0]
    # P2 names bill B2 (canonical 1); P1 names only invoice B1 (canonical 0)
    assert (led.bill_refs.payment.tolist(), led.bill_refs.bill.tolist(),
            led.bill_refs.amount.tolist()) == ([2], [1], [30])
    assert (led.invoice_refs.payment.tolist(), led.invoice_refs.bill.tolist()) == ([0], [0])
