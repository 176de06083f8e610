"""Generic ipywidgets views every concept's widgets build on (cells tagged ``report-hide``).

Callbacks only call package functions and set widget traits (an ``HTML.value``),
so the views work headless and are tested without a browser. Widgets stay out
of exported reports: they need require.js and a CDN, which offline HTML lacks.

Every control is named from the label table in the view's language and says
what it does (a tooltip); every table a widget shows goes through the report
tables' formatter (:func:`creditkit.display.table_html`, wrapped by
:func:`widget_table_html`), so a widget reads like the report around it.

Examples
--------
>>> import pandas as pd
>>> view = table_browser({"bills": pd.DataFrame({"bill_id": ["B<1>"]})}, lang="en")
>>> "B&lt;1&gt;" in view.children[-1].value
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.display.tables import table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import LABELS, label

__all__ = ["VALUE_COLUMNS", "table_browser", "widget_table_html", "widget_text"]

#: Columns whose values are label keys: of the canonical tables (``consumer``, ``wechat``,
#: ``public_sector``) and of the quarantine and merge tables (the ``column`` a problem is
#: in, a merge's ``reason``). A table browser shows them in the view's language.
VALUE_COLUMNS = ("kind", "channel", "category", "industry", "region", "product", "education",
                 "housing", "method", "bucket", "status", "decision", "column", "reason")

# The live notebook has no report stylesheet: a widget's table carries its own, scoped to
# its wrapper, so headers sit over their values (numbers right-aligned) as in a report.
_STYLE = (
    "<style>.ck-widget table.ck-table{border-collapse:collapse;margin:.4em 0;font-size:.92em}"
    ".ck-widget table.ck-table th,.ck-widget table.ck-table td{border-bottom:1px solid #e1e4e8;"
    "padding:3px 10px;text-align:left;vertical-align:top}"
    ".ck-widget table.ck-table th{background:#f6f8fa;font-weight:600}"
    ".ck-widget table.ck-table .ck-num{text-align:right;font-variant-numeric:tabular-nums}"
    ".ck-widget .ck-note{color:#57606a;font-size:.85em}</style>"
)
_BLANK = " \t\n\u200b"  # ipywidgets' empty placeholder is a zero-width space
_TAG = re.compile(r"<style>.*?</style>|<[^>]+>", re.S)


def widget_table_html(df: pd.DataFrame, *, lang: str = "zh", max_rows: int = 50,
                      values: Iterable[str] = (), note: str = "") -> str:
    """A table for a widget's ``HTML.value``: the report tables' formatting, styled live.

    The cells come from :func:`creditkit.display.table_html` (labelled headers,
    money with its currency, percentages, "–" for undefined rates, every cell
    escaped); a small stylesheet scoped to the wrapper aligns each header with
    its values in JupyterLab, where the report's stylesheet is absent.

    Parameters
    ----------
    df : DataFrame
    lang : {"zh", "en"}
    max_rows : int, default 50
    values : iterable of str
        Columns whose values are label keys, as in :func:`~creditkit.display.table_html`.
    note : str, optional
        A line of text (escaped) shown under the table, already in ``lang``.

    Returns
    -------
    str
        ``<div class="ck-widget">`` holding the style and the table.

    Raises
    ------
    ParameterError
        As :func:`~creditkit.display.table_html`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = widget_table_html(pd.DataFrame({"bad_rate": [0.25, float("nan")]}), lang="en")
    >>> '<th class="ck-num">Bad rate</th>' in t, ">25.0%<" in t, ">–<" in t
    (True, True, True)
    """
    body = table_html(df, lang=lang, max_rows=max_rows, values=list(values))
    if note:
        body += f'<p class="ck-note">{html.escape(note)}</p>'
    return f'<div class="ck-widget">{_STYLE}{body}</div>'


def widget_text(view: Any) -> list[str]:
    """Every string a person reads in a widget view: control names, tooltips, choices, text.

    Walks the view's children and collects each control's ``description``,
    ``tooltip``, ``placeholder``, the labels of its options, and the text of
    ``HTML`` widgets (tags and the scoped stylesheet removed). Used to check that
    a view speaks one language.

    Parameters
    ----------
    view : ipywidgets.Widget

    Returns
    -------
    list of str
        Non-empty strings, in the order of the view.

    Examples
    --------
    >>> import pandas as pd
    >>> texts = widget_text(table_browser({"bills": pd.DataFrame({"bill_id": ["B1"]})},
    ...                                   lang="en"))
    >>> texts[:3]
    ['Table', 'Choose the table to browse', 'Bills']
    >>> texts[-1]
    'Bill ID B1 Page 1 of 1 · rows: 1'
    """
    out: list[str] = []
    stack = [view]
    while stack:
        node = stack.pop(0)
        for trait in ("description", "tooltip", "placeholder"):
            text = getattr(node, trait, None)
            if isinstance(text, str) and text.strip(_BLANK):
                out.append(text)
        for option in getattr(node, "options", ()):
            shown = option[0] if isinstance(option, tuple) else option
            if str(shown):
                out.append(str(shown))
        if isinstance(node, w.HTML) and node.value:
            text = " ".join(_TAG.sub(" ", node.value).split())
            if text:
                out.append(text)
        stack.extend(getattr(node, "children", ()))
    return out


def _table_name(name: str, lang: str) -> str:
    """A table's name for the picker: ``table_<name>`` (客户, not 客户数) when labelled."""
    key = f"table_{name}"
    return label(key if key in LABELS else name, lang)


def table_browser(
    frames: Mapping[str, pd.DataFrame], *, lang: str = "zh", max_rows: int = 20,
    values: Iterable[str] | None = None,
) -> w.VBox:
    """Browse several tables: pick one, filter its rows by text, page through them.

    Picking another table clears the filter and goes back to the first page.
    Tables are named, controls described and cells formatted in ``lang``.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Tables by name (e.g. a portfolio dict). Mask personal data first
        (``creditkit.privacy.mask_pii``) if the notebook is shared.
    lang : {"zh", "en"}
        Language of the controls, table names, headers and coded values.
    max_rows : int, default 20
        Rows per page.
    values : iterable of str, optional
        Columns whose values are label keys to show in ``lang``; default
        :data:`VALUE_COLUMNS`. The filter matches them as shown and as stored.

    Returns
    -------
    ipywidgets.VBox
        Children: table picker, filter text, page slider (pages from 1), and the
        ``HTML`` table (through :func:`widget_table_html`) with a page line.

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
    (2, 1)
    >>> page.value = 2; "pq" in out.value and ">q<" not in out.value
    True
    >>> "Page 2 of 2 · rows: 2" in out.value
    True
    """
    check_lang(lang)
    if (not isinstance(frames, Mapping) or not frames
            or not all(isinstance(v, pd.DataFrame) for v in frames.values())):
        raise ParameterError("table_browser needs a non-empty dict of DataFrames, "
                             f"got {type(frames).__name__}")
    if not isinstance(max_rows, int) or isinstance(max_rows, bool) or max_rows < 1:
        raise ParameterError(f"max_rows must be a positive int, got {max_rows!r}")
    coded = tuple(VALUE_COLUMNS if values is None else values)
    names = list(frames)
    picker = w.Dropdown(options=[(_table_name(n, lang), n) for n in names], value=names[0],
                        description=label("table", lang), tooltip=label("table_tip", lang))
    text = w.Text(value="", placeholder=label("filter_hint", lang),
                  description=label("filter", lang), tooltip=label("filter_tip", lang))
    page = w.IntSlider(value=1, min=1, max=1, description=label("page", lang),
                       tooltip=label("page_tip", lang).format(n=max_rows))
    out = w.HTML(tooltip="")

    # Per table, built on its first filter: each column's cells as lower-case text (and a
    # coded column's labels too), so a keystroke costs one vectorised search per column.
    searchable: dict[str, list[pd.Series]] = {}

    def texts_of(name: str) -> list[pd.Series]:
        if name not in searchable:
            df, texts = frames[name], []
            for col in df.columns:
                cells = df[col].astype("str").fillna("")
                texts.append(cells.str.lower())
                if col in coded:  # a coded value is found by what the reader sees, too
                    shown = cells.map({v: label(v, lang) for v in cells.unique()})
                    texts.append(shown.fillna("").str.lower())
            searchable[name] = texts
        return searchable[name]

    def selected() -> pd.DataFrame:
        df = frames[picker.value]
        needle = text.value.strip().lower()
        if not needle:
            return df
        hit = np.zeros(len(df), dtype=bool)
        for cells in texts_of(picker.value):
            hit |= cells.str.contains(needle, regex=False, na=False).to_numpy(dtype=bool)
        return df.loc[hit]

    def render(_: object = None) -> None:
        df = selected()
        pages = max(1, -(-len(df) // max_rows))
        if page.max != pages:
            page.max = pages
        at = min(page.value, pages)
        start = (at - 1) * max_rows
        shown = [c for c in coded if c in df.columns]
        where = label("page_of", lang).format(page=at, pages=pages, rows=f"{len(df):,}")
        out.value = widget_table_html(df.iloc[start:start + max_rows], lang=lang,
                                      max_rows=max_rows, values=shown, note=where)

    def reset(_: object = None) -> None:
        page.value = 1
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
