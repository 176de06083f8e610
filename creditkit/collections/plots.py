"""Figures of collections (催收): tables of :mod:`creditkit.collections` in, plotly out.

The figures a collections team lead reads about the day's work:

- :func:`reconciliation_chart`: per channel, the amount applied automatically
  and the exceptions by reason (a reconciliation's ``allocations`` and
  ``exceptions``), adding up to the cash reconciled;
- :func:`dunning_chart`: a dunning run's amounts (or customers) by level and
  channel (:class:`creditkit.collections.DunningRun`);
- :func:`worklist_chart`: expected recovery by collector and channel
  (:class:`creditkit.collections.Worklist`), the customers nobody takes today
  shown by why.

The channel-performance figures are in :mod:`creditkit.collections.channel_plots`;
both build on :func:`channel_text` and :func:`money_bars` here and on
:mod:`creditkit.display.plots` (labels in zh/en, money in major units for
display only, :func:`~creditkit.display.plots.style_figure`). Every figure
plots an aggregate, so its size does not grow with the book.

Examples
--------
>>> import pandas as pd
>>> a = pd.DataFrame({"level": [1, 2], "channel": ["sms", "sms"], "customer_id": ["A", "B"],
...                   "amount_minor": [30000, 10000], "currency": "CNY"})
>>> fig = dunning_chart(a, lang="en")
>>> [t.name for t in fig.data], fig.data[0].y.tolist()
(['SMS'], [300.0, 100.0])
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.collections.reconcile import reconciliation_parts
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = [
    "channel_text",
    "dunning_chart",
    "money_bars",
    "reconciliation_chart",
    "reconciliation_frames",
    "worklist_chart",
]


def channel_text(channel: object, lang: str) -> str:
    """A channel in words, escaped; a dunning level's ``sms+email`` as ``短信 + 电子邮件``.

    Examples
    --------
    >>> channel_text("sms+email", "en"), channel_text("wechat", "zh")
    ('SMS + E-mail', '微信支付')
    """
    if channel is None or (not isinstance(channel, str) and pd.isna(channel)):
        return plots.label_text("unknown", lang)
    return " + ".join(plots.label_text(c.strip(), lang) for c in str(channel).split("+"))


def _frame(obj: object, cols: list[str], what: str, lang: str) -> pd.DataFrame:
    if not isinstance(obj, pd.DataFrame):
        raise ParameterError(f"{what} needs a DataFrame, got {type(obj).__name__}")
    plots.check_columns(obj, cols, lang)
    return obj


def money_bars(fig: go.Figure, x: list, values: pd.Series, cur: str, name: str,
               counts: pd.Series | None = None, count_name: str = "",
               horizontal: bool = False) -> None:
    """Add one bar trace of money (minor units in, major units drawn) to ``fig``.

    The hover text of each bar is the amount formatted as money
    (:func:`creditkit.money.format_minor`), then ``count_name`` and the
    bar's count when ``counts`` is given. Categories ``x`` go on the y axis
    when ``horizontal``.

    Examples
    --------
    >>> fig = go.Figure()
    >>> money_bars(fig, ["a"], pd.Series([12345]), "CNY", "n", pd.Series([2]), "Payments")
    >>> fig.data[0].y.tolist(), fig.data[0].hovertext
    ([123.45], ('¥123.45 · Payments 2',))
    """
    frame = pd.DataFrame({"v_minor": values.to_numpy(dtype="int64")})
    vals, hover = plots.money_values(frame, "v_minor", cur)
    if counts is not None:
        hover = [f"{h} · {count_name} {int(n):,}" for h, n in zip(hover, counts, strict=True)]
    fig.add_bar(x=vals if horizontal else x, y=x if horizontal else vals,
                orientation="h" if horizontal else "v", name=name, hovertext=hover,
                hoverinfo="text+name")


def dunning_chart(run: object, *, value: str = "amount", lang: str = "zh",
                  currency: str | None = None, title: str | None = None) -> go.Figure:
    """A dunning run by level and channel: amount (or customers) reminded, stacked by channel.

    Parameters
    ----------
    run : DunningRun or DataFrame
        :func:`creditkit.collections.dunning_run`'s result, or its
        ``actions`` frame (``level``, ``channel``, ``customer_id``,
        ``amount_minor``, ``currency``).
    value : {"amount", "customers"}
        What the bars measure: the amount the reminded bills still owe, or
        the customers reminded.
    lang : {"zh", "en"}
    currency : str, optional
    title : str, optional
        Default: the label ``dunning_chart``.

    Returns
    -------
    plotly.graph_objects.Figure
        x = the levels sent in this run, one trace per channel; the bars add
        up to the run's actions.

    Raises
    ------
    ParameterError
        Not a run or actions frame, bad ``value``, unknown ``lang``, several
        currencies without ``currency``.

    Examples
    --------
    >>> a = pd.DataFrame({"level": [1, 3, 3], "channel": ["sms", "sms+email", "sms+email"],
    ...                   "customer_id": ["A", "B", "C"], "amount_minor": [500, 700, 300],
    ...                   "currency": "CNY"})
    >>> fig = dunning_chart(a, lang="en")
    >>> [(t.name, list(t.x), t.y.tolist()) for t in fig.data]
    [('SMS', ['1'], [5.0]), ('SMS + E-mail', ['3'], [10.0])]
    >>> dunning_chart(a, value="customers", lang="en").data[1].y.tolist()
    [2]
    """
    actions = run if isinstance(run, pd.DataFrame) else getattr(run, "actions", None)
    if not isinstance(actions, pd.DataFrame):
        raise ParameterError("dunning_chart needs a DunningRun (creditkit.collections."
                             f"dunning_run) or its actions frame; got {type(run).__name__}")
    if value not in ("amount", "customers"):
        raise ParameterError(f"value must be 'amount' or 'customers'; got {value!r}")
    df = _frame(actions, ["level", "channel", "customer_id", "amount_minor"], "dunning_chart",
                lang)
    cur = plots.pick_currency(df, currency)
    df = plots.only_currency(df, cur)
    levels = sorted(int(v) for v in df["level"].unique())
    g = df.groupby(["channel", "level"]).agg(customers=("customer_id", "size"),
                                             amount_minor=("amount_minor", "sum"))
    fig = go.Figure()
    for ch in sorted(df["channel"].unique(), key=lambda c: (int(df.loc[df["channel"] == c,
                                                                       "level"].min()), c)):
        part = g.loc[ch].reindex([lv for lv in levels if lv in g.loc[ch].index])
        x = [str(lv) for lv in part.index]
        if value == "amount":
            money_bars(fig, x, part["amount_minor"], cur, channel_text(ch, lang),
                         part["customers"], label("customers", lang))
        else:
            fig.add_bar(x=x, y=part["customers"].to_numpy(dtype="int64"),
                        name=channel_text(ch, lang))
    fig.update_layout(barmode="stack", xaxis_title=label("level", lang), xaxis_type="category",
                      yaxis_title=(plots.axis_title("amount_minor", lang, cur) if value == "amount"
                                   else label("customers", lang)),
                      legend_title_text=label("channel", lang))
    return plots.style_figure(fig, label("dunning_chart", lang) if title is None else title)


def worklist_chart(worklist: object, *, lang: str = "zh", currency: str | None = None,
                   title: str | None = None) -> go.Figure:
    """Expected recovery by collector, stacked by channel; the unassigned by why.

    Parameters
    ----------
    worklist : Worklist or DataFrame
        :func:`creditkit.collections.collection_worklist`'s result or its
        ``items``: ``channel``, ``expected_recovery_minor``,
        ``collector_id`` (missing = not assigned), ``reason_code``
        (``collector_name`` names a collector when present).
    lang : {"zh", "en"}
    currency : str, optional
    title : str, optional
        Default: the label ``worklist_chart``.

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal bars, one row per collector (most expected recovery on
        top) and one per reason nobody took a customer (over capacity, no
        collector for the channel, promise pending), one trace per channel:
        the bars add up to the list's expected recovery.

    Raises
    ------
    ParameterError
        Missing columns, unknown ``lang``, several currencies without ``currency``.

    Examples
    --------
    >>> items = pd.DataFrame({"channel": ["sms", "call", "call"],
    ...                       "expected_recovery_minor": [100, 300, 50],
    ...                       "collector_id": ["K1", "K2", None],
    ...                       "reason_code": ["assigned", "assigned", "over_capacity"]})
    >>> fig = worklist_chart(items, lang="en")
    >>> [(t.name, list(t.y), t.x.tolist()) for t in fig.data]
    [('Phone call', ['Over capacity, not assigned', 'K2'], [0.5, 3.0]), ('SMS', ['K1'], [1.0])]
    >>> list(fig.layout.yaxis.categoryarray)  # bottom to top: the unassigned below
    ['Over capacity, not assigned', 'K1', 'K2']
    """
    items = worklist if isinstance(worklist, pd.DataFrame) else getattr(worklist, "items", None)
    if not isinstance(items, pd.DataFrame):
        raise ParameterError("worklist_chart needs a Worklist (creditkit.collections."
                             f"collection_worklist) or its items; got {type(worklist).__name__}")
    df = _frame(items, ["channel", "expected_recovery_minor", "collector_id", "reason_code"],
                "worklist_chart", lang)
    cur = plots.pick_currency(df, currency)
    df = plots.only_currency(df, cur)
    assigned = df["collector_id"].notna()
    who = df["collector_id"].astype("object")
    if "collector_name" in df.columns:
        who = df["collector_name"].where(df["collector_name"].notna(), who)
    shown = np.where(assigned, [html.escape(str(v), quote=False) for v in who.fillna("")],
                     [plots.label_text(str(r), lang) for r in df["reason_code"]])
    df = df.assign(row=shown, assigned=assigned.to_numpy())
    totals = df.groupby("row")["expected_recovery_minor"].sum()
    first = df.groupby("row")["assigned"].first()
    # collectors by expected recovery, then the unassigned reasons; top of the chart = first
    rows = sorted(totals.index, key=lambda r: (not first[r], -int(totals[r]), r))[::-1]
    g = df.groupby(["channel", "row"])["expected_recovery_minor"].sum()
    n = df.groupby(["channel", "row"]).size()
    chans = df.groupby("channel")["expected_recovery_minor"].sum().sort_values(
        ascending=False, kind="stable").index
    fig = go.Figure()
    for ch in chans:
        here = [r for r in rows if (ch, r) in g.index]
        money_bars(fig, here, g.loc[[(ch, r) for r in here]].reset_index(drop=True), cur,
                     channel_text(ch, lang), n.loc[[(ch, r) for r in here]].reset_index(drop=True),
                     label("customers", lang), horizontal=True)
    fig.update_layout(barmode="stack", yaxis={"type": "category", "categoryorder": "array",
                                              "categoryarray": rows},
                      xaxis_title=plots.axis_title("expected_recovery_minor", lang, cur),
                      yaxis_title=label("collector_name", lang),
                      legend_title_text=label("channel", lang),
                      height=max(320, 60 + 32 * len(rows)))
    return plots.style_figure(fig, label("worklist_chart", lang) if title is None else title)


def reconciliation_frames(reconciliation: object, payments: pd.DataFrame | None = None
                          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A reconciliation's allocations and exceptions, each with the payment's ``channel``.

    Parameters
    ----------
    reconciliation : Reconciliation or mapping
        ``.allocations`` (``payment_id``, ``amount_minor``) and ``.exceptions``
        (``payment_id``, ``reason``, ``amount_minor``), as attributes or keys;
        ``by_payment`` when present gives each payment's channel and currency.
    payments : DataFrame, optional
        The payments reconciled (``payment_id``, ``channel``, ``currency``):
        where a frame has no ``channel`` or ``currency``, they come from here.

    Returns
    -------
    (allocations, exceptions) : tuple of DataFrame
        Copies with ``channel`` and ``currency``.

    Raises
    ------
    ParameterError, SchemaError
        Not a reconciliation, a missing column, a payment whose channel or
        currency cannot be found.

    Examples
    --------
    >>> r = {"allocations": pd.DataFrame({"payment_id": ["P1"], "amount_minor": [5]}),
    ...      "exceptions": pd.DataFrame({"payment_id": ["P2"], "reason": ["unknown_payer"],
    ...                                  "amount_minor": [7]})}
    >>> p = pd.DataFrame({"payment_id": ["P1", "P2"], "channel": ["cash", "card"],
    ...                   "currency": "CNY"})
    >>> al, ex = reconciliation_frames(r, p)
    >>> al["channel"].tolist(), ex["channel"].tolist()
    (['cash'], ['card'])
    """
    al, ex, bp = reconciliation_parts(
        reconciliation, exception_columns=("payment_id", "reason", "amount_minor"))
    sources = [f for f in (bp, payments) if isinstance(f, pd.DataFrame)
               and {"payment_id", "channel"} <= set(f.columns)]
    out = []
    for name, frame in (("allocations", al), ("exceptions", ex)):
        frame = frame.copy()
        ids = frame["payment_id"].astype(str)
        for col in ("channel", "currency"):
            if col in frame.columns:
                continue
            src = next((s for s in sources if col in s.columns), None)
            if src is None:
                if col == "currency":
                    continue  # no currency anywhere: one currency (pick_currency says CNY)
                if frame.empty:
                    frame[col] = pd.Series(dtype=object)  # no row needs a channel
                    continue
                raise ParameterError(f"reconciliation.{name} has no channel; pass payments= "
                                     "(the payments reconciled, with payment_id and channel)")
            lookup = dict(zip(src["payment_id"].astype(str), src[col], strict=True))
            frame[col] = ids.map(lookup)
            unknown = ids[frame[col].isna() & ~ids.isin(lookup)]
            if len(unknown):
                raise ParameterError(f"reconciliation.{name} names payment(s) "
                                     f"{sorted(set(unknown))[:5]} that are not in payments; pass "
                                     "the payments that were reconciled")
        frame["channel"] = frame["channel"].astype("object").where(frame["channel"].notna(),
                                                                   "unknown")
        out.append(frame)
    return out[0], out[1]


def reconciliation_chart(reconciliation: object, *, payments: pd.DataFrame | None = None,
                         lang: str = "zh", currency: str | None = None,
                         title: str | None = None) -> go.Figure:
    """Per channel, cash applied automatically beside the exceptions by reason, stacked.

    Every payment's amount is either applied to bills or waits in the
    exceptions with a reason, so each channel's bar adds up to the cash
    reconciled through it; tolerance write-offs are not cash and are not drawn.

    Parameters
    ----------
    reconciliation : Reconciliation or mapping
        See :func:`reconciliation_frames`.
    payments : DataFrame, optional
        The payments reconciled, for the channel of each payment when the
        reconciliation's frames lack it.
    lang : {"zh", "en"}
    currency : str, optional
    title : str, optional
        Default: the label ``reconciliation_chart``.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0 = applied automatically, then one trace per reason (largest
        amount first); x = channels, largest cash first. Hover texts give the
        formatted amount and the number of payments.

    Raises
    ------
    ParameterError, SchemaError
        As :func:`reconciliation_frames`; unknown ``lang``; several
        currencies without ``currency``.

    Examples
    --------
    >>> r = {"allocations": pd.DataFrame({"payment_id": ["P1", "P1"], "amount_minor": [300, 200],
    ...                                   "channel": "alipay", "currency": "CNY"}),
    ...      "exceptions": pd.DataFrame({"payment_id": ["P2"], "reason": ["unknown_payer"],
    ...                                  "amount_minor": [700], "channel": "alipay",
    ...                                  "currency": "CNY"})}
    >>> fig = reconciliation_chart(r, lang="en")
    >>> [(t.name, t.y.tolist()) for t in fig.data][0]
    ('Applied automatically', [5.0])
    >>> fig.data[1].y.tolist(), fig.data[1].hovertext[0].endswith("Payments 1")
    ([7.0], True)
    """
    check_lang(lang)
    al, ex = reconciliation_frames(reconciliation, payments)
    both = pd.concat([al.assign(part="auto_applied"), ex.assign(part=ex["reason"].astype(str))],
                     ignore_index=True)
    cur = plots.pick_currency(both, currency)
    both = plots.only_currency(both, cur)
    both = both.assign(payment_id=both["payment_id"].astype(str))
    g = both.groupby(["part", "channel"]).agg(amount_minor=("amount_minor", "sum"),
                                              n=("payment_id", "nunique"))
    chans = both.groupby("channel")["amount_minor"].sum().sort_values(
        ascending=False, kind="stable").index.tolist()
    reason_order = (both[both["part"] != "auto_applied"].groupby("part")["amount_minor"].sum()
                    .sort_values(ascending=False, kind="stable").index.tolist())
    fig = go.Figure()
    for part in ["auto_applied", *reason_order]:
        if part not in g.index.get_level_values(0):
            continue
        rows = g.loc[part].reindex(chans).dropna()
        money_bars(fig, [channel_text(c, lang) for c in rows.index],
                     rows["amount_minor"].astype("int64"), cur, plots.label_text(part, lang),
                     rows["n"].astype("int64"), label("n_payments", lang))
    fig.update_layout(barmode="stack", xaxis_title=label("channel", lang), xaxis_type="category",
                      yaxis_title=plots.axis_title("amount_minor", lang, cur),
                      legend_title_text=label("reason", lang))
    return plots.style_figure(fig, label("reconciliation_chart", lang) if title is None
                              else title)
