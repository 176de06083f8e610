"""Issue #7 hardening of cleaning: no fen lost, no raw traceback, no questionable acceptance."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from creditkit.cleaning import clean_bills, clean_payments
from creditkit.cleaning.normalize import parse_amounts_text
from creditkit.cleaning.quarantine import money_by_currency
from creditkit.exceptions import SchemaError


def _bills(**cols):
    n = len(next(iter(cols.values())))
    base = {"bill_id": [f"B{i}" for i in range(1, n + 1)], "customer_id": ["C1"] * n,
            "issue_date": ["2025-01-05"] * n, "due_date": ["2025-02-05"] * n}
    return pd.DataFrame({**base, **cols})


def _money_in(res) -> dict[str, int]:
    return {k: int(v) for k, v in res.money_in.items()}


# --- 1. money lost or misreported ---------------------------------------------------------

def test_amount_past_2p53_beside_an_unreadable_one_keeps_every_fen():
    out = parse_amounts_text(pd.Series(["90071992547409.93", "abc", "90071992547409.95"]))
    assert out["amount_minor"].tolist()[0] == 9007199254740993
    assert out["amount_minor"].tolist()[2] == 9007199254740995


def test_minor_units_past_2p53_beside_a_blank_keep_every_fen():
    s = pd.Series(pd.array([2**53 + 1, None, 2**53 + 1], dtype="Int64"))
    assert parse_amounts_text(s, minor=True)["amount_minor"].tolist()[0] == 2**53 + 1
    s = pd.Series(["9007199254740993", "x"])
    assert parse_amounts_text(s, minor=True)["amount_minor"].tolist()[0] == 2**53 + 1


def test_int64_minor_2p53_cleans_exactly():
    res = clean_bills(_bills(amount_minor=np.array([2**53 + 1, 2**53 + 1], np.int64),
                             currency=["CNY"] * 2))
    assert res.clean["amount_minor"].tolist() == [2**53 + 1] * 2
    assert _money_in(res) == {"CNY": 2 * (2**53 + 1)}
    assert res.ok


def test_decimal_objects_clean_exactly():
    res = clean_bills(_bills(amount=[Decimal("12.34"), Decimal("90071992547409.93")]))
    assert res.clean["amount_minor"].tolist() == [1234, 9007199254740993]
    assert res.ok


def test_money_by_currency_never_wraps():
    a = pd.Series(np.full(11, 9 * 10**17, np.int64))
    assert money_by_currency(a, pd.Series(["CNY"] * 11)).to_dict() == {"CNY": 99 * 10**17}
    neg = pd.Series([-(2**63) + 1, -(2**63) + 1, 5], dtype="Int64")
    assert money_by_currency(neg, pd.Series(["USD"] * 3)).to_dict() == {"USD": -(2**64) + 7}


def test_sums_past_int64_clean_with_exact_invariants():
    res = clean_bills(_bills(amount_minor=np.full(11, 9 * 10**17, np.int64),
                             currency=["CNY"] * 11))
    assert len(res.clean) == 11
    assert _money_in(res) == {"CNY": 99 * 10**17}
    inv = res.invariants()
    assert inv.loc[inv["check"] == "money CNY", "got"].tolist() == [99 * 10**17]
    assert res.ok


def test_amount_past_int64_is_quarantined():
    res = clean_bills(_bills(amount_minor=pd.Series([2**70, 5], dtype=object),
                             currency=["CNY"] * 2))
    assert res.quarantine["reason"].tolist() == ["invalid_amount"]
    res = clean_bills(_bills(amount=["92233720368547758.08", "1.00"]))
    assert res.quarantine["reason"].tolist() == ["invalid_amount"]


# --- 2. raw tracebacks ---------------------------------------------------------------------

def test_infinite_float_amounts_are_quarantined():
    res = clean_bills(_bills(amount=[float("inf"), float("-inf"), 1.5]))
    assert res.quarantine["reason"].tolist() == ["invalid_amount"] * 2
    assert res.clean["amount_minor"].tolist() == [150]


def test_bytes_cells_are_decoded_or_quarantined():
    res = clean_bills(_bills(amount=[b"\xff\xfe1", "3.00", b"4.00"]))
    assert res.quarantine["reason"].tolist() == ["invalid_amount"]
    assert res.clean["amount_minor"].tolist() == [300, 400]


def test_duplicate_column_names_in_a_frame_name_the_header():
    df = _bills(amount=["1.00", "2.00"], extra=["9.00", "8.00"])
    df = df.set_axis([*df.columns[:-1], "amount"], axis=1)
    with pytest.raises(SchemaError, match=r"amount.*twice|twice.*amount"):
        clean_bills(df)


def test_amount_at_int64_max_beside_a_bad_row_is_quarantined_not_a_traceback():
    res = clean_bills(_bills(amount=["92233720368547758.07", "#VALUE!", "1.00"]))
    assert "invalid_amount" in set(res.quarantine["reason"])
    assert res.clean["amount_minor"].tolist() == [100]
    res = clean_bills(_bills(amount_minor=np.array([2**63 - 1000, 2000], np.int64),
                             currency=["CNY"] * 2))
    assert res.quarantine["reason"].tolist() == ["invalid_amount"]


def test_two_huge_bills_sum_exactly():
    res = clean_bills(_bills(amount=["50000000000000000.00"] * 2))
    assert len(res.clean) == 2
    assert _money_in(res) == {"CNY": 10**19}
    assert res.ok


# --- 4. unclear messages -------------------------------------------------------------------

def test_an_absent_required_column_is_a_schema_error_naming_it():
    df = _bills(amount=["1.00"]).drop(columns="amount")
    with pytest.raises(SchemaError, match=r"amount.*column_map"):
        clean_bills(df)
    pays = pd.DataFrame({"payment_id": ["P1"], "amount": ["1.00"]})
    with pytest.raises(SchemaError, match=r"paid_date.*column_map"):
        clean_payments(pays)
