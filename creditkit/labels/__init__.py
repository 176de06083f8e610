"""The zh/en label table: every column, bucket, tier and metric shown to people.

Chinese labels live here and nowhere else. Each concept owns one section
(a module of this package: ``_core``, ``_cleaning``, ``_scoring``, ``_aging``,
``_datasets``, and ``_prose``: report paragraphs shown by ``reporting.note``);
``LABELS`` is their union. Unknown keys fall back to the key itself,
so a report never fails for a missing label (the test suite checks that the
columns reports show are covered).

Examples
--------
>>> label("outstanding_minor", "zh")
'未结余额'
>>> label("outstanding_minor", "en")
'Outstanding'
>>> relabel(__import__("pandas").DataFrame({"dpd": [1]}), "zh").columns.tolist()
['逾期天数']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.labels._aging import _AGING
from creditkit.labels._cleaning import _CLEANING
from creditkit.labels._core import _COMMON, _PORTFOLIO, _REPORTS
from creditkit.labels._datasets import _DATASETS
from creditkit.labels._prose import _PROSE
from creditkit.labels._scoring import _SCORING

__all__ = ["LABELS", "LANGS", "label", "labels", "relabel"]

LANGS = ("zh", "en")


_SECTIONS = (_COMMON, _REPORTS, _PORTFOLIO, _CLEANING, _SCORING, _AGING, _DATASETS, _PROSE)

LABELS: dict[str, dict[str, str]] = {}
for _section in _SECTIONS:
    for _key, (_zh, _en) in _section.items():
        LABELS[_key] = {"zh": _zh, "en": _en}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def label(key: str, lang: str = "zh") -> str:
    """The label of ``key`` in ``lang`` (``"zh"`` or ``"en"``); the key itself if unknown.

    Examples
    --------
    >>> label("alipay", "zh"), label("alipay", "en"), label("no_such_key", "en")
    ('支付宝', 'Alipay', 'no_such_key')
    """
    _check_lang(lang)
    entry = LABELS.get(key)
    return entry[lang] if entry else key


def labels(keys: Iterable[str], lang: str = "zh") -> list[str]:
    """Labels of several keys.

    Examples
    --------
    >>> labels(["wechat", "cash"], "en")
    ['WeChat Pay', 'Cash']
    """
    return [label(k, lang) for k in keys]


def relabel(df: pd.DataFrame, lang: str = "zh", *, values: Iterable[str] = ()) -> pd.DataFrame:
    """A copy of ``df`` with labelled column names, and labelled values in ``values`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> relabel(pd.DataFrame({"channel": ["alipay"]}), "en", values=["channel"]).iloc[0].to_dict()
    {'Channel': 'Alipay'}
    """
    _check_lang(lang)
    out = df.copy()
    for col in values:
        if col in out.columns:
            out[col] = out[col].map(lambda v: label(v, lang) if isinstance(v, str) else v)
    return out.rename(columns=lambda c: label(c, lang) if isinstance(c, str) else c)
