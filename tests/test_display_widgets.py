"""Tests of creditkit.display.widgets, headless: callbacks set traits; one language."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from creditkit.display.widgets import table_browser, widget_table_html, widget_text
from creditkit.exceptions import ParameterError
from creditkit.labels import label

#: Latin names the zh label table itself writes in Latin letters.
ALLOWED_LATIN = {"AUC", "IV", "WoE", "KS", "LGD", "CNY"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def foreign_words(texts: list[str], lang: str) -> list[str]:
    """Words of the other script: Latin words in zh (ids with digits allowed), CJK in en."""
    if lang == "en":
        return sorted({c for t in texts for c in _CJK.findall(t)})
    return sorted({w for t in texts for w in _LATIN.findall(t)
                   if w not in ALLOWED_LATIN and not any(c.isdigit() for c in w)})


def test_table_browser_filters_pages_and_escapes() -> None:
    frames = {"customers": pd.DataFrame({"name": ["<script>x</script>", "张三", "李四", "张五"]}),
              "bills": pd.DataFrame({"bill_id": ["B1"]})}
    before = frames["customers"].copy()
    view = table_browser(frames, lang="zh", max_rows=2)
    picker, text, page, out = view.children
    assert "<script>" not in out.value and "&lt;script&gt;" in out.value
    assert (page.min, page.max, page.value) == (1, 2, 1)  # pages as people count them
    assert "第 1 / 2 页 · 共 4 行" in out.value
    page.value = 2
    assert "李四" in out.value and "张五" in out.value and "张三" not in out.value
    text.value = "张"
    assert page.value == 1 and page.max == 1
    assert "张三" in out.value and "张五" in out.value and "李四" not in out.value
    picker.value = "bills"
    assert "B1" in out.value and "<th>账单编号</th>" in out.value
    pd.testing.assert_frame_equal(frames["customers"], before)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_browser_names_tables_controls_and_values_in_one_language(lang: str) -> None:
    frames = {"customers": pd.DataFrame({"customer_id": ["C1"], "kind": ["consumer"],
                                         "industry": ["public_sector"]}),
              "bills": pd.DataFrame({"bill_id": ["B1"], "kind": ["instalment"],
                                     "amount_minor": [12345], "currency": ["CNY"]}),
              "payments": pd.DataFrame({"payment_id": ["P1"], "channel": ["wechat"]}),
              "transactions": pd.DataFrame({"txn_id": ["T1"]})}
    view = table_browser(frames, lang=lang)
    picker, text, page, out = view.children
    # a table is named as a table (客户), not as a count (客户数)
    assert [name for name, _ in picker.options] == [
        label(f"table_{n}", lang) for n in ("customers", "bills", "payments", "transactions")]
    for control in (picker, text, page):
        assert control.description and control.tooltip, control  # each says what it does
    assert text.placeholder == label("filter_hint", lang)
    assert label("consumer", lang) in out.value and label("public_sector", lang) in out.value
    picker.value = "bills"
    assert label("instalment", lang) in out.value
    assert ("¥123.45" if lang == "zh" else "CN¥123.45") in out.value
    picker.value = "payments"
    assert label("wechat", lang) in out.value
    text.value = "wechat"  # the filter finds a coded value as stored ...
    assert label("wechat", lang) in out.value
    text.value = label("wechat", lang)[:2]  # ... and as the reader sees it (微信, We)
    assert label("wechat", lang) in out.value and "P1" in out.value
    text.value = "alipay"
    assert "P1" not in out.value
    for name in frames:
        picker.value = name
        assert foreign_words(widget_text(view), lang) == [], name


def test_filter_finds_rows_with_empty_cells_and_ignores_case() -> None:
    frames = {"payments": pd.DataFrame({"payment_id": ["P1", "P2", "P3"],
                                        "channel": ["wechat", None, "alipay"],
                                        "reference": [None, "Order X-9", np.nan]})}
    _, text, _, out = table_browser(frames, lang="en").children
    text.value = "order x"
    assert "P2" in out.value and "P1" not in out.value and "P3" not in out.value
    text.value = "ALI"
    assert "P3" in out.value and "P2" not in out.value


def test_widget_tables_use_the_report_formatter_with_headers_over_values() -> None:
    df = pd.DataFrame({"bin": ["[1, 2)", "Missing"], "count": [10, 0],
                       "bad_rate": [0.1234, np.nan], "woe": [0.5, 0.0]})
    html = widget_table_html(df, lang="en", values=["bin"])
    head = re.findall(r"<th( class=\"ck-num\")?>", html)
    first_row = re.findall(r"<td( class=\"ck-num\")?>", html)[:len(head)]
    assert head == first_row == ["", ' class="ck-num"', ' class="ck-num"', ' class="ck-num"']
    assert ".ck-widget table.ck-table .ck-num{text-align:right" in html  # styled live too
    assert ">12.3%<" in html and ">–<" in html and "nan" not in html.lower()


def test_widget_text_reads_every_control() -> None:
    view = table_browser({"bills": pd.DataFrame({"bill_id": ["B1"]})}, lang="zh")
    texts = widget_text(view)
    assert texts[:3] == ["数据表", "选择要浏览的数据表", "账单"]
    assert "输入任意文字筛选行" in texts and "\u200b" not in texts


@pytest.mark.parametrize(("args", "kwargs", "match"), [
    ({}, {}, "non-empty dict of DataFrames"),
    ({"a": [1]}, {}, "non-empty dict of DataFrames"),
    ({"a": pd.DataFrame()}, {"lang": "de"}, "lang must be one of"),
    ({"a": pd.DataFrame()}, {"max_rows": 0}, "max_rows must be a positive int"),
])
def test_table_browser_rejects(args, kwargs, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        table_browser(args, **kwargs)
