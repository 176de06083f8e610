"""Optimal binning of every variable of a frame (see :class:`BinningProcess`)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import ClassifierTags

from creditkit.checks import check_frame, check_target
from creditkit.exceptions import ParameterError, not_fitted
from creditkit.scoring.binning.edits import plain_json
from creditkit.scoring.binning.optimal import METRICS, OptimalBinning

__all__ = ["BinningProcess"]

_SHARED = ("max_n_bins", "min_bin_share", "max_n_prebins", "monotonic_trend", "missing",
           "smoothing", "cat_cutoff", "max_n_grid", "prebinning", "min_bin_bads", "min_bin_goods")


class BinningProcess(TransformerMixin, BaseEstimator):
    """Optimal binning of the variables of a frame, as a scikit-learn transformer.

    Each variable gets an :class:`OptimalBinning` with the shared parameters
    below (see it for the method and the WoE sign convention:
    ``WoE = ln(share of goods / share of bads)``, smoothed). ``transform``
    returns a frame with the same column names holding WoE, bin labels or
    bin indices.

    Parameters
    ----------
    variables : list of str or None
        Columns to bin; None bins every column.
    categorical : list of str or None
        Columns to bin as categories; None takes the non-numeric columns.
    max_n_bins, min_bin_share, max_n_prebins, monotonic_trend, missing, smoothing, \
cat_cutoff, max_n_grid, prebinning, min_bin_bads, min_bin_goods
        As in :class:`OptimalBinning`, for every variable.
    special_values : sequence, dict or None
        Special values for every variable, or ``{variable: values}``.
    user_splits : dict or None
        ``{variable: splits or groups}`` fixed by the analyst.
    binning_params : dict or None
        ``{variable: {parameter: value}}`` overrides for single variables.
    n_jobs : int or None
        Threads over variables (joblib).

    Attributes
    ----------
    variables_ : list of str
    binnings_ : dict of str to OptimalBinning
    iv_ : Series
        IV by variable, sorted from high to low.
    splits_ : dict
        Split values (numerical) or category groups (categorical) by variable.
    tables_ : dict of str to DataFrame
        :meth:`table` of every variable (built on first use).
    bin_labels_ : dict of str to list of str

    Notes
    -----
    Passes scikit-learn's ``check_estimator`` with tags for a binary target
    (``classifier_tags.multi_class=False``), NaN allowed (missing bin) and
    string input (categorical columns), except ``check_estimators_dtypes``,
    which fits on a target of {1, 2}: the target must be 0/1 (1 = bad), and
    creditkit refuses other codings rather than guess which class is bad.
    ``inf`` is refused (use NaN or a special value). Array input gives array
    output; frame input gives a frame with the binned variables as columns.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [22, 25, 31, 38, 45, 52, 60, 66] * 5,
    ...                   "home": ["rent", "rent", "own", "rent", "own", "own", "free", "own"] * 5})
    >>> y = [1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0] * 2 + [1, 0, 0, 0, 0, 0, 0, 0]
    >>> bp = BinningProcess(min_bin_share=0.1, min_bin_bads=0, min_bin_goods=0).fit(X, y)
    >>> bp.iv_.round(2).to_dict()
    {'age': 2.9, 'home': 1.6}
    >>> bp.summary()[["variable", "n_bins"]].to_dict("list")
    {'variable': ['age', 'home'], 'n_bins': [4, 2]}
    >>> bp.transform(X.head(3), metric="bins")["age"].tolist()
    ['(-inf, 25)', '[25, 31)', '[31, 52)']
    """

    def __init__(self, variables: list[str] | None = None,
                 categorical: list[str] | None = None, max_n_bins: int | None = None,
                 min_bin_share: float = 0.05, max_n_prebins: int = 20,
                 monotonic_trend: str | None = "auto_asc_desc", special_values: Any = None,
                 missing: str = "separate", user_splits: dict | None = None,
                 smoothing: float = 0.5, cat_cutoff: float | None = None,
                 max_n_grid: int = 1000, prebinning: str = "cart",
                 binning_params: dict | None = None,
                 n_jobs: int | None = None, min_bin_bads: int = 5,
                 min_bin_goods: int = 5) -> None:
        self.variables = variables
        self.categorical = categorical
        self.max_n_bins = max_n_bins
        self.min_bin_share = min_bin_share
        self.max_n_prebins = max_n_prebins
        self.monotonic_trend = monotonic_trend
        self.special_values = special_values
        self.missing = missing
        self.user_splits = user_splits
        self.smoothing = smoothing
        self.cat_cutoff = cat_cutoff
        self.max_n_grid = max_n_grid
        self.prebinning = prebinning
        self.binning_params = binning_params
        self.n_jobs = n_jobs
        self.min_bin_bads = min_bin_bads
        self.min_bin_goods = min_bin_goods

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing values get their own bin
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.target_tags.required = True
        # a binary target: scikit-learn's checks then pass two classes
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags

    def _binning_for(self, var: str, is_cat: bool) -> OptimalBinning:
        params = {k: getattr(self, k) for k in _SHARED}
        sv = self.special_values
        if isinstance(sv, dict):
            params["special_values"] = tuple(sv.get(var, ()))
        elif sv is not None:
            params["special_values"] = tuple(sv)
        if self.user_splits and var in self.user_splits:
            params["user_splits"] = self.user_splits[var]
        params["dtype"] = "categorical" if is_cat else "numerical"
        params.update((self.binning_params or {}).get(var, {}))
        return OptimalBinning(**params)

    def fit(self, X: Any, y: Any) -> BinningProcess:
        """Bin every variable of ``X`` against the 0/1 target ``y`` (1 = bad)."""
        frame, is_frame = check_frame(X, "BinningProcess.fit")
        if frame.shape[0] < 1:
            raise ParameterError(
                f"Found array with 0 sample(s) (shape={frame.shape}) while a minimum of 1 "
                "is required; pass a non-empty frame")
        if frame.shape[1] < 1:
            raise ParameterError(
                f"Found array with 0 feature(s) (shape={frame.shape}) while a minimum of 1 "
                "is required; pass at least one column")
        yv = check_target(y, len(frame), who="BinningProcess")
        cols = [str(c) for c in frame.columns]
        variables = list(self.variables) if self.variables is not None else cols
        unknown = [v for v in variables if v not in cols]
        if unknown:
            raise ParameterError(
                f"variables {unknown} are not columns of X; got columns {cols[:20]}; "
                "fix variables=")
        if self.categorical is not None:
            cats = set(self.categorical)
        else:
            cats = {c for c in variables
                    if not pd.api.types.is_numeric_dtype(frame[c].dtype)
                    or pd.api.types.is_bool_dtype(frame[c].dtype)}
        frame = frame.set_axis(cols, axis=1)
        if not is_frame:
            # an object array of numbers is numeric data; of text, categorical
            for c in set(variables) - set(self.categorical or ()):
                if frame[c].dtype == object:
                    conv = pd.to_numeric(frame[c], errors="coerce")
                    if conv.notna().sum() == frame[c].notna().sum():
                        frame[c] = conv
                        cats.discard(c)
        self.n_features_in_ = frame.shape[1]
        if is_frame and all(isinstance(c, str) for c in X.columns):
            self.feature_names_in_ = np.asarray(cols, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        models = [self._binning_for(v, v in cats) for v in variables]
        for m in models:
            m._check_params()
        col_data = [frame[v] for v in variables]
        if self.n_jobs in (None, 1):
            fitted = [m._fit(c, yv) for m, c in zip(models, col_data, strict=True)]
        else:
            fitted = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(m._fit)(c, yv) for m, c in zip(models, col_data, strict=True))
        self.variables_ = variables
        self.categorical_ = [v for v in variables if v in cats]
        self.binnings_ = dict(zip(variables, fitted, strict=True))
        self._summarise()
        return self

    def _summarise(self) -> None:
        self.iv_ = pd.Series({v: b.iv_ for v, b in self.binnings_.items()}, name="iv",
                             dtype=float).sort_values(ascending=False, kind="stable")
        self.iv_.index.name = "variable"
        self.splits_ = {v: b.splits_ for v, b in self.binnings_.items()}
        self.bin_labels_ = {v: list(b.bin_labels_) for v, b in self.binnings_.items()}
        self._tables_cache = None  # tables_ is built on first use

    @property
    def tables_(self) -> dict[str, pd.DataFrame]:
        """:meth:`table` of every variable, built on first use (a tenth of a fit at 1M rows)."""
        if not hasattr(self, "binnings_"):
            raise AttributeError("tables_: the BinningProcess is not fitted; call fit(X, y)")
        if getattr(self, "_tables_cache", None) is None:
            self._tables_cache = {v: b.table() for v, b in self.binnings_.items()}
        return self._tables_cache

    def _check_fitted(self) -> None:
        if not hasattr(self, "binnings_"):
            raise not_fitted("BinningProcess")

    def _binning(self, variable: str) -> OptimalBinning:
        self._check_fitted()
        if variable not in self.binnings_:
            raise ParameterError(
                f"variable {variable!r} was not binned; binned: {self.variables_[:20]}")
        return self.binnings_[variable]

    def summary(self) -> pd.DataFrame:
        """One row per variable: variable, dtype, monotonic_trend, n_bins, iv (IV high first).

        ``n_bins`` counts the clean bins (special and missing bins come on top).
        """
        self._check_fitted()
        rows = [{"variable": v, "dtype": self.binnings_[v].dtype,
                 "monotonic_trend": self.binnings_[v].monotonic_trend_,
                 "n_bins": self.binnings_[v].n_clean_bins_, "iv": self.iv_[v]}
                for v in self.iv_.index]
        return pd.DataFrame(rows, columns=["variable", "dtype", "monotonic_trend", "n_bins",
                                           "iv"])

    def table(self, variable: str, totals: bool = True) -> pd.DataFrame:
        """Bin table of ``variable``: bin, count, share, goods, bads, bad_rate, woe, iv."""
        return self._binning(variable).table(totals=totals)

    def transform(self, X: Any, metric: str = "woe") -> Any:
        """WoE (default), bin labels ("bins"), bin indices or bad rates of every variable.

        Returns a DataFrame with the binned variables as columns (same names,
        same index) for frame input, a 2-D array for array input.
        """
        self._check_fitted()
        if metric not in METRICS:
            raise ParameterError(f"metric must be one of {METRICS}; got {metric!r}")
        frame, is_frame = check_frame(X, "BinningProcess.transform")
        if frame.shape[1] != self.n_features_in_ and not is_frame:
            raise ParameterError(
                f"X has {frame.shape[1]} features, but BinningProcess is expecting "
                f"{self.n_features_in_} features as input; pass the columns used at fit")
        cols = [str(c) for c in frame.columns]
        lost = [v for v in self.variables_ if v not in cols]
        if lost:
            raise ParameterError(
                f"X has {frame.shape[1]} features, but BinningProcess is expecting "
                f"{self.n_features_in_} features as input; missing columns {lost[:20]}")
        frame = frame.set_axis(cols, axis=1)
        if metric == "bins":
            out = {v: self.binnings_[v].transform(frame[v], metric=metric)
                   for v in self.variables_}
            result = pd.DataFrame(out, index=frame.index)
        else:
            # fill one Fortran-ordered block: no copy when the frame is built
            block = np.empty((len(frame), len(self.variables_)),
                             dtype=np.int64 if metric == "indices" else np.float64, order="F")
            for j, v in enumerate(self.variables_):
                block[:, j] = self.binnings_[v].transform(frame[v], metric=metric)
            result = pd.DataFrame(block, index=frame.index, columns=self.variables_,
                                  copy=False)
        return result if is_frame else result.to_numpy()

    def fit_transform(self, X: Any, y: Any = None, metric: str = "woe", **_: Any) -> Any:
        """Fit, then transform ``X``."""
        return self.fit(X, y).transform(X, metric=metric)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the transformed columns (the binned variables)."""
        self._check_fitted()
        return np.asarray(self.variables_, dtype=object)

    # --------------------------------------------------------------- edits
    def merge_bins(self, variable: str, i: int, j: int) -> BinningProcess:
        """Merge clean bins ``i`` and ``j`` of ``variable`` (no refit of data).

        Numerical bins between ``i`` and ``j`` merge too; IV, tables and
        transforms update at once; a warning says when the fitted trend breaks.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame({"age": [20, 30, 40, 50] * 10})
        >>> y = [1, 0, 0, 0] * 5 + [1, 1, 0, 0] * 3 + [1, 1, 1, 0] * 2
        >>> bp = BinningProcess(min_bin_share=0.2, monotonic_trend=None, min_bin_bads=0,
        ...                     min_bin_goods=0).fit(X, y)
        >>> bp.splits_["age"].tolist(), bp.merge_bins("age", 1, 2).splits_["age"].tolist()
        ([30.0, 40.0, 50.0], [30.0, 50.0])
        >>> bp.split_bin("age", 40).splits_["age"].tolist()
        [30.0, 40.0, 50.0]
        >>> BinningProcess.from_json(bp.to_json()).splits_["age"].tolist()
        [30.0, 40.0, 50.0]
        """
        self._binning(variable).merge_bins(i, j)
        self._summarise()
        return self

    def split_bin(self, variable: str, value: Any) -> BinningProcess:
        """Split a numerical bin at ``value`` / give a category its own bin."""
        self._binning(variable).split_bin(value)
        self._summarise()
        return self

    def set_edges(self, variable: str, edges: Any) -> BinningProcess:
        """Set the splits (numerical) or category groups (categorical) of ``variable``."""
        self._binning(variable).set_edges(edges)
        self._summarise()
        return self

    # ---------------------------------------------------------------- JSON
    def to_json(self) -> str:
        """Parameters and every variable's binning, edits included, as JSON."""
        self._check_fitted()
        params = self.get_params()
        params = plain_json(params)
        return json.dumps({
            "kind": "creditkit.BinningProcess", "version": 1, "params": params,
            "n_features_in": self.n_features_in_,
            "feature_names_in": (self.feature_names_in_.tolist()
                                 if hasattr(self, "feature_names_in_") else None),
            "categorical": self.categorical_,
            "binnings": {v: b.to_dict() for v, b in self.binnings_.items()}})

    @classmethod
    def from_json(cls, s: str) -> BinningProcess:
        """Rebuild a fitted process from :meth:`to_json`; it transforms identically."""
        d = json.loads(s)
        if d.get("kind") != "creditkit.BinningProcess":
            raise ParameterError(
                f"not a BinningProcess JSON; got kind {d.get('kind')!r}; pass the text of "
                "BinningProcess.to_json()")
        bp = cls(**d["params"])
        bp.n_features_in_ = d["n_features_in"]
        if d["feature_names_in"] is not None:
            bp.feature_names_in_ = np.asarray(d["feature_names_in"], dtype=object)
        bp.binnings_ = {v: OptimalBinning.from_dict(b) for v, b in d["binnings"].items()}
        bp.variables_ = list(bp.binnings_)
        bp.categorical_ = list(d["categorical"])
        bp._summarise()
        return bp
