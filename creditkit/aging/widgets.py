"""Drill-down widget of the aging: bucket → customers → bills (cells tagged ``report-hide``).

Callbacks only filter the tables handed in and set widget traits
(``Select.options``, ``HTML.value``), so the widget works and is tested headless.
Mask personal data before handing the customers table in
(``creditkit.privacy.mask_pii``). Controls are named and explained from the label
table; the bills are formatted like the report's tables
(:func:`creditkit.display.widgets.widget_table_html`), and a bill not yet due
says when it falls due ("due in 12 days", "12 天后到期") instead of a negative
number of days past due.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from creditkit.checks import check_lang
from creditkit.display.widgets import widget_table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor

__all__ = ["aging_drilldown", "dpd_text"]

_NEEDED = ["bill_id", "customer_id", "currency", "due_date", "outstanding_minor", "dpd", "bucket"]
_SHOWN = ["bill_id", "invoice_id", "issue_date", "due_date", "amount_minor", "outstanding_minor",
          "dpd", "bucket", "currency"]


def dpd_text(dpd: pd.Series, *, lang: str = "zh") -> pd.Series:
    """Days past due as a reader says them: a number when overdue, else when the bill falls due.

    ``dpd`` ≤ 0 means not yet overdue (the bill is in ``current``): 0 is
    "due today", −1 "due tomorrow", −N "due in N days" (今日到期, 明天到期,
    N 天后到期). Overdue days are written with thousands separators.

    Parameters
    ----------
    dpd : Series of int
        Days past due (``as_of`` − due date), as :func:`creditkit.aging.bill_aging` gives.
    lang : {"zh", "en"}

    Returns
    -------
    Series of str
        Same index; ``""`` where ``dpd`` is missing.

    Raises
    ------
    ParameterError
        If ``dpd`` is not a Series of numbers, or ``lang`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> dpd_text(pd.Series([45, 0, -1, -12]), lang="en").tolist()
    ['45', 'due today', 'due tomorrow', 'due in 12 days']
    >>> dpd_text(pd.Series([-12]), lang="zh").tolist()
    ['12 天后到期']
    """
    check_lang(lang)
    if not isinstance(dpd, pd.Series) or not (pd.api.types.is_numeric_dtype(dpd)
                                              and not pd.api.types.is_bool_dtype(dpd)):
        raise ParameterError("dpd_text needs a Series of days past due (numbers), got "
                             f"{type(dpd).__name__} {getattr(dpd, 'dtype', '')}".rstrip())
    today, tomorrow = label("due_today", lang), label("due_tomorrow", lang)
    ahead = label("due_in_days", lang)

    def one(v: object) -> str:
        if pd.isna(v):
            return ""
        d = int(v)
        if d > 0:
            return f"{d:,}"
        return today if d == 0 else tomorrow if d == -1 else ahead.format(n=f"{-d:,}")

    return dpd.map(one).astype(object)


def aging_drilldown(
    aged: pd.DataFrame,
    *,
    customers: pd.DataFrame | None = None,
    lang: str = "zh",
    max_rows: int = 50,
) -> w.VBox:
    """Pick a bucket, then one of its customers (largest first), and see their open bills.

    Parameters
    ----------
    aged : DataFrame
        From :func:`creditkit.aging.bill_aging`.
    customers : DataFrame, optional
        ``customer_id`` and ``name`` (masked) to show next to ids.
    lang : {"zh", "en"}
    max_rows : int, default 50
        Customers listed per bucket and bills shown per customer.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``bucket`` (Dropdown), ``customer`` (Select) and
        ``bills`` (HTML) for scripting and tests.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``, ``max_rows`` not positive.

    Examples
    --------
    >>> import pandas as pd
    >>> aged = pd.DataFrame({"bill_id": ["B1", "B2"], "customer_id": ["A", "B"],
    ...     "currency": ["CNY", "CNY"], "due_date": pd.to_datetime(["2025-01-31", "2025-03-31"]),
    ...     "outstanding_minor": [500, 200], "dpd": [59, 0],
    ...     "bucket": pd.Categorical(["31-60", "current"], categories=["current", "31-60"])})
    >>> box = aging_drilldown(aged, lang="en")
    >>> box.bucket.value = "31-60"
    >>> box.customer.options[0][1], "B1" in box.bills.value
    ('A', True)
    """
    if not isinstance(aged, pd.DataFrame):
        raise ParameterError(f"aging_drilldown needs a DataFrame, got {type(aged).__name__}")
    missing = [c for c in _NEEDED if c not in aged.columns]
    if missing:
        raise ParameterError(f"aging_drilldown needs column(s) {missing} (from bill_aging); "
                             f"got {list(aged.columns)}")
    check_lang(lang)
    if not isinstance(max_rows, int) or max_rows < 1:
        raise ParameterError(f"max_rows must be a positive int, got {max_rows!r}")
    open_ = aged[aged["outstanding_minor"] > 0]
    names = {}
    if customers is not None and {"customer_id", "name"} <= set(customers.columns):
        names = dict(zip(customers["customer_id"], customers["name"], strict=False))
    per = (open_.assign(bucket=open_["bucket"].astype(str))
           .groupby(["bucket", "customer_id", "currency"], sort=False)["outstanding_minor"]
           .sum().reset_index())
    cats = (list(aged["bucket"].cat.categories) if isinstance(aged["bucket"].dtype,
            pd.CategoricalDtype) else sorted(per["bucket"].unique()))
    present = [b for b in cats if b in set(per["bucket"])]
    bucket = w.Dropdown(options=[(label(b, lang), b) for b in present],
                        value=present[0] if present else None, description=label("bucket", lang),
                        tooltip=label("bucket_tip", lang))
    customer = w.Select(options=[], rows=10, description=label("drill_customer", lang),
                        tooltip=label("drill_customer_tip", lang), layout=w.Layout(width="60%"))
    bills = w.HTML(tooltip="")

    def on_bucket(_change: object = None) -> None:
        rows = per[per["bucket"] == bucket.value].nlargest(max_rows, "outstanding_minor")
        opts = []
        for cid, cur, amt in rows[["customer_id", "currency", "outstanding_minor"]].itertuples(
                index=False):
            shown = f"{cid} {names.get(cid, '')}".strip()
            opts.append((f"{shown} · {format_minor(int(amt), str(cur), lang=lang)}", cid))
        customer.options = opts
        customer.value = opts[0][1] if opts else None
        on_customer()

    def on_customer(_change: object = None) -> None:
        if customer.value is None:
            bills.value = ""
            return
        mine = open_[open_["customer_id"] == customer.value].sort_values("due_date")
        cols = [c for c in _SHOWN if c in mine.columns]
        title = html.escape(f"{customer.value} {names.get(customer.value, '')}".strip())
        shown = mine[cols].assign(bucket=mine["bucket"].astype(str))
        if "dpd" in shown.columns:
            shown["dpd"] = dpd_text(shown["dpd"], lang=lang)
        bills.value = f"<h4>{title}</h4>" + widget_table_html(
            shown, lang=lang, max_rows=max_rows, values=["bucket"])

    bucket.observe(on_bucket, "value")
    customer.observe(on_customer, "value")
    on_bucket()
    box = w.VBox([bucket, customer, bills])
    box.bucket, box.customer, box.bills = bucket, customer, bills
    return box
