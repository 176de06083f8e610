"""Wald standard errors for a (possibly penalised) logistic regression fitted elsewhere.

Used by :class:`~creditkit.scoring.scorecard.Scorecard` when ``C`` is given (an
L2-penalised fit by scikit-learn); the unpenalised default goes through
``creditkit.scoring._logit.fit_logit``. The covariance is the inverse of the
observed information ``X1ᵀ W X1`` (W = p(1−p)) evaluated at the fitted
coefficients, without the penalty term, i.e. the usual Wald approximation.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def wald_table(X: np.ndarray, coef: np.ndarray, intercept: float) -> tuple[np.ndarray, np.ndarray]:
    """Standard errors and two-sided p-values of (intercept, *coef)."""
    x1 = np.column_stack([np.ones(len(X)), X])
    beta = np.concatenate([[intercept], coef])
    p = 1.0 / (1.0 + np.exp(-(x1 @ beta)))
    info = x1.T @ (x1 * (p * (1.0 - p))[:, None])
    cov = np.linalg.pinv(info)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, beta / se, np.nan)
    pvalues = 2.0 * stats.norm.sf(np.abs(z))
    return se, pvalues
