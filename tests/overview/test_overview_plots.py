"""Tests of creditkit.overview.plots: one panel per product, truthful labels, escaping."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.overview import balances_by, channel_mix, issued_paid_by_month
from creditkit.overview.plots import balances_chart, channel_mix_chart, issued_paid_chart


def test_overview_charts_on_a_real_portfolio(small_portfolio, portfolio_as_of: str) -> None:
    b = balances_chart(balances_by(small_portfolio, as_of=portfolio_as_of), lang="en")
    assert b.layout.title.text == "Net balance by product and region"
    assert {t.name for t in b.data} <= {"BNPL", "B2B trade credit"}
    monthly = issued_paid_by_month(small_portfolio, as_of=portfolio_as_of)
    m = issued_paid_chart(monthly, lang="zh")
    names = [t.name for t in m.data]
    assert names[:2] == ["出账金额", "回款金额"]
    assert set(names[2:]) <= {"红字冲销金额", "坏账核销金额"}
    assert sum(m.data[0].y) == pytest.approx(monthly["billed_minor"].sum() / 100)
    assert sum(m.data[1].y) == pytest.approx(monthly["paid_minor"].sum() / 100)  # cash only
    c = channel_mix_chart(channel_mix(small_portfolio, as_of=portfolio_as_of), lang="zh")
    assert "支付宝" in c.data[0].labels and c.layout.title.text == "回款渠道构成"


def test_issued_paid_chart_shows_cash_apart_from_credits() -> None:
    monthly = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                            "currency": ["CNY"] * 2, "billed_minor": [100, 0],
                            "paid_minor": [0, 50], "credited_minor": [0, 0],
                            "written_off_minor": [0, 25]})
    fig = issued_paid_chart(monthly, lang="en")
    assert [t.name for t in fig.data] == ["Billed", "Cash received", "Written off"]
    assert fig.layout.yaxis.title.text == "Amount (CNY)"


def test_balances_chart_one_panel_per_product() -> None:
    df = pd.DataFrame({"product": ["b2b", "b2b", "bnpl", "unattributed"],
                       "region": ["A", "<b>B</b>", "A", "unattributed"],
                       "currency": ["CNY"] * 4, "net_balance_minor": [100, 900, 5, -50]})
    fig = balances_chart(df, lang="en")
    assert [a.text for a in fig.layout.annotations] == ["B2B trade credit", "BNPL"]
    assert [list(t.x) for t in fig.data] == [["&lt;b&gt;B&lt;/b&gt;", "A"], ["A"]]
    assert fig.data[1].yaxis == "y2"
    assert fig.layout.yaxis.title.text == "Net balance (CNY)"
    with pytest.raises(ParameterError, match="no balances to plot"):
        balances_chart(df.loc[df["product"] == "unattributed"])


@pytest.mark.parametrize(("call", "match"), [
    (lambda: balances_chart(pd.DataFrame({"product": []})), r"column\(s\) \["),
    (lambda: channel_mix_chart(pd.DataFrame(), lang="fr"), "lang must be one of"),
    (lambda: issued_paid_chart([1]), "expected a DataFrame"),
    (lambda: channel_mix_chart(pd.DataFrame({"channel": ["cash", "cash"],
                                             "currency": ["CNY", "USD"],
                                             "amount_minor": [1, 2]})),
     "mixes currencies"),
])
def test_bad_arguments(call, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        call()
