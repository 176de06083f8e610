"""Drill-down widget of the aging: bucket → customers → bills (cells tagged ``report-hide``).

Callbacks only filter the tables handed in and set widget traits
(``Select.options``, ``HTML.value``), so the widget works and is tested headless.
Mask personal data before handing the customers table in
(``creditkit.privacy.mask_pii``).
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from creditkit.checks import check_lang
from creditkit.display.tables import table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor

__all__ = ["aging_drilldown"]

_NEEDED = ["bill_id", "customer_id", "currency", "due_date", "outstanding_minor", "dpd", "bucket"]
_SHOWN = ["bill_id", "invoice_id", "issue_date", "due_date", "amount_minor", "outstanding_minor",
          "dpd", "bucket", "currency"]


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
                        value=present[0] if present else None, description=label("bucket", lang))
    customer = w.Select(options=[], rows=10, description=label("customer_id", lang),
                        layout=w.Layout(width="60%"))
    bills = w.HTML()

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
        bills.value = f"<h4>{title}</h4>" + table_html(
            mine[cols].assign(bucket=mine["bucket"].astype(str)), lang=lang,
            max_rows=max_rows, values=["bucket"])

    bucket.observe(on_bucket, "value")
    customer.observe(on_customer, "value")
    on_bucket()
    box = w.VBox([bucket, customer, bills])
    box.bucket, box.customer, box.bills = bucket, customer, bills
    return box
