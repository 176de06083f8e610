"""The zh/en label table: every column, bucket, tier and metric shown to people.

Chinese labels live here and nowhere else. Each concept owns one section
(a module of this package: ``_core``, ``_cleaning``, ``_scoring``, ``_aging``,
``_collections``, ``_collections_report``, ``_datasets``, ``_dunning``, ``_segmentation``,
``_worklist``, ``_alerts``, ``_restricted``, ``_recovery``, ``_review``, ``_store``,
``_creditfile``, and ``_prose``: report paragraphs read by :func:`prose` and shown by
``creditkit.display.note``);
:data:`SECTIONS` names them and ``LABELS`` is their union. Unknown keys fall back to
the key itself, so a report never fails for a missing label (the test suite checks
that the columns reports show are covered).

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

import difflib
from collections.abc import Iterable, Mapping

import pandas as pd

from creditkit.checks import LANGS, check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels._aging import AGING
from creditkit.labels._alerts import ALERTS
from creditkit.labels._behaviour import BEHAVIOUR, BEHAVIOUR_FORMULAS, BEHAVIOUR_TEMPLATES
from creditkit.labels._cleaning import CLEANING
from creditkit.labels._collections import COLLECTIONS
from creditkit.labels._collections_report import COLLECTIONS_REPORT
from creditkit.labels._core import ALLOWED_LATIN, COMMON, PORTFOLIO, REPORTS
from creditkit.labels._creditfile import CREDITFILE
from creditkit.labels._datasets import DATASETS
from creditkit.labels._dunning import DUNNING
from creditkit.labels._prose import PROSE
from creditkit.labels._recovery import RECOVERY
from creditkit.labels._restricted import RESTRICTED
from creditkit.labels._review import REVIEW
from creditkit.labels._scoring import SCORING
from creditkit.labels._segmentation import SEGMENTATION
from creditkit.labels._store import STORE
from creditkit.labels._worklist import WORKLIST

__all__ = ["ALLOWED_LATIN", "BEHAVIOUR_FORMULAS", "BEHAVIOUR_TEMPLATES", "LABELS", "LANGS",
           "SECTIONS", "label", "labels", "prose", "relabel"]

#: The sections of the table by name, each ``{key: (zh, en)}``; a key lives in one section.
SECTIONS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "common": COMMON,
    "reports": REPORTS,
    "portfolio": PORTFOLIO,
    "cleaning": CLEANING,
    "scoring": SCORING,
    "aging": AGING,
    "behaviour": BEHAVIOUR,
    "segmentation": SEGMENTATION,
    "alerts": ALERTS,
    "collections": COLLECTIONS,
    "datasets": DATASETS,
    "dunning": DUNNING,
    "worklist": WORKLIST,
    "restricted": RESTRICTED,
    "recovery": RECOVERY,
    "collections_report": COLLECTIONS_REPORT,
    "review": REVIEW,
    "store": STORE,
    "creditfile": CREDITFILE,
    "prose": PROSE,
}

LABELS: dict[str, dict[str, str]] = {}
for _section in SECTIONS.values():
    for _key, (_zh, _en) in _section.items():
        LABELS[_key] = {"zh": _zh, "en": _en}


def label(key: str, lang: str = "zh") -> str:
    """The label of ``key`` in ``lang`` (``"zh"`` or ``"en"``); the key itself if unknown.

    Examples
    --------
    >>> label("alipay", "zh"), label("alipay", "en"), label("no_such_key", "en")
    ('支付宝', 'Alipay', 'no_such_key')
    """
    check_lang(lang)
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


def prose(key: str, lang: str = "zh") -> str:
    """The explanatory paragraph ``key`` of the prose section in ``lang``.

    Unlike :func:`label`, an unknown key raises: a report paragraph that is
    missing is a bug, not a value to show as it is. The text uses a small
    Markdown subset (```code```, ``*em*``, ``**strong**``, blank lines between
    paragraphs) that :func:`creditkit.display.prose_html` renders escaped.

    Parameters
    ----------
    key : str
        A key of the prose section (they start ``note_``).
    lang : {"zh", "en"}

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        If ``key`` is not in the prose section or ``lang`` is unknown.

    Examples
    --------
    >>> prose("note_scoring_iv", "zh")[:7]
    '信息值（IV）'
    >>> prose("note_scoring_ivv", "en")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: no report note 'note_scoring_ivv' in the prose ...
    """
    check_lang(lang)
    if key not in PROSE:
        close = difflib.get_close_matches(str(key), PROSE, n=3)
        hint = f"did you mean {close}?" if close else "add it to creditkit/labels/_prose.py"
        raise ParameterError(f"no report note {key!r} in the prose section; {hint}")
    zh, en = PROSE[key]
    return zh if lang == "zh" else en


def relabel(df: pd.DataFrame, lang: str = "zh", *, values: Iterable[str] = ()) -> pd.DataFrame:
    """A copy of ``df`` with labelled column names, and labelled values in ``values`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> relabel(pd.DataFrame({"channel": ["alipay"]}), "en", values=["channel"]).iloc[0].to_dict()
    {'Channel': 'Alipay'}
    """
    check_lang(lang)
    out = df.copy()
    for col in values:
        if col in out.columns:
            out[col] = out[col].map(lambda v: label(v, lang) if isinstance(v, str) else v)
    return out.rename(columns=lambda c: label(c, lang) if isinstance(c, str) else c)
