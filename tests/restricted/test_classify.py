"""Restriction levels: each shipped rule fires on a hand-made customer and not just under it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.restricted import (
    LEVELS,
    load_restriction_rules,
    restricted_customers,
    restriction_features,
)

#: A customer no shipped rule matches: B card, low pd, never late, nothing unusual.
BASE = {"customer_id": "c", "has_write_off": False, "dpd": 0, "worst_dpd_12m": 0,
        "scorecard": "B", "points": 600.0, "pd": 0.05, "broken_promises": pd.NA,
        "external_rating": "A", "industry": "retail", "region": "north"}
EXTRA = {"returned_debits": pd.NA, "legal_dispute": pd.NA, "industry_risk": pd.NA,
         "region_risk": pd.NA}

# rule id -> (level, changes that fire it, changes just under its threshold)
CASES = {
    "stop_write_off": ("stop", {"has_write_off": True}, {"has_write_off": False}),
    "stop_dpd_90": ("stop", {"dpd": 90, "worst_dpd_12m": 90}, {"dpd": 89, "worst_dpd_12m": 89}),
    "stop_legal_dispute": ("stop", {"legal_dispute": True}, {"legal_dispute": False}),
    "restricted_dpd_60": ("restricted", {"dpd": 60, "worst_dpd_12m": 60},
                          {"dpd": 59, "worst_dpd_12m": 59}),
    "restricted_history": ("restricted", {"worst_dpd_12m": 90}, {"worst_dpd_12m": 89}),
    "restricted_promises": ("restricted", {"broken_promises": 2}, {"broken_promises": 1}),
    "restricted_debits": ("restricted", {"returned_debits": 3}, {"returned_debits": 2}),
    "restricted_rating": ("restricted", {"external_rating": "CCC"}, {"external_rating": "B"}),
    "restricted_not_curing": ("restricted", {"dpd": 5, "worst_dpd_12m": 5, "scorecard": "C",
                                             "pd": 0.7},
                              {"dpd": 5, "worst_dpd_12m": 5, "scorecard": "C", "pd": 0.6999}),
    "watch_dpd_30": ("watch", {"dpd": 30, "worst_dpd_12m": 30}, {"dpd": 29, "worst_dpd_12m": 29}),
    "watch_history": ("watch", {"worst_dpd_12m": 60}, {"worst_dpd_12m": 59}),
    "watch_score": ("watch", {"pd": 0.2}, {"pd": 0.1999}),
    "watch_debits": ("watch", {"returned_debits": 1}, {"returned_debits": 0}),
    "watch_rating": ("watch", {"external_rating": "B"}, {"external_rating": "BB"}),
    "watch_industry": ("watch", {"industry_risk": "high"}, {"industry_risk": "medium"}),
    "watch_region": ("watch", {"region_risk": "high"}, {"region_risk": "low"}),
    "watch_unscored_late": ("watch", {"points": None, "pd": None, "scorecard": None, "dpd": 1,
                                      "worst_dpd_12m": 1},
                            {"points": None, "pd": None, "scorecard": None}),
}


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame([{**BASE, **EXTRA, **r, "customer_id": f"c{i}"} for i, r in
                        enumerate(rows)])
    out["points"] = out["points"].astype("float64")
    out["pd"] = out["pd"].astype("float64")
    for col in ("broken_promises", "returned_debits"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    out["legal_dispute"] = pd.array(out["legal_dispute"].tolist(), dtype="boolean")
    for col in ("scorecard", "industry_risk", "region_risk", "external_rating"):
        out[col] = out[col].astype("string")
    return out


def test_every_shipped_rule_has_a_case() -> None:
    assert {r.id for r in load_restriction_rules().rules} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_and_not_just_under(rule_id: str) -> None:
    level, fire, under = CASES[rule_id]
    got = restricted_customers(frame([fire, under]), as_of="2025-06-30")
    first = got[got["customer_id"] == "c0"].iloc[0]
    assert rule_id in first["rule_ids"].split("|")
    assert LEVELS.index(first["restriction_level"]) >= LEVELS.index(level)
    second = got[got["customer_id"] == "c1"]
    assert second.empty or rule_id not in second.iloc[0]["rule_ids"].split("|")


def test_nobody_matching_is_not_listed() -> None:
    assert restricted_customers(frame([{}]), as_of="2025-06-30").empty


def test_level_is_the_most_severe_and_every_reason_is_listed() -> None:
    got = restricted_customers(frame([{"dpd": 95, "worst_dpd_12m": 95, "external_rating": "B"}]),
                               as_of="2025-06-30").iloc[0]
    assert got["restriction_level"] == "stop"
    assert got["rule_ids"].split("|") == ["stop_dpd_90", "restricted_dpd_60",
                                          "restricted_history", "watch_dpd_30",
                                          "watch_history", "watch_rating"]
    assert got["reasons_zh"].count("；") == 5 and got["reasons_en"].count("; ") == 5
    assert "外部评级为B级" in got["reasons_zh"] and "External rating B" in got["reasons_en"]
    assert "dpd=95" in got["values_seen"]


def test_missing_extra_fields_match_no_condition() -> None:
    features = frame([{}]).drop(columns=list(EXTRA))
    out = restriction_features(features)
    assert out[list(EXTRA)].isna().all().all()
    assert restricted_customers(out, as_of="2025-06-30").empty


def test_extra_fields_and_risk_maps_reach_the_rules() -> None:
    features = frame([{}, {}]).drop(columns=list(EXTRA))
    extra = pd.DataFrame({"customer_id": ["c0"], "legal_dispute": [True]})
    out = restriction_features(features, extra, region_risk={"north": "high"})
    got = restricted_customers(out, as_of="2025-06-30").set_index("customer_id")
    assert got.loc["c0", "restriction_level"] == "stop"
    assert got.loc["c1", "rule_ids"] == "watch_region"


def test_bad_extra_is_refused() -> None:
    features = frame([{}]).drop(columns=list(EXTRA))
    with pytest.raises(ParameterError, match="true/false"):
        restriction_features(features, pd.DataFrame({"customer_id": ["c0"],
                                                     "legal_dispute": ["maybe"]}))
    with pytest.raises(ParameterError, match="one row per customer"):
        restriction_features(features, pd.DataFrame({"customer_id": ["c0", "c0"]}))


def test_changes_since_the_previous_evaluation_and_dates_carried() -> None:
    late = {"dpd": 35, "worst_dpd_12m": 35}
    first = restricted_customers(frame([late, late, late, late, {}]), as_of="2025-05-31")
    assert (first["change"] == "entered").all() and len(first) == 4
    second_rows = [late,                                  # c0 unchanged
                   {"dpd": 65, "worst_dpd_12m": 65},      # c1 up to restricted
                   {},                                    # c2 left
                   {**late, "external_rating": "B"},      # c3 more reasons, same level
                   late]                                  # c4 entered
    second = restricted_customers(frame(second_rows), as_of="2025-06-30", previous=first)
    by = second.set_index("customer_id")
    assert by["change"].to_dict() == {"c0": "unchanged", "c1": "level_up", "c2": "left",
                                      "c3": "reasons_changed", "c4": "entered"}
    day1, day2 = pd.Timestamp("2025-05-31"), pd.Timestamp("2025-06-30")
    assert by.loc["c0", "entered_on"] == day1 and by.loc["c0", "level_since"] == day1
    assert by.loc["c1", "entered_on"] == day1 and by.loc["c1", "level_since"] == day2
    assert by.loc["c4", "entered_on"] == day2
    assert by.loc["c2", "restriction_level"] == "none" and pd.isna(by.loc["c2", "entered_on"])
    third = restricted_customers(frame([late]), as_of="2025-07-31", previous=second)
    assert third.set_index("customer_id").loc["c0", "entered_on"] == day1
    down = restricted_customers(frame([late]), as_of="2025-07-31",
                                previous=second[second["customer_id"] == "c1"]
                                .assign(customer_id="c0"))
    assert down.iloc[0]["change"] == "level_down"


def test_a_bad_previous_is_refused() -> None:
    with pytest.raises(ParameterError, match="earlier restricted_customers"):
        restricted_customers(frame([{}]), as_of="2025-06-30",
                             previous=pd.DataFrame({"customer_id": ["a"]}))


def test_repeated_customers_are_refused() -> None:
    with pytest.raises(ParameterError, match="repeat"):
        restricted_customers(pd.concat([frame([{}]), frame([{}])]), as_of="2025-06-30")


@pytest.mark.parametrize(("line", "cells", "message"), [
    (3, "x,,dpd,>=,30,severe,a,b", r"line 3 \(rule 'x'\): unknown restriction_level 'severe'; "
                                   r"use one of \['watch', 'restricted', 'stop'\]"),
    (3, "x,,dpd_today,>=,30,watch,a,b", r"line 3 \(rule 'x'\): unknown field 'dpd_today'; "
                                        r"valid fields: .*returned_debits"),
    (3, "x,,dpd,>=,thirty,watch,a,b", r"line 3 \(rule 'x'\): threshold 'thirty' .* write a "
                                      r"plain number"),
    (3, "x,,dpd,>=,30,watch,,b", r"line 3 \(rule 'x'\): no description_zh"),
    (3, "x,,legal_dispute,>=,1,stop,a,b", r"line 3 \(rule 'x'\): field 'legal_dispute' holds "
                                          r"flag"),
])
def test_malformed_rule_file_names_the_line_and_fix(tmp_path: Path, line: int, cells: str,
                                                    message: str) -> None:
    header = "id,match,field,op,value,restriction_level,description_zh,description_en"
    path = tmp_path / "rules.csv"
    path.write_text(f"{header}\nok,,dpd,>=,90,stop,逾期,late\n{cells}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_restriction_rules(path)


def test_shipped_rules_on_generator_data(small_portfolio) -> None:
    from creditkit.segmentation import customer_features

    f = restriction_features(customer_features(small_portfolio, as_of="2025-06-30"))
    got = restricted_customers(f, as_of="2025-06-30")
    assert set(got["restriction_level"]) <= set(LEVELS[1:])
    assert got["customer_id"].is_unique and len(got) < len(f)
    # a customer 90+ days late today is at stop
    late = set(f.loc[f["dpd"] >= 90, "customer_id"])
    assert late and late <= set(got.loc[got["restriction_level"] == "stop", "customer_id"])
