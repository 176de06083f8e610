"""A gradient-boosting challenger, to show what the scorecard's simplicity costs.

The challenger is scikit-learn's ``HistGradientBoostingClassifier`` on the raw
variables (text columns as native categorical features, missing values
handled by the trees), fitted on the same training split as the scorecard.
:func:`compare_models` puts both side by side on the same test rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier

from creditkit.deprecation import renamed_keywords
from creditkit.exceptions import ParameterError, not_fitted
from creditkit.scoring.metrics import auc, gini, ks

__all__ = ["ChallengerModel", "compare_models"]


class ChallengerModel(ClassifierMixin, BaseEstimator):
    """Histogram gradient boosting on a frame with numeric and text columns.

    Parameters
    ----------
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization
        Passed to ``HistGradientBoostingClassifier``.
    early_stopping : bool
        Hold out 10% of the training rows to stop early (never the test rows).
    random_state : int
        Seed (default 42, the project's split seed).

    Examples
    --------
    >>> X = pd.DataFrame({"age": [20, 30, 40, 50] * 25, "home": ["rent", "own"] * 50})
    >>> y = np.array([1, 0, 0, 0] * 25)
    >>> m = ChallengerModel(max_iter=10, early_stopping=False).fit(X, y)
    >>> p_bad = m.predict_proba(X.head(2))[:, 1]
    >>> bool(p_bad[0] > p_bad[1])
    True
    """

    def __init__(self, *, max_iter: int = 300, learning_rate: float = 0.05,
                 max_leaf_nodes: int = 15, min_samples_leaf: int = 20,
                 l2_regularization: float = 1.0, early_stopping: bool = True,
                 random_state: int = 42):
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.early_stopping = early_stopping
        self.random_state = random_state

    def _frame(self, X) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            raise ParameterError(f"X must be a pandas DataFrame; got {type(X).__name__}")
        missing = [c for c in self.columns_ if c not in X.columns]
        if missing:
            raise ParameterError(f"X lacks column(s) {missing}; got {list(X.columns)}")
        out = {}
        for c in self.columns_:
            if c in self.categories_:
                text = X[c].astype("string")
                known = text.where(text.isin(self.categories_[c]))  # unseen → missing
                out[c] = pd.Categorical(known, categories=self.categories_[c])
            else:
                out[c] = pd.to_numeric(X[c], errors="coerce").astype("float64")
        return pd.DataFrame(out, index=X.index)

    def fit(self, X: pd.DataFrame, y) -> ChallengerModel:
        """Fit on a frame; text columns become categorical features."""
        if not isinstance(X, pd.DataFrame):
            raise ParameterError(f"X must be a pandas DataFrame; got {type(X).__name__}")
        self.columns_ = list(X.columns)
        self.categories_ = {
            c: sorted(X[c].dropna().astype("string").unique().tolist())
            for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])
        }
        frame = self._frame(X)
        self.model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes, min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization, early_stopping=self.early_stopping,
            categorical_features="from_dtype", random_state=self.random_state,
        ).fit(frame, np.asarray(y))
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Columns P(good), P(bad)."""
        if not hasattr(self, "model_"):
            raise not_fitted("ChallengerModel")
        return self.model_.predict_proba(self._frame(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The more likely class (1 = bad)."""
        if not hasattr(self, "model_"):
            raise not_fitted("ChallengerModel")
        return self.model_.predict(self._frame(X))


@renamed_keywords(y="y_true")
def compare_models(y_true, pd_by_model: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """AUC, KS and Gini of several models' probabilities of bad on the same rows.

    Parameters
    ----------
    y_true : array-like of 0/1
        Outcome, 1 = bad.
    pd_by_model : mapping of name → array of P(bad)
        E.g. ``{"scorecard": card.predict_proba(X)[:, 1], "challenger": ...}``.

    Returns
    -------
    DataFrame
        ``model``, ``auc``, ``ks``, ``gini`` and ``auc_gap`` (to the best model).

    Raises
    ------
    ParameterError
        If no model is given.

    Examples
    --------
    >>> t = compare_models([1, 0, 1, 0], {"a": [0.9, 0.1, 0.8, 0.2], "b": [0.4, 0.5, 0.6, 0.3]})
    >>> t[["model", "auc"]].values.tolist()
    [['a', 1.0], ['b', 0.75]]
    """
    if not pd_by_model:
        raise ParameterError("pd_by_model is empty; pass {'name': probabilities of bad}")
    rows = [(name, auc(y_true, p, higher_is_bad=True), ks(y_true, p, higher_is_bad=True),
             gini(y_true, p, higher_is_bad=True)) for name, p in pd_by_model.items()]
    out = pd.DataFrame(rows, columns=["model", "auc", "ks", "gini"])
    out["auc_gap"] = out["auc"].max() - out["auc"]
    return out
