"""Charts of the portfolio overview: DataFrame in, plotly Figure out, labelled in zh or en.

Each chart draws one table of :mod:`creditkit.overview.portfolio`. Money
(columns ending ``_minor``) is shown in major units (display only: the data
stays integer minor units) with the currency in the axis title and formatted
amounts in the hover text. Category values go through the label table and are
HTML-escaped, because plotly reads ``<b>`` or ``<a href>`` in text as markup.

Examples
--------
>>> from creditkit.datasets import example_portfolio
>>> from creditkit.overview import channel_mix
>>> mix = channel_mix(example_portfolio(), as_of="2025-06-30")
>>> channel_mix_chart(mix, lang="en").data[0].labels
('Alipay',)
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from creditkit.display.plots import (
    axis_title,
    check_columns,
    label_text,
    pick_currency,
    style_figure,
)
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor, minor_unit_exponent

__all__ = ["balances_chart", "channel_mix_chart", "issued_paid_chart"]

#: Monthly flows drawn by issued_paid_chart: billed, then what lowered the balance.
_FLOWS = ("billed_minor", "paid_minor", "credited_minor", "written_off_minor")


def _money(values: pd.Series, currency: str) -> tuple[pd.Series, list[str]]:
    """Major units to plot and formatted hover texts (display only)."""
    exp = minor_unit_exponent(currency)
    hover = [format_minor(int(v), currency) for v in values]
    return values.astype("float64") / 10**exp, hover


def balances_chart(balances: pd.DataFrame, *, lang: str = "zh",
                   currency: str | None = None) -> go.Figure:
    """Net balance by region, one panel per product (from ``overview.balances_by``).

    Each product gets its own panel and y axis, regions sorted by net balance,
    so a small consumer book is not flattened by a large B2B one. Settlements
    not yet attributed to a customer (product ``"unattributed"``) have no
    region and are left out of the chart; show them with the product table.

    Parameters
    ----------
    balances : DataFrame
        ``product, region, currency, net_balance_minor`` (``balances_by`` with
        ``by=["product", "region"]``).
    lang : {"zh", "en"}
    currency : str, optional
        Which currency to plot when the frame has several.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        For missing columns, an unknown ``lang``, mixed currencies or nothing to plot.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> from creditkit.overview import balances_by
    >>> fig = balances_chart(balances_by(example_portfolio(), as_of="2025-06-30"), lang="en")
    >>> fig.layout.title.text, [a.text for a in fig.layout.annotations]
    ('Net balance by product and region', ['B2B trade credit', 'BNPL'])
    """
    from plotly.subplots import make_subplots

    check_columns(balances, ["region", "product", "currency", "net_balance_minor"], lang)
    cur = pick_currency(balances, currency)
    data = balances.loc[(balances["currency"] == cur) & (balances["product"] != "unattributed")]
    order = (data.groupby("product")["net_balance_minor"].sum()
             .sort_values(ascending=False, kind="stable").index.tolist())
    if not order:
        raise ParameterError("no balances to plot: the frame has no attributed rows")
    fig = make_subplots(rows=len(order), cols=1, vertical_spacing=0.12 if len(order) > 1 else 0,
                        subplot_titles=[label_text(p, lang) for p in order])
    for row, product in enumerate(order, start=1):
        part = (data.loc[data["product"] == product]
                .groupby("region", as_index=False)["net_balance_minor"].sum()
                .sort_values("net_balance_minor", ascending=False, kind="stable"))
        vals, hover = _money(part["net_balance_minor"], cur)
        fig.add_bar(x=[label_text(r, lang) for r in part["region"]], y=vals,
                    name=label_text(product, lang), hovertext=hover, hoverinfo="x+text+name",
                    row=row, col=1)
        fig.update_yaxes(title_text=axis_title("net_balance_minor", lang, cur), row=row, col=1)
    fig.update_xaxes(tickangle=-45)
    fig.update_layout(showlegend=False, height=160 + 300 * len(order))
    return style_figure(fig, label("balances_by_product_region", lang))


def issued_paid_chart(monthly: pd.DataFrame, *, lang: str = "zh",
                      currency: str | None = None) -> go.Figure:
    """Billed, cash received and other settlements per month as grouped bars.

    Draws ``overview.issued_paid_by_month``: bills issued, cash received
    (``paid_minor``), and credit notes and write-offs when the frame has them
    (a kind that is zero in every month is left out).

    Parameters
    ----------
    monthly : DataFrame
        ``month, currency, billed_minor, paid_minor`` and optionally
        ``credited_minor, written_off_minor``.
    lang : {"zh", "en"}
    currency : str, optional
        Which currency to plot when the frame has several.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        For missing columns, an unknown ``lang`` or mixed currencies.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> from creditkit.overview import issued_paid_by_month
    >>> m = issued_paid_by_month(example_portfolio(), as_of="2025-06-30")
    >>> [t.name for t in issued_paid_chart(m, lang="zh").data]
    ['出账金额', '回款金额', '红字冲销金额']
    """
    check_columns(monthly, ["month", "currency", "billed_minor", "paid_minor"], lang)
    cur = pick_currency(monthly, currency)
    data = monthly.loc[monthly["currency"] == cur]
    fig = go.Figure()
    for col in _FLOWS:
        if col not in data.columns or (col not in _FLOWS[:2] and not data[col].any()):
            continue
        vals, hover = _money(data[col], cur)
        fig.add_bar(x=data["month"], y=vals, name=label(col, lang), hovertext=hover,
                    hoverinfo="x+text+name")
    fig.update_layout(barmode="group", xaxis_title=label("month", lang),
                      yaxis_title=axis_title("amount_minor", lang, cur))
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    return style_figure(fig, label("issued_vs_paid", lang))


def channel_mix_chart(mix: pd.DataFrame, *, lang: str = "zh",
                      currency: str | None = None) -> go.Figure:
    """Share of cash received by channel as a donut (from ``overview.channel_mix``).

    Parameters
    ----------
    mix : DataFrame
        ``channel, currency, amount_minor``.
    lang : {"zh", "en"}
    currency : str, optional
        Which currency to plot when the frame has several.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        For missing columns, an unknown ``lang`` or mixed currencies.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> from creditkit.overview import channel_mix
    >>> mix = channel_mix(example_portfolio(), as_of="2025-06-30")
    >>> channel_mix_chart(mix, lang="zh").layout.title.text
    '回款渠道构成'
    """
    check_columns(mix, ["channel", "currency", "amount_minor"], lang)
    cur = pick_currency(mix, currency)
    data = mix.loc[mix["currency"] == cur]
    hover = [format_minor(int(v), cur, lang=lang) for v in data["amount_minor"]]
    fig = go.Figure(go.Pie(
        labels=[label_text(c, lang) for c in data["channel"]], values=data["amount_minor"].tolist(),
        hole=0.45, sort=False, hovertext=hover, hoverinfo="label+text+percent",
        textinfo="label+percent"))
    return style_figure(fig, label("channel_mix", lang))
