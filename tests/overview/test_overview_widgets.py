"""Tests of creditkit.overview.widgets: the portfolio browser masks personal data."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.datasets import example_portfolio
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.overview.widgets import portfolio_browser


def test_browser_masks_names_and_leaves_the_input_alone() -> None:
    tables = example_portfolio()
    tables["applications"] = pd.DataFrame({"application_id": ["A1"]})
    before = tables["customers"].copy()
    picker, *_, out = portfolio_browser(tables, lang="zh").children
    assert [v for _, v in picker.options] == ["customers", "bills", "payments"]
    assert "甲" not in out.value and "C1" in out.value
    assert picker.description == "数据表"
    pd.testing.assert_frame_equal(tables["customers"], before)
    picker.value = "bills"
    assert "B1" in out.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_browser_speaks_the_report_language(lang: str) -> None:
    picker, text, page, out = portfolio_browser(example_portfolio(), lang=lang).children
    # tables named as tables (客户, not the count 客户数); coded values in the language
    assert [name for name, _ in picker.options] == [
        label(f"table_{n}", lang) for n in ("customers", "bills", "payments")]
    assert f"<td>{label('consumer', lang)}</td>" in out.value
    assert "<td>consumer</td>" not in out.value  # the stored code is not shown
    for control in (picker, text, page):
        assert control.tooltip and control.description
    picker.value = "payments"
    assert label("credit_note", lang) in out.value and label("alipay", lang) in out.value


def test_browser_errors() -> None:
    with pytest.raises(ParameterError, match="lang must be"):
        portfolio_browser(example_portfolio(), lang="fr")
    with pytest.raises(ParameterError, match="no table left to browse"):
        portfolio_browser(example_portfolio(), exclude=["customers", "bills", "payments"])
    with pytest.raises(ParameterError, match="expected a dict of tables"):
        portfolio_browser([pd.DataFrame()])
