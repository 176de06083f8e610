"""Behaviour and collection cards: fitting, saving, the shipped cards, the score today."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from creditkit.behaviour import (
    SHIPPED,
    BehaviourCard,
    behaviour_features,
    card_performance,
    current_scores,
    development_sample,
    fit_behaviour_card,
    oot_split,
    refit_shipped_cards,
    score_psi,
    shipped_cards,
)
from creditkit.behaviour.cards import DATA_DIR
from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError

DATES = ["2024-11-30", "2024-12-31", "2025-01-31", "2025-02-28"]


@pytest.fixture(scope="module")
def book():
    return make_portfolio(1500, seed=31, kind="mixed", end="2025-09-30")


@pytest.fixture(scope="module")
def split(book):
    return oot_split(development_sample(book, dates=DATES), oot_dates=1)


@pytest.fixture(scope="module")
def card(split):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fit_behaviour_card(split[0], kind="B")


def test_fit_records_what_the_card_was_fitted_on(card, split):
    dev = split[0]
    assert card.kind == "B"
    assert card.fit_dates == DATES[:-1]
    assert card.windows == [3, 6, 12]
    assert len(card.fingerprint) == 64 and card.version.startswith("B-2025-01-31-")
    assert set(card.scorecard.variables_) <= set(card.features)
    pts = card.predict_points(dev[dev["in_sample"]])
    assert np.isfinite(pts).all()


def test_out_of_time_performance_is_better_than_chance(card, split):
    perf = card_performance(card, split[1])
    assert list(perf.columns) == ["as_of", "n", "bads", "bad_rate", "auc", "ks"]
    assert perf["as_of"].iloc[-1] is pd.NaT
    assert perf["auc"].iloc[-1] > 0.6 and perf["ks"].iloc[-1] > 0.1


def test_score_psi_is_small_on_the_same_rows_and_a_table(card, split):
    dev, oot = split
    same = score_psi(card, dev, dev)
    assert same["psi"].sum() == pytest.approx(0.0, abs=1e-12)
    assert {"bin", "base_share", "current_share", "psi"} <= set(score_psi(card, dev, oot).columns)


def test_json_round_trip_scores_identically(card, split, tmp_path):
    X = split[1]
    again = BehaviourCard.load(card.save(tmp_path / "b.json"))
    assert np.array_equal(again.predict_points(X), card.predict_points(X))
    assert again.to_json() == card.to_json()
    assert "SELECT" in again.to_sql().upper()
    pd.testing.assert_frame_equal(again.reason_codes(X.head(20)), card.reason_codes(X.head(20)))


def test_fit_checks(split):
    dev = split[0]
    with pytest.raises(ParameterError, match="kind"):
        fit_behaviour_card(dev, kind="C")  # a B sample
    with pytest.raises(ParameterError, match="in_sample"):
        fit_behaviour_card(dev.assign(in_sample=False), kind="B")
    with pytest.raises(ParameterError, match="not columns"):
        fit_behaviour_card(dev, features=["no_such_feature"])
    with pytest.raises(ParameterError, match="behaviour card"):
        BehaviourCard.from_json(json.dumps({"format": "other"}))


def test_performance_and_psi_check_their_inputs(card, split):
    with pytest.raises(ParameterError, match="BehaviourCard"):
        card_performance(card.scorecard, split[1])
    with pytest.raises(ParameterError, match="development_sample"):
        card_performance(card, split[1].drop(columns="in_sample"))
    with pytest.raises(ParameterError, match="BehaviourCard"):
        score_psi("card", split[0], split[1])


def test_card_refuses_features_it_lacks(card):
    with pytest.raises(ParameterError, match="lacks the card's variable"):
        card.predict_points(pd.DataFrame({"x": [1]}))


def test_shipped_cards_load_and_score(book):
    cards = shipped_cards()
    assert {k: c.kind for k, c in cards.items()} == {"B": "B", "C": "C"}
    f = behaviour_features(book, as_of="2025-06-30", windows=cards["B"].windows)
    for c in cards.values():
        p = c.predict_proba(f)[:, 1]
        assert ((p > 0) & (p < 1)).all()
        assert c.fit_dates == SHIPPED["dates"][:-SHIPPED["oot_dates"]]


def test_current_scores_use_the_c_card_for_past_due_customers(book):
    s = current_scores(book, as_of="2025-06-30")
    f = behaviour_features(book, as_of="2025-06-30")
    assert s["customer_id"].tolist() == f["customer_id"].tolist()
    assert (s["scorecard"] == np.where(f["dpd"] > 0, "C", "B")).all()
    assert {"B", "C"} == set(s["scorecard"])
    cards = shipped_cards()
    for kind in ("B", "C"):
        rows = (s["scorecard"] == kind).to_numpy()
        assert np.allclose(s.loc[rows, "points"], cards[kind].predict_points(f[rows]))
        assert (s.loc[rows, "model_version"] == cards[kind].version).all()
    assert list(s.columns[-3:]) == ["reason_1", "reason_2", "reason_3"]
    with pytest.raises(ParameterError, match="'B' and 'C'"):
        current_scores(book, as_of="2025-06-30", cards={"B": cards["B"]})


def test_current_scores_reuse_features_computed_already(book):
    f = behaviour_features(book, as_of="2025-06-30")
    pd.testing.assert_frame_equal(current_scores(book, as_of="2025-06-30", features=f),
                                  current_scores(book, as_of="2025-06-30"))
    with pytest.raises(ParameterError, match="windows"):
        current_scores(book, as_of="2025-06-30",
                       features=behaviour_features(book, as_of="2025-06-30", windows=(3, 6)))
    with pytest.raises(ParameterError, match="not of as_of"):
        current_scores(book, as_of="2025-05-31", features=f)


@pytest.mark.slow
def test_refit_with_the_same_seed_reproduces_the_shipped_cards(tmp_path):
    refit_shipped_cards(tmp_path)
    for name in ("b_card.json", "c_card.json"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (
            DATA_DIR / name).read_text(encoding="utf-8")


def test_a_card_with_the_application_score_beside_behaviour(book, split):
    app = book["applications"][["customer_id", "bureau_score"]]
    dev = split[0].merge(app, on="customer_id", how="left")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = fit_behaviour_card(dev, kind="B", variables=["bureau_score", "dpd"])
    assert "bureau_score" in card.features
    cards = {"B": card, "C": shipped_cards()["C"]}
    s = current_scores(book, as_of="2025-06-30", cards=cards, static=app)
    assert s.loc[s["scorecard"] == "B", "model_version"].eq(card.version).all()
    with pytest.raises(ParameterError, match="bureau_score"):
        current_scores(book, as_of="2025-06-30", cards=cards)


def test_the_shipped_cards_are_still_importable_from_cards() -> None:
    from creditkit.behaviour import cards, shipped

    for name in ("DATA_DIR", "SHIPPED", "refit_shipped_cards", "shipped_cards"):
        assert getattr(cards, name) is getattr(shipped, name)
    assert shipped_cards is shipped.shipped_cards and SHIPPED is shipped.SHIPPED
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        cards.nothing  # noqa: B018
