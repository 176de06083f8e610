"""The live notebook's view of the portfolio: browse its tables with personal data masked.

Like every widget of creditkit, the view only calls package functions and sets
widget traits, so it works headless and is tested without a browser. Reports
leave it out (its cell is tagged ``report-hide``): widgets need require.js and
a CDN, which offline HTML lacks.

Examples
--------
>>> from creditkit.datasets import example_portfolio
>>> view = portfolio_browser(example_portfolio(), lang="en")
>>> "甲" in view.children[-1].value
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ipywidgets as w
import pandas as pd

from creditkit.checks import check_lang
from creditkit.display.widgets import table_browser
from creditkit.exceptions import ParameterError
from creditkit.privacy import mask_pii

__all__ = ["portfolio_browser"]


def portfolio_browser(
    tables: Mapping[str, pd.DataFrame], *, lang: str = "zh", max_rows: int = 20,
    exclude: Iterable[str] = ("applications",),
) -> w.VBox:
    """Browse the portfolio's tables, personal columns masked: pick, filter, page.

    Names, ID numbers, phones and the other columns the schema marks personal
    are masked (:func:`creditkit.privacy.mask_pii`) before anything is shown,
    so the notebook can be shared; the frames passed in are not modified.

    Parameters
    ----------
    tables : dict of DataFrame
        The portfolio (as from ``creditkit.datasets.load_or_make``), by
        canonical table name.
    lang : {"zh", "en"}, default "zh"
        Language of headers and the table picker.
    max_rows : int, default 20
        Rows per page.
    exclude : iterable of str, default ("applications",)
        Tables left out (the scoring sample is not part of the overview).

    Returns
    -------
    ipywidgets.VBox
        The view of :func:`creditkit.widgets.table_browser`: table picker,
        filter text, page slider and the ``HTML`` table.

    Raises
    ------
    ParameterError
        If ``tables`` is not a dict of DataFrames, leaves nothing to show, or
        ``lang`` is unknown.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> picker, text, page, out = portfolio_browser(example_portfolio(), lang="en").children
    >>> [value for _, value in picker.options]
    ['customers', 'bills', 'payments']
    """
    check_lang(lang)
    if not isinstance(tables, Mapping):
        raise ParameterError(f"expected a dict of tables, got {type(tables).__name__}")
    skip = set(exclude)
    shown = {name: mask_pii(df, name) for name, df in tables.items() if name not in skip}
    if not shown:
        raise ParameterError(f"no table left to browse: got {sorted(tables)}, "
                             f"excluded {sorted(skip)}")
    return table_browser(shown, lang=lang, max_rows=max_rows)
