"""Which segment moved a share of the book: a change split into parts that add up exactly.

A share of the book such as the 30+ share is ``N / D``: the amount more than 30
days past due over the amount outstanding. Between two dates it changes from
``N0 / D0`` to ``N1 / D1``. :func:`share_drivers` gives each segment ``g``
(a region, an industry, a tier...) its part of that change,

    contribution_g = N1_g / D1 − N0_g / D0,

the change of the segment's late amount measured against the whole book. The
parts add up to the portfolio's change exactly, so "driven by region X" means
X's part is the largest, and the table shows how large.

Examples
--------
>>> import pandas as pd
>>> aged = {
...     "2025-05-31": pd.DataFrame({"customer_id": ["A", "B"], "outstanding_minor": [100, 100],
...                                 "dpd": [0, 40], "currency": "CNY"}),
...     "2025-06-30": pd.DataFrame({"customer_id": ["A", "B"], "outstanding_minor": [100, 100],
...                                 "dpd": [35, 40], "currency": "CNY"})}
>>> segs = pd.Series({"A": "east", "B": "west"})
>>> d = share_drivers_from_aging(aged["2025-05-31"], aged["2025-06-30"], segs, measure="dpd30")
>>> d[["driver_segment", "share_previous", "share", "contribution"]].values.tolist()
[['east', 0.0, 1.0, 0.5], ['west', 1.0, 1.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creditkit.aging import bill_aging
from creditkit.aging.headline import delinquency, headline_currency
from creditkit.checks import check_as_of, check_date
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["MEASURES", "driver_table", "share_drivers", "share_drivers_from_aging"]

#: The shares a driver table explains: the late part of the outstanding amount.
MEASURES = {"past_due": 0, "dpd30": 30, "dpd90": 90}
_UNKNOWN = "unknown"


def _segments(by: Any, tables: Mapping[str, pd.DataFrame] | None) -> pd.Series:
    """customer_id -> segment, from a customers column name or a given Series."""
    if isinstance(by, pd.Series):
        return by
    if isinstance(by, str):
        customers = (tables or {}).get("customers")
        if not isinstance(customers, pd.DataFrame) or by not in customers.columns:
            have = [] if customers is None else [c for c in customers.columns]
            raise SchemaError(f"customers has no column {by!r} to split the book by (it has "
                              f"{have}); pass by='region', 'industry', or a Series of "
                              "customer_id -> segment (tiers)")
        return customers.set_index("customer_id")[by]
    raise ParameterError(f"by must be a customers column name or a Series customer_id -> "
                         f"segment, got {type(by).__name__}")


def share_drivers_from_aging(aged_before: pd.DataFrame, aged_now: pd.DataFrame,
                             segments: pd.Series, *, measure: str = "dpd30") -> pd.DataFrame:
    """Each segment's part of a share's change, from two bill agings of one currency.

    Parameters
    ----------
    aged_before, aged_now : DataFrame
        :func:`creditkit.aging.bill_aging` at the two dates (``customer_id``,
        ``outstanding_minor``, ``dpd``), one currency.
    segments : Series
        customer_id -> segment; a customer without one is ``unknown``.
    measure : {"past_due", "dpd30", "dpd90"}
        The share explained: amount with dpd above 0, 30 or 90 over the outstanding.

    Returns
    -------
    DataFrame
        One row per segment, largest absolute contribution first: ``driver_segment``,
        ``late_previous_minor``, ``late_minor``, ``outstanding_previous_minor``,
        ``outstanding_minor``, ``share_previous``, ``share`` (the segment's own
        share), ``contribution`` (its part of the portfolio's change; the
        column adds up to it). ``attrs``: ``share_previous``, ``share``, ``measure``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"customer_id": ["A"], "outstanding_minor": [10], "dpd": [5]})
    >>> share_drivers_from_aging(a, a, pd.Series(dtype=object), measure="x")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: measure must be one of [...], got 'x'
    """
    if measure not in MEASURES:
        raise ParameterError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    cut = MEASURES[measure]
    parts = []
    for aged, tag in ((aged_before, "_previous"), (aged_now, "")):
        seg = aged["customer_id"].map(segments).astype(object)
        seg = seg.where(seg.notna(), _UNKNOWN).astype(str)
        late = np.where(aged["dpd"].to_numpy() > cut, aged["outstanding_minor"].to_numpy(), 0)
        g = pd.DataFrame({"driver_segment": seg, f"late{tag}_minor": late.astype("int64"),
                          f"outstanding{tag}_minor": aged["outstanding_minor"].astype("int64")})
        parts.append(g.groupby("driver_segment").sum())
    out = parts[0].join(parts[1], how="outer").fillna(0).astype("int64")
    d0, d1 = out["outstanding_previous_minor"].sum(), out["outstanding_minor"].sum()
    n0, n1 = out["late_previous_minor"].sum(), out["late_minor"].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_previous"] = out["late_previous_minor"] / out["outstanding_previous_minor"]
        out["share"] = out["late_minor"] / out["outstanding_minor"]
    out["contribution"] = ((out["late_minor"] / d1 if d1 else 0.0)
                           - (out["late_previous_minor"] / d0 if d0 else 0.0))
    out = out.reset_index()
    out = out.iloc[np.argsort(-out["contribution"].abs().to_numpy(), kind="stable")]
    out = out.reset_index(drop=True)
    out.attrs.update(share_previous=n0 / d0 if d0 else np.nan, share=n1 / d1 if d1 else np.nan,
                     measure=measure)
    return out


def share_drivers(tables: Mapping[str, pd.DataFrame], *, as_of: Any, previous: Any,
                  by: str | pd.Series = "region", measure: str = "dpd30",
                  currency: str | None = None, mode: str = "fifo") -> pd.DataFrame:
    """Each segment's part of the change of a late share between ``previous`` and ``as_of``.

    Parameters
    ----------
    tables : mapping of DataFrame
        Canonical ``bills``, ``payments`` and (for a column ``by``) ``customers``.
    as_of, previous : date-like
        The two dates, ``previous`` first.
    by : str or Series, default "region"
        A customers column, or a Series customer_id -> segment (for example tiers).
    measure : {"past_due", "dpd30", "dpd90"}, default "dpd30"
    currency : str, optional
        Default the currency with the largest outstanding at ``as_of``.
    mode : {"fifo", "explicit"}

    Returns
    -------
    DataFrame
        As :func:`share_drivers_from_aging`; ``attrs`` also holds ``by``,
        ``currency`` and the dates.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> d = share_drivers(example_portfolio(), as_of="2025-06-30", previous="2025-05-31",
    ...                   by="kind", measure="past_due")
    >>> change = d.attrs["share"] - d.attrs["share_previous"]
    >>> bool(abs(d["contribution"].sum() - change) < 1e-12)
    True
    """
    at, before = check_as_of(as_of), check_date(previous, "previous")
    if before >= at:
        raise ParameterError(f"previous ({before.date()}) must be before as_of ({at.date()})")
    segments = _segments(by, tables)
    bills, payments = tables["bills"], tables["payments"]
    now = bill_aging(bills, payments, as_of=at, mode=mode)
    then = bill_aging(bills, payments, as_of=before, mode=mode)
    cur = headline_currency(delinquency(now), currency)
    out = share_drivers_from_aging(then.loc[then["currency"] == cur],
                                   now.loc[now["currency"] == cur], segments, measure=measure)
    out.attrs.update(by=by if isinstance(by, str) else (by.name or "segment"), currency=cur,
                     as_of=at, previous=before)
    return out


def driver_table(drivers: pd.DataFrame, *, lang: str = "zh", top: int = 20) -> pd.DataFrame:
    """The driver table as a manager reads it: shares as percentages, parts in points.

    Parameters
    ----------
    drivers : DataFrame
        :func:`share_drivers` or :func:`share_drivers_from_aging`.
    lang : {"zh", "en"}
    top : int, default 20
        Segments shown, the largest parts first.

    Returns
    -------
    DataFrame
        ``driver_segment``, ``currency``, ``outstanding_minor``, ``late_minor``,
        ``late_share_before``, ``late_share`` (floats, shown as percentages),
        ``contribution`` (text in points, ``+0.5 pts``): pass it to
        ``show_table(..., values=["driver_segment"])``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"customer_id": ["A"], "outstanding_minor": [100], "dpd": [0]})
    >>> d = share_drivers_from_aging(a, a.assign(dpd=40), pd.Series({"A": "east"}))
    >>> driver_table(d, lang="en")[["late_share", "contribution"]].values.tolist()
    [[1.0, '+100.0 pts']]
    """
    from creditkit.checks import check_lang
    from creditkit.labels import label

    lang = check_lang(lang)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ParameterError(f"top must be a whole number from 1, got {top!r}")
    need = {"driver_segment", "outstanding_minor", "late_minor", "share_previous", "share",
            "contribution"}
    if not isinstance(drivers, pd.DataFrame) or not need <= set(drivers.columns):
        raise ParameterError("driver_table needs share_drivers' table")
    d = drivers.head(top)
    return pd.DataFrame({
        "driver_segment": d["driver_segment"].to_numpy(),
        "currency": drivers.attrs.get("currency", "CNY"),
        "outstanding_minor": d["outstanding_minor"].to_numpy(),
        "late_minor": d["late_minor"].to_numpy(),
        "late_share_before": d["share_previous"].to_numpy(),
        "late_share": d["share"].to_numpy(),
        "contribution": [label("points_change", lang).format(d=f"{v * 100:+.1f}")
                         for v in d["contribution"]],
    })
