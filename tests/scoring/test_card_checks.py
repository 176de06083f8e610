"""Issue 15: every card the defaults produce passes the package's own validator checks.

No variable with a coefficient sign against its WoE, none with a p-value above the limit
unless forced by the user, no clean bin with fewer bads or goods than the minimum.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.scoring import BinningProcess, OptimalBinning, Scorecard
from creditkit.scoring.binning.dp import optimal_partition
from creditkit.scoring.cardchecks import card_checks, prune_variables
from creditkit.scoring.logit import fit_logit
from creditkit.scoring.workflow import scoring_sample, split_sample


def _independent_checks(card, X, y) -> list[str]:
    """The three checks recomputed from the data, not from the card's own review."""
    problems = []
    woe = np.column_stack([card.binning_.transform(X)[v] for v in card.variables_])
    yv = np.asarray(y, dtype=float)
    fit = fit_logit(woe, yv, l2=0.0 if card.C is None else 1.0 / card.C)
    cov = (woe - woe.mean(axis=0)).T @ (yv - yv.mean())
    for v, b, c, p in zip(card.variables_, fit.coef, cov, fit.pvalues, strict=True):
        if b * c <= 0:
            problems.append(f"{v}: sign against WoE")
        if p > card.max_pvalue:
            problems.append(f"{v}: p {p:.3f}")
    for v in card.variables_:
        ob = card.binning_.binnings_[v]
        if ob.n_clean_bins_ < 2:
            continue
        tab = ob.table(totals=False).iloc[:ob.n_clean_bins_]
        if (tab["bads"] < 5).any() or (tab["goods"] < 5).any():
            problems.append(f"{v}: thin bin")
    return problems


@pytest.mark.parametrize("seed", [0, 7, 13, 29])
def test_default_cards_on_german_splits_pass_every_check(seed):
    X, y = scoring_sample("german")
    X_train, _, y_train, _ = split_sample(X, y, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # single-bin variables are left out
        card = Scorecard().fit(X_train, y_train)
    assert card_checks(card).empty
    assert _independent_checks(card, X_train, y_train) == []
    assert set(card.fit_review_["issue"]) <= {"single_bin"}
    # what was dropped says why, and only for the two reasons a validator gives
    assert set(card.dropped_["reason"]) <= {"pvalue_too_high", "sign_against_woe"}
    assert not set(card.dropped_["variable"]) & set(card.variables_)


def test_default_card_on_the_generators_applications_passes_every_check():
    from creditkit.datasets.portfolio import make_portfolio
    from creditkit.scoring.workflow import NON_FEATURES

    apps = make_portfolio(6000, seed=3, kind="mixed")["applications"]
    known = apps[apps["target"].notna()].reset_index(drop=True)
    X = known[[c for c in known.columns if c not in NON_FEATURES]]
    y = known["target"].astype("int64")
    card = Scorecard().fit(X, y)
    assert card_checks(card).empty
    assert _independent_checks(card, X, y) == []


def test_min_bads_and_goods_per_bin_hold_and_are_parameters():
    rng = np.random.default_rng(5)
    x = rng.normal(size=4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(3.5 - 0.8 * x))).astype(int)  # few bads
    for low in (5, 20):
        ob = OptimalBinning(min_bin_share=0.01, max_n_prebins=50, min_bin_bads=low).fit(x, y)
        tab = ob.table(totals=False).iloc[:ob.n_clean_bins_]
        assert (tab["bads"] >= low).all() and (tab["goods"] >= 5).all()
    loose = OptimalBinning(min_bin_share=0.01, max_n_prebins=50, min_bin_bads=0,
                           min_bin_goods=0).fit(x, y)
    strict = OptimalBinning(min_bin_share=0.01, max_n_prebins=50, min_bin_bads=20).fit(x, y)
    assert strict.n_clean_bins_ <= loose.n_clean_bins_
    cuts, _ = optimal_partition(np.array([50.0, 50, 50]), np.array([1.0, 8, 20]),
                                total_goods=150, total_bads=29, min_bads=5)
    assert cuts.tolist() == [2]  # the first prebin's single bad cannot stand alone
    with pytest.raises(ParameterError, match="min_bin_bads must be an int >= 0"):
        BinningProcess(min_bin_bads=-1).fit(pd.DataFrame({"x": x}), y)


def test_an_edited_thin_bin_is_a_finding():
    X, y = scoring_sample("german")
    card = Scorecard().fit(X, y)
    v = next(v for v in card.variables_ if v in card.binning_.splits_
             and card.binning_.binnings_[v].dtype == "numerical")
    bp = card.binning_
    edges = bp.splits_[v]
    # a split just above the lowest value leaves a first bin of a handful of rows
    lowest = float(np.nanmin(X[v]))
    bp.set_edges(v, sorted({*edges.tolist(), float(np.nanmin(X[v][X[v] > lowest]))}))
    refit = Scorecard(bp, max_pvalue=None, sign_check=False).fit(X, y)
    found = card_checks(refit, min_bin_bads=5, min_bin_goods=5)
    assert v in found.loc[found["check"] == "thin_bin", "variable"].tolist()


def test_forced_variable_above_the_limit_is_kept_and_named():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"signal": rng.normal(size=3000), "noise": rng.normal(size=3000)})
    y = (rng.random(3000) < 1 / (1 + np.exp(1 + 1.2 * X["signal"]))).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plain = Scorecard(BinningProcess(max_n_bins=3), max_pvalue=0.05).fit(X, y)
        forced = Scorecard(BinningProcess(max_n_bins=3), max_pvalue=0.05, forced=["noise"],
                           sign_check=False).fit(X, y)
    assert plain.variables_ == ["signal"]
    assert plain.dropped_["variable"].tolist() == ["noise"]
    assert forced.variables_ == ["signal", "noise"]
    assert forced.coef_table_.set_index("variable").loc["noise", "p_value"] > 0.05
    assert forced.fit_review_.values.tolist() == [["noise", "pvalue_too_high"]]
    assert card_checks(forced).empty  # forced: the analyst's decision, named in the review
    assert card_checks(plain).empty


def test_prune_keeps_forced_columns_and_checks_parameters():
    rng = np.random.default_rng(1)
    woe = rng.normal(size=(800, 2))
    y = (rng.random(800) < 1 / (1 + np.exp(1 + 1.5 * woe[:, 0]))).astype(int)
    keep, dropped, _ = prune_variables(woe, y, ["signal", "noise"], max_pvalue=0.05, sign=True)
    assert keep == [0] and dropped["variable"].tolist() == ["noise"]
    keep, dropped, _ = prune_variables(woe, y, ["signal", "noise"], max_pvalue=0.05, sign=True,
                                    forced=["noise"])
    assert keep == [0, 1] and dropped.empty
    with pytest.raises(ParameterError, match="keep names"):
        prune_variables(woe, y, ["signal", "noise"], max_pvalue=0.05, sign=True,
                        forced=["nope"])
    X = pd.DataFrame(woe, columns=["a", "b"])
    with pytest.raises(ParameterError, match="max_pvalue must be in"):
        Scorecard(max_pvalue=0).fit(X, y)
    with pytest.raises(ParameterError, match="forced must be a list"):
        Scorecard(forced="a").fit(X, y)
    with pytest.raises(ParameterError, match="forced="):
        Scorecard(forced=["zz"]).fit(X, y)


def test_ridge_newton_is_scikit_learns_penalised_optimum():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(700, 4))
    y = (rng.random(700) < 1 / (1 + np.exp(-(X @ [1.0, 0.5, 0.0, -0.3])))).astype(int)
    for C in (0.1, 1.0):
        fit = fit_logit(X, y, l2=1.0 / C)
        ref = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)
        np.testing.assert_allclose(fit.coef, ref.coef_[0], atol=1e-6)
        assert abs(fit.intercept - ref.intercept_[0]) < 1e-6
    with pytest.raises(ParameterError, match="l2 must be"):
        fit_logit(X, y, l2=-1.0)


def test_refined_card_is_decided_on_validation_and_is_a_full_card():
    from creditkit.scoring.refine import fit_refined_scorecard

    X, y = scoring_sample("german")
    X_train, X_test, y_train, _ = split_sample(X, y, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = fit_refined_scorecard(X_train, y_train, seed=1)
        plain = fit_refined_scorecard(X_train, y_train, seed=1, min_gain=1.0)
    table = card.refinement_
    assert table["candidate"].tolist() == ["plain", "fine"] and table["kept"].sum() == 1
    kept = table.loc[table["kept"], "candidate"].item()
    auc_of = dict(zip(table["candidate"], table["validation_auc"], strict=True))
    gain, se = auc_of["fine"] - auc_of["plain"], table["gain_se"].iloc[1]
    assert se > 0 and np.isnan(table["gain_se"].iloc[0])
    # kept only for a gain beyond 1.645 standard errors (one-sided 5 %), never for less
    assert (kept == "fine") == (gain > 1.645 * se)
    lucky = fit_refined_scorecard(X_train, y_train, seed=1, z=0)
    assert (lucky.refinement_["kept"].iloc[1]) == (gain > 0)
    # a gain no split can give keeps the plain binning: the default BinningProcess's share
    assert plain.refinement_.loc[plain.refinement_["kept"], "candidate"].item() == "plain"
    assert plain.binning_.min_bin_share == 0.05
    # an ordinary card: points table, reason codes, SQL, checks
    assert set(card.points_table()["variable"]) == set(card.variables_)
    assert card.reason_codes(X_test.head(3)).shape[0] == 3
    assert "SELECT" in card.to_sql().upper()
    assert card_checks(card).empty
    with pytest.raises(ParameterError, match="validation_size"):
        fit_refined_scorecard(X_train, y_train, validation_size=0.9)
    with pytest.raises(ParameterError, match="not parameters of the binning"):
        fit_refined_scorecard(X_train, y_train, fine={"nope": 1})
