"""Limits and terms: table-driven decisions, integer money, rating overrides, errors."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.scoring.policy import (
    RATING_SCALE,
    apply_policy,
    assign_grades,
    check_policy,
    grade_table,
    load_policy,
    rating_to_ordinal,
)

POLICY_CSV = """\
kind,grade,min_score,limit_basis,multiple,credit_period_days,cap_minor,\
term_months,term_days,prepayment,restricted
consumer,A,640,income,3,,5000000,24,,false,false
consumer,B,600,income,2.5,,3000000,12,,false,false
consumer,D,540,purchases,0.5,,500000,3,,false,false
consumer,E,-inf,none,0,,0,,,false,true
business,A,640,sales,1,60,200000000,,60,false,false
business,B,600,sales,0.7,45,100000000,,45,false,false
business,C,560,sales,0,0,0,,0,true,false
business,D,-inf,none,0,,0,,,false,true
"""


@pytest.fixture
def policy() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(POLICY_CSV), dtype=str, keep_default_na=False)


# (kind, score, income, purchases, sales, grade, decision, reason, limit, term_m, term_d)
CASES = [
    ("consumer", 700, 1_000_000, 0, 0, "A", "approve", "limit_by_policy", 3_000_000, 24, None),
    ("consumer", 640, 2_000_001, 0, 0, "A", "approve", "limit_capped", 5_000_000, 24, None),
    ("consumer", 639.99, 1_000_001, 0, 0, "B", "approve", "limit_by_policy", 2_500_002, 12, None),
    ("consumer", 600, 333, 0, 0, "B", "approve", "limit_by_policy", 832, 12, None),  # 832.5 ↓
    ("consumer", 560, 0, 90_001, 0, "D", "approve", "limit_by_policy", 45_000, 3, None),
    ("consumer", 539, 9_000_000, 0, 0, "E", "decline", "restricted_grade", 0, None, None),
    # B2B: sales × days / 30 × coefficient = 3,000,000 × 60/30 × 1
    ("business", 650, 0, 0, 3_000_000, "A", "approve", "limit_by_policy", 6_000_000, None, 60),
    # 1,000,001 × 45/30 × 0.7 = 1,050,001.05 → 1,050,001
    ("business", 600, 0, 0, 1_000_001, "B", "approve", "limit_by_policy", 1_050_001, None, 45),
    ("business", 599, 0, 0, 5_000_000, "C", "prepayment", "prepayment_grade", 0, None, 0),
    ("business", 100, 0, 0, 5_000_000, "D", "decline", "restricted_grade", 0, None, None),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_policy_table_decisions(policy, case):
    kind, score, inc, pur, sal, grade, decision, reason, limit, tm, td = case
    apps = pd.DataFrame({"score": [score], "kind": [kind], "monthly_income_minor": [inc],
                         "avg_monthly_purchases_minor": [pur], "avg_monthly_sales_minor": [sal]})
    out = apply_policy(apps, policy).iloc[0]
    assert (out["grade"], out["decision"], out["reason"]) == (grade, decision, reason)
    assert out["limit_minor"] == limit
    assert (None if pd.isna(out["term_months"]) else out["term_months"]) == tm
    assert (None if pd.isna(out["term_days"]) else out["term_days"]) == td


def test_vectorised_over_many_rows_keeps_the_index(policy):
    apps = pd.DataFrame({"score": [700.0, 500.0] * 500, "kind": ["consumer", "business"] * 500,
                         "monthly_income_minor": [100] * 1000,
                         "avg_monthly_purchases_minor": [0] * 1000,
                         "avg_monthly_sales_minor": [0] * 1000},
                        index=[f"id{i}" for i in range(1000)])
    out = apply_policy(apps, policy)
    assert out.index.equals(apps.index)
    assert str(out["limit_minor"].dtype) == "Int64"
    assert out["decision"].value_counts().to_dict() == {"approve": 500, "decline": 500}


def test_step_rounds_limits_down(policy):
    apps = pd.DataFrame({"score": [700], "kind": ["consumer"], "monthly_income_minor": [123_456]})
    out = apply_policy(apps, policy, purchases_col=None, sales_col=None, step_minor=10_000)
    assert out["limit_minor"].iloc[0] == 370_000  # 370,368 down to a 100-yuan step


def test_missing_basis_refers(policy):
    apps = pd.DataFrame({"score": [700], "kind": ["consumer"],
                         "monthly_income_minor": pd.array([None], dtype="Int64")})
    out = apply_policy(apps, policy, purchases_col=None, sales_col=None).iloc[0]
    assert (out["decision"], out["reason"], out["limit_minor"]) == ("refer", "missing_basis", 0)


def test_rating_below_floor_declines_whatever_the_score(policy):
    apps = pd.DataFrame({"score": [700, 700, 700], "kind": ["consumer"] * 3,
                         "monthly_income_minor": [100_000] * 3, "rating": ["BB", "CCC", None]})
    out = apply_policy(apps, policy, rating_col="rating", min_rating="B",
                       purchases_col=None, sales_col=None)
    assert out["decision"].tolist() == ["approve", "decline", "approve"]
    assert out["reason"].tolist()[1] == "rating_below_floor"
    assert out["limit_minor"].tolist() == [300_000, 0, 300_000]


def test_rating_to_ordinal():
    assert rating_to_ordinal(["AAA", "C", "bbb", "Z"]).tolist() == [1, len(RATING_SCALE), 4,
                                                                     pd.NA]
    assert rating_to_ordinal(["x", "y"], scale=["Y", "X"]).tolist() == [2, 1]


def test_shipped_policy_loads_and_applies():
    pol = load_policy()
    assert set(pol["kind"]) == {"consumer", "business"}
    apps = pd.DataFrame({"score": [650.0], "kind": ["business"], "avg_monthly_sales_minor": [10]})
    assert apply_policy(apps, income_col=None, purchases_col=None)["grade"].iloc[0] == "A"


def test_inputs_not_mutated(policy):
    apps = pd.DataFrame({"score": [700], "kind": ["consumer"], "monthly_income_minor": [100]})
    a0, p0 = apps.copy(), policy.copy()
    apply_policy(apps, policy, purchases_col=None, sales_col=None)
    pd.testing.assert_frame_equal(apps, a0)
    pd.testing.assert_frame_equal(policy, p0)


def _edit(policy, col, value, row=0):
    out = policy.copy()
    out.loc[row, col] = value
    return out


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda p: p.drop(columns="cap_minor"), r"policy lacks column\(s\) \['cap_minor'\]"),
        (lambda p: _edit(p, "kind", "robot"), "policy kind must be one of"),
        (lambda p: _edit(p, "min_score", "high"), "min_score must be numbers"),
        (lambda p: _edit(p, "limit_basis", "wealth"), "limit_basis must be one of"),
        (lambda p: _edit(p, "multiple", "two"), "exact decimal"),
        (lambda p: _edit(p, "multiple", "-1"), "multiple must be >= 0"),
        (lambda p: _edit(p, "cap_minor", "1.5"), "whole numbers"),
        (lambda p: _edit(p, "prepayment", "maybe"), "true/false"),
        (lambda p: _edit(p, "min_score", "500"), "strictly decreasing min_score"),
    ],
)
def test_bad_policy_raises(policy, edit, match):
    with pytest.raises(ParameterError, match=match):
        check_policy(edit(policy))


@pytest.mark.parametrize(
    ("apps", "kwargs", "match"),
    [
        ({"kind": ["consumer"]}, {}, r"column 'score' \(score\) not in applicants"),
        ({"score": [None], "kind": ["consumer"]}, {}, "have no score"),
        ({"score": [700], "kind": ["alien"]}, {}, r"kinds \['alien'\] have no rows"),
        ({"score": [700], "kind": ["consumer"], "monthly_income_minor": [1.5]}, {},
         "integer minor units"),
        ({"score": [700], "kind": ["consumer"]}, {"income_col": None}, "income_col is None"),
        ({"score": [700], "kind": ["consumer"], "monthly_income_minor": [1]},
         {"step_minor": 0}, "step_minor must be a positive integer"),
        ({"score": [700], "kind": ["consumer"], "monthly_income_minor": [1], "r": ["A"]},
         {"rating_col": "r", "min_rating": "Q"}, "not on the scale"),
    ],
)
def test_bad_applicants_raise(policy, apps, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        apply_policy(pd.DataFrame(apps), policy, **kwargs)


def test_score_below_every_grade_raises(policy):
    pol = policy[policy["min_score"] != "-inf"].reset_index(drop=True)
    apps = pd.DataFrame({"score": [1], "kind": ["consumer"], "monthly_income_minor": [1]})
    with pytest.raises(ParameterError, match="below every grade"):
        apply_policy(apps, pol)


def test_grades_and_grade_table(policy):
    assert assign_grades([700, 600, 599.5, 0], "business", policy).tolist() == ["A", "B", "C", "D"]
    tab = grade_table([0, 1, 0, 1], [700, 610, 605, 0], "consumer", policy)
    assert tab["grade"].tolist() == ["A", "B", "E"]
    assert tab["count"].tolist() == [1, 2, 1] and tab["bad_rate"].tolist() == [0.0, 0.5, 1.0]
    with pytest.raises(ParameterError, match="kind 'robot' has no rows"):
        assign_grades([1], "robot", policy)


def test_bureau_score_floor_declines(policy):
    apps = pd.DataFrame({"score": [700, 700, 700], "kind": ["consumer"] * 3,
                         "monthly_income_minor": [100_000] * 3, "bureau": [480, 620, None]})
    out = apply_policy(apps, policy, bureau_col="bureau", min_bureau_score=500,
                       purchases_col=None, sales_col=None)
    assert out["decision"].tolist() == ["decline", "approve", "approve"]
    assert out["reason"].iloc[0] == "bureau_below_floor"
    with pytest.raises(ParameterError, match="needs min_bureau_score"):
        apply_policy(apps, policy, bureau_col="bureau", purchases_col=None, sales_col=None)


# --- hardening (#7): policy files as users save them -----------------------------------------
def _write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_gbk_and_gb18030_policy_files_are_read(tmp_path):
    text = POLICY_CSV.replace("restricted\n", "restricted,备注\n", 1).replace(
        "false,false\n", "false,false,优质客户\n")
    want = check_policy(pd.read_csv(io.StringIO(POLICY_CSV), dtype=str, keep_default_na=False))
    for enc in ("gbk", "gb18030", "utf-8-sig"):
        got = load_policy(_write(tmp_path, f"p_{enc}.csv", text.encode(enc)))
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(("data", "match"), [
    (b"", "is empty"),
    (POLICY_CSV.splitlines()[0].encode() + b"\n", "header but no rows"),
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, r"Excel workbook.*save as 'CSV UTF-8'"),
])
def test_unreadable_policy_files_name_the_problem_and_the_fix(tmp_path, data, match):
    from creditkit.exceptions import DataReadError

    with pytest.raises(DataReadError, match=match):
        load_policy(_write(tmp_path, "policy.csv", data))


def test_missing_policy_file_names_the_path(tmp_path):
    from creditkit.exceptions import CreditkitError

    with pytest.raises(CreditkitError, match=r"nope\.csv.*does not exist"):
        load_policy(tmp_path / "nope.csv")


@pytest.mark.parametrize("cap", ["99999999999999999999", "9223372036854775808",
                                 "-9223372036854775809"])
def test_cap_past_int64_is_refused_with_its_line(tmp_path, cap):
    lines = POLICY_CSV.splitlines()
    lines[3] = lines[3].replace("500000", cap, 1)
    with pytest.raises(ParameterError, match=r"cap_minor.*line\(s\) \[4\].*int64"):
        load_policy(_write(tmp_path, "p.csv", "\n".join(lines).encode()))


def test_int64_max_cap_is_kept_exactly(tmp_path):
    lines = POLICY_CSV.splitlines()
    lines[1] = lines[1].replace("5000000", "9223372036854775807", 1)
    got = load_policy(_write(tmp_path, "p.csv", "\n".join(lines).encode()))
    assert got.loc[0, "cap_minor"] == 2**63 - 1


def test_bad_values_name_their_csv_line(tmp_path):
    lines = POLICY_CSV.splitlines()
    lines[5] = lines[5].replace("business", "retail", 1)
    with pytest.raises(ParameterError, match=r"retail.*line\(s\) \[6\]"):
        load_policy(_write(tmp_path, "p.csv", "\n".join(lines).encode()))


def test_a_binary_policy_file_is_told_to_be_saved_as_csv(tmp_path):
    from creditkit.exceptions import DataReadError

    with pytest.raises(DataReadError, match=r"not text in UTF-8 or GB18030.*CSV UTF-8") as err:
        load_policy(_write(tmp_path, "p.csv", bytes(range(128, 256)) * 4))
    assert "encoding=" not in str(err.value)  # load_policy has no encoding to pass
