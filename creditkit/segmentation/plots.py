"""Figures of customer qualification (客户资质管理): tables of :mod:`creditkit.segmentation` in.

The figures a credit manager reads about tiers, value segments and tags:

- :func:`tier_chart`: customers and outstanding per tier (from
  :func:`creditkit.segmentation.tier_counts`);
- the tier migration matrix between two dates, as a heatmap or as flows, is
  drawn by :mod:`creditkit.segmentation.migration_plots`;
- :func:`value_profile_chart`: size and mean recency, frequency and amount
  spent of each value segment, rule-based or k-means (from
  :meth:`creditkit.segmentation.RFMKMeans.profile` or its ``profiles_``);
- :func:`tier_value_heatmap`: credit tier × value segment, the valuable
  customers in a risky tier outlined (from
  :func:`creditkit.segmentation.tier_value_cross`);
- :func:`tag_chart`: customers per tag (from
  :func:`creditkit.segmentation.tag_counts`).

Every figure plots an aggregate, so its size does not grow with the book; every
word comes from :mod:`creditkit.labels` in ``lang`` (tiers, segments and tags by
:func:`tier_text`, :func:`segment_text` and :func:`tag_text`); money is shown in
major units for display only, with the amount formatted in the hover text; each
figure goes through :func:`creditkit.display.plots.style_figure`.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"tier": ["prime", "standard", "high_risk", "restricted"],
...                   "customers": [5, 3, 1, 1], "share": [0.5, 0.3, 0.1, 0.1]})
>>> fig = tier_chart(c, lang="en")
>>> list(fig.data[0].x), fig.data[0].y.tolist()
(['Prime', 'Standard', 'High risk', 'Restricted'], [5, 3, 1, 1])
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import LABELS, label
from creditkit.money import format_minor, minor_unit_exponent
from creditkit.segmentation.tiers import TIERS
from creditkit.segmentation.value import RFM_COLUMNS, VALUE_SEGMENTS

__all__ = [
    "COLORBAR",
    "NEUTRAL_COLOUR",
    "TIER_COLOURS",
    "segment_text",
    "tag_chart",
    "tag_text",
    "tier_chart",
    "tier_text",
    "tier_value_heatmap",
    "value_profile_chart",
]

#: One colour per tier, best first: the same tier has the same colour in every figure.
TIER_COLOURS: dict[str, str] = {"prime": "#2e7d32", "standard": "#1f77b4",
                                "high_risk": "#ef6c00", "restricted": "#c62828"}
_SEGMENT_COLOURS = ("#6a1b9a", "#00838f", "#9e9d24", "#5d4037", "#ad1457", "#455a64", "#f9a825")
#: Grey of what is outside the tiers or segments (no purchase; new or exited customers).
NEUTRAL_COLOUR = "#9e9e9e"
_OUTLINE = "#c62828"
#: A colour bar's ticks written in full, like the axes' (12,000,000, never 12M).
COLORBAR = {"exponentformat": "none", "separatethousands": True}


def tier_text(tier: str, lang: str = "zh") -> str:
    """A tier (or ``new`` / ``exited`` of a migration matrix) in the report language.

    Examples
    --------
    >>> tier_text("high_risk", "en"), tier_text("new", "zh")
    ('High risk', '新进入')
    """
    check_lang(lang)
    if tier not in (*TIERS, "new", "exited"):
        raise ParameterError(f"unknown tier {tier!r}; tiers are {list(TIERS)} (and 'new', "
                             "'exited' in a migration matrix)")
    return label(f"tier_{tier}", lang)


def segment_text(segment: object, lang: str = "zh") -> str:
    """A value segment in the report language: a rule-based one, or a k-means number.

    ``0`` is the k-means "no purchase" segment; ``1`` … ``k`` are clusters,
    numbered from the most valuable.

    Examples
    --------
    >>> segment_text("high_value", "zh"), segment_text(2, "en"), segment_text(0, "en")
    ('高价值', 'Cluster 2', 'No purchase')
    """
    check_lang(lang)
    if isinstance(segment, str) and segment in VALUE_SEGMENTS:
        return label(f"segment_{segment}", lang)
    if isinstance(segment, int | np.integer) and not isinstance(segment, bool) and segment >= 0:
        if int(segment) == 0:
            return label("segment_no_purchase", lang)
        return label("segment_cluster", lang).format(n=int(segment))
    raise ParameterError(f"unknown value segment {segment!r}; segments are {list(VALUE_SEGMENTS)}"
                         " (value_segments) or whole numbers 0 … k (RFMKMeans.predict)")


def tag_text(tag: str, lang: str = "zh") -> str:
    """A tag in the report language: ``industry:retail`` reads 行业：retail / Industry: retail.

    A shipped tag has a label (``tag_<tag>``); a ``field:value`` tag is the
    field's label and the value (itself labelled when the label table knows
    it); any other tag an analyst wrote is shown as written.

    Examples
    --------
    >>> tag_text("new_customer", "zh"), tag_text("industry:manufacturing", "en")
    ('新客户', 'Industry: Manufacturing')
    >>> tag_text("region:广东", "zh"), tag_text("my_own_tag", "en")
    ('地区：广东', 'my_own_tag')
    """
    check_lang(lang)
    if not isinstance(tag, str):
        raise ParameterError(f"a tag is a text, got {type(tag).__name__} {tag!r}")
    if f"tag_{tag}" in LABELS:
        return label(f"tag_{tag}", lang)
    field, sep, value = tag.partition(":")
    if sep and f"tag_{field}" in LABELS:
        shown = label(value, lang) if value in LABELS else value
        return f"{label(f'tag_{field}', lang)}{'：' if lang == 'zh' else ': '}{shown}"
    return tag


def _frame(df: object, cols: Sequence[str], what: str, source: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"{what} needs a DataFrame from {source}, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParameterError(f"{what} needs column(s) {missing}, as {source} returns; got "
                             f"{list(df.columns)}")
    return df


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def tier_chart(counts: pd.DataFrame, *, lang: str = "zh", currency: str | None = None,
               title: str | None = None) -> go.Figure:
    """Customers per tier and, when the counts carry it, the outstanding per tier, side by side.

    Tiers run best first, every tier shown (an empty one as a zero bar), each
    in its colour of :data:`TIER_COLOURS`; the hover text gives the share of
    the customers (and of the outstanding).

    Parameters
    ----------
    counts : DataFrame
        From :func:`creditkit.segmentation.tier_counts`: ``tier``,
        ``customers``, ``share`` and, with balances, ``outstanding_minor`` and
        ``outstanding_share``.
    lang : {"zh", "en"}
    currency : str, optional
        The currency of the outstanding, for its axis title and amounts
        (default CNY; pass the one currency the balances were in).
    title : str, optional
        Default: the label ``tier_distribution``.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace of customers, then one of the outstanding (major units)
        when ``outstanding_minor`` is present.

    Raises
    ------
    ParameterError
        Missing columns, a tier not in :data:`creditkit.segmentation.TIERS`,
        an unknown ``lang``.

    Examples
    --------
    >>> c = pd.DataFrame({"tier": ["prime", "standard", "high_risk", "restricted"],
    ...     "customers": [2, 1, 1, 0], "share": [0.5, 0.25, 0.25, 0.0],
    ...     "outstanding_minor": [10000, 500, 25050, 0],
    ...     "outstanding_share": [0.28, 0.01, 0.70, 0.0]})
    >>> fig = tier_chart(c, lang="zh")
    >>> [t.name for t in fig.data], fig.data[1].y.tolist(), fig.data[1].hovertext[2]
    (['客户数', '未结余额'], [100.0, 5.0, 250.5, 0.0], '¥250.50 (70.5%)')
    """
    _frame(counts, ["tier", "customers"], "tier_chart", "tier_counts")
    check_lang(lang)
    unknown = sorted(set(map(str, counts["tier"])) - set(TIERS))
    if unknown or counts["tier"].duplicated().any():
        raise ParameterError(f"tier_chart needs one row per tier of {list(TIERS)}; got "
                             f"{counts['tier'].tolist()}; pass tier_counts(assign_tiers(...))")
    data = counts.set_index("tier").reindex(list(TIERS))
    data["customers"] = data["customers"].fillna(0).astype("int64")
    x = [_esc(tier_text(t, lang)) for t in TIERS]
    colours = [TIER_COLOURS[t] for t in TIERS]
    total = int(data["customers"].sum())
    share = data["customers"] / total if total else data["customers"] * 0.0
    with_money = "outstanding_minor" in counts.columns
    cur = plots.pick_currency(counts, currency)
    if with_money:
        from plotly.subplots import make_subplots

        fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                            subplot_titles=[label("customers", lang),
                                            plots.axis_title("outstanding_minor", lang, cur)])
    else:
        fig = go.Figure()
    fig.add_bar(x=x, y=data["customers"].to_numpy(), name=label("customers", lang),
                marker_color=colours,
                hovertext=[f"{n:,} ({s:.1%})" for n, s in zip(data["customers"], share,
                                                              strict=True)],
                hoverinfo="x+text", **({"row": 1, "col": 1} if with_money else {}))
    if with_money:
        amounts = data["outstanding_minor"].fillna(0).astype("int64")
        values, _ = plots.money_values(amounts.to_frame(), "outstanding_minor", cur)
        money_total = int(amounts.sum())
        hover = [f"{format_minor(int(v), cur, lang=lang)} "
                 f"({(v / money_total if money_total else 0):.1%})" for v in amounts]
        fig.add_bar(x=x, y=values.to_numpy(), name=label("outstanding_minor", lang),
                    marker_color=colours, hovertext=hover, hoverinfo="x+text", row=1, col=2)
        fig.update_yaxes(title_text=label("customers", lang), row=1, col=1)
        fig.update_yaxes(title_text=plots.axis_title("outstanding_minor", lang, cur), row=1,
                         col=2)
    else:
        fig.update_layout(yaxis_title=label("customers", lang))
    fig.update_layout(showlegend=False)
    return plots.style_figure(fig, title or label("tier_distribution", lang))


def _segment_order(segments: pd.Series) -> list:
    values = list(pd.unique(segments))
    if all(isinstance(v, str) for v in values):
        unknown = sorted(set(values) - set(VALUE_SEGMENTS))
        if unknown:
            raise ParameterError(f"unknown value segment(s) {unknown}; segments are "
                                 f"{list(VALUE_SEGMENTS)}")
        return [s for s in VALUE_SEGMENTS if s in values]
    try:
        numbers = sorted(int(v) for v in values)
    except (TypeError, ValueError):
        raise ParameterError(f"segments must be all of {list(VALUE_SEGMENTS)} or all whole "
                             f"numbers (k-means); got {values[:5]}") from None
    return [n for n in numbers if n != 0] + [n for n in numbers if n == 0]  # no purchase last


def value_profile_chart(profile: pd.DataFrame, *, lang: str = "zh", currency: str | None = None,
                        title: str | None = None) -> go.Figure:
    """What each value segment looks like: customers, mean recency, frequency and amount spent.

    Four panels, one bar per segment in each: its customers, mean days since
    the last purchase, mean purchases and mean amount spent. Rule-based
    segments run best first (高价值, 潜力, 普通); k-means segments 1 … k
    (most valuable first), then 0, "no purchase". Draw the rule-based and the
    k-means profiles with the same call to put the two views side by side.

    Parameters
    ----------
    profile : DataFrame
        One row per segment: ``segment``, ``customers``, ``recency_days``,
        ``frequency``, ``monetary_minor`` (means), as
        :meth:`creditkit.segmentation.RFMKMeans.profile` returns
        (``RFMKMeans.profile(rfm, value_segments(rfm)["segment"])`` for the
        rule-based segments, ``model.profiles_`` for k-means).
    lang : {"zh", "en"}
    currency : str, optional
        Currency of the amounts (default CNY: the profile carries none).
    title : str, optional
        Default: the label ``value_profile_title``.

    Returns
    -------
    plotly.graph_objects.Figure
        Four bar traces (customers, recency, frequency, amount in major units).

    Raises
    ------
    ParameterError
        Missing columns, a repeated or unknown segment, an unknown ``lang``.

    Examples
    --------
    >>> p = pd.DataFrame({"segment": ["ordinary", "high_value"], "customers": [8, 2],
    ...     "share": [0.8, 0.2], "recency_days": [120.0, 6.5], "frequency": [1.5, 20.0],
    ...     "monetary_minor": [3000.0, 250000.0]})
    >>> fig = value_profile_chart(p, lang="en")
    >>> list(fig.data[0].x), fig.data[3].y.tolist()
    (['High value', 'Ordinary'], [2500.0, 30.0])
    """
    _frame(profile, ["segment", "customers", *RFM_COLUMNS], "value_profile_chart",
           "RFMKMeans.profile")
    check_lang(lang)
    if profile["segment"].duplicated().any():
        raise ParameterError("value_profile_chart needs one row per segment; got "
                             f"{profile['segment'].tolist()}")
    order = _segment_order(profile["segment"])
    data = profile.set_index("segment").loc[order]
    cur = plots.pick_currency(profile, currency)
    x = [_esc(segment_text(s, lang)) for s in order]
    colours = [(NEUTRAL_COLOUR if not isinstance(s, str) and s == 0
                else _SEGMENT_COLOURS[i % len(_SEGMENT_COLOURS)]) for i, s in enumerate(order)]
    from plotly.subplots import make_subplots

    panels = ["customers", "profile_recency_days", "profile_frequency", "profile_monetary_minor"]
    titles = [label(p, lang) for p in panels]
    titles[-1] = f"{titles[-1]} ({cur})"
    fig = make_subplots(rows=2, cols=2, subplot_titles=titles, vertical_spacing=0.18,
                        horizontal_spacing=0.12)
    exp = minor_unit_exponent(cur)
    money = data["monetary_minor"].astype("float64")
    series = [
        (data["customers"].astype("int64").to_numpy(),
         [f"{int(n):,}" for n in data["customers"]]),
        (data["recency_days"].astype("float64").to_numpy(),
         [f"{v:,.1f}" if pd.notna(v) else "" for v in data["recency_days"].astype("float64")]),
        (data["frequency"].astype("float64").to_numpy(),
         [f"{v:,.1f}" for v in data["frequency"].astype("float64")]),
        ((money / 10**exp).to_numpy(),
         [format_minor(round(v), cur, lang=lang) if pd.notna(v) else "" for v in money]),
    ]
    for i, (panel, (y, hover)) in enumerate(zip(titles, series, strict=True)):
        fig.add_bar(x=x, y=y, name=panel, marker_color=colours, hovertext=hover,
                    hoverinfo="x+text", row=i // 2 + 1, col=i % 2 + 1)
    fig.update_layout(showlegend=False, height=560)
    return plots.style_figure(fig, title or label("value_profile_title", lang))


def tier_value_heatmap(cross: pd.DataFrame, *, lang: str = "zh",
                       tiers_at_risk: Sequence[str] = ("high_risk", "restricted"),
                       segment: str = "high_value", title: str | None = None) -> go.Figure:
    """Credit tier × value segment: customers per cell, the valuable customers at risk outlined.

    The cells of ``segment`` customers in ``tiers_at_risk`` (a high-value
    customer in high risk: the case a manager wants named) are outlined in
    red and an annotation says so; the hover adds each cell's share of all
    customers. :func:`creditkit.segmentation.value_at_risk` lists them.

    Parameters
    ----------
    cross : DataFrame
        From :func:`creditkit.segmentation.tier_value_cross` (tiers × segments).
    lang : {"zh", "en"}
    tiers_at_risk : sequence of str, default ("high_risk", "restricted")
    segment : str, default "high_value"
    title : str, optional
        Default: the label ``tier_value_title``.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ParameterError
        Not a tier × value cross, unknown tiers or segment, unknown ``lang``.

    Examples
    --------
    >>> from creditkit.segmentation import tier_value_cross
    >>> t = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["prime", "high_risk"]})
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["ordinary", "high_value"]})
    >>> fig = tier_value_heatmap(tier_value_cross(t, s), lang="en")
    >>> fig.data[0].text[2][0], len(fig.layout.shapes)
    ('1', 2)
    """
    check_lang(lang)
    if (not isinstance(cross, pd.DataFrame) or list(map(str, cross.index)) != list(TIERS)
            or list(map(str, cross.columns)) != list(VALUE_SEGMENTS)):
        raise ParameterError("tier_value_heatmap needs the table of "
                             f"creditkit.segmentation.tier_value_cross (rows {list(TIERS)}, "
                             f"columns {list(VALUE_SEGMENTS)}); got {type(cross).__name__}")
    bad = sorted(set(tiers_at_risk) - set(TIERS))
    if bad or segment not in VALUE_SEGMENTS:
        raise ParameterError(f"tiers_at_risk must be among {list(TIERS)} and segment one of "
                             f"{list(VALUE_SEGMENTS)}; got {bad or segment!r}")
    cells = cross.to_numpy(dtype=np.int64)
    total = int(cells.sum())
    share = cells / total if total else np.zeros(cells.shape)
    xs = [_esc(segment_text(s, lang)) for s in VALUE_SEGMENTS]
    ys = [_esc(tier_text(t, lang)) for t in TIERS]
    of_all = label("share_of_all", lang)
    fig = go.Figure(go.Heatmap(
        z=cells.astype("float64"), x=xs, y=ys, text=[[f"{int(v):,}" for v in r] for r in cells],
        texttemplate="%{text}", colorscale="Blues", customdata=share,
        colorbar={**COLORBAR, "title": {"text": label("customers", lang)}},
        hovertemplate=f"%{{y}} × %{{x}}: %{{text}} ({of_all} %{{customdata:.1%}})<extra></extra>"))
    col = VALUE_SEGMENTS.index(segment)
    for tier in tiers_at_risk:
        row = TIERS.index(tier)
        fig.add_shape(type="rect", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5, y1=row + 0.5,
                      line={"color": _OUTLINE, "width": 3}, fillcolor="rgba(0,0,0,0)")
    if tiers_at_risk:
        joined = ("、" if lang == "zh" else " / ").join(tier_text(t, lang) for t in tiers_at_risk)
        fig.add_annotation(text=_esc(label("cross_outline", lang).format(
            segment=segment_text(segment, lang), tiers=joined)), xref="paper", yref="paper",
            x=0, y=-0.14, xanchor="left", yanchor="top", showarrow=False, font={"color": _OUTLINE})
    fig.update_yaxes(autorange="reversed", title_text=label("tier", lang))
    fig.update_xaxes(title_text=label("segment", lang))
    fig = plots.style_figure(fig, title or label("tier_value_title", lang))
    fig.update_layout(margin_b=90)  # room for the note under the x axis
    return fig


def tag_chart(counts: pd.DataFrame, *, lang: str = "zh", top: int = 20,
              title: str | None = None) -> go.Figure:
    """Customers per tag, most common on top (horizontal bars), the ``top`` tags.

    Parameters
    ----------
    counts : DataFrame
        From :func:`creditkit.segmentation.tag_counts`: ``tag``,
        ``customers`` and ``share``.
    lang : {"zh", "en"}
    top : int, default 20
        Tags shown (``industry:…`` and ``region:…`` make many); the title
        says how many were left out.
    title : str, optional
        Default: the label ``tag_counts_title``.

    Returns
    -------
    plotly.graph_objects.Figure
        One horizontal bar trace; ``x`` customers, ``y`` tags by
        :func:`tag_text`, hover the share.

    Raises
    ------
    ParameterError
        Missing columns, ``top`` not a positive whole number, unknown ``lang``.

    Examples
    --------
    >>> c = pd.DataFrame({"tag": ["region:广东", "new_customer"], "customers": [5, 2],
    ...                   "share": [0.5, 0.2]})
    >>> fig = tag_chart(c, lang="en")
    >>> list(fig.data[0].y), fig.data[0].x.tolist()
    (['Region: Guangdong', 'New customer'], [5, 2])
    """
    _frame(counts, ["tag", "customers"], "tag_chart", "tag_counts")
    check_lang(lang)
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise ParameterError(f"top must be a whole number >= 1; got {top!r}")
    data = counts.sort_values(["customers", "tag"], ascending=[False, True], kind="stable")
    shown = data.head(int(top))
    left_out = len(data) - len(shown)
    y = [_esc(tag_text(t, lang)) for t in shown["tag"]]
    share = shown["share"] if "share" in shown.columns else pd.Series(np.nan, index=shown.index)
    hover = [f"{int(n):,}" + (f" ({s:.1%})" if pd.notna(s) else "")
             for n, s in zip(shown["customers"], share, strict=True)]
    fig = go.Figure(go.Bar(x=shown["customers"].to_numpy(dtype="int64"), y=y, orientation="h",
                           name=label("customers", lang), hovertext=hover,
                           hoverinfo="y+text", marker_color="#1f77b4"))
    fig.update_yaxes(autorange="reversed", title_text=label("tag", lang), type="category")
    fig.update_layout(xaxis_title=label("customers", lang), showlegend=False,
                      height=max(320, 26 * len(shown) + 140))
    name = title or label("tag_counts_title", lang)
    if left_out and title is None:
        name += label("tags_left_out", lang).format(n=f"{left_out:,}")
    return plots.style_figure(fig, name)
