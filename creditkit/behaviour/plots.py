"""Behaviour-score figures (B卡 / C卡): tables of :mod:`creditkit.behaviour` in, plotly out.

The figures a model validator reads about a behaviour or collection card:

- :func:`sample_chart`: rows per observation date by what became of them
  (in the sample, indeterminate, already bad, horizon not observed…), with the
  bad rate of the fitting sample on a second axis (from
  :func:`creditkit.behaviour.development_summary`);
- :func:`performance_chart`: AUC and KS per observation date (from
  :func:`creditkit.behaviour.card_performance`), the out-of-time dates marked;
- :func:`score_shift_chart`: the score distribution of the development dates
  against the recent ones, PSI in the title;
- :func:`customer_history_chart`: one customer's features and score over the dates
  (the figure of :func:`creditkit.behaviour.widgets.customer_history`).

IV bars, ROC curves (the B card beside the application card and the latent-risk
ceiling, the C card beside days past due alone), KS and PSI bands are the
scorecard figures of :mod:`creditkit.scoring.plots`, used as they are. Every
figure plots an aggregate (or one customer), so its size does not grow with the
book; every word comes from :mod:`creditkit.labels` in ``lang``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_date, check_lang
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = [
    "customer_history_chart",
    "performance_chart",
    "sample_chart",
    "score_shift_chart",
]

#: Columns of a development summary that are not counts by reason.
_SUMMARY_FIXED = ("as_of", "n", "n_in_sample", "bads", "bad_rate")


def _dates(s: pd.Series) -> list[str]:
    """Observation dates as ``YYYY-MM-DD`` category labels (one bar per date, no time axis)."""
    return [d.strftime("%Y-%m-%d") for d in pd.to_datetime(s)]


def sample_chart(summary: pd.DataFrame, *, lang: str = "zh",
                 title: str | None = None) -> go.Figure:
    """Rows per observation date stacked by reason, with the bad rate of the fitting sample.

    One stacked bar per date: the customers in the fitting sample (``included``)
    and each reason a customer is left out (indeterminate, already bad, horizon
    not observed…), so every customer known at the date is counted once. The
    line on the second axis is ``bad_rate`` (bads ÷ rows in the sample).

    Parameters
    ----------
    summary : DataFrame
        From :func:`creditkit.behaviour.development_summary`: ``as_of``,
        ``bad_rate`` and one count column per reason (``n``, ``n_in_sample`` and
        ``bads`` are not stacked). Reasons with no row at any date are left out.
    lang : {"zh", "en"}
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        If ``as_of`` or ``bad_rate`` is missing, no reason column is left, or
        ``lang`` is unknown.

    Examples
    --------
    >>> s = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-02-28"]),
    ...                   "n": [10, 12], "n_in_sample": [8, 9], "bads": [1, 2],
    ...                   "bad_rate": [0.125, 2 / 9], "included": [8, 9],
    ...                   "indeterminate": [2, 3], "already_bad": [0, 0]})
    >>> fig = sample_chart(s, lang="en")
    >>> [t.name for t in fig.data]
    ['Included', 'Indeterminate', 'Bad rate']
    >>> fig.data[0].y.tolist(), fig.layout.barmode
    ([8, 9], 'stack')
    """
    plots.check_columns(summary, ["as_of", "bad_rate"], lang)
    reasons = [c for c in summary.columns if c not in _SUMMARY_FIXED
               and pd.api.types.is_integer_dtype(summary[c]) and summary[c].sum() > 0]
    if not reasons:
        raise ParameterError("the summary has no count column by reason; pass "
                             "creditkit.behaviour.development_summary(sample)")
    data = summary.sort_values("as_of", kind="stable")
    x = _dates(data["as_of"])
    fig = go.Figure()
    for reason in reasons:
        fig.add_bar(x=x, y=data[reason].to_numpy(dtype="int64"),
                    name=plots.label_text(reason, lang))
    plots.second_axis_line(fig, x, data["bad_rate"].to_numpy(dtype="float64"),
                           name=label("bad_rate", lang), title=label("bad_rate", lang),
                           tickformat=".0%", showgrid=False)
    fig.update_layout(barmode="stack", xaxis_title=label("as_of", lang),
                      yaxis_title=label("customers", lang), xaxis_type="category")
    return plots.style_figure(fig, title)


def performance_chart(performance: pd.DataFrame, *, oot_from: object = None, lang: str = "zh",
                      title: str | None = None) -> go.Figure:
    """AUC and KS of a card at each observation date, the out-of-time dates shaded.

    A card that holds up out of time keeps its AUC and KS on the dates after
    its fitting dates; a fall there, not seen on the fitting dates, is overfit
    or a changing book.

    Parameters
    ----------
    performance : DataFrame
        From :func:`creditkit.behaviour.card_performance`: ``as_of``, ``auc``,
        ``ks`` (a date without both classes has NaN and shows as a gap); the
        row pooling every date (``as_of`` missing) is left out.
    oot_from : date-like, optional
        The first out-of-time date; the dates from it on are shaded and named.
    lang : {"zh", "en"}
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        If a column is missing or ``lang`` is unknown.

    Examples
    --------
    >>> p = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-02-28", "2025-03-31"]),
    ...                   "auc": [0.81, 0.80, 0.78], "ks": [0.5, 0.48, 0.45]})
    >>> fig = performance_chart(p, oot_from="2025-03-31", lang="en")
    >>> [t.name for t in fig.data], fig.layout.shapes[0].x0, fig.layout.annotations[0].text
    (['AUC', 'KS'], 1.5, 'Out-of-time dates')
    """
    plots.check_columns(performance, ["as_of", "auc", "ks"], lang)
    data = performance[performance["as_of"].notna()].sort_values("as_of", kind="stable")
    x = _dates(data["as_of"])
    fig = go.Figure()
    for col in ("auc", "ks"):
        fig.add_scatter(x=x, y=data[col].to_numpy(dtype="float64"), mode="lines+markers",
                        name=label(col, lang))
    fig.update_layout(xaxis_title=label("as_of", lang), xaxis_type="category",
                      yaxis={"range": [0, 1], "title": label("auc", lang) + " / "
                             + label("ks", lang)})
    if oot_from is not None:
        start = check_date(oot_from, "oot_from")
        later = np.flatnonzero(pd.to_datetime(data["as_of"]).to_numpy() >= start.to_datetime64())
        if later.size:  # category positions: shade from the first out-of-time date to the end
            fig.add_vrect(x0=float(later[0]) - 0.5, x1=len(x) - 0.5, fillcolor="grey", opacity=0.12,
                          line_width=0, annotation_text=label("oot_dates", lang),
                          annotation_position="top left")
    return plots.style_figure(fig, title)


def score_shift_chart(base: Sequence[float] | np.ndarray, recent: Sequence[float] | np.ndarray,
                      *, bands: int = 10, nbins: int = 30, lang: str = "zh",
                      title: str | None = None) -> go.Figure:
    """The score distribution of the development dates beside the recent ones, PSI in the title.

    Each sample is drawn as a share of its own rows, so a book that grew or
    shrank compares fairly. The PSI is
    :func:`creditkit.scoring.stability.psi` of ``base`` (expected) and
    ``recent`` (actual) over ``bands`` equal-count bands of ``base``.

    Parameters
    ----------
    base, recent : array-like of float
        Points of the development dates and of the recent dates.
    bands : int, default 10
        Bands of the PSI.
    nbins : int, default 30
        Histogram bars.
    lang : {"zh", "en"}
    title : str, optional
        Default ``PSI 0.012``.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        For empty scores, non-finite values or an unknown ``lang``.

    Examples
    --------
    >>> fig = score_shift_chart(np.arange(100.0), np.arange(100.0) + 5, bands=5, lang="en")
    >>> [t.name for t in fig.data], fig.layout.title.text.startswith("PSI ")
    (['Development sample', 'Recent dates'], True)
    """
    from creditkit.scoring.stability import psi

    check_lang(lang)
    if not isinstance(nbins, int) or nbins < 1:
        raise ParameterError(f"nbins must be a positive int, got {nbins!r}")
    a = np.asarray(base, dtype="float64")
    b = np.asarray(recent, dtype="float64")
    if a.size == 0 or b.size == 0:
        raise ParameterError("score_shift_chart needs scores in both samples; got "
                             f"{a.size} development and {b.size} recent scores")
    value = psi(a, b, bands=bands)
    fig = go.Figure()
    for name, scores in (("development", a), ("recent", b)):
        fig.add_histogram(x=scores, nbinsx=nbins, histnorm="probability", opacity=0.6,
                          name=label(name, lang))
    fig.update_layout(barmode="overlay", xaxis_title=label("points", lang),
                      yaxis_title=label("share", lang), yaxis_tickformat=".0%")
    return plots.style_figure(fig, title or f"PSI {value:.3f}")


def customer_history_chart(history: pd.DataFrame, *, features: Sequence[str],
                           lang: str = "zh", title: str | None = None) -> go.Figure:
    """One customer's behaviour features and score over the observation dates, one panel each.

    The score (``points``) is the top panel, then one panel per feature, all
    on the same dates, so a fall in the score can be read against what moved.

    Parameters
    ----------
    history : DataFrame
        One row per date of one customer: ``as_of``, ``points`` and the
        ``features`` (as a development sample's rows scored by a card).
    features : sequence of str
        Feature columns to draw (labelled through :mod:`creditkit.labels`).
    lang : {"zh", "en"}
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        If a column is missing, ``features`` is empty or ``lang`` is unknown.

    Examples
    --------
    >>> h = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-02-28"]),
    ...                   "points": [610.0, 580.0], "worst_dpd_3m": [0, 12]})
    >>> fig = customer_history_chart(h, features=["worst_dpd_3m"], lang="en")
    >>> [t.name for t in fig.data]
    ['Points', 'Worst dpd, last 3 months']
    """
    from plotly.subplots import make_subplots

    feats = [features] if isinstance(features, str) else list(features)
    if not feats:
        raise ParameterError("customer_history_chart needs at least one feature, e.g. "
                             "features=['worst_dpd_3m']")
    plots.check_columns(history, ["as_of", "points", *feats], lang)
    data = history.sort_values("as_of", kind="stable")
    x = _dates(data["as_of"])
    cols = ["points", *feats]
    names = [label(c, lang) for c in cols]
    fig = make_subplots(rows=len(cols), cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        subplot_titles=names)
    for i, (col, name) in enumerate(zip(cols, names, strict=True), start=1):
        values, hover = plots.money_values(data, col, plots.pick_currency(data, None))
        fig.add_scatter(x=x, y=pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64"),
                        mode="lines+markers", name=name, hovertext=hover,
                        hoverinfo="x+text+name" if hover else None, row=i, col=1)
    fig.update_xaxes(type="category")
    fig.update_layout(showlegend=False, height=max(320, 170 * len(cols)))
    return plots.style_figure(fig, title)
