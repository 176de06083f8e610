"""Tests of creditkit.privacy: tables of real-world inputs, missing values, mask_pii."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.privacy import (
    mask_card,
    mask_email,
    mask_free_text,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_pii,
    mask_text,
)


@pytest.mark.parametrize(("raw", "masked"), [
    ("张三", "张*"),
    ("王伟", "王*"),
    ("李小龙", "李**"),
    ("欧阳娜娜", "欧阳**"),
    ("司马相如", "司马**"),
    ("诸葛亮", "诸葛*"),
    ("欧阳", "欧*"),               # a two-character name is not a bare compound surname
    ("张", "*"),                   # a lone character says too much to keep
    (" 王 伟 ", "王*"),            # spaces inside a Chinese name are typing noise
    ("张 三", "张*"),
    ("迪丽热巴·迪力木拉提", "迪***·*****"),  # the separating dot is kept
    ("John Smith", "J*"),
    ("ＪＯＨＮ ＳＭＩＴＨ", "J*"),      # full-width Latin
    ("o'brien", "o*"),
    ("上海华宇贸易有限公司", "上海**贸易有限公司"),
    ("广东省深圳市腾飞科技有限公司", "广东省深圳市**科技有限公司"),
    ("北京京东世纪贸易有限公司", "北京****贸易有限公司"),
    ("杭州阿里巴巴网络技术有限公司", "杭州****网络技术有限公司"),
    ("华宇（上海）贸易有限公司", "******贸易有限公司"),
    ("上海贸易有限公司", "上海贸易有限公司"),  # no trade name: nothing personal left
    ("老王烟酒商行", "****商行"),
    ("ACME Trading Co., Ltd.", "A*"),
    ("", ""),
])
def test_mask_name_cases(raw: str, masked: str) -> None:
    assert mask_name(pd.Series([raw])).iloc[0] == masked


@pytest.mark.parametrize(("raw", "masked"), [
    ("110101199003071234", "110***********1234"),
    ("11010119900307123x", "110***********123X"),
    ("110101 1990 0307 1234", "110***********1234"),
    ("110101900307123", "110********7123"),  # 15-digit legacy number
    ("91310000MA1FL1234X", "913***********234X"),
    ("９１３１００００ＭＡ１ＦＬ１２３４Ｘ", "913***********234X"),
    ("1234567", "*******"),
])
def test_mask_id_number_cases(raw: str, masked: str) -> None:
    assert mask_id_number(pd.Series([raw])).iloc[0] == masked


@pytest.mark.parametrize(("raw", "masked"), [
    ("13800135678", "138****5678"),
    ("138 0013 5678", "138****5678"),
    ("138-0013-5678", "138****5678"),
    ("+86 138 0013 5678", "138****5678"),
    ("+86-13800135678", "138****5678"),
    ("008613800135678", "138****5678"),
    ("8613800135678", "138****5678"),
    ("１３８００１３５６７８", "138****5678"),
    ("010-12345678", "010-****5678"),
    ("(010)12345678", "010-****5678"),
    ("02112345678", "021-****5678"),
    ("0755-8888 1234", "0755-****1234"),
    ("0755-88881234 转 801", "0755-****1234"),
    ("0571-8888123 ext. 12", "0571-***8123"),
    ("88881234", "****1234"),
    ("123", "***"),
])
def test_mask_phone_cases(raw: str, masked: str) -> None:
    assert mask_phone(pd.Series([raw])).iloc[0] == masked


def test_mask_phone_numbers_stored_as_numbers() -> None:
    assert mask_phone(pd.Series([13800135678])).tolist() == ["138****5678"]
    out = mask_phone(pd.Series([13800135678.0, np.nan]))
    assert out.iloc[0] == "138****5678" and pd.isna(out.iloc[1])


@pytest.mark.parametrize(("raw", "masked"), [
    ("6222021234567890", "622202******7890"),
    ("6222 0212 3456 7890", "622202******7890"),
    ("6222-0212-3456-7890-123", "622202*********0123"),
    ("62220212345", "*******2345"),
    ("1234", "****"),
])
def test_mask_card_cases(raw: str, masked: str) -> None:
    assert mask_card(pd.Series([raw])).iloc[0] == masked


@pytest.mark.parametrize(("raw", "masked"), [
    ("zhangsan@example.com", "z***@example.com"),
    ("a@b.cn", "a***@b.cn"),
    ("not-an-email", "n*"),
])
def test_mask_email_cases(raw: str, masked: str) -> None:
    assert mask_email(pd.Series([raw])).iloc[0] == masked


MASKERS = [mask_name, mask_id_number, mask_phone, mask_card, mask_email, mask_text,
           mask_free_text]


@pytest.mark.parametrize("func", MASKERS)
def test_missing_values_preserved_and_index_kept(func) -> None:
    obj = pd.Series(["张三", None, "13800135678"], index=[10, 20, 30], name="x", dtype=object)
    out = func(obj)
    assert out.index.tolist() == [10, 20, 30] and out.name == "x"
    assert out.iloc[1] is None  # object column keeps None
    assert out.notna().tolist() == [True, False, True]
    st = pd.Series(["张三", np.nan], dtype="str")
    out = func(st)
    assert pd.isna(out.iloc[1])
    assert out.iloc[0] != "张三" or func is mask_free_text  # free text masks numbers only


@pytest.mark.parametrize("func", MASKERS)
def test_masker_does_not_mutate_and_rejects_non_series(func) -> None:
    s = pd.Series(["张三", "13800135678"])
    before = s.copy()
    func(s)
    pd.testing.assert_series_equal(s, before)
    with pytest.raises(ParameterError, match="expects a pandas Series, got list"):
        func(["张三"])


def test_maskers_are_vectorised_on_many_rows() -> None:
    s = pd.Series(["13800135678", "0755-88881234", None] * 20_000)
    out = mask_phone(s)
    assert len(out) == len(s) and out.iloc[3] == "138****5678" and out.iloc[4] == "0755-****1234"


@pytest.mark.parametrize("func", MASKERS)
def test_maskers_never_fall_back_to_python_regex(func, monkeypatch) -> None:
    # pandas runs str.extract, lookarounds and \\s in Python, one call per value
    # (~6 s for 200,000 customers); every masker must stay on pyarrow's RE2
    from pandas.core.strings.object_array import ObjectStringArrayMixin

    def refuse(*args, **kwargs):
        raise AssertionError("a pandas string method fell back to Python's re")

    for method in ("_str_extract", "_str_replace", "_str_contains", "_str_fullmatch",
                   "_str_match", "_str_findall"):
        monkeypatch.setattr(ObjectStringArrayMixin, method, refuse)
    s = pd.Series(["张 三", "上海华宇贸易有限公司", "0755-88881234 转 801", "+86 138-0013-5678",
                   "a@b.cn", "６２２２０２１２３４５６７８９０", None], dtype="str")
    out = func(s)
    assert len(out) == len(s) and out.iloc[:6].notna().all()


def test_maskers_on_many_distinct_values_match_one_by_one() -> None:
    phones = pd.Series([f"1{n:010d}" for n in range(30_000, 60_000)], dtype="str")
    names = pd.Series([chr(0x4E00 + n % 500) + chr(0x4E00 + n // 500) for n in range(30_000)])
    out_p, out_n = mask_phone(phones), mask_name(names)
    for i in (0, 12_345, 29_999):
        expected = phones.iloc[i][:3] + "****" + phones.iloc[i][-4:]
        assert out_p.iloc[i] == mask_phone(phones.iloc[[i]]).iloc[0] == expected
        assert out_n.iloc[i] == names.iloc[i][0] + "*"


def _customers() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["C1", "C2"],
        "name": ["张三", "欧阳娜娜"],
        "kind": ["consumer", "consumer"],
        "id_number": ["110101199003071234", None],
        "phone": ["13800135678", "+86 139 0013 1234"],
        "region": ["北京", "上海"],
    })


def test_mask_pii_by_table_masks_personal_columns_only() -> None:
    df = _customers()
    before = df.copy()
    out = mask_pii(df, "customers")
    pd.testing.assert_frame_equal(df, before)  # input not mutated
    assert out is not df
    assert out["name"].tolist() == ["张*", "欧阳**"]
    assert out["id_number"].iloc[0] == "110***********1234" and pd.isna(out["id_number"].iloc[1])
    assert out["phone"].tolist() == ["138****5678", "139****1234"]
    for col in ("customer_id", "kind", "region"):
        assert out[col].tolist() == df[col].tolist()


def test_mask_pii_recognises_canonical_and_labelled_names() -> None:
    df = pd.DataFrame({"payer_name": ["李四"], "email": ["lisi@example.com"],
                       "card_number": ["6222021234567890"], "客户名称": ["王伟"],
                       "reference": ["INV-1"]})
    out = mask_pii(df)
    assert out.iloc[0].tolist() == ["李*", "l***@example.com", "622202******7890", "王*",
                                    "INV-1"]


def test_mask_pii_explicit_columns() -> None:
    df = pd.DataFrame({"联系人": ["张三"], "tel": ["13800135678"], "phone": ["13900001111"]})
    out = mask_pii(df, columns={"联系人": "name", "tel": "phone"})
    assert out.iloc[0].tolist() == ["张*", "138****5678", "13900001111"]
    out = mask_pii(df, columns=["phone"])
    assert out.iloc[0].tolist() == ["张三", "13800135678", "139****1111"]


def test_mask_pii_errors() -> None:
    df = _customers()
    with pytest.raises(ParameterError, match="expects a pandas DataFrame, got dict"):
        mask_pii({"name": ["张三"]})
    with pytest.raises(SchemaError, match="unknown table 'client'"):
        mask_pii(df, "client")
    with pytest.raises(SchemaError, match=r"column\(s\) \['email'\] to mask are not in the frame"):
        mask_pii(df, columns={"email": "email"})
    with pytest.raises(ParameterError, match=r"unknown masking kind\(s\) \{'name': 'blur'\}"):
        mask_pii(df, columns={"name": "blur"})
    with pytest.raises(ParameterError, match=r"cannot tell how to mask column\(s\) \['region'\]"):
        mask_pii(df, "customers", columns=["region"])


def test_mask_pii_without_personal_columns_returns_equal_copy() -> None:
    df = pd.DataFrame({"bill_id": ["B1"], "amount_minor": [100]})
    out = mask_pii(df, "bills")
    pd.testing.assert_frame_equal(out, df)
    assert out is not df


def test_mask_pii_by_header_synonyms() -> None:
    df = pd.DataFrame({"姓名": ["张三"], "客户名称": ["李四"], "身份证号": ["11010519491231002X"],
                       "手机": ["13800138000"], "电话": ["13900001111"],
                       "银行卡号": ["6222021234567890123"], "卡号": ["6222021234567890"],
                       "付款人": ["王五"], "地区": ["北京"]})
    out = mask_pii(df)
    assert out.iloc[0].tolist() == ["张*", "李*", "110***********002X", "138****8000",
                                    "139****1111", "622202*********0123", "622202******7890",
                                    "王*", "北京"]
    assert mask_pii(df, "customers")["姓名"].iloc[0] == "张*"


def test_mask_pii_masks_numbers_in_free_text() -> None:
    df = pd.DataFrame({"payment_id": ["P1", "P2"],
                       "reference": ["还款 身份证11010519491231002X 手机+86 138-0013-8000",
                                     "INV-2025-001 2025-01-05 1,234.56"],
                       "备注": ["卡号 6222021234567890123", "card 4111 1111 1111 1111"]})
    out = mask_pii(df, "payments")
    assert out["reference"].tolist() == ["还款 身份证110***********002X 手机138****8000",
                                         "INV-2025-001 2025-01-05 1,234.56"]
    assert out["备注"].tolist() == ["卡号 622202*********0123", "card 411111******1111"]
    assert out["payment_id"].tolist() == ["P1", "P2"]


def test_free_text_keeps_numbers_that_fail_their_check() -> None:
    s = pd.Series(["id 110105194912310021 n 4111111111111112"])  # wrong check, not Luhn
    assert mask_free_text(s).tolist() == s.tolist()
