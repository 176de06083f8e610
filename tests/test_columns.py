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
    check_column_map,
    fold_traditional,
    header_columns,
    map_headers,
    normalise_header,
    repeated_headers,
    table_headers,
)
from creditkit.exceptions import DataReadError, ParameterError, SchemaError
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


# --- traditional headers, repeated headers, column maps (issue #7) ----------------------------

def _big5_traditional() -> dict[str, str]:
    """Simplified character Big5 lacks -> its traditional form (from fold_traditional).

    The frequent-character block comes first, as a writer in Taiwan would pick it.
    """
    out: dict[str, str] = {}
    for lead in range(0xA4, 0xFA):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                ch = bytes([lead, trail]).decode("big5")
            except UnicodeDecodeError:
                continue
            simp = fold_traditional(ch)
            if simp != ch and simp not in out:
                try:
                    simp.encode("big5")  # Big5 has the character itself: Taiwan writes it
                except UnicodeEncodeError:
                    out[simp] = ch
    return out


TRAD = _big5_traditional()
#: Every synonym with a traditional spelling, written as Taiwan or Hong Kong would, with the
#: table it is read for.
TRAD_HEADERS = sorted({
    ("".join(TRAD.get(c, c) for c in word), word, next(t for t in CLEANED
                                                       if column in table_headers(t)))
    for column, words in HEADER_SYNONYMS.items() for word in words
    if any(c in TRAD for c in word) and any(column in table_headers(t) for t in CLEANED)})


@pytest.mark.parametrize(("trad", "simp", "table"), TRAD_HEADERS,
                         ids=[h[0] for h in TRAD_HEADERS])
def test_every_synonym_is_read_in_traditional_from_a_big5_file(tmp_path: Path, trad: str,
                                                               simp: str, table: str) -> None:
    want = canonical_column(simp, table=table)
    assert canonical_column(trad, table=table) == want
    path = tmp_path / "hk.csv"
    path.write_bytes(f"{trad},other\nx,y\n".encode("big5"))  # no encoding= given
    df = read_table(path, table=table)
    assert df.attrs["encoding"] == "big5" and df.attrs["column_map"] == {trad: want}


def test_traditional_only_headers_of_taiwan_and_hong_kong_map() -> None:
    for header, column in [("身分證字號", "id_number"), ("統一編號", "id_number"),
                           ("行動電話", "phone"), ("手提電話", "phone"), ("聯絡電話", "phone"),
                           ("帳單號碼", "bill_id"), ("帐单号", "bill_id")]:
        assert canonical_column(header) == column, header
    assert len(TRAD_HEADERS) > 120  # the table covers the synonyms, not a hand-picked few


def test_fold_traditional_folds_lookups_only() -> None:
    assert fold_traditional("個人 企業 港幣 新臺幣") == "个人 企业 港币 新台币"
    assert fold_traditional("ABC 123") == "ABC 123"
    with pytest.raises(ParameterError, match="takes a str"):
        fold_traditional(5)  # type: ignore[arg-type]


def test_repeated_headers() -> None:
    assert repeated_headers(["a", "b", "a.1", "a.2"]) == {"a": ["a", "a.1", "a.2"]}
    assert repeated_headers(pd.Index(["x", "x"])) == {"x": ["x", "x"]}
    assert repeated_headers(["rate.1", "v2.0"]) == {}  # no bare header: a name, not a repeat


def test_map_headers_refuses_a_repeated_header_naming_both() -> None:
    with pytest.raises(DataReadError, match=r"'apply_date' appears twice .*'apply_date.1'"):
        map_headers(pd.DataFrame(columns=["application_id", "apply_date", "apply_date.1"]),
                    table="applications", column_map=None, where="a.csv")
    with pytest.raises(DataReadError, match=r"appears 3 times"):
        map_headers(pd.DataFrame(columns=["n", "n.1", "n.2"]), table="bills",
                    column_map=None, where="a.csv")


def test_check_column_map() -> None:
    assert check_column_map(None, "bills") == {}
    with pytest.raises(ParameterError, match=r"'x' to 'credit_limit', which is not a field of "
                                             r"bills; fields are \['bill_id'"):
        check_column_map({"x": "credit_limit"}, "bills")
    with pytest.raises(ParameterError, match=r"both 'a' and 'b' to 'amount'"):
        check_column_map({"a": "amount", "b": "amount"}, "bills")
    with pytest.raises(ParameterError, match=r"must map header strings"):
        check_column_map({"a": 1}, "bills")  # type: ignore[dict-item]
    with pytest.raises(ParameterError, match="unknown table"):
        check_column_map({"a": "amount"}, "nope")


@pytest.mark.parametrize(("columns", "words"), [
    (["bill_id", "amount", "金额"], r"'amount' and '金额' both mean 'amount'"),
    (["bill_id", "amount", "amount.1"], r"'amount' and 'amount.1' both mean 'amount'"),
    (["账单号", "bill_id"], r"'账单号' and 'bill_id' both mean 'bill_id'"),
])
def test_cleaning_refuses_two_columns_for_one_field(columns: list[str], words: str) -> None:
    df = pd.DataFrame([["B1"] * len(columns)], columns=columns)
    with pytest.raises(SchemaError, match=words + r".*column_map="):
        recognise_columns(df, "bills")
    chosen = recognise_columns(df, "bills", column_map={columns[-1]: columns[-1]}
                               if columns[-1] in table_headers("bills") else
                               {columns[-1]: canonical_column(columns[-1], table="bills")
                                or "amount"})
    assert columns[-1] in chosen and len(set(chosen.values())) == len(chosen)
