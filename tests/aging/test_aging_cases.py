"""Every acceptance case of ``shared/reference/aging_cases.json``, in each mode it lists."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creditkit.aging import (
    average_days_delinquent,
    best_possible_dso,
    bill_aging,
    cei,
    count_back_dso,
    customer_aging,
    simple_dso,
)


def _find_cases() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        for cand in (parent / "shared" / "reference", parent.parent / "shared" / "reference"):
            f = cand / "aging_cases.json"
            if f.exists():
                return f
    raise FileNotFoundError(
        "aging_cases.json not found: the shared folder must sit beside the repository "
        f"(../shared/reference/), searched upwards from {here}")


CASES = json.loads(_find_cases().read_text(encoding="utf-8"))
BUCKETS = CASES["buckets"]


def _frames(case: dict, drop_refs: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    bills = pd.DataFrame(case["bills"])
    for c in ("issue_date", "due_date"):
        bills[c] = pd.to_datetime(bills[c])
    bills["amount_minor"] = bills["amount_minor"].astype("int64")
    pays = pd.DataFrame(case["payments"])
    pays["paid_date"] = pd.to_datetime(pays["paid_date"])
    pays["amount_minor"] = pays["amount_minor"].astype("int64")
    for c in ("bill_id", "invoice_id"):
        if c not in pays.columns or drop_refs:
            pays[c] = None
        pays[c] = pays[c].astype(object).where(pays[c].notna(), None)
    return bills, pays


def _runs():
    for case in CASES["cases"]:
        for mode_name, exp in case["expected"].items():
            yield pytest.param(case, mode_name, exp, id=f"{case['name'][:3]}-{mode_name}")


def _fx(case):
    from creditkit.money import FXTable  # noqa: F401  (money-io engineer's module)

    rates = pd.DataFrame(case["fx_rates"])
    return rates


@pytest.mark.parametrize(("case", "mode_name", "expected"), list(_runs()))
def test_reference_case(case, mode_name, expected):
    drop = mode_name == "fifo_ignoring_bill_refs"
    mode = "fifo" if mode_name.startswith("fifo") else "explicit"
    basis = "issue" if mode_name == "erpnext_posting_date_ageing" else "due"
    bills, pays = _frames(case, drop_refs=drop)
    kw = {}
    if "fx_rates" in case:
        pytest.importorskip("creditkit.money", reason="FX needs creditkit.money.FXTable")
        kw["fx"] = _fx(case)
    got = bill_aging(bills, pays, as_of=case["as_of"], mode=mode, basis=basis, **kw)
    got = got.set_index("bill_id")
    for row in expected["bills"]:
        g = got.loc[row["bill_id"]]
        for key, want in row.items():
            if key == "bill_id":
                continue
            if key == "bucket":
                assert (None if pd.isna(g["bucket"]) else g["bucket"]) == want, row
            else:
                assert g[key] == want, (row["bill_id"], key, g[key], want)
    for row in expected.get("customers", []):
        cust = customer_aging(bills, pays, as_of=case["as_of"], mode=mode).set_index("customer_id")
        g = cust.loc[row["customer_id"]]
        for key, want in row.items():
            if key != "customer_id":
                assert int(g[key]) == want, (key, g[key], want)
        assert int(g[BUCKETS].sum()) == int(g["outstanding_minor"])


def _metric(name):
    return next(m for m in CASES["metrics"] if m["name"] == name)


def test_count_back_dso():
    m = _metric("count-back DSO")
    got = count_back_dso(m["ending_ar"], m["monthly_credit_sales_newest_first"],
                         m["days_in_month"])
    assert round(got, 3) == m["expected_dso_days"]


def test_simple_dso():
    m = _metric("simple DSO")
    assert round(simple_dso(m["ending_ar"], m["credit_sales"], m["days"]), 2) == \
        m["expected_dso_days"]


def test_bpdso_and_add():
    m = _metric("best possible DSO and average days delinquent")
    bp = best_possible_dso(m["ending_current_ar"], m["credit_sales"], m["days"])
    assert round(bp, 2) == m["expected_bpdso_days"]
    add = average_days_delinquent(m["ending_ar"], m["ending_current_ar"], m["credit_sales"],
                                  m["days"])
    assert round(add, 2) == m["expected_add_days"]


def test_cei():
    m = _metric("CEI, one month")
    got = cei(m["beginning_ar"], m["credit_sales"], m["ending_total_ar"], m["ending_current_ar"])
    assert np.isclose(round(got, 4), m["expected_cei"])
