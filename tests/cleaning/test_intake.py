"""Intake review helpers behind notebooks/01-data-quality.ipynb."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creditkit import cleaning
from creditkit.exceptions import ParameterError

# the synthetic messy exports shipped as samples (datasets/samples/make_samples.py)
MESSY = Path(__file__).resolve().parents[2] / "datasets" / "samples"


@pytest.fixture(scope="module")
def results():
    return cleaning.clean_sources(
        [MESSY / "customers_crm.csv", MESSY / "customers_erp.csv"], bills=MESSY / "bills.csv",
        payments=MESSY / "payments.csv", as_of="2024-12-31")


def test_sources_cleaned_against_each_other(results):
    s = cleaning.intake_summary(results).set_index("file")
    assert s["invariants_ok"].all()
    # B013/B014 belong to C006, quarantined for its missing name: their bills wait too
    bills = results["bills.csv"].quarantine
    assert set(bills.loc[bills["reason"] == "unknown_customer", "key"]) == {"B013", "B014"}
    assert s.loc["bills.csv", "rows_clean"] == 5


def test_quarantine_rows_masked_by_default(results):
    # the samples' bad ID number (C004) sits on a row whose credit limit is #N/A, so the
    # row's message quotes the #N/A: a file of its own puts an ID number in a message
    results = {**results, "ids.csv": cleaning.clean_customers(pd.DataFrame({
        "customer_id": ["C1"], "name": ["王五"], "kind": ["个人"],
        "id_number": ["440306197801013450"]}))}
    masked = cleaning.quarantine_rows(results)
    assert "raw" not in masked.columns
    bad_id = masked[masked["reason"] == "invalid_id_number"]["message"].iloc[0]
    assert "*" in bad_id and "4403061978" not in bad_id
    plain = cleaning.quarantine_rows(results, mask=False)
    assert "raw" in plain.columns and "4403061978" in plain.loc[
        plain["reason"] == "invalid_id_number", "message"].iloc[0]
    total = sum(len(r.quarantine) + len(r.merged) for r in results.values())
    assert len(masked) == total


def test_frames_by_reason_and_duplicates(results):
    dups = cleaning.customer_duplicates(results)
    merges = dups["merges"].set_index("old_id")["surviving_id"].to_dict()
    assert merges == {"E-9001": "C001", "E-9002": "C003"}
    assert not dups["merges"]["name"].str.contains("张三").any()
    frames = cleaning.quarantine_frames(results, extra={"review": dups["review"]})
    assert {"malformed_line", "exact_duplicate", "review"} <= set(frames)
    assert cleaning.reasons_by_file(results)["rows"].sum() == sum(
        len(f) for k, f in frames.items() if k != "review")


def test_column_quality_per_file(results):
    q = cleaning.column_quality(results)
    assert set(q["file"]) == set(results)
    assert q[["completeness_rate", "validity_rate", "uniqueness_rate"]].stack().between(0, 1).all()
    # payments.csv: 11 of 12 paid dates readable (one is ambiguous 05/03/2024)
    row = q[(q["file"] == "payments.csv") & (q["column"] == "paid_date")].iloc[0]
    assert row["validity_rate"] == pytest.approx(11 / 12)


def test_intake_summary_money_is_readable_and_exact(results):
    s = cleaning.intake_summary(results, lang="en").set_index("file")
    # bills.csv readable amounts, counted by hand in test_samples: CNY 14,250.00, USD 200
    assert s.loc["bills.csv", "money_in"] == "CN¥14,250.00; US$200.00"
    assert results["bills.csv"].money_in.to_dict() == {"CNY": 1_425_000, "USD": 20_000}


def test_errors():
    with pytest.raises(ParameterError, match="no file to clean"):
        cleaning.clean_sources()
    with pytest.raises(ParameterError, match="customers must be a list of paths"):
        cleaning.clean_sources(str(MESSY / "customers_crm.csv"))
    with pytest.raises(ParameterError, match="expected the dict of CleanResult"):
        cleaning.intake_summary({"x": pd.DataFrame()})
