"""Variable selection for scorecards: IV threshold, correlation and VIF filters, stepwise.

Every step is a function that takes WoE columns (the output of
``BinningProcess.transform``) and returns a decision table, one row per
variable: ``variable, iv, kept, reason, detail``. :func:`select_variables`
chains them; :class:`VariableSelector` wraps the chain as a scikit-learn
transformer for pipelines.

With creditkit's WoE (``ln(share of goods / share of bads)``) a higher WoE is
safer, so in a logistic model of P(bad) every coefficient should be
negative; :func:`coefficient_sign_warnings` flags the ones that are not, and
:func:`significance_filter` drops, one at a time, the variables a validator
would not sign: a coefficient whose sign runs against the variable's WoE, or a
Wald p-value above the maximum.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from creditkit.checks import check_target
from creditkit.exceptions import ParameterError, not_fitted
from creditkit.scoring._selection_tables import (
    decisions_table,
    iv_series,
    woe_frame,
)
from creditkit.scoring._stepwise import stepwise_selection
from creditkit.scoring.binning.iv import iv_from_woe
from creditkit.scoring.logit import fit_logit

__all__ = [
    "VariableSelector",
    "coefficient_sign_warnings",
    "correlation_filter",
    "iv_from_woe",
    "select_by_iv",
    "select_variables",
    "significance_filter",
    "stepwise_selection",
    "vif_filter",
]

def select_by_iv(iv: Any, *, min_iv: float = 0.02, max_iv: float | None = None) -> pd.DataFrame:
    """Keep variables with ``min_iv <= IV`` (and ``IV <= max_iv``: too good to be true).

    Rules of thumb: IV < 0.02 useless, 0.02-0.1 weak, 0.1-0.3 medium, > 0.5 suspicious.

    Parameters
    ----------
    iv : Series or dict
        IV by variable (``BinningProcess.iv_``).
    min_iv, max_iv : float
        Bounds; ``max_iv=None`` has no upper bound.

    Returns
    -------
    DataFrame
        variable, iv, kept, reason (``kept``, ``iv_too_low``, ``iv_too_high``), detail.

    Raises
    ------
    ParameterError
        If ``min_iv`` is negative or not below ``max_iv``.

    Examples
    --------
    >>> select_by_iv({"a": 0.3, "b": 0.9}, min_iv=0.02, max_iv=0.5)["reason"].tolist()
    ['iv_too_high', 'kept']
    """
    iv = pd.Series(iv, dtype=float).sort_values(ascending=False, kind="stable")
    if min_iv < 0 or (max_iv is not None and max_iv <= min_iv):
        raise ParameterError(f"need 0 <= min_iv < max_iv; got min_iv={min_iv}, "
                             f"max_iv={max_iv}")
    rows = []
    for v, val in iv.items():
        if val < min_iv:
            rows.append({"variable": v, "iv": val, "kept": False, "reason": "iv_too_low",
                         "detail": f"IV {val:.4f} < {min_iv}"})
        elif max_iv is not None and val > max_iv:
            rows.append({"variable": v, "iv": val, "kept": False, "reason": "iv_too_high",
                         "detail": f"IV {val:.4f} > {max_iv}; check for leakage"})
        else:
            rows.append({"variable": v, "iv": val, "kept": True, "reason": "kept", "detail": ""})
    return decisions_table(rows)


def correlation_filter(woe: Any, iv: Any, *, threshold: float = 0.7) -> pd.DataFrame:
    """Of each pair of WoE columns with ``|r| > threshold``, drop the one with the lower IV.

    Variables are visited by IV, high first; one is kept when its Pearson
    correlation with every variable kept so far is at most ``threshold``.

    Parameters
    ----------
    woe : DataFrame
        WoE columns.
    iv : Series or dict
        IV by column.
    threshold : float
        Largest absolute correlation allowed between two kept variables.

    Returns
    -------
    DataFrame
        Decision table (reason ``correlated``, detail names the partner).

    Raises
    ------
    ParameterError
        If ``threshold`` is outside (0, 1] or ``iv`` misses a column.

    Examples
    --------
    >>> import pandas as pd
    >>> woe = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.1, 2, 3, 4.2], "c": [1.0, -1, 1, -1]})
    >>> correlation_filter(woe, {"a": 0.3, "b": 0.2, "c": 0.1})["kept"].tolist()
    [True, False, True]
    """
    frame = woe_frame(woe, "correlation_filter")
    if not 0 < threshold <= 1:
        raise ParameterError(f"threshold must be in (0, 1]; got {threshold}")
    cols = [str(c) for c in frame.columns]
    iv = iv_series(iv, cols, "correlation_filter")
    order = sorted(cols, key=lambda c: (-iv[c], cols.index(c)))
    arr = frame.set_axis(cols, axis=1)[order].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.nan_to_num(np.corrcoef(arr, rowvar=False).reshape(len(order), len(order)))
    kept: list[int] = []
    rows = []
    for i, c in enumerate(order):
        hit = [(abs(corr[i, j]), j) for j in kept if abs(corr[i, j]) > threshold]
        if hit:
            r, j = max(hit)
            rows.append({"variable": c, "iv": iv[c], "kept": False, "reason": "correlated",
                         "detail": f"|r| {r:.3f} with {order[j]}"})
        else:
            kept.append(i)
            rows.append({"variable": c, "iv": iv[c], "kept": True, "reason": "kept",
                         "detail": ""})
    return decisions_table(rows)


def _vif(arr: np.ndarray) -> np.ndarray:
    """VIF_j = 1 / (1 - R_j^2) = diag of the inverse correlation matrix."""
    if arr.shape[1] == 1:
        return np.ones(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.nan_to_num(np.corrcoef(arr, rowvar=False))
    return np.diag(np.linalg.pinv(corr))


def vif_filter(woe: Any, iv: Any = None, *, threshold: float = 10.0) -> pd.DataFrame:
    """Drop, one at a time, the variable with the largest VIF above ``threshold``.

    ``VIF_j = 1 / (1 - R_j^2)``, ``R_j^2`` from regressing column j on the
    others (the diagonal of the inverse correlation matrix); recomputed after
    each drop.

    Parameters
    ----------
    woe : DataFrame
        WoE columns.
    iv : Series, dict or None
        IV by column, only copied into the table.
    threshold : float
        Largest VIF kept (5 or 10 are usual).

    Returns
    -------
    DataFrame
        Decision table (reason ``vif_too_high``).

    Raises
    ------
    ParameterError
        If ``threshold`` < 1.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(2, 200))
    >>> woe = pd.DataFrame({"a": a, "b": b, "a_and_b": a + b + rng.normal(0, 0.05, 200)})
    >>> vif_filter(woe, threshold=10)["kept"].tolist()
    [True, True, False]
    """
    frame = woe_frame(woe, "vif_filter")
    if threshold < 1:
        raise ParameterError(f"threshold must be >= 1 (VIF is never below 1); got {threshold}")
    cols = [str(c) for c in frame.columns]
    iv = (pd.Series(np.nan, index=cols) if iv is None
          else iv_series(iv, cols, "vif_filter"))
    arr = frame.to_numpy(dtype=float)
    alive = list(range(len(cols)))
    dropped: dict[int, float] = {}
    while len(alive) > 1:
        v = _vif(arr[:, alive])
        k = int(np.argmax(v))
        if v[k] <= threshold:
            break
        dropped[alive[k]] = float(v[k])
        alive.pop(k)
    rows = []
    for i, c in enumerate(cols):
        if i in dropped:
            rows.append({"variable": c, "iv": iv[c], "kept": False, "reason": "vif_too_high",
                         "detail": f"VIF {dropped[i]:.1f} > {threshold}"})
        else:
            rows.append({"variable": c, "iv": iv[c], "kept": True, "reason": "kept",
                         "detail": ""})
    return decisions_table(rows)


def coefficient_sign_warnings(coef: Any, *, warn: bool = True) -> list[str]:
    """Variables whose coefficient in a model of P(bad) on WoE is positive.

    With WoE = ln(good share / bad share) a higher WoE is safer, so every
    coefficient of a logistic model of P(bad) should be negative; a positive
    one means the variable works against its own WoE in the presence of the
    others (collinearity or a suppressor) and should be reviewed.

    Examples
    --------
    >>> import pandas as pd
    >>> coefficient_sign_warnings(pd.Series({"age": -0.8, "amount": 0.3}), warn=False)
    ['amount']
    """
    coef = pd.Series(coef, dtype=float)
    bad = [str(v) for v, c in coef.items() if c > 0]
    if bad and warn:
        warnings.warn(
            f"coefficients of {bad} are positive: with WoE = ln(good/bad) they should be "
            "negative in a model of P(bad); review those variables (collinearity?)",
            stacklevel=2)
    return bad


def significance_filter(woe: Any, y: Any, *, max_pvalue: float = 0.05, sign: bool = True,
                        iv: Any = None, keep: Any = None, l2: float = 0.0) -> pd.DataFrame:
    """Drop, one at a time, the variable a validator would not sign, and refit.

    The logistic regression of ``y`` on the WoE columns
    (:func:`creditkit.scoring.logit.fit_logit`, the scorecard's own fit) is
    fitted; of the offending variables — Wald p-value above ``max_pvalue``, or
    (``sign=True``) a coefficient whose sign runs against the variable's WoE —
    the one with the largest p-value is dropped and the model refitted, until
    none offends. The sign test needs no WoE convention: ``β_j`` must have the
    sign of ``cov(WoE_j, y)``, i.e. the points must move with the bad rates, as
    ``Scorecard.fit`` checks. Each variable kept in the result therefore has,
    in the model of all the kept variables, p-value <= ``max_pvalue`` and a
    sign that agrees with its WoE.

    Parameters
    ----------
    woe : DataFrame
        WoE columns.
    y : array-like of 0/1
        Target, 1 = bad.
    max_pvalue : float, default 0.05
        Largest Wald p-value kept, in (0, 1]; 1 checks the signs only.
    sign : bool, default True
        Also drop variables whose coefficient sign contradicts their WoE.
    iv : Series, dict or None
        IV by column, only copied into the table.
    keep : sequence of str, optional
        Columns forced into the model: never dropped, whatever their p-value
        or sign (they stay in every refit, so the others are tested beside them).
    l2 : float, default 0
        Ridge penalty of the regression (see :func:`creditkit.scoring.logit.fit_logit`),
        so that the p-values tested are those of a penalised card.

    Returns
    -------
    DataFrame
        Decision table (reasons ``pvalue_too_high``, ``sign_against_woe``; the
        detail gives the p-value and coefficient at the drop).

    Raises
    ------
    ParameterError
        If ``max_pvalue`` is outside (0, 1] or the WoE columns are collinear.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> woe = pd.DataFrame(rng.normal(size=(800, 2)), columns=["signal", "noise"])
    >>> y = (rng.random(800) < 1 / (1 + np.exp(1 + 1.5 * woe["signal"]))).astype(int)
    >>> significance_filter(woe, y)[["variable", "kept", "reason"]].values.tolist()
    [['signal', True, 'kept'], ['noise', False, 'pvalue_too_high']]
    """
    frame = woe_frame(woe, "significance_filter")
    if not (isinstance(max_pvalue, int | float) and 0 < max_pvalue <= 1):
        raise ParameterError(f"max_pvalue must be in (0, 1], e.g. 0.05; got {max_pvalue!r}")
    cols = [str(c) for c in frame.columns]
    frame = frame.set_axis(cols, axis=1)
    yv = check_target(y, len(frame), who="significance_filter").astype("float64")
    ivs = pd.Series(np.nan, index=cols) if iv is None else iv_series(iv, cols,
                                                                      "significance_filter")
    forced = [str(v) for v in (keep or ())]
    unknown = [v for v in forced if v not in cols]
    if unknown:
        raise ParameterError(f"keep names {unknown}, not columns of woe ({cols[:20]}); "
                             "fix keep=")
    may_drop = np.array([c not in forced for c in cols])
    arr = frame.to_numpy(dtype="float64")
    # the sign each coefficient must have: that of cov(WoE_j, y)
    direction = np.sign((arr - arr.mean(axis=0)).T @ (yv - yv.mean()))
    alive = list(range(len(cols)))
    dropped: dict[int, tuple[str, str]] = {}
    while alive:
        fit = fit_logit(arr[:, alive], yv, l2=l2)
        against = (fit.coef * direction[alive] < 0) if sign else np.zeros(len(alive), bool)
        pv = np.nan_to_num(fit.pvalues, nan=1.0)
        offends = (against | (pv > max_pvalue)) & may_drop[alive]
        if not offends.any():
            break
        k = int(np.argmax(np.where(offends, pv, -1.0)))
        reason = "sign_against_woe" if against[k] else "pvalue_too_high"
        dropped[alive[k]] = (reason, f"p {pv[k]:.3g}, coefficient {fit.coef[k]:.3g}")
        alive.pop(k)
    rows = []
    for i, c in enumerate(cols):
        if i in dropped:
            rows.append({"variable": c, "iv": ivs[c], "kept": False, "reason": dropped[i][0],
                         "detail": dropped[i][1]})
        else:
            rows.append({"variable": c, "iv": ivs[c], "kept": True, "reason": "kept",
                         "detail": ""})
    return decisions_table(rows)


def select_variables(woe: Any, y: Any, *, iv: Any = None, min_iv: float = 0.02,
                     max_iv: float | None = None, max_corr: float | None = 0.7,
                     max_vif: float | None = 10.0, stepwise: str | None = None,
                     criterion: str = "aic", max_pvalue: float | None = None) -> pd.DataFrame:
    """IV threshold, then correlation, VIF, (optionally) stepwise and significance filters.

    Returns the decision table of every variable: the first step that drops a
    variable gives its reason.

    Parameters
    ----------
    woe : DataFrame
        WoE columns (``BinningProcess.transform(X)``).
    y : array-like of 0/1
    iv : Series, dict or None
        IV by column (``BinningProcess.iv_``); None computes it from the WoE
        columns (:func:`iv_from_woe`).
    min_iv, max_iv : float
        See :func:`select_by_iv`.
    max_corr : float or None
        See :func:`correlation_filter`; None skips the step.
    max_vif : float or None
        See :func:`vif_filter`; None skips the step.
    stepwise : {"forward", "backward", "both"} or None
        See :func:`stepwise_selection`; None (default) skips it.
    criterion : {"aic", "bic", "pvalue"}
    max_pvalue : float or None
        See :func:`significance_filter` (p-value and sign against WoE, run
        last on the survivors); None (default) skips it.

    Returns
    -------
    DataFrame
        variable, iv, kept, reason, detail; IV high first.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(2)
    >>> y = rng.integers(0, 2, 500)
    >>> a = np.where(y == 1, -0.5, 0.5) * np.where(rng.random(500) < 0.8, 1, -1)
    >>> woe = pd.DataFrame({"a": a, "a2": a, "tiny": rng.choice([-0.01, 0.01], 500)})
    >>> select_variables(woe, y)[["variable", "reason"]].values.tolist()
    [['a', 'kept'], ['a2', 'correlated'], ['tiny', 'iv_too_low']]
    """
    frame = woe_frame(woe, "select_variables")
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    ivs = iv_from_woe(frame, y) if iv is None else pd.Series(iv, dtype=float)
    ivs = iv_series(ivs, list(frame.columns), "select_variables")[list(frame.columns)]
    steps = [select_by_iv(ivs, min_iv=min_iv, max_iv=max_iv)]
    alive = steps[0].loc[steps[0]["kept"], "variable"].tolist()
    if max_corr is not None and alive:
        steps.append(correlation_filter(frame[alive], ivs, threshold=max_corr))
        alive = steps[-1].loc[steps[-1]["kept"], "variable"].tolist()
    if max_vif is not None and alive:
        steps.append(vif_filter(frame[alive], ivs, threshold=max_vif))
        alive = steps[-1].loc[steps[-1]["kept"], "variable"].tolist()
    if stepwise is not None and alive:
        steps.append(stepwise_selection(frame[alive], y, direction=stepwise,
                                        criterion=criterion, iv=ivs))
        alive = steps[-1].loc[steps[-1]["kept"], "variable"].tolist()
    if max_pvalue is not None and alive:
        steps.append(significance_filter(frame[alive], y, max_pvalue=max_pvalue, iv=ivs))
    final: dict[str, dict] = {}
    for st in steps:  # later steps only see survivors: their verdict replaces "kept"
        for row in st.to_dict("records"):
            if row["variable"] not in final or final[row["variable"]]["kept"]:
                final[row["variable"]] = row
    order = ivs.sort_values(ascending=False, kind="stable").index
    return decisions_table([final[v] for v in order])


class VariableSelector(TransformerMixin, BaseEstimator):
    """:func:`select_variables` as a transformer: keeps the selected WoE columns.

    Parameters
    ----------
    iv, min_iv, max_iv, max_corr, max_vif, stepwise, criterion, max_pvalue
        As in :func:`select_variables` (``max_pvalue`` adds the p-value and
        sign step, :func:`significance_filter`).

    Attributes
    ----------
    decisions_ : DataFrame
        variable, iv, kept, reason, detail.
    selected_ : list of str

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 400)
    >>> flip = rng.random(400) < 0.2
    >>> woe = pd.DataFrame({"good": np.where((y == 1) ^ flip, -0.7, 0.7),
    ...                     "noise": rng.choice([-0.1, 0.1], 400)})
    >>> VariableSelector(min_iv=0.1).fit(woe, y).selected_
    ['good']
    """

    def __init__(self, iv: Any = None, min_iv: float = 0.02, max_iv: float | None = None,
                 max_corr: float | None = 0.7, max_vif: float | None = 10.0,
                 stepwise: str | None = None, criterion: str = "aic",
                 max_pvalue: float | None = None) -> None:
        self.iv = iv
        self.min_iv = min_iv
        self.max_iv = max_iv
        self.max_corr = max_corr
        self.max_vif = max_vif
        self.stepwise = stepwise
        self.criterion = criterion
        self.max_pvalue = max_pvalue

    def fit(self, X: Any, y: Any) -> VariableSelector:
        """Select variables of the WoE frame ``X`` for the 0/1 target ``y``."""
        frame = woe_frame(X, "VariableSelector.fit")
        self.n_features_in_ = frame.shape[1]
        self.decisions_ = select_variables(
            frame, y, iv=self.iv, min_iv=self.min_iv, max_iv=self.max_iv,
            max_corr=self.max_corr, max_vif=self.max_vif, stepwise=self.stepwise,
            criterion=self.criterion, max_pvalue=self.max_pvalue)
        cols = [str(c) for c in frame.columns]
        kept = set(self.decisions_.loc[self.decisions_["kept"], "variable"])
        self.selected_ = [c for c in cols if c in kept]
        self._positions = [cols.index(c) for c in self.selected_]
        return self

    def transform(self, X: Any) -> Any:
        """The selected columns (a frame for frame input, else an array)."""
        if not hasattr(self, "selected_"):
            raise not_fitted("VariableSelector", "fit(X, y)")
        if isinstance(X, pd.DataFrame):
            return X.set_axis([str(c) for c in X.columns], axis=1)[self.selected_]
        return np.asarray(X)[:, self._positions]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the selected columns."""
        return np.asarray(self.selected_, dtype=object)
