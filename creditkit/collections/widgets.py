"""Live views of collections: the reconciliation's exceptions and the collectors' queues.

- :func:`exceptions_browser`: the payments a reconciliation did not apply,
  filtered by reason and channel, with the candidate bills and payers it
  found and their scores, names masked, amounts formatted as money;
- :func:`worklist_browser`: one collector's queue for today (or the customers
  nobody was given, by why), in order, with the queue's totals.

Like every widget of creditkit, a view only calls package functions and sets
widget traits (``HTML.value``), so it works headless and is tested without a
browser; every control is named and explained (tooltip) from the label table
in the view's language and every table goes through
:func:`creditkit.display.widgets.widget_table_html`. Reports leave them out
(their cells are tagged ``report-hide``).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.collections.plots import channel_text, reconciliation_frames
from creditkit.display.widgets import widget_table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["exceptions_browser", "worklist_browser"]

#: Columns of an exception shown, in order (those present).
EXCEPTION_COLUMNS = ("payment_id", "paid_date", "channel", "customer_id", "payer_name", "name",
                     "amount_minor", "currency", "reason", "best_bill_id", "best_score",
                     "candidates", "payer_candidates")
#: Columns of a worklist row shown, in order (those present).
WORKLIST_COLUMNS = ("queue_rank", "customer_id", "name", "channel", "stage", "worst_dpd",
                    "past_due_minor", "outstanding_minor", "currency", "p_cure",
                    "expected_recovery_minor", "driver", "reason")


def _positive(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ParameterError(f"{name} must be a positive int, got {value!r}")
    return value


def _names(ids: pd.Series, table: pd.DataFrame | None, key: str, col: str, mask: bool,
           what: str) -> pd.Series | None:
    """``table[col]`` looked up by ``key`` for each id, masked (``creditkit.privacy.mask_name``)."""
    if table is None:
        return None
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"{what} must be a DataFrame, got {type(table).__name__}")
    if key not in table.columns or col not in table.columns:
        return None
    lookup = dict(zip(table[key].astype(str), table[col], strict=False))
    names = ids.astype(str).map(lookup)
    if mask and names.notna().any():
        from creditkit.privacy import mask_name

        known = names.notna()
        names = names.astype(object)
        names[known] = mask_name(names[known].astype(str)).to_numpy()
    return names


def _pager(lang: str, max_rows: int) -> w.IntSlider:
    return w.IntSlider(value=1, min=1, max=1, description=label("page", lang),
                       tooltip=label("page_tip", lang).format(n=max_rows))


def _totals(df: pd.DataFrame, money: list[str]) -> pd.DataFrame:
    """Rows and money of the shown rows per currency (money summed exactly)."""
    cur = df["currency"] if "currency" in df.columns else pd.Series("CNY", index=df.index)
    out = []
    for c, part in df.groupby(cur, sort=True):
        row: dict[str, Any] = {"currency": c, "count": len(part)}
        for m in money:
            row[m] = int(sum(int(v) for v in part[m]))
        out.append(row)
    return pd.DataFrame(out, columns=["currency", "count", *money])


def _page_html(df: pd.DataFrame, page: w.IntSlider, lang: str, max_rows: int,
               values: list[str]) -> str:
    pages = max(1, -(-len(df) // max_rows))
    if page.max != pages:
        page.max = pages
    at = min(page.value, pages)
    if df.empty:
        return widget_table_html(df, lang=lang, note=label("no_rows", lang))
    where = label("page_of", lang).format(page=at, pages=pages, rows=f"{len(df):,}")
    start = (at - 1) * max_rows
    return widget_table_html(df.iloc[start:start + max_rows], lang=lang, max_rows=max_rows,
                             values=[v for v in values if v in df.columns], note=where)


def exceptions_browser(
    reconciliation: object,
    *,
    payments: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    lang: str = "zh",
    max_rows: int = 20,
    mask: bool = True,
) -> w.VBox:
    """Browse a reconciliation's exceptions by reason and channel, with their candidates.

    Each row is a payment (or the rest of one) the reconciliation did not
    apply: why (``reason``), the best candidate bill and its score, the
    candidates (bills with scores) and candidate payers it found, for the
    analyst to confirm or reject. The reason list counts the exceptions of
    each reason; the totals line sums the rows shown per currency.

    Parameters
    ----------
    reconciliation : Reconciliation or mapping
        :func:`creditkit.collections.reconcile`'s result, or a dict with its
        ``allocations`` and ``exceptions`` frames (see
        :func:`creditkit.collections.plots.reconciliation_frames`).
    payments : DataFrame, optional
        The payments reconciled: their ``channel`` when the exceptions lack
        it, and the payer's name (``payer_name``) as written on the payment.
    customers : DataFrame, optional
        ``customer_id`` and ``name``: the name of the payer identified.
    lang : {"zh", "en"}
    max_rows : int, default 20
        Rows per page.
    mask : bool, default True
        Mask names (``creditkit.privacy.mask_name``: 张*), as reports do.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``reason`` and ``channel`` (Dropdown, "" = all),
        ``filter`` (Text, matches any cell), ``page`` (IntSlider),
        ``totals`` and ``table`` (HTML) and ``rows_`` (the filtered rows,
        names masked, before paging).

    Raises
    ------
    ParameterError, SchemaError
        Not a reconciliation, ``max_rows`` not positive, unknown ``lang``.

    Examples
    --------
    >>> ex = pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["C1", None],
    ...                    "currency": "CNY", "channel": ["alipay", "cash"],
    ...                    "amount_minor": [12345, 500],
    ...                    "reason": ["no_amount_match", "unknown_payer"],
    ...                    "candidates": ["B7 (0.42)", None]})
    >>> view = exceptions_browser({"allocations": pd.DataFrame(columns=["payment_id",
    ...                            "amount_minor"]), "exceptions": ex},
    ...                           customers=pd.DataFrame({"customer_id": ["C1"],
    ...                                                   "name": ["张三丰"]}), lang="en")
    >>> view.reason.value = "no_amount_match"
    >>> view.rows_["payment_id"].tolist(), "B7 (0.42)" in view.table.value
    (['P1'], True)
    >>> "张**" in view.table.value, "¥123.45" in view.table.value
    (True, True)
    """
    check_lang(lang)
    max_rows = _positive(max_rows, "max_rows")
    _, ex = reconciliation_frames(reconciliation, payments)
    ex = ex.reset_index(drop=True)
    ids = ex["payment_id"].astype(str)
    if "payer_name" not in ex.columns:
        payer = _names(ids, payments, "payment_id", "payer_name", mask, "payments")
        if payer is not None:
            ex["payer_name"] = payer.to_numpy()
    elif mask:
        ex["payer_name"] = _names(ids, ex, "payment_id", "payer_name", mask,
                                  "exceptions").to_numpy()
    if "customer_id" in ex.columns:
        named = _names(ex["customer_id"], customers, "customer_id", "name", mask, "customers")
        if named is not None:
            ex["name"] = named.to_numpy()
    shown = ex[[c for c in EXCEPTION_COLUMNS if c in ex.columns]]
    if "paid_date" in shown.columns:
        shown = shown.sort_values(["paid_date", "payment_id"], kind="stable")

    counts = shown["reason"].astype(str).value_counts()
    reason = w.Dropdown(
        options=[(f"{label('all_reasons', lang)} ({len(shown):,})", "")]
        + [(f"{label(r, lang)} ({n:,})", r) for r, n in counts.items()],
        value="", description=label("exception_reason", lang),
        tooltip=label("exception_reason_tip", lang))
    chans = sorted(shown["channel"].astype(str).unique())
    channel = w.Dropdown(options=[(label("all_channels", lang), "")]
                         + [(html.unescape(channel_text(c, lang)), c) for c in chans],
                         value="", description=label("channel", lang),
                         tooltip=label("channel_pick_tip", lang))
    text = w.Text(value="", placeholder=label("filter_hint", lang),
                  description=label("filter", lang), tooltip=label("filter_tip", lang))
    page = _pager(lang, max_rows)
    totals, table = w.HTML(tooltip=""), w.HTML(tooltip="")
    box = w.VBox([reason, channel, text, page, totals, table])
    box.reason, box.channel, box.filter, box.page, box.totals, box.table = (
        reason, channel, text, page, totals, table)
    cells = [shown[c].astype(str).str.lower() for c in shown.columns]

    def render(_: object = None) -> None:
        keep = np.ones(len(shown), dtype=bool)
        if reason.value:
            keep &= (shown["reason"].astype(str) == reason.value).to_numpy()
        if channel.value:
            keep &= (shown["channel"].astype(str) == channel.value).to_numpy()
        needle = text.value.strip().lower()
        if needle:
            hit = np.zeros(len(shown), dtype=bool)
            for c in cells:
                hit |= c.str.contains(needle, regex=False, na=False).to_numpy(dtype=bool)
            keep &= hit
        rows = shown.loc[keep]
        box.rows_ = rows
        totals.value = widget_table_html(_totals(rows, ["amount_minor"]), lang=lang)
        table.value = _page_html(rows, page, lang, max_rows, ["channel", "reason"])

    def reset(_: object = None) -> None:
        page.value = 1
        render()

    for control in (reason, channel, text):
        control.observe(reset, names="value")
    page.observe(render, names="value")
    render()
    return box


def worklist_browser(
    worklist: object,
    *,
    customers: pd.DataFrame | None = None,
    lang: str = "zh",
    max_rows: int = 20,
    mask: bool = True,
) -> w.VBox:
    """Browse today's worklist collector by collector: the queue in order, with its totals.

    The collector list names each collector with the customers and channel
    they were given; after them come the customers nobody was given, by why
    (over capacity, no collector for the channel, a promise to pay running).

    Parameters
    ----------
    worklist : Worklist
        :func:`creditkit.collections.collection_worklist`'s result (or its
        ``items`` frame). Its ``reason`` text is in the language the list was
        built in: build it with the same ``lang``.
    customers : DataFrame, optional
        ``customer_id`` and ``name``: the customer's name, masked.
    lang : {"zh", "en"}
    max_rows : int, default 20
    mask : bool, default True
        Mask names (``creditkit.privacy.mask_name``).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``collector`` (Dropdown: "" = everyone, a collector
        id, or ``reason:<code>`` for the unassigned), ``page``, ``totals``,
        ``table`` (HTML) and ``rows_`` (the rows shown, before paging).

    Raises
    ------
    ParameterError
        Not a worklist, a missing column, ``max_rows`` not positive, unknown ``lang``.

    Examples
    --------
    >>> items = pd.DataFrame({"customer_id": ["A", "B", "C"], "currency": "CNY",
    ...                       "channel": ["call", "call", "call"], "queue_rank": [1, 2, 1],
    ...                       "past_due_minor": [9000, 5000, 4000],
    ...                       "expected_recovery_minor": [4500, 1000, 2000],
    ...                       "collector_id": ["K1", "K1", None],
    ...                       "collector_name": ["Li", "Li", None],
    ...                       "reason_code": ["assigned", "assigned", "over_capacity"]})
    >>> view = worklist_browser(items, lang="en")
    >>> [o[0] for o in view.collector.options][1:]
    ['Li (K1) · Phone call · 2', 'Over capacity, not assigned · 1']
    >>> view.collector.value = "K1"
    >>> view.rows_["customer_id"].tolist(), "¥55.00" in view.totals.value
    (['A', 'B'], True)
    """
    check_lang(lang)
    max_rows = _positive(max_rows, "max_rows")
    items = worklist if isinstance(worklist, pd.DataFrame) else getattr(worklist, "items", None)
    if not isinstance(items, pd.DataFrame):
        raise ParameterError("worklist_browser needs a Worklist (creditkit.collections."
                             f"collection_worklist) or its items; got {type(worklist).__name__}")
    need = ["customer_id", "channel", "collector_id", "reason_code", "past_due_minor",
            "expected_recovery_minor"]
    missing = [c for c in need if c not in items.columns]
    if missing:
        raise ParameterError(f"the worklist lacks column(s) {missing}; pass "
                             "collection_worklist(...) or its .items")
    items = items.reset_index(drop=True)
    if "stage" in items.columns:  # stages are keyed stage_<name> in the label table
        items = items.assign(stage=[label(f"stage_{v}", lang) if isinstance(v, str) else v
                                    for v in items["stage"]])
    if "driver" in items.columns:  # the card's variable in words, as the reason names it
        items = items.assign(driver=[label(v, lang) if isinstance(v, str) and v else v
                                     for v in items["driver"]])
    named = _names(items["customer_id"], customers, "customer_id", "name", mask, "customers")
    if named is not None:
        items = items.assign(name=named.to_numpy())
    key = np.where(items["collector_id"].notna(), items["collector_id"].astype(str),
                   "reason:" + items["reason_code"].astype(str))
    options: list[tuple[str, str]] = [(f"{label('all_collectors', lang)} ({len(items):,})", "")]
    assigned = items[items["collector_id"].notna()]
    for cid, part in assigned.groupby(assigned["collector_id"].astype(str), sort=True):
        who = part["collector_name"].iloc[0] if "collector_name" in part.columns else None
        name = f"{who} ({cid})" if isinstance(who, str) and who else cid
        chans = " / ".join(html.unescape(channel_text(c, lang))
                           for c in sorted(part["channel"].astype(str).unique()))
        options.append((f"{name} · {chans} · {len(part):,}", cid))
    rest = items[items["collector_id"].isna()]
    for code, part in rest.groupby(rest["reason_code"].astype(str), sort=True):
        options.append((f"{label(code, lang)} · {len(part):,}", f"reason:{code}"))
    collector = w.Dropdown(options=options, value="", description=label("collector_name", lang),
                           tooltip=label("collector_pick_tip", lang))
    page = _pager(lang, max_rows)
    totals, table = w.HTML(tooltip=""), w.HTML(tooltip="")
    box = w.VBox([collector, page, totals, table])
    box.collector, box.page, box.totals, box.table = collector, page, totals, table
    cols = [c for c in WORKLIST_COLUMNS if c in items.columns]
    money = [c for c in ("past_due_minor", "expected_recovery_minor") if c in items.columns]

    def render(_: object = None) -> None:
        rows = items[key == collector.value] if collector.value else items
        order = [c for c in ("queue_rank", "channel_rank") if c in rows.columns]
        if collector.value and order:
            rows = rows.sort_values(order[:1], kind="stable")
        box.rows_ = rows[cols]
        totals.value = widget_table_html(_totals(rows, money), lang=lang)
        table.value = _page_html(rows[cols], page, lang, max_rows, ["channel"])

    def reset(_: object = None) -> None:
        page.value = 1
        render()

    collector.observe(reset, names="value")
    page.observe(render, names="value")
    render()
    return box
