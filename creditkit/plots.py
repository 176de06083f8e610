"""Plotly figure builders: DataFrame in, Figure out, labelled in zh or en.

Generic builders (:func:`bar`, :func:`line`, :func:`heatmap`, :func:`histogram`)
take canonical column names and translate axis titles, legend titles and
category values (``alipay`` → 支付宝) through :mod:`creditkit.labels`. Money
columns (ending ``_minor``) are shown in major units (display only: the data
stays integer minor units) with the currency in the axis title and formatted
amounts in the hover text. The overview builders draw the tables of
:mod:`creditkit.overview`.

Category values and trace names are HTML-escaped: plotly reads ``<b>`` or
``<a href>`` in text as markup, so a region called ``<b>x</b>`` would otherwise
turn bold (plotly turns the entities back into the literal characters).
Figures plot aggregates, so a report's size does not grow with the portfolio.

Examples
--------
>>> import pandas as pd
>>> fig = bar(pd.DataFrame({"channel": ["alipay", "cash"], "count": [3, 1]}),
...           "channel", "count", lang="en")
>>> list(fig.data[0].x), fig.layout.xaxis.title.text
(['Alipay', 'Cash'], 'Channel')
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from creditkit.exceptions import ParameterError
from creditkit.labels import LANGS, label
from creditkit.money import format_minor, minor_unit_exponent

__all__ = [
    "balances_chart",
    "bar",
    "channel_mix_chart",
    "heatmap",
    "histogram",
    "issued_paid_chart",
    "line",
]

_FONT = ("Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, "
         "Helvetica Neue, Arial, sans-serif")


def _check(df: pd.DataFrame, cols: Sequence[str | None], lang: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"expected a DataFrame, got {type(df).__name__}")
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {LANGS}, got {lang!r}")
    missing = [c for c in cols if c is not None and c not in df.columns]
    if missing:
        raise ParameterError(f"column(s) {missing} not in the frame; got {list(df.columns)}")


def _currency(df: pd.DataFrame, currency: str | None) -> str:
    if "currency" not in df.columns:
        return currency or "CNY"
    present = sorted(df["currency"].dropna().astype("str").unique())
    if currency is None:
        if len(present) > 1:
            raise ParameterError(
                f"the frame mixes currencies {present}; pass currency= to plot one, or "
                "convert first with creditkit.money.FXTable")
        return present[0] if present else "CNY"
    return currency


def _only(df: pd.DataFrame, currency: str) -> pd.DataFrame:
    return df.loc[df["currency"] == currency] if "currency" in df.columns else df


def _text(value: object, lang: str) -> str:
    """The label of a value, escaped: plotly reads <b>, <a href> in text as markup."""
    return html.escape(label(str(value), lang), quote=False)


def _values(s: pd.Series, lang: str) -> pd.Series:
    """Translate label keys in a category column (unknown values stay as they are), escaped."""
    if pd.api.types.is_datetime64_any_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s
    return s.map(lambda v: _text(v, lang) if isinstance(v, str) else v)


def _axis_title(col: str, lang: str, currency: str) -> str:
    name = label(col, lang)
    return f"{name} ({currency})" if col.endswith("_minor") else name


def _y(df: pd.DataFrame, col: str, currency: str) -> tuple[pd.Series, list[str] | None]:
    """Plotted values and hover texts: money in major units for display only."""
    s = df[col]
    if col.endswith("_minor"):
        exp = minor_unit_exponent(currency)
        hover = [format_minor(int(v), currency, symbol=True) for v in s]
        return s.astype("float64") / 10**exp, hover
    return s, None


def _layout(fig: go.Figure, title: str | None) -> go.Figure:
    fig.update_layout(
        title=title, template="plotly_white", font={"family": _FONT},
        margin={"l": 60, "r": 20, "t": 60 if title else 20, "b": 50}, hovermode="closest",
    )
    return fig


def bar(
    df: pd.DataFrame, x: str, y: str, *, color: str | None = None, lang: str = "zh",
    title: str | None = None, currency: str | None = None, barmode: str = "group",
    horizontal: bool = False,
) -> go.Figure:
    """Bars of ``y`` by category ``x``, one colour per value of ``color``.

    Parameters
    ----------
    df : DataFrame
        An aggregate table (one row per bar).
    x, y : str
        Category and value columns; a ``*_minor`` value is plotted as money.
    color : str, optional
        Column splitting bars into traces (stacked with ``barmode="stack"``).
    lang : {"zh", "en"}
        Language of titles and category labels.
    title : str, optional
        Figure title (already in the right language, e.g. from ``label``).
    currency : str, optional
        Which currency to plot when ``df`` has several.
    barmode : {"group", "stack", "relative"}
    horizontal : bool
        Categories on the y axis (long category names read better).

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        For missing columns, an unknown ``lang``/``barmode`` or mixed currencies.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["A", "A"], "product": ["bnpl", "b2b"],
    ...                    "balance_minor": [12345, 100]})
    >>> fig = bar(df, "region", "balance_minor", color="product", lang="zh")
    >>> [t.name for t in fig.data], fig.data[0].y.tolist()
    (['消费分期', '企业赊销'], [123.45])
    """
    _check(df, [x, y, color], lang)
    if barmode not in ("group", "stack", "relative"):
        raise ParameterError(f"barmode must be 'group', 'stack' or 'relative', got {barmode!r}")
    cur = _currency(df, currency)
    data = _only(df, cur)
    groups = [(None, data)] if color is None else list(data.groupby(color, sort=False))
    fig = go.Figure()
    for key, part in groups:
        vals, hover = _y(part, y, cur)
        cats = _values(part[x], lang)
        fig.add_bar(
            x=vals if horizontal else cats, y=cats if horizontal else vals,
            orientation="h" if horizontal else "v",
            name=_text(key, lang) if key is not None else label(y, lang),
            hovertext=hover, hoverinfo="text+name" if hover else None,
        )
    xt, yt = label(x, lang), _axis_title(y, lang, cur)
    fig.update_layout(barmode=barmode, showlegend=color is not None,
                      xaxis_title=yt if horizontal else xt, yaxis_title=xt if horizontal else yt)
    if color is not None:
        fig.update_layout(legend_title_text=label(color, lang))
    return _layout(fig, title)


def line(
    df: pd.DataFrame, x: str, y: str | Sequence[str], *, color: str | None = None,
    lang: str = "zh", title: str | None = None, currency: str | None = None,
    markers: bool = True,
) -> go.Figure:
    """Lines of one or more ``y`` columns over ``x`` (months, dates, months on book).

    With several ``y`` columns each becomes a line (e.g. billed and paid); with
    ``color`` the frame is split into one line per value of that column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
    ...                    "billed_minor": [100, 200], "paid_minor": [50, 150]})
    >>> [t.name for t in line(df, "month", ["billed_minor", "paid_minor"], lang="en").data]
    ['Billed', 'Paid']
    """
    ys = [y] if isinstance(y, str) else list(y)
    if not ys:
        raise ParameterError("line needs at least one y column")
    if color is not None and len(ys) > 1:
        raise ParameterError("pass either several y columns or color=, not both")
    _check(df, [x, *ys, color], lang)
    cur = _currency(df, currency)
    data = _only(df, cur).sort_values(x, kind="stable")
    fig = go.Figure()
    mode = "lines+markers" if markers else "lines"
    if color is None:
        for col in ys:
            vals, hover = _y(data, col, cur)
            fig.add_scatter(x=_values(data[x], lang), y=vals, name=label(col, lang), mode=mode,
                            hovertext=hover, hoverinfo="x+text+name" if hover else None)
    else:
        for key, part in data.groupby(color, sort=True):
            vals, hover = _y(part, ys[0], cur)
            fig.add_scatter(x=_values(part[x], lang), y=vals, name=_text(key, lang),
                            mode=mode, hovertext=hover,
                            hoverinfo="x+text+name" if hover else None)
        fig.update_layout(legend_title_text=label(color, lang))
    ytitle = _axis_title(ys[0], lang, cur) if len(ys) == 1 else (
        f"{label('amount_minor', lang)} ({cur})" if all(c.endswith("_minor") for c in ys) else "")
    fig.update_layout(xaxis_title=label(x, lang), yaxis_title=ytitle)
    return _layout(fig, title)


def heatmap(
    matrix: pd.DataFrame, *, lang: str = "zh", title: str | None = None,
    value_format: str = ".1%", colorscale: str = "Blues", x_title: str | None = None,
    y_title: str | None = None,
) -> go.Figure:
    """A labelled heatmap of a matrix (roll rates, migration, correlation).

    Index and columns are translated through the label table; every cell shows
    its value formatted with ``value_format`` (a Python format spec).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[0.9, 0.1], [0.3, 0.7]], index=["current", "M1"],
    ...                  columns=["current", "M1"])
    >>> [list(r) for r in heatmap(m, lang="en").data[0].text]
    [['90.0%', '10.0%'], ['30.0%', '70.0%']]
    """
    _check(matrix, [], lang)
    if matrix.empty:
        raise ParameterError("heatmap needs a non-empty matrix")
    try:
        text = [[format(v, value_format) if pd.notna(v) else "" for v in row]
                for row in matrix.to_numpy()]
    except (ValueError, TypeError):
        raise ParameterError(f"value_format {value_format!r} cannot format the matrix values; "
                             "use a format spec such as '.1%' or ',.0f'") from None
    xs = [_text(c, lang) for c in matrix.columns]
    ys = [_text(i, lang) for i in matrix.index]
    fig = go.Figure(go.Heatmap(z=matrix.to_numpy(dtype="float64"), x=xs, y=ys, text=text,
                               texttemplate="%{text}", colorscale=colorscale,
                               hovertemplate="%{y} → %{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title)
    return _layout(fig, title)


def histogram(
    df: pd.DataFrame, x: str, *, color: str | None = None, lang: str = "zh",
    title: str | None = None, nbins: int = 30, normalize: bool = False,
) -> go.Figure:
    """Histogram of ``x``, overlaid by class ``color`` (e.g. scores of goods and bads).

    ``normalize=True`` shows each class as a share of its own count, so classes
    of very different sizes can be compared.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"dpd": [0, 5, 40, 90], "kind": ["consumer"] * 2 + ["business"] * 2})
    >>> sorted(t.name for t in histogram(df, "dpd", color="kind", lang="en").data)
    ['Business', 'Consumer']
    """
    _check(df, [x, color], lang)
    if not isinstance(nbins, int) or nbins < 1:
        raise ParameterError(f"nbins must be a positive int, got {nbins!r}")
    norm = "probability" if normalize else None
    fig = go.Figure()
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=True))
    for key, part in groups:
        fig.add_histogram(x=part[x], nbinsx=nbins, histnorm=norm,
                          name=_text(key, lang) if key is not None else label(x, lang),
                          opacity=0.65 if color is not None else 1.0)
    fig.update_layout(barmode="overlay", showlegend=color is not None,
                      xaxis_title=label(x, lang),
                      yaxis_title=label("share" if normalize else "count", lang))
    if color is not None:
        fig.update_layout(legend_title_text=label(color, lang))
    return _layout(fig, title)


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
