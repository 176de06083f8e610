"""The steps around a scorecard that every scoring notebook repeats.

Getting a development sample (the German credit data or the store's
applications), the stratified split (70/30, seed 42 everywhere in the
project), the fit a report documents (:func:`fit_scorecard`: binning, the
package's variable selection, the card), its review for a validator
(:func:`fit_review_table`), the headline figures (:func:`scorecard_headline`)
and the small tables a validation report opens with.

Warnings in a report: ``Scorecard.fit`` called directly warns (single-bin
variables, a coefficient sign against WoE, no convergence), as a Python user
expects. :func:`fit_scorecard` is the report's fit: it keeps those findings in
the card (``fit_warnings_``, ``fit_review_``) instead of raising them, because
a report shows each finding once, in its language, as the rows of
:func:`fit_review_table` (what, which variables, what to do) — not as English
warning blocks carrying a kernel path.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.scoring.metrics import auc, gini, ks

__all__ = [
    "adverse_action_sample",
    "fit_review_table",
    "fit_scorecard",
    "model_probabilities",
    "performance_table",
    "sample_summary",
    "scorecard_headline",
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


def fit_scorecard(X: pd.DataFrame, y: Any, *, binning: Any = None, min_iv: float = 0.02,
                  max_iv: float | None = None, max_corr: float | None = 0.7,
                  max_vif: float | None = 10.0, max_pvalue: float | None = 0.05,
                  base_score: float = 600.0, base_odds: float = 50.0, pdo: float = 20.0,
                  rounding: str = "none") -> Any:
    """The card a report documents: binning, the package's selection, the fit; findings kept.

    The variables are chosen on the training WoE by
    :class:`~creditkit.scoring.selection.VariableSelector`: IV at least
    ``min_iv``, correlation at most ``max_corr``, VIF at most ``max_vif``, then
    :func:`~creditkit.scoring.selection.significance_filter` (Wald p-value at
    most ``max_pvalue`` and a coefficient sign that agrees with the WoE, in the
    model of the kept variables) — so every variable of the card passes the
    checks a validator signs. The warnings of the fit are not raised: they are
    kept in ``fit_warnings_`` and ``fit_review_`` for :func:`fit_review_table`
    (``Scorecard.fit`` called directly still warns).

    Parameters
    ----------
    X : DataFrame
        Training features.
    y : array-like of 0/1
        Training outcome, 1 = bad.
    binning : BinningProcess, optional
        Fitted (used as is) or not (fitted here); None: a default ``BinningProcess()``.
    min_iv, max_iv, max_corr, max_vif, max_pvalue : float or None
        The selection (see :func:`~creditkit.scoring.selection.select_variables`);
        None skips a step.
    base_score, base_odds, pdo : float
        Scaling of the points (see :class:`~creditkit.scoring.Scorecard`).
    rounding : {"none", "int"}
        Points per bin unrounded or integer.

    Returns
    -------
    Scorecard
        Fitted; ``selector_.decisions_`` says why each variable is in or out.

    Raises
    ------
    ParameterError
        As ``Scorecard.fit`` and the selection steps (bad thresholds, bad X or y).

    Examples
    --------
    >>> X, y = scoring_sample("german")
    >>> X_train, X_test, y_train, y_test = split_sample(X, y)
    >>> card = fit_scorecard(X_train, y_train)
    >>> bool((card.coef_table_["p_value"].iloc[1:] <= 0.05).all()), len(card.fit_review_)
    (True, 0)
    """
    from creditkit.scoring.scorecard import Scorecard
    from creditkit.scoring.selection import VariableSelector

    selector = VariableSelector(min_iv=min_iv, max_iv=max_iv, max_corr=max_corr,
                                max_vif=max_vif, max_pvalue=max_pvalue)
    card = Scorecard(binning, selector=selector, base_score=base_score, base_odds=base_odds,
                     pdo=pdo, rounding=rounding,
                     max_pvalue=max_pvalue)  # the card's own check: its penalised p-values
    with warnings.catch_warnings(record=True):  # kept in fit_warnings_ / fit_review_
        warnings.simplefilter("always")
        card.fit(X, y)
    return card


#: What to do about each finding of a card's fit review (label keys).
_FIT_ACTIONS = {"single_bin": "action_single_bin", "sign_against_woe": "action_sign",
                "not_converged": "action_not_converged", "pvalue_too_high": "action_pvalue"}


def fit_review_table(card: Any, *, lang: str = "zh", max_pvalue: float = 0.05) -> pd.DataFrame:
    """A validator's review of a fitted card: what, which variables, what to do.

    One row per finding: each reason the selection or the card's own checks
    dropped variables for (``selector_.decisions_``, ``dropped_``), each finding
    of the fit (``fit_review_``: single bin, sign against WoE, no convergence),
    and the card's variables whose p-value exceeds ``max_pvalue``. When the
    card's selection checked the p-values and the VIF and the fit found
    nothing, a last row says every variable of the card passes. Variables are named by their label.

    Parameters
    ----------
    card : Scorecard
        A fitted card (best from :func:`fit_scorecard`).
    lang : {"zh", "en"}
        Language of the variable names (``issue`` and ``action`` are label keys:
        show the table with ``show_table(..., values=["issue", "action"])``).
    max_pvalue : float, default 0.05
        Largest p-value a variable of the card may have without comment.

    Returns
    -------
    DataFrame
        issue, variables, action.

    Raises
    ------
    ParameterError
        If ``card`` is not a fitted Scorecard or ``lang`` is unknown.

    Examples
    --------
    >>> X, y = scoring_sample("german")
    >>> X_train, X_test, y_train, y_test = split_sample(X, y)
    >>> review = fit_review_table(fit_scorecard(X_train, y_train), lang="en")
    >>> review["issue"].tolist()
    ['pvalue_too_high', 'iv_too_low', 'checks_passed']
    >>> review["variables"].iloc[0]
    'Property, Age (years), Credit amount (DM)'
    """
    check_lang(lang)
    if not hasattr(card, "fit_review_") or not hasattr(card, "coef_table_"):
        raise ParameterError(f"fit_review_table needs a fitted Scorecard; got "
                             f"{type(card).__name__}; fit it first (fit_scorecard(X, y))")
    sep = "、" if lang == "zh" else ", "

    def named(variables: list[str]) -> str:
        return sep.join(label(str(v), lang) for v in variables)

    rows: list[tuple[str, str, str]] = []
    selector = getattr(card, "selector_", None)
    drops = [selector.decisions_.loc[~selector.decisions_["kept"], ["variable", "reason"]]
             ] if selector is not None else []
    if getattr(card, "dropped_", None) is not None:  # the card's own checks (cardchecks)
        drops.append(card.dropped_[["variable", "reason"]])
    if drops:
        out = pd.concat(drops, ignore_index=True)
        for reason, group in out.groupby("reason", sort=False):
            rows.append((str(reason), named(group["variable"].tolist()), "action_dropped"))
    findings = card.fit_review_
    for issue, group in findings.groupby("issue", sort=False):
        names = [v for v in group["variable"].tolist() if v]
        rows.append((str(issue), named(names), _FIT_ACTIONS.get(str(issue), "action_sign")))
    coefs = card.coef_table_.iloc[1:]
    weak = coefs.loc[coefs["p_value"] > max_pvalue, "variable"].tolist()
    if weak:
        rows.append(("pvalue_too_high", named(weak), "action_pvalue"))
    checked = (selector is not None and selector.max_vif is not None
               and selector.max_pvalue is not None and selector.max_pvalue <= max_pvalue)
    if checked and findings.empty and not weak:
        rows.append(("checks_passed", named(card.variables_), "action_none"))
    return pd.DataFrame(rows, columns=["issue", "variables", "action"])


def scorecard_headline(card: Any, train: tuple[pd.DataFrame, Any],
                       test: tuple[pd.DataFrame, Any], *, bands: int = 10) -> dict[str, Any]:
    """The figures a validator reads first: Gini, AUC, KS on test, variables, PSI, bad rate.

    Parameters
    ----------
    card : Scorecard
        Fitted.
    train, test : (DataFrame, array-like)
        Features and 0/1 outcome of the training and the hold-out sample.
    bands : int, default 10
        Score bands of the PSI (train → test), as in the report's stability section.

    Returns
    -------
    dict
        ``gini_test``, ``auc_test``, ``ks_test``, ``n_variables``, ``score_psi``,
        ``sample_bad_rate`` (both samples): label keys, for
        :func:`creditkit.display.headline`.

    Raises
    ------
    ParameterError
        If ``bands`` is not an integer of at least 2 (and as the metrics).

    Examples
    --------
    >>> from creditkit.scoring.examples import example_card
    >>> X = pd.DataFrame({"age": range(20, 40)})
    >>> y = pd.Series([0] * 10 + [1] * 10)
    >>> figs = scorecard_headline(example_card(), (X, y), (X, y), bands=2)
    >>> figs["auc_test"], figs["n_variables"], figs["sample_bad_rate"]
    (1.0, 1, 0.5)
    """
    from creditkit.scoring.stability import psi

    if isinstance(bands, bool) or not isinstance(bands, int | np.integer) or bands < 2:
        raise ParameterError(f"bands must be an integer >= 2, e.g. 10; got {bands!r}")
    (X_train, y_train), (X_test, y_test) = train, test
    points_test = card.predict_points(X_test)
    y_all = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    return {
        "gini_test": gini(y_test, points_test),
        "auc_test": auc(y_test, points_test),
        "ks_test": ks(y_test, points_test),
        "n_variables": len(card.variables_),
        "score_psi": psi(card.predict_points(X_train), points_test, bands=bands),
        "sample_bad_rate": float(y_all.mean()),
    }
