"""Segment cards: each row scored by its segment's card, alike in pandas, DuckDB and JSON."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import NotFittedError, ParameterError
from creditkit.scoring import Scorecard, auc, split_sample
from creditkit.scoring.segments import SegmentedScorecard, fit_segmented_scorecard


def _sample(n=16000, seed=5, opposite=True):
    """Two products whose risk runs in opposite directions in x (the same way when not)."""
    rng = np.random.default_rng(seed)
    product = rng.choice(["bnpl", "b2b"], n, p=[0.6, 0.4])
    X = pd.DataFrame({"product": product, "x": rng.normal(size=n).round(3),
                      "z": rng.normal(size=n).round(3), "grade": rng.choice(["A", "B", "C"], n)})
    sign = np.where((product == "b2b") & opposite, -1.0, 1.0)
    logit = -2.8 + 0.9 * sign * X["x"] + 0.4 * X["z"] + 0.3 * (product == "b2b")
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int), name="target")
    return X, y


def _fit(**kw):
    X, y = _sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return X, y, SegmentedScorecard("product", **kw).fit(X, y)


def test_each_row_is_scored_by_its_segments_card():
    X, _y, seg = _fit()
    assert sorted(seg.cards_) == ["b2b", "bnpl"]
    assert all("product" not in c.variables_ for c in seg.cards_.values())
    for value, card in seg.cards_.items():
        rows = X["product"] == value
        assert np.array_equal(seg.predict_points(X)[rows.to_numpy()],
                              card.predict_points(X[rows]))
    # a segment not seen at fit, and a missing one: the fallback card
    other = X.head(4).assign(product=["new", None, "new", None])
    assert np.array_equal(seg.predict_points(other), seg.fallback_.predict_points(other))
    assert seg.segment_of(other).isna().all()


def test_sql_gives_the_same_scores_as_pandas_in_duckdb():
    X, _y, seg = _fit()
    applicants = X.head(3000).reset_index(drop=True)
    applicants.loc[:4, "product"] = ["new", None, "it's", "b2b", "bnpl"]
    applicants.loc[5:9, "x"] = np.nan
    con = duckdb.connect()
    con.register("applicants", applicants.assign(app_id=np.arange(len(applicants))))
    out = con.sql(seg.to_sql("duckdb", id_col="app_id")).df()
    assert out["app_id"].tolist() == list(range(len(applicants)))
    assert np.array_equal(out["points"].to_numpy(), seg.predict_points(applicants))


def test_numeric_segment_column_in_sql_and_pandas():
    X, y = _sample()
    X["new_customer"] = (X.pop("product") == "b2b").astype("int64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        seg = SegmentedScorecard("new_customer").fit(X, y)
    assert sorted(seg.cards_) == [0, 1]
    con = duckdb.connect()
    con.register("applicants", X.head(1000))
    out = con.sql(seg.to_sql()).df()["points"].to_numpy()
    assert np.array_equal(out, seg.predict_points(X.head(1000)))


@pytest.mark.parametrize("dialect", ["spark", "postgres"])
def test_sql_parses_in_other_dialects(dialect):
    sqlglot = pytest.importorskip("sqlglot")
    _, _, seg = _fit()
    parsed = sqlglot.parse_one(seg.to_sql(dialect, table="risk.apps"), read=dialect)
    assert {"product", "x"} <= {c.name for c in parsed.find_all(sqlglot.exp.Column)}


def test_json_round_trip_scores_identically():
    X, _y, seg = _fit()
    again = SegmentedScorecard.from_json(seg.to_json())
    assert np.array_equal(again.predict_points(X), seg.predict_points(X))
    assert again.points_table().equals(seg.points_table())
    with pytest.raises(ParameterError, match=r"seg\.to_json"):
        SegmentedScorecard.from_json(Scorecard.from_json(seg.fallback_.to_json()).to_json())


def test_points_table_and_reason_codes_per_segment():
    X, _y, seg = _fit()
    table = seg.points_table()
    assert set(table["segment"].dropna()) == {"b2b", "bnpl"} and table["segment"].isna().any()
    b2b = table[table["segment"] == "b2b"]
    assert b2b.drop(columns="segment").reset_index(drop=True).equals(
        seg.cards_["b2b"].points_table())
    reasons = seg.reason_codes(X.head(200), n=2)
    assert list(reasons.columns) == ["reason_1", "reason_2", "points_lost_1", "points_lost_2"]
    rows = X.head(200)["product"] == "bnpl"
    mine = seg.cards_["bnpl"].reason_codes(X.head(200)[rows], n=2)
    pd.testing.assert_frame_equal(reasons[rows], mine, check_dtype=False)


def test_small_segments_use_the_fallback_card():
    X, y = _sample(n=3000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        seg = SegmentedScorecard("product", min_bads=10_000).fit(X, y)
    assert seg.cards_ == {}
    assert np.array_equal(seg.predict_points(X), seg.fallback_.predict_points(X))


def test_segments_are_kept_exactly_when_they_win_on_validation():
    X, y = _sample()
    X_tr, X_te, y_tr, y_te = split_sample(X, y, seed=2)
    model = fit_segmented_scorecard(X_tr, y_tr, segment="product")
    choice = model.segmentation_.set_index("candidate")
    gain = choice.loc["segmented", "validation_auc"] - choice.loc["single", "validation_auc"]
    wins = gain > 1.645 * choice.loc["segmented", "gain_se"]
    assert bool(choice.loc["segmented", "kept"]) == bool(wins)
    assert isinstance(model, SegmentedScorecard) == bool(wins)
    assert wins  # opposite effects by product: one card cannot hold them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        single = Scorecard().fit(X_tr, y_tr)
    assert auc(y_te, model.predict_points(X_te)) > auc(y_te, single.predict_points(X_te)) + 0.02


def test_errors_name_the_fix():
    X, y = _sample(n=2000)
    with pytest.raises(ParameterError, match="segment column 'nope'"):
        SegmentedScorecard("nope").fit(X, y)
    with pytest.raises(ParameterError, match="min_bads"):
        SegmentedScorecard("product", min_bads=0).fit(X, y)
    with pytest.raises(NotFittedError, match="call fit"):
        SegmentedScorecard("product").predict_points(X)
    with pytest.raises(ParameterError, match="validation_size"):
        fit_segmented_scorecard(X, y, segment="product", validation_size=0.9)
