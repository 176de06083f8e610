"""Tests for creditkit.io: encodings, formats, column mapping and bad-line reporting."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.io import detect_encoding, read_table

PAYMENTS_ZH = (
    "回款编号,客户编号,付款人,回款日期,金额（元）,支付方式,备注\n"
    "P1,C001,张三,2025-01-05,\"1,234.50\",支付宝,货款 一月\n"
    "P2,C002,李四,2025/01/06,#N/A,微信,\n"
    "P3,00123,王五,,NULL,银行转账,\"含,逗号\"\n"
)


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# --- encodings --------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
    ("utf-16", "utf-16"),
])
def test_detect_encoding(tmp_path, encoding, expected):
    p = _write(tmp_path, "x.csv", PAYMENTS_ZH, encoding)
    assert detect_encoding(p) == expected


def test_detect_encoding_ascii_is_utf8_and_garbage_raises(tmp_path):
    assert detect_encoding(_write(tmp_path, "a.csv", "a,b\n1,2\n")) == "utf-8"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n\xff\x80,1\n")
    with pytest.raises(DataReadError, match=r"neither UTF-8 nor GB18030.*pass encoding="):
        detect_encoding(bad)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-8", "utf-16"])
def test_chinese_csv_reads_the_same_in_every_encoding(tmp_path, encoding):
    p = _write(tmp_path, "pay.csv", PAYMENTS_ZH, encoding)
    df = read_table(p, table="payments")
    assert df.columns.tolist() == ["payment_id", "customer_id", "payer_name", "paid_date",
                                   "amount", "channel", "reference"]
    assert df["payer_name"].tolist() == ["张三", "李四", "王五"]
    assert df["reference"].tolist() == ["货款 一月", "", "含,逗号"]
    assert df.attrs["encoding"] == detect_encoding(p)
    assert df.attrs["source"] == str(p)
    assert df.attrs["bad_lines"] == []


def test_values_stay_raw_text(tmp_path):
    df = read_table(_write(tmp_path, "pay.csv", PAYMENTS_ZH, "gb18030"))
    assert df["金额（元）"].tolist() == ["1,234.50", "#N/A", "NULL"]
    assert df["客户编号"].tolist() == ["C001", "C002", "00123"]  # leading zeros kept
    assert df["回款日期"].tolist() == ["2025-01-05", "2025/01/06", ""]
    assert all(pd.api.types.is_string_dtype(df[c]) for c in df.columns)
    assert isinstance(df.index, pd.RangeIndex)


def test_explicit_wrong_encoding_raises(tmp_path):
    p = _write(tmp_path, "pay.csv", PAYMENTS_ZH, "gb18030")
    with pytest.raises(DataReadError, match=r"does not decode as 'utf-8'.*encoding=None"):
        read_table(p, encoding="utf-8")
    with pytest.raises(DataReadError, match=r"does not decode as 'nope'"):
        read_table(p, encoding="nope")


# --- separators and bad lines ----------------------------------------------------------

@pytest.mark.parametrize(("name", "sep"), [("a.tsv", "\t"), ("a.txt", "\t"), ("a.csv", ";"),
                                           ("a.csv", "|")])
def test_separator_is_sniffed(tmp_path, name, sep):
    text = sep.join(["客户号", "到期日", "应收金额"]) + "\n" + sep.join(["C1", "2025-06-30",
                                                                   "1,234.56"]) + "\n"
    df = read_table(_write(tmp_path, name, text), table="bills")
    assert df.to_dict("records") == [
        {"customer_id": "C1", "due_date": "2025-06-30", "amount": "1,234.56"}]


def test_explicit_sep_wins(tmp_path):
    df = read_table(_write(tmp_path, "a.csv", "a;b\n1;2\n"), sep=",")
    assert df.columns.tolist() == ["a;b"] and df["a;b"].tolist() == ["1;2"]


def test_ragged_and_truncated_lines_are_reported_not_lost(tmp_path):
    text = ("id,amount,ref\n"
            "1,10,a\n"
            "2,20\n"              # too few fields
            "3,30,c,extra\n"      # too many
            "\n"                  # blank line: left out, listed in blank_lines
            "4,40,\"two\nlines\"\n"
            "5,50,e\n"
            "6,\"6")              # truncated inside a quote at EOF
    df = read_table(_write(tmp_path, "r.csv", text))
    assert df["id"].tolist() == ["1", "4", "5"]
    assert df.index.tolist() == [0, 4, 5]  # data record numbers, gaps where lines were dropped
    assert df.loc[4, "ref"] == "two\nlines"
    # editor lines: the record holding "two\nlines" spans lines 6-7, so the last is line 9
    assert df.attrs["bad_lines"] == [(3, "2,20"), (4, "3,30,c,extra"), (9, '6,"6')]
    assert df.attrs["blank_lines"] == [5]


@pytest.mark.parametrize(("text", "ids", "index", "blank"), [
    ("id,amt,ref\n1,1,a\n,,,\n,,\n2,2,b\n", ["1", "2"], [0, 3], [3, 4]),  # ragged ",,,"
    ("id,amt,ref\n1,1,a\n,,\n2,2,b\n,,\n", ["1", "2"], [0, 2], [3, 5]),
    ("id,amt,ref\n1,1,a\n\n\n2,2,b\n\n", ["1", "2"], [0, 3], [3, 4, 6]),
    ("id,amt,ref\n1,1,a\n \t\n,\n2,2,b\n", ["1", "2"], [0, 3], [3, 4]),
    ("id\n1\n\n2\n\n", ["1", "2"], [0, 2], [3, 5]),  # one column: the same rule
    ("id,amt\r\n1,1\r\n,\r\n2,2\r\n", ["1", "2"], [0, 2], [3]),
    ("id,amt,ref\n1,1,a\n2,2,b\n", ["1", "2"], [0, 1], []),
])
def test_blank_records_are_left_out_and_listed(tmp_path, text, ids, index, blank):
    df = read_table(_write(tmp_path, "b.csv", text))
    assert df["id"].tolist() == ids and df.index.tolist() == index
    assert df.attrs["blank_lines"] == blank and df.attrs["bad_lines"] == []


def test_a_cell_of_spaces_is_not_a_blank_record(tmp_path):
    df = read_table(_write(tmp_path, "s.csv", "id,amt\n1,1\n , \n"))
    assert df["id"].tolist() == ["1", " "] and df.attrs["blank_lines"] == []


def test_crlf_line_endings(tmp_path):
    df = read_table(_write(tmp_path, "w.csv", "客户编号,金额\r\nC1,1\r\nC2\r\nC3,3\r\n", "gb18030"),
                    table="payments")
    assert df["customer_id"].tolist() == ["C1", "C3"]
    assert df["amount"].tolist() == ["1", "3"]
    assert [n for n, _ in df.attrs["bad_lines"]] == [3]


def test_mostly_ragged_file_says_the_separator_is_wrong(tmp_path):
    text = "a,b,c\n1;2;3\n4;5;6\n7;8;9\n"
    with pytest.raises(DataReadError, match=r"3 of 3 lines .* header's 3 fields.*sep="):
        read_table(_write(tmp_path, "w.csv", text), sep=",")


def test_header_only_csv_gives_empty_frame_with_columns(tmp_path):
    df = read_table(_write(tmp_path, "h.csv", "客户编号,金额\n"), table="payments")
    assert df.columns.tolist() == ["customer_id", "amount"] and len(df) == 0


def test_duplicate_and_blank_headers_are_made_unique(tmp_path):
    df = read_table(_write(tmp_path, "d.csv", "a,a,\n1,2,3\n"))
    assert df.columns.tolist() == ["a", "a.1", "unnamed_2"]


def test_large_csv_keeps_row_order(tmp_path):
    n = 20000
    text = "id,v\n" + "".join(f"{i},{n - i}\n" for i in range(n))
    df = read_table(_write(tmp_path, "big.csv", text))
    assert len(df) == n
    assert df["id"].iloc[[0, 1, n - 1]].tolist() == ["0", "1", str(n - 1)]
    assert isinstance(df.index, pd.RangeIndex)


# --- other formats ------------------------------------------------------------------------

def test_xlsx_cells_become_text_and_sheet_is_selectable(tmp_path):
    p = tmp_path / "book.xlsx"
    with pd.ExcelWriter(p, engine="openpyxl") as xw:
        pd.DataFrame({"x": [1]}).to_excel(xw, sheet_name="说明", index=False)
        pd.DataFrame({"客户编号": ["C1", "C2"], "应收金额": [1234.5, 7],
                      "到期日": [pd.Timestamp("2025-06-30"), pd.Timestamp("2025-07-01 08:30")],
                      "备注": ["#N/A", None]}).to_excel(xw, sheet_name="账单", index=False)
    df = read_table(p, table="bills", sheet="账单")
    assert df.columns.tolist() == ["customer_id", "amount", "due_date", "备注"]  # bills: no ref
    assert df["amount"].tolist() == ["1234.5", "7"]
    assert df["due_date"].tolist() == ["2025-06-30", "2025-07-01 08:30:00"]
    assert df["备注"].tolist() == ["#N/A", ""]
    assert df.attrs["encoding"] is None and df.attrs["bad_lines"] == []
    assert read_table(p).columns.tolist() == ["x"]  # first sheet by default
    with pytest.raises(DataReadError, match=r"no sheet 'Bills'.*\['说明', '账单'\]"):
        read_table(p, sheet="Bills")


def test_xlsx_blank_rows_sheet_index_and_errors(tmp_path):
    import openpyxl

    p = tmp_path / "raw.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data"
    rows = (["客户编号", "金额", None], ["C1", 5, None], [None, None, None], ["C2", "=1/0", "x"])
    for row in rows:
        ws.append(row)
    wb.create_sheet("空白")
    wb.save(p)
    df = read_table(p, sheet=0, table="payments")
    assert df.columns.tolist() == ["customer_id", "amount", "unnamed_2"]
    assert df.index.tolist() == [0, 2]  # Excel rows 2 and 4; the blank row 3 is left out
    assert df.attrs["blank_lines"] == [3] and df.attrs["bad_lines"] == []
    assert df["customer_id"].tolist() == ["C1", "C2"]
    with pytest.raises(DataReadError, match=r"sheet=5 is out of range"):
        read_table(p, sheet=5)
    with pytest.raises(DataReadError, match=r"sheet '空白' of raw.xlsx is empty"):
        read_table(p, sheet="空白")


def test_parquet_keeps_native_types(tmp_path):
    p = tmp_path / "t.parquet"
    pd.DataFrame({"bill_id": ["B1"], "amount_minor": [100]}).to_parquet(p)
    df = read_table(p, table="bills")
    assert df["amount_minor"].tolist() == [100]
    assert pd.api.types.is_integer_dtype(df["amount_minor"])
    assert df.attrs["source"] == str(p)
    q = tmp_path / "indexed.parquet"
    stored = pd.DataFrame({"amount_minor": [1, 2]}, index=pd.Index(["B2", "B1"], name="bill_id"))
    stored.to_parquet(q)
    df = read_table(q, table="bills")
    assert df.columns.tolist() == ["bill_id", "amount_minor"]
    assert df["bill_id"].tolist() == ["B2", "B1"] and isinstance(df.index, pd.RangeIndex)


def test_unknown_suffix_is_recognised_by_content(tmp_path):
    p = tmp_path / "export.dat"
    pd.DataFrame({"a": [1]}).to_parquet(p)
    assert read_table(p)["a"].tolist() == [1]
    q = _write(tmp_path, "export.out", "a\tb\n1\t2\n")
    assert read_table(q).columns.tolist() == ["a", "b"]


def test_gzipped_csv(tmp_path):
    import gzip

    p = tmp_path / "pay.tsv.gz"
    p.write_bytes(gzip.compress("客户号\t金额\nC1\t5\n".encode("gb18030")))
    df = read_table(p, table="payments")
    assert df.to_dict("records") == [{"customer_id": "C1", "amount": "5"}]
    assert df.attrs["encoding"] == "gb18030"
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(DataReadError, match=r"damaged gzip"):
        read_table(bad)


@pytest.fixture
def store(tmp_path):
    p = tmp_path / "s.duckdb"
    con = duckdb.connect(str(p))
    con.execute("create table payments as select * from (values ('P2', 200), ('P1', 100), "
                "('P3', 300)) t(payment_id, amount_minor)")
    con.execute("create table \"客户\" as select 'C1' as 客户编号, '张三' as 客户名称")
    con.close()
    return p


def test_duckdb_table_by_creditkit_name_or_sheet(store):
    df = read_table(store, table="payments")
    assert df["payment_id"].tolist() == ["P2", "P1", "P3"]  # insertion order kept
    cust = read_table(store, sheet="客户", table="customers")
    assert cust.columns.tolist() == ["customer_id", "name"]


def test_duckdb_query(store):
    df = read_table(store, query="select payment_id, amount_minor * 2 as m from payments "
                                 "order by payment_id")
    assert df["m"].tolist() == [200, 400, 600]


@pytest.mark.parametrize(("kwargs", "pattern"), [
    ({}, r"holds tables \['payments', '客户'\]; pass sheet="),
    ({"sheet": "bills"}, r"no table 'bills' in s.duckdb; tables are"),
    ({"query": "select * from nowhere"}, "query on s.duckdb failed"),
])
def test_duckdb_errors(store, kwargs, pattern):
    with pytest.raises(DataReadError, match=pattern):
        read_table(store, **kwargs)


def test_duckdb_single_table_is_read_without_a_name(tmp_path):
    p = tmp_path / "one.db"
    con = duckdb.connect(str(p))
    con.execute("create table t as select 1 as a")
    con.close()
    assert read_table(p)["a"].tolist() == [1]
    assert read_table(p, table="bills", column_map={"a": "amount_minor"}).columns.tolist() == [
        "amount_minor"]


# --- column mapping ----------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "table", "expected"), [
    ("客户编号", "payments", "customer_id"),
    ("客户号", "customers", "customer_id"),
    ("Customer ID", "bills", "customer_id"),
    ("customer_id", "bills", "customer_id"),
    ("金额", "payments", "amount"),
    ("应收金额", "bills", "amount"),
    ("金额(元)", "transactions", "amount"),
    ("到期日", "bills", "due_date"),
    ("应还日期", "bills", "due_date"),
    ("付款人", "payments", "payer_name"),
    ("渠道", "payments", "channel"),
    ("支付方式", "payments", "channel"),
    ("备注", "payments", "reference"),
    ("附言", "payments", "reference"),
    ("摘要", "payments", "reference"),
    ("流水号", "payments", "payment_id"),
    ("流水号", "transactions", "txn_id"),
    ("交易日期", "payments", "paid_date"),
    ("交易日期", "transactions", "txn_date"),
    ("授信额度", "customers", "credit_limit"),
    ("身份证号", "customers", "id_number"),
    ("Due Date", "bills", "due_date"),
])
def test_header_synonyms(tmp_path, header, table, expected):
    df = read_table(_write(tmp_path, "m.csv", f"{header},other\nx,y\n"), table=table)
    assert df.columns.tolist() == [expected, "other"]
    assert df.attrs["column_map"] == ({header: expected} if header != expected else {})


def test_synonym_only_applies_to_columns_of_the_table(tmp_path):
    # 付款人 (payer_name) is not a bills column: left as is.
    df = read_table(_write(tmp_path, "m.csv", "账单号,付款人\nB1,张三\n"), table="bills")
    assert df.columns.tolist() == ["bill_id", "付款人"]


def test_column_map_wins_over_synonyms(tmp_path):
    p = _write(tmp_path, "m.csv", "客户编号,客户号,金额\nA,B,1\n")
    cmap = {"客户号": "customer_id"}
    df = read_table(p, table="payments", column_map=cmap)
    assert df.columns.tolist() == ["客户编号", "customer_id", "amount"]
    assert cmap == {"客户号": "customer_id"}  # not mutated
    assert read_table(p, column_map={"金额": "amount"}).columns.tolist() == [
        "客户编号", "客户号", "amount"]


@pytest.mark.parametrize(("text", "kwargs", "pattern"), [
    ("客户编号,客户号\nA,B\n", {"table": "payments"},
     r"headers '客户编号' and '客户号' .* both mean 'customer_id'; pass column_map="),
    ("foo,bar\n1,2\n", {"table": "payments"},
     r"no column of m.csv is recognisable as part of payments; headers are \['foo', 'bar'\]"),
    ("foo,bar\n1,2\n", {"column_map": {"baz": "amount"}},
     r"column_map names \['baz'\] that are not headers"),
    ("foo,bar\n1,2\n", {"column_map": {"foo": "x", "bar": "x"}}, r"duplicate columns \['x'\]"),
])
def test_mapping_errors(tmp_path, text, kwargs, pattern):
    with pytest.raises(DataReadError, match=pattern):
        read_table(_write(tmp_path, "m.csv", text), **kwargs)


def test_unknown_table_raises(tmp_path):
    with pytest.raises(ParameterError, match=r"unknown table 'payment'"):
        read_table(_write(tmp_path, "m.csv", "a\n1\n"), table="payment")


# --- unusable input ---------------------------------------------------------------------------

def test_unusable_sources_raise_with_the_fix(tmp_path):
    with pytest.raises(DataReadError, match=r"no such file: .*check the path"):
        read_table(tmp_path / "missing.csv")
    with pytest.raises(DataReadError, match=r"is a folder"):
        read_table(tmp_path)
    with pytest.raises(DataReadError, match=r"must be a file path"):
        read_table(123)
    with pytest.raises(DataReadError, match=r"is empty"):
        read_table(_write(tmp_path, "e.csv", " \n\n"))
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"a,b\x00\x00\x01\n")
    with pytest.raises(DataReadError, match=r"binary data, not a text table"):
        read_table(binary)
    xls = tmp_path / "old.data"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 32)
    with pytest.raises(DataReadError, match=r"old .xls workbook.*save as .xlsx"):
        read_table(xls)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataReadError, match=r"not a readable .xlsx"):
        read_table(broken)
    pq = tmp_path / "broken.parquet"
    pq.write_bytes(b"PAR1 nope")
    with pytest.raises(DataReadError, match=r"not a readable Parquet"):
        read_table(pq)
    db = tmp_path / "broken.duckdb"
    db.write_bytes(b"not a database at all, honestly" * 10)
    with pytest.raises(DataReadError, match=r"cannot open DuckDB file"):
        read_table(db)


def test_query_needs_duckdb(tmp_path):
    with pytest.raises(ParameterError, match=r"query= runs SQL on a DuckDB file"):
        read_table(_write(tmp_path, "m.csv", "a\n1\n"), query="select 1")
