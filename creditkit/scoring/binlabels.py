"""Bin labels in the reader's language, through the label table.

A bin's label is data (``"[30, inf)"``, ``"no checking account, ... < 0 DM"``,
``"Missing"``): :mod:`~creditkit.scoring.binning` and
:mod:`~creditkit.scoring.cardspec` build it from the edges or the category
groups, and the card's JSON and SQL keep it unchanged. For a report it is
shown in ``lang``:

- an interval ``[a, b)`` keeps its numbers, with ``∞`` for ``inf`` and an edge
  the card wrote in e-notation (``1.98157e+07``) in plain digits (``19815700``);
- a category group is split into its categories (a category may itself hold
  ``", "``: the longest run of parts that is a key of the label table is one
  category), each shown by its label and joined with ``、`` (zh) or ``", "`` (en);
- ``Missing``, ``Unknown``, ``Totals`` and ``Special <values>`` by their labels.

A category without a label is shown as it is (the label table falls back to
the key), so nothing is lost; the tests check that the German credit data's
categories all have labels.

Examples
--------
>>> bin_label("[30, inf)", "zh")
'[30, ∞)'
>>> bin_label("own, for free", "zh")
'自有住房、免费居住'
>>> bin_label("Missing", "en")
'Missing'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd

from creditkit.checks import check_lang
from creditkit.labels import LABELS, label

__all__ = ["bin_label", "label_bins"]

_INTERVAL = re.compile(r"^[\[(]\s*(-?inf|[-+0-9.eE]+)\s*,\s*(-?inf|[-+0-9.eE]+)\s*[\])]$")
#: An edge written in e-notation by ``:g`` (``1.98157e+07``): shown in plain digits.
_E_NUMBER = re.compile(r"-?\d+(?:\.\d+)?[eE][-+]?\d+")
_SEPARATOR = {"zh": "、", "en": ", "}
_SPECIAL = "Special "


def _categories(text: str) -> list[str]:
    """The categories of a group label: the longest runs of ", "-parts that are label keys."""
    parts = text.split(", ")
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            joined = ", ".join(parts[i:j])
            if joined in LABELS or j == i + 1:
                out.append(joined)
                i = j
                break
    return out


def bin_label(text: object, lang: str = "zh") -> object:
    """One bin label in ``lang`` (see the module docstring); a non-text value is returned as is.

    Parameters
    ----------
    text : str
        A bin label as the binning or the card writes it.
    lang : {"zh", "en"}

    Returns
    -------
    str

    Examples
    --------
    >>> bin_label("(-inf, 9)", "en")
    '(-∞, 9)'
    >>> bin_label("Special -1", "zh")
    '特殊值 -1'
    """
    check_lang(lang)
    if not isinstance(text, str):
        return text
    if _INTERVAL.match(text):
        plain = _E_NUMBER.sub(lambda m: format(Decimal(m.group()), "f"), text)
        return plain.replace("inf", "∞")
    if text in LABELS:
        return label(text, lang)
    if text.startswith(_SPECIAL):
        return f"{label('special_values', lang)} {text[len(_SPECIAL):]}"
    return _SEPARATOR[lang].join(label(c, lang) for c in _categories(text))


def label_bins(table: pd.DataFrame, lang: str = "zh", *,
               columns: Iterable[str] = ("bin",)) -> pd.DataFrame:
    """A copy of ``table`` whose bin-label ``columns`` are shown in ``lang``.

    Parameters
    ----------
    table : DataFrame
        E.g. ``Scorecard.points_table()`` or ``BinningProcess.table(variable)``.
    lang : {"zh", "en"}
    columns : iterable of str, default ("bin",)
        The columns holding bin labels; absent ones are skipped.

    Returns
    -------
    DataFrame
        The input is not modified.

    Examples
    --------
    >>> t = pd.DataFrame({"bin": ["rent", "own, for free", "Missing"], "points": [1, 2, 3]})
    >>> label_bins(t, "zh")["bin"].tolist()
    ['租房', '自有住房、免费居住', '缺失']
    """
    check_lang(lang)
    out = table.copy()
    for col in columns:
        if col in out.columns:
            out[col] = out[col].map(lambda v: bin_label(v, lang))
    return out
