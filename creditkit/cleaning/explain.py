"""Quarantine messages explained to people, in Chinese or English.

A quarantine row keeps a machine ``message`` (English, internal column
names: ``credit_limit_minor: amount is negative … (got '-500')``) for logs
and tests. People read an explanation instead, written from the label table
of :mod:`creditkit.labels`: the column's label, the reason's explanation
(``why_<reason>``), the value as written and the other checks the row failed,
all in the report's language.

Examples
--------
>>> import pandas as pd
>>> q = pd.DataFrame({"reason": ["negative_amount"], "column": ["amount_minor"],
...     "message": ["amount_minor: amount is negative where only amounts >= 0 make sense "
...                 "(got '-5'); also unknown_channel(channel)"]})
>>> zh, en = explain_quarantine(q, "zh")[0], explain_quarantine(q, "en")[0]
>>> zh.startswith("金额：金额为负数"), zh.endswith("（原值：'-5'）；另有：支付渠道无法识别（渠道）")
(True, True)
>>> en.endswith("(got '-5'); also: Unknown channel (Channel)")
True
"""

from __future__ import annotations

import pandas as pd

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["explain_quarantine", "value_as_written"]

#: The value as written, quoted at the end of a machine message: ``… (got '-500')``.
_GOT = r"\(got '(?P<val>.*?)'\)(?:;|$)"

_PUNCT = {
    "zh": {"col": "：", "open": "（", "close": "）", "sep": "；", "list": "、", "quote": "："},
    "en": {"col": ": ", "open": " (", "close": ")", "sep": "; ", "list": ", ", "quote": " "},
}


def _also(text: object, lang: str) -> str:
    """``reason(column), …`` of a message as labelled ``原因（字段）、…``."""
    p = _PUNCT[lang]
    items = []
    for item in str(text).split(", "):
        reason, _, column = item.partition("(")
        column = column.rstrip(")")
        items.append(label(reason, lang) + (f"{p['open']}{label(column, lang)}{p['close']}"
                                            if column and column != "*" else ""))
    return p["list"].join(items)


def value_as_written(quarantine: pd.DataFrame) -> pd.Series:
    """The value each quarantined row held, as written in the file (``None`` when none).

    Reports show it in its own column (``value_as_written``): it is data, in
    whatever language the file was written, not the report's words.

    Parameters
    ----------
    quarantine : DataFrame
        Rows with a ``message`` (as for :func:`explain_quarantine`).

    Returns
    -------
    Series of object
        Same index as ``quarantine``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"message": ["channel: unknown (got '比特币')", "line 7: empty"]})
    >>> value_as_written(q).tolist()
    ['比特币', None]
    """
    if "message" not in quarantine.columns:
        raise ParameterError(f"value_as_written needs a 'message' column; got "
                             f"{list(quarantine.columns)}; pass CleanResult.quarantine")
    got = quarantine["message"].astype("str").str.extract(_GOT)["val"]
    return got.astype(object).where(got.notna(), None)


def explain_quarantine(quarantine: pd.DataFrame, lang: str = "zh", *,
                       quote_value: bool = True) -> pd.Series:
    """One explanation per quarantined (or merged) row, in ``lang``.

    Parameters
    ----------
    quarantine : DataFrame
        Rows with ``reason``, ``column`` and ``message`` (a
        ``CleanResult.quarantine``, or the rows of
        :func:`~creditkit.cleaning.quarantine_rows`, whose messages may be
        masked already). A merged row (``exact_duplicate``) also needs
        ``surviving_source_line`` (or ``surviving_source_row``) or a message
        ending in that number (``... of line 3``).
    lang : {"zh", "en"}, default "zh"
    quote_value : bool, default True
        End the explanation with the value as written (``（原值：'-5'）``).
        Reports pass False and show :func:`value_as_written` in a column of
        its own, so that data values never mix with the report's words.

    Returns
    -------
    Series of str
        Same index as ``quarantine``.

    Raises
    ------
    ParameterError
        When a column is missing or ``lang`` is not a report language.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"reason": ["exact_duplicate"], "column": ["*"],
    ...                   "message": ["exact duplicate of source row 3"]})
    >>> explain_quarantine(q, "zh").tolist()
    ['与源文件第 3 行内容完全相同，已合并']
    """
    check_lang(lang)
    missing = [c for c in ("reason", "column", "message") if c not in quarantine.columns]
    if missing:
        raise ParameterError(f"explain_quarantine needs columns {missing}; got "
                             f"{list(quarantine.columns)}; pass CleanResult.quarantine")
    p = _PUNCT[lang]
    msg = quarantine["message"].astype("str").fillna("")
    got = msg.str.extract(_GOT)["val"]
    also = msg.str.extract(r"; also (?P<also>.*)$")["also"]
    row = msg.str.extract(r"(?:source row|line) (?P<row>\d+)$")["row"]
    for col in ("surviving_source_line", "surviving_source_row"):
        if col in quarantine.columns:
            row = row.fillna(quarantine[col].astype("str").where(quarantine[col].notna()))
    out = []
    for reason, column, value, more, surv in zip(
            quarantine["reason"], quarantine["column"], got, also, row, strict=True):
        why = label(f"why_{reason}", lang)
        if why == f"why_{reason}":  # a reason without an explanation: its short label
            why = label(str(reason), lang)
        text = why.replace("{row}", "" if pd.isna(surv) else str(surv))
        if isinstance(column, str) and column not in ("*", ""):
            text = label(column, lang) + p["col"] + text
        if quote_value and isinstance(value, str):
            text += f"{p['open']}{label('quoted_value', lang)}{p['quote']}'{value}'{p['close']}"
        if isinstance(more, str) and more:
            text += f"{p['sep']}{label('also_failed', lang)}{p['col']}{_also(more, lang)}"
        out.append(text)
    return pd.Series(out, index=quarantine.index, dtype="str")
