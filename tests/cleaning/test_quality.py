"""Data-quality tables: completeness, validity, uniqueness per column; reasons; report."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from creditkit.cleaning import (
    clean_bills,
    clean_customers,
    quality_report,
    quality_table,
    quarantine_counts,
)
from creditkit.cleaning.files import write_result
from creditkit.exceptions import ParameterError


@pytest.fixture
def result():
    raw = pd.DataFrame({
        "bill_id": ["B1", "B2", "B3", "B3", "B5", ""],
        "customer_id": ["C1", "C1", "C2", "C2", "", "C3"],
        "issue_date": ["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01",
                       "2025-02-30"],
        "due_date": ["2025-02-01"] * 6,
        "amount": ["100", "-5", "7", "7", "8", "9"],
    })
    return clean_bills(raw)


def test_quality_table_ratios_by_hand(result):
    q = quality_table(result).set_index("column")
    # 6 rows; customer_id blank once -> 5/6 complete; all present ids valid
    assert q.loc["customer_id", "n_rows"] == 6
    assert q.loc["customer_id", "completeness"] == pytest.approx(5 / 6)
    assert q.loc["customer_id", "validity"] == 1.0
    # issue_date: 1 impossible of 6 present
    assert q.loc["issue_date", "validity"] == pytest.approx(5 / 6)
    # amount: -5 breaks the negative rule: 5 valid of 6
    assert q.loc["amount_minor", "validity"] == pytest.approx(5 / 6)
    # bill_id: 5 present, B3 twice -> 4 distinct of 5 valid
    assert q.loc["bill_id", "uniqueness"] == pytest.approx(4 / 5)
    assert set(q.columns) >= {"completeness", "validity", "uniqueness"}


def test_quality_table_labels(result):
    zh = quality_table(result, lang="zh")
    assert "完整率" in zh.columns and "账单编号" in set(zh.iloc[:, 0])


def test_quarantine_counts_money_by_reason(result):
    c = quarantine_counts(result, lang="zh")
    got = {r: (n, m) for r, n, m in c[["reason", "rows", "amount_minor"]].itertuples(index=False)}
    assert got == {"missing_required": (2, 800 + 900), "negative_amount": (1, -500),
                   "exact_duplicate": (1, 700)}
    assert "金额为负" in set(c["label"])


def test_quality_report_is_json_and_counts_duplicates(result, tmp_path):
    rep = quality_report(result)
    assert rep["duplicates"] == {"exact_rows_merged": 1, "conflicting_keys": 0,
                                 "conflicting_rows": 0}
    json.dumps(rep, default=str)
    paths = write_result(result, tmp_path)
    back = json.loads(paths["quality"].read_text(encoding="utf-8"))
    assert back["summary"]["rows_in"] == 6


def test_empty_input():
    res = clean_customers(pd.DataFrame({"customer_id": pd.Series([], dtype="str"),
                                        "name": pd.Series([], dtype="str")}))
    assert res.ok and len(res.clean) == 0
    assert quarantine_counts(res).empty
    assert quality_table(res)["validity"].isna().all()


@pytest.mark.parametrize("fn", [quality_table, quarantine_counts, quality_report, write_result])
def test_reject_non_results(fn, tmp_path):
    args = (pd.DataFrame(), tmp_path) if fn is write_result else (pd.DataFrame(),)
    with pytest.raises(ParameterError, match="expects a CleanResult"):
        fn(*args)
