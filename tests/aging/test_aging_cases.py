"""The acceptance cases of ``tests/data/aging_cases.json``, every run of every case.

The file is the reference (its ``about`` says how to read it); this test only
turns each case into the two canonical tables and compares what
:func:`bill_aging` and :func:`customer_aging` return with the expected columns.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from creditkit import aging
from creditkit.aging import bill_aging, customer_aging

CASES_FILE = Path(__file__).resolve().parents[1] / "data" / "aging_cases.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))
BUCKETS = CASES["buckets"]


def _tables(case: dict, *, drop_refs: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
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
        for run in case["runs"]:
            yield pytest.param(case, run, id=f"{case['id']}-{run['run']}")


@pytest.mark.parametrize(("case", "run"), list(_runs()))
def test_case(case: dict, run: dict) -> None:
    bills, pays = _tables(case, drop_refs=run["bill_refs"] == "dropped")
    kw = {}
    if "fx_rates" in case:
        kw["fx"] = pd.DataFrame(case["fx_rates"])
    got = bill_aging(bills, pays, as_of=case["as_of"], mode=run["mode"], basis=run["basis"], **kw)
    got = got.set_index("bill_id")
    for row in run["bills"]:
        g = got.loc[row["bill_id"]]
        for key, want in row.items():
            if key == "bill_id":
                continue
            if key == "bucket":
                assert (None if pd.isna(g["bucket"]) else g["bucket"]) == want, row
            else:
                assert g[key] == want, (row["bill_id"], key, g[key], want)
    if run.get("customers"):
        cust = customer_aging(bills, pays, as_of=case["as_of"], mode=run["mode"])
        cust = cust.set_index("customer_id")
    for row in run.get("customers", []):
        g = cust.loc[row["customer_id"]]
        for key, want in row.items():
            if key != "customer_id":
                assert int(g[key]) == want, (key, g[key], want)
        assert int(g[BUCKETS].sum()) == int(g["outstanding_minor"])


def test_every_case_says_what_it_shows() -> None:
    assert CASES["about"]
    for case in CASES["cases"]:
        assert case["description"] and case["runs"]
        assert all(run["why"] and run["bills"] for run in case["runs"])


@pytest.mark.parametrize("metric", CASES["metrics"], ids=lambda m: m["id"])
def test_metric(metric: dict) -> None:
    got = getattr(aging, metric["function"])(**metric["inputs"])
    assert round(got, metric["decimals"]) == pytest.approx(metric["expected"], abs=1e-12)
