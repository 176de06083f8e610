"""Two-variable bins: chosen from the data, scored alike in pandas, SQL and JSON, kept on merit."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.scoring import Scorecard, auc, scoring_sample, split_sample
from creditkit.scoring.cardchecks import card_checks
from creditkit.scoring.interactions import fit_interaction_scorecard, rank_pairs
from creditkit.scoring.pairbins import PairBins, pair_gain


def _sample(n=12000, seed=3, strength=1.2):
    """a and b add up, except when both are high: then much riskier; c is plain noise-ish."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n).round(3), "b": rng.normal(size=n).round(3),
                      "c": rng.normal(size=n).round(3),
                      "k": rng.choice(["u", "v", "it's"], n)})
    X.loc[rng.random(n) < 0.03, "a"] = np.nan
    logit = -3 + 0.5 * X["a"].fillna(0) + 0.3 * X["b"] + 0.2 * X["c"] \
        + strength * ((X["a"] > 0.4) & (X["b"] > 0.4))
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int), name="target")
    return X, y


def _fit(**kw):
    X, y = _sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return X, y, Scorecard(interactions=[("a", "b")], **kw).fit(X, y)


def test_the_true_interaction_ranks_first_and_has_a_positive_gain():
    X, y = _sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard().fit(X, y)
    ranked = rank_pairs(card, X, y)
    assert {ranked.loc[0, "x"], ranked.loc[0, "y"]} == {"a", "b"}
    assert ranked.loc[0, "gain"] > 0
    assert (ranked["gain"].iloc[1:] < ranked.loc[0, "gain"]).all()


def test_no_gain_without_an_interaction():
    X, y = _sample(strength=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard().fit(X, y)
    assert pair_gain(X, y, card.bins_["a"], card.bins_["b"]) < 10


def test_pair_is_a_card_variable_with_a_points_row_per_cell():
    _X, _y, card = _fit()
    assert "a × b" in card.variables_
    pair = card.bins_["a × b"]
    assert isinstance(pair, PairBins) and pair.n_bins == len(pair.woe) == len(pair.labels)
    table = card.points_table()
    rows = table[table["variable"] == "a × b"]
    assert rows["bin_index"].tolist() == list(range(pair.n_bins))
    # the riskiest cell is the one with both a and b high
    worst = rows.loc[rows["points"].idxmin(), "bin"]
    assert worst.split(" × ")[0].endswith("inf)") and worst.split(" × ")[1].endswith("inf)")


def test_pair_scores_identically_in_duckdb_and_after_json():
    X, _y, card = _fit()
    applicants = X.head(2000).copy()
    applicants.loc[applicants.index[:5], "b"] = np.nan  # cells of the missing group
    applicants.loc[applicants.index[5:8], "k"] = "never seen"
    con = duckdb.connect()
    con.register("applicants", applicants.reset_index(drop=True))
    sql = con.sql(card.to_sql("duckdb")).df()["points"].to_numpy()
    assert np.array_equal(sql, card.predict_points(applicants))
    again = Scorecard.from_json(card.to_json())
    assert isinstance(again.bins_["a × b"], PairBins)
    assert np.array_equal(again.predict_points(applicants), card.predict_points(applicants))


@pytest.mark.parametrize("dialect", ["spark", "postgres"])
def test_pair_sql_parses_in_other_dialects(dialect):
    sqlglot = pytest.importorskip("sqlglot")
    _, _, card = _fit()
    parsed = sqlglot.parse_one(card.to_sql(dialect, id_col="id"), read=dialect)
    assert {c.name for c in parsed.find_all(sqlglot.exp.Column)} >= {"a", "b", "id"}


def test_reason_codes_can_name_the_pair():
    X, _y, card = _fit()
    reasons = card.reason_codes(X, n=3)
    assert (reasons[["reason_1", "reason_2", "reason_3"]] == "a × b").any(axis=None)


def test_card_with_a_pair_passes_the_checks():
    _, _, card = _fit()
    assert card_checks(card).empty


def test_bad_pairs_are_refused_naming_the_fix():
    X, y = _sample(n=2000)
    for bad in ([("a", "zz")], [("a", "a")], [("a",)]):
        with pytest.raises(ParameterError, match="interactions=\\[\\('a', 'b'\\)\\]"):
            Scorecard(interactions=bad).fit(X, y)


def test_the_pairs_are_kept_exactly_when_they_win_on_validation():
    X, y = _sample(n=40000)
    X_tr, X_te, y_tr, y_te = split_sample(X, y, seed=1)
    card = fit_interaction_scorecard(X_tr, y_tr)
    choice = card.interaction_choice_.set_index("candidate")
    gain = choice.loc["pairs", "validation_auc"] - choice.loc["plain", "validation_auc"]
    kept_pairs = gain > 1.645 * choice.loc["pairs", "gain_se"]
    assert bool(choice.loc["pairs", "kept"]) == kept_pairs
    assert kept_pairs == any(" × " in v for v in card.variables_)
    # the pair's validation gain (+0.0004) is within its noise: the plain card is kept;
    # taking any gain (z=0) keeps the pair
    assert not kept_pairs and 0 < gain < choice.loc["pairs", "gain_se"]
    card = fit_interaction_scorecard(X_tr, y_tr, z=0)
    assert any(" × " in v for v in card.variables_)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plain = Scorecard().fit(X_tr, y_tr)
    assert auc(y_te, card.predict_points(X_te)) > auc(y_te, plain.predict_points(X_te))


def test_german_choice_follows_the_validation_auc():
    X, y = scoring_sample("german")
    card = fit_interaction_scorecard(X, y)
    choice = card.interaction_choice_.set_index("candidate")
    gain = choice.loc["pairs", "validation_auc"] - choice.loc["plain", "validation_auc"]
    wins = gain > 1.645 * choice.loc["pairs", "gain_se"]
    assert bool(choice.loc["pairs", "kept"]) == bool(wins)
    assert card_checks(card).empty


def test_parameters_are_checked():
    X, y = _sample(n=2000)
    with pytest.raises(ParameterError, match="n_pairs"):
        fit_interaction_scorecard(X, y, n_pairs=0)
    with pytest.raises(ParameterError, match="interactions="):
        fit_interaction_scorecard(X, y, interactions=[("a", "b")])
