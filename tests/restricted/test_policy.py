"""The restriction policy file and apply_restrictions: a restriction only tightens."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.restricted import (
    LEVELS,
    apply_restrictions,
    check_restriction_policy,
    load_restriction_policy,
)
from creditkit.restricted.policy import POLICY_COLUMNS

SHIPPED = load_restriction_policy()
HEADER = ",".join(POLICY_COLUMNS)
GOOD = ["none,1,,,0,false,,12,0.0005", "watch,0.8,,30,0,false,5000000,3,0.0005",
        "restricted,0.5,10000000,15,0.3,false,1000000,3,0.0005", "stop,0,0,0,1,true,0,1,0.0005"]


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "policy.csv"
    path.write_text("# a note\n" + HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_shipped_policy_levels_and_quarterly_reviews() -> None:
    assert SHIPPED["restriction_level"].tolist() == list(LEVELS)
    assert (SHIPPED.loc[SHIPPED["restriction_level"] != "none", "review_months"] <= 3).all()


def test_a_good_file_reads(tmp_path: Path) -> None:
    got = load_restriction_policy(write(tmp_path, GOOD))
    assert got["line"].tolist() == [3, 4, 5, 6]


@pytest.mark.parametrize(("row", "value", "message"), [
    (2, "restricted,1.5,,15,0.3,false,1000000,3,0.0005",
     r"line 5: limit_multiplier must be a decimal from 0 to 1"),
    (2, "restricted,0.5,-5,15,0.3,false,1000000,3,0.0005",
     r"line 5: limit_cap_minor must be a whole number, 0 or more"),
    (2, "restricted,0.5,10000000,15,0.3,maybe,1000000,3,0.0005",
     r"line 5: cash_before_delivery must be true or false"),
    (2, "restricted,0.5,10000000,15,0.3,false,1000000,6,0.0005",
     r"line 5: review_months 6 is out of range; a restricted customer is reviewed at least "
     r"quarterly"),
    (2, "restricted,0.9,10000000,15,0.3,false,1000000,3,0.0005",
     r"line 5: limit_multiplier of restricted is looser than that of watch"),
    (2, "restricted,0.5,10000000,45,0.3,false,1000000,3,0.0005",
     r"line 5: credit_period_days of restricted is looser"),
    (3, "stop,0,0,0,0.2,true,0,1,0.0005", r"line 6: prepayment_share of stop is looser"),
    (2, "restricted,0.5,10000000,15,0.3,false,1000000,3,5%",
     r"line 5: late_fee_daily_rate must be a daily rate"),
    (1, "severe,0.8,,30,0,false,5000000,3,0.0005",
     r"line 4: restriction_level 'severe' where 'watch' is expected"),
    (2, "restricted,0.5,10000000,15,0.3,false,1000000,3",
     r"line 5: 8 cells where the header has 9"),
])
def test_malformed_policy_names_the_line_and_fix(tmp_path: Path, row: int, value: str,
                                                 message: str) -> None:
    lines = list(GOOD)
    lines[row] = value
    with pytest.raises(ParameterError, match=message):
        load_restriction_policy(write(tmp_path, lines))


def test_missing_level_column_and_file(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="it needs one line for each of"):
        load_restriction_policy(write(tmp_path, GOOD[:3]))
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['review_months'\]"):
        check_restriction_policy(SHIPPED.drop(columns=["review_months", "line"]))
    with pytest.raises(DataReadError, match="does not exist"):
        load_restriction_policy(tmp_path / "nope.csv")
    xlsx = tmp_path / "p.csv"
    xlsx.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(DataReadError, match="Excel workbook"):
        load_restriction_policy(xlsx)


def test_limits_round_down_and_cap_and_say_why() -> None:
    customers = pd.DataFrame({"customer_id": list("abcde"),
                              "limit_minor": pd.array([1_000_001, 30_000_001, 500, None, None],
                                                      dtype="Int64"),
                              "term_days": pd.array([60, 60, 10, 30, None], dtype="Int64")})
    restricted = pd.DataFrame({"customer_id": list("abde"),
                               "restriction_level": ["watch", "restricted", "stop", "watch"],
                               "rule_ids": ["w", "r", "s", "w"]})
    out = apply_restrictions(customers, restricted).set_index("customer_id")
    assert out["effective_limit_minor"].tolist()[:3] == [800_000, 10_000_000, 500]
    assert out.loc["a", "limit_set_by"] == "level_multiplier"  # 800000.8 rounded down
    assert out.loc["b", "limit_set_by"] == "level_cap"
    assert out.loc["c", "limit_set_by"] == "scoring_policy"
    assert out.loc["d", "effective_limit_minor"] == 0
    assert out.loc["d", "limit_set_by"] == "cash_before_delivery"
    assert pd.isna(out.loc["e", "effective_limit_minor"])  # unknown base stays unknown
    assert out.loc["e", "limit_set_by"] == "unknown_base"
    assert out["credit_period_days"].tolist() == [30, 15, 10, 0, 30]
    assert out.loc["b", "rule_ids"] == "r" and out.loc["c", "restriction_level"] == "none"
    assert out.loc["b", "prepayment_share"] == pytest.approx(0.3)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ParameterError, match="integer minor units"):
        apply_restrictions(pd.DataFrame({"customer_id": ["a"], "limit_minor": [1.5]}),
                           pd.DataFrame({"customer_id": [], "restriction_level": []}))
    with pytest.raises(ParameterError, match="repeat"):
        apply_restrictions(pd.DataFrame({"customer_id": ["a", "a"], "limit_minor": [1, 2]}),
                           pd.DataFrame({"customer_id": [], "restriction_level": []}))
    with pytest.raises(ParameterError, match="unknown restriction level"):
        apply_restrictions(pd.DataFrame({"customer_id": ["a"], "limit_minor": [1]}),
                           pd.DataFrame({"customer_id": ["a"], "restriction_level": ["red"]}))


multipliers = st.sampled_from(["0", "0.1", "0.33", "0.5", "0.75", "0.999", "1"])


@settings(max_examples=60, deadline=None)
@given(limits=st.lists(st.integers(0, 10**15), min_size=1, max_size=20),
       terms=st.lists(st.one_of(st.none(), st.integers(0, 365)), min_size=20, max_size=20),
       levels=st.lists(st.sampled_from(LEVELS), min_size=20, max_size=20),
       mults=st.lists(multipliers, min_size=3, max_size=3),
       caps=st.lists(st.one_of(st.none(), st.integers(0, 10**13)), min_size=3, max_size=3),
       periods=st.lists(st.one_of(st.none(), st.integers(0, 90)), min_size=3, max_size=3))
def test_restriction_never_loosens_the_scoring_policy(limits, terms, levels, mults, caps,
                                                      periods) -> None:
    # a policy is valid only if severe levels are not looser: sort the draws accordingly
    mults = sorted(mults, key=float, reverse=True)
    caps = sorted(caps, key=lambda c: float("inf") if c is None else c, reverse=True)
    periods = sorted(periods, key=lambda c: float("inf") if c is None else c, reverse=True)
    policy = SHIPPED.drop(columns="line").astype(object)
    for i in range(1, len(LEVELS)):
        policy.loc[i, ["limit_multiplier", "limit_cap_minor", "credit_period_days"]] = [
            mults[i - 1], "" if caps[i - 1] is None else caps[i - 1],
            "" if periods[i - 1] is None else periods[i - 1]]
    policy = check_restriction_policy(policy)
    n = len(limits)
    customers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)],
                              "limit_minor": pd.array(limits, dtype="Int64"),
                              "term_days": pd.array(terms[:n], dtype="Int64")})
    restricted = pd.DataFrame({"customer_id": customers["customer_id"],
                               "restriction_level": levels[:n]})
    out = apply_restrictions(customers, restricted, policy)
    eff = out["effective_limit_minor"].astype("Int64")
    assert (eff <= customers["limit_minor"]).all()
    assert (eff >= 0).all()
    base_t, t = customers["term_days"], out["credit_period_days"].astype("Int64")
    both = base_t.notna() & t.notna()
    assert (t[both] <= base_t[both]).all()
    assert (t.notna() | base_t.isna()).all()  # a known term never becomes unknown
    none = out["restriction_level"] == "none"
    assert (eff[none] == customers["limit_minor"][none]).all()
