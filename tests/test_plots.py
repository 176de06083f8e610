"""Tests of creditkit.plots: labels, money in major units, currencies, errors."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.overview import balances_by, channel_mix, issued_paid_by_month
from creditkit.plots import (
    balances_chart,
    bar,
    channel_mix_chart,
    heatmap,
    histogram,
    issued_paid_chart,
    line,
)


@pytest.fixture
def by_channel() -> pd.DataFrame:
    return pd.DataFrame({"channel": ["alipay", "wechat", "alipay"],
                         "currency": ["CNY", "CNY", "JPY"],
                         "amount_minor": [123_456, 1_000, 1_500]})


def test_bar_labels_and_money(by_channel: pd.DataFrame) -> None:
    before = by_channel.copy()
    fig = bar(by_channel, "channel", "amount_minor", lang="zh", currency="CNY")
    pd.testing.assert_frame_equal(by_channel, before)
    assert isinstance(fig, go.Figure)
    assert list(fig.data[0].x) == ["支付宝", "微信支付"]
    assert list(fig.data[0].y) == [1234.56, 10.0]
    assert list(fig.data[0].hovertext) == ["¥1,234.56", "¥10.00"]
    assert fig.layout.yaxis.title.text == "金额 (CNY)"
    jpy = bar(by_channel, "channel", "amount_minor", lang="en", currency="JPY")
    assert list(jpy.data[0].y) == [1500.0] and jpy.layout.yaxis.title.text == "Amount (JPY)"


def test_mixed_currencies_need_a_choice(by_channel: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"mixes currencies \['CNY', 'JPY'\]"):
        bar(by_channel, "channel", "amount_minor")


def test_bar_horizontal_stack_and_colours() -> None:
    df = pd.DataFrame({"region": ["A", "A", "B"], "product": ["bnpl", "b2b", "b2b"],
                       "count": [1, 2, 3]})
    fig = bar(df, "region", "count", color="product", barmode="stack", horizontal=True,
              lang="en")
    assert [t.name for t in fig.data] == ["BNPL", "B2B trade credit"]
    assert fig.data[0].orientation == "h" and fig.layout.barmode == "stack"
    assert fig.layout.legend.title.text == "Product"


def test_line_several_columns_and_by_colour() -> None:
    df = pd.DataFrame({"month": pd.to_datetime(["2025-02-01", "2025-01-01"] * 2),
                       "kind": ["consumer"] * 2 + ["business"] * 2, "dpd": [3, 1, 9, 7]})
    by = line(df, "month", "dpd", color="kind", lang="zh")
    assert sorted(t.name for t in by.data) == ["个人", "企业"]
    assert list(by.data[0].y) == [7, 9]  # sorted by month
    with pytest.raises(ParameterError, match="either several y columns or color="):
        line(df, "month", ["dpd", "dpd"], color="kind")
    with pytest.raises(ParameterError, match="at least one y column"):
        line(df, "month", [])


def test_heatmap_and_histogram() -> None:
    m = pd.DataFrame([[0.5, 0.25]], index=["current"], columns=["current", "M1"])
    fig = heatmap(m, lang="en", value_format=".0%")
    assert [list(r) for r in fig.data[0].text] == [["50%", "25%"]]
    assert list(fig.data[0].x) == [label("current", "en"), label("M1", "en")]
    with pytest.raises(ParameterError, match="cannot format"):
        heatmap(m, value_format="d")
    with pytest.raises(ParameterError, match="non-empty matrix"):
        heatmap(pd.DataFrame())
    h = histogram(pd.DataFrame({"dpd": [1, 2, 3]}), "dpd", normalize=True, lang="en")
    assert h.data[0].histnorm == "probability" and h.layout.yaxis.title.text == "Share"
    with pytest.raises(ParameterError, match="nbins must be a positive int"):
        histogram(pd.DataFrame({"dpd": [1]}), "dpd", nbins=0)


@pytest.mark.parametrize(("call", "match"), [
    (lambda df: bar(df, "nope", "count"), r"column\(s\) \['nope'\] not in the frame"),
    (lambda df: bar(df, "channel", "count", lang="fr"), "lang must be one of"),
    (lambda df: bar(df, "channel", "count", barmode="pile"), "barmode must be"),
    (lambda df: bar([1], "channel", "count"), "expected a DataFrame"),
])
def test_bad_arguments(call, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        call(pd.DataFrame({"channel": ["cash"], "count": [1]}))


def test_overview_charts_on_a_real_portfolio(small_portfolio, portfolio_as_of: str) -> None:
    b = balances_chart(balances_by(small_portfolio, as_of=portfolio_as_of), lang="en")
    assert b.layout.title.text == "Balances by product and region"
    assert {t.name for t in b.data} <= {"BNPL", "B2B trade credit", "Unattributed payments"}
    monthly = issued_paid_by_month(small_portfolio, as_of=portfolio_as_of)
    m = issued_paid_chart(monthly, lang="zh")
    assert [t.name for t in m.data] == ["出账金额", "回款金额"]
    assert sum(m.data[0].y) == pytest.approx(monthly["billed_minor"].sum() / 100)
    c = channel_mix_chart(channel_mix(small_portfolio, as_of=portfolio_as_of), lang="zh")
    assert "支付宝" in c.data[0].labels and c.layout.title.text == "回款渠道构成"


def test_strings_from_data_are_escaped_for_plotly() -> None:
    df = pd.DataFrame({"region": ["<b>R</b>", "A&B"], "product": ["<i>p", "bnpl"],
                       "count": [1, 2]})
    fig = bar(df, "region", "count", color="product", lang="en")
    assert [t.name for t in fig.data] == ["&lt;i&gt;p", "BNPL"]
    assert list(fig.data[0].x) == ["&lt;b&gt;R&lt;/b&gt;"] and list(fig.data[1].x) == ["A&amp;B"]
    m = heatmap(pd.DataFrame([[1.0]], index=["<a href='x'>"], columns=["c"]))
    assert list(m.data[0].y) == ["&lt;a href='x'&gt;"]


def test_balances_chart_one_panel_per_product() -> None:
    df = pd.DataFrame({"product": ["b2b", "b2b", "bnpl", "unattributed"],
                       "region": ["A", "B", "A", "unattributed"], "currency": ["CNY"] * 4,
                       "balance_minor": [100, 900, 5, -50]})
    fig = balances_chart(df, lang="en")
    assert [a.text for a in fig.layout.annotations] == ["B2B trade credit", "BNPL"]
    assert [list(t.x) for t in fig.data] == [["B", "A"], ["A"]]  # largest region first
    assert fig.data[1].yaxis == "y2"
    with pytest.raises(ParameterError, match="no balances to plot"):
        balances_chart(df.loc[df["product"] == "unattributed"])
