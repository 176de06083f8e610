"""The sample exports (datasets/samples, written by make_samples.py): nothing lost, right reasons.

Expected reasons per source row were checked by hand against the comments in
make_samples.py. ``source_row`` is the 1-based data row (file line - 1).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creditkit.cleaning import clean_bills, clean_customers, clean_file, clean_payments
from creditkit.io import read_table
from creditkit.schema import validate

# the synthetic messy exports shipped as samples (datasets/samples/make_samples.py)
MESSY = Path(__file__).resolve().parents[2] / "datasets" / "samples"
CLEANERS = {"customers": clean_customers, "bills": clean_bills, "payments": clean_payments}

FILES = [
    ("customers_crm.csv", "customers"),
    ("customers_erp.csv", "customers"),
    ("bills.csv", "bills"),
    ("payments.csv", "payments"),
    ("bills.xlsx", "bills"),
]


@pytest.mark.parametrize(("name", "table"), FILES)
def test_every_file_cleans_and_nothing_is_lost(name, table):
    df = read_table(MESSY / name, table=table)
    res = CLEANERS[table](df)
    validate(res.clean, table)
    inv = res.invariants()
    assert inv["ok"].all(), inv
    assert res.rows_in == len(df) + len(df.attrs["bad_lines"]) + len(df.attrs["blank_lines"])
    # every source row number appears exactly once across the three outputs
    rows = pd.concat([res.source_rows, res.quarantine["source_row"], res.merged["source_row"]])
    assert rows.is_unique and len(rows) == res.rows_in


EXPECTED = {
    # an Excel error (#N/A) is named as such, before any other problem of its row
    "customers_crm.csv": {4: "excel_error", 6: "excel_error", 8: "impossible_date",
                          9: "unknown_kind", 10: "negative_amount",
                          11: "duplicate_key_conflict", 12: "duplicate_key_conflict",
                          13: "missing_required", 14: "empty_row", 15: "malformed_line"},
    "customers_erp.csv": {3: "invalid_phone", 5: "invalid_amount"},
    "bills.csv": {6: "ambiguous_date", 7: "impossible_date", 8: "negative_amount",
                  9: "invalid_amount", 10: "excel_error", 11: "due_before_issue",
                  13: "duplicate_key_conflict", 14: "duplicate_key_conflict",
                  17: "missing_required", 18: "invalid_amount", 19: "invalid_amount",
                  20: "currency_conflict", 21: "malformed_line"},
    "payments.csv": {7: "unknown_channel", 8: "negative_amount", 9: "ambiguous_date",
                     10: "malformed_line", 11: "currency_conflict", 12: "excel_error",
                     14: "malformed_line"},
    "bills.xlsx": {3: "empty_row", 4: "excel_error", 5: "missing_required"},
}
MERGED = {"customers_crm.csv": {7: 1}, "bills.csv": {12: 1}, "payments.csv": {13: 1}}


@pytest.mark.parametrize(("name", "table"), FILES)
def test_reasons_and_merges_per_source_row(name, table):
    res = CLEANERS[table](read_table(MESSY / name, table=table))
    got = dict(zip(res.quarantine["source_row"], res.quarantine["reason"], strict=True))
    assert got == EXPECTED[name]
    merged = dict(zip(res.merged["source_row"], res.merged["surviving_source_row"], strict=True))
    assert merged == MERGED.get(name, {})


@pytest.mark.parametrize(("name", "table", "line"), [
    ("customers_crm.csv", "customers", 15),   # ",,,,,,," between two records
    ("bills.xlsx", "bills", 4),               # an empty sheet row in the middle
])
def test_blank_records_are_quarantined_as_empty_rows_not_dropped(name, table, line):
    df = read_table(MESSY / name, table=table)
    assert df.attrs["blank_lines"] == [line]
    assert line - 2 not in df.index           # not a row of the frame ...
    res = CLEANERS[table](df)
    empty = res.quarantine[res.quarantine["reason"] == "empty_row"]
    assert empty["source_row"].tolist() == [line - 1]   # ... but held back with its row
    assert empty["message"].str.startswith(f"line {line}:").all()
    assert res.summary()["quarantine_by_reason"]["empty_row"] == 1 and res.ok


def test_empty_lines_and_comma_rows_count_alike(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("流水号,回款日期,金额\nP1,2025-01-02,10\n,,\n\nP2,2025-01-03,5\n  \n\n",
                 encoding="utf-8")
    df = read_table(p, table="payments")
    assert df.attrs["blank_lines"] == [3, 4, 6, 7]
    res = clean_payments(df)
    assert res.rows_in == 6 and len(res.clean) == 2 and res.ok
    assert res.quarantine[["source_row", "reason"]].values.tolist() == [
        [2, "empty_row"], [3, "empty_row"], [5, "empty_row"], [6, "empty_row"]]
    # a frame not from a file: its attrs alone place the blank lines among its rows
    plain = pd.DataFrame({"payment_id": ["P1", "P2"], "paid_date": ["2025-01-02"] * 2,
                          "amount": ["1", "2"]})
    plain.attrs["blank_lines"] = [3]
    res = clean_payments(plain)
    assert res.source_rows.tolist() == [1, 3] and res.quarantine["source_row"].tolist() == [2]


def test_gbk_headers_and_values_are_read():
    res = clean_customers(read_table(MESSY / "customers_crm.csv", table="customers"))
    c = res.clean.set_index("customer_id")
    assert c.loc["C002", "name"] == "李四"            # ideographic space removed
    assert c.loc["C003", "name"] == "ABC贸易有限公司"  # full-width letters
    assert c.loc["C002", "phone"] == "13912345678"    # 0086 prefix
    assert c.loc["C005", "id_number"] == "11010519491231002X"  # 15-digit legacy converted
    assert c.loc["C005", "kind"] == "consumer"        # blank kind from the ID type
    assert c.loc["C005", "open_date"] == pd.Timestamp("2021-01-01")  # Excel serial 44197
    assert c.loc["C001", "credit_limit_minor"] == 5_000_000


def test_customers_keyed_differently_in_two_files_both_survive_for_dedupe():
    crm = clean_customers(read_table(MESSY / "customers_crm.csv", table="customers")).clean
    erp = clean_customers(read_table(MESSY / "customers_erp.csv", table="customers")).clean
    both = pd.concat([crm, erp], ignore_index=True)
    # the same person under two keys: same normalised ID number and phone, different ids
    same = both[both["id_number"] == crm.set_index("customer_id").loc["C001", "id_number"]]
    assert sorted(same["customer_id"]) == ["C001", "E-9001"]
    assert same["phone"].nunique() == 1 and same["name"].nunique() == 1


def test_money_of_the_bills_file_to_the_fen():
    res = clean_bills(read_table(MESSY / "bills.csv", table="bills"))
    # readable amounts, by hand: 1200+800+800+3000+1500+2000+2000-500+700+700+750+100+700+1200
    assert res.money_in.to_dict() == {"CNY": 1_425_000, "USD": 20_000}
    assert res.unread_amounts_in == 5   # abc, #N/A, 1,00, 12.345, $5 against 人民币


def test_clean_file_writes_outputs(tmp_path):
    summary = clean_file(MESSY / "payments.csv", "payments", tmp_path)
    assert summary["encoding"] == "utf-8-sig" and summary["invariants_ok"]
    q = (tmp_path / "quarantine.csv").read_bytes()
    assert q.startswith(b"\xef\xbb\xbf")   # BOM, for Excel
    held = pd.read_csv(tmp_path / "quarantine.csv", encoding="utf-8-sig")
    assert len(held) == summary["rows_quarantined"] + summary["rows_merged"]
    assert "exact_duplicate" in set(held["reason"])
    clean = pd.read_parquet(tmp_path / "clean.parquet")
    assert len(clean) == summary["rows_clean"]
