"""The drill-down widget, headless: callbacks set traits."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

from creditkit.aging import bill_aging
from creditkit.aging.widgets import aging_drilldown, dpd_text
from creditkit.display.widgets import widget_text
from creditkit.exceptions import ParameterError
from creditkit.labels import label

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\uffef]")


def foreign_words(texts, lang):
    """Words of the other script: Latin words in zh, CJK in en.

    Data values pass: ids (with a digit, or the fixture's one-letter customer ids) and CNY.
    """
    if lang == "en":
        return sorted({c for t in texts for c in _CJK.findall(t)})
    return sorted({w for t in texts for w in _LATIN.findall(t)
                   if w != "CNY" and len(w) > 1 and not any(c.isdigit() for c in w)})


@pytest.fixture
def aged(bills_of, payments_of):
    bills = bills_of([
        {"bill_id": "A1", "customer_id": "A", "due_date": "2025-05-15", "amount_minor": 100},
        {"bill_id": "A2", "customer_id": "A", "due_date": "2025-07-15", "amount_minor": 50},
        {"bill_id": "B1", "customer_id": "B", "due_date": "2025-05-20", "amount_minor": 900},
        {"bill_id": "C1", "customer_id": "C", "due_date": "2025-06-20", "amount_minor": 30}])
    return bill_aging(bills, payments_of([]), as_of="2025-06-30")


def test_bucket_then_customer_then_bills(aged):
    names = pd.DataFrame({"customer_id": ["A", "B"], "name": ["张*", "<b>李*</b>"]})
    box = aging_drilldown(aged, customers=names, lang="en")
    assert [v for _, v in box.bucket.options] == ["current", "1-30", "31-60"]
    box.bucket.value = "31-60"
    assert [v for _, v in box.customer.options] == ["B", "A"]  # largest first
    assert "B1" in box.bills.value and "&lt;b&gt;" in box.bills.value
    box.customer.value = "A"
    assert "A1" in box.bills.value and "A2" in box.bills.value and "B1" not in box.bills.value
    box.bucket.value = "1-30"
    assert [v for _, v in box.customer.options] == ["C"]


@pytest.mark.parametrize(("lang", "due_in"), [("en", "due in 15 days"), ("zh", "15 天后到期")])
def test_bills_not_yet_due_say_when_they_fall_due(aged, lang, due_in):
    box = aging_drilldown(aged, lang=lang)
    box.bucket.value = "31-60"
    box.customer.value = "A"  # A1 is 46 days past due, A2 falls due on 2025-07-15
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", box.bills.value)
    assert "46" in cells and due_in in cells
    assert "-15" not in cells and "−15" not in box.bills.value
    assert "¥1.00" in box.bills.value or "CN¥1.00" in box.bills.value  # money as in reports


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_controls_come_from_the_label_table_in_one_language(aged, lang):
    box = aging_drilldown(aged, lang=lang)
    assert box.bucket.description == label("bucket", lang) and box.bucket.tooltip
    assert box.customer.description == label("drill_customer", lang) and box.customer.tooltip
    for bucket in [v for _, v in box.bucket.options]:
        start = time.perf_counter()
        box.bucket.value = bucket
        assert time.perf_counter() - start < 1.0
        assert foreign_words(widget_text(box), lang) == [], bucket


def test_dpd_text():
    s = pd.Series([120, 1, 0, -1, -30, None], index=list("abcdef"), dtype="Int64")
    assert dpd_text(s, lang="en").tolist() == ["120", "1", "due today", "due tomorrow",
                                               "due in 30 days", ""]
    assert dpd_text(s, lang="zh").tolist() == ["120", "1", "今日到期", "明天到期",
                                               "30 天后到期", ""]
    assert list(dpd_text(s).index) == list("abcdef")
    with pytest.raises(ParameterError, match="Series of days past due"):
        dpd_text([1, 2])
    with pytest.raises(ParameterError, match="Series of days past due"):
        dpd_text(pd.Series(["x"]))
    with pytest.raises(ParameterError, match="lang must be one of"):
        dpd_text(s, lang="fr")


def test_raises(aged):
    with pytest.raises(ParameterError, match="needs column"):
        aging_drilldown(aged.drop(columns="bucket"))
    with pytest.raises(ParameterError, match="lang must be one of"):
        aging_drilldown(aged, lang="fr")
    with pytest.raises(ParameterError, match="max_rows must be a positive int"):
        aging_drilldown(aged, max_rows=0)
    with pytest.raises(ParameterError, match="needs a DataFrame"):
        aging_drilldown([])
