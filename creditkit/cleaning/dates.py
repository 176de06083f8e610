"""Reading dates written the many ways exports write them, without guessing.

Accepted: ``2024-01-05``, ``2024/1/5``, ``2024.1.5``, ``2024年1月5日``,
``20240105``, any of these followed by a time (dropped: dates are midnight),
Excel serial numbers (``45296`` is 2024-01-05; 1900 date system, 20000–80000
so an 8-digit ``YYYYMMDD`` is never read as a serial), and ``DD/MM/YYYY`` or
``MM/DD/YYYY``. The slash-with-year-last form is read only with an explicit
``dayfirst=True/False``; without it, a value is read only when it cannot be
anything else (``25/01/2024``, ``05/05/2024``), and ``05/01/2024`` gets reason
``ambiguous_date``. Calendar-impossible dates (``2024-02-30``) get
``impossible_date``; anything else unreadable gets ``unparseable_date``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from creditkit.cleaning.text import on_uniques
from creditkit.exceptions import ParameterError

__all__ = ["EXCEL_EPOCH", "parse_dates"]

#: Day 0 of Excel's 1900 date system as Excel counts (it thinks 1900 was a leap year).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YMD = rf"^(?P<y>\d{{4}})\s*[-/.年]\s*(?P<m>\d{{1,2}})\s*[-/.月]\s*(?P<d>\d{{1,2}})\s*日?{_TIME}$"
_COMPACT = rf"^(?P<y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}}){_TIME}$"
_XYY = rf"^(?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}})[-/.](?P<y>\d{{4}}){_TIME}$"
_SERIAL = r"^(?P<n>\d{5})(?:\.\d+)?$"


def _build(y: pd.Series, m: pd.Series, d: pd.Series) -> pd.Series:
    """Timestamps from integer parts; NaT where the calendar has no such day."""
    frame = pd.DataFrame({"year": y, "month": m, "day": d}).astype("float64")
    return pd.to_datetime(frame, errors="coerce").astype("datetime64[ns]")


def parse_dates(s: pd.Series, *, dayfirst: bool | None = None) -> pd.DataFrame:
    """Parse a column of dates written in mixed formats.

    Parameters
    ----------
    s : Series
        Raw cells: text, Excel numbers, or already datetime64 (kept, normalised
        to midnight, time zone dropped).
    dayfirst : bool or None, default None
        How to read ``NN/NN/YYYY``: ``True`` day first (05/01/2024 is 5 January),
        ``False`` month first, ``None`` only where unambiguous.

    Returns
    -------
    DataFrame
        ``date`` (datetime64[ns], midnight) and ``reason`` (``unparseable_date``,
        ``impossible_date``, ``ambiguous_date`` or ``<NA>``).

    Raises
    ------
    ParameterError
        When ``dayfirst`` is not True, False or None.

    Examples
    --------
    >>> import pandas as pd
    >>> out = parse_dates(pd.Series(["2024-01-05", "2024年1月5日", "20240105", "45296",
    ...                              "05/01/2024", "2024-02-30"]))
    >>> out["date"].dt.strftime("%Y-%m-%d").tolist()[:4]
    ['2024-01-05', '2024-01-05', '2024-01-05', '2024-01-05']
    >>> out["reason"].tolist()[4:]
    ['ambiguous_date', 'impossible_date']
    >>> parse_dates(pd.Series(["05/01/2024"]), dayfirst=True)["date"].dt.month.tolist()
    [1]
    """
    if dayfirst not in (True, False, None):
        raise ParameterError(f"dayfirst must be True, False or None, got {dayfirst!r}")
    if ptypes.is_datetime64_any_dtype(s):
        d = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return pd.DataFrame({"date": d.dt.normalize().astype("datetime64[ns]"),
                             "reason": pd.Series(None, index=s.index, dtype="str")})

    def fn(u: pd.Series) -> pd.DataFrame:
        v = u.str.normalize("NFKC").str.strip()
        y = pd.Series(np.nan, index=u.index)
        m = y.copy()
        d = y.copy()
        matched = pd.Series(False, index=u.index)
        ambiguous = pd.Series(False, index=u.index)
        for pattern in (_YMD, _COMPACT):
            p = v.str.extract(pattern)
            hit = p["y"].notna() & ~matched
            y[hit], m[hit], d[hit] = (p.loc[hit, k].astype(float) for k in ("y", "m", "d"))
            matched |= hit
        p = v.str.extract(_XYY)
        hit = p["y"].notna() & ~matched
        a, b = p["a"].astype(float), p["b"].astype(float)
        if dayfirst is None:
            day_a = (a > 12) | (a == b)
            day_b = (b > 12) & (a <= 12)
            ambiguous = hit & ~day_a & ~day_b
        else:
            day_a = pd.Series(dayfirst, index=u.index)
            day_b = ~day_a
        take = hit & ~ambiguous
        y[take] = p.loc[take, "y"].astype(float)
        d[take] = a.where(day_a, b)[take]
        m[take] = b.where(day_a, a)[take]
        matched |= hit
        date = _build(y, m, d)
        p = v.str.extract(_SERIAL)
        n = p["n"].astype(float)
        serial = n.between(20000, 80000) & ~matched
        date = date.where(~serial, EXCEL_EPOCH + pd.to_timedelta(n.where(serial), unit="D"))
        matched |= serial
        reason = np.select(
            [~matched, ambiguous, date.isna()],
            ["unparseable_date", "ambiguous_date", "impossible_date"], default=None)
        return pd.DataFrame({"date": date, "reason": pd.Series(reason, index=u.index,
                                                               dtype="str")})

    out = on_uniques(s, fn)
    out["date"] = out["date"].astype("datetime64[ns]")
    return out
