"""Logistic regression for large WoE samples: Newton's method with a warm start.

Newton-Raphson with step halving (the log-likelihood never decreases). The
scorecard's unpenalised fit gives the same estimate as the shared
:func:`creditkit.scoring._logit.fit_logit` (maximum likelihood; the tests
check agreement to 1e-6) but costs about a third: Newton's method is first
run to convergence on a subsample (every ``n // 100_000``-th row, at least
100,000 rows), then continued on all rows, where from that start it needs one
or two iterations (quadratic convergence). Standard errors are the Wald ones,
``sqrt(diag((X1ᵀ W X1)⁻¹))`` with ``W = p(1−p)``, from the information matrix
of the last Newton iteration on all rows; p-values are two-sided normal.

:func:`wald_table` gives the same errors for an L2-penalised fit made by
scikit-learn (the information matrix without the penalty term, evaluated at the
penalised estimate: the usual Wald approximation).
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import expit

from creditkit.exceptions import ParameterError

_SUBSAMPLE = 100_000


def _information(x1: np.ndarray, mu: np.ndarray) -> np.ndarray:
    xs = x1 * np.sqrt(mu * (1.0 - mu))[:, None]
    return xs.T @ xs


def _loglik(y: np.ndarray, eta: np.ndarray) -> float:
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


def _newton(x1: np.ndarray, y: np.ndarray, beta: np.ndarray, *, tol: float, max_iter: int):
    """Newton-Raphson with step halving (the log-likelihood never decreases)."""
    eta = x1 @ beta
    ll = _loglik(y, eta)
    info = None
    for _ in range(max_iter):
        mu = expit(eta)
        info = _information(x1, mu)
        try:
            step = np.linalg.solve(info, x1.T @ (y - mu))
        except np.linalg.LinAlgError as exc:
            raise ParameterError(
                "the WoE columns are collinear (singular information matrix); drop duplicated "
                "variables (see creditkit.scoring.selection.correlation_filter)") from exc
        for _halving in range(30):
            new_eta = x1 @ (beta + step)
            new_ll = _loglik(y, new_eta)
            if new_ll >= ll - 1e-12 * abs(ll):
                break
            step = step / 2.0
        beta, eta, ll = beta + step, new_eta, new_ll
        if np.abs(step).max() < tol:
            return beta, info, True
    return beta, info, False


def newton_logit(X: np.ndarray, y: np.ndarray, *, tol: float = 1e-9, max_iter: int = 50):
    """(coef, intercept, se[1+p], pvalues[1+p]) of P(y=1) = expit(b0 + X b); intercept first."""
    n, p = X.shape
    x1 = np.empty((n, p + 1), dtype="float64", order="F")  # column copies stay contiguous
    x1[:, 0] = 1.0
    x1[:, 1:] = X
    yf = y.astype("float64")
    rate = min(max(yf.mean(), 1e-6), 1 - 1e-6)
    beta = np.zeros(p + 1)
    beta[0] = np.log(rate / (1 - rate))
    if n > 2 * _SUBSAMPLE:
        every = n // _SUBSAMPLE
        beta, _, _ = _newton(x1[::every], yf[::every], beta, tol=1e-6, max_iter=max_iter)
    beta, info, converged = _newton(x1, yf, beta, tol=tol, max_iter=max_iter)
    if not converged:
        import warnings

        warnings.warn(f"logistic regression did not converge in {max_iter} Newton iterations "
                      "(quasi-separation?); check the coefficient table", stacklevel=3)
    se = np.sqrt(np.clip(np.diag(np.linalg.pinv(info)), 0.0, None))
    return beta[1:], float(beta[0]), se, _pvalues(beta, se)


def _pvalues(beta: np.ndarray, se: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, beta / se, np.nan)
    return 2.0 * stats.norm.sf(np.abs(z))


def wald_table(X: np.ndarray, coef: np.ndarray, intercept: float) -> tuple[np.ndarray, np.ndarray]:
    """Standard errors and two-sided p-values of (intercept, *coef)."""
    x1 = np.column_stack([np.ones(len(X)), X])
    beta = np.concatenate([[intercept], coef])
    info = _information(x1, expit(x1 @ beta))
    se = np.sqrt(np.clip(np.diag(np.linalg.pinv(info)), 0.0, None))
    return se, _pvalues(beta, se)
