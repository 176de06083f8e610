"""Hidden characters, Excel error values and repeated payment ids (issue #7 hardening).

A credit analyst's reading of a cell with hidden content: in a key or code
(ids, amounts, dates, phones) a control, zero-width, bidi or terminal-escape
character is held back as ``invisible_text``; free text (names, references)
loses its hidden formatting, which the log records, unless it holds a bidi
override (a display spoof), which is held back. Excel error values and unsaved
formulas are ``excel_error`` where a value is needed, not "blank".
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from creditkit.cleaning import clean_bills, clean_customers, clean_file, clean_payments
from creditkit.cleaning.text import has_invisible, show_invisible, strip_invisible
from creditkit.io import read_table

#: What must never reach a clean text cell (the corpus test's definition, kept independent).
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                    "\u2060-\u2064\u2066-\u2069\ufeff]")


def bills(**cols):
    n = len(next(iter(cols.values())))
    base = {"bill_id": [f"B{i}" for i in range(1, n + 1)], "customer_id": ["C1"] * n,
            "issue_date": ["2025-01-05"] * n, "due_date": ["2025-02-05"] * n,
            "amount": ["1.00"] * n}
    return pd.DataFrame({**base, **cols})


def customers(names):
    n = len(names)
    return pd.DataFrame({"customer_id": [f"C{i}" for i in range(1, n + 1)], "name": names,
                         "kind": ["consumer"] * n})


def reasons(res):
    return dict(zip(res.quarantine["source_row"], res.quarantine["reason"], strict=True))


def assert_no_hidden(frame):
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            bad = [v for v in frame[col].dropna() if isinstance(v, str) and HIDDEN.search(v)]
            assert not bad, (col, bad)


# --- keys and codes: held back ----------------------------------------------------------------
@pytest.mark.parametrize("hidden", [
    "\x07", "\x1b[31m", "\x9b2J", "\x00", "\x7f", "\u200b", "\u200d", "\u2060", "\ufeff",
    "\u202e", "\u2066", "\u200f", "\t", "\r", "\n", "\U000e0041",
])
def test_a_hidden_character_inside_a_key_is_invisible_text(hidden):
    res = clean_bills(bills(bill_id=["B1", f"B{hidden}2", "B3"]))
    assert reasons(res) == {2: "invisible_text"}
    msg = res.quarantine["message"][0]
    assert msg.startswith("bill_id: text holds hidden characters")
    assert f"<U+{ord(hidden[0]):04X}>" in msg          # the reader sees what is hidden
    assert res.ok and len(res.clean) == 2
    assert_no_hidden(res.clean)


@pytest.mark.parametrize(("column", "value"), [
    ("customer_id", "C\u200b1"), ("amount", "1\u200b00.00"), ("due_date", "2025-02-0\u200e5"),
    ("currency", "CN\x08Y"),
])
def test_hidden_characters_in_codes_are_held_back_with_money_kept(column, value):
    raw = bills(amount=["1.00", "2.00"], currency=["CNY", "CNY"])
    raw.loc[1, column] = value
    res = clean_bills(raw)
    assert reasons(res)[2] == "invisible_text"
    assert res.ok  # rows and money in = out, the unread amount counted


def test_payment_keys_and_references():
    res = clean_payments(pd.DataFrame({
        "payment_id": ["P1", "P1\u200b", "P3"], "paid_date": ["2025-02-01"] * 3,
        "amount": ["5.00", "5.00", "7.00"], "bill_id": ["B1", "B1", "B\x1b[2J3"],
        "reference": ["ok\u200b ref", "x", "y"], "payer_name": ["张\u200d三", "李四", "王五"]}))
    # 'P1' and 'P1<U+200B>' look alike: the second would be a second payment P1
    assert reasons(res) == {2: "invisible_text", 3: "invisible_text"}
    clean = res.clean.set_index("payment_id")
    assert clean.loc["P1", "reference"] == "ok ref" and clean.loc["P1", "payer_name"] == "张三"
    assert any("reference: hidden characters" in line for line in res.log)
    assert res.ok


# --- free text: stripped and logged, overrides held back ---------------------------------------
@pytest.mark.parametrize(("name", "want"), [
    ("张\x08三\x1b[2J", "张三"),                               # backspace, clear screen
    ("\x1b]8;;http://evil.example\x07张三\x1b]8;;\x07", "张三"),  # OSC 8 hyperlink, BEL ends
    ("\x1b]8;;http://evil.example\x1b\\张三\x1b]8;;\x1b\\", "张三"),  # ... ST ends
    ("\u2067张三\u2069", "张三"),                              # isolates only
    ("\u202b李四\u202c", "李四"),                              # embedding and pop
    ("张\u200b三", "张三"), ("\u00ad王五", "王五"),
    ("john\u200d smith", "John Smith"), ("A\r\nB", "A B"),
])
def test_names_lose_hidden_formatting_and_the_log_says_so(name, want):
    res = clean_customers(customers([name, "李四"]))
    assert res.quarantine.empty
    assert res.clean["name"].tolist() == [want, "李四"]
    assert any(line.startswith("name: hidden characters") and "1 value" in line
               for line in res.log)
    assert_no_hidden(res.clean)


@pytest.mark.parametrize("name", ["\u202e三张", "abc\u202dxyz", "\u202egnaZ nahZ\u202c"])
def test_a_bidi_override_in_a_name_is_a_spoof(name):
    res = clean_customers(customers([name, "李四"]))
    assert reasons(res) == {1: "invisible_text"}
    assert "<U+202" in res.quarantine["message"][0]
    assert res.clean["customer_id"].tolist() == ["C2"]


@pytest.mark.parametrize("name", ["\u200b\u200d", "\ufeff\u200c", "\x1b[2J", "\u2066\u2069",
                                  "\u200b #N/A"])
def test_a_name_of_hidden_characters_only_is_blank(name):
    res = clean_customers(customers([name, "李四"]))
    assert reasons(res) == {1: "missing_required"}
    assert "<U+" in res.quarantine["message"][0]  # the blank that was not empty, shown


def test_tab_and_newline_stay_in_free_text_but_not_in_codes():
    assert has_invisible(pd.Series(["a\tb", "a\nb"]), code=False).tolist() == [False, False]
    assert has_invisible(pd.Series(["a\tb", "a\nb"])).tolist() == [True, True]
    out = strip_invisible(pd.Series(["line 1\r\nline 2\rline 3", "a\tb"]))
    assert out["text"].tolist() == ["line 1\nline 2\nline 3", "a\tb"]


def test_python_and_arrow_strings_give_the_same_answer():
    cells = ["\x1b[1;31mred\x1b[0m", "\x9b2Jx", "x\x1bcy", "tag\U000e0041x", "a\x1b]0;title",
             "\u3164", "\u115f\u1160", "ok\u00a0x", None]
    a = strip_invisible(pd.Series(cells, dtype=object))
    b = strip_invisible(pd.Series(cells, dtype="str"))
    assert a["text"].tolist() == b["text"].tolist()
    assert a["text"].tolist()[:4] == ["red", "x", "xy", "tagx"]
    assert show_invisible(pd.Series(["\u3164"])).tolist() == ["<U+3164>"]


# --- Excel error values and unsaved formulas ------------------------------------------------
@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                                   "#NULL!", " #n/a "])
def test_an_excel_error_in_the_amount_is_named(error):
    res = clean_bills(bills(amount=["1.00", error, "3.00"]))
    assert reasons(res) == {2: "excel_error"}
    q = res.quarantine.iloc[0]
    assert f"(got '{error.strip().upper()}')" in q["message"]
    assert "blank" not in q["message"]
    # the broken amount is counted as written and unread, never as blank
    assert q["amount_text"] == error.strip().upper() and pd.isna(q["amount_minor"])
    assert res.unread_amounts_in == 1 and res.ok


@pytest.mark.parametrize(("column", "value"), [
    ("bill_id", "#REF!"), ("customer_id", "#N/A"), ("issue_date", "#VALUE!"),
    ("currency", "#N/A"),
])
def test_an_excel_error_where_a_value_is_needed_is_named(column, value):
    raw = bills(amount=["1.00", "2.00"], currency=["CNY", "CNY"])
    raw.loc[1, column] = value
    res = clean_bills(raw)
    assert reasons(res) == {2: "excel_error"}
    assert res.quarantine["column"][0] == column
    assert "missing_required" not in res.quarantine["message"][0]


def test_an_excel_error_in_an_optional_field_reads_as_blank_and_is_logged():
    res = clean_customers(pd.DataFrame({
        "customer_id": ["C1", "C2"], "name": ["张三", "李四"], "kind": ["个人", "个人"],
        "phone": ["#N/A", "13800138000"], "region": ["#REF!", "北京"]}))
    assert res.quarantine.empty and res.clean["phone"].isna().tolist() == [True, False]
    assert any(line.startswith("phone: 1 Excel error") and "#N/A 1" in line for line in res.log)
    # a credit limit is money: an error there is held back, not read as 'no limit'
    res = clean_customers(pd.DataFrame({"customer_id": ["C1"], "name": ["张三"],
                                        "kind": ["个人"], "credit_limit": ["#DIV/0!"]}))
    assert reasons(res) == {1: "excel_error"} and res.ok


def test_a_row_of_excel_errors_is_not_an_empty_row():
    raw = pd.DataFrame({"bill_id": ["B1", "#N/A"], "customer_id": ["C1", "#N/A"],
                        "issue_date": ["2025-01-05", "#N/A"], "due_date": ["2025-02-05", "#N/A"],
                        "amount": ["1.00", "#N/A"]})
    assert reasons(clean_bills(raw)) == {2: "excel_error"}


def _workbook(path, rows):
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_an_xlsx_formula_without_a_saved_result_is_an_excel_error(tmp_path):
    # openpyxl writes formulas without results, like any script that builds a workbook
    p = _workbook(tmp_path / "b.xlsx", [
        ["bill_id", "customer_id", "issue_date", "due_date", "amount"],
        ["B1", "C1", "2025-01-05", "2025-02-05", "1.00"],
        ["B2", "C1", "2025-01-05", "2025-02-05", "=SUM(E2:E2)*2"],
        ["B3", "C1", "2025-01-05", "2025-02-05", ""]])
    df = read_table(p, table="bills")
    assert df["amount"].tolist() == ["1.00", "=SUM(E2:E2)*2", ""]
    assert df.attrs["formula_cells"] == ["=SUM(E2:E2)*2"]
    res = clean_bills(df)
    assert reasons(res) == {2: "excel_error", 3: "missing_required"}
    assert "(got '=SUM(E2:E2)*2')" in res.quarantine["message"][0]
    assert res.ok


def test_a_workbook_without_formulas_reads_as_before(tmp_path):
    p = _workbook(tmp_path / "b.xlsx", [["bill_id", "amount"], ["B1", "=not a formula"]])
    # a text cell that starts with '=' (typed with a leading apostrophe) stays text
    from openpyxl import load_workbook

    wb = load_workbook(p)
    wb.active["B2"].data_type = "s"
    wb.save(p)
    df = read_table(p)
    assert "formula_cells" not in df.attrs and df["amount"].tolist() == ["=not a formula"]


# --- repeated payment ids ------------------------------------------------------------------
def test_a_repeated_payment_id_is_held_back_or_merged_and_no_fen_is_lost(tmp_path):
    raw = pd.DataFrame({
        "payment_id": ["P1", "P1", "P2", "P2", "Ｐ3", " P3 ", "P4"],
        "paid_date": ["2025-02-01"] * 7,
        "amount": ["100.00", "150.00", "5.00", "5.00", "7.00", "7.00", "9.00"],
        "customer_id": ["C1"] * 7})
    res = clean_payments(raw)
    # P1 twice with different amounts: both held back; P2 and P3 exported twice: folded
    assert reasons(res) == {1: "duplicate_key_conflict", 2: "duplicate_key_conflict"}
    assert dict(zip(res.merged["source_row"], res.merged["surviving_source_row"],
                    strict=True)) == {4: 3, 6: 5}
    assert res.clean["payment_id"].tolist() == ["P2", "P3", "P4"]
    assert res.clean["payment_id"].is_unique  # no repeated allocation key can follow
    money_out = (int(res.clean["amount_minor"].sum()) + int(res.quarantine["amount_minor"].sum())
                 + int(res.merged["amount_minor"].sum()))
    assert int(res.money_in["CNY"]) == money_out == 10000 + 15000 + 500 * 2 + 700 * 2 + 900
    assert res.ok
    src = tmp_path / "p.csv"
    raw.to_csv(src, index=False)
    summary = clean_file(src, "payments", tmp_path / "out")
    assert summary["quarantine_by_reason"] == {"duplicate_key_conflict": 2}
