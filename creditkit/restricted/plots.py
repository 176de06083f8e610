"""Figures of restricted customers: tables of :mod:`creditkit.restricted` in, plotly out.

- :func:`level_chart`: customers and outstanding per restriction level (from
  :func:`~creditkit.restricted.level_counts`);
- :func:`order_chart`: candidate orders per level by decision (from
  :meth:`~creditkit.restricted.RestrictedBook.order_summary`).

Recovery plans are drawn by :mod:`~creditkit.restricted.plan_plots`. Every
word comes from :mod:`creditkit.labels` in ``lang``.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"restriction_level": ["none", "watch", "restricted", "stop"],
...                   "customers": [7, 2, 1, 0], "outstanding_minor": [700, 200, 100, 0]})
>>> fig = level_chart(c, lang="en")
>>> list(fig.data[0].x), fig.data[0].y.tolist()
(['Not restricted', 'Watch', 'Restricted', 'Stop credit'], [7, 2, 1, 0])
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.display import plots
from creditkit.labels import label
from creditkit.restricted.book import report_view

__all__ = ["level_chart", "order_chart"]


def level_chart(counts: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Customers per restriction level (bars), hover with the outstanding.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"restriction_level": ["stop"], "customers": [3]})
    >>> level_chart(c, lang="zh").data[0].x[0]
    '停止赊销'
    """
    check_lang(lang)
    view = report_view(counts, lang)
    return plots.bar(view, "restriction_level", "customers", lang=lang,
                     title=label("restricted_who", lang))


def order_chart(summary: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Candidate orders per level, stacked by decision.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"restriction_level": ["watch", "watch"],
    ...                   "decision": ["approve", "refuse"], "orders": [5, 2]})
    >>> [t.name for t in order_chart(s, lang="en").data]
    ['Approve', 'Refuse']
    """
    check_lang(lang)
    view = report_view(summary, lang)
    return plots.bar(view, "restriction_level", "orders", color="decision", lang=lang,
                     barmode="stack", title=label("restricted_orders", lang))
