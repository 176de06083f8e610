"""scikit-learn's estimator checks that apply to the scoring estimators.

The scorecard takes a 0/1 outcome (1 = bad) and the challenger a DataFrame, so
the checks that feed multi-class labels or bare arrays to the challenger do not
apply; the checks of the estimator API itself (parameters, cloning, fitted
state, idempotent fit, feature counts) do, and are run here.
"""

from __future__ import annotations

import warnings

import pytest
from sklearn.utils import estimator_checks as ec

from creditkit.scoring import ChallengerModel, PSIMonitor, Scorecard

API_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_estimator_repr",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_estimator_cloneable",
    "check_mixin_order",
]
FIT_CHECKS = ["check_estimators_unfitted", "check_fit_idempotent", "check_fit_check_is_fitted",
              "check_n_features_in"]


@pytest.mark.parametrize("check", API_CHECKS + FIT_CHECKS)
def test_scorecard_passes(check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        getattr(ec, check)("Scorecard", Scorecard())


@pytest.mark.parametrize("estimator", [ChallengerModel(), PSIMonitor()],
                         ids=["ChallengerModel", "PSIMonitor"])
@pytest.mark.parametrize("check", API_CHECKS)
def test_other_scoring_estimators_pass_the_api_checks(estimator, check):
    getattr(ec, check)(type(estimator).__name__, estimator)
