"""Plotly figure builders: DataFrame in, Figure out, labelled in zh or en.

The generic builders (:func:`bar`, :func:`line`, :func:`heatmap`,
:func:`histogram`) now live in :mod:`creditkit.display.plots` and are
re-exported here, so ``from creditkit.plots import bar`` keeps working. The
overview builders draw the tables of :mod:`creditkit.overview`.

Examples
--------
>>> import pandas as pd
>>> fig = bar(pd.DataFrame({"channel": ["alipay", "cash"], "count": [3, 1]}),
...           "channel", "count", lang="en")
>>> list(fig.data[0].x), fig.layout.xaxis.title.text
(['Alipay', 'Cash'], 'Channel')
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from creditkit.display import plots as _display
from creditkit.display.plots import bar, heatmap, histogram, line
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor

# The overview charts below (and the concept plots that still call ``plots._layout``)
# use the shared helpers under their former private names until they move to their
# concept's own plots module.
_check = _display.check_columns
_currency = _display.pick_currency
_only = _display.only_currency
_text = _display.label_text
_values = _display.label_values
_axis_title = _display.axis_title
_y = _display.money_values
_layout = _display.style_figure

__all__ = [
    "balances_chart",
    "bar",
    "channel_mix_chart",
    "heatmap",
    "histogram",
    "issued_paid_chart",
    "line",
]

# --- portfolio overview (notebook 00) ----------------------------------------

def balances_chart(balances: pd.DataFrame, *, lang: str = "zh",
                   currency: str | None = None) -> go.Figure:
    """Balance by region, one panel per product (from ``overview.balances_by``).

    Each product gets its own panel and y axis, regions sorted by balance, so a
    small consumer book is not flattened by a large B2B one. Payments not yet
    attributed to a customer (product ``"unattributed"``) have no region and
    are left out of the chart; show them with the product table.

    Examples
    --------
    >>> from creditkit.overview import _example, balances_by
    >>> fig = balances_chart(balances_by(_example(), as_of="2025-06-30"), lang="en")
    >>> fig.layout.title.text, [a.text for a in fig.layout.annotations]
    ('Balances by product and region', ['B2B trade credit', 'BNPL'])
    """
    from plotly.subplots import make_subplots

    _check(balances, ["region", "product", "balance_minor"], lang)
    cur = _currency(balances, currency)
    data = _only(balances, cur)
    data = data.loc[data["product"] != "unattributed"]
    order = (data.groupby("product")["balance_minor"].sum()
             .sort_values(ascending=False, kind="stable").index.tolist())
    if not order:
        raise ParameterError("no balances to plot: the frame has no attributed rows")
    fig = make_subplots(rows=len(order), cols=1, vertical_spacing=0.12 if len(order) > 1 else 0,
                        subplot_titles=[_text(p, lang) for p in order])
    for row, product in enumerate(order, start=1):
        part = (data.loc[data["product"] == product]
                .groupby("region", as_index=False)["balance_minor"].sum()
                .sort_values("balance_minor", ascending=False, kind="stable"))
        vals, hover = _y(part, "balance_minor", cur)
        fig.add_bar(x=_values(part["region"], lang), y=vals, name=_text(product, lang),
                    hovertext=hover, hoverinfo="x+text+name", row=row, col=1)
        fig.update_yaxes(title_text=_axis_title("balance_minor", lang, cur), row=row, col=1)
    fig.update_xaxes(tickangle=-45)
    fig.update_layout(showlegend=False, height=160 + 300 * len(order))
    return _layout(fig, label("balances_by_product_region", lang))


def issued_paid_chart(monthly: pd.DataFrame, *, lang: str = "zh",
                      currency: str | None = None) -> go.Figure:
    """Billed and paid per month as grouped bars (from ``overview.issued_paid_by_month``).

    Examples
    --------
    >>> from creditkit.overview import _example, issued_paid_by_month
    >>> fig = issued_paid_chart(issued_paid_by_month(_example(), as_of="2025-06-30"), lang="zh")
    >>> [t.name for t in fig.data]
    ['出账金额', '回款金额']
    """
    _check(monthly, ["month", "billed_minor", "paid_minor"], lang)
    cur = _currency(monthly, currency)
    data = _only(monthly, cur)
    fig = go.Figure()
    for col in ("billed_minor", "paid_minor"):
        vals, hover = _y(data, col, cur)
        fig.add_bar(x=data["month"], y=vals, name=label(col, lang), hovertext=hover,
                    hoverinfo="x+text+name")
    fig.update_layout(barmode="group", xaxis_title=label("month", lang),
                      yaxis_title=f"{label('amount_minor', lang)} ({cur})")
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    return _layout(fig, label("issued_vs_paid", lang))


def channel_mix_chart(mix: pd.DataFrame, *, lang: str = "zh",
                      currency: str | None = None) -> go.Figure:
    """Share of payments received by channel as a donut (from ``overview.channel_mix``).

    Examples
    --------
    >>> from creditkit.overview import _example, channel_mix
    >>> channel_mix_chart(channel_mix(_example(), as_of="2025-06-30"), lang="zh").data[0].labels
    ('支付宝',)
    """
    _check(mix, ["channel", "amount_minor"], lang)
    cur = _currency(mix, currency)
    data = _only(mix, cur)
    hover = [format_minor(int(v), cur) for v in data["amount_minor"]]
    fig = go.Figure(go.Pie(
        labels=list(_values(data["channel"], lang)), values=data["amount_minor"].tolist(),
        hole=0.45, sort=False, hovertext=hover, hoverinfo="label+text+percent",
        textinfo="label+percent"))
    return _layout(fig, label("channel_mix", lang))
