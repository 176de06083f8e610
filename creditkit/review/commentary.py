"""Plain-language commentary generated from the review's numbers, in zh or en.

:func:`commentary` turns :func:`~creditkit.review.review_kpis` (and, for one
share, :func:`~creditkit.review.share_drivers`) into sentences such as
"30+ share rose from 3.1% to 3.8% (+0.7 pts), driven by East China (+0.5 pts)".
The words come from the label table (``comment_*`` templates), chosen by the
direction of each number; nothing is typed per report.

What it decides
---------------
- A share is "unchanged" when it moved less than :data:`FLAT_POINTS` (0.05
  points); days when less than :data:`FLAT_DAYS`; money only when equal.
- The driver clause names the segment with the largest part of the change.
  When that part is at least :data:`DRIVER_SHARE` (half) of the change and
  moves the same way, the change is "driven by" it; otherwise the change is
  "spread across segments" and the largest part is still named.
- A figure that could not be computed says so instead of disappearing.

Examples
--------
>>> import pandas as pd
>>> k = pd.DataFrame({"value": [0.038], "previous": [0.031], "kind": ["share"]},
...                  index=pd.Index(["dpd30_share"], name="kpi"))
>>> commentary(k, lang="en")
['Share over 30 days past due rose from 3.1% to 3.8% (+0.7 pts)']
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor

__all__ = ["DRIVER_SHARE", "FLAT_DAYS", "FLAT_POINTS", "commentary", "commentary_block",
           "commentary_html", "kpi_table"]

#: A share that moved less than this (in points) is "unchanged".
FLAT_POINTS = 0.05
#: Days that moved less than this are "unchanged".
FLAT_DAYS = 0.05
#: A segment whose part is at least this share of the change "drives" it.
DRIVER_SHARE = 0.5
_MEASURE_KPI = {"past_due": "past_due_share", "dpd30": "dpd30_share", "dpd90": "dpd90_share"}


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA


def _pts(v: float) -> str:
    return f"{v * 100:+.1f}"


def _sentence(key: str, kind: str, a: Any, b: Any, lang: str, currency: str) -> str:
    name = label(key, lang)
    if _missing(b) or (kind != "count" and _missing(a)):
        return label("comment_missing", lang).format(name=name)
    if kind == "count":
        prev = "–" if _missing(a) else f"{int(a):,}"
        return label("comment_count", lang).format(name=name, a=prev, b=f"{int(b):,}")
    if kind == "share":
        d = float(b) - float(a)
        way = "flat" if abs(d) * 100 < FLAT_POINTS else ("up" if d > 0 else "down")
        return label(f"comment_share_{way}", lang).format(name=name, a=f"{a:.1%}", b=f"{b:.1%}",
                                                          d=_pts(d))
    if kind == "days":
        d = float(b) - float(a)
        way = "flat" if abs(d) < FLAT_DAYS else ("up" if d > 0 else "down")
        return label(f"comment_days_{way}", lang).format(name=name, a=f"{a:.1f}", b=f"{b:.1f}")
    if kind == "money":
        a, b = int(a), int(b)
        way = "flat" if a == b else ("up" if b > a else "down")
        rel = "–" if a == 0 else f"{(b - a) / abs(a):+.1%}"
        return label(f"comment_money_{way}", lang).format(
            name=name, a=format_minor(a, currency, lang=lang),
            b=format_minor(b, currency, lang=lang), d=rel)
    raise ParameterError(f"kpis has an unknown kind {kind!r} for {key!r}; kinds are money, "
                         "share, days, count (review_kpis)")


def _driver(drivers: pd.DataFrame, lang: str) -> str:
    change = drivers.attrs.get("share", np.nan) - drivers.attrs.get("share_previous", np.nan)
    if drivers.empty or _missing(change) or abs(change) * 100 < FLAT_POINTS:
        return ""
    top = drivers.iloc[0]
    part = float(top["contribution"])
    same_way = np.sign(part) == np.sign(change)
    key = "comment_driven" if same_way and abs(part) >= DRIVER_SHARE * abs(change) \
        else "comment_spread"
    return label(key, lang).format(segment=label(str(top["driver_segment"]), lang),
                                   c=_pts(part))


def commentary(kpis: pd.DataFrame, drivers: pd.DataFrame | None = None, *, lang: str = "zh",
               currency: str | None = None) -> list[str]:
    """Sentences on the review's figures, each generated from its numbers.

    Parameters
    ----------
    kpis : DataFrame
        :func:`~creditkit.review.review_kpis` (index: figure; ``value``,
        ``previous``, ``kind``).
    drivers : DataFrame, optional
        :func:`~creditkit.review.share_drivers` for one share: its sentence
        gains the segment that moved it.
    lang : {"zh", "en"}
    currency : str, optional
        Currency of the money figures; default ``kpis.attrs["currency"]`` or CNY.

    Returns
    -------
    list of str
        One sentence per figure, in the table's order.

    Raises
    ------
    ParameterError
        ``kpis`` without its columns, an unknown kind, an unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"value": [120000, None], "previous": [100000, 0.8],
    ...                   "kind": ["money", "share"]},
    ...                  index=["outstanding_minor", "cei_rate"])
    >>> commentary(k, lang="zh")
    ['未结余额由¥1,000.00增至¥1,200.00（+20.0%）', '回款有效性指数 (CEI，本月)无法计算（缺少数据）']
    """
    lang = check_lang(lang)
    if not isinstance(kpis, pd.DataFrame) or not {"value", "previous", "kind"} <= set(
            kpis.columns):
        raise ParameterError("kpis must be review_kpis' table (value, previous, kind)")
    cur = currency or kpis.attrs.get("currency") or "CNY"
    target = None
    if drivers is not None:
        target = _MEASURE_KPI.get(drivers.attrs.get("measure", ""))
    out = []
    for key, row in kpis.iterrows():
        text = _sentence(str(key), row["kind"], row["previous"], row["value"], lang, cur)
        if key == target and not _missing(row["value"]) and not _missing(row["previous"]):
            text += _driver(drivers, lang)
        out.append(text)
    return out


def commentary_block(kpis: pd.DataFrame, drivers: pd.DataFrame | None = None, *,
                     lang: str = "zh", currency: str | None = None) -> Any:
    """The commentary of :func:`commentary`, shown in a notebook or report.

    Returns
    -------
    IPython.display.HTML
        Make it the last expression of a cell.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"value": [0.04], "previous": [0.03], "kind": ["share"]},
    ...                  index=["dpd30_share"])
    >>> "1.0 pts" in commentary_block(k, lang="en").data
    True
    """
    from IPython.display import HTML

    return HTML(commentary_html(commentary(kpis, drivers, lang=lang, currency=currency),
                                lang=lang))


def commentary_html(sentences: list[str], *, lang: str = "zh") -> str:
    """The commentary as an escaped HTML list under its heading.

    Examples
    --------
    >>> commentary_html(["A <b> rose"], lang="en").split("</strong>")[1]
    '<ul><li>A &lt;b&gt; rose</li></ul></div>'
    """
    lang = check_lang(lang)
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    return (f'<div class="ck-commentary"><strong>{html.escape(label("review_commentary", lang))}'
            f"</strong><ul>{items}</ul></div>")


def _text(kind: str, v: Any, lang: str, currency: str) -> str:
    if _missing(v):
        return "–"
    if kind == "money":
        return format_minor(int(v), currency, lang=lang)
    if kind == "share":
        return f"{float(v):.1%}"
    if kind == "days":
        return f"{float(v):.1f}"
    return f"{int(v):,}"


def _change_text(kind: str, d: Any, lang: str, currency: str) -> str:
    if _missing(d):
        return "–"
    if kind == "share":
        return label("points_change", lang).format(d=_pts(float(d)))
    if kind == "money":
        sign = "+" if d > 0 else ""
        return sign + format_minor(int(d), currency, lang=lang)
    if kind == "days":
        return f"{float(d):+.1f}"
    return f"{int(d):+,}"


def kpi_table(kpis: pd.DataFrame, *, lang: str = "zh", currency: str | None = None) -> pd.DataFrame:
    """The review's figures as the table a manager reads: this month, last month, the change.

    Each row is formatted by its kind (money with its currency, shares as
    percentages and their change in points, days with one decimal), and
    ``assessment`` says whether the change is for the better (``better``,
    ``worse`` or ``–``) by the figure's ``better`` direction.

    Parameters
    ----------
    kpis : DataFrame
        :func:`~creditkit.review.review_kpis`.
    lang : {"zh", "en"}
    currency : str, optional
        Default ``kpis.attrs["currency"]`` or CNY.

    Returns
    -------
    DataFrame
        ``kpi`` (the figure's name in ``lang``), ``value``, ``previous``,
        ``change``, ``assessment``: text, ready for ``show_table``.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"value": [0.038], "previous": [0.031], "change": [0.007],
    ...                   "kind": ["share"], "better": ["down"]}, index=["dpd30_share"])
    >>> kpi_table(k, lang="en").iloc[0].tolist()
    ['Share over 30 days past due', '3.8%', '3.1%', '+0.7 pts', 'Worse']
    """
    lang = check_lang(lang)
    need = {"value", "previous", "change", "kind", "better"}
    if not isinstance(kpis, pd.DataFrame) or not need <= set(kpis.columns):
        raise ParameterError(f"kpis must be review_kpis' table ({sorted(need)})")
    cur = currency or kpis.attrs.get("currency") or "CNY"
    rows = []
    for key, r in kpis.iterrows():
        d = r["change"]
        judged = "–"
        if not _missing(d) and r["better"] in ("up", "down") and d != 0:
            judged = label("better_change" if (d > 0) == (r["better"] == "up")
                           else "worse_change", lang)
        rows.append({"kpi": label(str(key), lang), "value": _text(r["kind"], r["value"], lang, cur),
                     "previous": _text(r["kind"], r["previous"], lang, cur),
                     "change": _change_text(r["kind"], d, lang, cur), "assessment": judged})
    return pd.DataFrame(rows, columns=["kpi", "value", "previous", "change", "assessment"])
