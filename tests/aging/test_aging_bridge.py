"""The balance bridge: gross outstanding − unapplied − unclaimed = net balance, exactly."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.aging import (
    BRIDGE_COLUMNS,
    balance_bridge,
    bridge_lines,
    customer_aging,
    portfolio_aging,
)
from creditkit.exceptions import ParameterError
from creditkit.overview import balances_by, customer_balances, portfolio_bridge, portfolio_summary

AS_OF = "2025-03-31"
BASE = pd.Timestamp("2025-01-01")


def test_hand_case_every_line(bills_of, payments_of) -> None:
    # A: billed 1000 + 300 (fee credited 300), overpays 1200 → 200 unapplied
    # B: billed 500, 100 written off → 400 outstanding; USD bill of 900 unpaid
    # an unknown payer sends 80; a payment dated after as_of does not exist yet
    bills = bills_of([
        {"bill_id": "A1", "due_date": "2025-01-31", "amount_minor": 1000},
        {"bill_id": "A2", "due_date": "2025-02-28", "amount_minor": 300},
        {"bill_id": "B1", "customer_id": "B", "due_date": "2025-02-15", "amount_minor": 500},
        {"bill_id": "B2", "customer_id": "B", "due_date": "2025-04-30", "amount_minor": 900,
         "currency": "USD"},
    ])
    pays = payments_of([
        {"payment_id": "P1", "paid_date": "2025-02-01", "amount_minor": 1200},
        {"payment_id": "C1", "paid_date": "2025-02-02", "amount_minor": 300,
         "kind": "credit_note", "bill_id": "A2"},
        {"payment_id": "W1", "customer_id": "B", "paid_date": "2025-03-01",
         "amount_minor": 100, "kind": "write_off"},
        {"payment_id": "U1", "customer_id": None, "paid_date": "2025-03-02", "amount_minor": 80},
        {"payment_id": "L1", "paid_date": "2025-04-02", "amount_minor": 999},
    ])
    br = balance_bridge(bills, pays, as_of=AS_OF).set_index("currency")
    assert br.loc["CNY", list(BRIDGE_COLUMNS)].tolist() == [400, 200, 80, 120]
    assert br.loc["USD", list(BRIDGE_COLUMNS)].tolist() == [900, 0, 0, 900]
    # billed − settled: CNY 1800 − (1200 + 300 + 100 + 80) = 120
    lines = bridge_lines(br.reset_index())
    cny = lines.loc[lines["currency"] == "CNY"]
    assert cny["bridge_line"].tolist() == ["gross_outstanding", "less_unapplied",
                                           "less_unclaimed", "net_balance"]
    assert cny["amount_minor"].tolist() == [400, -200, -80, 120]
    by_cust = balance_bridge(bills, pays, as_of=AS_OF, by="customer_id")
    anon = by_cust.loc[by_cust["customer_id"].isna()]
    assert anon[list(BRIDGE_COLUMNS)].values.tolist() == [[0, 0, 80, -80]]
    assert by_cust.groupby("currency")[list(BRIDGE_COLUMNS)].sum().equals(
        br[list(BRIDGE_COLUMNS)].rename_axis("currency"))


def test_grouped_by_customer_columns(bills_of, payments_of) -> None:
    bills = bills_of([{"bill_id": "A1", "due_date": "2025-01-31", "amount_minor": 1000},
                      {"bill_id": "Z1", "customer_id": "Z", "due_date": "2025-01-31",
                       "amount_minor": 50}])
    pays = payments_of([{"payment_id": "U1", "customer_id": None, "paid_date": "2025-02-01",
                         "amount_minor": 70}])
    customers = pd.DataFrame({"customer_id": ["A"], "product": ["bnpl"]})
    br = balance_bridge(bills, pays, as_of=AS_OF, by="product", customers=customers)
    assert br[["product", "net_balance_minor"]].values.tolist() == [
        ["bnpl", 1000], ["unattributed", -70], ["unknown", 50]]


def test_bad_grouping_raises(bills_of, payments_of) -> None:
    bills = bills_of([{"bill_id": "A1", "due_date": "2025-01-31", "amount_minor": 1}])
    pays = payments_of([])
    with pytest.raises(ParameterError, match="needs customers="):
        balance_bridge(bills, pays, as_of=AS_OF, by="product")
    with pytest.raises(ParameterError, match="no column"):
        balance_bridge(bills, pays, as_of=AS_OF, by="product",
                       customers=pd.DataFrame({"customer_id": ["A"]}))
    with pytest.raises(ParameterError, match="bridge_lines needs"):
        bridge_lines(pd.DataFrame({"currency": ["CNY"]}))


@st.composite
def books(draw):
    custs = ["A", "B", "C"]
    bills, pays = [], []
    for i in range(draw(st.integers(0, 8))):
        issue = draw(st.integers(0, 60))
        bills.append({"bill_id": f"B{i}", "invoice_id": f"I{draw(st.integers(0, 3))}",
                      "customer_id": draw(st.sampled_from(custs)),
                      "issue_date": BASE + pd.Timedelta(days=issue),
                      "due_date": BASE + pd.Timedelta(days=issue + draw(st.integers(0, 40))),
                      "amount_minor": draw(st.integers(0, 10**12)),
                      "currency": draw(st.sampled_from(["CNY", "USD"]))})
    for j in range(draw(st.integers(0, 8))):
        named = draw(st.sampled_from([None, *[b["bill_id"] for b in bills]]))
        pays.append({"payment_id": f"P{j}",
                     "customer_id": draw(st.sampled_from([*custs, "X", None])),
                     "paid_date": BASE + pd.Timedelta(days=draw(st.integers(0, 120))),
                     "amount_minor": draw(st.integers(0, 10**12)),
                     "currency": draw(st.sampled_from(["CNY", "USD"])),
                     "kind": draw(st.sampled_from(["payment", "credit_note", "write_off"])),
                     "bill_id": named})
    b = pd.DataFrame(bills, columns=["bill_id", "invoice_id", "customer_id", "issue_date",
                                     "due_date", "amount_minor", "currency"])
    b = b.astype({"amount_minor": "int64", "issue_date": "datetime64[ns]",
                  "due_date": "datetime64[ns]"})
    p = pd.DataFrame(pays, columns=["payment_id", "customer_id", "paid_date", "amount_minor",
                                    "currency", "kind", "bill_id"])
    p = p.astype({"amount_minor": "int64", "paid_date": "datetime64[ns]"})
    for c in ("customer_id", "bill_id"):
        p[c] = p[c].astype(object).where(p[c].notna(), None)
    customers = pd.DataFrame({"customer_id": custs, "name": ["甲", "乙", "丙"],
                              "kind": ["consumer", "business", "business"],
                              "region": ["华东", "华北", None]})
    as_of = BASE + pd.Timedelta(days=draw(st.integers(0, 150)))
    return {"customers": customers, "bills": b, "payments": p}, as_of


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books(), st.sampled_from(["fifo", "explicit"]))
def test_bridge_reconciles_aging_and_overview(book, mode) -> None:
    tables, as_of = book
    bills, pays = tables["bills"], tables["payments"]
    cols = list(BRIDGE_COLUMNS)
    br = balance_bridge(bills, pays, as_of=as_of, mode=mode).set_index("currency")[cols]
    # the lines add up, exactly
    assert (br["outstanding_minor"] - br["unapplied_minor"] - br["unclaimed_minor"]
            == br["net_balance_minor"]).all()
    assert (br[["unapplied_minor", "unclaimed_minor"]] >= 0).all().all()
    # gross outstanding = customer_aging's outstanding = the aging buckets' total
    ca = customer_aging(bills, pays, as_of=as_of, mode=mode)
    per_cur = ca.groupby("currency")[["outstanding_minor", "net_balance_minor"]].sum()
    pa = portfolio_aging(bills, pays, as_of=as_of, mode=mode)
    buckets = pa.groupby("currency")["outstanding_minor"].sum()
    for cur in br.index:
        assert br.loc[cur, "outstanding_minor"] == per_cur.loc[cur, "outstanding_minor"]
        assert br.loc[cur, "outstanding_minor"] == buckets.get(cur, 0)
    # net balance = the overview's net balance (billed − settled), per currency
    ov = customer_balances(tables, as_of=as_of).groupby("currency")["net_balance_minor"].sum()
    assert br["net_balance_minor"].to_dict() == ov.to_dict()
    assert portfolio_bridge(tables, as_of=as_of, mode=mode).set_index("currency")[cols].equals(br)
    if len(br):
        summary = portfolio_summary(tables, as_of=as_of).set_index("currency")
        assert br["net_balance_minor"].to_dict() == summary["net_balance_minor"].to_dict()
        # by product the bridge agrees with the overview's net balance table row by row
        by = portfolio_bridge(tables, ["product"], as_of=as_of, mode=mode)
        bal = balances_by(tables, ["product"], as_of=as_of)
        mine = by.set_index(["product", "currency"])["net_balance_minor"].sort_index()
        theirs = bal.set_index(["product", "currency"])["net_balance_minor"].sort_index()
        assert mine.to_dict() == theirs.to_dict()
