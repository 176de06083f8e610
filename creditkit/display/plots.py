"""Generic plotly builders: DataFrame in, Figure out, labelled in zh or en.

:func:`bar`, :func:`line`, :func:`heatmap` and :func:`histogram` take canonical
column names and translate axis titles, legend titles and category values
(``alipay`` → 支付宝) through :mod:`creditkit.labels`. Money columns (ending
``_minor``) are shown in major units (display only: the data stays integer minor
units) with the currency in the axis title and formatted amounts in the hover text.

The helpers below them (:func:`check_columns`, :func:`pick_currency`,
:func:`label_text`, :func:`money_values`, :func:`style_figure`…) are what each
concept's own ``plots`` module builds on, so every chart of the package is
labelled, escaped and styled the same way.

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

import datetime
import html
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor, minor_unit_exponent

__all__ = [
    "AXIS_STYLE",
    "FONT",
    "LEGEND_ABOVE",
    "LEGEND_RIGHT",
    "LEGEND_ROW_MAX",
    "axis_title",
    "bar",
    "check_columns",
    "heatmap",
    "histogram",
    "label_text",
    "label_values",
    "line",
    "money_values",
    "only_currency",
    "pick_currency",
    "second_axis_line",
    "style_figure",
]

#: Font stack of every figure: CJK fonts first, so Chinese labels never fall back to boxes.
FONT = ("Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, "
        "Helvetica Neue, Arial, sans-serif")


# --- helpers every concept's plots build on -------------------------------------------------

def check_columns(df: pd.DataFrame, cols: Sequence[str | None], lang: str) -> None:
    """Refuse a non-DataFrame, an unknown ``lang`` or missing columns (``None`` entries skipped).

    Examples
    --------
    >>> import pandas as pd
    >>> check_columns(pd.DataFrame({"a": [1]}), ["a", None], "en")
    >>> check_columns(pd.DataFrame({"a": [1]}), ["b"], "en")
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: column(s) ['b'] not in the frame; got ['a']
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"expected a DataFrame, got {type(df).__name__}")
    check_lang(lang)
    missing = [c for c in cols if c is not None and c not in df.columns]
    if missing:
        raise ParameterError(f"column(s) {missing} not in the frame; got {list(df.columns)}")


def pick_currency(df: pd.DataFrame, currency: str | None) -> str:
    """The currency to plot: ``currency``, else the frame's only one (CNY without a column).

    Raises ``ParameterError`` when the frame mixes currencies and none was chosen.

    Examples
    --------
    >>> import pandas as pd
    >>> pick_currency(pd.DataFrame({"currency": ["USD"]}), None)
    'USD'
    >>> pick_currency(pd.DataFrame({"amount_minor": [1]}), None)
    'CNY'
    """
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


def only_currency(df: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The rows of ``df`` in ``currency`` (all rows when there is no ``currency`` column).

    Examples
    --------
    >>> import pandas as pd
    >>> len(only_currency(pd.DataFrame({"currency": ["CNY", "USD"]}), "USD"))
    1
    """
    return df.loc[df["currency"] == currency] if "currency" in df.columns else df


def label_text(value: object, lang: str) -> str:
    """The label of a value, escaped: plotly reads <b>, <a href> in text as markup.

    Examples
    --------
    >>> label_text("alipay", "zh"), label_text("<b>x</b>", "en")
    ('支付宝', '&lt;b&gt;x&lt;/b&gt;')
    """
    return html.escape(label(str(value), lang), quote=False)


def label_values(s: pd.Series, lang: str) -> pd.Series:
    """Translate label keys in a category column (unknown values stay as they are), escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> label_values(pd.Series(["cash", "R&D"]), "en").tolist()
    ['Cash', 'R&amp;D']
    """
    if pd.api.types.is_datetime64_any_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s
    return s.map(lambda v: label_text(v, lang) if isinstance(v, str) else v)


def axis_title(col: str, lang: str, currency: str) -> str:
    """The axis title of a column: its label, with the currency for a ``*_minor`` column.

    Examples
    --------
    >>> axis_title("amount_minor", "en", "USD"), axis_title("dpd", "en", "USD")
    ('Amount (USD)', 'Days past due')
    """
    name = label(col, lang)
    return f"{name} ({currency})" if col.endswith("_minor") else name


def money_values(df: pd.DataFrame, col: str,
                 currency: str) -> tuple[pd.Series, list[str] | None]:
    """Plotted values and hover texts: money in major units for display only.

    Examples
    --------
    >>> import pandas as pd
    >>> vals, hover = money_values(pd.DataFrame({"amount_minor": [12345]}), "amount_minor", "CNY")
    >>> vals.tolist(), hover
    ([123.45], ['¥123.45'])
    """
    s = df[col]
    if col.endswith("_minor"):
        exp = minor_unit_exponent(currency)
        hover = [format_minor(int(v), currency, symbol=True) for v in s]
        return s.astype("float64") / 10**exp, hover
    return s, None


#: At most this many legend entries sit in one row above the plot; more go to the right.
LEGEND_ROW_MAX = 6
#: Legend placements of :func:`style_figure`: never below the plot, where it would sit
#: between the x axis and its title or tick labels.
LEGEND_ABOVE = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}
LEGEND_RIGHT = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"}
#: Every numeric axis: plotly's round steps, written out in full (12,000,000, never
#: 12M: SI letters are English in a Chinese report) with thousands separators.
AXIS_STYLE = {"exponentformat": "none", "separatethousands": True, "automargin": True}


def _legend_entries(fig: go.Figure) -> int:
    if isinstance(fig.layout.showlegend, bool) and not fig.layout.showlegend:
        return 0
    pies = [t for t in fig.data if t.type == "pie"]
    if pies:
        return sum(len(t.labels or ()) for t in pies)
    return sum(1 for t in fig.data if t.showlegend is not False and t.type not in (
        "heatmap", "histogram2d", "contour"))


#: A text category that plotly would read as a date ("2025-01" → "Jan 2025", in English).
_DATE_TEXT = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def _axis_values(fig: go.Figure) -> dict[str, list]:
    """The values each axis carries, by layout name (``xaxis``, ``yaxis2``...)."""
    out: dict[str, list] = {}
    for trace in fig.data:
        for letter in ("x", "y"):
            ref = getattr(trace, f"{letter}axis", None) if hasattr(trace, f"{letter}axis") else None
            values = getattr(trace, letter, None) if hasattr(trace, letter) else None
            if values is None or len(values) == 0:
                continue
            name = f"{letter}axis{(ref or letter)[1:]}"
            out.setdefault(name, []).extend(list(values[:50]))
    return out


def _language_neutral_dates(fig: go.Figure) -> None:
    """No month names: plotly writes date ticks in English (Jan 2025) whatever the report's
    language. Month texts ("2025-01") stay categories; real dates get ``%Y-%m`` ticks."""
    for name, values in _axis_values(fig).items():
        axis = fig.layout[name]
        if axis.type is not None:
            continue
        if all(isinstance(v, str) and _DATE_TEXT.fullmatch(v) for v in values):
            axis.type = "category"
        elif all(isinstance(v, (pd.Timestamp, np.datetime64, datetime.date)) for v in values):
            days = pd.to_datetime(pd.Series(values))
            fmt = "%Y-%m" if bool((days.dt.day == 1).all()) else "%Y-%m-%d"
            if axis.tickformat is None:
                axis.tickformat = fmt
            if axis.hoverformat is None:
                axis.hoverformat = "%Y-%m-%d"


def second_axis_line(fig: go.Figure, x: object, y: object, *, name: str, title: str,
                     tickformat: str | None = None, axis_range: list[float] | None = None,
                     showgrid: bool | None = None, line: dict | None = None) -> go.Figure:
    """Add a line on a second y axis at the right: the two-axis chart of a history.

    The chart shape every concept shares for a measure over dates beside a
    rate or a count on another scale (a score and its PD, past-due money and
    days past due, rows and the bad rate). The right axis starts at zero
    unless ``axis_range`` fixes it; ``fig`` is returned, not yet styled.

    Examples
    --------
    >>> fig = go.Figure(go.Bar(x=["2025-01"], y=[3], name="rows"))
    >>> fig = second_axis_line(fig, ["2025-01"], [0.25], name="bad", title="bad", tickformat=".0%")
    >>> fig.data[1].yaxis, fig.layout.yaxis2.side, fig.layout.yaxis2.tickformat
    ('y2', 'right', '.0%')
    """
    fig.add_scatter(x=x, y=y, name=name, mode="lines+markers", yaxis="y2",
                    **({} if line is None else {"line": line}))
    axis: dict[str, object] = {"title": title, "overlaying": "y", "side": "right"}
    if tickformat is not None:
        axis["tickformat"] = tickformat
    if axis_range is None:
        axis["rangemode"] = "tozero"
    else:
        axis["range"] = axis_range
    if showgrid is not None:
        axis["showgrid"] = showgrid
    fig.update_layout(yaxis2=axis)
    return fig


def style_figure(fig: go.Figure, title: str | None) -> go.Figure:
    """The package's look: white template, CJK-first font, legend placement, round ticks.

    Every chart of creditkit passes through here, so it is the one place the
    look is set: the legend goes in one row above the plot area
    (:data:`LEGEND_ABOVE`, up to :data:`LEGEND_ROW_MAX` entries) or on the
    right (:data:`LEGEND_RIGHT`), never between an axis and its labels; the
    title sits above the legend; numeric axes use plotly's round steps
    written in full (:data:`AXIS_STYLE`), and an axis whose ``tickformat``
    the builder set (``.0%``, ``%Y-%m``) keeps it; dates never show month
    names (plotly writes them in English): month texts such as ``"2025-01"``
    stay categories, dates get ``%Y-%m`` ticks. ``fig`` is returned.

    Examples
    --------
    >>> fig = style_figure(go.Figure(go.Bar(x=[1], y=[2], name="a")), "T")
    >>> fig.layout.title.text, fig.layout.legend.orientation, fig.layout.yaxis.exponentformat
    ('T', 'h', 'none')
    """
    entries = _legend_entries(fig)
    above = 0 < entries <= LEGEND_ROW_MAX
    top = (40 if title else 10) + (40 if above else 0) + 10
    fig.update_layout(
        template="plotly_white", font={"family": FONT},
        margin={"l": 60, "r": 20, "t": top, "b": 50}, hovermode="closest",
        legend=LEGEND_ABOVE if above else LEGEND_RIGHT,
    )
    if title is None:
        fig.update_layout(title=None)
    else:
        fig.update_layout(title={"text": title, "x": 0, "xanchor": "left", "y": 1,
                                 "yanchor": "top", "yref": "container",
                                 "pad": {"t": 12, "l": 8}})
    fig.update_xaxes(**AXIS_STYLE)
    fig.update_yaxes(**AXIS_STYLE)
    _language_neutral_dates(fig)
    return fig


# --- generic builders -----------------------------------------------------------------------

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
    check_columns(df, [x, y, color], lang)
    if barmode not in ("group", "stack", "relative"):
        raise ParameterError(f"barmode must be 'group', 'stack' or 'relative', got {barmode!r}")
    cur = pick_currency(df, currency)
    data = only_currency(df, cur)
    groups = [(None, data)] if color is None else list(data.groupby(color, sort=False))
    fig = go.Figure()
    for key, part in groups:
        vals, hover = money_values(part, y, cur)
        cats = label_values(part[x], lang)
        fig.add_bar(
            x=vals if horizontal else cats, y=cats if horizontal else vals,
            orientation="h" if horizontal else "v",
            name=label_text(key, lang) if key is not None else label(y, lang),
            hovertext=hover, hoverinfo="text+name" if hover else None,
        )
    xt, yt = label(x, lang), axis_title(y, lang, cur)
    fig.update_layout(barmode=barmode, showlegend=color is not None,
                      xaxis_title=yt if horizontal else xt, yaxis_title=xt if horizontal else yt)
    if color is not None:
        fig.update_layout(legend_title_text=label(color, lang))
    return style_figure(fig, title)


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
    ['Billed', 'Cash received']
    """
    ys = [y] if isinstance(y, str) else list(y)
    if not ys:
        raise ParameterError("line needs at least one y column")
    if color is not None and len(ys) > 1:
        raise ParameterError("pass either several y columns or color=, not both")
    check_columns(df, [x, *ys, color], lang)
    cur = pick_currency(df, currency)
    data = only_currency(df, cur).sort_values(x, kind="stable")
    fig = go.Figure()
    mode = "lines+markers" if markers else "lines"
    if color is None:
        for col in ys:
            vals, hover = money_values(data, col, cur)
            fig.add_scatter(x=label_values(data[x], lang), y=vals, name=label(col, lang), mode=mode,
                            hovertext=hover, hoverinfo="x+text+name" if hover else None)
    else:
        for key, part in data.groupby(color, sort=True):
            vals, hover = money_values(part, ys[0], cur)
            fig.add_scatter(x=label_values(part[x], lang), y=vals, name=label_text(key, lang),
                            mode=mode, hovertext=hover,
                            hoverinfo="x+text+name" if hover else None)
        fig.update_layout(legend_title_text=label(color, lang))
    ytitle = axis_title(ys[0], lang, cur) if len(ys) == 1 else (
        f"{label('amount_minor', lang)} ({cur})" if all(c.endswith("_minor") for c in ys) else "")
    fig.update_layout(xaxis_title=label(x, lang), yaxis_title=ytitle)
    return style_figure(fig, title)


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
    check_columns(matrix, [], lang)
    if matrix.empty:
        raise ParameterError("heatmap needs a non-empty matrix")
    try:
        text = [[format(v, value_format) if pd.notna(v) else "" for v in row]
                for row in matrix.to_numpy()]
    except (ValueError, TypeError):
        raise ParameterError(f"value_format {value_format!r} cannot format the matrix values; "
                             "use a format spec such as '.1%' or ',.0f'") from None
    xs = [label_text(c, lang) for c in matrix.columns]
    ys = [label_text(i, lang) for i in matrix.index]
    fig = go.Figure(go.Heatmap(z=matrix.to_numpy(dtype="float64"), x=xs, y=ys, text=text,
                               texttemplate="%{text}", colorscale=colorscale,
                               hovertemplate="%{y} → %{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title)
    return style_figure(fig, title)


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
    check_columns(df, [x, color], lang)
    if not isinstance(nbins, int) or nbins < 1:
        raise ParameterError(f"nbins must be a positive int, got {nbins!r}")
    norm = "probability" if normalize else None
    fig = go.Figure()
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=True))
    for key, part in groups:
        fig.add_histogram(x=part[x], nbinsx=nbins, histnorm=norm,
                          name=label_text(key, lang) if key is not None else label(x, lang),
                          opacity=0.65 if color is not None else 1.0)
    fig.update_layout(barmode="overlay", showlegend=color is not None,
                      xaxis_title=label(x, lang),
                      yaxis_title=label("share" if normalize else "count", lang))
    if color is not None:
        fig.update_layout(legend_title_text=label(color, lang))
    return style_figure(fig, title)
