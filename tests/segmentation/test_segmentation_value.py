"""Value segments: RFM known at as_of, scores at their cut-offs, shipped value rules, k-means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import CreditkitError, ParameterError, SchemaError
from creditkit.segmentation import (
    VALUE_SEGMENTS,
    RFMKMeans,
    assign_tiers,
    load_value_rules,
    rfm_scores,
    rfm_table,
    tier_value_cross,
    value_at_risk,
    value_segments,
)

AS_OF = "2025-06-30"


def _txns(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "txn_date", "amount_minor", "currency"])
    frame["txn_date"] = pd.to_datetime(frame["txn_date"])
    return frame


def test_rfm_counts_only_what_is_known_in_the_window_and_own_currency() -> None:
    t = _txns([("a", "2024-06-30", 999, "CNY"),    # the window's first day is excluded
               ("a", "2024-07-01", 100, "CNY"),
               ("a", "2025-06-30", 300, "CNY"),    # as_of itself counts
               ("a", "2025-07-01", 5000, "CNY"),   # the future does not
               ("a", "2025-06-01", -50, "CNY"),    # a refund nets off
               ("a", "2025-06-02", 7000, "USD"),   # another currency than a's own
               ("b", "2025-01-01", 10, "CNY")])
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                              "currency": ["CNY"] * 4,
                              "open_date": pd.to_datetime(["2020-01-01"] * 3 + ["2025-07-05"])})
    before = t.copy()
    got = rfm_table(t, as_of=AS_OF, customers=customers).set_index("customer_id")
    pd.testing.assert_frame_equal(t, before)
    assert got.index.tolist() == ["a", "b", "c"]  # d opened after as_of
    assert got.loc["a", ["recency_days", "frequency", "monetary_minor"]].tolist() == [0, 3, 350]
    assert got.loc["b", "recency_days"] == 180
    assert pd.isna(got.loc["c", "recency_days"]) and got.loc["c", "frequency"] == 0
    everything = rfm_table(t.iloc[[0, 1, 2]], as_of=AS_OF, window_months=None)
    assert everything["frequency"].tolist() == [3]


def test_rfm_input_errors_name_the_fix() -> None:
    two = _txns([("a", "2025-06-01", 1, "CNY"), ("a", "2025-06-02", 1, "USD")])
    with pytest.raises(SchemaError, match=r"\['a'\] buy in several currencies; pass customers="):
        rfm_table(two, as_of=AS_OF)
    with pytest.raises(SchemaError, match=r"lack column\(s\) \['currency'\]"):
        rfm_table(two.drop(columns="currency"), as_of=AS_OF)
    for bad in (0, 1.5, True):
        with pytest.raises(ParameterError, match="window_months must be a whole number"):
            rfm_table(two, as_of=AS_OF, window_months=bad)


RFM = pd.DataFrame({"customer_id": list("abcde"), "recency_days": [5, 30, 90, 400, None],
                    "frequency": [9, 5, 2, 1, 0], "monetary_minor": [900, 500, 200, 100, 0]})
CUT = {"recency_days": [30, 90], "frequency": [2, 5], "monetary_minor": [200, 500]}


def test_fixed_cutoffs_put_a_value_on_the_edge_above_it_and_recency_in_reverse() -> None:
    got = rfm_scores(RFM, method="fixed", cutoffs=CUT)
    assert got["recency_days_score"].tolist()[:4] == [3, 2, 1, 1]
    assert pd.isna(got["recency_days_score"].iloc[4])
    assert got["frequency_score"].tolist() == [3, 3, 2, 1, 1]
    assert got["monetary_minor_score"].tolist() == [3, 3, 2, 1, 1]


def test_quantile_scores_run_from_1_to_bins_best_highest_ties_shared() -> None:
    rng = np.random.default_rng(1)
    rfm = pd.DataFrame({"recency_days": rng.integers(0, 365, 1000),
                        "frequency": rng.integers(0, 4, 1000),
                        "monetary_minor": rng.integers(0, 10**6, 1000)})
    got = rfm_scores(rfm, bins=5)
    assert sorted(got["monetary_minor_score"].unique()) == [1, 2, 3, 4, 5]
    assert got["monetary_minor_score"].value_counts().between(190, 210).all()
    best = got.loc[got["recency_days"].idxmin(), "recency_days_score"]
    assert best == 5
    assert got.groupby("frequency")["frequency_score"].nunique().eq(1).all()


def test_score_errors_name_the_fix() -> None:
    with pytest.raises(ParameterError, match="method must be 'quantile' or 'fixed'"):
        rfm_scores(RFM, method="kmeans")
    with pytest.raises(ParameterError, match="bins must be a whole number from 2 to 10"):
        rfm_scores(RFM, bins=1)
    with pytest.raises(ParameterError, match="needs cutoffs for exactly"):
        rfm_scores(RFM, method="fixed", cutoffs={"frequency": [1]})
    with pytest.raises(ParameterError, match="cutoffs of frequency must be increasing"):
        rfm_scores(RFM, method="fixed", cutoffs={**CUT, "frequency": [5, 2]})
    with pytest.raises(ParameterError, match="rfm must be a DataFrame with"):
        rfm_scores(RFM.drop(columns="frequency"))


BASE = {"customer_id": "c", "recency_days": 100, "frequency": 2, "monetary_minor": 100,
        "recency_days_score": 2, "frequency_score": 2, "monetary_minor_score": 2}
VALUE_CASES = {
    "high_value": ({"monetary_minor_score": 5, "frequency_score": 3, "recency_days_score": 3},
                   {"monetary_minor_score": 4, "frequency_score": 3, "recency_days_score": 3}),
    "potential": ({"recency_days_score": 4}, {"recency_days_score": 3}),
    "ordinary": ({}, None),
}


def test_every_shipped_value_rule_has_a_case() -> None:
    assert [r.id for r in load_value_rules().rules] == list(VALUE_CASES)


@pytest.mark.parametrize("rule_id", list(VALUE_CASES))
def test_a_customer_fires_the_value_rule_and_one_just_under_does_not(rule_id: str) -> None:
    fires, under = VALUE_CASES[rule_id]
    got = value_segments(pd.DataFrame([{**BASE, **fires}])).iloc[0]
    assert got["rule_id"] == rule_id and got["segment"] in VALUE_SEGMENTS
    if under is not None:
        assert value_segments(pd.DataFrame([{**BASE, **under}])).iloc[0]["rule_id"] != rule_id


def test_kmeans_finds_separated_groups_numbers_them_by_value_and_keeps_non_buyers_apart() -> None:
    rng = np.random.default_rng(0)
    n = 60
    rfm = pd.DataFrame({
        "recency_days": np.r_[rng.integers(1, 15, n), rng.integers(300, 360, n),
                              rng.integers(100, 150, n), [np.nan] * 5],
        "frequency": np.r_[rng.integers(30, 40, n), rng.integers(1, 2, n),
                           rng.integers(5, 8, n), [0] * 5],
        "monetary_minor": np.r_[rng.integers(10**7, 2 * 10**7, n), rng.integers(100, 500, n),
                                rng.integers(10**4, 5 * 10**4, n), [0] * 5]})
    model = RFMKMeans(k_range=(2, 3, 4, 5)).fit(rfm)
    assert model.k_ == 3
    seg = model.predict(rfm)
    assert set(seg[:n]) == {1} and set(seg[n:2 * n]) == {3} and set(seg[2 * n:3 * n]) == {2}
    assert (seg[3 * n:] == 0).all()
    prof = model.profiles_.set_index("segment")
    assert prof["customers"].sum() == len(rfm)
    assert prof.loc[1, "monetary_minor"] > prof.loc[2, "monetary_minor"] > prof.loc[3,
                                                                                  "monetary_minor"]
    assert model.silhouettes_["k"].tolist() == [2, 3, 4, 5]


def test_kmeans_errors() -> None:
    with pytest.raises(CreditkitError, match="not fitted yet: call fit\\(rfm\\) first"):
        RFMKMeans().predict(RFM)
    with pytest.raises(ParameterError, match="too few for up to 6 segments"):
        RFMKMeans().fit(RFM)
    with pytest.raises(ParameterError, match="k_range must hold whole numbers >= 2"):
        RFMKMeans(k_range=(1, 2)).fit(RFM)


def test_tier_by_value_cross_on_the_small_portfolio(small_portfolio, features_two_dates) -> None:
    feats = features_two_dates[AS_OF]
    tiers = assign_tiers(feats)
    rfm = rfm_table(small_portfolio["transactions"], as_of=AS_OF,
                    customers=small_portfolio["customers"])
    assert rfm["customer_id"].tolist() == feats["customer_id"].tolist()
    segments = value_segments(rfm_scores(rfm))
    cross = tier_value_cross(tiers, segments)
    assert int(cross.to_numpy().sum()) == len(feats)
    assert cross.index.tolist()[0] == "prime" and cross.columns.tolist()[0] == "high_value"
    risky = value_at_risk(tiers, segments)
    assert len(risky) == int(cross.loc[["high_risk", "restricted"], "high_value"].sum())
    assert {"rule_id", "values_seen"} <= set(risky.columns)
    with pytest.raises(ParameterError, match=r"have a tier or a segment but not both"):
        tier_value_cross(tiers.iloc[1:], segments)
    with pytest.raises(ParameterError, match="tiers_at_risk must be among"):
        value_at_risk(tiers, segments, tiers_at_risk=("bad",))


def test_segment_labels_in_both_languages() -> None:
    from creditkit.segmentation import segment_label

    assert [segment_label(s, "zh") for s in VALUE_SEGMENTS] == ["高价值", "潜力", "普通"]
    with pytest.raises(ParameterError, match="unknown value segment 'vip'"):
        segment_label("vip")
