"""Tier migration: rows sum to the customers at the first date; balances reconcile to aging."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import customer_aging
from creditkit.exceptions import ParameterError
from creditkit.segmentation import TIERS, assign_tiers, tier_changes, tier_migration

FIRST, SECOND = "2025-03-31", "2025-06-30"  # the dates of conftest.features_two_dates


@pytest.fixture(scope="module")
def two_dates(features_two_dates):
    return {d: assign_tiers(f) for d, f in features_two_dates.items()}


def test_rows_sum_to_the_first_date_and_columns_to_the_second(two_dates) -> None:
    a, b = two_dates[FIRST], two_dates[SECOND]
    m = tier_migration(a, b)
    assert m.index.tolist() == [*TIERS, "new"] and m.columns.tolist() == [*TIERS, "exited"]
    assert m.loc[list(TIERS)].sum(axis=1).tolist() == a["tier"].value_counts().reindex(
        list(TIERS), fill_value=0).tolist()
    assert int(m.loc[list(TIERS)].to_numpy().sum()) == len(a)
    assert int(m[list(TIERS)].to_numpy().sum()) == len(b)
    assert m.loc["new"].sum() == len(set(b["customer_id"]) - set(a["customer_id"])) > 0


def test_balances_reconcile_to_customer_aging_at_both_dates(small_portfolio, two_dates) -> None:
    bills, pays = small_portfolio["bills"], small_portfolio["payments"]
    ag = {d: customer_aging(bills, pays, as_of=d) for d in (FIRST, SECOND)}
    a, b = two_dates[FIRST], two_dates[SECOND]
    balances = (ag[FIRST], ag[SECOND])
    frm = tier_migration(a, b, balances=balances, value="outstanding_from_minor")
    to = tier_migration(a, b, balances=balances, value="outstanding_to_minor")
    assert int(frm.to_numpy().sum()) == int(ag[FIRST]["outstanding_minor"].sum()) > 0
    assert int(to.to_numpy().sum()) == int(ag[SECOND]["outstanding_minor"].sum()) > 0
    assert frm.loc["new"].sum() == 0 and to["exited"].sum() == 0
    # per tier: the row at the first date is the aging of that tier's customers
    per_cust = ag[FIRST].groupby("customer_id")["outstanding_minor"].sum()
    for tier in TIERS:
        ids = a.loc[a["tier"] == tier, "customer_id"]
        assert frm.loc[tier].sum() == per_cust.reindex(ids, fill_value=0).sum()


def test_changes_list_the_rule_at_each_date() -> None:
    a = pd.DataFrame({"customer_id": ["x", "y", "z", "w"],
                      "tier": ["prime", "high_risk", "standard", "prime"],
                      "rule_id": ["prime", "high_risk_dpd_30", "standard", "prime"],
                      "values_seen": ["pd=0.02", "dpd=31", "", "pd=0.01"]})
    b = pd.DataFrame({"customer_id": ["x", "y", "z"],
                      "tier": ["restricted", "standard", "standard"],
                      "rule_id": ["restricted_dpd_90", "standard", "standard"],
                      "values_seen": ["dpd=95", "", ""]})
    got = tier_changes(a, b)
    assert got[["customer_id", "tier_from", "tier_to", "direction", "steps", "rule_from",
                "rule_to", "values_to"]].values.tolist() == [
        ["x", "prime", "restricted", "downgrade", 3, "prime", "restricted_dpd_90", "dpd=95"],
        ["y", "high_risk", "standard", "upgrade", -1, "high_risk_dpd_30", "standard", ""]]
    m = tier_migration(a, b)
    assert m.loc["prime", "exited"] == 1 and m.loc["standard", "standard"] == 1


def test_changes_on_the_portfolio_agree_with_the_matrix(two_dates) -> None:
    a, b = two_dates[FIRST], two_dates[SECOND]
    m = tier_migration(a, b)
    changes = tier_changes(a, b)
    off_diagonal = int(m.loc[list(TIERS), list(TIERS)].to_numpy().sum()) - sum(
        int(m.loc[t, t]) for t in TIERS)
    assert len(changes) == off_diagonal


def test_bad_inputs_are_refused() -> None:
    ok = pd.DataFrame({"customer_id": ["x"], "tier": ["prime"]})
    with pytest.raises(ParameterError, match="customer_id and tier"):
        tier_migration(pd.DataFrame({"x": [1]}), ok)
    with pytest.raises(ParameterError, match=r"repeats customer\(s\) \['x'\]"):
        tier_migration(pd.concat([ok, ok]), ok)
    with pytest.raises(ParameterError, match=r"tier\(s\) \['gold'\] not in"):
        tier_migration(ok.assign(tier="gold"), ok)
    with pytest.raises(ParameterError, match="value must be one of"):
        tier_migration(ok, ok, value="balance")
    with pytest.raises(ParameterError, match="needs balances="):
        tier_migration(ok, ok, value="outstanding_to_minor")
    two = pd.DataFrame({"customer_id": ["x", "x"], "outstanding_minor": [1, 2],
                        "currency": ["CNY", "USD"]})
    with pytest.raises(ParameterError, match="mixes currencies"):
        tier_migration(ok, ok, balances=(two, two), value="outstanding_from_minor")
    stranger = pd.DataFrame({"customer_id": ["q"], "outstanding_minor": [5]})
    with pytest.raises(ParameterError, match=r"customer\(s\) \['q'\] that have no tier"):
        tier_migration(ok, ok, balances=(stranger, stranger), value="outstanding_to_minor")
