"""alert_review, notebook 05's alert tables: raised once between two dates, in one language."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from creditkit.alerts import SEVERITIES
from creditkit.alerts.review import alert_review, backtest_dates
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.labels import label
from creditkit.segmentation import assign_tiers, tier_review

AS_OF = "2025-06-30"  # the small portfolio's last day (conftest)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def reviews(small_portfolio):
    return {lang: alert_review(small_portfolio, as_of=AS_OF, n_backtest_dates=2,
                               horizon_days=60, lang=lang) for lang in ("zh", "en")}


def test_backtest_dates_are_month_ends_whose_horizon_ends_by_as_of() -> None:
    dates = backtest_dates("2025-06-30", n_dates=3, horizon_days=61)
    assert [str(d.date()) for d in dates] == ["2025-02-28", "2025-03-31", "2025-04-30"]
    assert all(d + pd.Timedelta(days=61) <= pd.Timestamp("2025-06-30") for d in dates)
    assert backtest_dates("2025-06-30", n_dates=1, horizon_days=30) == [
        pd.Timestamp("2025-05-31")]
    with pytest.raises(ParameterError, match="n_dates must be a whole number"):
        backtest_dates("2025-06-30", n_dates=0)
    with pytest.raises(ParameterError, match="horizon_days must be a whole number"):
        backtest_dates("2025-06-30", horizon_days=True)


def test_an_alert_open_at_the_date_compared_is_not_raised_again(reviews) -> None:
    r = reviews["en"]
    assert r.compare_to == pd.Timestamp("2025-05-31") and r.backtest.horizon_days == 60
    raised = set(zip(r.run.alerts["customer_id"], r.run.alerts["rule_id"], strict=True))
    before = set(zip(r.run_before.open["customer_id"], r.run_before.open["rule_id"],
                     strict=True))
    still = set(zip(r.run.open["customer_id"], r.run.open["rule_id"], strict=True))
    assert raised and not raised & before
    assert still - raised <= before and still & before, "nothing stayed open: nothing tested"


def test_headline_agrees_with_the_run_and_the_backtest(reviews) -> None:
    r = reviews["en"]
    h = r.headline()
    assert h["alerts_raised"] == len(r.run.alerts)
    assert h["alerts_open_urgent"] == int(r.run.open["severity"].isin(["high", "critical"]).sum())
    assert h["alert_customers"] == r.run.open["customer_id"].nunique()
    rule_set = r.backtest.table.set_index("rule_id").loc["all"]
    assert h["alert_precision_rate"] == pytest.approx(rule_set["precision"], nan_ok=True)
    assert h["alert_recall_rate"] == pytest.approx(rule_set["recall"], nan_ok=True)
    summary = r.summary()
    assert summary["alert_open"].sum() == len(r.run.open)
    assert summary["severity"].tolist() == [label(f"severity_{s}", "en")
                                            for s in reversed(SEVERITIES)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_list_every_open_alert_in_one_language_names_masked(small_portfolio, reviews,
                                                                   lang) -> None:
    r = reviews[lang]
    table = r.alerts_table()
    assert len(table) == len(r.run.open)
    rank = {label(f"severity_{s}", lang): i for i, s in enumerate(SEVERITIES)}
    assert table["severity"].map(rank).is_monotonic_decreasing
    assert table["new"].sum() == len(r.run.alerts)
    assert not set(table["name"].dropna()) & set(small_portfolio["customers"]["name"])
    rule_ids = {rule.id for rule in r.backtest.rules.rules}
    bt = r.backtest_table()
    assert "rule_id" not in bt.columns and bt["description"].iloc[-1] == label(
        "alert_rule_set", lang)
    for frame in (table.drop(columns=["name", "customer_id"]), bt):
        cells = {v for col in frame.columns for v in frame[col] if isinstance(v, str)}
        assert not cells & rule_ids
        if lang == "en":
            assert not [c for c in cells if CJK.search(c)]


def test_tier_review_takes_the_alert_features(small_portfolio, reviews) -> None:
    r = reviews["zh"]
    tiers = tier_review(small_portfolio, as_of=AS_OF, k_range=(2,), features=r.features,
                        features_before=r.features_before)
    own = tier_review(small_portfolio, as_of=AS_OF, k_range=(2,))
    pd.testing.assert_frame_equal(tiers.tiers, own.tiers)
    pd.testing.assert_frame_equal(tiers.migration("outstanding_from_minor"),
                                  own.migration("outstanding_from_minor"))
    assert assign_tiers(r.features_before)["tier"].tolist() == own.tiers_before["tier"].tolist()


def test_bad_inputs_are_refused(small_portfolio) -> None:
    with pytest.raises(ParameterError, match="must be before as_of"):
        alert_review(small_portfolio, as_of=AS_OF, compare_to="2025-07-31")
    with pytest.raises(SchemaError, match="alert_review needs the canonical tables"):
        alert_review({"bills": small_portfolio["bills"]}, as_of=AS_OF)
    with pytest.raises(ParameterError, match="n_dates must be"):
        alert_review(small_portfolio, as_of=AS_OF, n_backtest_dates=0)
