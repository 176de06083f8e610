"""Figures of a customer's credit file: the score and the arrears over the snapshot dates.

- :func:`score_chart`: the score at every snapshot, the probability of default on
  a second axis;
- :func:`dpd_chart`: days past due at every snapshot, the past-due amount as bars.

Dates are the snapshot dates (month ends), labels zh/en, money in major units for
display only; every figure passes through :func:`~creditkit.display.plots.style_figure`.

Examples
--------
>>> import pandas as pd
>>> h = pd.DataFrame({"as_of": pd.to_datetime(["2025-05-31", "2025-06-30"]),
...                   "score": [610.0, 590.0], "pd": [0.02, 0.04], "dpd": [0, 31],
...                   "past_due_minor": [0, 12345], "currency": "CNY"})
>>> [t.name for t in score_chart(h, lang="en").data]
['Score', 'Probability of default']
>>> dpd_chart(h, lang="en").data[0].y.tolist()
[0.0, 123.45]
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.display import plots
from creditkit.labels import label

__all__ = ["dpd_chart", "score_chart"]


def _dates(history: pd.DataFrame, needed: list[str], lang: str) -> pd.DataFrame:
    check_lang(lang)
    plots.check_columns(history, ["as_of", *needed], lang)
    return history.sort_values("as_of", kind="stable")


def score_chart(history: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """The score over the snapshot dates, the probability of default on the right axis.

    Parameters
    ----------
    history : DataFrame
        ``as_of``, ``score`` and optionally ``pd`` (a credit file's history).
    lang : {"zh", "en"}

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        A column is missing or ``lang`` is unknown.
    """
    h = _dates(history, ["score"], lang)
    fig = go.Figure()
    fig.add_scatter(x=h["as_of"], y=h["score"], name=label("score", lang), mode="lines+markers")
    if "pd" in h.columns:
        plots.second_axis_line(fig, h["as_of"], h["pd"], name=label("pd", lang),
                               title=label("pd", lang), tickformat=".1%", line={"dash": "dot"})
    fig.update_layout(xaxis_title=label("as_of", lang), yaxis_title=label("score", lang))
    return plots.style_figure(fig, label("creditfile_score_chart", lang))


def dpd_chart(history: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Days past due over the snapshot dates (line), the past-due amount as bars.

    Parameters
    ----------
    history : DataFrame
        ``as_of``, ``dpd``, ``past_due_minor`` and ``currency`` (one currency).
    lang : {"zh", "en"}

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        A column is missing, ``lang`` is unknown or the history mixes currencies.
    """
    h = _dates(history, ["dpd", "past_due_minor"], lang)
    cur = plots.pick_currency(h, None)
    owed = h.assign(past_due_minor=h["past_due_minor"].fillna(0).astype("int64"))
    vals, hover = plots.money_values(owed, "past_due_minor", cur)
    fig = go.Figure()
    fig.add_bar(x=h["as_of"], y=vals, name=label("past_due_minor", lang), hovertext=hover,
                hoverinfo="x+text+name", marker_color="#e9c46a")
    plots.second_axis_line(fig, h["as_of"], h["dpd"], name=label("dpd", lang),
                           title=label("dpd", lang), line={"color": "#e76f51"})
    fig.update_layout(xaxis_title=label("as_of", lang),
                      yaxis_title=plots.axis_title("past_due_minor", lang, cur))
    return plots.style_figure(fig, label("creditfile_dpd_chart", lang))
