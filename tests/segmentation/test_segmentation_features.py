"""customer_features: one row per customer, each column from its owner, nothing recomputed."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import customer_aging
from creditkit.behaviour import behaviour_features, current_scores
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.segmentation import customer_features, feature_fields

SECOND = "2025-06-30"  # a date of conftest.features_two_dates


def test_columns_come_from_their_owners(small_portfolio, features_two_dates) -> None:
    feats = features_two_dates[SECOND]
    beh = behaviour_features(small_portfolio, as_of=SECOND)
    assert feats["customer_id"].tolist() == beh["customer_id"].tolist()
    assert not feats["customer_id"].duplicated().any()
    ag = customer_aging(small_portfolio["bills"], small_portfolio["payments"], as_of=SECOND)
    by = ag.groupby("customer_id")[["outstanding_minor", "written_off_minor"]].sum()
    got = feats.set_index("customer_id")
    assert (got["outstanding_minor"].reindex(by.index) == by["outstanding_minor"]).all()
    assert int(got["outstanding_minor"].sum()) == int(ag["outstanding_minor"].sum())
    assert (got["written_off_minor"].reindex(by.index) == by["written_off_minor"]).all()
    # dpd of the aging report and of the behaviour features is the same number
    assert (feats["dpd"].to_numpy() == beh["dpd"].to_numpy()).all()
    for w in (3, 6, 12):
        assert (feats[f"worst_dpd_{w}m"].to_numpy() == beh[f"worst_dpd_{w}m"].to_numpy()).all()
    scores = current_scores(small_portfolio, as_of=SECOND).set_index("customer_id")
    assert (got["pd"] == scores["pd"].reindex(got.index)).all()
    assert got["score_band"].notna().all()
    assert feats["broken_promises"].isna().all()
    assert (feats["has_write_off"] == (feats["written_off_minor"] > 0)).all()
    assert set(feats.columns) - {"as_of"} <= set(feature_fields())


def test_history_months_sets_the_windows(small_portfolio) -> None:
    f = customer_features(small_portfolio, as_of=SECOND, history_months=6)
    assert [c for c in f.columns if c.startswith("worst_dpd_")] == ["worst_dpd_3m",
                                                                      "worst_dpd_6m"]


@pytest.mark.parametrize("bad", [0, 25, 6.5, "12", True])
def test_bad_history_months_is_refused(small_portfolio, bad) -> None:
    with pytest.raises(ParameterError, match="history_months must be a whole number of months"):
        customer_features(small_portfolio, as_of=SECOND, history_months=bad)


def test_missing_tables_and_bad_dates_are_refused(small_portfolio) -> None:
    with pytest.raises(SchemaError, match="needs the table 'payments'"):
        customer_features({k: v for k, v in small_portfolio.items() if k != "payments"},
                          as_of=SECOND)
    with pytest.raises(ParameterError):
        customer_features(small_portfolio, as_of=pd.Timestamp("2025-06-30", tz="UTC"))


def test_nothing_after_as_of_is_seen(small_portfolio, features_two_dates) -> None:
    first = "2025-03-31"
    day = pd.Timestamp(first)
    dates = {"bills": "issue_date", "payments": "paid_date", "transactions": "txn_date",
             "customers": "open_date"}
    past = {name: (table.loc[(table[dates[name]] <= day).to_numpy()] if name in dates else table)
            for name, table in small_portfolio.items()}
    pd.testing.assert_frame_equal(customer_features(past, as_of=first),
                                  features_two_dates[first])


def test_broken_promises_count_the_promises_table(small_portfolio) -> None:
    from creditkit.collections import promise_outcomes

    cust = small_portfolio["customers"]["customer_id"].iloc[:3].tolist()
    cny = small_portfolio["customers"].set_index("customer_id")["currency"]
    promises = pd.DataFrame({
        "customer_id": [cust[0], cust[0], cust[1], cust[2]],
        "currency": [cny[cust[0]], cny[cust[0]], cny[cust[1]], cny[cust[2]]],
        "promise_date": ["2025-05-01", "2025-05-20", "2025-06-01", "2025-06-25"],
        "pay_by": ["2025-05-10", "2025-05-30", "2025-06-10", "2025-07-05"],  # last: pending
        "amount_minor": [10**12, 10**12, 1, 10**12]})
    tables = {**small_portfolio, "promises": promises}
    feats = customer_features(tables, as_of=SECOND).set_index("customer_id")
    judged = promise_outcomes(promises, small_portfolio["payments"], as_of=SECOND)
    expect = judged[judged["promise"] == "broken"]["customer_id"].value_counts()
    assert feats.loc[cust[0], "broken_promises"] == 2 == expect[cust[0]]
    assert feats.loc[cust[2], "broken_promises"] == 0  # pending is not broken
    others = feats.drop(index=cust)["broken_promises"]
    assert (others == 0).all()  # recorded promises: zero, no longer missing


def test_behaviour_features_handed_in_give_the_same_frame(small_portfolio) -> None:
    from creditkit.behaviour import behaviour_features_at_dates

    both = behaviour_features_at_dates(small_portfolio, dates=["2025-05-31", SECOND])
    mine = both[both["as_of"] == SECOND]
    pd.testing.assert_frame_equal(customer_features(small_portfolio, as_of=SECOND),
                                  customer_features(small_portfolio, as_of=SECOND,
                                                    behaviour=mine))
    with pytest.raises(ParameterError, match="pass the rows of as_of only"):
        customer_features(small_portfolio, as_of=SECOND, behaviour=both)
    with pytest.raises(ParameterError, match="behaviour must be behaviour_features"):
        customer_features(small_portfolio, as_of=SECOND, behaviour=mine.drop(columns="as_of"))
