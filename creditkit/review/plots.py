"""Figures of the monthly review: the score distribution of a card at two dates.

Examples
--------
>>> import pandas as pd
>>> from creditkit.review import score_stability
>>> a = pd.DataFrame({"scorecard": "B", "points": range(400, 700)})
>>> s = score_stability(a, a.assign(points=a["points"] + 20), bands=5)
>>> fig = score_shift_chart(s, "B", lang="en")
>>> [t.name for t in fig.data], len(fig.data[0].x)
(['Previous month', 'This month'], 5)
"""

from __future__ import annotations

import plotly.graph_objects as go

from creditkit.checks import check_lang
from creditkit.display import plots
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.scoring.binlabels import bin_label

__all__ = ["score_shift_chart"]


def score_shift_chart(stability: object, card: str, *, lang: str = "zh",
                      title: str | None = None) -> go.Figure:
    """One card's points at the two review dates: the share of customers in each band.

    Parameters
    ----------
    stability : DataFrame
        :func:`~creditkit.review.score_stability` (its ``attrs["bands"]``).
    card : str
        The scorecard to draw (a value of its ``scorecard`` column).
    lang : {"zh", "en"}
    title : str, optional
        Default: the card's PSI in words.

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar traces (previous month, this month) over the bands of the
        earlier points; each trace's shares add up to 1.

    Raises
    ------
    ParameterError
        No band table for ``card`` (no scores at one of the dates).

    Examples
    --------
    >>> import pandas as pd
    >>> score_shift_chart(pd.DataFrame(), "B")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: no score bands for card 'B'; ...
    """
    lang = check_lang(lang)
    bands = getattr(stability, "attrs", {}).get("bands", {})
    if card not in bands:
        raise ParameterError(f"no score bands for card {card!r}; pass score_stability's table "
                             f"and one of its cards with scores at both dates ({sorted(bands)})")
    t = bands[card]
    x = [str(bin_label(str(b), lang)) for b in t["bin"]]
    fig = go.Figure()
    fig.add_bar(x=x, y=t["base_share"].tolist(), name=label("previous_month", lang),
                marker_color="#a8b3bd")
    fig.add_bar(x=x, y=t["current_share"].tolist(), name=label("this_month", lang),
                marker_color="#264653")
    psi = float(t["psi"].sum())
    fig.update_layout(barmode="group", yaxis={"tickformat": ".0%",
                                              "title": label("share", lang)},
                      xaxis={"type": "category", "title": label("points", lang)})
    name = plots.label_text(f"scorecard_{card}", lang)
    text = title if title is not None else label("score_shift_title", lang).format(
        card=name, psi=f"{psi:.3f}")
    return plots.style_figure(fig, text)
