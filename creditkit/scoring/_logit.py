"""Unpenalised logistic regression with standard errors (what statsmodels' Logit gives).

Shared by selection (stepwise by AIC/BIC/p-value) and the scorecard's
coefficient table. The fit is scikit-learn's Newton-Cholesky solver without
penalty (``C=inf``), polished by one Newton step; standard errors come from
the inverse Fisher information ``(X'WX)^-1`` with ``W = diag(p (1 - p))`` at
the estimate, Wald z = estimate / se and two-sided p-values from the normal
distribution.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from creditkit.exceptions import ParameterError

__all__ = ["LogitFit", "fit_logit"]


@dataclass(frozen=True)
class LogitFit:
    """Result of :func:`fit_logit`; ``se`` and ``pvalues`` are for ``coef`` (same order)."""

    coef: np.ndarray
    intercept: float
    se: np.ndarray
    pvalues: np.ndarray
    intercept_se: float
    intercept_pvalue: float
    loglik: float
    n_obs: int
    names: tuple[str, ...]

    @property
    def aic(self) -> float:
        """Akaike information criterion, ``2 k - 2 loglik`` (k counts the intercept)."""
        return 2 * (len(self.coef) + 1) - 2 * self.loglik

    @property
    def bic(self) -> float:
        """Bayesian information criterion, ``k ln(n) - 2 loglik``."""
        return (len(self.coef) + 1) * np.log(self.n_obs) - 2 * self.loglik

    def table(self) -> pd.DataFrame:
        """Coefficient table: variable, estimate, std_error, z, p_value (intercept first)."""
        est = np.concatenate([[self.intercept], self.coef])
        se = np.concatenate([[self.intercept_se], self.se])
        with np.errstate(divide="ignore", invalid="ignore"):
            z = est / se
        p = np.concatenate([[self.intercept_pvalue], self.pvalues])
        return pd.DataFrame({"variable": ["intercept", *self.names], "estimate": est,
                             "std_error": se, "z": z, "p_value": p})


def fit_logit(X: Any, y: Any, *, sample_weight: Any = None) -> LogitFit:
    """Fit P(y = 1) = 1 / (1 + exp(-(b0 + X b))) by maximum likelihood, with standard errors.

    Parameters
    ----------
    X : DataFrame or 2-D array
        Regressors (e.g. WoE columns); an intercept is added.
    y : array-like of 0/1
    sample_weight : array-like or None
        Frequency weights.

    Returns
    -------
    LogitFit
        ``coef``, ``intercept``, ``se``, ``pvalues``, ``loglik``, ``aic``, ``bic``, ``table()``.

    Raises
    ------
    ParameterError
        If ``X`` is not 2-D, has no rows, or ``y`` is not 0/1 of the same length.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(2000, 1))
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-(0.5 - 1.0 * x[:, 0])))).astype(int)
    >>> fit = fit_logit(x, y)
    >>> round(fit.intercept, 1), np.round(fit.coef, 1).tolist(), bool(fit.pvalues[0] < 1e-10)
    (0.6, [-1.0], True)
    """
    names = tuple(str(c) for c in X.columns) if isinstance(X, pd.DataFrame) else None
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ParameterError(
            f"X must be a 2-D table with at least one row; got shape {arr.shape}; "
            "pass a DataFrame of regressors")
    yv = np.asarray(y, dtype=np.float64).ravel()
    if len(yv) != arr.shape[0] or not ((yv == 0) | (yv == 1)).all():
        raise ParameterError(
            f"y must be 0/1 with one value per row of X ({arr.shape[0]}); got {len(yv)} "
            "values; map the target to 0/1")
    if np.isnan(arr).any():
        raise ParameterError("X has missing values; logistic regression needs complete "
                             "rows; transform with the binning (WoE) first")
    names = names or tuple(f"x{i}" for i in range(arr.shape[1]))
    w = np.ones(len(yv)) if sample_weight is None else np.asarray(sample_weight, float)
    if arr.shape[1] == 0:
        p0 = np.clip(np.average(yv, weights=w), 1e-15, 1 - 1e-15)
        coef, b0 = np.zeros(0), float(np.log(p0 / (1 - p0)))
    else:
        model = LogisticRegression(C=np.inf, solver="newton-cholesky", max_iter=200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            model.fit(arr, yv.astype(int), sample_weight=w)
        coef, b0 = model.coef_[0].astype(float), float(model.intercept_[0])
    xa = np.hstack([np.ones((len(yv), 1)), arr])
    beta = np.concatenate([[b0], coef])
    p = expit(xa @ beta)
    xs = xa * np.sqrt(w * p * (1 - p))[:, None]
    info = xs.T @ xs
    cov = np.linalg.pinv(info)
    # one Newton step from the solver's answer: the MLE to machine precision
    beta = beta + cov @ (xa.T @ (w * (yv - p)))
    b0, coef = float(beta[0]), beta[1:]
    p = expit(xa @ beta)
    xs = xa * np.sqrt(w * p * (1 - p))[:, None]
    cov = np.linalg.pinv(xs.T @ xs)  # standard errors at the polished estimate
    loglik = float(np.sum(w * (yv * np.log(np.clip(p, 1e-300, 1))
                               + (1 - yv) * np.log(np.clip(1 - p, 1e-300, 1)))))
    se_all = np.sqrt(np.clip(np.diag(cov), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.concatenate([[b0], coef]) / se_all
    pv = 2 * norm.sf(np.abs(z))
    return LogitFit(coef=coef, intercept=b0, se=se_all[1:], pvalues=pv[1:],
                    intercept_se=float(se_all[0]), intercept_pvalue=float(pv[0]),
                    loglik=loglik, n_obs=int(w.sum()), names=names)
