"""Behaviour features: formulas on a hand-built ledger, no look-ahead, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.behaviour import FEATURES, behaviour_features, feature_names, feature_table
from creditkit.exceptions import CreditkitError, ParameterError, SchemaError

AS_OF = "2025-04-30"


@pytest.fixture
def feats(tiny):
    f = behaviour_features(tiny, as_of=AS_OF, windows=(1, 3))
    return f.set_index("customer_id")


def test_one_row_per_customer_known_at_as_of(feats):
    assert feats.index.tolist() == ["A", "B"]  # C opens after as_of
    assert list(feats.columns) == ["as_of", *feature_names((1, 3))]


def test_dpd_features_from_the_month_end_states(feats):
    a = feats.loc["A"]
    # states: 02-28 B1 9 days late; 03-31 B2 due that day (dpd 0); 04-30 B3 due that day
    assert (a["dpd"], a["worst_dpd_3m"], a["worst_dpd_1m"]) == (0, 9, 0)
    assert a["avg_dpd_3m"] == pytest.approx(9 / 3)
    assert (a["months_delinquent_3m"], a["months_delinquent_1m"]) == (1, 0)
    assert a["months_since_delinquent"] == 2
    assert a["months_on_book"] == 3  # 2025-01-15 to 2025-04-30
    b = feats.loc["B"]
    assert pd.isna(b["months_since_delinquent"]) and b["months_on_book"] == 0
    assert b["avg_dpd_3m"] == 0


def test_payment_ratio_is_cash_over_amount_due_in_the_period(feats):
    a = feats.loc["A"]
    # (01-31, 04-30]: cash 1000 + 2000; due B1 1000 + B2 2000 + B3 2000
    assert a["payment_ratio_3m"] == pytest.approx(3000 / 5000)
    assert a["payment_ratio_1m"] == pytest.approx(2000 / 2000)
    assert math.isnan(feats.loc["B", "payment_ratio_3m"])  # nothing due


def test_timeliness_follows_every_day_not_only_month_ends(feats):
    a = feats.loc["A"]
    # B1 (1000) past due 02-20 … 03-09, B2 (2000) 04-01 … 04-14; B3 is due on as_of
    assert (a["days_in_arrears_3m"], a["days_in_arrears_1m"]) == (18 + 14, 14)
    assert a["arrears_per_due_3m"] == pytest.approx((1000 * 18 + 2000 * 14) / 5000)
    assert a["arrears_per_due_1m"] == pytest.approx(2000 * 14 / 2000)
    # cleared oldest first: B1 on 03-10 (19 days late), B2 on 04-15 (15), B3 open, not late
    assert a["late_share_3m"] == pytest.approx(2 / 3)
    assert a["days_late_3m"] == pytest.approx((19 + 15 + 0) / 3)
    assert (a["late_share_1m"], a["days_late_1m"]) == (0, 0)
    b = feats.loc["B"]
    assert b["days_in_arrears_3m"] == 0 and math.isnan(b["late_share_3m"])


def test_outstanding_utilisation_and_trends(feats):
    a = feats.loc["A"]
    assert a["outstanding_minor"] == 4000  # B3 + B4
    assert a["utilisation"] == pytest.approx(0.4)
    assert a["utilisation_change_3m"] == pytest.approx(0.4 - 1000 / 10_000)
    assert a["utilisation_change_1m"] == pytest.approx(0.0)
    assert a["outstanding_trend_3m"] == pytest.approx(4000 / ((1000 + 6000 + 4000) / 3))
    assert math.isnan(feats.loc["B", "outstanding_trend_3m"])


def test_channels_plans_and_spending(feats):
    a = feats.loc["A"]
    assert a["auto_debit_share"] == pytest.approx(1000 / 3000)
    assert a["n_channels"] == 2  # the wechat payment comes after as_of
    assert a["active_plans"] == 1  # I2 still has B4 due in May
    assert (a["spend_3m_minor"], a["spend_1m_minor"]) == (6000, 0)
    assert a["spend_trend"] == pytest.approx(0.0)
    b = feats.loc["B"]
    assert math.isnan(b["auto_debit_share"]) and b["n_channels"] == 0
    assert math.isnan(b["spend_trend"])


def test_dtypes(feats):
    assert feats["worst_dpd_3m"].dtype == np.int64
    assert feats["outstanding_minor"].dtype == np.int64
    assert feats["spend_3m_minor"].dtype == np.int64
    assert feats["payment_ratio_3m"].dtype == np.float64
    assert str(feats["months_since_delinquent"].dtype) == "Int64"


def test_spending_is_missing_without_transactions(tiny):
    del tiny["transactions"]
    f = behaviour_features(tiny, as_of=AS_OF, windows=(3,))
    assert f["spend_3m_minor"].isna().all() and f["spend_trend"].isna().all()


def test_money_features_ignore_other_currencies(tiny):
    usd = tiny["bills"].iloc[[0]].assign(bill_id="BU", currency="USD",
                                         due_date=pd.Timestamp("2025-04-01"))
    tiny["bills"] = pd.concat([tiny["bills"], usd], ignore_index=True)
    f = behaviour_features(tiny, as_of=AS_OF, windows=(3,)).set_index("customer_id")
    assert f.loc["A", "outstanding_minor"] == 4000  # the USD bill is not added to CNY
    assert f.loc["A", "dpd"] == 29  # but its delinquency counts


def test_feature_table_has_a_formula_and_both_labels_per_column():
    t = feature_table((3, 6))
    assert t["name"].tolist() == feature_names((3, 6))
    assert t[["zh", "en", "formula"]].ne("").all().all()
    assert not t["zh"].str.contains("{w}", regex=False).any()
    assert len(FEATURES) == 20
    en = feature_table((6,), lang="en")
    assert list(en.columns) == ["name", "label", "formula"]


def test_the_zh_feature_table_shows_chinese_formulas():
    zh = feature_table((3, 12), lang="zh")
    assert list(zh.columns) == ["name", "label", "formula"]
    assert zh["formula"].ne("").all()
    # no English words, no unfilled window: a zh report shows no English formula
    assert not zh["formula"].str.contains(r"[A-Za-z{}]").any(), zh["formula"].tolist()
    assert zh["formula"].is_unique
    by_name = zh.set_index("name")["formula"]
    assert "近12个" in by_name["worst_dpd_12m"] and "近3个" in by_name["worst_dpd_3m"]
    both = feature_table((3, 12))
    assert both["formula_zh"].tolist() == zh["formula"].tolist()
    assert both["formula"].tolist() == feature_table((3, 12), lang="en")["formula"].tolist()


# --- no look-ahead ---------------------------------------------------------------------------
def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), offset=st.integers(0, 700))
def test_features_unchanged_when_the_future_is_deleted(make_random_book, cut_future, seed,
                                                       offset):
    book = make_random_book(seed)
    as_of = pd.Timestamp("2024-01-01") + pd.Timedelta(days=offset)
    if (book["customers"]["open_date"] > as_of).all():
        with pytest.raises(ParameterError, match="before every customer"):
            behaviour_features(book, as_of=as_of)
        return
    full = behaviour_features(book, as_of=as_of, windows=(1, 3, 6))
    _same(full, behaviour_features(cut_future(book, as_of), as_of=as_of, windows=(1, 3, 6)))


def test_features_unchanged_when_the_future_is_deleted_on_generator_data(small_portfolio,
                                                                       cut_future):
    for as_of in ("2024-09-30", "2025-02-14"):
        full = behaviour_features(small_portfolio, as_of=as_of)
        trimmed = cut_future(small_portfolio, pd.Timestamp(as_of))
        _same(full, behaviour_features(trimmed, as_of=as_of))


def test_a_future_row_changes_nothing_but_a_past_one_does(tiny):
    base = behaviour_features(tiny, as_of=AS_OF, windows=(3,))
    late = dict(tiny)
    late["payments"] = pd.concat([tiny["payments"], tiny["payments"].iloc[[0]].assign(
        payment_id="PX", paid_date=pd.Timestamp("2025-05-01"))], ignore_index=True)
    _same(base, behaviour_features(late, as_of=AS_OF, windows=(3,)))
    early = dict(tiny)
    early["payments"] = pd.concat([tiny["payments"], tiny["payments"].iloc[[0]].assign(
        payment_id="PX", paid_date=pd.Timestamp("2025-04-30"))], ignore_index=True)
    assert not behaviour_features(early, as_of=AS_OF, windows=(3,)).equals(base)


# --- bad input -------------------------------------------------------------------------------
def test_missing_table_is_named(tiny):
    del tiny["payments"]
    with pytest.raises(SchemaError, match=r"lacks \['payments'\]"):
        behaviour_features(tiny, as_of=AS_OF)


def test_missing_column_is_named(tiny):
    tiny["bills"] = tiny["bills"].drop(columns="due_date")
    with pytest.raises(SchemaError, match="due_date"):
        behaviour_features(tiny, as_of=AS_OF)


def test_missing_open_date_is_named(tiny):
    tiny["customers"] = tiny["customers"].drop(columns="open_date")
    with pytest.raises(SchemaError, match="open_date"):
        behaviour_features(tiny, as_of=AS_OF)


def test_tables_must_be_a_dict():
    with pytest.raises(ParameterError, match="dict of DataFrames"):
        behaviour_features([1, 2], as_of=AS_OF)


def test_as_of_before_every_customer(tiny):
    with pytest.raises(ParameterError, match="before every customer"):
        behaviour_features(tiny, as_of="2024-01-01")


@pytest.mark.parametrize("as_of", ["2025-13-01", None, pd.Timestamp("2025-04-30", tz="UTC")])
def test_bad_as_of_goes_through_the_shared_check(tiny, as_of):
    with pytest.raises(ParameterError, match="as_of"):
        behaviour_features(tiny, as_of=as_of)


@pytest.mark.parametrize("windows", [(), (0, 3), (6, 3), (3, 3), ("3",), "3", (3.5,), (121,)])
def test_bad_windows(tiny, windows):
    with pytest.raises(CreditkitError, match="window"):
        behaviour_features(tiny, as_of=AS_OF, windows=windows)


def test_repeated_customer_ids(tiny):
    tiny["customers"] = pd.concat([tiny["customers"], tiny["customers"].iloc[[0]]])
    with pytest.raises(SchemaError, match="repeats"):
        behaviour_features(tiny, as_of=AS_OF)


def test_input_is_not_mutated(tiny):
    before = {k: v.copy() for k, v in tiny.items()}
    behaviour_features(tiny, as_of=AS_OF)
    for k, v in tiny.items():
        pd.testing.assert_frame_equal(v, before[k])
