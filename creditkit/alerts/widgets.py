"""Live view of a warning rule's threshold: move it and see alert volume against recall.

Like every widget of creditkit, the view only reads what the backtest already
computed (:meth:`creditkit.alerts.AlertBacktest.sweep`, once, when built) and
sets widget traits, so it works headless and is tested without a browser.
Reports leave it out (its cell is tagged ``report-hide``). Controls are named
and explained (tooltips) from the label table in the view's language; the
numbers are shown through :func:`creditkit.display.widgets.widget_table_html`,
like a report's tables.

Examples
--------
>>> import pandas as pd
>>> from creditkit.alerts import backtest_alerts
>>> from creditkit.datasets import make_portfolio
>>> book = make_portfolio(150, seed=5, end="2025-06-30")
>>> bt = backtest_alerts(book, dates=["2025-01-31", "2025-02-28"])
>>> view = threshold_explorer(bt, "dpd_15", [1, 5, 15, 20], lang="en")
>>> view.threshold.value = 5; float(view.selected_["sweep_value"])
5.0
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from creditkit.alerts.backtest import AlertBacktest
from creditkit.alerts.plots import sweep_chart
from creditkit.checks import check_lang
from creditkit.display.widgets import widget_table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["threshold_explorer"]

_SHOWN = ["sweep_value", "n_alerts", "alerts_per_1000", "precision", "recall",
          "lead_days_median"]


def threshold_explorer(backtest: AlertBacktest, rule_id: str, values: Sequence[float], *,
                       condition: int = 0, lang: str = "zh") -> w.VBox:
    """A slider over one rule's threshold: alerts per 1,000, precision, recall and lead time.

    Parameters
    ----------
    backtest : AlertBacktest
        From :func:`creditkit.alerts.backtest_alerts`.
    rule_id : str
        The rule whose threshold moves.
    values : sequence of numbers
        The thresholds the slider offers (the curve is computed for all, once).
    condition : int, default 0
        Which condition of the rule.
    lang : {"zh", "en"}

    Returns
    -------
    ipywidgets.VBox
        With attributes ``threshold`` (SelectionSlider), ``table`` (HTML: the
        measures at the chosen threshold), ``chart`` (Output), ``figure_``
        (the curve, the chosen point marked), ``curve`` (the sweep) and
        ``selected_`` (its row at the chosen threshold).

    Raises
    ------
    ParameterError
        Not a backtest; as :meth:`AlertBacktest.sweep` (unknown rule, a
        condition that is not a threshold, no values).
    """
    check_lang(lang)
    if not isinstance(backtest, AlertBacktest):
        raise ParameterError(f"backtest must be what backtest_alerts returns; got "
                             f"{type(backtest).__name__}")
    curve = backtest.sweep(rule_id, values, condition=condition)
    desc = {r.id: r.outputs[f"description_{lang}"] for r in backtest.rules.rules}[rule_id]
    slider = w.SelectionSlider(options=[(f"{v:g}", v) for v in curve["sweep_value"]],
                               value=curve["sweep_value"].iloc[0],
                               description=label("threshold", lang),
                               tooltip=label("alert_threshold_tip", lang),
                               layout=w.Layout(width="70%"))
    table = w.HTML(tooltip="")
    chart = w.Output()
    box = w.VBox([slider, table, chart])
    box.threshold, box.table, box.chart, box.curve = slider, table, chart, curve
    box.selected_ = curve.iloc[0]
    box.figure_ = None

    def render(_: object = None) -> None:
        row = curve[curve["sweep_value"] == slider.value]
        box.selected_ = row.iloc[0]
        table.value = widget_table_html(row[_SHOWN], lang=lang, max_rows=1, note=desc)
        box.figure_ = sweep_chart(curve, lang=lang, title=desc, chosen=slider.value)
        from IPython import get_ipython

        if get_ipython() is not None:  # live only: headless, the figure is in figure_
            from IPython.display import display

            chart.clear_output(wait=True)
            with chart:
                display(box.figure_)

    slider.observe(render, names="value")
    render()
    return box

