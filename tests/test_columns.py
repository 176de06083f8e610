"""creditkit.columns: one header table, read and cleaned alike."""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import pandas as pd
import pytest

from creditkit.cleaning import recognise_columns
from creditkit.columns import (
    HEADER_SYNONYMS,
    canonical_column,
    header_columns,
    map_headers,
    normalise_header,
    table_headers,
)
from creditkit.exceptions import DataReadError, ParameterError
from creditkit.io import read_table
from creditkit.schema import TABLES

CLEANED = ("customers", "bills", "payments")
# every spelling of the table (and every canonical name), for every table cleaning handles
HEADERS = sorted({(table, h) for table in CLEANED
                  for h in [*(w for ws in HEADER_SYNONYMS.values() for w in ws),
                            *HEADER_SYNONYMS, *TABLES[table].names]
                  if h.strip()})


@pytest.mark.parametrize(("table", "header"), HEADERS, ids=[f"{t}:{h}" for t, h in HEADERS])
def test_read_table_and_the_cleaners_map_a_header_alike(tmp_path: Path, table: str,
                                                        header: str) -> None:
    path = tmp_path / "one.csv"
    # a header with the separator in it is quoted, as a spreadsheet would write it
    path.write_text(f'"{header}",other\nx,y\n', encoding="utf-8")
    cleaner = recognise_columns(pd.DataFrame(columns=[header, "other"]), table).get(header)
    try:
        applied = read_table(path, table=table).attrs["column_map"]  # renamed headers only
    except DataReadError:  # read_table refuses a file with no column of the table
        applied = {}
    kept = header if header in table_headers(table) else None  # a canonical name stays as is
    assert applied.get(header, kept) == cleaner == canonical_column(header, table=table)


@pytest.mark.parametrize(("header", "table", "column"), [
    # 纷享销客 (Fxiaoke) display names
    ("客户名称", "customers", "name"), ("客户编号", "customers", "customer_id"),
    ("回款编号", "payments", "payment_id"), ("回款金额", "payments", "amount"),
    ("回款日期", "payments", "paid_date"), ("回款方式", "payments", "channel"),
    ("销售订单编号", "bills", "invoice_id"), ("订单金额", "bills", "amount"),
    ("开票金额", "bills", "amount"), ("下单日期", "bills", "issue_date"),
    # Zoho CRM / Zoho Books field labels and API names
    ("Account Name", "customers", "name"), ("Account_Name", "customers", "name"),
    ("Account Number", "customers", "customer_id"), ("Account_Number", "customers", "customer_id"),
    ("Mobile", "customers", "phone"), ("Billing_State", "customers", "region"),
    ("Invoice_Number", "bills", "invoice_id"), ("Invoice Date", "bills", "issue_date"),
    ("Due_Date", "bills", "due_date"), ("Grand_Total", "bills", "amount"),
    ("Currency", "bills", "currency"), ("Payment Mode", "payments", "channel"),
    ("Reference Number", "payments", "reference"), ("Payment Number", "payments", "payment_id"),
    # traditional Chinese
    ("賬單號", "bills", "bill_id"), ("帳單號", "bills", "bill_id"), ("金額", "bills", "amount"),
    ("客戶名稱", "customers", "name"), ("客戶編號", "payments", "customer_id"),
    ("發票號碼", "bills", "invoice_id"), ("幣種", "payments", "currency"),
    ("身份證號", "customers", "id_number"), ("手機號碼", "customers", "phone"),
    ("授信額度", "customers", "credit_limit"), ("備註", "payments", "reference"),
    # units, full-width brackets, BOM, spacing
    ("金额（元）", "bills", "amount"), ("\ufeff客户编号", "customers", "customer_id"),
    (" Due  Date ", "bills", "due_date"),
])
def test_crm_traditional_and_noisy_headers_map(header: str, table: str, column: str) -> None:
    assert canonical_column(header, table=table) == column
    assert recognise_columns(pd.DataFrame(columns=[header]), table) == {header: column}


def test_a_header_with_two_meanings_takes_the_tables() -> None:
    assert header_columns("流水号")[:2] == ("txn_id", "payment_id")
    assert canonical_column("流水号", table="payments") == "payment_id"
    assert canonical_column("流水号", table="transactions") == "txn_id"
    assert canonical_column("类别", table="transactions") == "category"
    assert canonical_column("类别", table="bills") == "kind"
    assert canonical_column("流水号") == "txn_id"
    assert canonical_column("nothing like a header") is None


def test_normalise_header_is_the_one_rule() -> None:
    assert normalise_header("Invoice_Date") == normalise_header("invoice date") == "invoicedate"
    assert normalise_header("金額(元)") == normalise_header("金额") == "金额"
    assert normalise_header("(元)") == "元"  # a header that is all unit keeps it


def test_table_headers_and_errors() -> None:
    assert table_headers("customers")[-1] == "credit_limit"
    with pytest.raises(ParameterError, match="unknown table 'nope'"):
        table_headers("nope")
    with pytest.raises(ParameterError, match="unknown table"):
        canonical_column("金额", table="nope")
    with pytest.raises(DataReadError, match="both mean 'amount'"):
        map_headers(pd.DataFrame(columns=["金额", "金額"]), table="bills", column_map=None,
                    where="b.csv")


def test_cleaning_aliases_is_a_deprecated_alias_of_the_one_table() -> None:
    import creditkit.cleaning.columns as old
    import creditkit.deprecation

    importlib.reload(creditkit.deprecation)  # forget what earlier tests were warned about
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        aliases = old.ALIASES
    assert aliases is HEADER_SYNONYMS
    assert [w.category for w in seen] == [FutureWarning]
    assert "creditkit.columns.HEADER_SYNONYMS" in str(seen[0].message)
    with pytest.raises(AttributeError):
        old.NO_SUCH_NAME  # noqa: B018
