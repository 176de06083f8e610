"""Figures of recovery plans: one plan's schedule against its payments, and plans by status.

- :func:`plan_chart`: a plan's instalments, the amount scheduled beside the
  amount paid, each instalment coloured by what became of it;
- :func:`plan_status_chart`: the plans of a :class:`~creditkit.restricted.PlanTracking`
  by status, the amount still owed on each bar's hover.

Labels are zh/en (:mod:`creditkit.labels`), money is plotted in major units for
display only, and every figure passes through
:func:`~creditkit.display.plots.style_figure`.

Examples
--------
>>> import pandas as pd
>>> from creditkit.restricted import recovery_plans, track_plans
>>> plans = recovery_plans(pd.DataFrame({"customer_id": ["C1"], "balance_minor": [30000],
...                                      "currency": "CNY"}), start="2025-01-10", n=3)
>>> pays = pd.DataFrame({"customer_id": ["C1"], "amount_minor": [10000],
...                      "paid_date": pd.Timestamp("2025-02-10"), "currency": "CNY"})
>>> t = track_plans(plans, pays, as_of="2025-03-31")
>>> fig = plan_chart(t, "C1@2025-01-10/CNY", lang="en")
>>> [tr.name for tr in fig.data]
['Scheduled', 'Paid on time', 'Not yet due', 'Missed']
"""

from __future__ import annotations

import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.restricted.plan_tracking import INSTALMENT_STATUSES, PLAN_STATUSES, PlanTracking

__all__ = ["STATUS_COLOURS", "plan_chart", "plan_status_chart"]

#: One colour per instalment and plan status, the same in every figure.
STATUS_COLOURS = {"on_time": "#2a9d8f", "late": "#e9c46a", "pending": "#a8b3bd",
                  "missed": "#e76f51", "completed": "#2a9d8f", "on_track": "#8ab17d",
                  "behind": "#e9c46a", "broken": "#e76f51"}


def _tracking(tracking: object) -> PlanTracking:
    if not isinstance(tracking, PlanTracking):
        raise ParameterError(f"tracking must be a PlanTracking (from track_plans), got "
                             f"{type(tracking).__name__}")
    return tracking


def plan_chart(tracking: PlanTracking, plan_id: str, *, lang: str = "zh",
               title: str | None = None) -> go.Figure:
    """One plan: each instalment's scheduled amount beside what was paid, by status.

    Parameters
    ----------
    tracking : PlanTracking
        From :func:`~creditkit.restricted.track_plans`.
    plan_id : str
        The plan to draw.
    lang : {"zh", "en"}
    title : str, optional
        Default: the label ``plan_schedule_title``.

    Returns
    -------
    plotly.graph_objects.Figure
        x = the instalments' due dates; one grey trace of the amounts
        scheduled, and one trace per status present of the amounts paid.

    Raises
    ------
    ParameterError
        Not a tracking, an unknown plan, an unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.restricted import recovery_plans, track_plans
    >>> plans = recovery_plans(pd.DataFrame({"customer_id": ["C1"], "balance_minor": [900],
    ...                                      "currency": "CNY"}), start="2025-01-10", n=3)
    >>> t = track_plans(plans, pd.DataFrame(columns=["customer_id", "paid_date",
    ...                 "amount_minor", "currency"]), as_of="2025-03-31")
    >>> plan_chart(t, "C1@2025-01-10/CNY").data[1].name
    '未到期'
    >>> plan_chart(t, "P")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: no plan 'P' in the tracking; pick one of its ...
    """
    lang = check_lang(lang)
    inst = _tracking(tracking).instalments
    rows = inst[inst["plan_id"] == plan_id]
    if rows.empty:
        raise ParameterError(f"no plan {plan_id!r} in the tracking; pick one of its "
                             "plans['plan_id']")
    cur = str(rows["currency"].iloc[0])
    x = rows["due_date"].dt.strftime("%Y-%m-%d").tolist()
    fig = go.Figure()
    vals, hover = plots.money_values(rows, "amount_minor", cur)
    fig.add_bar(x=x, y=vals, name=label("scheduled", lang), marker_color="#d9dee3",
                hovertext=hover, hoverinfo="text+name")
    for status in INSTALMENT_STATUSES:
        part = rows[rows["status"] == status]
        if part.empty:
            continue
        vals, hover = plots.money_values(part, "paid_minor", cur)
        fig.add_bar(x=part["due_date"].dt.strftime("%Y-%m-%d").tolist(), y=vals,
                    name=plots.label_text(f"instalment_{status}", lang),
                    marker_color=STATUS_COLOURS[status], hovertext=hover, hoverinfo="text+name")
    fig.update_layout(barmode="group", xaxis={"type": "category",
                                              "title": label("due_date", lang)},
                      yaxis={"title": plots.axis_title("amount_minor", lang, cur)})
    return plots.style_figure(fig, title if title is not None else label("plan_schedule_title",
                                                                         lang))


def plan_status_chart(tracking: PlanTracking, *, lang: str = "zh", currency: str | None = None,
                      title: str | None = None) -> go.Figure:
    """Plans by status: how many, with the amount still owed on each bar's hover.

    Parameters
    ----------
    tracking : PlanTracking
        From :func:`~creditkit.restricted.track_plans`.
    lang : {"zh", "en"}
    currency : str, optional
        The currency shown, needed when plans are in several.
    title : str, optional
        Default: the label ``plan_status_title``.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar per plan status, in :data:`~creditkit.restricted.plan_tracking.PLAN_STATUSES`
        order; the bars add up to the plans.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.restricted import recovery_plans, track_plans
    >>> plans = recovery_plans(pd.DataFrame({"customer_id": ["A", "B"],
    ...     "balance_minor": [300, 300], "currency": "CNY"}), start="2025-01-10", n=3)
    >>> pays = pd.DataFrame({"customer_id": ["A"], "amount_minor": [300],
    ...                      "paid_date": pd.Timestamp("2025-01-20"), "currency": "CNY"})
    >>> fig = plan_status_chart(track_plans(plans, pays, as_of="2025-04-30"), lang="en")
    >>> list(fig.data[0].x), list(fig.data[0].y)
    (['Completed', 'Broken'], [1, 1])
    """
    lang = check_lang(lang)
    plans = _tracking(tracking).plans
    cur = plots.pick_currency(plans, currency) if len(plans) else (currency or "CNY")
    plans = plots.only_currency(plans, cur) if len(plans) else plans
    counts = plans.groupby("status").agg(n=("plan_id", "size"), owed=("owed_minor", "sum"))
    counts = counts.reindex([s for s in PLAN_STATUSES if s in counts.index])
    owed = [plots.money_values(counts.assign(owed_minor=counts["owed"]), "owed_minor", cur)[1]
            ][0] if len(counts) else []
    names = [plots.label_text(f"plan_{s}", lang) for s in counts.index]
    fig = go.Figure(go.Bar(
        x=names, y=counts["n"].tolist(), marker_color=[STATUS_COLOURS[s] for s in counts.index],
        hovertext=[f"{label('owed_minor', lang)} {o}" for o in owed], hoverinfo="text+y",
        name=label("plans_count", lang), showlegend=False))
    fig.update_layout(yaxis={"title": label("plans_count", lang)})
    return plots.style_figure(fig, title if title is not None else label("plan_status_title",
                                                                         lang))
