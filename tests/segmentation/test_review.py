"""tier_review, notebook 05's tables: what they show adds up to the aging at both dates."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from creditkit.aging import customer_aging
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.labels import label
from creditkit.money import format_minor
from creditkit.segmentation import (
    TIERS,
    previous_month_end,
    tier_changes,
    tier_review,
    value_at_risk,
    values_text,
)

AS_OF = "2025-06-30"  # the small portfolio's last day (conftest)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def review(small_portfolio):
    return tier_review(small_portfolio, as_of=AS_OF, compare_to="2025-03-31", k_range=(2, 3))


def test_the_default_date_compared_is_the_previous_month_end(small_portfolio) -> None:
    assert previous_month_end("2025-03-01") == pd.Timestamp("2025-02-28")
    assert previous_month_end("2024-03-31") == pd.Timestamp("2024-02-29")
    r = tier_review(small_portfolio, as_of=AS_OF, k_range=(2,))
    assert r.compare_to == pd.Timestamp("2025-05-31")
    assert r.features_before["as_of"].eq(pd.Timestamp("2025-05-31")).all()


def test_migration_rows_sum_to_the_customers_at_the_first_date(review) -> None:
    m = review.migration()
    assert m.loc[list(TIERS)].sum(axis=1).tolist() == review.tiers_before["tier"] \
        .value_counts().reindex(list(TIERS), fill_value=0).tolist()
    assert int(m.loc[list(TIERS)].to_numpy().sum()) == len(review.tiers_before)
    assert int(m[list(TIERS)].to_numpy().sum()) == len(review.tiers) == len(review.features)
    assert m.loc["new"].sum() == len(set(review.tiers["customer_id"])
                                     - set(review.tiers_before["customer_id"])) > 0


@pytest.mark.parametrize("value, before", [("outstanding_from_minor", True),
                                           ("outstanding_to_minor", False)])
def test_counts_and_balances_reconcile_to_customer_aging_at_both_dates(
        small_portfolio, review, value, before) -> None:
    day = review.compare_to if before else review.as_of
    ag = customer_aging(small_portfolio["bills"], small_portfolio["payments"], as_of=day)
    ag = ag.loc[ag["currency"] == review.currency]
    m = review.migration(value)
    assert int(m.to_numpy().sum()) == int(ag["outstanding_minor"].sum()) > 0
    # per tier: the row (first date) or column (second date) is its customers' aging
    tiers = review.tiers_before if before else review.tiers
    per_customer = ag.groupby("customer_id")["outstanding_minor"].sum()
    for tier in TIERS:
        ids = tiers.loc[tiers["tier"] == tier, "customer_id"]
        shown = m.loc[tier].sum() if before else m[tier].sum()
        assert shown == per_customer.reindex(ids, fill_value=0).sum()
    # counts: every customer the aging knows is tiered, and the same ones owe
    bal = review.balances(before)
    known = ag["customer_id"].notna()  # payments no customer claims have no tier
    assert int(ag.loc[~known, "outstanding_minor"].sum()) == 0
    assert set(ag.loc[known, "customer_id"]) <= set(tiers["customer_id"])
    owing = set(per_customer.index[per_customer != 0])
    assert owing == set(bal.loc[bal["outstanding_minor"] != 0, "customer_id"])
    counts = review.counts() if not before else None
    if counts is not None:
        assert int(counts["outstanding_minor"].sum()) == int(ag["outstanding_minor"].sum())
        assert int(counts["customers"].sum()) == len(review.features)


def test_headline_agrees_with_the_tables(review) -> None:
    h = review.headline()
    ch = tier_changes(review.tiers_before, review.tiers)
    assert h["compare_to"] == "2025-03-31"
    assert h["customers_tiered"] == len(review.tiers)
    assert h["downgrades"] + h["upgrades"] == len(ch) > 0
    assert h["downgrades"] == len(review.changes_table("en", direction="downgrade"))
    assert h["high_value_at_risk"] == len(review.at_risk_table("en")) == len(
        value_at_risk(review.tiers, review.segments))
    counts = review.counts().set_index("tier")
    risky = ["high_risk", "restricted"]
    assert h["at_risk_share"] == pytest.approx(counts.loc[risky, "share"].sum())
    assert h["at_risk_outstanding_minor"] == counts.loc[risky, "outstanding_minor"].sum()
    assert 0 <= h["prime_share"] <= 1


def test_change_summary_adds_up_to_the_changes(review) -> None:
    summary = review.change_summary("en")
    ch = review.changes()
    assert int(summary["customers"].sum()) == len(ch)
    assert int(summary["outstanding_minor"].sum()) == int(ch["outstanding_minor"].sum())
    assert set(summary["direction"]) <= {label("upgrade", "en"), label("downgrade", "en")}


def test_rule_table_counts_every_customer_in_rule_order(review) -> None:
    t = review.rule_table("en")
    assert int(t["customers"].sum()) == len(review.tiers)
    assert int(t["outstanding_minor"].sum()) == int(review.counts()["outstanding_minor"].sum())
    used = [r for r in review.tier_rule_ids if r in set(review.tiers["rule_id"])]
    desc = review.tiers.drop_duplicates("rule_id").set_index("rule_id")["description_en"]
    assert t["description"].tolist() == desc.reindex(used).tolist()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_speak_the_report_language_with_names_masked(small_portfolio, review,
                                                            lang) -> None:
    names = set(small_portfolio["customers"]["name"])
    rule_ids = set(review.tiers["rule_id"]) | set(review.tiers_before["rule_id"])
    tables = [review.counts_table(lang), review.rule_table(lang), review.change_summary(lang),
              review.changes_table(lang), review.changes_table(lang, direction="upgrade"),
              review.at_risk_table(lang), review.segment_cluster_table(lang).reset_index(),
              *[review.profile_table(p, lang) for p in review.value_profiles(lang)]]
    for table in tables:
        shown = table.drop(columns=["name", "customer_id"], errors="ignore")
        cells = {str(v) for col in shown.columns for v in shown[col] if isinstance(v, str)}
        assert not cells & rule_ids, "a rule shown by its id, not its description"
        if lang == "en":
            assert not [c for c in cells if CJK.search(c)], table.columns.tolist()
        else:
            assert not [c for c in cells if re.search(r"\b(dpd|pd|utilisation)=", c)]
        if "name" in table.columns:
            assert not set(table["name"].dropna()) & names, "a name shown unmasked"
    assert review.overlap_table(lang).shape[0] == review.overlap_table(lang).shape[1] > 1


def test_regions_are_a_table_and_out_of_the_tag_chart(review) -> None:
    regions = review.region_table()
    counted = review.tag_counts()
    assert not review.tag_counts(fields=False)["tag"].str.startswith("region:").any()
    assert int(regions["customers"].sum()) == int(
        counted.loc[counted["tag"].str.startswith("region:"), "customers"].sum()) > 0


def test_values_text_names_each_field_in_the_language() -> None:
    s = pd.Series(["dpd=45; scorecard=C", "my_field=3", None])
    assert values_text(s, "zh").tolist() == ["逾期天数 = 45；评分卡 = C", "my_field = 3", None]
    money = values_text(pd.Series(["written_off_minor=1050; dpd=3"]), "en", currency="USD")
    assert money.iloc[0] == (f"{label('written_off_minor', 'en')} = "
                             f"{format_minor(1050, 'USD', lang='en')}; Days past due = 3")
    with pytest.raises(ParameterError, match="must be a Series"):
        values_text(["dpd=1"], "en")


def test_features_a_caller_has_are_used_as_given(small_portfolio, review) -> None:
    r = tier_review(small_portfolio, as_of=AS_OF, compare_to="2025-03-31", k_range=(2, 3),
                    features=review.features, features_before=review.features_before)
    assert r.features is review.features and r.features_before is review.features_before
    pd.testing.assert_frame_equal(r.migration(), review.migration())
    with pytest.raises(ParameterError, match="not of compare_to 2025-03-31"):
        tier_review(small_portfolio, as_of=AS_OF, compare_to="2025-03-31",
                    features_before=review.features)


def test_inputs_are_not_mutated(small_portfolio) -> None:
    before = {k: v.copy() for k, v in small_portfolio.items()}
    tier_review(small_portfolio, as_of=AS_OF, k_range=(2,))
    for k, v in small_portfolio.items():
        pd.testing.assert_frame_equal(v, before[k])


def test_bad_inputs_are_refused(small_portfolio) -> None:
    with pytest.raises(ParameterError, match="must be before as_of"):
        tier_review(small_portfolio, as_of=AS_OF, compare_to=AS_OF)
    with pytest.raises(ParameterError, match="tiers_at_risk must name tiers"):
        tier_review(small_portfolio, as_of=AS_OF, tiers_at_risk=["risky"])
    with pytest.raises(SchemaError, match="needs the tables"):
        tier_review({"customers": small_portfolio["customers"]}, as_of=AS_OF)
    with pytest.raises(ParameterError, match="unknown field"):
        tier_review(small_portfolio, as_of=AS_OF, tier_rules=[
            {"id": "x", "when": [{"field": "no_such", "op": ">=", "value": 1}], "tier": "prime"},
            {"id": "rest", "tier": "standard"}])
