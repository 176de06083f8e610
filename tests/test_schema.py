import pandas as pd
import pytest

from creditkit.exceptions import SchemaError
from creditkit.schema import TABLES, coerce, empty, personal_columns, validate


def _bills() -> pd.DataFrame:
    return pd.DataFrame({
        "bill_id": ["B1", "B2"],
        "invoice_id": ["I1", "I1"],
        "customer_id": ["C1", "C1"],
        "issue_date": pd.to_datetime(["2025-01-01", "2025-01-01"]),
        "due_date": pd.to_datetime(["2025-01-31", "2025-02-28"]),
        "amount_minor": [10000, 5001],
        "currency": ["CNY", "CNY"],
    })


def test_valid_frame_passes_unchanged():
    bills = _bills()
    assert validate(bills, "bills") is bills


def test_missing_columns_named_with_fix():
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['due_date'\] in bills.*map"):
        validate(_bills().drop(columns="due_date"), "bills")


def test_column_map_renames_chinese_headers():
    raw = _bills().rename(columns={"bill_id": "账单号", "due_date": "到期日"})
    out = validate(raw, "bills", column_map={"账单号": "bill_id", "到期日": "due_date"})
    assert {"bill_id", "due_date"} <= set(out.columns)
    assert "账单号" in raw.columns  # input not mutated


def test_column_map_to_unknown_target_rejected():
    with pytest.raises(SchemaError, match="not columns of bills"):
        validate(_bills(), "bills", column_map={"x": "amount"})


def test_float_money_is_a_dtype_error():
    bills = _bills().assign(amount_minor=[100.0, 50.01])
    with pytest.raises(SchemaError, match="amount_minor is float64, expected int64 minor units"):
        validate(bills, "bills")


def test_text_dates_are_a_dtype_error_but_coerce_fixes_them():
    bills = _bills().assign(due_date=["2025-01-31", "2025-02-28"])
    with pytest.raises(SchemaError, match=r"due_date is .*expected naive datetime64"):
        validate(bills, "bills")
    fixed = coerce(bills, "bills")
    assert validate(fixed, "bills") is fixed
    assert fixed["kind"].isna().all()  # optional column added, empty


def test_coerce_refuses_missing_required_money():
    bills = _bills().assign(amount_minor=pd.array([1, None], dtype="Int64"))
    with pytest.raises(SchemaError, match="missing amount"):
        coerce(bills, "bills")


def test_unknown_table_and_non_frame():
    with pytest.raises(SchemaError, match="unknown table 'invoices'"):
        validate(_bills(), "invoices")
    with pytest.raises(SchemaError, match="expected a pandas DataFrame"):
        validate([1, 2], "bills")


def test_table_column_lookup():
    assert TABLES["payments"].column("payer_name").personal
    with pytest.raises(SchemaError, match="has no column"):
        TABLES["payments"].column("nope")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_empty_tables_validate(table):
    frame = empty(table)
    assert list(frame.columns) == TABLES[table].names
    validate(frame, table)


def test_personal_columns_of_payments():
    assert personal_columns("payments") == {"payer_name": "name"}
