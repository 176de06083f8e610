"""IV of columns that already hold WoE values (each distinct value is a bin)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_frame, check_target
from creditkit.scoring.binning.dp import woe_iv

__all__ = ["iv_from_woe"]


def iv_from_woe(woe: Any, y: Any, *, smoothing: float = 0.5) -> pd.Series:
    """IV of each WoE column, taking each distinct WoE value as a bin.

    Equals ``BinningProcess.iv_`` on the output of ``BinningProcess.transform``
    (unless two bins of a variable share a WoE), so selection can run on a
    WoE frame alone, e.g. inside a pipeline.

    Parameters
    ----------
    woe : DataFrame or 2-D array
    y : array-like of 0/1
    smoothing : float
        As in :func:`~creditkit.scoring.binning.woe_iv`.

    Returns
    -------
    Series
        IV by column.

    Raises
    ------
    ParameterError
        If ``woe`` is not 2-D or ``y`` is not 0/1 with one value per row.

    Examples
    --------
    >>> import pandas as pd
    >>> woe = pd.DataFrame({"a": [0.5, 0.5, -0.5, -0.5]})
    >>> round(float(iv_from_woe(woe, [0, 0, 1, 1], smoothing=0)["a"]), 3)
    0.0
    """
    woe, _ = check_frame(woe, "iv_from_woe")
    yv = check_target(y, len(woe), who="iv_from_woe")
    nb = int(yv.sum())
    out = {}
    for c in woe.columns:
        _, inv = np.unique(woe[c].to_numpy(dtype=float), return_inverse=True)
        both = np.bincount(inv * 2 + yv, minlength=2 * (inv.max() + 1)).reshape(-1, 2)
        out[str(c)] = float(woe_iv(both[:, 0], both[:, 1], len(yv) - nb, nb, smoothing)[1].sum())
    return pd.Series(out, name="iv", dtype=float)
