"""Figures of early warning (风险预警): today's alerts, the backtest, a threshold sweep.

- :func:`severity_chart`: alerts raised today and open, per severity (from
  :meth:`creditkit.alerts.AlertRun.summary`);
- :func:`alert_rule_chart`: open alerts per rule, coloured by severity (from
  ``AlertRun.open``);
- :func:`backtest_chart`: precision and recall per rule and for the set, the
  median lead time in the hover (from ``AlertBacktest.table``);
- :func:`lead_time_chart`: median lead time per rule with its quartiles;
- :func:`sweep_chart`: alerts per 1,000 customers against recall and
  precision as one threshold moves (from :meth:`AlertBacktest.sweep`).

Every figure plots an aggregate; every word comes from :mod:`creditkit.labels`
in ``lang`` (rules by their description in that language); each goes
through :func:`creditkit.display.plots.style_figure`.

Examples
--------
>>> s = pd.DataFrame({"severity": ["info", "low", "medium", "high", "critical"],
...                   "new": [1, 0, 2, 3, 0], "open": [2, 1, 2, 5, 0]})
>>> fig = severity_chart(s, lang="en")
>>> list(fig.data[0].x), fig.data[0].y.tolist()
(['Info', 'Low', 'Medium', 'High', 'Critical'], [1, 0, 2, 3, 0])
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from creditkit.alerts.rules import SEVERITIES
from creditkit.checks import check_lang
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["SEVERITY_COLOURS", "alert_rule_chart", "backtest_chart", "lead_time_chart",
           "severity_chart", "severity_text", "sweep_chart"]

#: One colour per severity, least urgent first.
SEVERITY_COLOURS: dict[str, str] = {"info": "#90a4ae", "low": "#1f77b4", "medium": "#f9a825",
                                    "high": "#ef6c00", "critical": "#c62828"}


def severity_text(severity: str, lang: str = "zh") -> str:
    """A severity in the report language.

    Examples
    --------
    >>> severity_text("critical", "zh"), severity_text("low", "en")
    ('紧急', 'Low')
    """
    check_lang(lang)
    if severity not in SEVERITIES:
        raise ParameterError(f"unknown severity {severity!r}; severities are {list(SEVERITIES)}")
    return label(f"severity_{severity}", lang)


def _frame(df: object, cols: Sequence[str], what: str, source: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"{what} needs a DataFrame from {source}, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParameterError(f"{what} needs column(s) {missing}, as {source} returns; got "
                             f"{list(df.columns)}")
    return df


def _rule_names(table: pd.DataFrame, lang: str) -> list[str]:
    """Each rule by its description in ``lang`` when the table has it, else its id."""
    col = "description" if "description" in table.columns else None
    out = []
    for i, rid in enumerate(table["rule_id"].astype(str)):
        if rid == "all":
            out.append(label("alert_rule_set", lang))
        elif col is not None and isinstance(table[col].iloc[i], str) and table[col].iloc[i]:
            out.append(html.escape(table[col].iloc[i], quote=False))
        else:
            out.append(html.escape(rid, quote=False))
    return out


def severity_chart(summary: pd.DataFrame, *, lang: str = "zh",
                   title: str | None = None) -> go.Figure:
    """Alerts raised today and alerts open, per severity (every severity shown).

    Parameters
    ----------
    summary : DataFrame
        From :meth:`creditkit.alerts.AlertRun.summary`: ``severity``, ``new``,
        ``open``.
    lang : {"zh", "en"}
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar traces (new, open), severities least urgent first, each bar
        in its severity's colour.

    Raises
    ------
    ParameterError
        Missing columns, an unknown severity or ``lang``.
    """
    _frame(summary, ["severity", "new", "open"], "severity_chart", "AlertRun.summary()")
    check_lang(lang)
    s = summary.set_index("severity").reindex(list(SEVERITIES)).fillna(0)
    names = [severity_text(v, lang) for v in SEVERITIES]
    colours = [SEVERITY_COLOURS[v] for v in SEVERITIES]
    fig = go.Figure()
    fig.add_bar(x=names, y=s["new"].to_numpy(dtype=np.int64), name=label("alert_new", lang),
                marker={"color": colours})
    fig.add_bar(x=names, y=s["open"].to_numpy(dtype=np.int64), name=label("alert_open", lang),
                marker={"color": colours, "opacity": 0.45})
    fig.update_layout(barmode="group", xaxis_title=label("severity", lang),
                      yaxis_title=label("n_alerts", lang))
    return plots.style_figure(fig, title)


def alert_rule_chart(alerts: pd.DataFrame, *, lang: str = "zh",
                     title: str | None = None) -> go.Figure:
    """Alerts per rule (horizontal bars), one trace per severity, most alerts on top.

    Parameters
    ----------
    alerts : DataFrame
        ``AlertRun.open`` or ``AlertRun.alerts``: ``rule_id``, ``severity``
        and ``description`` (in the run's language).

    Examples
    --------
    >>> a = pd.DataFrame({"rule_id": ["dpd", "dpd", "jump"], "severity": ["high", "high", "low"],
    ...                   "description": ["逾期", "逾期", "额度跳升"]})
    >>> fig = alert_rule_chart(a, lang="zh")
    >>> [(t.name, list(t.y), list(t.x)) for t in fig.data]
    [('低', ['额度跳升'], [1]), ('高', ['逾期'], [2])]
    """
    _frame(alerts, ["rule_id", "severity"], "alert_rule_chart", "AlertRun.open")
    check_lang(lang)
    per = alerts.groupby(["rule_id", "severity"], sort=False, observed=True).size() \
        .rename("n").reset_index()
    if "description" in alerts.columns:
        desc = alerts.drop_duplicates("rule_id").set_index("rule_id")["description"]
        per["description"] = desc.reindex(per["rule_id"]).to_numpy()
    per = per.sort_values("n", kind="stable")
    per["name"] = _rule_names(per, lang)
    fig = go.Figure()
    for sev in SEVERITIES:
        part = per[per["severity"] == sev]
        if len(part):
            fig.add_bar(y=part["name"].tolist(), x=part["n"].tolist(), orientation="h",
                        name=severity_text(sev, lang), marker={"color": SEVERITY_COLOURS[sev]})
    fig.update_layout(barmode="stack", xaxis_title=label("n_alerts", lang),
                      yaxis_title=label("rule_id", lang), legend_title_text=label("severity", lang))
    return plots.style_figure(fig, title)


def backtest_chart(table: pd.DataFrame, *, lang: str = "zh",
                   title: str | None = None) -> go.Figure:
    """Precision and recall of each rule and of the set (horizontal bars, the set on top).

    Parameters
    ----------
    table : DataFrame
        ``AlertBacktest.table`` or :meth:`AlertBacktest.report` rows:
        ``rule_id``, ``precision``, ``recall``, ``lead_days_median``,
        ``alerts_per_1000`` and optionally ``description``.

    Examples
    --------
    >>> t = pd.DataFrame({"rule_id": ["dpd", "all"], "precision": [0.5, 0.4],
    ...     "recall": [0.6, 0.8], "lead_days_median": [20.0, 25.0],
    ...     "alerts_per_1000": [10.0, 15.0]})
    >>> fig = backtest_chart(t, lang="en")
    >>> [t.name for t in fig.data], list(fig.data[0].y)
    (['Precision', 'Recall'], ['dpd', 'All rules'])
    """
    cols = ["rule_id", "precision", "recall", "lead_days_median", "alerts_per_1000"]
    _frame(table, cols, "backtest_chart", "AlertBacktest.table")
    check_lang(lang)
    names = _rule_names(table, lang)
    hover = [f"{label('lead_days_median', lang)}: "
             f"{'—' if pd.isna(ld) else f'{ld:.0f}'}<br>{label('alerts_per_1000', lang)}: "
             f"{v:.1f}" for ld, v in zip(table["lead_days_median"], table["alerts_per_1000"],
                                        strict=True)]
    fig = go.Figure()
    for col, colour in (("precision", "#1f77b4"), ("recall", "#2e7d32")):
        fig.add_bar(y=names, x=table[col].fillna(0).to_numpy(dtype=float), orientation="h",
                    name=label(col, lang), marker={"color": colour}, hovertext=hover,
                    hoverinfo="x+text+name")
    fig.update_layout(barmode="group", xaxis={"tickformat": ".0%", "range": [0, 1]},
                      yaxis={"autorange": "reversed"}, yaxis_title=label("rule_id", lang))
    return plots.style_figure(fig, title)


def lead_time_chart(table: pd.DataFrame, *, lang: str = "zh",
                    title: str | None = None) -> go.Figure:
    """Median lead time (days of warning before the event) per rule, quartiles as error bars.

    Examples
    --------
    >>> t = pd.DataFrame({"rule_id": ["dpd"], "lead_days_median": [20.0],
    ...                   "lead_days_q1": [12.0], "lead_days_q3": [26.0]})
    >>> bar = lead_time_chart(t, lang="en").data[0]
    >>> bar.x.tolist(), bar.error_x.array.tolist(), bar.error_x.arrayminus.tolist()
    ([20.0], [6.0], [8.0])
    """
    cols = ["rule_id", "lead_days_median", "lead_days_q1", "lead_days_q3"]
    _frame(table, cols, "lead_time_chart", "AlertBacktest.table")
    check_lang(lang)
    med = table["lead_days_median"].to_numpy(dtype=float)
    fig = go.Figure(go.Bar(
        y=_rule_names(table, lang), x=np.nan_to_num(med), orientation="h",
        name=label("lead_days_median", lang), marker={"color": "#5d4037"},
        error_x={"type": "data", "symmetric": False,
                 "array": np.nan_to_num(table["lead_days_q3"].to_numpy(dtype=float) - med),
                 "arrayminus": np.nan_to_num(med - table["lead_days_q1"].to_numpy(dtype=float))}))
    fig.update_layout(showlegend=False, xaxis_title=label("lead_days_median", lang),
                      yaxis={"autorange": "reversed"}, yaxis_title=label("rule_id", lang))
    return plots.style_figure(fig, title)


def sweep_chart(curve: pd.DataFrame, *, lang: str = "zh", title: str | None = None,
                chosen: float | None = None) -> go.Figure:
    """Volume against recall (and precision) as one rule's threshold moves.

    Parameters
    ----------
    curve : DataFrame
        From :meth:`creditkit.alerts.AlertBacktest.sweep`.
    chosen : number, optional
        A threshold to mark (the slider's value in the widget).

    Examples
    --------
    >>> c = pd.DataFrame({"sweep_value": [1, 10], "alerts_per_1000": [16.0, 7.0],
    ...                   "precision": [0.47, 0.63], "recall": [0.81, 0.49]})
    >>> fig = sweep_chart(c, lang="en", chosen=10)
    >>> [t.name for t in fig.data], list(fig.data[0].text)
    (['Recall', 'Precision', 'Threshold value'], ['10', '1'])
    """
    _frame(curve, ["sweep_value", "alerts_per_1000", "precision", "recall"], "sweep_chart",
           "AlertBacktest.sweep")
    check_lang(lang)
    c = curve.sort_values("alerts_per_1000", kind="stable")
    text = [f"{v:g}" for v in c["sweep_value"]]
    fig = go.Figure()
    for col, colour in (("recall", "#2e7d32"), ("precision", "#1f77b4")):
        fig.add_scatter(x=c["alerts_per_1000"].tolist(), y=c[col].tolist(), text=text,
                        mode="lines+markers+text", textposition="top center",
                        name=label(col, lang), line={"color": colour},
                        hovertemplate=f"{label('sweep_value', lang)} %{{text}}<br>"
                                      f"{label('alerts_per_1000', lang)} %{{x:.1f}}<br>"
                                      f"{label(col, lang)} %{{y:.1%}}<extra></extra>")
    if chosen is not None:
        at = c[c["sweep_value"] == chosen]
        fig.add_scatter(x=at["alerts_per_1000"].tolist() * 2,
                        y=[*at["recall"].tolist(), *at["precision"].tolist()], mode="markers",
                        marker={"size": 14, "symbol": "circle-open", "color": "#c62828"},
                        name=label("sweep_value", lang), hoverinfo="skip")
    fig.update_layout(xaxis_title=label("alerts_per_1000", lang),
                      yaxis={"tickformat": ".0%", "range": [0, 1.05]})
    return plots.style_figure(fig, title)
