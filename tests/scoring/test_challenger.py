"""Challenger model beside the scorecard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.scoring import auc
from creditkit.scoring.challenger import ChallengerModel, compare_models


def _data(n=1200, seed=3):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x": rng.normal(size=n),
                      "grade": rng.choice(["a", "b", "c"], n),
                      "gap": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n))})
    logit = -1.5 + 1.2 * X["x"] + (X["grade"] == "c") * 1.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def test_challenger_learns_and_handles_text_and_missing():
    X, y = _data()
    model = ChallengerModel(max_iter=60, early_stopping=False).fit(X.iloc[:900], y.iloc[:900])
    p = model.predict_proba(X.iloc[900:])[:, 1]
    assert auc(y.iloc[900:], p, higher_is_bad=True) > 0.7
    assert set(model.predict(X.iloc[:10])) <= {0, 1}
    unseen = X.iloc[:2].assign(grade=["zzz", None])
    assert model.predict_proba(unseen).shape == (2, 2)


def test_compare_models_table():
    y = [1, 0, 1, 0]
    t = compare_models(y, {"a": [0.9, 0.1, 0.8, 0.2], "b": [0.4, 0.5, 0.6, 0.3]})
    assert t["model"].tolist() == ["a", "b"]
    assert t["auc_gap"].tolist() == pytest.approx([0.0, 0.25])
    assert t["ks"].tolist() == pytest.approx([1.0, 0.5])


def test_errors():
    with pytest.raises(ParameterError, match="pd_by_model is empty"):
        compare_models([0, 1], {})
    with pytest.raises(ParameterError, match="X must be a pandas DataFrame"):
        ChallengerModel().fit(np.zeros((4, 2)), [0, 1, 0, 1])
    X, y = _data(200)
    model = ChallengerModel(max_iter=5).fit(X, y)
    with pytest.raises(ParameterError, match="X must be a pandas DataFrame"):
        model.predict_proba(np.zeros((2, 3)))
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['gap'\]"):
        model.predict_proba(X.drop(columns="gap"))
