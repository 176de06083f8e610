"""Notebook 07 (the monthly portfolio review): its report masked and its commentary generated.

Its report, run on the small store in Chinese, shows the commentary the package generates
from that store's numbers, and holds no customer name, ID number or mobile unmasked. Its
thinness is tested with every notebook in test_thin_notebooks.py.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from creditkit.review import commentary, review_kpis, share_drivers

NB = Path(__file__).resolve().parents[2] / "notebooks" / "07-portfolio-review.ipynb"


@pytest.fixture(scope="module")
def report_zh(small_parameters, notebook_reports) -> str:
    """run_notebook's zh report on the small store at its last day (``small_parameters``:
    the same run as the report-language test's, so exported once and shared)."""
    params = {**small_parameters(NB), "lang": "zh"}
    return notebook_reports.export(NB, params).read_text(encoding="utf-8")


def test_report_shows_the_generated_commentary(report_zh: str, small_portfolio,
                                               portfolio_as_of: str) -> None:
    kpis = review_kpis(small_portfolio, as_of=portfolio_as_of)
    drivers = share_drivers(small_portfolio, as_of=portfolio_as_of,
                            previous=kpis.attrs["previous"], by="region")
    sentences = commentary(kpis, drivers, lang="zh")
    assert len(sentences) == len(kpis)
    # every figure's sentence but new restrictions (the report passes the levels it evaluates)
    for key, s in zip(kpis.index, sentences, strict=True):
        if key != "new_restrictions":
            assert html.escape(s) in report_zh, s
    assert "本期新增限制类客户" in report_zh


def test_report_masks_every_name_id_number_and_mobile(report_zh: str, small_portfolio) -> None:
    customers = small_portfolio["customers"]
    for col in ("name", "id_number", "phone"):
        if col not in customers.columns:
            continue
        leaked = [v for v in customers[col].dropna().astype(str) if len(v) > 3 and v in report_zh]
        assert not leaked, f"{col} unmasked in the review: {leaked[:3]}"
    assert len(report_zh.encode("utf-8")) < 8_000_000
