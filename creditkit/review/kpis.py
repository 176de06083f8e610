"""The manager's monthly figures: this month against the month before (月度信用管理指标).

:func:`review_kpis` gives the headline figures of the monthly portfolio review
at ``as_of`` and at the previous month end, each computed by its owner:

- ``outstanding_minor``, ``past_due_share``, ``dpd30_share``, ``dpd90_share``:
  :func:`creditkit.aging.delinquency` of :func:`creditkit.aging.bill_aging`
  (shares of the outstanding amount);
- ``dso`` and ``cei_rate``: :func:`creditkit.aging.collection_metrics` of the
  month ending at each date;
- ``write_offs_minor``: write-offs (``payments.kind == "write_off"``) dated
  in that month;
- ``new_restrictions``: customers restricted at a date who were not at the
  date before, when the caller passes restriction levels by date.

Every figure carries whether a rise is good (``better``: ``up``, ``down`` or
``neither``), so the commentary and the report colour a change the same way.

Examples
--------
>>> from creditkit.datasets import example_portfolio
>>> k = review_kpis(example_portfolio(), as_of="2025-06-30")
>>> k.loc["outstanding_minor", ["value", "previous"]].tolist()
[51000, 51000]
>>> str(k.attrs["previous"].date()), k.attrs["currency"]
('2025-05-31', 'CNY')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creditkit.aging import bill_aging, collection_metrics
from creditkit.aging.headline import delinquency, headline_currency
from creditkit.checks import check_as_of, check_date
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["KPIS", "KPI_KINDS", "kpi_headline", "previous_month_end", "review_kpis"]

#: The review's figures in reading order, each with its kind and which way is better.
KPIS: dict[str, tuple[str, str]] = {
    "outstanding_minor": ("money", "neither"),
    "past_due_share": ("share", "down"),
    "dpd30_share": ("share", "down"),
    "dpd90_share": ("share", "down"),
    "dso": ("days", "down"),
    "cei_rate": ("share", "up"),
    "write_offs_minor": ("money", "down"),
    "new_restrictions": ("count", "down"),
}
#: What a figure holds: money (int minor units), a share (0-1), days, a count.
KPI_KINDS = ("money", "share", "days", "count")


def previous_month_end(as_of: Any) -> pd.Timestamp:
    """The last month end before ``as_of`` (the month end before, when ``as_of`` is one).

    Examples
    --------
    >>> str(previous_month_end("2025-06-30").date()), str(previous_month_end("2025-06-15").date())
    ('2025-05-31', '2025-05-31')
    """
    ts = check_as_of(as_of)
    return ts.replace(day=1) - pd.Timedelta(days=1)


def _tables(tables: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not isinstance(tables, Mapping):
        raise ParameterError(f"tables must be a mapping of canonical tables (bills, payments, "
                             f"...), got {type(tables).__name__}; pass load_portfolio(store)")
    for name in ("bills", "payments"):
        if not isinstance(tables.get(name), pd.DataFrame):
            raise SchemaError(f"tables has no {name!r} table; the review needs bills and "
                              "payments (load them with creditkit.store.load_portfolio)")
    return tables["bills"], tables["payments"]


def _restricted(levels: Any, when: pd.Timestamp) -> set | None:
    """Customers restricted at ``when`` (level other than none), or None if not given."""
    if levels is None:
        return None
    frame = levels.get(when)
    if frame is None:
        return None
    col = next((c for c in ("restriction_level", "level") if isinstance(frame, pd.DataFrame)
                and c in frame.columns), None)
    if col is None or "customer_id" not in frame.columns:
        raise ParameterError("restrictions must map a date to a DataFrame with customer_id and "
                             "restriction_level (restricted_customers' result at that date)")
    return set(frame.loc[frame[col].fillna("none") != "none", "customer_id"])


def _new(levels: Any, before: pd.Timestamp, at: pd.Timestamp) -> int | None:
    now, then = _restricted(levels, at), _restricted(levels, before)
    if now is None or then is None:
        return None
    return len(now - then)


def review_kpis(tables: Mapping[str, pd.DataFrame], *, as_of: Any, previous: Any = None,
                currency: str | None = None, mode: str = "fifo",
                restrictions: Mapping[Any, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The review's headline figures at ``as_of`` and at the previous month end.

    Parameters
    ----------
    tables : mapping of DataFrame
        Canonical ``bills`` and ``payments`` (others are ignored).
    as_of : date-like
        The review date (usually a month end).
    previous : date-like, optional
        The date compared with; default the month end before ``as_of``.
    currency : str, optional
        The currency reviewed; default the one with the largest outstanding.
    mode : {"fifo", "explicit"}
        Allocation mode, as in the rest of the review.
    restrictions : mapping of date to DataFrame, optional
        Restriction levels (``customer_id``, ``restriction_level``, as
        :func:`creditkit.restricted.restricted_customers` gives them) at ``as_of``, at
        ``previous`` and at the month end before it, for ``new_restrictions``;
        without them that figure is missing.

    Returns
    -------
    DataFrame
        Indexed by figure (:data:`KPIS` order): ``value``, ``previous``,
        ``change`` (value − previous; points for shares), ``kind``,
        ``better``. Money is int minor units; a figure that cannot be
        computed is missing. ``attrs`` holds ``as_of``, ``previous`` and
        ``currency``.

    Raises
    ------
    ParameterError, SchemaError
        Missing tables, bad dates, ``previous`` not before ``as_of``.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> k = review_kpis(example_portfolio(), as_of="2025-06-30")
    >>> k.loc["dpd30_share", "better"], k.loc["outstanding_minor", "kind"]
    ('down', 'money')
    """
    bills, payments = _tables(tables)
    at = check_as_of(as_of)
    before = previous_month_end(at) if previous is None else check_date(previous, "previous")
    if before >= at:
        raise ParameterError(f"previous ({before.date()}) must be before as_of ({at.date()}); "
                             "pass an earlier date, or leave previous out for the month end "
                             "before as_of")
    earlier = previous_month_end(before)
    now = delinquency(bill_aging(bills, payments, as_of=at, mode=mode))
    cur = headline_currency(now, currency)
    then = delinquency(bill_aging(bills, payments, as_of=before, mode=mode))
    b = bills.loc[bills["currency"].astype(str) == cur]
    p = payments.loc[payments["currency"].astype(str) == cur]
    metrics = collection_metrics(b, p, dates=[earlier, before, at], mode=mode)
    rows = {}
    for start, when, table, m in ((before, at, now, metrics.iloc[-1]),
                                  (earlier, before, then, metrics.iloc[0])):
        line = table.loc[table["currency"] == cur]
        rows[when] = {
            "outstanding_minor": int(line["outstanding_minor"].iloc[0]) if len(line) else 0,
            **{k: float(line[k].iloc[0]) if len(line) else np.nan
               for k in ("past_due_share", "dpd30_share", "dpd90_share")},
            "dso": float(m["dso"]),
            "cei_rate": float(m["cei"]),
            "write_offs_minor": _write_offs(p, start, when),
        }
    rows[at]["new_restrictions"] = _new(restrictions, before, at)
    rows[before]["new_restrictions"] = _new(restrictions, earlier, before)
    out = pd.DataFrame({"value": pd.Series(rows[at], dtype=object),
                        "previous": pd.Series(rows[before], dtype=object)}).reindex(list(KPIS))
    out["change"] = [_change(v, w) for v, w in zip(out["value"], out["previous"], strict=True)]
    out["kind"] = [KPIS[k][0] for k in out.index]
    out["better"] = [KPIS[k][1] for k in out.index]
    out.index.name = "kpi"
    out.attrs.update(as_of=at, previous=before, currency=cur)
    return out


def _write_offs(payments: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Write-offs dated after ``start`` up to ``end``."""
    if "kind" not in payments.columns:
        return 0
    dates = pd.to_datetime(payments["paid_date"])
    inside = (payments["kind"] == "write_off") & (dates > start) & (dates <= end)
    return int(payments.loc[inside, "amount_minor"].sum())


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def _change(value: Any, previous: Any) -> Any:
    if _missing(value) or _missing(previous):
        return None
    return value - previous


def kpi_headline(kpis: pd.DataFrame) -> dict[str, object]:
    """The review's first screen: this month's figures as label key → value.

    Pass it to :func:`creditkit.display.headline` with ``kpis.attrs["currency"]``;
    the keys format themselves (``*_minor`` money, ``*_share``/``*_rate``
    percentages), a figure that could not be computed shows "–".

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> h = kpi_headline(review_kpis(example_portfolio(), as_of="2025-06-30"))
    >>> list(h)[:3], h["outstanding_minor"]
    (['outstanding_minor', 'past_due_share', 'dpd30_share'], 51000)
    """
    if not isinstance(kpis, pd.DataFrame) or "value" not in kpis.columns:
        raise ParameterError("kpi_headline needs review_kpis' table")
    out: dict[str, object] = {}
    for key, v in kpis["value"].items():
        if _missing(v):
            out[str(key)] = None
        elif KPIS.get(str(key), ("",))[0] in ("money", "count"):
            out[str(key)] = int(v)
        elif KPIS.get(str(key), ("",))[0] == "days":
            out[str(key)] = round(float(v), 1)
        else:
            out[str(key)] = float(v)
    return out
