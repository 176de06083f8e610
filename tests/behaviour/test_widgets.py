"""The customer-history widget: riskiest first, a customer's dates, score and reasons, zh/en."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from creditkit.behaviour import development_sample, fit_behaviour_card
from creditkit.behaviour.widgets import customer_history
from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError
from creditkit.labels import label

CJK = re.compile(r"[\u4e00-\u9fff]")
DATES = ["2024-10-31", "2024-11-30", "2024-12-31"]


@pytest.fixture(scope="module")
def fitted() -> tuple[pd.DataFrame, object]:
    book = make_portfolio(600, seed=4, kind="mixed", start="2024-01-01", end="2025-06-30")
    sample = development_sample(book, dates=DATES, windows=(3, 6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the fit review is not under test here
        card = fit_behaviour_card(sample, kind="B")
    return sample, card


def test_customers_are_offered_riskiest_first(fitted) -> None:
    sample, card = fitted
    view = customer_history(sample, card, lang="zh", max_options=25)
    offered = list(view.customer.options)
    assert len(offered) == 25
    latest = sample[sample["as_of"] == sample["as_of"].max()]
    points = pd.Series(card.predict_points(latest[card.features]),
                       index=latest["customer_id"].to_numpy())
    assert points[offered].is_monotonic_increasing  # lowest score (riskiest) first
    assert points[offered[0]] == points.min()
    assert view.table.value == "" and view.figure_ is None  # nothing picked yet


def test_picking_a_customer_shows_their_dates_score_and_reasons(fitted) -> None:
    sample, card = fitted
    view = customer_history(sample, card, lang="zh")
    cid = view.customer.options[0]
    view.customer.value = cid
    mine = sample[sample["customer_id"] == cid].sort_values("as_of")
    expected = card.predict_points(mine[card.features])
    fig = view.figure_
    assert fig.data[0].name == label("points", "zh")
    assert list(fig.data[0].x) == [d.strftime("%Y-%m-%d") for d in mine["as_of"]]
    assert np.allclose(fig.data[0].y, expected)
    assert [t.name for t in fig.data[1:]] == [label(f, "zh") for f in view.features.value]
    html = view.table.value
    for d in mine["as_of"]:
        assert d.strftime("%Y-%m-%d") in html
    for key in ("points", "pd", "reason_1"):
        assert f">{label(key, 'zh')}<" in html
    reasons = card.reason_codes(mine[card.features], n=3)["reason_1"].dropna()
    assert all(label(r, "zh") in html for r in reasons)  # reasons named by their zh label
    assert not re.search(r">[A-Za-z_]{4,}<", html)  # no raw English word in a zh cell
    assert view.message.value == ""


def test_features_picker_and_unknown_customer(fitted) -> None:
    sample, card = fitted
    view = customer_history(sample, card, lang="en", features=["worst_dpd_3m"])
    assert view.features.value == ("worst_dpd_3m",)
    view.customer.value = view.customer.options[1]
    assert [t.name for t in view.figure_.data] == ["Points", "Worst dpd, last 3 months"]
    view.features.value = ("payment_ratio_3m", "utilisation")
    assert [t.name for t in view.figure_.data][1:] == [label("payment_ratio_3m", "en"),
                                                        label("utilisation", "en")]
    assert not any(CJK.search(t.name) for t in view.figure_.data)
    assert not CJK.search(view.table.value)
    view.customer.value = "C<script>"
    assert "No customer with this ID" in view.message.value
    assert "&lt;script&gt;" in view.message.value and view.table.value == ""
    controls = [view.customer.description, view.features.description]
    assert controls == [label("customer_id", "en"), label("features_shown", "en")]
    zh = customer_history(sample, card, lang="zh")
    assert all(CJK.search(c) for c in (zh.customer.description, zh.features.description))


def test_errors_name_the_problem(fitted) -> None:
    sample, card = fitted
    with pytest.raises(ParameterError, match="lang must be one of"):
        customer_history(sample, card, lang="fr")
    with pytest.raises(ParameterError, match="fitted BehaviourCard"):
        customer_history(sample, object())
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['customer_id'\]"):
        customer_history(sample.drop(columns="customer_id"), card)
    with pytest.raises(ParameterError, match="are not the card's"):
        customer_history(sample, card, features=["no_such_feature"])
    with pytest.raises(ParameterError, match="max_options must be a positive int"):
        customer_history(sample, card, max_options=0)
    with pytest.raises(ParameterError, match="no row"):
        customer_history(sample.iloc[:0], card)
