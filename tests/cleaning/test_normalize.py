"""Normalisers of creditkit.cleaning: tables of real-world inputs and expected outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.cleaning import (
    normalize_channels,
    normalize_currencies,
    normalize_kinds,
    normalize_names,
    parse_amounts_text,
    parse_credit_codes,
    parse_dates,
    parse_id_numbers,
    parse_identifiers,
    parse_phones,
)
from creditkit.cleaning.text import as_text, on_uniques
from creditkit.exceptions import ParameterError


def one(fn, value, **kw):
    return fn(pd.Series([value]), **kw).iloc[0]


# --- reference check characters, written independently of the vectorised code ----------

def ref_id_check(body17: str) -> str:
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body17))
    return "10X98765432"[total % 11]


CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def ref_cc_check(body17: str) -> str:
    total = sum(CC_CHARS.index(c) * (3 ** i % 31) for i, c in enumerate(body17))
    return CC_CHARS[(31 - total % 31) % 31]


def make_id(region="110105", birth="19900307", seq="123") -> str:
    body = region + birth + seq
    return body + ref_id_check(body)


def make_cc(body="91310115MA1K3WX20") -> str:
    return body + ref_cc_check(body)


# --- names -------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("张三", "张三"),
    ("  张三  ", "张三"),
    ("张 三", "张三"),
    ("张　三", "张三"),                      # ideographic space
    ("欧阳  娜娜", "欧阳娜娜"),
    ("ＡＢＣ贸易（上海）有限公司", "ABC贸易(上海)有限公司"),  # full-width letters and brackets
    ("john  smith", "John Smith"),
    ("JOHN SMITH", "John Smith"),
    ("ABC", "ABC"),                          # one word: an acronym, case kept
    ("ibm", "ibm"),
    ("O'Brien  & Co.", "O'Brien & Co."),
    ("华为 Technologies", "华为 Technologies"),  # mixed script: case kept
    ("#N/A", None),
    ("", None),
    ("   ", None),
    ("NULL", None),
])
def test_normalize_names(raw, expected):
    got = one(normalize_names, raw)
    assert (got if isinstance(got, str) else None) == expected


# --- phones ------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "phone", "kind"), [
    ("13800138000", "13800138000", "mobile"),
    ("+86 138 0013 8000", "13800138000", "mobile"),
    ("+86-138-0013-8000", "13800138000", "mobile"),
    ("0086 13800138000", "13800138000", "mobile"),
    ("8613800138000", "13800138000", "mobile"),
    ("138-0013-8000", "13800138000", "mobile"),
    ("１３８００１３８０００", "13800138000", "mobile"),  # full-width digits
    ("19912345678", "19912345678", "mobile"),
    ("010-12345678", None, None),                  # Beijing numbers do not start with 1
    ("010-62345678", "010-62345678", "landline"),
    ("(021)62345678", "021-62345678", "landline"),
    ("0755 2345 6789", "0755-23456789", "landline"),
    ("0571-8765432", "0571-8765432", "landline"),  # 7-digit local number
    # international form: the country code drops the area code's trunk 0
    ("+86 10 62345678", "010-62345678", "landline"),
    ("+86-755-88881234", "0755-88881234", "landline"),
    ("0086 21 6123 4567", "021-61234567", "landline"),
    ("+86 (0)10 62345678", "010-62345678", "landline"),
    ("86-10-62345678", "010-62345678", "landline"),
    ("+86 10 12345678", None, None),               # still no local number starting with 1
    ("+86 1062345678", "010-62345678", "landline"),
    ("+86 138 0013 8000", "13800138000", "mobile"),
    ("400-123-4567", "400-1234567", "service"),
    ("12800138000", None, None),                   # 12x is not a mobile prefix
    ("1380013800", None, None),                    # 10 digits
    ("62345678", None, None),                      # landline without area code
    ("abc", None, None),
])
def test_parse_phones(raw, phone, kind):
    row = one(parse_phones, raw)
    assert (row["phone"] if isinstance(row["phone"], str) else None) == phone
    assert (row["phone_kind"] if isinstance(row["phone_kind"], str) else None) == kind
    assert (row["reason"] == "invalid_phone") == (phone is None)


def test_parse_phones_blank_is_not_invalid():
    out = parse_phones(pd.Series(["", None, "#N/A"]))
    assert out["reason"].isna().all() and out["phone"].isna().all()


# --- resident ID numbers -----------------------------------------------------------------

VALID_ID = make_id()


@pytest.mark.parametrize(("raw", "expected", "birth", "region"), [
    ("11010519491231002X", "11010519491231002X", "1949-12-31", "110105"),  # GB 11643 example
    ("11010519491231002x", "11010519491231002X", "1949-12-31", "110105"),  # lower-case x
    (" 1101 0519 4912 3100 2X ", "11010519491231002X", "1949-12-31", "110105"),
    ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", "1949-12-31", "110105"),
    (VALID_ID, VALID_ID, "1990-03-07", "110105"),
    # 15-digit legacy: region + YYMMDD + sequence; 19 inserted, check computed
    ("110105491231002", "11010519491231002X", "1949-12-31", "110105"),
    ("440301800101123", make_id("440301", "19800101", "123"), "1980-01-01", "440301"),
])
def test_parse_id_numbers_valid(raw, expected, birth, region):
    row = one(parse_id_numbers, raw)
    assert row["id_number"] == expected
    assert row["birth_date"] == pd.Timestamp(birth)
    assert row["region_code"] == region
    assert pd.isna(row["reason"])


@pytest.mark.parametrize("raw", [
    "110105194912310021",                 # wrong check digit
    VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"),
    make_id(birth="19900230"),            # impossible birth date with a right check digit
    make_id(birth="18990101"),            # before 1900
    make_id(region="990105"),             # no province 99
    "11010519491231002",                  # 17 digits
    "1101051949123100XX",
    "11010519491231002Y",
    "110105491331002",                    # legacy number with month 13
])
def test_parse_id_numbers_invalid(raw):
    row = one(parse_id_numbers, raw)
    assert row["reason"] == "invalid_id_number"
    assert pd.isna(row["id_number"])


def test_id_numbers_agree_with_creditkit_ids():
    ids = pytest.importorskip("creditkit.ids")
    rng = np.random.default_rng(3)
    bodies = ["110105" + f"{1950 + i % 50}0{1 + i % 9}1{i % 9}" + f"{i:03d}" for i in range(200)]
    numbers = [b + ref_id_check(b) for b in bodies]
    numbers += [n[:-1] + str(rng.integers(0, 10)) for n in numbers[:50]]
    mine = parse_id_numbers(pd.Series(numbers))["reason"].isna()
    assert mine.tolist() == ids.check_id_number(pd.Series(numbers)).tolist()


# --- credit codes --------------------------------------------------------------------------

VALID_CC = make_cc()


@pytest.mark.parametrize(("raw", "expected"), [
    ("91350100M000100Y43", "91350100M000100Y43"),   # widely published example
    ("91350100m000100y43", "91350100M000100Y43"),
    (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
    (VALID_CC, VALID_CC),
])
def test_parse_credit_codes_valid(raw, expected):
    row = one(parse_credit_codes, raw)
    assert row["credit_code"] == expected
    assert row["region_code"] == expected[2:8]
    assert pd.isna(row["reason"])


@pytest.mark.parametrize("raw", [
    "91350100M000100Y44",     # wrong check character
    "91350100M000100Y4",      # 17 characters
    "91350100M000100I43",     # I is not in the alphabet
    "9135O100M000100Y43",     # letter O
    "91350100M000100Y4Z",
])
def test_parse_credit_codes_invalid(raw):
    assert one(parse_credit_codes, raw)["reason"] == "invalid_credit_code"


def test_credit_codes_agree_with_creditkit_ids():
    ids = pytest.importorskip("creditkit.ids")
    rng = np.random.default_rng(5)
    bodies = ["".join(rng.choice(list(CC_CHARS), 17)) for _ in range(300)]
    codes = [b + ref_cc_check(b) for b in bodies[:200]] + [b + "0" for b in bodies[200:]]
    mine = parse_credit_codes(pd.Series(codes))["reason"].isna()
    assert mine.tolist() == ids.check_credit_code(pd.Series(codes)).tolist()


def test_parse_identifiers_dispatches_on_kind_and_shape():
    s = pd.Series([VALID_CC, VALID_ID, VALID_ID, None])
    out = parse_identifiers(s, pd.Series(["business", None, "business", "consumer"]))
    assert out["id_type"].tolist()[:3] == ["credit_code", "resident_id", "credit_code"]
    # a resident ID on a business is read as a credit code and fails its check
    assert out["reason"].isna().tolist() == [True, True, False, True]
    assert out["reason"][2] == "invalid_credit_code"
    assert pd.isna(out["id_type"][3])


# --- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "dayfirst", "expected"), [
    ("2024-01-05", None, "2024-01-05"),
    ("2024/1/5", None, "2024-01-05"),
    ("2024.01.05", None, "2024-01-05"),
    ("2024年1月5日", None, "2024-01-05"),
    ("2024 年 1 月 5 日", None, "2024-01-05"),
    ("２０２４年１月５日", None, "2024-01-05"),
    ("20240105", None, "2024-01-05"),
    ("2024-01-05 13:45:00", None, "2024-01-05"),
    ("2024-01-05T08:00", None, "2024-01-05"),
    ("45296", None, "2024-01-05"),               # Excel serial
    ("45296.5", None, "2024-01-05"),             # serial with a time of day
    ("05/01/2024", True, "2024-01-05"),
    ("05/01/2024", False, "2024-05-01"),
    ("25/01/2024", None, "2024-01-25"),          # only day-first is possible
    ("01/25/2024", None, "2024-01-25"),          # only month-first is possible
    ("05/05/2024", None, "2024-05-05"),          # both readings agree
    ("2024-02-29", None, "2024-02-29"),          # leap day
])
def test_parse_dates_valid(raw, dayfirst, expected):
    row = one(parse_dates, raw, dayfirst=dayfirst)
    assert row["date"] == pd.Timestamp(expected)
    assert pd.isna(row["reason"])


@pytest.mark.parametrize(("raw", "dayfirst", "reason"), [
    ("05/01/2024", None, "ambiguous_date"),
    ("2024-02-30", None, "impossible_date"),
    ("2023-02-29", None, "impossible_date"),
    ("2024-13-01", None, "impossible_date"),
    ("20240230", None, "impossible_date"),
    ("32/01/2024", True, "impossible_date"),
    ("25/01/2024", False, "impossible_date"),    # month-first forced: month 25
    ("next tuesday", None, "unparseable_date"),
    ("2024-1", None, "unparseable_date"),
    ("12345", None, "unparseable_date"),         # a number too small to be a plausible serial
    ("24-01-05", None, "unparseable_date"),      # two-digit year: never guessed
])
def test_parse_dates_invalid(raw, dayfirst, reason):
    row = one(parse_dates, raw, dayfirst=dayfirst)
    assert row["reason"] == reason
    assert pd.isna(row["date"])


def test_parse_dates_keeps_datetime_columns_and_blanks():
    s = pd.Series(pd.to_datetime(["2024-01-05 10:00", None]))
    out = parse_dates(s)
    assert out["date"].tolist()[0] == pd.Timestamp("2024-01-05")
    assert out["reason"].isna().all()
    blank = parse_dates(pd.Series(["", "#N/A", None]))
    assert blank["date"].isna().all() and blank["reason"].isna().all()
    assert str(blank["date"].dtype) == "datetime64[ns]"


def test_parse_dates_rejects_bad_dayfirst():
    with pytest.raises(ParameterError, match="dayfirst must be True, False or None"):
        parse_dates(pd.Series(["2024-01-01"]), dayfirst="yes")


# --- amounts -------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "minor", "currency"), [
    ("1234.50", 123450, "CNY"),
    ("1,234.50", 123450, "CNY"),
    ("¥1,234.50", 123450, "CNY"),
    ("￥1,234.50", 123450, "CNY"),
    ("1234.5元", 123450, "CNY"),
    ("RMB 88", 8800, "CNY"),
    ("人民币100", 10000, "CNY"),
    ("(12.00)", -1200, "CNY"),
    ("-12", -1200, "CNY"),
    ("12.00-", -1200, "CNY"),
    ("US$3.10", 310, "USD"),
    ("$3", 300, "USD"),
    ("100美元", 10000, "USD"),
    ("1.5万", 1500000, "CNY"),
    ("１２３．４５", 12345, "CNY"),
    ("0", 0, "CNY"),
])
def test_parse_amounts_text_valid(raw, minor, currency):
    row = one(parse_amounts_text, raw)
    assert row["amount_minor"] == minor
    assert row["currency"] == currency
    assert pd.isna(row["reason"])


@pytest.mark.parametrize(("raw", "reason"), [
    ("abc", "invalid_amount"),
    ("1.005", "invalid_amount"),      # never rounded
    ("1,23", "invalid_amount"),       # groups of three only
    ("1.2.3", "invalid_amount"),
    ("1.23E+05", "invalid_amount"),   # Excel already rounded it
    ("--5", "invalid_amount"),
])
def test_parse_amounts_text_invalid(raw, reason):
    row = one(parse_amounts_text, raw)
    assert row["reason"] == reason
    assert pd.isna(row["amount_minor"])


def test_parse_amounts_text_currency_column_and_conflict():
    out = parse_amounts_text(pd.Series(["10", "US$10", "10", "10", "1000"]),
                             currency=pd.Series(["USD", "CNY", "钱", None, "JPY"]))
    assert out["currency"].tolist()[:2] == ["USD", "CNY"]
    assert pd.isna(out["reason"][0])
    assert out["reason"][1] == "currency_conflict"
    assert out["reason"][2] == "unknown_currency"
    assert out["currency"][3] == "CNY" and out["amount_minor"][3] == 1000
    assert out["amount_minor"][4] == 1000  # yen have no minor unit


def test_parse_amounts_text_minor_and_excel_numbers():
    out = parse_amounts_text(pd.Series(["10000", "12.5", None]), minor=True)
    assert out["amount_minor"][0] == 10000 and pd.isna(out["amount_minor"][1])
    assert out["reason"][1] == "invalid_amount" and pd.isna(out["reason"][2])
    floats = parse_amounts_text(pd.Series([1234.0, 12.5, np.nan]))
    assert floats["amount_minor"].tolist()[:2] == [123400, 1250]
    assert pd.isna(floats["reason"][2])


def test_parse_amounts_text_decimal_comma():
    out = parse_amounts_text(pd.Series(["1.234,50"]), decimal=",")
    assert out["amount_minor"][0] == 123450


def test_parse_amounts_text_rejects_bad_decimal():
    with pytest.raises(ParameterError, match="decimal must be"):
        parse_amounts_text(pd.Series(["1"]), decimal=";")


# --- channels, currencies, kinds -------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("支付宝", "alipay"), ("Alipay", "alipay"), ("ALIPAY", "alipay"), (" ali pay ", "alipay"),
    ("微信", "wechat"), ("微信支付", "wechat"), ("WeChat", "wechat"), ("WeChat Pay", "wechat"),
    ("wxpay", "wechat"),
    ("银行转账", "bank_transfer"), ("对公转账", "bank_transfer"), ("网银", "bank_transfer"),
    ("bank transfer", "bank_transfer"), ("Bank-Transfer", "bank_transfer"),
    ("刷卡", "card"), ("银行卡", "card"), ("card", "card"), ("POS", "card"), ("POS刷卡", "card"),
    ("自动扣款", "auto_debit"), ("代扣", "auto_debit"),
    ("现金", "cash"), ("CASH", "cash"),
])
def test_normalize_channels(raw, expected):
    row = one(normalize_channels, raw)
    assert row["channel"] == expected and pd.isna(row["reason"])


@pytest.mark.parametrize("raw", ["比特币", "paypal?", "其他"])
def test_normalize_channels_unknown(raw):
    row = one(normalize_channels, raw)
    assert pd.isna(row["channel"]) and row["reason"] == "unknown_channel"


@pytest.mark.parametrize(("raw", "expected"), [
    ("¥", "CNY"), ("￥", "CNY"), ("元", "CNY"), ("RMB", "CNY"), ("人民币", "CNY"), ("cny", "CNY"),
    ("US$", "USD"), ("$", "USD"), ("美元", "USD"), ("USD", "USD"),
    ("HK$", "HKD"), ("港币", "HKD"), ("€", "EUR"), ("日元", "JPY"),
])
def test_normalize_currencies(raw, expected):
    assert one(normalize_currencies, raw)["currency"] == expected


def test_normalize_currencies_unknown():
    assert one(normalize_currencies, "贝壳")["reason"] == "unknown_currency"


@pytest.mark.parametrize(("table", "raw", "expected"), [
    ("customers", "个人", "consumer"), ("customers", "企业", "business"),
    ("customers", "Company", "business"),
    ("bills", "分期", "instalment"), ("bills", "发票", "invoice"), ("bills", "滞纳金", "fee"),
    ("payments", "红字冲销", "credit_note"), ("payments", "坏账核销", "write_off"),
    ("payments", "还款", "payment"),
])
def test_normalize_kinds(table, raw, expected):
    assert one(normalize_kinds, raw, table=table)["kind"] == expected


def test_bare_hexiao_is_not_a_write_off():
    # 核销 is allocation (matching cash to bills), not writing a debt off: turning a
    # payment into a write-off would misstate collections, so a person decides
    row = one(normalize_kinds, "核销", table="payments")
    assert pd.isna(row["kind"]) and row["reason"] == "unknown_kind"


def test_normalize_kinds_rejects_table():
    with pytest.raises(ParameterError, match="normalize_kinds: table must be one of"):
        normalize_kinds(pd.Series(["x"]), "snapshots")


# --- plumbing --------------------------------------------------------------------------------

def test_as_text_blanks_and_floats():
    out = as_text(pd.Series([" a ", "#N/A", "", "NULL", "#VALUE!", "\ufeffb"]))
    assert out.tolist()[0] == "a" and out.isna().tolist()[1:5] == [True] * 4
    assert out.tolist()[5] == "b"
    assert as_text(pd.Series([1.0, 2.5, np.nan])).tolist()[:2] == ["1", "2.5"]


def test_on_uniques_calls_once_per_distinct_value():
    seen = []

    def fn(u):
        seen.append(len(u))
        return pd.DataFrame({"v": u.str.len()})

    out = on_uniques(pd.Series(["aa", "b", "aa", None] * 1000), fn)
    assert seen == [2]
    assert out["v"].tolist()[:3] == [2, 1, 2] and pd.isna(out["v"].iloc[3])


def test_normalisers_do_not_mutate_input():
    s = pd.Series([" 张 三 ", "+86 13800138000", "2024/1/5", "¥1,000"])
    before = s.copy()
    for fn in (normalize_names, parse_phones, parse_dates, parse_amounts_text, parse_id_numbers,
               parse_credit_codes, normalize_channels, normalize_currencies):
        fn(s)
    pd.testing.assert_series_equal(s, before)
