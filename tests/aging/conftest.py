"""Small ledger builders for the aging tests."""

from __future__ import annotations

import pandas as pd
import pytest

_D = "2025-01-01"


def build_bills(rows: list[dict]) -> pd.DataFrame:
    base = {"invoice_id": None, "customer_id": "A", "issue_date": _D, "currency": "CNY"}
    df = pd.DataFrame([{**base, **r} for r in rows],
                      columns=["bill_id", "invoice_id", "customer_id", "issue_date", "due_date",
                               "amount_minor", "currency"])
    df["invoice_id"] = df["invoice_id"].fillna(df["bill_id"])
    for c in ("issue_date", "due_date"):
        df[c] = pd.to_datetime(df[c])
    df["amount_minor"] = df["amount_minor"].astype("int64")
    for c in ("bill_id", "invoice_id", "customer_id", "currency"):
        df[c] = df[c].astype(object)
    return df


def build_payments(rows: list[dict]) -> pd.DataFrame:
    base = {"customer_id": "A", "currency": "CNY", "kind": "payment", "bill_id": None,
            "invoice_id": None}
    df = pd.DataFrame([{**base, **r} for r in rows],
                      columns=["payment_id", "customer_id", "paid_date", "amount_minor",
                               "currency", "kind", "bill_id", "invoice_id"])
    df["paid_date"] = pd.to_datetime(df["paid_date"])
    df["amount_minor"] = df["amount_minor"].astype("int64")
    for c in ("payment_id", "customer_id", "currency", "kind", "bill_id", "invoice_id"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df


@pytest.fixture
def bills_of():
    return build_bills


@pytest.fixture
def payments_of():
    return build_payments
