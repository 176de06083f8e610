"""Channel performance figures (渠道表现): :func:`creditkit.collections.channel_performance` in.

- :func:`channel_cash_chart`: cash received per month, stacked by channel;
- :func:`channel_share_chart`: each channel's share of the month's cash;
- :func:`channel_days_chart`: days from due date to payment per channel, as
  boxes of the quartiles (negative = early);
- :func:`auto_debit_chart`: auto-debits per month by outcome, with the
  success rate.

Built like :mod:`creditkit.collections.plots` (sharing its
:func:`~creditkit.collections.plots.channel_text` and
:func:`~creditkit.collections.plots.money_bars`) on :mod:`creditkit.display.plots`.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"currency": ["CNY"] * 2, "period": ["2025-01", "2025-01"],
...                   "channel": ["alipay", "cash"], "n_payments": [2, 1],
...                   "paid_minor": [30000, 10000], "share": [0.75, 0.25]})
>>> fig = channel_cash_chart(c, lang="en")
>>> [t.name for t in fig.data], fig.data[0].y.tolist()
(['Alipay', 'Cash'], [300.0])
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from creditkit.collections.plots import channel_text, money_bars
from creditkit.display import plots
from creditkit.labels import label

__all__ = ["auto_debit_chart", "channel_cash_chart", "channel_days_chart", "channel_share_chart"]

#: Outcomes of an auto-debit, in stacking order: (count column, label key).
DEBIT_OUTCOMES = (("n_debits_succeeded", "debit_succeeded"), ("n_debits_failed", "debit_failed"),
                  ("n_debits_returned", "debit_returned"))


def _month_cells(s: pd.Series) -> list[str]:
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.to_datetime(s).dt.strftime("%Y-%m").tolist()
    return s.astype(str).tolist()


def _one_currency(df: pd.DataFrame, cols: list[str], currency: str | None,
                  lang: str) -> tuple[pd.DataFrame, str]:
    """The rows of the one currency a chart draws, once its columns are checked."""
    plots.check_columns(df, cols, lang)
    cur = plots.pick_currency(df, currency)
    return plots.only_currency(df, cur), cur


def _by_channel(df: pd.DataFrame, value: str, currency: str | None, lang: str,
                fill: float) -> tuple[pd.DataFrame, str, list[str]]:
    """``value`` per period (rows, ``YYYY-MM`` in order) and channel (columns), and the currency."""
    df, cur = _one_currency(df, ["period", "channel", value], currency, lang)
    df = df.assign(period=_month_cells(df["period"]), channel=df["channel"].fillna("unknown"))
    periods = sorted(df["period"].unique())
    wide = df.pivot_table(index="period", columns="channel", values=value, aggfunc="sum",
                          fill_value=fill).reindex(periods, fill_value=fill)
    return wide, cur, periods


def channel_cash_chart(collected: pd.DataFrame, *, lang: str = "zh", currency: str | None = None,
                       title: str | None = None) -> go.Figure:
    """Cash received per month, stacked by channel.

    Parameters
    ----------
    collected : DataFrame
        ``ChannelPerformance.collected``: ``period``, ``channel``,
        ``paid_minor`` (``currency`` when several).
    lang : {"zh", "en"}
    currency : str, optional
        Which currency to draw when the table has several.
    title : str, optional
        Default: the label ``channel_cash_chart``.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per channel (largest total first), x = periods in order;
        the bars of a period add up to its cash.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``, several currencies without ``currency``.

    Examples
    --------
    >>> c = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-02"],
    ...                   "channel": ["card", "card", "wechat"], "paid_minor": [100, 200, 50]})
    >>> fig = channel_cash_chart(c, lang="zh")
    >>> [t.name for t in fig.data], list(fig.data[0].x), fig.layout.barmode
    (['银行卡', '微信支付'], ['2025-01', '2025-02'], 'stack')
    """
    wide, cur, periods = _by_channel(collected, "paid_minor", currency, lang, 0)
    counts = None
    if "n_payments" in collected.columns:
        counts = _by_channel(collected, "n_payments", cur, lang, 0)[0]
    order = wide.sum().sort_values(ascending=False, kind="stable").index
    fig = go.Figure()
    for ch in order:
        money_bars(fig, periods, wide[ch].astype("int64"), cur, channel_text(ch, lang),
                     None if counts is None else counts[ch], label("n_payments", lang))
    fig.update_layout(barmode="stack", xaxis_title=label("period", lang),
                      yaxis_title=plots.axis_title("paid_minor", lang, cur),
                      legend_title_text=label("channel", lang), xaxis_type="category")
    return plots.style_figure(fig, label("channel_cash_chart", lang) if title is None else title)


def channel_share_chart(collected: pd.DataFrame, *, lang: str = "zh",
                        currency: str | None = None, title: str | None = None) -> go.Figure:
    """Each channel's share of the month's cash, one line per channel.

    Parameters
    ----------
    collected : DataFrame
        ``ChannelPerformance.collected``: ``period``, ``channel``, ``share``.
    lang : {"zh", "en"}
    currency : str, optional
    title : str, optional
        Default: the label ``channel_share_chart``.

    Returns
    -------
    plotly.graph_objects.Figure
        A period a channel brought nothing in shows 0 for it, so the lines of a
        period add up to 100 %.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``, several currencies without ``currency``.

    Examples
    --------
    >>> c = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-02"],
    ...                   "channel": ["card", "card", "cash"], "share": [1.0, 0.8, 0.2]})
    >>> fig = channel_share_chart(c, lang="en")
    >>> [(t.name, t.y.tolist()) for t in fig.data]
    [('Card', [1.0, 0.8]), ('Cash', [0.0, 0.2])]
    """
    wide, _, periods = _by_channel(collected, "share", currency, lang, 0.0)
    order = wide.mean().sort_values(ascending=False, kind="stable").index
    fig = go.Figure()
    for ch in order:
        fig.add_scatter(x=periods, y=wide[ch].to_numpy(dtype="float64"), mode="lines+markers",
                        name=channel_text(ch, lang))
    fig.update_layout(xaxis_title=label("period", lang), yaxis_title=label("share", lang),
                      yaxis={"tickformat": ".0%", "rangemode": "tozero"},
                      legend_title_text=label("channel", lang), xaxis_type="category")
    return plots.style_figure(fig, label("channel_share_chart", lang) if title is None else title)


def channel_days_chart(timing: pd.DataFrame, *, lang: str = "zh", currency: str | None = None,
                       title: str | None = None) -> go.Figure:
    """Days from due date to payment per channel: a box of the quartiles (negative = early).

    The box runs from the lower to the upper quartile with the median across
    it (the timing table holds quartiles, not each payment, so the whiskers
    are the quartiles too); channels are ordered by median, fastest first.

    Parameters
    ----------
    timing : DataFrame
        ``ChannelPerformance.timing``: ``channel``, ``days_q1``,
        ``days_median``, ``days_q3`` (``n_allocations``, ``on_time_share``
        and ``currency`` when present go to the hover text / selection).
    lang : {"zh", "en"}
    currency : str, optional
    title : str, optional
        Default: the label ``channel_days_chart``.

    Returns
    -------
    plotly.graph_objects.Figure
        One box trace with one box per channel.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``, several currencies without ``currency``.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["cash", "alipay"], "days_q1": [2.0, -3.0],
    ...                   "days_median": [10.0, 0.0], "days_q3": [25.0, 4.0]})
    >>> fig = channel_days_chart(t, lang="en")
    >>> list(fig.data[0].x), fig.data[0].median.tolist()
    (['Alipay', 'Cash'], [0.0, 10.0])
    """
    df, _ = _one_currency(timing, ["channel", "days_q1", "days_median", "days_q3"], currency, lang)
    df = df.dropna(subset=["days_median"])
    df = df.sort_values(["days_median", "channel"], kind="stable")
    x = [channel_text(c, lang) for c in df["channel"]]
    q1, med, q3 = (df[c].to_numpy(dtype="float64") for c in ("days_q1", "days_median", "days_q3"))
    hover = [f"{label('days_q1', lang)}: {a:g}<br>{label('days_median', lang)}: {b:g}<br>"
             f"{label('days_q3', lang)}: {c:g}" for a, b, c in zip(q1, med, q3, strict=True)]
    if "n_allocations" in df.columns:
        hover = [f"{h}<br>{label('n_allocations', lang)}: {int(n):,}"
                 for h, n in zip(hover, df["n_allocations"], strict=True)]
    if "on_time_share" in df.columns:
        hover = [f"{h}<br>{label('on_time_share', lang)}: "
                 + ("–" if pd.isna(s) else f"{s:.1%}")
                 for h, s in zip(hover, df["on_time_share"], strict=True)]
    fig = go.Figure(go.Box(x=x, q1=q1, median=med, q3=q3, lowerfence=q1, upperfence=q3,
                           name=label("days_median", lang), hovertext=hover,
                           hoverinfo="x+text", showlegend=False))
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    fig.update_layout(xaxis_title=label("channel", lang),
                      yaxis_title=label("days_from_due", lang), xaxis_type="category")
    return plots.style_figure(fig, label("channel_days_chart", lang) if title is None else title)


def auto_debit_chart(auto_debit: pd.DataFrame, *, lang: str = "zh", currency: str | None = None,
                     title: str | None = None) -> go.Figure:
    """Auto-debits attempted per month, stacked by outcome, the success rate on a second axis.

    Parameters
    ----------
    auto_debit : DataFrame
        ``ChannelPerformance.auto_debit``: ``period``, ``n_debits_succeeded``,
        ``n_debits_failed``, ``n_debits_returned``, ``debit_success_rate``
        (``currency`` when several).
    lang : {"zh", "en"}
    currency : str, optional
    title : str, optional
        Default: the label ``n_debits``.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per outcome (succeeded, failed, returned), then the
        success-rate line (``yaxis="y2"``); the bars of a month add up to
        the debits attempted.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``, several currencies without ``currency``.

    Examples
    --------
    >>> a = pd.DataFrame({"period": ["2025-01", "2025-02"], "n_debits_succeeded": [9, 8],
    ...                   "n_debits_failed": [1, 1], "n_debits_returned": [0, 1],
    ...                   "debit_success_rate": [0.9, 0.8]})
    >>> fig = auto_debit_chart(a, lang="en")
    >>> [t.name for t in fig.data]
    ['Succeeded', 'Failed', 'Returned', 'Auto-debit success rate']
    >>> fig.data[1].y.tolist(), fig.data[3].y.tolist()
    ([1, 1], [0.9, 0.8])
    """
    cols = [c for c, _ in DEBIT_OUTCOMES]
    df, _ = _one_currency(auto_debit, ["period", *cols, "debit_success_rate"], currency, lang)
    df = df.assign(period=_month_cells(df["period"])).sort_values("period", kind="stable")
    x = df["period"].tolist()
    fig = go.Figure()
    for col, key in DEBIT_OUTCOMES:
        fig.add_bar(x=x, y=df[col].to_numpy(dtype="int64"), name=label(key, lang))
    plots.second_axis_line(fig, x, df["debit_success_rate"].to_numpy(dtype="float64"),
                           name=label("debit_success_rate", lang),
                           title=label("debit_success_rate", lang), tickformat=".0%",
                           axis_range=[0, 1.05], showgrid=False)
    fig.update_layout(barmode="stack", xaxis_title=label("period", lang), xaxis_type="category",
                      yaxis_title=label("n_debits", lang))
    return plots.style_figure(fig, label("n_debits", lang) if title is None else title)
