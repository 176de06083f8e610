"""Escaped HTML tables for notebooks and reports, with money and percent formatting.

Every cell and header goes through ``html.escape``: strings that came from data
(a customer called ``<script>…``) reach a notebook or a report as text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from creditkit.checks import check_lang
from creditkit.display.notebook import output_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["UNDEFINED", "headline", "headline_html", "show_table", "table_html"]

#: What a table shows for a rate that is undefined (no cases: NaN), in every language.
UNDEFINED = "–"


def _format_money(values: pd.Series, currency: pd.Series | str, lang: str) -> list[str]:
    from creditkit.money import format_minor

    cur = currency if isinstance(currency, pd.Series) else pd.Series(currency, index=values.index)
    return [
        "" if pd.isna(v) else format_minor(int(v), str(c), lang=lang)
        for v, c in zip(values, cur, strict=True)
    ]


def _is_bool(v: object) -> bool:
    """A yes/no cell (True/False, numpy bool) or an empty one."""
    import numpy as np

    return isinstance(v, (bool, np.bool_)) or v is None or (isinstance(v, float) and np.isnan(v))


def _cells(s: pd.Series, name: str, currency: pd.Series | str, lang: str,
           values: tuple[str, ...] | list[str]) -> list[str]:
    """The display text of one column: money, label keys, percentages, numbers, dates, text."""
    if name.endswith("_minor") and pd.api.types.is_integer_dtype(s):
        return _format_money(s, currency, lang)
    if pd.api.types.is_bool_dtype(s) or (s.dtype == object and s.map(_is_bool).all()
                                         and s.notna().any()):
        return ["" if v is None or (not isinstance(v, bool) and pd.isna(v))
                else label("yes" if v else "no", lang) for v in s]
    if name in values:
        return ["" if pd.isna(v) else label(str(v), lang) for v in s]
    if pd.api.types.is_float_dtype(s) and (name == "share" or name.endswith(("_rate", "_share"))):
        # a rate without cases (an empty bin's bad rate) is undefined, not blank or zero
        return [UNDEFINED if pd.isna(v) else f"{v:.1%}" for v in s]
    if pd.api.types.is_integer_dtype(s):
        return ["" if pd.isna(v) else f"{int(v):,}" for v in s]
    if pd.api.types.is_float_dtype(s):
        return ["" if pd.isna(v) else f"{v:,.4g}" for v in s]
    if pd.api.types.is_datetime64_any_dtype(s):
        return ["" if pd.isna(v) else v.strftime("%Y-%m-%d") for v in s]
    return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in s]


def table_html(
    df: pd.DataFrame,
    *,
    lang: str = "zh",
    max_rows: int = 50,
    values: tuple[str, ...] | list[str] = (),
    index: bool = False,
) -> str:
    """HTML of ``df`` with labelled headers and every cell escaped.

    Columns ending ``_minor`` are formatted as money with the row's ``currency``
    (CNY when there is no currency column); floats named ``share``/``*_rate``/``*_share`` as
    percentages, with :data:`UNDEFINED` ("–") for a rate without cases; yes/no
    columns (booleans) as the label table's 是/否, Yes/No.
    Only the first ``max_rows`` rows are shown.

    Parameters
    ----------
    df : DataFrame
        The table; not modified.
    lang : {"zh", "en"}
        Language of the headers (and of ``values`` columns).
    max_rows : int, default 50
        Rows shown; a note says how many were left out.
    values : sequence of str
        Columns whose values are label keys (``channel``, ``kind``) to translate.
    index : bool, default False
        Show the index as a first column.

    Returns
    -------
    str
        A ``<table class="ck-table">`` fragment.

    Raises
    ------
    ParameterError
        If ``lang`` is unknown, ``max_rows`` is not positive or ``df`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> t = table_html(pd.DataFrame({"region": ["A&B"], "count": [3]}), lang="en")
    >>> "<th>Region</th>" in t and "A&amp;B" in t
    True
    >>> ">–</td>" in table_html(pd.DataFrame({"bad_rate": [float("nan")]}))
    True
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"table_html needs a DataFrame, got {type(df).__name__}")
    check_lang(lang)
    if not isinstance(max_rows, int) or max_rows < 1:
        raise ParameterError(f"max_rows must be a positive int, got {max_rows!r}")
    shown = df.reset_index() if index else df
    shown = shown.head(max_rows)
    currency = shown["currency"] if "currency" in shown.columns else "CNY"
    cols: list[tuple[str, list[str], bool]] = []
    for col in shown.columns:
        s = shown[col]
        name = str(col)
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        cols.append((label(name, lang), _cells(s, name, currency, lang, values), numeric))
    num_cls = ' class="ck-num"'
    head = "".join(f'<th{num_cls if num else ""}>{html.escape(h)}</th>' for h, _, num in cols)
    rows = []
    for i in range(len(shown)):
        tds = "".join(
            f'<td{num_cls if num else ""}>{html.escape(c[i])}</td>' for _, c, num in cols)
        rows.append(f"<tr>{tds}</tr>")
    note = ""
    if len(df) > max_rows:
        more = label("rows_not_shown", lang).format(n=f"{len(df) - max_rows:,}")
        note = f'<p class="ck-note">{html.escape(more)}</p>'
    return (f'<table class="ck-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{note}")


def show_table(df: pd.DataFrame, *, lang: str = "zh", max_rows: int = 50,
               values: tuple[str, ...] | list[str] = (), index: bool = False) -> Any:
    """Display-ready, escaped HTML of ``df`` for notebooks and reports.

    Parameters
    ----------
    df : DataFrame
    lang : {"zh", "en"}
    max_rows : int, default 50
    values : sequence of str
    index : bool, default False
        As in :func:`table_html`.

    Returns
    -------
    IPython.display.HTML
        Make it the last expression of a cell.

    Examples
    --------
    >>> import pandas as pd
    >>> show_table(pd.DataFrame({"name": ["<b>"]}), lang="en").data.count("&lt;b&gt;")
    1
    """
    # shown as written: JupyterLab would typeset US$2.00 ... HK$1.00 as a formula
    return output_html(table_html(df, lang=lang, max_rows=max_rows, values=values, index=index))


_FIGURE_STYLE = ("display:inline-block;min-width:8em;margin:0 0.6em 0.6em 0;padding:0.5em 0.9em;"
                 "border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;"
                 "vertical-align:top")
_VALUE_STYLE = "font-size:1.5em;font-weight:600;font-variant-numeric:tabular-nums;line-height:1.3"
_NAME_STYLE = "color:#57606a;font-size:0.85em"


def headline_html(figures: Mapping[str, Any], *, lang: str = "zh", currency: str = "CNY") -> str:
    """HTML of a report's headline figures: one compact row of labelled values.

    Each figure is formatted exactly as a cell of :func:`table_html` with the
    figure's key as column name: an int keyed ``*_minor`` is money in
    ``currency``, a float keyed ``share``/``*_rate``/``*_share`` a percentage,
    an int a count with thousands separators, another float 4 significant
    digits; a str is shown as given (already formatted); ``None``/NaN as "–".
    The key's label (:func:`creditkit.labels.label`) names the figure.

    Parameters
    ----------
    figures : mapping of str to value
        Label key → value, in the order to show.
    lang : {"zh", "en"}
        Language of the names (and of the money format).
    currency : str, default "CNY"
        ISO 4217 code of the ``*_minor`` figures.

    Returns
    -------
    str
        A ``<div class="ck-headline">`` fragment (styled inline, so it reads the
        same live and in an exported report), every text escaped.

    Raises
    ------
    ParameterError
        If ``figures`` is not a non-empty mapping with str keys, or ``lang`` is unknown.

    Examples
    --------
    >>> h = headline_html({"auc": 0.7512, "bad_rate": 0.3, "n_rows": 1000}, lang="en")
    >>> "0.7512" in h, "30.0%" in h, "1,000" in h
    (True, True, True)
    >>> ">AUC<" in h
    True
    """
    check_lang(lang)
    if not isinstance(figures, Mapping) or not figures:
        raise ParameterError("headline needs a non-empty mapping of label key -> value, e.g. "
                             f"{{'auc': 0.75}}; got {type(figures).__name__} {figures!r:.60}")
    bad = [k for k in figures if not isinstance(k, str)]
    if bad:
        raise ParameterError(f"headline figure keys must be label keys (str), got {bad!r}")
    boxes = []
    for key, value in figures.items():
        if isinstance(value, str):
            text = value
        elif value is None or (isinstance(value, float) and pd.isna(value)):
            text = "–"
        else:
            s = pd.Series([value])
            if key.endswith("_minor") and not pd.api.types.is_integer_dtype(s):
                raise ParameterError(f"headline figure {key!r} is money: pass integer minor "
                                     f"units, got {value!r}")
            text = _cells(s, key, currency, lang, ())[0] or "–"
        boxes.append(f'<div class="ck-figure" style="{_FIGURE_STYLE}">'
                     f'<div class="ck-figure-value" style="{_VALUE_STYLE}">'
                     f"{html.escape(text)}</div>"
                     f'<div class="ck-figure-name" style="{_NAME_STYLE}">'
                     f"{html.escape(label(key, lang))}</div></div>")
    return f'<div class="ck-headline">{"".join(boxes)}</div>'


def headline(figures: Mapping[str, Any], *, lang: str = "zh", currency: str = "CNY") -> Any:
    """A report's first screen: the headline figures for its reader as one compact row.

    Parameters
    ----------
    figures : mapping of str to value
        Label key → value, in the order to show (formatted as in :func:`headline_html`).
    lang : {"zh", "en"}
    currency : str, default "CNY"

    Returns
    -------
    IPython.display.HTML
        Make it the last expression of a cell.

    Raises
    ------
    ParameterError
        As :func:`headline_html`.

    Examples
    --------
    >>> out = headline({"outstanding_minor": 123456, "customers": 20000}, lang="zh").data
    >>> "未结余额" in out and "20,000" in out
    True
    """
    return output_html(headline_html(figures, lang=lang, currency=currency))
