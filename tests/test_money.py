"""Tests for creditkit.money: parsing to minor units, formatting, FX conversion."""

from __future__ import annotations

import decimal
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.exceptions import FXRateError, MoneyParseError, ParameterError
from creditkit.money import (
    ROUNDING_MODES,
    FXTable,
    amount_errors,
    format_minor,
    minor_unit_exponent,
    parse_amounts,
    to_minor_units,
)

# (text, currency, decimal mark, expected minor units)
GOOD = [
    ("1,234.56", "CNY", ".", 123456),
    ("1234.56", "CNY", ".", 123456),
    ("0.10", "CNY", ".", 10),
    (".5", "CNY", ".", 50),
    ("12.", "CNY", ".", 1200),
    ("￥1,234.56", "CNY", ".", 123456),
    ("¥1,234.56", "CNY", ".", 123456),
    ("¥ 1 234,56", "CNY", ",", 123456),
    ("1.234,56", "CNY", ",", 123456),
    ("１２３４.５０", "CNY", ".", 123450),
    ("１，２３４．５６", "CNY", ".", 123456),
    ("（１２）", "CNY", ".", -1200),
    ("(123.45)", "CNY", ".", -12345),
    ("-123.45", "CNY", ".", -12345),
    ("\u2212123.45", "CNY", ".", -12345),
    ("123.45-", "CNY", ".", -12345),
    ("+5", "CNY", ".", 500),
    ("-¥1,234.56", "CNY", ".", -123456),
    ("¥(123.45)", "CNY", ".", -12345),
    ("1.5万", "CNY", ".", 1500000),
    ("1.5万元", "CNY", ".", 1500000),
    ("2亿", "CNY", ".", 20000000000),
    ("3千", "CNY", ".", 300000),
    ("1.2k", "CNY", ".", 120000),
    ("1.2K", "CNY", ".", 120000),
    ("1.2 k", "CNY", ".", 120000),
    ("100 SEK", "SEK", ".", 10000),
    ("DKK 1.5k", "DKK", ".", 150000),
    ("CNY 1,234.56", "CNY", ".", 123456),
    ("1,234.56 CNY", "CNY", ".", 123456),
    ("RMB 5", "CNY", ".", 500),
    ("rmb5", "CNY", ".", 500),
    ("人民币100元", "CNY", ".", 10000),
    ("5元", "CNY", ".", 500),
    ("CN¥1", "CNY", ".", 100),
    ("US$12.50", "USD", ".", 1250),
    ("$12.50", "USD", ".", 1250),
    ("USD 12.50", "USD", ".", 1250),
    ("12.50美元", "USD", ".", 1250),
    ("HK$1,000", "HKD", ".", 100000),
    ("€1.234,50", "EUR", ",", 123450),
    ("JP¥1,500", "JPY", ".", 1500),
    ("¥1500", "JPY", ".", 1500),
    ("1.234", "KWD", ".", 1234),
    ("1.2300", "CNY", ".", 123),
    ("1\u00a0234.56", "CNY", ".", 123456),
    ("1\u202f234.56", "CNY", ".", 123456),
    ("1'234.56", "CHF", ".", 123456),
    ("  42 ", "CNY", ".", 4200),
]


@pytest.mark.parametrize(("text", "currency", "mark", "expected"), GOOD)
def test_to_minor_units_reads_each_format(text, currency, mark, expected):
    assert to_minor_units(text, currency, decimal=mark) == expected


@pytest.mark.parametrize(("text", "currency", "mark", "expected"), GOOD)
def test_parse_amounts_agrees_with_to_minor_units(text, currency, mark, expected):
    out = parse_amounts(pd.Series([text, "1"]), currency, decimal=mark)
    assert out.tolist() == [expected, 10 ** minor_unit_exponent(currency)]
    assert str(out.dtype) == "Int64"


# (value, currency, decimal mark, pattern the message must contain)
BAD = [
    ("", "CNY", ".", "missing"),
    ("NaN", "CNY", ".", "missing"),
    ("#N/A", "CNY", ".", "missing"),
    ("NULL", "CNY", ".", "missing"),
    ("abc", "CNY", ".", "'ABC' is not an ISO 4217"),
    ("12 apples", "CNY", ".", "not a number"),
    ("1.2.3", "CNY", ".", "groups of 3 digits"),
    ("1,23", "CNY", ".", r"pass decimal=','"),
    ("1 234,56", "CNY", ".", r"pass decimal=','"),
    ("1.234", "CNY", ".", "more decimals than CNY allows"),
    ("1,234", "CNY", ",", "more decimals than CNY allows"),
    ("1.5", "JPY", ".", "more decimals than JPY allows"),
    ("1.2E+05", "CNY", ".", "scientific notation"),
    ("12M", "CNY", ".", "multiply it out"),
    ("--5", "CNY", ".", "more than one sign"),
    ("(-5)", "CNY", ".", "more than one sign"),
    ("-5-", "CNY", ".", "more than one sign"),
    ("US$5", "CNY", ".", "marked 'US\\$'.*currency='CNY'"),
    ("¥5", "USD", ".", "currency='USD'"),
    ("5元", "HKD", ".", "currency='HKD'"),
    ("¥", "CNY", ".", "not a number"),
    ("99999999999999999999", "CNY", ".", "does not fit in int64"),
    (float("nan"), "CNY", ".", "missing or infinite"),
    (float("inf"), "CNY", ".", "missing or infinite"),
    (Decimal("NaN"), "CNY", ".", "missing or infinite"),
    (None, "CNY", ".", "missing"),
    (True, "CNY", ".", "boolean"),
    ([1], "CNY", ".", "type list"),
    (0.125, "CNY", ".", "more decimals"),
    ("1.00000000000000000000000000001", "CNY", ".", "more decimals"),
    (Decimal("1." + "0" * 60 + "1"), "CNY", ".", "more than 50 digits"),
    ("9" * 70, "CNY", ".", "more than 50 digits"),
    ("9" * 55 + "万", "CNY", ".", "more than 50 digits"),
]


@pytest.mark.parametrize(("value", "currency", "mark", "pattern"), BAD)
def test_bad_amounts_raise_naming_value_and_fix(value, currency, mark, pattern):
    with pytest.raises(MoneyParseError, match=pattern) as info:
        to_minor_units(value, currency, decimal=mark)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize(("value", "currency", "mark", "pattern"), BAD)
def test_parse_amounts_coerces_every_bad_value_to_na(value, currency, mark, pattern):
    out = parse_amounts(pd.Series([value, "1"], dtype=object), currency, decimal=mark,
                        errors="coerce")
    assert out.isna().tolist() == [True, False]


SIGNS = ["(5)", "-¥5", "¥-5", "5-", "(5)-", "(-5)", "+5", "+-5", "rmb5", "¥ 1,234.56 元",
         "(¥12)", "CNY-3", "US$5", "(5", "5)", "－１２", "１２３．５", "--5", "5--", "¥¥5",
         "( 5 )", "¥(5)", "5元-", "-5元", "元5", "(RMB 1,234)"]


@pytest.mark.parametrize("text", SIGNS)
def test_vectorised_tiers_agree_with_the_scalar_parser(text):
    try:
        expected = to_minor_units(text)
    except MoneyParseError:
        expected = pd.NA
    assert parse_amounts(pd.Series([text]), errors="coerce").iloc[0] is expected or (
        parse_amounts(pd.Series([text])).iloc[0] == expected)


def test_ints_decimals_and_floats_are_major_units():
    assert to_minor_units(5) == 500
    assert to_minor_units(np.int64(-7)) == -700
    assert to_minor_units(Decimal("12.34")) == 1234
    assert to_minor_units(0.1) == 10  # repr '0.1': exact to the fen
    assert to_minor_units(1234.56) == 123456
    assert to_minor_units(5, "JPY") == 5
    assert to_minor_units(2, "KWD") == 2000


def test_rounding_is_explicit_and_respects_the_mode():
    assert to_minor_units("1.005", rounding="ROUND_HALF_EVEN") == 100
    assert to_minor_units("1.015", rounding="ROUND_HALF_EVEN") == 102
    assert to_minor_units("1.005", rounding="ROUND_HALF_UP") == 101
    assert to_minor_units("-1.005", rounding="ROUND_HALF_UP") == -101
    assert to_minor_units("1.009", rounding="ROUND_DOWN") == 100
    assert to_minor_units(0.125, rounding="ROUND_HALF_EVEN") == 12
    out = parse_amounts(pd.Series(["1.005", "2.5"]), "JPY", rounding="ROUND_HALF_EVEN")
    assert out.tolist() == [1, 2]


@pytest.mark.parametrize(("kwargs", "pattern"), [
    ({"decimal": ";"}, "decimal must be"),
    ({"rounding": "HALF"}, "unknown rounding 'HALF'"),
    ({"currency": "XYZ"}, "unknown currency 'XYZ'"),
])
def test_bad_parameters_raise(kwargs, pattern):
    args = {"currency": "CNY", **kwargs}
    with pytest.raises(ParameterError, match=pattern):
        to_minor_units("1", args.pop("currency"), **args)


def test_minor_unit_exponent():
    assert [minor_unit_exponent(c) for c in ("CNY", "usd", "EUR", "HKD", "JPY", "KRW",
                                             "KWD", "BHD", "CLF")] == [2, 2, 2, 2, 0, 0, 3, 3, 4]
    with pytest.raises(ParameterError, match="unknown currency 'RMB'"):
        minor_unit_exponent("RMB")
    with pytest.raises(ParameterError, match="unknown currency None"):
        minor_unit_exponent(None)


# --- parse_amounts ------------------------------------------------------------

def test_parse_amounts_coerce_gives_na_and_keeps_index_and_name():
    s = pd.Series(["1,234.56", "x", "", None, "(3.5)", "1.5万"], index=list("abcdef"), name="amt")
    before = s.copy()
    out = parse_amounts(s, errors="coerce")
    assert out.index.tolist() == list("abcdef")
    assert out.name == "amt"
    assert out.tolist() == [123456, pd.NA, pd.NA, pd.NA, -350, 1500000]
    pd.testing.assert_series_equal(s, before)  # input not mutated


def test_parse_amounts_raise_names_count_rows_and_fix():
    s = pd.Series(["1.00", "bad", "2.00", "1,23"], name="金额")
    with pytest.raises(MoneyParseError, match=r"2 of 4 amount\(s\) in column '金额'.*index \[1, 3\]"
                       r".*'bad'.*errors='coerce'"):
        parse_amounts(s)


def test_parse_amounts_missing_value_raises():
    with pytest.raises(MoneyParseError, match=r"1 of 2 .*missing"):
        parse_amounts(pd.Series(["1", None]))


def test_parse_amounts_integer_float_decimal_and_object_columns():
    assert parse_amounts(pd.Series([1, -2], dtype="int64")).tolist() == [100, -200]
    ints = parse_amounts(pd.Series([1, None], dtype="Int64"), errors="coerce")
    assert ints.tolist() == [100, pd.NA]
    assert parse_amounts(pd.Series([0.1, 2.25, np.nan]), errors="coerce").tolist() == [
        10, 225, pd.NA]
    mixed = pd.Series([Decimal("1.10"), 3, "¥2", 0.5], dtype=object)
    assert parse_amounts(mixed).tolist() == [110, 300, 200, 50]
    assert parse_amounts(pd.Series(["7", "8"], dtype=object)).tolist() == [700, 800]
    assert parse_amounts(pd.Series([], dtype="str")).tolist() == []


def test_amount_errors_gives_one_reason_per_bad_row():
    s = pd.Series(["1.00", "1,23", None, "US$5", "¥7"], index=[10, 11, 12, 13, 14])
    why = amount_errors(s)
    assert why.index.tolist() == [10, 11, 12, 13, 14]
    assert why.isna().tolist() == [True, False, False, False, True]
    assert "pass decimal=','" in why[11]
    assert "missing" in why[12]
    assert "currency='CNY'" in why[13]
    ints = amount_errors(pd.Series([1, None], dtype="Int64"))
    assert ints.isna().tolist() == [True, False] and "missing" in ints[1]


def test_parse_amounts_rejects_bad_parameters():
    with pytest.raises(ParameterError, match="expected a pandas Series, got list"):
        parse_amounts(["1"])
    with pytest.raises(ParameterError, match="errors must be"):
        parse_amounts(pd.Series(["1"]), errors="ignore")
    with pytest.raises(ParameterError, match="boolean column"):
        parse_amounts(pd.Series([True]))
    with pytest.raises(ParameterError, match="expected a pandas Series"):
        amount_errors("1")
    with pytest.raises(MoneyParseError, match="overflow int64"):
        parse_amounts(pd.Series([2**62], dtype="int64"))


def test_parse_amounts_fast_path_long_fraction_and_big_numbers_go_to_full_parser():
    s = pd.Series(["1.500", "123456789012345678", "1,234,567,890,123.45", "-0.01"])
    assert parse_amounts(s, errors="coerce").tolist() == [150, pd.NA, 123456789012345, -1]


def test_parse_amounts_decimal_comma_fast_path():
    s = pd.Series(["1.234,56", "-3,5", "12"])
    assert parse_amounts(s, "EUR", decimal=",").tolist() == [123456, -350, 1200]


def test_digits_beyond_float_precision_survive():
    # 17 significant digits: a float detour would change the last digits.
    text = "90,071,992,547,409.93"
    assert to_minor_units(text) == 9007199254740993
    assert parse_amounts(pd.Series([text, "¥" + text])).tolist() == [9007199254740993] * 2
    assert float(9007199254740993) != 9007199254740993


@pytest.mark.parametrize("dtype", ["str", "string[python]", "string[pyarrow]", "category", object])
def test_parse_amounts_accepts_every_text_dtype(dtype):
    s = pd.Series(["1,234.56", "(1)", None], dtype=dtype)
    assert parse_amounts(s, errors="coerce").tolist() == [123456, -100, pd.NA]


def test_parse_amounts_matches_decimal_on_random_clean_strings():
    rng = np.random.default_rng(7)
    minor = rng.integers(-10**12, 10**12, size=2000)
    text = [str(Decimal(int(m)).scaleb(-2)) for m in minor]
    assert parse_amounts(pd.Series(text)).to_numpy().tolist() == minor.tolist()


# --- properties ---------------------------------------------------------------

currencies = st.sampled_from(["CNY", "USD", "HKD", "EUR", "JPY", "KWD", "GBP", "CHF"])
amounts = st.integers(min_value=-(10**15), max_value=10**15)


@settings(max_examples=200, deadline=None)
@given(amount=amounts, currency=currencies, lang=st.sampled_from(["zh", "en"]))
def test_format_then_parse_round_trips(amount, currency, lang):
    text = format_minor(amount, currency, lang=lang)
    assert to_minor_units(text, currency) == amount


@settings(max_examples=200, deadline=None)
@given(amount=amounts, currency=currencies, mark=st.sampled_from([".", ","]))
def test_parse_is_exact_decimal_never_float(amount, currency, mark):
    # Plain text from Decimal; the answer is compared with exact Decimal math.
    exp = minor_unit_exponent(currency)
    text = format(Decimal(amount).scaleb(-exp), "f")
    if mark == ",":
        text = text.replace(".", ",")
    assert to_minor_units(text, currency, decimal=mark) == amount
    assert parse_amounts(pd.Series([text]), currency, decimal=mark).iloc[0] == amount


@settings(max_examples=100, deadline=None)
@given(amount=st.integers(min_value=-(10**14), max_value=10**14),
       digits=st.integers(min_value=1, max_value=4),
       mode=st.sampled_from(ROUNDING_MODES))
def test_rounding_matches_decimal_quantize(amount, digits, mode):
    d = Decimal(amount).scaleb(-(2 + digits))
    expected = int(d.quantize(Decimal("0.01"), rounding=mode).scaleb(2))
    assert to_minor_units(format(d, "f"), rounding=mode) == expected


def test_float_above_2_53_is_not_trusted_beyond_its_repr():
    # repr(2**60 + 0.0) is '1.152921504606847e+18': read via Decimal, still exact.
    assert to_minor_units(float(2**53)) == 2**53 * 100


# --- formatting ---------------------------------------------------------------

@pytest.mark.parametrize(("amount", "currency", "lang", "expected"), [
    (123456, "CNY", "zh", "¥1,234.56"),
    (123456, "CNY", "en", "CN¥1,234.56"),
    (-123456, "CNY", "zh", "-¥1,234.56"),
    (5, "CNY", "zh", "¥0.05"),
    (0, "CNY", "zh", "¥0.00"),
    (1500, "JPY", "zh", "JP¥1,500"),
    (1234567, "KWD", "zh", "KWD 1,234.567"),
    (100, "USD", "en", "US$1.00"),
])
def test_format_minor(amount, currency, lang, expected):
    assert format_minor(amount, currency, lang=lang) == expected


def test_format_minor_series_and_no_symbol():
    s = pd.Series([123456, None], dtype="Int64")
    assert format_minor(s).tolist() == ["¥1,234.56", ""]
    assert format_minor(-1, symbol=False) == "-0.01"


@pytest.mark.parametrize(("args", "kwargs", "pattern"), [
    ((1.5,), {}, "integer minor units"),
    ((True,), {}, "integer minor units"),
    ((1,), {"lang": "fr"}, "lang must be"),
])
def test_format_minor_rejects(args, kwargs, pattern):
    with pytest.raises(ParameterError, match=pattern):
        format_minor(*args, **kwargs)


# --- FX -------------------------------------------------------------------------

def _fx() -> FXTable:
    return FXTable(pd.DataFrame({
        "currency": ["USD", "USD", "JPY", "HKD"],
        "rate_date": ["2025-01-01", "2025-06-30", "2025-01-01", "2025-01-01"],
        "to_CNY": ["7.20", "7.10", "0.0482", Decimal("0.92")],
    }))


def test_fx_acceptance_case_e3b():
    # A USD bill of 600.00 open on 2025-06-30, reported in CNY at that day's 7.10: 4,260.00.
    fx = FXTable(pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-06-30"],
                               "to_CNY": ["7.10"]}))
    out = fx.convert(pd.Series([60000]), "USD", "2025-06-30", to="CNY")
    assert out.tolist() == [426000]


def test_fx_uses_latest_rate_on_or_before_each_date_and_keeps_order():
    amounts = pd.Series([100, 100, 100, 10000, 50], index=[9, 8, 7, 6, 5], name="amount_minor")
    cur = pd.Series(["USD", "USD", "CNY", "JPY", "HKD"])
    on = pd.Series(pd.to_datetime(["2025-06-30", "2025-06-29", "2020-01-01", "2025-03-01",
                                   "2025-02-01"]))
    before = amounts.copy()
    out = _fx().convert(amounts, cur, on)
    # 10000 yen * 0.0482 = 482 yuan = 48200 fen; 50 HK cents * 0.92 = 46 fen
    assert out.tolist() == [710, 720, 100, 48200, 46]
    assert out.index.tolist() == [9, 8, 7, 6, 5] and out.name == "amount_minor"
    pd.testing.assert_series_equal(amounts, before)


@pytest.mark.parametrize(("mode", "expected"), [
    ("ROUND_HALF_EVEN", [106, -106, 114, -114, 7]),
    ("ROUND_HALF_UP", [107, -107, 114, -114, 7]),
    ("ROUND_HALF_DOWN", [106, -106, 114, -114, 7]),
    ("ROUND_FLOOR", [106, -107, 113, -114, 7]),
    ("ROUND_CEILING", [107, -106, 114, -113, 8]),
    ("ROUND_DOWN", [106, -106, 113, -113, 7]),
    ("ROUND_UP", [107, -107, 114, -114, 8]),
])
def test_fx_rounding_modes(mode, expected):
    fx = FXTable(pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-01-01"],
                               "to_CNY": ["7.10"]}))
    # 15 * 7.1 = 106.5 (tie); 16 * 7.1 = 113.6; 1 * 7.1 = 7.1
    out = fx.convert(pd.Series([15, -15, 16, -16, 1]), "USD", "2025-01-02", rounding=mode)
    assert out.tolist() == expected


@settings(max_examples=100, deadline=None)
@given(amount=st.integers(min_value=-(10**13), max_value=10**13),
       rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999"), places=6),
       mode=st.sampled_from(ROUNDING_MODES))
def test_fx_matches_decimal_math(amount, rate, mode):
    fx = FXTable(pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-01-01"],
                               "to_CNY": [str(rate)]}))
    got = fx.convert(pd.Series([amount]), "USD", "2025-01-01", rounding=mode).iloc[0]
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        expected = int((Decimal(amount) * rate).quantize(Decimal(1), rounding=mode))
    assert got == expected


def test_fx_long_form_and_na_amounts_and_cross_exponents():
    fx = FXTable(pd.DataFrame({"currency": ["CNY", "USD"], "rate_date": ["2025-01-01"] * 2,
                               "to_currency": ["JPY", "KWD"], "rate": ["20.5", "0.308"]}))
    # 1.01 yuan * 20.5 = 20.705 yen -> 21; 1 USD cent * 0.308 = 0.00308 KWD = 3.08 fils -> 3
    assert fx.convert(pd.Series([101]), "CNY", "2025-02-01", to="JPY").tolist() == [21]
    assert fx.convert(pd.Series([1]), "USD", "2025-02-01", to="KWD").tolist() == [3]
    out = fx.convert(pd.Series([101, None], dtype="Int64"), "CNY", "2025-02-01", to="JPY")
    assert out.tolist() == [21, pd.NA] and str(out.dtype) == "Int64"


def test_fx_on_accepts_date_objects_and_lists():
    import datetime as dt

    fx = _fx()
    two = pd.Series([100, 100])
    assert fx.convert(two, "USD", dt.date(2025, 7, 1)).tolist() == [710, 710]
    assert fx.convert(two, "USD", pd.Timestamp("2025-02-01")).tolist() == [720, 720]
    assert fx.convert(two, "USD", ["2025-02-01", "2025-07-01"]).tolist() == [720, 710]


def test_fx_rate_lookup_and_repr():
    fx = _fx()
    assert fx.rate("USD", "2025-07-01") == Decimal("7.10")
    assert fx.rate("CNY", "1999-01-01") == 1
    assert "USD->CNY" in repr(fx)


def test_fx_dates_follow_the_shared_date_rule():
    fx = _fx()
    assert fx.rate("USD", "2025-07-01 18:30") == Decimal("7.10")  # time of day dropped
    with pytest.raises(ParameterError, match="on must be timezone-naive"):
        fx.rate("USD", pd.Timestamp("2025-07-01", tz="Asia/Shanghai"))
    with pytest.raises(ParameterError, match="on must be a date"):
        fx.convert(pd.Series([100]), "USD", "someday")
    assert fx.convert(pd.Series([100]), "USD", "2025-07-01 23:59").tolist() == [710]


def test_fx_missing_rate_names_currency_and_date():
    with pytest.raises(FXRateError, match=r"no USD->CNY rate on or before 2024-12-31 \(1 amount"):
        _fx().convert(pd.Series([1, 2]), pd.Series(["USD", "CNY"]), "2024-12-31")
    with pytest.raises(FXRateError, match=r"no EUR->CNY rate .*no EUR->CNY rates at all"):
        _fx().convert(pd.Series([1]), "EUR", "2025-03-01")
    with pytest.raises(FXRateError, match="no CNY->USD rate"):
        _fx().convert(pd.Series([1]), "CNY", "2025-03-01", to="USD")


@pytest.mark.parametrize(("frame", "pattern"), [
    (pd.DataFrame({"currency": ["USD"], "to_CNY": ["7"]}), "need columns currency, rate_date"),
    (pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-01-01"]}), "to_<CUR>"),
    (pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-01-01"], "to_CNY": ["-7"]}),
     "must be a positive"),
    (pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-01-01"], "to_CNY": ["abc"]}),
     "is not a number"),
    (pd.DataFrame({"currency": ["USD"], "rate_date": ["soon"], "to_CNY": ["7"]}),
     "must be dates"),
    (pd.DataFrame({"currency": ["USD"], "rate_date": [None], "to_CNY": ["7"]}),
     "blank rate_date"),
    (pd.DataFrame({"currency": ["USD"] * 2, "rate_date": ["2025-01-01"] * 2,
                   "to_CNY": ["7.1", "7.2"]}), "two different FX rates for USD->CNY"),
    (pd.DataFrame({"currency": ["XXY"], "rate_date": ["2025-01-01"], "to_CNY": ["7"]}),
     "unknown currency 'XXY'"),
])
def test_fx_table_validation(frame, pattern):
    with pytest.raises(ParameterError, match=pattern):
        FXTable(frame)


def test_fx_table_rejects_non_frame_and_keeps_input():
    with pytest.raises(ParameterError, match="expects a DataFrame"):
        FXTable({"currency": ["USD"]})
    rates = pd.DataFrame({"currency": ["usd"], "rate_date": ["2025-01-01"], "to_CNY": [7.1],
                          "to_HKD": [None]})
    before = rates.copy()
    fx = FXTable(rates)
    pd.testing.assert_frame_equal(rates, before)
    assert fx.rate("USD", "2025-01-01") == Decimal("7.1")  # float read via repr


@pytest.mark.parametrize(("call", "pattern"), [
    (lambda fx: fx.convert(pd.Series([1.5]), "USD", "2025-01-01"), "integer minor units"),
    (lambda fx: fx.convert([1], "USD", "2025-01-01"), "integer minor units"),
    (lambda fx: fx.convert(pd.Series([1]), "USD", "2025-01-01", rounding="x"), "unknown rounding"),
    (lambda fx: fx.convert(pd.Series([1, 2]), pd.Series(["USD"]), "2025-01-01"),
     "one value per amount"),
    (lambda fx: fx.convert(pd.Series([1]), "USD", pd.Series([None])), "blank dates"),
    (lambda fx: fx.convert(pd.Series([1]), pd.Series([None]), "2025-01-01"), "have no currency"),
    (lambda fx: fx.convert(pd.Series([2**62]), "USD", "2025-07-01"), "does not fit in int64"),
])
def test_fx_convert_validation(call, pattern):
    with pytest.raises(ParameterError, match=pattern):
        call(_fx())


def test_other_scripts_digits_are_not_money():
    """Issue #7: only ASCII and full-width digits read as amounts (٣ is not 3)."""
    from creditkit.exceptions import MoneyParseError
    from creditkit.money import parse_amounts, to_minor_units

    for text in ("٣", "١٢.٠٠", "१००", "\u0663\u0660.00", "۳"):
        with pytest.raises(MoneyParseError, match="digits"):
            to_minor_units(text)
    assert to_minor_units("１２.５０") == 1250
    out = parse_amounts(pd.Series(["٣", "3", "３"]), errors="coerce")
    assert out.tolist() == [pd.NA, 300, 300]
