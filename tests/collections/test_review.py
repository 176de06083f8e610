"""The collections review (notebook 04's package side): team, replayed dunning, one-call review,
first screen and report tables, on the small portfolio."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.collections import collector_performance, dunning_run
from creditkit.collections.review import (
    CollectionsReview,
    collection_team,
    collections_review,
    dunning_history,
    run_dates,
)
from creditkit.collections.review_tables import (
    WORKLIST_REPORT_COLUMNS,
    collectors_report_table,
    dunning_report_table,
    history_summary,
    review_headline,
    worklist_report_table,
)
from creditkit.exceptions import CreditkitError, ParameterError
from creditkit.privacy import mask_name

SIZES = {"sms": 1, "call": 2, "visit": 1, "legal": 1}
CAPACITY = {"sms": 100, "call": 4, "visit": 2, "legal": 3}


@pytest.fixture(scope="module")
def review(small_portfolio, portfolio_as_of) -> CollectionsReview:
    team = collection_team(SIZES, capacity=CAPACITY, lang="en")
    return collections_review(small_portfolio, as_of=portfolio_as_of, collectors=team, runs=3,
                              every_days=7, lang="en")


# --- the team ---------------------------------------------------------------------------

def test_team_is_named_per_channel_in_the_language_and_checked() -> None:
    zh = collection_team({"legal": 1, "call": 2}, capacity={"call": 40, "legal": 10}, lang="zh")
    assert zh["collector_id"].tolist() == ["CALL-01", "CALL-02", "LEGAL-01"]
    assert zh["name"].tolist() == ["电话催收 1", "电话催收 2", "法务/委外催收 1"]
    assert zh["capacity"].tolist() == [40, 40, 10]
    assert collection_team({"sms": 1}, capacity=7)["capacity"].tolist() == [7]


@pytest.mark.parametrize(("sizes", "capacity", "words"), [
    ({"fax": 1}, 5, "unknown worklist channel"),
    ({"call": -1}, 5, "whole number >= 0"),
    ({"call": 1.5}, 5, "whole number >= 0"),
    ({"call": 1}, {"sms": 5}, "no number for channel 'call'"),
    ({"call": 1}, {"call": 5, "fax": 1}, "unknown channel"),
    ({"call": 0}, 5, "at least one collector"),
    ({}, 5, "non-empty mapping"),
])
def test_a_bad_team_names_the_problem(sizes, capacity, words) -> None:
    with pytest.raises(ParameterError, match=words):
        collection_team(sizes, capacity=capacity)


# --- replayed dunning -------------------------------------------------------------------

def test_run_dates_end_on_as_of_a_cycle_apart() -> None:
    days = run_dates("2025-06-30", runs=3, every_days=10)
    assert [str(d.date()) for d in days] == ["2025-06-10", "2025-06-20", "2025-06-30"]
    with pytest.raises(ParameterError, match="runs"):
        run_dates("2025-06-30", runs=0, every_days=7)


def test_dunning_history_is_the_runs_one_after_the_other(small_portfolio) -> None:
    t = small_portfolio
    dates = ["2025-06-16", "2025-06-23", "2025-06-30"]
    replayed = dunning_history(t["bills"], t["payments"], t["customers"], dates=dates)
    hist = None
    for d in dates:
        run = dunning_run(t["bills"], t["payments"], t["customers"], as_of=d, history=hist)
        hist = run.history
    pd.testing.assert_frame_equal(replayed.status, run.status)
    pd.testing.assert_frame_equal(replayed.history, run.history)
    assert replayed.history["run_date"].nunique() == 3
    # levels climb over the runs: someone is above the level a first run could give
    once = dunning_run(t["bills"], t["payments"], t["customers"], as_of=dates[-1])
    assert replayed.status["level"].max() > once.status["level"].max() or (
        replayed.status["level"].sum() > once.status["level"].sum())


@pytest.mark.parametrize("dates", [[], "2025-06-30", ["2025-06-30", "2025-06-30"],
                                   ["2025-06-30", "2025-06-01"]])
def test_dunning_history_refuses_dates_that_do_not_increase(small_portfolio, dates) -> None:
    t = small_portfolio
    with pytest.raises(CreditkitError, match="dates"):
        dunning_history(t["bills"], t["payments"], t["customers"], dates=dates)


# --- the review -------------------------------------------------------------------------

def test_review_holds_together(review: CollectionsReview, small_portfolio) -> None:
    assert review.reconciliation.invariants()["ok"].all()
    assert review.worklist.invariants()["ok"].all()
    assert review.run_dates[-1] == review.as_of and len(review.run_dates) == 3
    assert review.dunning.as_of == review.as_of
    assert set(review.dunning.history["run_date"]) <= set(review.run_dates)
    # reconciled payments: every payment's amount is still there, split by bill
    paid = review.payments.groupby("currency")["amount_minor"].sum()
    orig = small_portfolio["payments"].groupby("currency")["amount_minor"].sum()
    assert int(paid.sum()) <= int(orig.sum())
    # performance measures the earlier days' assignments, not today's
    assert set(review.assignments["assigned_date"]) == set(review.run_dates[:-1])
    again = collector_performance(review.assignments, review.payments,
                                  start=review.run_dates[0], end=review.as_of)
    pd.testing.assert_frame_equal(again, review.performance)


def test_auto_apply_level_reaches_the_reconciliation(small_portfolio, portfolio_as_of) -> None:
    team = collection_team({"call": 1}, capacity=3)
    strict = collections_review(small_portfolio, as_of=portfolio_as_of, collectors=team, runs=1,
                                auto_apply_level=1.0)
    loose = collections_review(small_portfolio, as_of=portfolio_as_of, collectors=team, runs=1,
                               auto_apply_level=0.5)
    assert (strict.reconciliation.allocations["confidence"] >= 1.0).all()
    assert len(strict.reconciliation.exceptions) > len(loose.reconciliation.exceptions)
    with pytest.raises(ParameterError, match="auto_apply_level"):
        collections_review(small_portfolio, as_of=portfolio_as_of, collectors=team, runs=1,
                           auto_apply_level=1.5)


def test_review_refuses_tables_without_payments(small_portfolio, portfolio_as_of) -> None:
    team = collection_team({"call": 1}, capacity=3)
    with pytest.raises(ParameterError, match="load_or_make"):
        collections_review({"bills": small_portfolio["bills"]}, as_of=portfolio_as_of,
                           collectors=team)


# --- first screen and tables --------------------------------------------------------------

def test_headline_figures_come_from_the_review(review: CollectionsReview) -> None:
    h = review_headline(review)
    rec = review.reconciliation
    assert h["applied_share"] == pytest.approx(
        rec.allocations["amount_minor"].sum() / rec.by_payment["amount_minor"].sum())
    assert h["n_exceptions"] == len(rec.exceptions)
    assert h["exception_minor"] == int(rec.exceptions["amount_minor"].sum())
    assert h["reminders_sent"] == int((review.dunning.status["event"] == "sent").sum())
    assert h["worklist_past_due_minor"] == sum(review.worklist.aging_past_due.values())
    assigned = review.worklist.items[review.worklist.items["collector_id"].notna()]
    assert h["assigned_recovery_minor"] == int(assigned["expected_recovery_minor"].sum())
    assert all(isinstance(h[k], int) for k in h if k.endswith("_minor"))
    with pytest.raises(ParameterError, match="collections_review"):
        review_headline({"reconciliation": rec})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_reminders_name_no_one(review: CollectionsReview, small_portfolio,
                                      lang: str) -> None:
    tab = dunning_report_table(review.dunning, lang=lang, rows=2)
    assert len(tab) and tab.groupby("level").size().max() <= 2
    assert "bill_ids" not in tab.columns
    names = small_portfolio["customers"].set_index("customer_id")["name"]
    for cid, shown, msg in zip(tab["customer_id"], tab["name"], tab["dunning_message"],
                               strict=True):
        assert cid in msg and names[cid] not in msg
        assert shown == mask_name(pd.Series([names[cid]])).iloc[0] != names[cid]
    full = dunning_report_table(review.dunning, lang=lang)
    assert len(full) == len(review.dunning.actions)


def test_history_summary_counts_each_run(review: CollectionsReview) -> None:
    s = history_summary(review.dunning, lang="en")
    sent = review.dunning.history[review.dunning.history["event"] == "sent"]
    assert s["customers"].sum() == len(sent)
    assert s["amount_minor"].sum() == sent["amount_minor"].sum()
    assert not s["channel"].str.contains("sms", regex=False).any()  # in words: SMS


def test_worklist_table_keeps_the_top_of_each_channel(review: CollectionsReview) -> None:
    tab = worklist_report_table(review.worklist, rows=3)
    assert list(tab.columns) == list(WORKLIST_REPORT_COLUMNS)
    items = review.worklist.items
    for chan, part in tab.groupby("channel"):
        assert part["customer_id"].tolist() == items[items["channel"] == chan][
            "customer_id"].head(3).tolist()
    assert len(worklist_report_table(review.worklist)) == len(items)
    with pytest.raises(ParameterError, match="rows"):
        worklist_report_table(review.worklist, rows=0)


def test_collectors_table_adds_up_to_the_performance(review: CollectionsReview) -> None:
    tab = collectors_report_table(review)
    assert tab["collector_id"].tolist() == review.worklist.collectors["collector_id"].tolist()
    perf = review.performance[review.performance["collector_id"].notna()]
    assert tab["recovered_minor"].sum() == perf["recovered_minor"].sum()
    assert tab["assigned"].sum() == review.worklist.items["collector_id"].notna().sum()
    assert (tab["capacity"] >= tab["assigned"]).all()


@pytest.mark.parametrize(("view", "needs"), [
    (review_headline, r"review_headline needs collections_review\(\.\.\.\)'s result; got dict"),
    (collectors_report_table, r"collectors_report_table needs collections_review"),
    (dunning_report_table, r"dunning_report_table needs a DunningRun \(dunning_run"),
    (history_summary, r"history_summary needs a DunningRun \(dunning_history"),
    (worklist_report_table, r"worklist_report_table needs a Worklist \(collection_worklist"),
])
def test_each_view_names_the_call_that_makes_its_input(view, needs) -> None:
    with pytest.raises(ParameterError, match=needs):
        view({})
