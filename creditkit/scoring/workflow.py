"""The steps around a scorecard that every scoring notebook repeats.

Getting a development sample (the German credit data or the store's
applications), the stratified split (70/30, seed 42 everywhere in the
project), and the small tables a validation report opens with.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from creditkit.exceptions import ParameterError
from creditkit.scoring.metrics import auc, gini, ks

__all__ = [
    "adverse_action_sample",
    "model_probabilities",
    "performance_table",
    "sample_summary",
    "scoring_sample",
    "split_sample",
]

SOURCES = ("german", "store")
#: Application columns that identify or date a record rather than describe the applicant.
NON_FEATURES = ("application_id", "customer_id", "application_date", "product", "target")


def scoring_sample(source: str = "german", *, store_path: str | None = None,
                   n_customers: int = 5000, seed: int = 42, product: str | None = None,
                   target_col: str = "target") -> tuple[pd.DataFrame, pd.Series]:
    """Features and outcome (1 = bad) of a development sample.

    Parameters
    ----------
    source : {"german", "store"}
        The Statlog German credit data, or the ``applications`` table of the
        portfolio store (generated with ``n_customers`` and ``seed`` if missing).
    store_path : str, optional
        The DuckDB store (needed for ``source="store"``).
    product : str, optional
        Keep only one product of the store (``bnpl`` / ``b2b``).
    target_col : str
        The outcome column; rows with an unknown outcome are left out.

    Returns
    -------
    (DataFrame, Series)
        Features (identifiers, dates and the outcome removed) and the outcome as int.

    Raises
    ------
    ParameterError
        Unknown source, missing store path or target column.

    Examples
    --------
    >>> X, y = scoring_sample("german")
    >>> X.shape, int(y.sum())
    ((1000, 20), 300)
    """
    if source not in SOURCES:
        raise ParameterError(f"source must be one of {SOURCES}; got {source!r}")
    if source == "german":
        from creditkit.datasets import load_german_credit

        apps = load_german_credit()
    else:
        if store_path is None:
            raise ParameterError("source='store' needs store_path=, e.g. "
                                 "'../datasets/creditkit.duckdb'")
        from creditkit.datasets import load_or_make

        apps = load_or_make(store_path, n_customers=n_customers, seed=seed)["applications"]
        if product is not None:
            apps = apps[apps["product"] == product]
    if target_col not in apps.columns:
        raise ParameterError(f"target column {target_col!r} not in the applications; got "
                             f"{list(apps.columns)}; pass target_col=")
    known = apps[apps[target_col].notna()]
    features = [c for c in known.columns if c not in NON_FEATURES and c != target_col]
    y = known[target_col].astype("int64").rename("target")
    return known[features].reset_index(drop=True), y.reset_index(drop=True)


def split_sample(X: pd.DataFrame, y: pd.Series, *, test_size: float = 0.3, seed: int = 42):
    """Stratified train/test split (``X_train, X_test, y_train, y_test``).

    Examples
    --------
    >>> X = pd.DataFrame({"a": range(10)})
    >>> parts = split_sample(X, pd.Series([0, 1] * 5))
    >>> [len(p) for p in parts]
    [7, 3, 7, 3]
    """
    if not 0 < test_size < 1:
        raise ParameterError(f"test_size must be in (0, 1); got {test_size!r}; e.g. 0.3")
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)


def sample_summary(samples: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Count, bads and bad rate of each sample (e.g. train and test).

    Examples
    --------
    >>> sample_summary({"train": pd.Series([0, 1, 0, 0])}).values.tolist()
    [['train', 4, 1, 0.25]]
    """
    rows = [(name, len(y), int(np.asarray(y).sum()), float(np.mean(y)))
            for name, y in samples.items()]
    return pd.DataFrame(rows, columns=["sample", "count", "bads", "bad_rate"])


def performance_table(card, samples: Mapping[str, tuple[pd.DataFrame, pd.Series]]) -> pd.DataFrame:
    """AUC, KS and Gini of the card's points on each sample.

    Examples
    --------
    >>> from creditkit.scoring.examples import example_card
    >>> X = pd.DataFrame({"age": range(20, 40)})  # under 30 scores higher
    >>> y = pd.Series([0] * 10 + [1] * 10)
    >>> performance_table(example_card(), {"all": (X, y)})[["auc", "ks"]].values.tolist()
    [[1.0, 1.0]]
    """
    rows = []
    for name, (X, y) in samples.items():
        points = card.predict_points(X)
        rows.append((name, len(y), auc(y, points), ks(y, points), gini(y, points)))
    return pd.DataFrame(rows, columns=["sample", "count", "auc", "ks", "gini"])


def adverse_action_sample(card, X: pd.DataFrame, *, rows: int = 5, n: int = 3,
                          labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Points and reason codes of the ``rows`` lowest-scoring applicants (adverse-action view).

    Examples
    --------
    >>> from creditkit.scoring.examples import example_card
    >>> X = pd.DataFrame({"age": [25, 40, 45]})
    >>> view = adverse_action_sample(example_card(), X, rows=2, n=1)
    >>> view.index.tolist(), view["reason_1"].tolist()
    ([1, 2], ['age', 'age'])
    """
    if not isinstance(rows, int | np.integer) or rows < 1:
        raise ParameterError(f"rows must be a positive integer; got {rows!r}")
    points = pd.Series(card.predict_points(X), index=X.index, name="points")
    worst = points.sort_values(kind="stable").index[:rows]
    reasons = card.reason_codes(X.loc[worst], n=n, labels=labels)
    return pd.concat([points.loc[worst], reasons], axis=1)


def model_probabilities(models: Mapping[str, object], X: pd.DataFrame) -> dict[str, np.ndarray]:
    """P(bad) of each fitted model on ``X``, by model name (for ROC charts and comparisons).

    Raises
    ------
    ParameterError
        If a model has no ``predict_proba``.

    Examples
    --------
    >>> from creditkit.scoring.examples import example_card
    >>> pd_by_model = model_probabilities({"card": example_card()}, pd.DataFrame({"age": [25, 40]}))
    >>> (pd_by_model["card"] < 0.5).tolist()
    [True, True]
    """
    missing = [name for name, m in models.items() if not hasattr(m, "predict_proba")]
    if missing:
        raise ParameterError(f"model(s) {missing} have no predict_proba; got "
                             f"{[type(models[n]).__name__ for n in missing]}; pass fitted "
                             "classifiers (Scorecard, ChallengerModel)")
    return {name: np.asarray(m.predict_proba(X))[:, 1] for name, m in models.items()}
