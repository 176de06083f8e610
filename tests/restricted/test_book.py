"""The restricted book on generator data: counts add up, every step is the public function's."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.restricted import (
    LEVELS,
    apply_restrictions,
    level_counts,
    report_view,
    restricted_book,
)


@pytest.fixture(scope="module")
def book(small_portfolio):
    return restricted_book(small_portfolio, as_of="2025-06-30", dunning_runs=3)


def test_counts_add_up_to_the_features(book) -> None:
    counts = level_counts(book.restricted, book.features)
    assert counts["restriction_level"].tolist() == list(LEVELS)
    assert counts["customers"].sum() == len(book.features)
    assert counts["outstanding_minor"].sum() == book.features["outstanding_minor"].sum()
    head = book.headline()
    on = counts.iloc[1:]
    assert head["restricted_customers"] == on["customers"].sum() > 0
    assert head["legal_customers"] == book.legal["customer_id"].nunique()


def test_limits_never_above_the_customers_table(book, small_portfolio) -> None:
    limits = small_portfolio["customers"].set_index("customer_id")["credit_limit_minor"]
    eff = book.restrictions.set_index("customer_id")["effective_limit_minor"]
    both = eff.notna()
    assert (eff[both].astype("int64") <= limits.reindex(eff.index)[both]).all()
    again = apply_restrictions(small_portfolio["customers"][small_portfolio["customers"][
        "customer_id"].isin(book.features["customer_id"])], book.restricted,
        limit_col="credit_limit_minor", term_col=None)
    pd.testing.assert_frame_equal(again, book.restrictions)


def test_order_checks_and_schedule_cover_the_right_customers(book) -> None:
    assert set(book.order_checks["order_id"]) == set(book.orders["order_id"])
    restricted = set(book.restricted.loc[book.restricted["restriction_level"] != "none",
                                         "customer_id"])
    assert set(book.schedule["customer_id"]) == restricted
    assert (book.schedule["next_review"] > book.schedule["basis_date"]).all()


def test_report_view_speaks_one_language(book) -> None:
    zh = report_view(book.restricted, "zh")
    assert "reasons" in zh.columns and "reasons_en" not in zh.columns
    assert set(zh["restriction_level"]) <= {"关注", "限制", "停止赊销", "未限制"}
    en = report_view(book.order_checks, "en")
    assert set(en["decision"]) <= {"Approve", "Approve with prepayment", "Requires approval",
                                   "Refuse"}
    assert "reason_zh" not in en.columns


def test_illustrative_plans_are_tracked_and_feed_the_legal_list(small_portfolio) -> None:
    b = restricted_book(small_portfolio, as_of="2025-06-30", previous_as_of="2025-03-31",
                        dunning_runs=0, plan_instalments=3)
    assert b.plans is not None and len(b.plans)
    prev = b.previous.set_index("customer_id")["restriction_level"]
    assert set(prev.reindex(b.plans["customer_id"].unique())) == {"restricted"}
    b.tracking.invariants()
    assert set(b.restoration["plan_id"]) == set(b.plans["plan_id"])
    broken = set(b.tracking.plans.loc[b.tracking.plans["status"] == "broken", "customer_id"])
    legal = set(b.legal.loc[b.legal["escalation_reasons"].astype(str)
                            .str.contains("broken_plan"), "customer_id"])
    owing = set(b.features.loc[b.features["outstanding_minor"] > 0, "customer_id"])
    assert legal == broken & owing  # every broken plan still owing goes to legal
    assert legal <= broken
    zh = report_view(b.restoration, "zh")
    assert "restriction_level" in zh.columns and "level" not in zh.columns
    assert not zh["restoration"].str.contains("_").any()


def test_report_view_labels_escalation_reasons() -> None:
    legal = pd.DataFrame({"escalation_reasons": ["past_last_dunning_level|broken_plan"]})
    assert report_view(legal, "zh")["escalation_reasons"].tolist() == [
        "已过最后催收级别、还款计划违约"]


def test_the_previous_evaluation_comes_first(small_portfolio) -> None:
    from creditkit.exceptions import ParameterError

    with pytest.raises(ParameterError, match="not before as_of"):
        restricted_book(small_portfolio, as_of="2025-06-30", previous_as_of="2025-06-30")
