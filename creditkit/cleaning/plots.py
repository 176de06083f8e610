"""Figures of data intake: quarantined rows by reason, column validity by file.

Each takes a table of :mod:`creditkit.cleaning.intake` and returns a plotly
Figure, built with the shared chart helpers of :mod:`creditkit.display.plots`
(category labels and axis titles in zh/en from the label table). Figures plot
counts and rates, never rows, so their size does not grow with the files.

Examples
--------
>>> import pandas as pd
>>> reasons = pd.DataFrame({"file": ["a.csv", "b.csv"], "table": ["bills", "payments"],
...                         "reason": ["impossible_date", "unknown_channel"], "rows": [2, 1]})
>>> fig = quarantine_chart(reasons, lang="zh")
>>> [t.name for t in fig.data], list(fig.data[0].y)
(['a.csv', 'b.csv'], ['日期不存在'])
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from creditkit.display import plots
from creditkit.exceptions import ParameterError

__all__ = ["QUALITY_RATES", "quality_chart", "quarantine_chart"]

#: The rates :func:`quality_chart` can plot (columns of ``column_quality``).
QUALITY_RATES = ("completeness_rate", "validity_rate", "uniqueness_rate")


def quarantine_chart(reasons: pd.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Rows held back per reason, one stacked colour per file (horizontal bars).

    Parameters
    ----------
    reasons : DataFrame
        ``file, reason, rows``, as :func:`~creditkit.cleaning.reasons_by_file` returns.
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        When a column is missing or ``lang`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"file": ["a.csv"], "reason": ["empty_row"], "rows": [3]})
    >>> quarantine_chart(r, lang="en").data[0].y[0]
    'Empty row'
    """
    return plots.bar(reasons, "reason", "rows", color="file", lang=lang, barmode="stack",
                     horizontal=True)


def quality_chart(quality: pd.DataFrame, *, rate: str = "validity_rate",
                  lang: str = "zh") -> go.Figure:
    """One rate of every column, one colour per file (bars).

    Parameters
    ----------
    quality : DataFrame
        ``file, column`` and the rates, as :func:`~creditkit.cleaning.column_quality`
        returns.
    rate : {"completeness_rate", "validity_rate", "uniqueness_rate"}, default "validity_rate"
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        When ``rate`` is not one of those, a column is missing or ``lang`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"file": ["a.csv"], "column": ["phone"], "validity_rate": [0.5]})
    >>> fig = quality_chart(q, lang="zh")
    >>> list(fig.data[0].x), fig.layout.yaxis.title.text
    (['手机号'], '有效率')
    """
    if rate not in QUALITY_RATES:
        raise ParameterError(f"rate must be one of {QUALITY_RATES}, got {rate!r}")
    return plots.bar(quality, "column", rate, color="file", lang=lang)
