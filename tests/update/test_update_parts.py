"""The parts of the update and the store readers: their errors name the problem and the fix."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.exceptions import DataReadError, ParameterError, SchemaError
from creditkit.store import credit_file, portfolio_at, snapshot_frame, write_snapshot
from creditkit.update import (
    compare_snapshots,
    find_inputs,
    load_review_policy,
    resolve_artefacts,
    reviews_due,
    update,
)


@pytest.mark.parametrize(("text", "match"), [
    ("tier,months\nprime,12\n", "line 1: the columns must be tier,every_months"),
    ("tier,every_months\nprime,12\nprime,6\n", "line 3: tier 'prime' appears twice"),
    ("tier,every_months\nhigh_risk,0\n", "line 2: every_months must be a whole number"),
    ("tier,every_months\nhigh_risk,3.5\n", "line 2: every_months must be a whole number"),
    ("tier,every_months\ngold,3\n", "line 2: unknown tier 'gold'"),
])
def test_review_policy_errors_name_the_line(tmp_path, text, match):
    path = tmp_path / "policy.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=rf"policy\.csv {match}"):
        load_review_policy(path)
    with pytest.raises(ParameterError, match="does not exist"):
        load_review_policy(tmp_path / "none.csv")


def test_reviews_due_takes_the_shortest_interval_and_the_last_review():
    snap = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                         "tier": ["prime", "prime", "standard", "high_risk"],
                         "restriction_level": [None, "stop_new_credit", None, None]})
    rev = pd.DataFrame({"customer_id": ["a", "b", "c", "c"], "review_date": pd.to_datetime(
        ["2025-01-31", "2025-01-31", "2024-03-31", "2025-07-15"])})  # c's 2nd is in the future
    cust = pd.DataFrame({"customer_id": list("abcd"),
                         "open_date": pd.to_datetime(["2024-01-01"] * 3 + ["2025-05-01"])})
    due = reviews_due(snap, as_of="2025-06-30", policy=load_review_policy(), reviews=rev,
                      customers=cust)
    got = due.set_index("customer_id")
    assert sorted(got.index) == ["b", "c"]  # a: yearly, not yet; d: opened 2 months ago
    assert got.loc["b", "every_months"] == 3 and got.loc["b", "reason"] == "review_due"
    assert str(got.loc["c", "due_date"].date()) == "2025-03-31"


def test_find_inputs_errors(tmp_path):
    with pytest.raises(DataReadError, match="is not a folder"):
        find_inputs(tmp_path / "none")
    (tmp_path / "readme.md").write_text("x")
    with pytest.raises(DataReadError, match=r"no export in .*customers\*\.csv"):
        find_inputs(tmp_path)
    (tmp_path / "回款_7月.xlsx").write_bytes(b"")
    assert [p.name for p in find_inputs(tmp_path)["payments"]] == ["回款_7月.xlsx"]


def test_readers_name_what_is_missing(tmp_path):
    path = tmp_path / "s.duckdb"
    write_snapshot(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30")
    with pytest.raises(DataReadError, match=r"no snapshot of 2025-05-31 .*\['2025-06-30'\]"):
        portfolio_at(path, "2025-05-31")
    with pytest.raises(DataReadError, match=r"customer 'c1' has no snapshot.*case-sensitive"):
        credit_file(path, "c1")
    with pytest.raises(ParameterError, match=r"customer_id must be a non-empty text"):
        credit_file(path, 1)
    with pytest.raises(DataReadError, match=r"no creditkit store"):
        portfolio_at(tmp_path / "none.duckdb", "2025-06-30")
    with pytest.raises(DataReadError, match=r"no creditkit store.*creditkit generate"):
        update(tmp_path / "none.duckdb", as_of="2025-06-30")


def test_snapshot_frame_and_compare_refuse_what_is_not_a_snapshot():
    with pytest.raises(SchemaError, match=r"repeats customer\(s\) \['C1'\]"):
        snapshot_frame(pd.DataFrame({"customer_id": ["C1", "C1"]}), as_of="2025-06-30")
    with pytest.raises(SchemaError, match="a snapshot is a DataFrame with a customer_id"):
        snapshot_frame(pd.DataFrame({"id": [1]}), as_of="2025-06-30")
    with pytest.raises(ParameterError, match="a must be the snapshot of one date"):
        compare_snapshots(pd.DataFrame({"customer_id": ["x"]}), pd.DataFrame())


def test_artefact_options_are_checked(tmp_path):
    path = tmp_path / "s.duckdb"
    write_snapshot(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30")
    with pytest.raises(ParameterError, match=r"unknown artefact kind\(s\) \['tiers'\]"):
        resolve_artefacts(path, {"tiers": "x.csv"}, tmp_path)
    with pytest.raises(DataReadError, match=r"tier_rules file .* does not exist"):
        resolve_artefacts(path, {"tier_rules": tmp_path / "x.csv"}, tmp_path)


def test_level_none_is_not_a_restriction():
    a = pd.DataFrame({"as_of": pd.Timestamp("2025-05-31"), "customer_id": ["x", "y", "z"],
                      "tier": "standard", "score": 600.0, "limit_minor": 100,
                      "restriction_level": ["none", "watch", None]})
    b = a.assign(as_of=pd.Timestamp("2025-06-30"), restriction_level=["watch", "none", "none"])
    c = compare_snapshots(a, b)
    assert c.new_restrictions["customer_id"].tolist() == ["x"]
    assert c.cleared_restrictions["customer_id"].tolist() == ["y"]
    s = c.summary.set_index("figure")
    assert (s.loc["restricted", "a"], s.loc["restricted", "b"]) == (1, 1)
    due = reviews_due(b.assign(tier="prime"), as_of="2025-06-30", policy=load_review_policy(),
                      customers=pd.DataFrame({"customer_id": ["x", "y", "z"], "open_date":
                                              pd.to_datetime(["2025-01-31"] * 3)}))
    assert due["customer_id"].tolist() == ["x"]  # only the watched one is quarterly
