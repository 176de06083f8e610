"""Credit tiers: each shipped rule fires on a hand-made customer, and not just under it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.segmentation import (
    TIERS,
    assign_tiers,
    load_tier_rules,
    tier_counts,
    tier_label,
)

#: A customer no rule but the catch-all places: B card, middling pd, never late.
BASE = {"customer_id": "c", "written_off_minor": 0, "dpd": 0, "worst_dpd_12m": 0,
        "scorecard": "B", "pd": 0.05, "utilisation": 0.5, "broken_promises": pd.NA}

# rule id -> (changes that fire it, changes just under its threshold)
CASES = {
    "restricted_write_off": ({"written_off_minor": 1}, {"written_off_minor": 0}),
    "restricted_dpd_90": ({"dpd": 90, "worst_dpd_12m": 90, "scorecard": "C", "pd": 0.9},
                          {"dpd": 89, "worst_dpd_12m": 89, "scorecard": "C", "pd": 0.9}),
    "high_risk_dpd_30": ({"dpd": 30, "worst_dpd_12m": 30, "scorecard": "C", "pd": 0.2},
                         {"dpd": 29, "worst_dpd_12m": 29, "scorecard": "C", "pd": 0.2}),
    "high_risk_history": ({"worst_dpd_12m": 60}, {"worst_dpd_12m": 59}),
    "high_risk_not_curing": ({"dpd": 5, "worst_dpd_12m": 5, "scorecard": "C", "pd": 0.5},
                             {"dpd": 5, "worst_dpd_12m": 5, "scorecard": "C", "pd": 0.4999}),
    "high_risk_score": ({"pd": 0.10}, {"pd": 0.0999}),
    "high_risk_over_limit": ({"utilisation": 1.0001}, {"utilisation": 1.0}),
    "high_risk_promises": ({"broken_promises": 2}, {"broken_promises": 1}),
    "prime": ({"pd": 0.03, "utilisation": 0.8}, {"pd": 0.0301, "utilisation": 0.8}),
    "standard": ({}, None),
}


def _frame(changes: dict) -> pd.DataFrame:
    row = {**BASE, **changes}
    frame = pd.DataFrame([row])
    frame["broken_promises"] = frame["broken_promises"].astype("Int64")
    return frame


def test_every_shipped_tier_rule_has_a_case() -> None:
    assert [r.id for r in load_tier_rules().rules] == list(CASES)


@pytest.mark.parametrize("rule_id", list(CASES))
def test_a_customer_fires_the_rule_and_one_just_under_does_not(rule_id: str) -> None:
    rule = {r.id: r for r in load_tier_rules().rules}[rule_id]
    fires, under = CASES[rule_id]
    got = assign_tiers(_frame(fires)).iloc[0]
    assert got["rule_id"] == rule_id
    assert got["tier"] == rule.outputs["tier"]
    for cond in rule.conditions:  # the values the rule saw are the customer's
        assert f"{cond.field}=" in got["values_seen"]
    if under is not None:
        assert assign_tiers(_frame(under)).iloc[0]["rule_id"] != rule_id


@pytest.mark.parametrize("changes", [{"worst_dpd_12m": 1}, {"utilisation": 0.81},
                                     {"utilisation": float("nan")}, {"scorecard": "C"}])
def test_prime_needs_every_condition(changes: dict) -> None:
    got = assign_tiers(_frame({"pd": 0.02, **changes})).iloc[0]
    assert got["tier"] != "prime"


def test_the_first_matching_rule_wins() -> None:
    got = assign_tiers(_frame({"written_off_minor": 500, "dpd": 120, "worst_dpd_12m": 120,
                               "scorecard": "C", "pd": 1.0})).iloc[0]
    assert (got["tier"], got["rule_id"]) == ("restricted", "restricted_write_off")
    assert got["values_seen"] == "written_off_minor=500"


def test_on_the_small_portfolio_everyone_is_placed_once(features_two_dates) -> None:
    feats = features_two_dates["2025-06-30"]
    before = feats.copy()
    tiers = assign_tiers(feats)
    pd.testing.assert_frame_equal(feats, before)
    assert tiers["customer_id"].tolist() == feats["customer_id"].tolist()
    assert tiers["tier"].isin(TIERS).all() and tiers["rule_id"].notna().all()
    counts = tier_counts(tiers, balances=feats)
    assert counts["customers"].sum() == len(feats)
    assert counts["outstanding_minor"].sum() == feats["outstanding_minor"].sum()
    # the tiers follow the book: who is 90+ dpd today is restricted
    late = feats["dpd"] >= 90
    assert (tiers.loc[late.to_numpy(), "tier"] == "restricted").all()


def test_an_analysts_own_rule_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("id,field,op,value,tier\nlate,dpd,>=,1,high_risk\nok,,,,prime\n",
                    encoding="utf-8")
    frame = pd.concat([_frame({"dpd": 1}), _frame({"customer_id": "d"})], ignore_index=True)
    assert assign_tiers(frame, path)["tier"].tolist() == ["high_risk", "prime"]


def test_bad_tier_rules_and_features_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,field,op,value,tier\nlate,days_past_due,>=,1,high_risk\nok,,,,prime\n",
                    encoding="utf-8")
    with pytest.raises(ParameterError, match=r"t\.csv, line 2 \(rule 'late'\): unknown field "
                                             r"'days_past_due'; valid fields: .*'dpd'"):
        assign_tiers(_frame({}), path)
    with pytest.raises(ParameterError, match="a customer_id column"):
        assign_tiers(pd.DataFrame({"dpd": [1]}))
    with pytest.raises(ParameterError, match=r"repeat customer\(s\) \['c'\]"):
        assign_tiers(pd.concat([_frame({}), _frame({})]))
    with pytest.raises(ParameterError, match=r"rule 'restricted_write_off'.*written_off_minor"):
        assign_tiers(pd.DataFrame({"customer_id": ["a"], "dpd": [1]}))


def test_tier_labels_in_both_languages() -> None:
    assert [tier_label(t, "zh") for t in TIERS] == ["优质", "普通", "高风险", "限制类"]
    assert tier_label("prime", "en") == "Prime"
    with pytest.raises(ParameterError, match="unknown tier 'gold'"):
        tier_label("gold")
