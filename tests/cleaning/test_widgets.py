"""Interactive views of data intake, driven headless through their traits."""

from __future__ import annotations

import pandas as pd

from creditkit.cleaning import clean_customers, customer_duplicates, widgets
from creditkit.labels import label


def _results() -> dict:
    c = clean_customers(pd.DataFrame({
        "customer_id": ["C1", "E1", "C2"], "name": ["张三", "张 三", "李四"],
        "kind": ["个人"] * 3, "phone": ["13800135678", "+86 138 0013 5678", "123"]}))
    return {"c.csv": c}


def test_quarantine_browser_names_tables_in_the_language_and_filters() -> None:
    results = _results()
    dups = customer_duplicates(results)
    view = widgets.quarantine_browser(results, duplicates=dups, lang="zh")
    picker, text, _page, table = view.children
    assert dict(picker.options) == {"电话号码无效": "invalid_phone", "自动合并的客户": "merges",
                                    "待人工复核": "review"}
    assert "说明" in table.value and "1****5678" not in table.value  # explanation header
    picker.value = "merges"
    assert "E1" in table.value
    text.value = "no such text"
    assert "E1" not in table.value


def test_quarantine_browser_in_english_masks_by_default() -> None:
    view = widgets.quarantine_browser(_results(), lang="en")
    assert dict(view.children[0].options) == {"Invalid phone": "invalid_phone"}
    assert "Explanation" in view.children[3].value


def test_quarantine_browser_controls_say_what_they_do_in_the_language() -> None:
    for lang in ("zh", "en"):
        picker, text, page, _table = widgets.quarantine_browser(_results(), lang=lang).children
        assert picker.description == label("table", lang) and picker.tooltip
        assert text.description == label("filter", lang) and text.tooltip
        assert page.description == label("page", lang) and page.tooltip


def test_quarantine_browser_names_the_column_by_its_label_not_its_internal_name() -> None:
    for lang in ("zh", "en"):
        table = widgets.quarantine_browser(_results(), lang=lang).children[3]
        assert f"<td>{label('phone', lang)}</td>" in table.value
        assert "<td>phone</td>" not in table.value
