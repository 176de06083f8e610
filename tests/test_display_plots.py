"""Tests of creditkit.plots (generic charts): labels, money in major units, currencies, errors.

The overview charts are tested in tests/overview/test_overview_plots.py.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from creditkit.display.plots import bar, heatmap, histogram, line, second_axis_line
from creditkit.exceptions import ParameterError
from creditkit.labels import label


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


def test_strings_from_data_are_escaped_for_plotly() -> None:
    df = pd.DataFrame({"region": ["<b>R</b>", "A&B"], "product": ["<i>p", "bnpl"],
                       "count": [1, 2]})
    fig = bar(df, "region", "count", color="product", lang="en")
    assert [t.name for t in fig.data] == ["&lt;i&gt;p", "BNPL"]
    assert list(fig.data[0].x) == ["&lt;b&gt;R&lt;/b&gt;"] and list(fig.data[1].x) == ["A&amp;B"]
    m = heatmap(pd.DataFrame([[1.0]], index=["<a href='x'>"], columns=["c"]))
    assert list(m.data[0].y) == ["&lt;a href='x'&gt;"]


def test_second_axis_line_draws_on_the_right_from_zero_or_a_fixed_range() -> None:
    fig = go.Figure(go.Bar(x=["2025-01", "2025-02"], y=[3, 4], name="rows"))
    out = second_axis_line(fig, ["2025-01", "2025-02"], [0.2, 0.5], name="rate", title="Rate",
                           tickformat=".0%", line={"dash": "dot"})
    assert out is fig and [t.name for t in fig.data] == ["rows", "rate"]
    line_trace, axis = fig.data[1], fig.layout.yaxis2
    assert line_trace.yaxis == "y2" and line_trace.mode == "lines+markers"
    assert line_trace.line.dash == "dot" and list(line_trace.y) == [0.2, 0.5]
    assert (axis.overlaying, axis.side, axis.title.text, axis.tickformat) == ("y", "right",
                                                                             "Rate", ".0%")
    assert axis.rangemode == "tozero" and axis.range is None and axis.showgrid is None
    fixed = second_axis_line(go.Figure(), [1], [0.9], name="r", title="r", axis_range=[0, 1.05],
                             showgrid=False)
    assert list(fixed.layout.yaxis2.range) == [0, 1.05] and fixed.layout.yaxis2.rangemode is None
    assert fixed.layout.yaxis2.showgrid is False
