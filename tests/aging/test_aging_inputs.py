"""Guards at the ledger's boundary (#7): repeated ids and totals past int64 are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.aging import aging_at_dates, allocate_payments, bill_aging, customer_aging
from creditkit.aging.inputs import INT64_MAX, check_totals
from creditkit.exceptions import ParameterError, SchemaError

AS_OF = "2025-03-31"
ENTRIES = {
    "customer_aging": lambda b, p: customer_aging(b, p, as_of=AS_OF),
    "bill_aging": lambda b, p: bill_aging(b, p, as_of=AS_OF),
    "allocate_payments": lambda b, p: allocate_payments(b, p, as_of=AS_OF),
    "aging_at_dates": lambda b, p: aging_at_dates(b, p, dates=["2025-02-28", AS_OF]),
}


@pytest.fixture
def book(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 1000},
                      {"bill_id": "B2", "due_date": "2025-02-05", "amount_minor": 700,
                       "customer_id": "C"}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 300},
                        {"payment_id": "P2", "paid_date": "2025-02-02", "amount_minor": 50,
                         "customer_id": "C"}])
    return bills, pays


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_repeated_bill_id_is_refused_naming_it(book, entry):
    bills, pays = book
    with pytest.raises(SchemaError, match=r"bills\.bill_id repeats \['B1'\].*drop_duplicates"):
        ENTRIES[entry](bills.assign(bill_id=["B1", "B1"]), pays)


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_repeated_payment_id_is_refused_naming_it(book, entry):
    bills, pays = book
    with pytest.raises(SchemaError, match=r"payments\.payment_id repeats \['P1'\]"):
        ENTRIES[entry](bills, pd.concat([pays, pays.head(1)], ignore_index=True))


def test_repeated_payment_ids_used_to_repeat_allocation_keys(book):
    bills, pays = book
    alloc = allocate_payments(bills, pays, as_of=AS_OF).allocations
    assert not alloc.duplicated(["payment_id", "bill_id"]).any()


@pytest.mark.parametrize("entry", ENTRIES)
def test_totals_past_int64_are_refused_not_wrapped(book, entry):
    bills, pays = book
    big = bills.assign(amount_minor=np.array([2**62, 2**62 + 1000], np.int64),
                       customer_id=["A", "A"])
    with pytest.raises(ParameterError, match=r"CNY amounts total 9223372036854777158.*int64"):
        ENTRIES[entry](big, pays)


def test_totals_at_the_limit_are_exact(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 2**62},
                      {"bill_id": "B2", "due_date": "2025-02-05",
                       "amount_minor": INT64_MAX - 2**62 - 5}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 5}])
    out = customer_aging(bills, pays, as_of=AS_OF)
    assert int(out["billed_minor"].sum()) == INT64_MAX - 5
    assert int(out["outstanding_minor"].sum()) == INT64_MAX - 10


def test_each_currency_is_totalled_on_its_own(bills_of, payments_of):
    bills = bills_of([{"bill_id": "B1", "due_date": "2025-01-31", "amount_minor": 2**62},
                      {"bill_id": "B2", "due_date": "2025-01-31", "amount_minor": 2**62,
                       "currency": "USD"}])
    pays = payments_of([{"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 1}])
    out = customer_aging(bills, pays, as_of=AS_OF)
    assert sorted(out["billed_minor"].astype(object)) == [2**62, 2**62]


def test_check_totals_exact_sum_beats_the_float_screen():
    # a float64 total rounds 2^63 - 1 + 1 to 2^63 either way: the exact check decides
    ok = np.array([INT64_MAX - 1, 1], np.int64)
    check_totals([ok], [np.zeros(2, np.int64)], pd.Index(["CNY"]))
    over = np.array([INT64_MAX, 1], np.int64)
    with pytest.raises(ParameterError, match="9223372036854775808"):
        check_totals([over], [np.zeros(2, np.int64)], pd.Index(["CNY"]))
