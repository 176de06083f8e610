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
    with pytest.raises(DataReadError, match=r"neither UTF-8, GB18030 nor Big5.*pass encoding="):
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
    with pytest.raises(DataReadError, match=r"binary data \(a NUL byte on line 1\), not a text"):
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


# --- intake hardening (issue #7): Big5, binary under a text name, repeats, size -------------

TRAD_BILLS = "賬單號,客戶編號,到期日,金額\nB1,C1,2025-02-05,100.00\n"


def test_big5_is_detected_by_its_headers_and_read(tmp_path):
    p = _write(tmp_path, "hk.csv", TRAD_BILLS, "big5")
    assert detect_encoding(p) == "big5"
    df = read_table(p, table="bills")
    assert df.attrs["encoding"] == "big5"
    assert df.columns.tolist() == ["bill_id", "customer_id", "due_date", "amount"]


def test_big5_is_detected_by_its_characters_when_no_header_maps(tmp_path):
    p = _write(tmp_path, "tw.csv", "單據,往來戶,備註,業務員\nB1,C1,貨款,陳大文\n", "big5")
    with pytest.raises(DataReadError, match=r"\['單據', '往來戶', '備註', '業務員'\]"):
        read_table(p, table="bills")


@pytest.mark.parametrize("text", [PAYMENTS_ZH, "单据,往来户,备注,业务员\nB1,C1,货款,王小明\n",
                                  "姓名,手机\n张三,13800138000\n"])
def test_simplified_gbk_stays_gb18030(tmp_path, text):
    assert detect_encoding(_write(tmp_path, "cn.csv", text, "gbk")) == "gb18030"


def test_big5_too_short_to_detect_names_encoding_big5(tmp_path):
    p = _write(tmp_path, "few.csv", "序,戶,額\nB1,C1,1\n", "big5")
    with pytest.raises(DataReadError, match=r"column_map=.*pass encoding='big5'"):
        read_table(p, table="bills")
    # the hint is for Big5 only: unknown simplified headers get the column map alone
    q = _write(tmp_path, "cn.csv", "序,户,额\nB1,C1,1\n", "gbk")
    with pytest.raises(DataReadError) as err:
        read_table(q, table="bills")
    assert "big5" not in str(err.value) and "column_map" in str(err.value)
    assert read_table(p, table="bills", encoding="big5",
                      column_map={"序": "bill_id"}).columns[0] == "bill_id"


def test_nul_byte_anywhere_is_refused_with_its_line(tmp_path):
    rows = "".join(f"B{i},1.00\n" for i in range(5000))  # ~50 KB... then past 64 KB
    p = _write(tmp_path, "n.csv", "bill_id,amount\n" + rows * 2 + "B\x00X,2.00\n")
    with pytest.raises(DataReadError, match=r"binary data \(a NUL byte on line 10002\)"):
        read_table(p, table="bills")


@pytest.mark.parametrize(("write", "said", "kind"), [
    (lambda p: pd.DataFrame({"bill_id": ["B1"]}).to_excel(p, index=False, engine="openpyxl"),
     r"an Excel workbook \(\.xlsx\).*rename it to \.xlsx, or pass format='xlsx'", "xlsx"),
    (lambda p: pd.DataFrame({"bill_id": ["B1"]}).to_parquet(p),
     r"a Parquet file.*rename it to \.parquet, or pass format='parquet'", "parquet"),
])
def test_binary_file_under_a_text_name_says_what_it_is(tmp_path, write, said, kind):
    tmp = tmp_path / f"t.{kind}"
    write(tmp)
    p = tmp.rename(tmp_path / "t.csv")
    with pytest.raises(DataReadError, match=said) as err:
        read_table(p, table="bills")
    assert "encoding" not in str(err.value)
    assert read_table(p, table="bills", format=kind)["bill_id"].tolist() == ["B1"]


def test_zip_under_a_text_name_and_a_bad_format(tmp_path):
    import zipfile

    p = tmp_path / "z.csv"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("bills.csv", "bill_id\nB1\n")
    with pytest.raises(DataReadError, match=r"z.csv is a zip archive.*unzip it"):
        read_table(p)
    with pytest.raises(ParameterError, match=r"format='xls' is not one .*'parquet'"):
        read_table(p, format="xls")


def test_repeated_header_is_refused_when_mapping_a_table(tmp_path):
    p = _write(tmp_path, "d.csv", "bill_id,amount,amount\nB1,1.00,9.00\n")
    with pytest.raises(DataReadError, match=r"header 'amount' appears twice in d.csv "
                                            r"\(columns \['amount', 'amount.1'\]\).*rename"):
        read_table(p, table="bills")
    # read raw (no table), both columns stay, the second one visibly renamed
    assert read_table(p).columns.tolist() == ["bill_id", "amount", "amount.1"]


def test_column_map_naming_an_unknown_field_is_refused(tmp_path):
    p = _write(tmp_path, "c.csv", "bill no,amt\nB1,1.00\n")
    with pytest.raises(ParameterError, match=r"'bill no' to 'bill_identifier', which is not a "
                                             r"field of bills; fields are \['bill_id'"):
        read_table(p, table="bills", column_map={"bill no": "bill_identifier"})


def test_parquet_bytes_column_is_decoded_or_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "b.parquet"
    pq.write_table(pa.table({"bill_id": pa.array([b"B1", "账单2".encode()], pa.binary()),
                             "amount": ["1.00", "2.00"]}), p)
    assert read_table(p, table="bills")["bill_id"].tolist() == ["B1", "账单2"]
    pq.write_table(pa.table({"bill_id": pa.array([b"B1", None, b"\xffB3"], pa.binary())}), p)
    with pytest.raises(DataReadError, match=r"column 'bill_id' of b.parquet .* row 3 .*"
                                            r"not UTF-8 text; write 'bill_id' as a string"):
        read_table(p)


def test_too_large_for_memory_fails_before_reading(tmp_path, monkeypatch):
    import creditkit.io

    p = _write(tmp_path, "big.csv", "bill_id,amount\n" + "B1,1.00\n" * 20000)  # 160 KB
    monkeypatch.setattr(creditkit.io, "available_memory", lambda: 512 * 1024)
    with pytest.raises(DataReadError) as err:
        read_table(p, table="bills")
    msg = str(err.value)
    for words in ("big.csv is 156 KiB", "needs about 938 KiB", "512 KiB is available",
                  "memory_fraction=0.8", "creditkit clean per file", "Parquet", "Spark"):
        assert words in msg, msg
    assert len(read_table(p, table="bills", memory_fraction=None)) == 20000
    assert len(read_table(p, table="bills", memory_fraction=2.0)) == 20000  # the threshold
    with pytest.raises(ParameterError, match=r"memory_fraction must be a number > 0"):
        read_table(p, memory_fraction=0)
    monkeypatch.setattr(creditkit.io, "available_memory", lambda: None)  # unknown: no check
    assert len(read_table(p)) == 20000


def test_available_memory_falls_back_to_proc_meminfo(monkeypatch):
    import sys

    from creditkit.io import available_memory

    monkeypatch.setitem(sys.modules, "psutil", None)  # as if psutil were not installed
    with open("/proc/meminfo", encoding="ascii") as f:
        line = next(ln for ln in f if ln.startswith("MemAvailable:"))
    got = available_memory()
    assert got is not None and abs(got - int(line.split()[1]) * 1024) < 2**30


def test_hong_kong_big5_with_hkscs_characters(tmp_path):
    text = "客戶名稱,金額,備註\nC1,100,佢哋嘅貨款\n"  # 佢哋嘅: Cantonese, only in HKSCS
    p = _write(tmp_path, "hk.csv", text, "big5hkscs")
    df = read_table(p, table="customers")
    assert df.attrs["encoding"] == "big5hkscs"
    assert df.columns.tolist() == ["name", "金額", "備註"]  # not columns of customers
    assert df["備註"].tolist() == ["佢哋嘅貨款"]
