"""Fixtures of the behaviour tests: hand-built and random ledgers, and cutting off the future."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

D = pd.to_datetime


def tiny_book() -> dict[str, pd.DataFrame]:
    """Three customers; the expected features at 2025-04-30 are worked out in the tests."""
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C"], "name": ["甲", "乙", "丙"],
        "kind": ["consumer"] * 3,
        "open_date": D(["2025-01-15", "2025-04-10", "2025-05-05"]),
        "credit_limit_minor": np.array([10_000, 5_000, 5_000], dtype=np.int64),
        "currency": ["CNY"] * 3})
    bills = pd.DataFrame({
        "bill_id": ["B1", "B2", "B3", "B4", "B5"],
        "invoice_id": ["I1", "I2", "I2", "I2", "I5"],
        "customer_id": ["A", "A", "A", "A", "A"],
        "issue_date": D(["2025-01-20", "2025-03-01", "2025-03-01", "2025-03-01", "2025-05-02"]),
        "due_date": D(["2025-02-19", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-01"]),
        "amount_minor": np.array([1000, 2000, 2000, 2000, 700], dtype=np.int64),
        "currency": ["CNY"] * 5,
        "kind": ["invoice", "instalment", "instalment", "instalment", "invoice"]})
    payments = pd.DataFrame({
        "payment_id": ["P1", "P2", "P3"], "customer_id": ["A", "A", "A"],
        "paid_date": D(["2025-03-10", "2025-04-15", "2025-05-20"]),
        "amount_minor": np.array([1000, 2000, 500], dtype=np.int64),
        "currency": ["CNY"] * 3, "kind": ["payment"] * 3,
        "channel": ["auto_debit", "alipay", "wechat"]})
    transactions = pd.DataFrame({
        "txn_id": ["T1", "T2", "T3"], "customer_id": ["A", "A", "A"],
        "txn_date": D(["2025-01-20", "2025-03-01", "2025-05-02"]),
        "amount_minor": np.array([1000, 6000, 700], dtype=np.int64),
        "currency": ["CNY"] * 3})
    return {"customers": customers, "bills": bills, "payments": payments,
            "transactions": transactions}



def _ids(prefix: str, n: int, per: int = 1) -> np.ndarray:
    return np.array([f"{prefix}{i // per:04d}" for i in range(n)], dtype=object)


def random_book(seed: int, n_customers: int = 12) -> dict[str, pd.DataFrame]:
    """A random ledger: partial, late, unnamed, unidentified and written-off payments."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01")
    ids = np.array([f"C{i:03d}" for i in range(n_customers)], dtype=object)
    open_day = start + rng.integers(0, 400, n_customers).astype("timedelta64[D]")
    customers = pd.DataFrame({
        "customer_id": ids, "name": ids, "kind": "consumer",
        "open_date": pd.to_datetime(open_day),
        "credit_limit_minor": rng.integers(1, 50, n_customers).astype(np.int64) * 1000,
        "currency": "CNY"})
    nb = int(rng.integers(1, 8 * n_customers))
    bc = rng.integers(0, n_customers, nb)
    issue = open_day[bc] + rng.integers(0, 300, nb).astype("timedelta64[D]")
    due = issue + rng.choice([0, 14, 30, 60], nb).astype("timedelta64[D]")
    bills = pd.DataFrame({
        "bill_id": _ids("B", nb),
        "invoice_id": _ids("I", nb, 2),
        "customer_id": ids[bc], "issue_date": pd.to_datetime(issue),
        "due_date": pd.to_datetime(due),
        "amount_minor": rng.integers(1, 5000, nb).astype(np.int64), "currency": "CNY",
        "kind": rng.choice(["invoice", "instalment"], nb)})
    npay = int(rng.integers(0, 8 * n_customers))
    pb = rng.integers(0, nb, npay)
    paid = issue[pb] + rng.integers(-5, 120, npay).astype("timedelta64[D]")
    kind = rng.choice(["payment", "payment", "payment", "write_off", "credit_note"], npay)
    cust = ids[bc[pb]].copy()
    cust[rng.random(npay) < 0.1] = None  # payer not identified
    payments = pd.DataFrame({
        "payment_id": _ids("P", npay), "customer_id": cust,
        "paid_date": pd.to_datetime(paid),
        "amount_minor": rng.integers(1, 6000, npay).astype(np.int64), "currency": "CNY",
        "kind": kind, "channel": rng.choice(["alipay", "auto_debit", "cash"], npay),
        "bill_id": np.where(rng.random(npay) < 0.4, bills["bill_id"].to_numpy()[pb], None)})
    nt = int(rng.integers(0, 5 * n_customers))
    tc = rng.integers(0, n_customers, nt)
    transactions = pd.DataFrame({
        "txn_id": _ids("T", nt), "customer_id": ids[tc],
        "txn_date": pd.to_datetime(open_day[tc] + rng.integers(0, 300, nt).astype(
            "timedelta64[D]")),
        "amount_minor": rng.integers(1, 9000, nt).astype(np.int64), "currency": "CNY"})
    return {"customers": customers, "bills": bills, "payments": payments,
            "transactions": transactions}


def cut(tables: dict[str, pd.DataFrame], day: pd.Timestamp, *,
        customers: bool = True) -> dict[str, pd.DataFrame]:
    """Every row dated after ``day`` deleted (customers by open_date when ``customers``)."""
    out = dict(tables)
    for name, col in (("bills", "issue_date"), ("payments", "paid_date"),
                      ("transactions", "txn_date")):
        out[name] = tables[name].loc[tables[name][col] <= day].reset_index(drop=True)
    if customers:
        c = tables["customers"]
        out["customers"] = c.loc[c["open_date"] <= day].reset_index(drop=True)
    return out


@pytest.fixture
def tiny() -> dict[str, pd.DataFrame]:
    """Three customers; the expected features at 2025-04-30 are worked out in the tests."""
    return tiny_book()


@pytest.fixture
def make_random_book() -> Callable[..., dict[str, pd.DataFrame]]:
    """:func:`random_book`, for tests that draw their own seeds."""
    return random_book


@pytest.fixture
def cut_future() -> Callable[..., dict[str, pd.DataFrame]]:
    """:func:`cut`: the tables with every row dated after a day deleted."""
    return cut
