"""Interactive views of data intake (live notebooks only; reports leave them out).

Examples
--------
>>> import pandas as pd
>>> from creditkit.cleaning import clean_payments
>>> r = {"p.csv": clean_payments(pd.DataFrame({"payment_id": ["P1", "P2"],
...      "paid_date": ["x", "2025-01-01"], "amount": ["9", "1"]}))}
>>> picker = quarantine_browser(r, lang="zh").children[0]
>>> picker.options
(('日期无法识别', 'unparseable_date'),)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from creditkit.cleaning.intake import quarantine_frames
from creditkit.cleaning.quarantine import CleanResult

__all__ = ["quarantine_browser"]


def quarantine_browser(results: Mapping[str, CleanResult], *,
                       duplicates: Mapping[str, Any] | None = None, mask: bool = True,
                       lang: str = "zh", max_rows: int = 20) -> w.VBox:
    """Browse quarantined rows by reason, and proposed customer merges, with a text filter.

    Parameters
    ----------
    results : dict of CleanResult
        What :func:`~creditkit.cleaning.clean_sources` returns.
    duplicates : dict, optional
        What :func:`~creditkit.cleaning.customer_duplicates` returns: its
        ``merges`` and ``review`` frames become two more tables.
    mask : bool, default True
        Mask personal values (as :func:`~creditkit.cleaning.quarantine_rows`).
    lang : {"zh", "en"}, default "zh"
        Language of the table picker, headers and explanations.
    max_rows : int, default 20
        Rows per page.

    Returns
    -------
    ipywidgets.VBox
        Table picker (named in ``lang``), filter text, page slider, table.

    Raises
    ------
    ParameterError
        For a bad ``results``, ``lang`` or ``max_rows``, or when nothing was held back.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_payments
    >>> r = {"p.csv": clean_payments(pd.DataFrame({"payment_id": ["P1"],
    ...      "paid_date": ["2025-02-30"], "amount": ["9"]}))}
    >>> view = quarantine_browser(r, lang="en")
    >>> "Impossible date" in dict(view.children[0].options)
    True
    """
    from creditkit.display.widgets import table_browser

    extra = {}
    if duplicates is not None:
        extra = {"merges": duplicates["merges"], "review": duplicates["review"]}
    frames = quarantine_frames(results, mask=mask, extra=extra, lang=lang)
    return table_browser(frames, lang=lang, max_rows=max_rows)
