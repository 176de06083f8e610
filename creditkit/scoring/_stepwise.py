"""Stepwise logistic selection on WoE columns (forward, backward, both; AIC, BIC or p-value).

Every step refits the package's one logistic regression,
:func:`creditkit.scoring.logit.fit_logit`. Re-exported by
:mod:`creditkit.scoring.selection`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_target
from creditkit.exceptions import ParameterError
from creditkit.scoring._selection_tables import (
    CRITERIA,
    DIRECTIONS,
    decisions_table,
    iv_series,
    woe_frame,
)
from creditkit.scoring.logit import fit_logit

__all__ = ["stepwise_selection"]


def _score(fit: Any, criterion: str) -> float:
    return fit.aic if criterion == "aic" else fit.bic


def stepwise_selection(woe: Any, y: Any, *, direction: str = "both", criterion: str = "aic",
                       p_enter: float = 0.05, p_remove: float = 0.10,
                       max_steps: int = 100, iv: Any = None) -> pd.DataFrame:
    """Stepwise logistic selection on WoE columns by AIC, BIC or Wald p-value.

    forward: start empty, add the variable that lowers the criterion most
    (pvalue: the smallest p-value below ``p_enter``); backward: start full,
    remove the variable whose removal lowers the criterion most (pvalue: the
    largest p-value above ``p_remove``); both: forward steps, each followed by
    a backward check. Each step refits by :func:`fit_logit`, so run it on a
    sample of large data.

    Parameters
    ----------
    woe : DataFrame
        WoE columns.
    y : array-like of 0/1
        Target, 1 = bad.
    direction : {"forward", "backward", "both"}
    criterion : {"aic", "bic", "pvalue"}
    p_enter, p_remove : float
        Wald p-value thresholds for ``criterion="pvalue"``.
    max_steps : int
        Most iterations.
    iv : Series, dict or None
        IV by column, only copied into the table.

    Returns
    -------
    DataFrame
        Decision table (reasons ``stepwise_not_entered``, ``stepwise_removed``).

    Raises
    ------
    ParameterError
        For an unknown ``direction`` or ``criterion``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> woe = pd.DataFrame(rng.normal(size=(800, 2)), columns=["signal", "noise"])
    >>> y = (rng.random(800) < 1 / (1 + np.exp(1 + 1.5 * woe["signal"]))).astype(int)
    >>> stepwise_selection(woe, y, direction="forward")["kept"].tolist()
    [True, False]
    """
    frame = woe_frame(woe, "stepwise_selection")
    if direction not in DIRECTIONS:
        raise ParameterError(f"direction must be one of {DIRECTIONS}; got {direction!r}")
    if criterion not in CRITERIA:
        raise ParameterError(f"criterion must be one of {CRITERIA}; got {criterion!r}")
    cols = [str(c) for c in frame.columns]
    frame = frame.set_axis(cols, axis=1)
    yv = check_target(y, len(frame), who="stepwise_selection")
    ivs = pd.Series(np.nan, index=cols) if iv is None else iv_series(iv, cols, "stepwise")
    chosen = [] if direction != "backward" else list(cols)
    removed: dict[str, str] = {}

    def fit(vars_: list[str]) -> Any:
        return fit_logit(frame[vars_], yv)

    current = fit(chosen)
    for _ in range(max_steps):
        changed = False
        if direction in ("forward", "both"):
            cand = [c for c in cols if c not in chosen]
            best = None
            for c in cand:
                f = fit([*chosen, c])
                if criterion == "pvalue":
                    key, ok = f.pvalues[-1], f.pvalues[-1] < p_enter
                else:
                    key, ok = _score(f, criterion), _score(f, criterion) < _score(current,
                                                                                  criterion)
                if ok and (best is None or key < best[0]):
                    best = (key, c, f)
            if best is not None:
                chosen.append(best[1])
                current = best[2]
                changed = True
        if direction in ("backward", "both") and chosen:
            if criterion == "pvalue":
                k = int(np.argmax(current.pvalues))
                drop = chosen[k] if current.pvalues[k] > p_remove else None
                detail = f"p {current.pvalues[k]:.3g} > {p_remove}"
            else:
                drop, best_s = None, _score(current, criterion)
                for c in chosen:
                    s = _score(fit([v for v in chosen if v != c]), criterion)
                    if s < best_s:
                        drop, best_s = c, s
                detail = f"{criterion.upper()} falls to {best_s:.2f} without it"
            if drop is not None and not (direction == "both" and drop == chosen[-1]
                                         and changed):
                chosen.remove(drop)
                removed[drop] = detail
                current = fit(chosen)
                changed = True
        if not changed:
            break
    rows = []
    for c in cols:
        if c in chosen:
            rows.append({"variable": c, "iv": ivs[c], "kept": True, "reason": "kept",
                         "detail": ""})
        elif c in removed:
            rows.append({"variable": c, "iv": ivs[c], "kept": False,
                         "reason": "stepwise_removed", "detail": removed[c]})
        else:
            rows.append({"variable": c, "iv": ivs[c], "kept": False,
                         "reason": "stepwise_not_entered", "detail": f"by {criterion}"})
    return decisions_table(rows)
