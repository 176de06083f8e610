"""Population stability: PSI of a score, CSI per variable, and a PSI monitor.

* PSI = Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) over bins i, eᵢ the base ("expected") share,
  aᵢ the current ("actual") share (Siddiqi 2006, ch. 8; Yurdakul 2018,
  *Statistical properties of population stability index*). The breakpoints
  come from the **base sample only**; missing values get a bin of their own.
* Empty bins: a share of 0 is replaced by ``epsilon`` (default 1e-4, a
  parameter) in the PSI term, so the logarithm stays finite and one empty bin
  adds a large but bounded amount (≈ e·ln(e/ε) for a base share e).
* CSI is the same sum over one variable's bins (bin labels or WoE values).
* Stability status: PSI < 0.10 stable, 0.10 ≤ PSI < 0.25 watch, PSI ≥ 0.25
  act; the thresholds are parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from creditkit.deprecation import renamed_keywords
from creditkit.exceptions import ParameterError, not_fitted
from creditkit.scoring.metrics import band_edges

__all__ = ["PSIMonitor", "csi", "psi", "psi_table", "stability_status"]

DEFAULT_PSI_THRESHOLDS: tuple[float, float] = (0.10, 0.25)
DEFAULT_EPSILON = 1e-4


def stability_status(value: float, thresholds: tuple[float, float] = DEFAULT_PSI_THRESHOLDS) -> str:
    """``"stable"``, ``"watch"`` or ``"act"`` for a PSI/CSI value.

    Examples
    --------
    >>> [stability_status(v) for v in (0.05, 0.1, 0.3)]
    ['stable', 'watch', 'act']
    """
    lo, hi = _check_thresholds(thresholds)
    if value < lo:
        return "stable"
    return "watch" if value < hi else "act"


def _check_thresholds(thresholds) -> tuple[float, float]:
    try:
        lo, hi = (float(t) for t in thresholds)
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"thresholds must be two numbers (watch, act); got {thresholds!r}; e.g. (0.1, 0.25)"
        ) from exc
    if not 0 <= lo < hi:
        raise ParameterError(
            f"thresholds must satisfy 0 <= watch < act; got {thresholds!r}; e.g. (0.1, 0.25)"
        )
    return lo, hi


def _psi_from_counts(base: np.ndarray, current: np.ndarray, epsilon: float) -> pd.DataFrame:
    e = base / base.sum()
    a = current / current.sum() if current.sum() > 0 else np.zeros_like(e)
    e_adj = np.where(e == 0, epsilon, e)
    a_adj = np.where(a == 0, epsilon, a)
    contrib = (a_adj - e_adj) * np.log(a_adj / e_adj)
    return pd.DataFrame(
        {"base_count": base, "current_count": current, "base_share": e, "current_share": a,
         "psi": contrib}
    )


def _check_epsilon(epsilon: float) -> float:
    if not (isinstance(epsilon, float | int) and 0 < epsilon < 1):
        raise ParameterError(f"epsilon must be a number in (0, 1); got {epsilon!r}; e.g. 1e-4")
    return float(epsilon)


def _numeric(values, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype="float64")
    except (TypeError, ValueError) as exc:
        got = np.asarray(values)[:3].tolist()
        raise ParameterError(f"{name} must be numeric; got {got}") from exc
    if arr.ndim != 1 or len(arr) == 0:
        raise ParameterError(f"{name} must be a non-empty 1-d array; got shape {arr.shape}")
    return arr


@renamed_keywords(bins="bands")
def psi_table(
    base, current, *, bands: int | Sequence[float] = 10, epsilon: float = DEFAULT_EPSILON
) -> pd.DataFrame:
    """Population stability table of a numeric score, breakpoints from ``base`` only.

    ``bands`` equal-count score bands of the base sample (its quantiles) or
    explicit inner breakpoints (``bins=`` is the deprecated spelling); missing
    values get a bin of their own. Shares of 0 are
    replaced by ``epsilon`` in the PSI term.

    Returns
    -------
    DataFrame
        ``bin``, ``base_count``, ``current_count``, ``base_share``,
        ``current_share``, ``psi`` (the bin's term); the PSI is ``psi.sum()``.

    Examples
    --------
    >>> t = psi_table([1, 2, 3, 4], [1, 1, 1, 4], bands=[2.5])
    >>> t["current_share"].tolist(), round(float(t["psi"].sum()), 4)
    ([0.75, 0.25], 0.2747)
    """
    eps = _check_epsilon(epsilon)
    b = _numeric(base, "base")
    c = _numeric(current, "current")
    edges = band_edges(b[~np.isnan(b)], bands)
    n_bins = len(edges) + 1

    def counts(x):
        idx = np.where(np.isnan(x), n_bins, np.searchsorted(edges, x, side="right"))
        return np.bincount(idx, minlength=n_bins + 1).astype("float64")

    cb, cc = counts(b), counts(c)
    lo = np.concatenate([[-np.inf], edges])
    hi = np.concatenate([edges, [np.inf]])
    names = [f"[{a:g}, {z:g})" for a, z in zip(lo, hi, strict=True)] + ["missing"]
    keep = np.ones(n_bins + 1, dtype=bool)
    keep[-1] = (cb[-1] + cc[-1]) > 0  # show the missing bin only when it is used
    tab = _psi_from_counts(cb[keep], cc[keep], eps)
    tab.insert(0, "bin", np.asarray(names, dtype=object)[keep])
    return tab


@renamed_keywords(bins="bands")
def psi(
    base, current, *, bands: int | Sequence[float] = 10, epsilon: float = DEFAULT_EPSILON
) -> float:
    """Population stability index of ``current`` against ``base`` (see :func:`psi_table`).

    Examples
    --------
    >>> round(psi([1, 2, 3, 4], [1, 1, 1, 4], bands=[2.5]), 4)
    0.2747
    """
    return float(psi_table(base, current, bands=bands, epsilon=epsilon)["psi"].sum())


def csi(
    base: pd.DataFrame,
    current: pd.DataFrame,
    *,
    variables: Sequence[str] | None = None,
    epsilon: float = DEFAULT_EPSILON,
    thresholds: tuple[float, float] = DEFAULT_PSI_THRESHOLDS,
) -> pd.DataFrame:
    """Characteristic stability index per variable of binned frames.

    The frames hold each applicant's bin per variable (bin labels, or WoE
    values, as ``BinningProcess.transform`` returns them); the bins seen in
    ``base`` define the categories and a bin absent from one sample counts with
    share ``epsilon``.

    Returns
    -------
    DataFrame
        ``variable``, ``csi``, ``status`` (stable / watch / act), sorted by CSI
        descending.

    Raises
    ------
    ParameterError
        If a variable is missing from a frame.

    Examples
    --------
    >>> b = pd.DataFrame({"age": ["a", "a", "b", "b"]})
    >>> c = pd.DataFrame({"age": ["a", "a", "a", "b"]})
    >>> csi(b, c)[["variable", "status"]].values.tolist()
    [['age', 'act']]
    """
    eps = _check_epsilon(epsilon)
    _check_thresholds(thresholds)
    names = list(base.columns) if variables is None else list(variables)
    missing = [v for v in names if v not in base.columns or v not in current.columns]
    if missing:
        raise ParameterError(
            f"variable(s) {missing} not in both frames; base has {list(base.columns)}, current "
            f"has {list(current.columns)}; bin both samples with the same BinningProcess"
        )
    rows = []
    for var in names:  # one pass per variable, vectorised within
        b = base[var].astype("string").fillna("<missing>")
        c = current[var].astype("string").fillna("<missing>")
        cats = pd.Index(pd.unique(pd.concat([b, c], ignore_index=True)))
        cb = b.value_counts().reindex(cats, fill_value=0).to_numpy(dtype="float64")
        cc = c.value_counts().reindex(cats, fill_value=0).to_numpy(dtype="float64")
        value = float(_psi_from_counts(cb, cc, eps)["psi"].sum())
        rows.append((var, value, stability_status(value, thresholds)))
    out = pd.DataFrame(rows, columns=["variable", "csi", "status"])
    return out.sort_values("csi", ascending=False, kind="stable").reset_index(drop=True)


class PSIMonitor(BaseEstimator):
    """Remembers a base score distribution and measures later samples against it.

    Parameters
    ----------
    bands : int or sequence of float, default 10
        Equal-count score bands of the base sample, or explicit inner breakpoints
        (``bins=`` is the deprecated spelling).
    epsilon : float, default 1e-4
        Share used for an empty bin in the PSI term.
    thresholds : (float, float), default (0.1, 0.25)
        PSI below the first is stable, from the second on act, watch between.

    Attributes
    ----------
    breakpoints_ : ndarray
        Inner breakpoints taken from the base sample.
    base_ : ndarray
        The base scores (kept to rebuild the table; a score vector is small).

    Examples
    --------
    >>> m = PSIMonitor(bands=[2.5]).fit([1, 2, 3, 4])
    >>> m.status([1, 1, 1, 4])
    'act'
    """

    def __init__(self, bands: int | Sequence[float] = 10, epsilon: float = DEFAULT_EPSILON,
                 thresholds: tuple[float, float] = DEFAULT_PSI_THRESHOLDS):
        self.bands = bands
        self.epsilon = epsilon
        self.thresholds = thresholds

    __init__.__name__ = "PSIMonitor"  # the deprecation warning names the class
    __init__ = renamed_keywords(bins="bands")(__init__)

    def fit(self, X, y=None) -> PSIMonitor:
        """Learn the breakpoints of the base scores ``X`` (1-d)."""
        _check_epsilon(self.epsilon)
        _check_thresholds(self.thresholds)
        base = _numeric(X, "base")
        self.breakpoints_ = band_edges(base[~np.isnan(base)], self.bands)
        self.base_ = base.copy()
        return self

    def table(self, current) -> pd.DataFrame:
        """The PSI table of ``current`` against the base (see :func:`psi_table`)."""
        if not hasattr(self, "breakpoints_"):
            raise not_fitted("PSIMonitor", "fit(X)")
        return psi_table(self.base_, current, bands=self.breakpoints_, epsilon=self.epsilon)

    def psi(self, current) -> float:
        """The PSI of ``current`` against the base."""
        return float(self.table(current)["psi"].sum())

    def status(self, current) -> str:
        """``"stable"``, ``"watch"`` or ``"act"`` for ``current``."""
        return stability_status(self.psi(current), self.thresholds)
