"""Tests of creditkit.widgets, headless: callbacks set widget traits."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.display.widgets import table_browser
from creditkit.exceptions import ParameterError


def test_table_browser_filters_pages_and_escapes() -> None:
    frames = {"customers": pd.DataFrame({"name": ["<script>x</script>", "张三", "李四", "张五"]}),
              "bills": pd.DataFrame({"bill_id": ["B1"]})}
    before = frames["customers"].copy()
    view = table_browser(frames, lang="zh", max_rows=2)
    picker, text, page, out = view.children
    assert "<script>" not in out.value and "&lt;script&gt;" in out.value
    assert page.max == 1
    page.value = 1
    assert "李四" in out.value and "张五" in out.value and "张三" not in out.value
    text.value = "张"
    assert page.value == 0 and page.max == 0
    assert "张三" in out.value and "张五" in out.value and "李四" not in out.value
    picker.value = "bills"
    assert "B1" in out.value and "<th>账单编号</th>" in out.value
    pd.testing.assert_frame_equal(frames["customers"], before)


@pytest.mark.parametrize(("args", "kwargs", "match"), [
    ({}, {}, "non-empty dict of DataFrames"),
    ({"a": [1]}, {}, "non-empty dict of DataFrames"),
    ({"a": pd.DataFrame()}, {"lang": "de"}, "lang must be one of"),
    ({"a": pd.DataFrame()}, {"max_rows": 0}, "max_rows must be a positive int"),
])
def test_table_browser_rejects(args, kwargs, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        table_browser(args, **kwargs)
