"""Live view of behaviour scores: pick a customer, read their features and score over the dates.

Like every widget of creditkit, the view only calls package functions and sets
widget traits (``HTML.value``, ``figure_``), so it works headless and is tested
without a browser. Reports leave it out (its cell is tagged ``report-hide``):
widgets need require.js and a CDN, which offline HTML lacks.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from creditkit.behaviour.plots import customer_history_chart
from creditkit.checks import check_lang
from creditkit.display.tables import table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["customer_history"]

#: Reasons shown per date (the card's own reason codes).
N_REASONS = 3


def _check_card(card: Any) -> list[str]:
    needed = ("predict_points", "predict_proba", "reason_codes", "features")
    if not all(hasattr(card, a) for a in needed):
        raise ParameterError(f"card must be a fitted BehaviourCard; got {type(card).__name__}; "
                             "fit one with creditkit.behaviour.fit_behaviour_card(sample) or "
                             "load creditkit.behaviour.shipped_cards()['B']")
    return list(card.features)


def customer_history(
    sample: pd.DataFrame,
    card: Any,
    *,
    lang: str = "zh",
    features: Sequence[str] | None = None,
    max_options: int = 200,
) -> w.VBox:
    """Pick a customer and see their behaviour features and score over the dates, with reasons.

    Every row of ``sample`` is scored by ``card`` once, when the view is made;
    picking a customer then only filters. The customer list offers the
    ``max_options`` lowest-scored customers at the latest date (riskiest first);
    any other customer id can be typed in.

    Parameters
    ----------
    sample : DataFrame
        Rows of behaviour features at several dates: ``customer_id``,
        ``as_of`` and the card's features (a
        :func:`creditkit.behaviour.development_sample`, or
        :func:`creditkit.behaviour.behaviour_features` at several dates stacked).
    card : BehaviourCard
        A fitted card (:func:`creditkit.behaviour.fit_behaviour_card`).
    lang : {"zh", "en"}
    features : sequence of str, optional
        Features drawn at first (default: the first three variables of the
        card's model); the reader can pick others among the card's features.
    max_options : int, default 200
        Customers offered in the list.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``customer`` (Combobox), ``features`` (SelectMultiple),
        ``table`` (HTML: features, points, probability of bad and reasons per
        date), ``message`` (HTML), ``chart`` (Output) and ``figure_`` (the
        plotly figure of :func:`creditkit.behaviour.plots.customer_history_chart`,
        ``None`` before a customer is found).

    Raises
    ------
    ParameterError
        If ``sample`` lacks a column, ``card`` is not fitted, a feature is not
        the card's, ``max_options`` is not positive or ``lang`` is unknown.

    Examples
    --------
    >>> from creditkit.behaviour import behaviour_features, shipped_cards
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(200, seed=1, end="2025-06-30")
    >>> rows = pd.concat([behaviour_features(book, as_of=d) for d in ("2025-05-31", "2025-06-30")])
    >>> view = customer_history(rows, shipped_cards()["B"], lang="en")
    >>> view.customer.value = view.customer.options[0]  # the lowest score at the latest date
    >>> view.figure_.data[0].name, "2025-06-30" in view.table.value
    ('Points', True)
    >>> view.customer.value = "nobody"
    >>> "No customer with this ID" in view.message.value
    True
    """
    check_lang(lang)
    card_features = _check_card(card)
    if not isinstance(sample, pd.DataFrame):
        raise ParameterError(f"sample must be a DataFrame, got {type(sample).__name__}")
    missing = [c for c in ["customer_id", "as_of", *card_features] if c not in sample.columns]
    if missing:
        raise ParameterError(f"sample lacks column(s) {missing}; pass the development sample "
                             "the card was fitted on (creditkit.behaviour.development_sample)")
    if not isinstance(max_options, int) or isinstance(max_options, bool) or max_options < 1:
        raise ParameterError(f"max_options must be a positive int, got {max_options!r}")
    used = [v for v in getattr(getattr(card, "scorecard", None), "variables_", card_features)
            if v in card_features] or card_features
    shown = list(used[:3] if features is None else features)
    unknown = [f for f in shown if f not in card_features]
    if unknown or not shown:
        raise ParameterError(f"features {unknown or shown} are not the card's; pick among "
                             f"{card_features}")
    if sample.empty:
        raise ParameterError("sample has no row: nothing to show")

    rows = sample[["customer_id", "as_of", *card_features]].reset_index(drop=True)
    scored = rows.assign(points=np.asarray(card.predict_points(rows[card_features]), "float64"),
                         pd=np.asarray(card.predict_proba(rows[card_features]))[:, 1])
    latest = scored[scored["as_of"] == scored["as_of"].max()]
    riskiest = latest.sort_values(["points", "customer_id"], kind="stable")["customer_id"]
    options = [str(c) for c in riskiest.head(max_options)]
    by_customer = scored.groupby(scored["customer_id"].astype(str), sort=False).indices

    customer = w.Combobox(options=options, value="", ensure_option=False,
                          placeholder=label("customer_id", lang),
                          description=label("customer_id", lang))
    picker = w.SelectMultiple(options=[(label(f, lang), f) for f in card_features],
                              value=tuple(shown), rows=min(8, len(card_features)),
                              description=label("features_shown", lang))
    message = w.HTML(tooltip="")
    table = w.HTML(tooltip="")
    chart = w.Output()
    box = w.VBox([customer, picker, message, table, chart])
    box.customer, box.features, box.message, box.table, box.chart = (customer, picker, message,
                                                                     table, chart)
    box.figure_ = None

    def render(_: object = None) -> None:
        cid = customer.value.strip()
        if not cid:
            message.value, table.value = "", ""
            return
        where = by_customer.get(cid)
        if where is None:
            missing = html.escape(label("no_such_customer", lang))
            message.value = f"<span style='color:#b00'>{missing}: {html.escape(cid)}</span>"
            table.value = ""
            return
        mine = scored.iloc[where].sort_values("as_of", kind="stable")
        reasons = card.reason_codes(mine[card_features], n=N_REASONS)
        names = [c for c in reasons.columns if c.startswith("reason_")]
        drawn = list(picker.value) or shown
        view = pd.concat([mine[["as_of", "points", "pd", *drawn]], reasons[names]], axis=1)
        message.value = ""
        table.value = table_html(view, lang=lang, max_rows=len(view), values=names)
        box.figure_ = customer_history_chart(mine, features=drawn, lang=lang,
                                             title=html.escape(cid))
        from IPython import get_ipython

        if get_ipython() is not None:  # live only: headless, the figure is in figure_
            from IPython.display import display

            chart.clear_output(wait=True)
            with chart:
                display(box.figure_)

    customer.observe(render, names="value")
    picker.observe(render, names="value")
    return box
