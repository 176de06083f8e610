"""The package's one logistic regression: exact maximum likelihood with Wald errors.

Used by selection (stepwise by AIC/BIC/p-value) and by the scorecard's fit and
coefficient table, so both report the same model (what statsmodels' ``Logit``
gives). Newton-Raphson with step halving (the log-likelihood never decreases)
is run to convergence (largest step < ``tol``, default 1e-9; a warning if it
does not converge). On large samples it is first run on a subsample (every
``n // 100_000``-th row, at least 100,000 rows) and then continued on all
rows with the subsample's information matrix scaled to all rows (each step
exact in its gradient, so the fixed point is the full-sample estimate; the
steps shrink by about two digits each), ending when no coefficient
moves by ``tol``/100 (else Newton itself takes over): the estimate is
the full-sample MLE, not the subsample's, at the price of one information
matrix on all rows (the one of the standard errors).

Standard errors are ``sqrt(diag((X1ᵀ W X1)⁻¹))`` with ``W = w p (1 − p)``
evaluated at the final estimate (after the last step, so the score equations
hold at the point where the errors are taken); Wald ``z = estimate / se`` and
two-sided p-values from the normal distribution. The fit runs on one BLAS
thread: the information matrix of a few dozen columns gains little from more,
a shared machine loses much (2 threads under load were 10× slower than one),
and one thread makes the sums, hence the card, the same on every machine.
:func:`fit_scorecard_logit` gives the scorecard its fit: this one, unpenalised
or with the ridge penalty the card asks for.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm
from threadpoolctl import ThreadpoolController

from creditkit.checks import check_target
from creditkit.exceptions import ParameterError

__all__ = ["LogitFit", "blas_threads", "design_matrix", "fit_logit", "fit_scorecard_logit"]

SUBSAMPLE_ROWS = 100_000
#: fixed-information steps on all rows after the subsample (then Newton ends the fit)
QUASI_STEPS = 20


@functools.cache
def blas_threads() -> ThreadpoolController:
    """The process's BLAS libraries, found once (finding them takes ~0.1 s).

    Examples
    --------
    >>> blas_threads() is blas_threads()
    True
    """
    return ThreadpoolController()


@dataclass(frozen=True)
class LogitFit:
    """Result of :func:`fit_logit`; ``se`` and ``pvalues`` are for ``coef`` (same order).

    Examples
    --------
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0], [0.5], [2.5]])
    >>> fit = fit_logit(x, [1, 1, 0, 0, 0, 1])
    >>> fit.table()["variable"].tolist(), fit.n_obs
    (['intercept', 'x0'], 6)
    """

    coef: np.ndarray
    intercept: float
    se: np.ndarray
    pvalues: np.ndarray
    intercept_se: float
    intercept_pvalue: float
    loglik: float
    n_obs: int
    names: tuple[str, ...]
    converged: bool = True

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


def _information(x1: np.ndarray, w: np.ndarray, mu: np.ndarray) -> np.ndarray:
    xs = x1 * np.sqrt(w * mu * (1.0 - mu))[:, None]
    return xs.T @ xs


def _loglik(y: np.ndarray, w: np.ndarray, eta: np.ndarray) -> float:
    return float(np.sum(w * (y * eta - np.logaddexp(0.0, eta))))


def _quasi_newton(x1, y, w, beta, information, *, tol: float, max_iter: int,
                  l2: float) -> tuple[np.ndarray, bool]:
    """Steps ``information⁻¹ · gradient`` with a fixed matrix; (estimate, converged).

    The fixed point is where the penalised gradient vanishes (the MLE), reached
    linearly. No line search: while the gradient shrinks the steps contract;
    when it grows, the estimate before that step is returned, not converged,
    for Newton with step halving to go on from."""
    pen = np.full(len(beta), float(l2))
    pen[0] = 0.0
    lhs = information + np.diag(pen)
    eta, last, last_beta = x1 @ beta, np.inf, beta
    for _ in range(max_iter):
        grad = x1.T @ (w * (y - expit(eta))) - pen * beta
        size = float(np.abs(grad).max())
        if not size < last:
            return last_beta, False
        step = np.linalg.solve(lhs, grad)
        last, last_beta = size, beta
        beta = beta + step
        if np.abs(step).max() < tol:
            return beta, True
        eta = x1 @ beta
    return beta, False


def _newton(x1, y, w, beta, *, tol: float, max_iter: int,
            l2: float = 0.0) -> tuple[np.ndarray, bool]:
    """Newton-Raphson with step halving from ``beta``; (estimate, converged).

    ``l2`` adds the ridge penalty ``l2/2 · Σ βⱼ²`` (intercept not penalised)."""
    pen = np.full(len(beta), float(l2))
    pen[0] = 0.0
    eta = x1 @ beta
    ll = _loglik(y, w, eta) - 0.5 * float(pen @ beta**2)
    for _ in range(max_iter):
        mu = expit(eta)
        try:
            step = np.linalg.solve(_information(x1, w, mu) + np.diag(pen),
                                   x1.T @ (w * (y - mu)) - pen * beta)
        except np.linalg.LinAlgError as exc:
            raise ParameterError(
                "the regressors are collinear (singular information matrix); got "
                f"{x1.shape[1] - 1} column(s); drop duplicated variables (see "
                "creditkit.scoring.selection.correlation_filter)") from exc
        for _halving in range(30):
            new_eta = x1 @ (beta + step)
            new_ll = _loglik(y, w, new_eta) - 0.5 * float(pen @ (beta + step)**2)
            if new_ll >= ll - 1e-12 * abs(ll):
                break
            step = step / 2.0
        beta, eta, ll = beta + step, new_eta, new_ll
        if np.abs(step).max() < tol:
            return beta, True
    return beta, False


def _pvalues(beta: np.ndarray, se: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, beta / se, np.nan)
    return 2.0 * norm.sf(np.abs(z))


def fit_logit(X: Any, y: Any, *, sample_weight: Any = None, tol: float = 1e-9,
              max_iter: int = 50, l2: float = 0.0) -> LogitFit:
    """Fit P(y = 1) = 1 / (1 + exp(-(b0 + X b))) by maximum likelihood, with standard errors.

    Parameters
    ----------
    X : DataFrame or 2-D array
        Regressors (e.g. WoE columns); an intercept is added.
    y : array-like of 0/1
    sample_weight : array-like or None
        Frequency weights.
    tol : float
        Newton stops when no coefficient moves by more than ``tol``.
    max_iter : int
        Newton iterations at most (a ``UserWarning`` if not converged).
    l2 : float, default 0
        Ridge penalty ``l2/2 · Σ βⱼ²`` on the coefficients (not the intercept),
        scikit-learn's ``C = 1/l2``; standard errors are then the usual Wald
        approximation at the penalised estimate (information without the penalty).

    Returns
    -------
    LogitFit
        ``coef``, ``intercept``, ``se``, ``pvalues``, ``loglik``, ``aic``, ``bic``,
        ``converged``, ``table()``.

    Raises
    ------
    ParameterError
        If ``X`` is not 2-D, has no rows or missing values, ``y`` is not 0/1 of
        the same length, or the columns of ``X`` are collinear.

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
    yv = check_target(y, arr.shape[0], who="fit_logit").astype(np.float64)
    if not (isinstance(l2, int | float) and l2 >= 0):
        raise ParameterError(f"l2 must be a number >= 0; got {l2!r}; e.g. 10 (C = 0.1)")
    if np.isnan(arr).any():
        raise ParameterError("X has missing values; logistic regression needs complete "
                             "rows; transform with the binning (WoE) first")
    names = names or tuple(f"x{i}" for i in range(arr.shape[1]))
    n, k = arr.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, np.float64).ravel()
    x1 = _with_intercept(arr)
    rate = min(max(np.average(yv, weights=w), 1e-15), 1 - 1e-15)
    beta = np.zeros(k + 1)
    beta[0] = np.log(rate / (1 - rate))
    with blas_threads().limit(limits=1, user_api="blas"):  # see the module doc
        beta, converged = _fit_beta(x1, yv, w, beta, tol=tol, max_iter=max_iter, l2=l2)
        eta = x1 @ beta
        cov = np.linalg.pinv(_information(x1, w, expit(eta)))
    if not converged:
        warnings.warn(f"logistic regression did not converge in {max_iter} Newton "
                      "iterations (quasi-separation?); check the coefficient table",
                      stacklevel=2)
    se_all = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    pv = _pvalues(beta, se_all)
    return LogitFit(coef=beta[1:].copy(), intercept=float(beta[0]), se=se_all[1:],
                    pvalues=pv[1:], intercept_se=float(se_all[0]),
                    intercept_pvalue=float(pv[0]), loglik=_loglik(yv, w, eta),
                    n_obs=int(w.sum()), names=names, converged=converged)


def design_matrix(n: int, k: int) -> np.ndarray:
    """An (n, 1 + k) Fortran-ordered matrix with ones in column 0, for regressors in 1….

    Fill ``m[:, 1:]`` and pass that view to :func:`fit_logit`: it then fits on
    ``m`` itself instead of copying the regressors beside a column of ones.

    Examples
    --------
    >>> m = design_matrix(3, 2)
    >>> m[:, 1:] = [[0.5, 1.0], [0.0, 2.0], [1.0, 0.0]]
    >>> _with_intercept(m[:, 1:]) is m
    True
    """
    m = np.empty((n, k + 1), dtype=np.float64, order="F")
    m[:, 0] = 1.0
    return m


def _with_intercept(arr: np.ndarray) -> np.ndarray:
    """``arr`` with a first column of ones: its own base when it is a design_matrix view."""
    n, k = arr.shape
    base = arr.base
    if (isinstance(base, np.ndarray) and base.shape == (n, k + 1) and base.dtype == np.float64
            and base.flags.f_contiguous and arr.flags.f_contiguous
            and arr.__array_interface__["data"][0] == base.__array_interface__["data"][0] + 8 * n
            and (base[:, 0] == 1.0).all()):
        return base
    x1 = np.empty((n, k + 1), dtype=np.float64, order="F")  # column slices stay contiguous
    x1[:, 0] = 1.0
    x1[:, 1:] = arr
    return x1


def _fit_beta(x1, yv, w, beta, *, tol: float, max_iter: int, l2: float):
    n, k = x1.shape[0], x1.shape[1] - 1
    converged = True
    if k:
        if n > 2 * SUBSAMPLE_ROWS:
            every = n // SUBSAMPLE_ROWS
            sub = slice(None, None, every)
            share = w[sub].sum() / w.sum()
            # the penalty is on the sum over rows: scaled to the subsample's size
            beta, _ = _newton(x1[sub], yv[sub], w[sub], beta, tol=1e-6, max_iter=max_iter,
                              l2=l2 * share)
            # on all rows, steps with the subsample's information scaled to all rows: one
            # information on all rows costs as much as ~30 of these steps, and the scaled
            # matrix is within a few percent of it, so each step gains ~2 digits
            info = _information(x1[sub], w[sub], expit(x1[sub] @ beta)) / share
            # to tol/100: steps shrink linearly, so the one below tol/100 leaves the
            # estimate as close to the MLE as a Newton step below tol does
            beta, done = _quasi_newton(x1, yv, w, beta, info, tol=tol / 100,
                                       max_iter=QUASI_STEPS, l2=l2)
            if done:  # the last step moved no coefficient by tol/100: the full-sample MLE
                return beta, True
        beta, converged = _newton(x1, yv, w, beta, tol=tol, max_iter=max_iter, l2=l2)
    return beta, converged


def fit_scorecard_logit(woe: np.ndarray, y: np.ndarray, *, C: float | None = None,
                        max_iter: int = 1000):
    """(coef, intercept, se[1+p], pvalues[1+p]) of a scorecard's regression, intercept first.

    Both are :func:`fit_logit`, the fit selection uses too: unpenalised
    (``C=None``) or with the ridge penalty ``l2 = 1/C`` (scikit-learn's
    ``LogisticRegression(C=C)`` objective), with Wald errors at the estimate
    (the information matrix without the penalty term: the usual approximation).

    Parameters
    ----------
    woe : numpy.ndarray
        WoE matrix, one column per variable.
    y : numpy.ndarray
        0/1 target (1 = bad).
    C : float, optional
        Inverse L2 penalty; None for the exact unpenalised fit.
    max_iter : int, default 1000
        Iterations of the penalised solver.

    Returns
    -------
    tuple
        ``(coef, intercept, se, pvalues)``; ``se`` and ``pvalues`` start with the intercept.

    Examples
    --------
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0], [0.5], [2.5]])
    >>> coef, intercept, se, p = fit_scorecard_logit(x, np.array([1, 1, 0, 0, 0, 1]), C=1.0)
    >>> coef.shape, se.shape
    ((1,), (2,))
    """
    fit = fit_logit(woe, y, l2=0.0 if C is None else 1.0 / C, max_iter=min(max_iter, 100))
    return (fit.coef, fit.intercept, np.r_[fit.intercept_se, fit.se],
            np.r_[fit.intercept_pvalue, fit.pvalues])
