"""Credit assessment: binning, WoE/IV, selection, scorecards, validation, limits and terms.

Modules: :mod:`~creditkit.scoring.binning` (a subpackage: optimal monotonic
binning, WoE/IV), :mod:`~creditkit.scoring.selection` (IV, correlation, VIF,
stepwise), :mod:`~creditkit.scoring.logit` (the one logistic regression),
:mod:`~creditkit.scoring.scorecard` (the points card),
:mod:`~creditkit.scoring.cardspec` (the frozen bins a card scores with, for
``Scorecard.from_parts``), :mod:`~creditkit.scoring.sql` (deployment as SQL),
:mod:`~creditkit.scoring.metrics` (AUC, KS, bands, calibration, cut-offs),
:mod:`~creditkit.scoring.stability` (PSI/CSI), :mod:`~creditkit.scoring.policy`
(limits and terms), :mod:`~creditkit.scoring.challenger`,
:mod:`~creditkit.scoring.workflow`, :mod:`~creditkit.scoring.examples` (the
card of the examples), :mod:`~creditkit.scoring.plots` and
:mod:`~creditkit.scoring.widgets` (import those two directly: they pull in plotly
and ipywidgets).

Every metric, table and chart of outcomes takes ``(y_true, y_score)`` in
scikit-learn's order; ``bands=`` is the number (or the edges) of score bands,
``bins`` is kept for the WoE binning of variables.

Examples
--------
>>> from creditkit.scoring import BinningProcess, Scorecard, auc
>>> from creditkit.scoring.workflow import scoring_sample, split_sample
>>> X, y = scoring_sample("german")
>>> X_train, X_test, y_train, y_test = split_sample(X, y, seed=42)
>>> card = Scorecard(BinningProcess(), base_score=600, base_odds=50, pdo=20)
>>> import warnings
>>> with warnings.catch_warnings():  # sign warnings are part of the model review
...     warnings.simplefilter("ignore", UserWarning)
...     points = card.fit(X_train, y_train).predict_points(X_test)
>>> auc(y_test, points) >= 0.80
True
"""

from __future__ import annotations

from creditkit.scoring.binning import BinningProcess, OptimalBinning, woe_iv
from creditkit.scoring.challenger import ChallengerModel, compare_models
from creditkit.scoring.metrics import (
    auc,
    calibration_table,
    cutoff_table,
    gini,
    ks,
    ks_table,
    roc_table,
    score_bands,
)
from creditkit.scoring.policy import (
    RATING_SCALE,
    apply_policy,
    assign_grades,
    check_policy,
    grade_table,
    load_policy,
    rating_to_ordinal,
)
from creditkit.scoring.scorecard import Scorecard
from creditkit.scoring.selection import (
    VariableSelector,
    coefficient_sign_warnings,
    correlation_filter,
    iv_from_woe,
    select_by_iv,
    select_variables,
    significance_filter,
    stepwise_selection,
    vif_filter,
)
from creditkit.scoring.sql import to_sql
from creditkit.scoring.stability import PSIMonitor, csi, psi, psi_table, stability_status
from creditkit.scoring.workflow import (
    adverse_action_sample,
    fit_review_table,
    fit_scorecard,
    model_probabilities,
    performance_table,
    sample_summary,
    scorecard_headline,
    scoring_sample,
    split_sample,
)

__all__ = [
    "RATING_SCALE",
    "BinningProcess",
    "ChallengerModel",
    "OptimalBinning",
    "PSIMonitor",
    "Scorecard",
    "VariableSelector",
    "adverse_action_sample",
    "apply_policy",
    "assign_grades",
    "auc",
    "calibration_table",
    "check_policy",
    "coefficient_sign_warnings",
    "compare_models",
    "correlation_filter",
    "csi",
    "cutoff_table",
    "fit_review_table",
    "fit_scorecard",
    "gini",
    "grade_table",
    "iv_from_woe",
    "ks",
    "ks_table",
    "load_policy",
    "model_probabilities",
    "performance_table",
    "psi",
    "psi_table",
    "rating_to_ordinal",
    "roc_table",
    "sample_summary",
    "score_bands",
    "scorecard_headline",
    "scoring_sample",
    "select_by_iv",
    "select_variables",
    "significance_filter",
    "split_sample",
    "stability_status",
    "stepwise_selection",
    "to_sql",
    "vif_filter",
    "woe_iv",
]
