"""Figures of tier migration (分层迁移): the matrix of two dates as a heatmap or as flows.

Both take :func:`creditkit.segmentation.tier_migration` (customers, or the
outstanding at the first or the second date) and draw it with the tier words
and colours of :mod:`creditkit.segmentation.plots`:

- :func:`migration_heatmap`: a cell per (tier at the first date, tier at the
  second date), ``new`` and ``exited`` included, the diagonal (no move)
  outlined, each cell's share of its row in the hover;
- :func:`migration_sankey`: a flow per non-empty cell, tiers in order on both
  sides, so the left adds up to the first date and the right to the second.

Money is shown in major units for display only, the amounts formatted with
their currency.

Examples
--------
>>> import pandas as pd
>>> from creditkit.segmentation import tier_migration
>>> a = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "standard"]})
>>> b = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["standard", "standard"]})
>>> migration_heatmap(tier_migration(a, b), lang="en").data[0].text[0][1]
'1'
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor, minor_unit_exponent
from creditkit.segmentation.migration import MIGRATION_VALUES
from creditkit.segmentation.plots import COLORBAR, NEUTRAL_COLOUR, TIER_COLOURS, tier_text
from creditkit.segmentation.tiers import TIERS

__all__ = ["migration_heatmap", "migration_sankey"]


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)


def _migration_cells(matrix: object, value: str, lang: str, what: str) -> np.ndarray:
    """The cells of a tier_migration matrix, checked: rows, columns, whole numbers."""
    check_lang(lang)
    if value not in MIGRATION_VALUES:
        raise ParameterError(f"value must be one of {list(MIGRATION_VALUES)}; got {value!r}")
    rows, cols = [*TIERS, "new"], [*TIERS, "exited"]
    if (not isinstance(matrix, pd.DataFrame) or [str(i) for i in matrix.index] != rows
            or [str(c) for c in matrix.columns] != cols):
        raise ParameterError(f"{what} needs the matrix of "
                             "creditkit.segmentation.tier_migration (rows "
                             f"{rows}, columns {cols}); got "
                             f"{type(matrix).__name__}")
    if not all(pd.api.types.is_integer_dtype(t) for t in matrix.dtypes):
        raise ParameterError("the migration matrix must hold whole numbers (customers or minor "
                             "units), as tier_migration returns")
    return matrix.to_numpy(dtype=np.int64)


def migration_heatmap(matrix: pd.DataFrame, *, value: str = "customers", lang: str = "zh",
                      currency: str | None = None, title: str | None = None) -> go.Figure:
    """The tier migration matrix as a heatmap: from the row's tier to the column's.

    Rows are the tiers at the first date then ``new`` (新进入), columns the
    tiers at the second date then ``exited`` (已退出), as
    :func:`creditkit.segmentation.tier_migration` returns them. Each cell shows
    its count or amount; the hover adds its share of the row (where the
    customers of a tier went). The diagonal (no move) is outlined.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`creditkit.segmentation.tier_migration` (int64).
    value : {"customers", "outstanding_from_minor", "outstanding_to_minor"}
        What the cells hold: the ``value`` the matrix was built with.
    lang : {"zh", "en"}
    currency : str, optional
        The balances' currency (default CNY), for an outstanding matrix.
    title : str, optional
        Default: the label ``migration_title_<value>``.

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap trace; ``z`` in counts or in major units, ``text`` the
        formatted cells.

    Raises
    ------
    ParameterError
        Not a matrix of tier_migration, an unknown ``value`` or ``lang``.

    Examples
    --------
    >>> from creditkit.segmentation import tier_migration
    >>> a = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "prime"]})
    >>> b = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "high_risk"]})
    >>> fig = migration_heatmap(tier_migration(a, b), lang="en")
    >>> fig.data[0].y[0], fig.data[0].x[2], fig.data[0].text[0][2]
    ('Prime', 'High risk', '1')
    """
    rows, cols = [*TIERS, "new"], [*TIERS, "exited"]
    cells = _migration_cells(matrix, value, lang, "migration_heatmap")
    cur = plots.pick_currency(matrix, currency)
    money = value != "customers"
    if money:
        z = cells.astype("float64") / 10**minor_unit_exponent(cur)
        text = [[format_minor(int(v), cur, lang=lang) for v in row] for row in cells]
    else:
        z = cells.astype("float64")
        text = [[f"{int(v):,}" for v in row] for row in cells]
    row_total = cells.sum(axis=1, keepdims=True)
    share = np.divide(cells, row_total, out=np.zeros(cells.shape), where=row_total != 0)
    xs = [_escaped(tier_text(c, lang)) for c in cols]
    ys = [_escaped(tier_text(r, lang)) for r in rows]
    of_row = label("share_of_row", lang)
    fig = go.Figure(go.Heatmap(
        z=z, x=xs, y=ys, text=text, texttemplate="%{text}", colorscale="Blues",
        customdata=share, colorbar={**COLORBAR, "title": {
            "text": plots.axis_title(value, lang, cur) if money else label("customers", lang)}},
        hovertemplate=f"%{{y}} → %{{x}}: %{{text}} ({of_row} %{{customdata:.1%}})<extra></extra>"))
    for i in range(len(TIERS)):  # the diagonal: customers who stayed in their tier
        fig.add_shape(type="rect", x0=i - 0.5, x1=i + 0.5, y0=i - 0.5, y1=i + 0.5,
                      line={"color": "#555", "width": 1}, fillcolor="rgba(0,0,0,0)")
    fig.update_yaxes(autorange="reversed", title_text=label("tier_from", lang))
    fig.update_xaxes(title_text=label("tier_to", lang), side="bottom")
    return plots.style_figure(fig, title or label(f"migration_title_{value}", lang))


def migration_sankey(matrix: pd.DataFrame, *, value: str = "customers", lang: str = "zh",
                     currency: str | None = None, title: str | None = None) -> go.Figure:
    """The tier migration matrix as flows: tiers at the first date (left) to the second (right).

    One link per non-empty cell of the matrix, as wide as its customers or
    amount, coloured by the tier it leaves; ``new`` customers enter on the
    left and ``exited`` ones leave on the right, so the left nodes add up to
    the first date and the right nodes to the second.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`creditkit.segmentation.tier_migration`.
    value : {"customers", "outstanding_from_minor", "outstanding_to_minor"}
        What the matrix holds.
    lang : {"zh", "en"}
    currency : str, optional
        The balances' currency (default CNY), for an outstanding matrix.
    title : str, optional
        Default: the label ``migration_title_<value>``.

    Returns
    -------
    plotly.graph_objects.Figure
        One sankey trace: nodes are the matrix's rows then its columns; link
        values in counts or major units, ``customdata`` the formatted amount.

    Raises
    ------
    ParameterError
        Not a matrix of tier_migration, an unknown ``value`` or ``lang``.

    Examples
    --------
    >>> from creditkit.segmentation import tier_migration
    >>> a = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "prime"]})
    >>> b = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "high_risk"]})
    >>> link = migration_sankey(tier_migration(a, b), lang="en").data[0].link
    >>> list(link.source), list(link.target), list(link.value)
    ([0, 0], [5, 7], [1.0, 1.0])
    """
    rows, cols = [*TIERS, "new"], [*TIERS, "exited"]
    cells = _migration_cells(matrix, value, lang, "migration_sankey")
    cur = plots.pick_currency(matrix, currency)
    money = value != "customers"
    scale = 10 ** minor_unit_exponent(cur) if money else 1
    source, target = np.nonzero(cells)
    amounts = cells[source, target]
    shown = [format_minor(int(v), cur, lang=lang) if money else f"{int(v):,}" for v in amounts]
    colour = {**TIER_COLOURS, "new": NEUTRAL_COLOUR, "exited": NEUTRAL_COLOUR}
    nodes = [_escaped(tier_text(t, lang)) for t in [*rows, *cols]]
    # nodes in tier order on each side (plotly would reorder them): y at the middle of each
    # node's share of its side, x at the two edges
    ys = []
    for totals in (cells.sum(axis=1), cells.sum(axis=0)):
        whole = max(int(totals.sum()), 1)
        middle = (np.cumsum(totals) - totals / 2) / whole
        ys += np.clip(middle, 0.001, 0.999).tolist()
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": nodes, "color": [colour[t] for t in [*rows, *cols]], "pad": 14,
              "x": [0.001] * len(rows) + [0.999] * len(cols), "y": ys,
              "hovertemplate": "%{label}<extra></extra>"},
        link={"source": source.tolist(), "target": (target + len(rows)).tolist(),
              "value": (amounts / scale).tolist(), "customdata": shown,
              "color": [_fade(colour[rows[i]]) for i in source],
              "hovertemplate": "%{source.label} → %{target.label}: %{customdata}<extra></extra>"}))
    fig.add_annotation(text=_escaped(label("tier_from", lang)), x=0, y=1.02, xref="paper",
                       yref="paper", xanchor="left", yanchor="bottom", showarrow=False)
    fig.add_annotation(text=_escaped(label("tier_to", lang)), x=1, y=1.02, xref="paper",
                       yref="paper", xanchor="right", yanchor="bottom", showarrow=False)
    fig.update_layout(height=460, showlegend=False)  # a sankey has no legend: nodes are named
    fig = plots.style_figure(fig, title or label(f"migration_title_{value}", lang))
    fig.update_layout(margin_t=fig.layout.margin.t + 30)  # room for the two side titles
    return fig


def _fade(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0.35)"
