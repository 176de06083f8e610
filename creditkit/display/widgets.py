"""Generic ipywidgets views every concept's widgets build on (cells tagged ``report-hide``).

Callbacks only call package functions and set widget traits (an ``HTML.value``),
so the views work headless and are tested without a browser. Widgets stay out
of exported reports: they need require.js and a CDN, which offline HTML lacks.

Examples
--------
>>> import pandas as pd
>>> view = table_browser({"bills": pd.DataFrame({"bill_id": ["B<1>"]})}, lang="en")
>>> "B&lt;1&gt;" in view.children[-1].value
True
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w
import pandas as pd

from creditkit.checks import check_lang
from creditkit.display.tables import table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["table_browser"]


def table_browser(
    frames: Mapping[str, pd.DataFrame], *, lang: str = "zh", max_rows: int = 20,
) -> w.VBox:
    """Browse several tables: pick one, filter its rows by text, page through them.

    Picking another table clears the filter and goes back to the first page.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Tables by name (e.g. a portfolio dict). Mask personal data first
        (``creditkit.privacy.mask_pii``) if the notebook is shared.
    lang : {"zh", "en"}
        Language of headers and the table picker.
    max_rows : int, default 20
        Rows per page.

    Returns
    -------
    ipywidgets.VBox
        Children: table picker, filter text, page slider, and the ``HTML`` table
        (escaped through :func:`creditkit.display.table_html`).

    Raises
    ------
    ParameterError
        If ``frames`` is empty or not a mapping of DataFrames, or ``lang`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> v = table_browser({"a": pd.DataFrame({"x": ["p", "q", "pq"]})}, lang="en", max_rows=1)
    >>> picker, text, page, out = v.children
    >>> text.value = "q"; page.max, page.value
    (1, 0)
    >>> page.value = 1; "pq" in out.value and ">q<" not in out.value
    True
    """
    check_lang(lang)
    if (not isinstance(frames, Mapping) or not frames
            or not all(isinstance(v, pd.DataFrame) for v in frames.values())):
        raise ParameterError("table_browser needs a non-empty dict of DataFrames, "
                             f"got {type(frames).__name__}")
    if not isinstance(max_rows, int) or max_rows < 1:
        raise ParameterError(f"max_rows must be a positive int, got {max_rows!r}")
    names = list(frames)
    picker = w.Dropdown(options=[(label(n, lang), n) for n in names], value=names[0],
                        description=label("table", lang))
    text = w.Text(value="", placeholder=label("filter_hint", lang),
                  description=label("filter", lang))
    page = w.IntSlider(value=0, min=0, max=0, description=label("page", lang))
    out = w.HTML()

    def selected() -> pd.DataFrame:
        df = frames[picker.value]
        needle = text.value.strip()
        if not needle:
            return df
        hit = pd.Series(False, index=df.index)
        for col in df.columns:  # per column, not per row: vectorised str.contains
            hit |= df[col].astype("str").str.contains(needle, case=False, regex=False,
                                                       na=False)
        return df.loc[hit]

    def render(_: object = None) -> None:
        df = selected()
        last = max(0, (len(df) - 1) // max_rows)
        if page.max != last:
            page.max = last
        start = min(page.value, last) * max_rows
        out.value = table_html(df.iloc[start:start + max_rows], lang=lang, max_rows=max_rows)

    def reset(_: object = None) -> None:
        page.value = 0
        render()

    def switch(_: object = None) -> None:
        with text.hold_trait_notifications():
            text.value = ""
        reset()

    picker.observe(switch, names="value")
    text.observe(reset, names="value")
    page.observe(render, names="value")
    render()
    return w.VBox([picker, text, page, out])
