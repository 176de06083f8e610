"""Workflow helpers: development sample, split, summary tables, adverse-action view."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.scoring import Scorecard
from creditkit.scoring.workflow import (
    adverse_action_sample,
    performance_table,
    sample_summary,
    scoring_sample,
    split_sample,
)


def test_german_sample_and_the_project_split():
    X, y = scoring_sample("german")
    assert "target" not in X.columns and X.shape == (1000, 20)
    X_train, X_test, y_train, y_test = split_sample(X, y)
    assert (len(X_train), len(X_test)) == (700, 300)
    assert y_train.mean() == pytest.approx(0.3) and y_test.mean() == pytest.approx(0.3)
    again = split_sample(X, y)[1]
    assert again.index.equals(X_test.index)  # seed 42 everywhere: the same split


def test_store_sample_drops_unknown_outcomes_and_identifiers(tmp_path):
    X, y = scoring_sample("store", store_path=str(tmp_path / "s.duckdb"), n_customers=300,
                          seed=1, product="bnpl")
    assert not {"application_id", "customer_id", "application_date", "product"} & set(X)
    assert y.notna().all() and set(y.unique()) <= {0, 1}


def test_tables_and_adverse_action_view():
    X, y = scoring_sample("german")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard().fit(X, y)
    summary = sample_summary({"all": y})
    assert summary.values.tolist() == [["all", 1000, 300, 0.3]]
    perf = performance_table(card, {"all": (X, y)})
    assert perf["auc"].iloc[0] == pytest.approx(2 * 0 + perf["gini"].iloc[0] / 2 + 0.5)
    view = adverse_action_sample(card, X, rows=4, n=2)
    points = card.predict_points(X)
    assert view["points"].tolist() == sorted(points)[:4]
    assert list(view.columns) == ["points", "reason_1", "reason_2", "points_lost_1",
                                  "points_lost_2"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: scoring_sample("csv"), "source must be one of"),
        (lambda: scoring_sample("store"), "needs store_path"),
        (lambda: scoring_sample("german", target_col="bad"), "target column 'bad' not in"),
        (lambda: split_sample(pd.DataFrame({"a": [1, 2]}), pd.Series([0, 1]), test_size=1.5),
         r"test_size must be in \(0, 1\)"),
        (lambda: adverse_action_sample(None, pd.DataFrame(), rows=0), "rows must be a positive"),
    ],
)
def test_errors(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_inputs_not_mutated():
    X, y = scoring_sample("german")
    X0, y0 = X.copy(), y.copy()
    split_sample(X, y)
    pd.testing.assert_frame_equal(X, X0)
    pd.testing.assert_series_equal(y, y0)
    assert np.isfinite(y.to_numpy()).all()


def test_model_probabilities_by_name():
    from creditkit.scoring import ChallengerModel, model_probabilities

    X, y = scoring_sample("german")
    X_train, X_test, y_train, _ = split_sample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard().fit(X_train, y_train)
    challenger = ChallengerModel(random_state=0).fit(X_train, y_train)
    got = model_probabilities({"scorecard": card, "challenger": challenger}, X_test)
    assert list(got) == ["scorecard", "challenger"]
    np.testing.assert_array_equal(got["scorecard"], card.predict_proba(X_test)[:, 1])
    np.testing.assert_array_equal(got["challenger"], challenger.predict_proba(X_test)[:, 1])
    with pytest.raises(ParameterError, match="have no predict_proba"):
        model_probabilities({"raw": object()}, X_test)
