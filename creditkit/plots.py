"""Plotly figure builders of release 0.1, kept where code written against it looks.

The generic builders (:func:`bar`, :func:`line`, :func:`heatmap`,
:func:`histogram`) live in :mod:`creditkit.display.plots`, the overview charts
(:func:`balances_chart`, :func:`issued_paid_chart`, :func:`channel_mix_chart`)
in :mod:`creditkit.overview.plots`; both are re-exported here unchanged. New
code imports them from their own modules.

Examples
--------
>>> import pandas as pd
>>> fig = bar(pd.DataFrame({"channel": ["alipay", "cash"], "count": [3, 1]}),
...           "channel", "count", lang="en")
>>> list(fig.data[0].x), fig.layout.xaxis.title.text
(['Alipay', 'Cash'], 'Channel')
"""

from __future__ import annotations

from creditkit.display.plots import bar, heatmap, histogram, line
from creditkit.overview.plots import balances_chart, channel_mix_chart, issued_paid_chart

__all__ = [
    "balances_chart",
    "bar",
    "channel_mix_chart",
    "heatmap",
    "histogram",
    "issued_paid_chart",
    "line",
]
