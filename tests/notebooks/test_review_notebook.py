"""Notebook 07 (the monthly portfolio review): its report masked and its commentary generated.

Its report, run on the small store in Chinese, shows the commentary the package generates
from that store's numbers, and holds no customer name, ID number or mobile unmasked; run
on a book ten times larger its size barely moves (every table capped, every chart
aggregated: issue #11's 8 MB at any book size). Its thinness is tested with every notebook
in test_thin_notebooks.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from creditkit.reporting import run_notebook
from creditkit.review import commentary, review_kpis, share_drivers

NB = Path(__file__).resolve().parents[2] / "notebooks" / "07-portfolio-review.ipynb"


@pytest.fixture(scope="module")
def report_zh(small_parameters, notebook_reports) -> str:
    """run_notebook's zh report on the small store at its last day (``small_parameters``:
    the same run as the report-language test's, so exported once and shared)."""
    params = {**small_parameters(NB), "lang": "zh"}
    return notebook_reports.export(NB, params).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report_10x(portfolio_as_of: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The review of a book ten times the small store's (3,000 customers, same dates)."""
    from creditkit.datasets import make_portfolio
    from creditkit.store import write_tables

    d = tmp_path_factory.mktemp("review-10x")
    store = d / "creditkit.duckdb"
    write_tables(store, make_portfolio(3000, seed=7, kind="mixed", start="2024-01-01",
                                       end=portfolio_as_of))
    params = {"store_path": str(store), "as_of": portfolio_as_of, "lang": "zh"}
    return run_notebook(NB, params, d / "out", timeout=600).read_text(encoding="utf-8")


_PLOTLY_JS = re.compile(r"<script[^>]*>\s*/\*\*\s*\* plotly\.js v.*?</script>", re.S)


def test_review_size_does_not_grow_with_the_book(report_zh: str, report_10x: str) -> None:
    small, big = len(report_zh.encode("utf-8")), len(report_10x.encode("utf-8"))
    assert big < 8_000_000
    # plotly.js is inlined once, whatever the book; the rest is the review's own content
    own = [len(_PLOTLY_JS.sub("", r).encode("utf-8")) for r in (report_zh, report_10x)]
    assert small - own[0] > 3_000_000 and big - own[1] > 3_000_000  # the library was found
    # ten times the customers: the tables are capped, the charts aggregated, so the
    # review's own part grows by a few rows' worth, not tenfold
    assert own[1] < 1.5 * own[0], own
    assert abs(big - small) < 0.05 * small, (small, big)


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
