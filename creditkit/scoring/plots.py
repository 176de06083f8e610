"""Scorecard figures: tables from :mod:`creditkit.scoring` in, plotly figures out.

Generic shapes come from :mod:`creditkit.display.plots` (bars, lines, histograms); the
figures that need two axes (WoE with bad rate, bands with bad rate) are built
here. Every figure plots an aggregate table, so its size does not grow with
the sample. Labels come from :mod:`creditkit.labels` (``lang`` "zh" / "en").
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_lang, check_target
from creditkit.deprecation import renamed_keywords
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.scoring._order import true_and_score
from creditkit.scoring.binlabels import bin_label
from creditkit.scoring.metrics import auc, ks_table, roc_table

__all__ = [
    "bands_chart",
    "cutoff_chart",
    "iv_chart",
    "ks_chart",
    "psi_chart",
    "roc_chart",
    "score_distribution_chart",
    "woe_chart",
    "woe_charts",
]


def _two_axes(fig: go.Figure, y2_title: str, title: str | None) -> go.Figure:
    fig.update_layout(
        yaxis2={"title": y2_title, "overlaying": "y", "side": "right", "tickformat": ".0%",
                "rangemode": "tozero", "showgrid": False},
        legend={"orientation": "h", "y": -0.2},
    )
    return plots.style_figure(fig, title)


def iv_chart(iv: pd.Series, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Horizontal bars of IV by variable, highest at the top; variables by their labels.

    Examples
    --------
    >>> fig = iv_chart(pd.Series({"age_years": 0.3, "x1": 0.1}), lang="en")
    >>> list(fig.data[0].y), fig.layout.xaxis.title.text
    (['x1', 'Age (years)'], 'IV')
    """
    check_lang(lang)
    if not isinstance(iv, pd.Series):
        raise ParameterError(f"iv must be a Series indexed by variable; got {type(iv).__name__}")
    df = pd.DataFrame({"variable": iv.index.astype(str), "iv": iv.to_numpy(dtype="float64")})
    df = df.sort_values("iv", kind="stable")
    fig = go.Figure()  # a variable without a label is shown by its name
    fig.add_bar(x=df["iv"], y=[label(str(v), lang) for v in df["variable"]], orientation="h",
                name=label("iv", lang))
    fig.update_layout(xaxis_title=label("iv", lang), yaxis_title=label("variable", lang),
                      height=max(300, 22 * len(df) + 120))
    return plots.style_figure(fig, title)


def woe_chart(table: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Bars of a variable's bin shares with its WoE, and bad rate on a second axis.

    ``table`` is ``BinningProcess.table(variable)`` (bin, count, share, goods,
    bads, bad_rate, woe, iv); a "Totals" row is left out. Bins are shown in
    ``lang`` (:func:`creditkit.scoring.binlabels.bin_label`).

    Examples
    --------
    >>> t = pd.DataFrame({"bin": ["(-inf, 30)", "[30, inf)"], "share": [0.4, 0.6],
    ...                   "bad_rate": [0.4, 0.2], "woe": [-0.5, 0.4]})
    >>> [tr.name for tr in woe_chart(t, lang="en").data]
    ['WoE', 'Bad rate']
    """
    check_lang(lang)
    need = ["bin", "bad_rate", "woe"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ParameterError(f"column(s) {missing} not in the bin table; got "
                             f"{list(table.columns)}; pass BinningProcess.table(variable)")
    t = table[table["bin"].astype(str) != "Totals"]
    bins = [bin_label(str(b), lang) for b in t["bin"]]
    fig = go.Figure()
    fig.add_bar(x=bins, y=t["woe"], name=label("woe", lang),
                hovertemplate="%{x}<br>" + label("woe", lang) + " %{y:.3f}<extra></extra>")
    fig.add_scatter(x=bins, y=t["bad_rate"], name=label("bad_rate", lang),
                    yaxis="y2", mode="lines+markers")
    fig.update_layout(xaxis_title=label("bin", lang), yaxis_title=label("woe", lang))
    return _two_axes(fig, label("bad_rate", lang), title)


def woe_charts(binning, *, top: int = 8, lang: str = "zh") -> list[go.Figure]:
    """:func:`woe_chart` of each of the ``top`` variables by IV, strongest first.

    ``binning`` is a fitted ``BinningProcess`` (``iv_`` and ``table(variable)``);
    each figure is titled with its variable's label.

    Raises
    ------
    ParameterError
        If ``top`` is not a positive integer or the binning is not fitted.

    Examples
    --------
    >>> from creditkit.scoring import BinningProcess
    >>> X = pd.DataFrame({"a": np.arange(200.0), "b": np.arange(200.0) % 7})
    >>> bp = BinningProcess().fit(X, (np.arange(200) % 3 == 0) & (X["a"] < 120))
    >>> [f.layout.title.text for f in woe_charts(bp, top=1, lang="en")]
    ['a']
    """
    check_lang(lang)
    if not isinstance(top, int | np.integer) or top < 1:
        raise ParameterError(f"top must be a positive integer; got {top!r}; e.g. top=8")
    if not hasattr(binning, "iv_"):
        raise ParameterError(f"binning must be a fitted BinningProcess; got "
                             f"{type(binning).__name__}; call fit(X, y) first")
    strongest = binning.iv_.sort_values(ascending=False, kind="stable").index[:top]
    return [woe_chart(binning.table(v), lang=lang, title=label(str(v), lang)) for v in strongest]


@renamed_keywords(y="y_true")
def roc_chart(y_true, pd_by_model: Mapping[str, np.ndarray], *, lang: str = "zh",
              title: str | None = None) -> go.Figure:
    """ROC curves of several models' probabilities of bad, AUC in the legend.

    Examples
    --------
    >>> fig = roc_chart([1, 0, 1, 0], {"scorecard": [0.9, 0.2, 0.6, 0.4]}, lang="en")
    >>> fig.data[0].name
    'Scorecard (AUC 1.000)'
    """
    check_lang(lang)
    fig = go.Figure()
    for name, p in pd_by_model.items():
        roc = roc_table(y_true, p, higher_is_bad=True)
        fig.add_scatter(x=roc["fpr"], y=roc["tpr"], mode="lines",
                        name=f"{label(name, lang)} (AUC {auc(y_true, p, higher_is_bad=True):.3f})")
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line={"dash": "dot", "color": "grey"},
                    showlegend=False, hoverinfo="skip")
    fig.update_layout(xaxis_title=label("fpr", lang), yaxis_title=label("tpr", lang))
    return plots.style_figure(fig, title)


@renamed_keywords(y="y_true", points="y_score")
def ks_chart(y_true, y_score, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Cumulative shares of bads and goods by score, the KS marked where they part most.

    Examples
    --------
    >>> fig = ks_chart([1, 0, 1, 0], [500, 600, 550, 650], lang="en")
    >>> [t.name for t in fig.data][:2]
    ['Cumulative bad share', 'Cumulative good share']
    """
    check_lang(lang)
    tab = ks_table(y_true, y_score)
    fig = plots.line(tab, "score", ["cum_bad_share", "cum_good_share"], lang=lang,
                     markers=False)
    top = tab.loc[tab["ks"].idxmax()]
    fig.add_scatter(x=[top["score"], top["score"]],
                    y=[top["cum_good_share"], top["cum_bad_share"]], mode="lines+markers",
                    name=f"KS {top['ks']:.3f}", line={"dash": "dash"})
    fig.update_layout(yaxis_tickformat=".0%", yaxis_title=label("share", lang))
    return plots.style_figure(fig, title)


@renamed_keywords(y="y_true", points="y_score")
def score_distribution_chart(y_true, y_score, *, lang: str = "zh", nbins: int = 30,
                             title: str | None = None) -> go.Figure:
    """Histograms of the scores of goods and bads, each as a share of its class.

    The old order ``(y_score, y_true)`` works for one release with a
    ``FutureWarning`` (the rule of :func:`creditkit.scoring.metrics.score_bands`).

    Examples
    --------
    >>> fig = score_distribution_chart([1, 0, 1, 0], [500, 600, 550, 650], lang="en")
    >>> sorted(t.name for t in fig.data)
    ['Bad', 'Good']
    """
    check_lang(lang)
    y_true, y_score = true_and_score(y_true, y_score, who="score_distribution_chart")
    y_int = check_target(y_true, name="y_true")
    df = pd.DataFrame({"score": np.asarray(y_score, dtype="float64"),
                       "outcome": np.where(y_int == 1, "bad", "good")})
    return plots.histogram(df, "score", color="outcome", lang=lang, nbins=nbins,
                           normalize=True, title=title)


def bands_chart(bands: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Counts per score band with the band's bad rate (from :func:`score_bands`).

    Examples
    --------
    >>> from creditkit.scoring.metrics import score_bands
    >>> fig = bands_chart(score_bands([1, 1, 0, 0], [500, 520, 600, 640], bands=2), lang="en")
    >>> [t.name for t in fig.data]
    ['Count', 'Bad rate']
    """
    check_lang(lang)
    x = [bin_label(str(b), lang) for b in bands["band"]]
    fig = go.Figure()
    fig.add_bar(x=x, y=bands["count"], name=label("count", lang))
    fig.add_scatter(x=x, y=bands["bad_rate"], yaxis="y2", mode="lines+markers",
                    name=label("bad_rate", lang))
    fig.update_layout(xaxis_title=label("band", lang), yaxis_title=label("count", lang))
    return _two_axes(fig, label("bad_rate", lang), title)


def psi_chart(table: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Base against current shares per bin (from :func:`psi_table`), PSI in the title.

    Examples
    --------
    >>> from creditkit.scoring.stability import psi_table
    >>> fig = psi_chart(psi_table([1, 2, 3, 4], [1, 1, 1, 4], bands=[2.5]), lang="en")
    >>> fig.layout.title.text
    'PSI 0.275'
    """
    check_lang(lang)
    table = table.assign(bin=[bin_label(str(b), lang) for b in table["bin"]])
    long = table.melt(id_vars="bin", value_vars=["base_share", "current_share"],
                      var_name="sample", value_name="share")
    fig = plots.bar(long, "bin", "share", color="sample", lang=lang,
                    title=title or f"PSI {table['psi'].sum():.3f}")
    fig.update_layout(yaxis_tickformat=".0%")
    return fig


def cutoff_chart(table: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> go.Figure:
    """Approval rate and bad rate of the approved by cut-off (from :func:`cutoff_table`).

    Examples
    --------
    >>> from creditkit.scoring.metrics import cutoff_table
    >>> t = cutoff_table([1, 0, 1, 0], [500, 550, 600, 650], cutoffs=[500, 600])
    >>> [tr.name for tr in cutoff_chart(t, lang="en").data]
    ['Approval rate', 'Bad rate']
    """
    check_lang(lang)
    fig = plots.line(table, "cutoff", ["approval_rate", "bad_rate"], lang=lang, title=title)
    fig.update_layout(yaxis_tickformat=".0%", yaxis_title="")
    return fig
