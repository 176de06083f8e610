"""Figures of repayment tracking: aging summary, trend, roll rates, flow rates, vintage, DSO/CEI.

Each takes a table from :mod:`creditkit.aging` and returns a plotly Figure,
built with the shared helpers of :mod:`creditkit.display.plots` (labels in zh/en,
money in major units for display only). Figures plot aggregates only.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"currency": ["CNY", "CNY"], "bucket": ["current", "1-30"],
...                   "outstanding_minor": [12000, 3000]})
>>> fig = aging_chart(t, lang="en")
>>> list(fig.data[0].x), fig.data[0].y.tolist()
(['Current', '1-30 days'], [120.0, 30.0])
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from creditkit.aging.history import bucket_balances
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = [
    "aging_chart",
    "aging_trend_chart",
    "dso_cei_chart",
    "flow_rate_chart",
    "roll_rate_heatmap",
    "vintage_chart",
]


def _need(df: object, cols: list[str], what: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"{what} needs a DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParameterError(f"{what} needs column(s) {missing}; got {list(df.columns)}")
    return df


def _month(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.strftime("%Y-%m")


def aging_chart(portfolio: pd.DataFrame, *, lang: str = "zh",
                currency: str | None = None) -> go.Figure:
    """Outstanding by bucket, from :func:`creditkit.aging.portfolio_aging`.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``, several currencies without ``currency``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"bucket": ["M0", "M1"], "outstanding_minor": [100, 50]})
    >>> aging_chart(t, lang="zh").layout.title.text
    '账龄汇总'
    """
    _need(portfolio, ["bucket", "outstanding_minor"], "aging_chart")
    df = portfolio.assign(bucket=portfolio["bucket"].astype(str))
    return plots.bar(df, "bucket", "outstanding_minor", lang=lang, currency=currency,
                     title=label("aging_summary", lang))


def aging_trend_chart(history: pd.DataFrame, *, lang: str = "zh",
                      currency: str | None = None) -> go.Figure:
    """Outstanding by bucket at each date of :func:`aging_at_dates`, stacked.

    Bill by bill (the history's bucket columns), so the last bar is the
    :func:`portfolio_aging` summary at that date; a history without those
    columns is shown by account bucket (each customer's worst dpd).

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-02-28"]),
    ...     "currency": ["CNY", "CNY"], "outstanding_minor": [100, 200],
    ...     "bucket": pd.Categorical(["M0", "M1"], categories=["M0", "M1"])})
    >>> [t.name for t in aging_trend_chart(h, lang="en").data]
    ['M0 current', 'M1 (1-30)']
    """
    _need(history, ["as_of", "currency", "bucket", "outstanding_minor"], "aging_trend_chart")
    bal = bucket_balances(history.assign(month=_month(history["as_of"])),
                          by=["month", "currency"])
    df = bal.stack().rename("outstanding_minor").reset_index()
    df.columns = ["month", "currency", "bucket", "outstanding_minor"]
    df["bucket"] = df["bucket"].astype(str)
    return plots.bar(df, "month", "outstanding_minor", color="bucket", barmode="stack",
                     lang=lang, currency=currency, title=label("aging_trend", lang))


def roll_rate_heatmap(matrix: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Heatmap of :func:`creditkit.aging.roll_rate_matrix` (shares of each from-bucket).

    Raises
    ------
    ParameterError
        Empty matrix, unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[0.8, 0.2]], index=["M0"], columns=["M0", "M1"])
    >>> roll_rate_heatmap(m, lang="en").layout.xaxis.title.text
    'To bucket'
    """
    if not isinstance(matrix, pd.DataFrame):
        raise ParameterError(f"roll_rate_heatmap needs a DataFrame, got {type(matrix).__name__}")
    m = matrix.copy()
    m.index = [str(i) for i in m.index]
    m.columns = [str(c) for c in m.columns]
    return plots.heatmap(m, lang=lang, title=label("roll_rate_matrix", lang),
                         x_title=label("to_bucket", lang), y_title=label("from_bucket", lang))


def flow_rate_chart(flows: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Flow rates (迁徙率) over time, one line per step, from :func:`flow_rates`.

    Raises
    ------
    ParameterError
        Not a flow-rate table, unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"M0→M1": [0.1, 0.2]},
    ...                  index=pd.Index(pd.to_datetime(["2025-01-31", "2025-02-28"]), name="as_of"))
    >>> flow_rate_chart(f, lang="en").data[0].name
    'M0→M1'
    """
    if not isinstance(flows, pd.DataFrame) or flows.index.name != "as_of":
        raise ParameterError("flow_rate_chart needs the table of creditkit.aging.flow_rates "
                             "(indexed by as_of)")
    long = flows.reset_index().melt(id_vars="as_of", var_name="flow_rate", value_name="rate")
    long["month"] = _month(long["as_of"])
    # steps keep their order (M0→M1 first) and name buckets by their labels
    # ("Normal→Special mention"), except the short M0…M7 names
    names = {step: step if re.fullmatch(r"M\d+→M\d+", step) else
             "→".join(label(part, lang) for part in step.split("→"))
             for step in flows.columns}
    long["flow_rate"] = pd.Categorical(long["flow_rate"].map(names),
                                       categories=list(dict.fromkeys(names.values())))
    fig = plots.line(long.drop(columns="as_of"), "month", "rate", color="flow_rate", lang=lang,
                     title=label("flow_rate", lang))
    fig.update_yaxes(tickformat=".0%")
    return fig


def vintage_chart(vintages: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Vintage curves: rate by months on book, one line per origination month.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"vintage": ["2025-01"] * 2, "mob": [0.0, 1.0], "rate": [0.0, 0.1]})
    >>> vintage_chart(v, lang="en").layout.xaxis.title.text
    'Months on book'
    """
    _need(vintages, ["vintage", "mob", "rate"], "vintage_chart")
    fig = plots.line(vintages[["vintage", "mob", "rate"]], "mob", "rate", color="vintage",
                     lang=lang, title=label("vintage_curve", lang), markers=False)
    fig.update_yaxes(tickformat=".1%")
    return fig


def dso_cei_chart(metrics: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """DSO, count-back DSO, BPDSO and ADD (days) with CEI on a right-hand axis.

    Takes :func:`creditkit.aging.collection_metrics`.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31"]), "dso": [40.0],
    ...     "count_back_dso": [38.0], "bpdso": [25.0], "add": [15.0], "cei": [0.8]})
    >>> [t.name for t in dso_cei_chart(m, lang="en").data][-1]
    'Collection effectiveness index'
    """
    cols = ["dso", "count_back_dso", "bpdso", "add"]
    _need(metrics, ["as_of", *cols, "cei"], "dso_cei_chart")
    df = metrics.assign(month=_month(metrics["as_of"]))
    fig = plots.line(df[["month", *cols]], "month", cols, lang=lang,
                     title=label("dso_cei_trend", lang))
    fig.update_layout(yaxis_title=label("days", lang))
    plots.second_axis_line(fig, df["month"], df["cei"], name=label("cei", lang),
                           title=label("cei", lang), tickformat=".0%", showgrid=False,
                           line={"dash": "dot"})
    # styled again: the legend placement counts the CEI line, the axis style reaches y2
    return plots.style_figure(fig, label("dso_cei_trend", lang))
