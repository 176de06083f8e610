"""Selection: IV threshold, correlation and VIF filters, stepwise, sign warnings, logit helper."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from creditkit.exceptions import ParameterError
from creditkit.scoring.binning import BinningProcess
from creditkit.scoring.logit import fit_logit
from creditkit.scoring.selection import (
    VariableSelector,
    coefficient_sign_warnings,
    correlation_filter,
    iv_from_woe,
    select_by_iv,
    select_variables,
    stepwise_selection,
    vif_filter,
)


@pytest.fixture(scope="module")
def woe_data():
    """Three informative WoE-like columns, a near copy of the first, and noise."""
    rng = np.random.default_rng(0)
    n = 3000
    a, b, c = rng.normal(size=(3, n))
    lin = -1.0 * a - 0.6 * b - 0.3 * c - 1.0
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-lin))).astype(int))
    woe = pd.DataFrame({"a": a, "a_copy": a + rng.normal(0, 0.1, n), "b": b, "c": c,
                        "noise": rng.normal(size=n)})
    iv = pd.Series({"a": 0.5, "a_copy": 0.45, "b": 0.2, "c": 0.06, "noise": 0.001})
    return woe.round(2), y, iv


def test_select_by_iv_thresholds():
    iv = pd.Series({"x": 0.6, "y": 0.1, "z": 0.01})
    out = select_by_iv(iv, min_iv=0.02, max_iv=0.5).set_index("variable")
    assert out.loc["x", "reason"] == "iv_too_high" and not out.loc["x", "kept"]
    assert out.loc["y", "kept"] and out.loc["y", "reason"] == "kept"
    assert out.loc["z", "reason"] == "iv_too_low"
    assert list(out.columns) == ["iv", "kept", "reason", "detail"]


def test_correlation_filter_drops_lower_iv_of_pair(woe_data):
    woe, _, iv = woe_data
    out = correlation_filter(woe, iv, threshold=0.7).set_index("variable")
    assert out.loc["a", "kept"]
    assert not out.loc["a_copy", "kept"]
    assert out.loc["a_copy", "reason"] == "correlated"
    assert "with a" in out.loc["a_copy", "detail"]
    assert out[["kept"]].drop(index="a_copy")["kept"].all()
    # flip the IVs: now the copy stays and the original goes
    flipped = iv.rename({"a": "a_copy", "a_copy": "a"})
    out2 = correlation_filter(woe, flipped, threshold=0.7).set_index("variable")
    assert out2.loc["a_copy", "kept"] and not out2.loc["a", "kept"]


def test_vif_filter_removes_collinear(woe_data):
    woe, _, iv = woe_data
    out = vif_filter(woe, iv, threshold=5).set_index("variable")
    assert out["kept"].sum() == 4
    dropped = out.index[~out["kept"]].tolist()
    assert dropped in (["a"], ["a_copy"])
    assert out.loc[dropped[0], "reason"] == "vif_too_high"
    # independent columns all pass
    assert vif_filter(woe[["b", "c", "noise"]], threshold=2)["kept"].all()


@pytest.mark.parametrize("direction", ["forward", "backward", "both"])
@pytest.mark.parametrize("criterion", ["aic", "bic", "pvalue"])
def test_stepwise_finds_the_signal(woe_data, direction, criterion):
    woe, y, _ = woe_data
    out = stepwise_selection(woe[["a", "b", "c", "noise"]], y, direction=direction,
                             criterion=criterion).set_index("variable")
    assert out.loc[["a", "b", "c"], "kept"].all()
    assert not out.loc["noise", "kept"]
    assert out.loc["noise", "reason"] in ("stepwise_removed", "stepwise_not_entered")


def test_select_variables_chain_gives_first_reason(woe_data):
    woe, y, iv = woe_data
    out = select_variables(woe, y, iv=iv, min_iv=0.02, max_corr=0.7, max_vif=10,
                           stepwise="forward").set_index("variable")
    assert out.loc["noise", "reason"] == "iv_too_low"
    assert out.loc["a_copy", "reason"] == "correlated"
    assert out.loc[["a", "b", "c"], "kept"].all()
    assert out["iv"].is_monotonic_decreasing


def test_iv_from_woe_matches_binning():
    rng = np.random.default_rng(4)
    X = pd.DataFrame({"x": rng.normal(size=2000)})
    y = (rng.random(2000) < 1 / (1 + np.exp(-2 * X["x"] + 1))).astype(int)
    bp = BinningProcess().fit(X, y)
    iv = iv_from_woe(bp.transform(X), y)
    assert iv["x"] == pytest.approx(bp.iv_["x"], rel=1e-9)


def test_coefficient_sign_warnings():
    coef = pd.Series({"age": -0.9, "amount": 0.4, "home": -0.1})
    with pytest.warns(UserWarning, match=r"\['amount'\] are positive"):
        assert coefficient_sign_warnings(coef) == ["amount"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert coefficient_sign_warnings(coef.abs() * -1) == []


def test_german_model_on_woe_has_negative_coefficients():
    from creditkit.datasets import load_german_credit

    df = load_german_credit()
    X, y = df.drop(columns="target"), df["target"].astype(int)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.3, stratify=y,
                                              random_state=42)
    bp = BinningProcess().fit(X_train, y_train)
    woe = bp.transform(X_train)
    decisions = select_variables(woe, y_train, iv=bp.iv_, min_iv=0.1)
    kept = decisions.loc[decisions["kept"], "variable"].tolist()
    assert len(kept) >= 5
    fit = fit_logit(woe[kept], y_train)
    assert (fit.coef < 0).all()  # WoE = ln(good/bad): higher WoE, lower P(bad)
    assert coefficient_sign_warnings(pd.Series(fit.coef, index=kept)) == []


def test_fit_logit_matches_sklearn_and_textbook_se():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"u": rng.normal(size=1500), "v": rng.integers(0, 2, 1500)})
    y = (rng.random(1500) < 1 / (1 + np.exp(-(-0.5 + X["u"] - 0.8 * X["v"])))).astype(int)
    fit = fit_logit(X, y)
    ref = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(fit.coef, ref.coef_[0], rtol=1e-4)
    assert fit.intercept == pytest.approx(ref.intercept_[0], rel=1e-4)
    # textbook: se = sqrt(diag((X'WX)^-1)) with W = p(1-p)
    xa = np.column_stack([np.ones(1500), X.to_numpy(float)])
    p = 1 / (1 + np.exp(-(xa @ np.r_[ref.intercept_, ref.coef_[0]])))
    se = np.sqrt(np.diag(np.linalg.inv(xa.T @ (xa * (p * (1 - p))[:, None]))))
    np.testing.assert_allclose(np.r_[fit.intercept_se, fit.se], se, rtol=1e-3)
    tab = fit.table()
    assert tab["variable"].tolist() == ["intercept", "u", "v"]
    assert fit.aic == pytest.approx(2 * 3 - 2 * fit.loglik)
    assert fit.bic == pytest.approx(3 * np.log(1500) - 2 * fit.loglik)
    empty = fit_logit(X.iloc[:, :0], y)
    assert empty.intercept == pytest.approx(np.log(y.mean() / (1 - y.mean())))


def test_variable_selector_in_pipeline(woe_data):
    woe, y, _ = woe_data
    woe_before = woe.copy()
    woe, y, iv = woe_data
    pipe = Pipeline([("select", VariableSelector(iv=iv, min_iv=0.02, max_corr=0.7)),
                     ("lr", LogisticRegression())]).fit(woe, y)
    sel = pipe.named_steps["select"]
    assert "a_copy" not in sel.selected_ and "a" in sel.selected_
    assert list(sel.get_feature_names_out()) == sel.selected_
    assert pipe.predict_proba(woe).shape == (len(woe), 2)
    assert sel.transform(woe.to_numpy()).shape[1] == len(sel.selected_)
    pd.testing.assert_frame_equal(woe, woe_before)


@pytest.mark.parametrize("call,match", [
    (lambda w, y, iv: select_by_iv(iv, min_iv=0.5, max_iv=0.1), "min_iv < max_iv"),
    (lambda w, y, iv: correlation_filter(w, iv, threshold=1.5), "threshold must be in"),
    (lambda w, y, iv: correlation_filter(w, iv.drop("b")), "iv has no value for"),
    (lambda w, y, iv: vif_filter(w, threshold=0.5), "VIF is never below 1"),
    (lambda w, y, iv: stepwise_selection(w, y, direction="up"), "direction must be"),
    (lambda w, y, iv: stepwise_selection(w, y, criterion="r2"), "criterion must be"),
    (lambda w, y, iv: correlation_filter(np.zeros(3), iv), "Expected 2D array"),
    (lambda w, y, iv: iv_from_woe(np.zeros(3), y), "Expected 2D array"),
    (lambda w, y, iv: fit_logit(np.zeros(3), y), "X must be a 2-D table"),
    (lambda w, y, iv: fit_logit(w, y[:10]), "one value per row of X"),
    (lambda w, y, iv: fit_logit(w.where(w > 0), y), "missing values"),
])
def test_errors(woe_data, call, match):
    woe, y, iv = woe_data
    with pytest.raises(ParameterError, match=match):
        call(woe, y, iv)


def test_selector_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="not fitted"):
        VariableSelector().transform(np.zeros((2, 2)))
