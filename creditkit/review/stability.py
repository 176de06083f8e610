"""Score stability between two review dates: the PSI of each scorecard's points (评分稳定性).

The customer features of :func:`creditkit.segmentation.customer_features`
carry each customer's score today (``points``) and the card that gave it
(``scorecard``: the behaviour card for customers on book, the collection card
for those in arrears). A PSI mixing two cards means nothing, so
:func:`score_stability` compares each card's points at the earlier date (the
base, whose quantiles make the bands) with the same card's points now, and
rates the PSI by the package's thresholds
(:func:`creditkit.scoring.stability.stability_status`: below 0.1 stable, up to
0.25 a shift to watch, above it a shift to act on).

Examples
--------
>>> import pandas as pd
>>> before = pd.DataFrame({"scorecard": "B", "points": range(500, 600)})
>>> s = score_stability(before, before.assign(points=before["points"] + 0))
>>> s[["scorecard", "psi", "status"]].values.tolist()
[['B', 0.0, 'stable']]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.scoring.stability import psi_table, stability_status

__all__ = ["score_stability"]


def _points(frame: Any, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame) or not {"scorecard", "points"} <= set(frame.columns):
        raise ParameterError(f"{name} must be customer features with 'scorecard' and 'points' "
                             "(creditkit.segmentation.customer_features at a date)")
    return frame.loc[frame["points"].notna() & frame["scorecard"].notna(),
                     ["scorecard", "points"]]


def score_stability(before: pd.DataFrame, now: pd.DataFrame, *,
                    bands: int = 10) -> pd.DataFrame:
    """PSI of each scorecard's points: ``now`` against ``before``.

    Parameters
    ----------
    before, now : DataFrame
        Customer features at the two dates (``scorecard``, ``points``);
        customers without a score are left out.
    bands : int, default 10
        Equal-count bands of the earlier points, cut at whole points (bands
        that round to the same cut are merged).

    Returns
    -------
    DataFrame
        One row per scorecard: ``scorecard``, ``n_before``, ``n_now``,
        ``mean_points_before``, ``mean_points``, ``psi``, ``status``; the
        band tables are in ``attrs["bands"]`` (scorecard -> psi_table).

    Raises
    ------
    ParameterError
        A frame without the columns.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"scorecard": ["B"] * 4 + ["C"] * 2, "points": [1, 2, 3, 4, 5, 6]})
    >>> b = pd.DataFrame({"scorecard": ["B"] * 4, "points": [1, 1, 1, 4]})
    >>> s = score_stability(a, b, bands=2)
    >>> s["scorecard"].tolist(), s["n_now"].tolist()
    (['B', 'C'], [4, 0])
    """
    if isinstance(bands, bool) or not isinstance(bands, int | np.integer) or bands < 2:
        raise ParameterError(f"bands must be a whole number from 2, got {bands!r}")
    a, b = _points(before, "before"), _points(now, "now")
    rows, tables = [], {}
    for card in sorted(set(a["scorecard"]) | set(b["scorecard"])):
        x = a.loc[a["scorecard"] == card, "points"].astype(float)
        y = b.loc[b["scorecard"] == card, "points"].astype(float)
        psi = np.nan
        if len(x) and len(y):
            # equal-count bands of the earlier points, cut at whole points for people to read
            cuts = np.unique(np.round(np.quantile(x, np.arange(1, bands) / bands)))
            table = psi_table(x, y, bands=[float(c) for c in cuts])
            tables[card] = table
            psi = round(float(table["psi"].sum()), 6)
        rows.append({"scorecard": card, "n_before": len(x), "n_now": len(y),
                     "mean_points_before": float(x.mean()) if len(x) else np.nan,
                     "mean_points": float(y.mean()) if len(y) else np.nan, "psi": psi,
                     "status": stability_status(psi) if not np.isnan(psi) else None})
    out = pd.DataFrame(rows, columns=["scorecard", "n_before", "n_now", "mean_points_before",
                                      "mean_points", "psi", "status"])
    out.attrs["bands"] = tables
    return out
