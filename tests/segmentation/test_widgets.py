"""The tier explorer: a tier's customers, the rule that placed each and what it saw, zh/en."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from creditkit.display.widgets import widget_text
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.segmentation import TIERS, assign_tiers
from creditkit.segmentation.widgets import tier_explorer

CJK = re.compile(r"[\u4e00-\u9fff]")
SECOND = "2025-06-30"  # a date of conftest.features_two_dates


@pytest.fixture(scope="module")
def tiered(features_two_dates) -> tuple[pd.DataFrame, pd.DataFrame]:
    features = features_two_dates[SECOND]
    return assign_tiers(features), features


def controls(view) -> list:
    return [view.tier, view.rule, view.filter, view.page]


def test_each_tier_lists_exactly_its_customers_largest_outstanding_first(tiered) -> None:
    tiers, features = tiered
    view = tier_explorer(tiers, features, lang="zh", max_rows=1000)
    counts = tiers["tier"].value_counts()
    assert [v for _, v in view.tier.options] == list(TIERS)
    assert [t for t, _ in view.tier.options] == [
        f"{label(f'tier_{t}', 'zh')} · {int(counts.get(t, 0)):,}" for t in TIERS]
    assert view.tier.value == next(t for t in TIERS if counts.get(t, 0))
    for tier in TIERS:
        view.tier.value = tier
        got = view.selected_
        assert set(got["customer_id"]) == set(tiers.loc[tiers["tier"] == tier, "customer_id"])
        assert got["outstanding_minor"].is_monotonic_decreasing
        # the rule that placed each customer and the values it saw, as assign_tiers gave them
        placed = tiers.set_index("customer_id").loc[got["customer_id"]]
        assert got["rule_id"].tolist() == placed["rule_id"].tolist()
        assert got["values_seen"].tolist() == placed["values_seen"].tolist()
        assert got["description"].tolist() == placed["description_zh"].tolist()
        assert f"{label(f'tier_{tier}', 'zh')}：{len(got):,} 位客户" in view.table.value


def test_the_rule_list_narrows_a_tier_to_the_customers_one_rule_placed(tiered) -> None:
    tiers, features = tiered
    view = tier_explorer(tiers, features, lang="en", tier="high_risk")
    mine = tiers[tiers["tier"] == "high_risk"]
    rules = [v for _, v in view.rule.options]
    assert rules[0] == "" and set(rules[1:]) == set(mine["rule_id"])
    assert len(rules) > 2  # the small book has several reasons to be high risk
    shown = {v: t for t, v in view.rule.options}
    for rid in rules[1:]:
        n = int((mine["rule_id"] == rid).sum())
        desc = mine.loc[mine["rule_id"] == rid, "description_en"].iloc[0]
        assert shown[rid] == f"{desc} · {n:,}"  # the rule told in the view's language
        view.rule.value = rid
        assert set(view.selected_["customer_id"]) == set(
            mine.loc[mine["rule_id"] == rid, "customer_id"])
    view.tier.value = "prime"  # another tier: the rule list is that tier's, showing all
    assert view.rule.value == "" and {v for _, v in view.rule.options} == {"", "prime"}


def test_filter_and_pages(tiered) -> None:
    tiers, features = tiered
    view = tier_explorer(tiers, features, lang="en", tier="standard", max_rows=20)
    n = int((tiers["tier"] == "standard").sum())
    assert view.page.max == -(-n // 20) > 1
    first_page = view.table.value
    view.page.value = 2
    second = view.selected_.iloc[20:40]
    assert all(cid in view.table.value for cid in second["customer_id"])
    assert view.table.value != first_page
    assert f"Page 2 of {view.page.max} · rows: {n:,}" in view.table.value
    cid = view.selected_["customer_id"].iloc[-1]
    view.filter.value = cid.lower()  # any case
    assert view.page.value == 1 and view.selected_["customer_id"].tolist() == [cid]
    view.filter.value = "no such text"
    assert view.selected_.empty and "Standard: 0 customer(s)" in view.table.value


def test_names_are_masked(tiered, small_portfolio) -> None:
    tiers, features = tiered
    customers = small_portfolio["customers"]
    view = tier_explorer(tiers, features, customers=customers, lang="zh", max_rows=1000)
    full = customers.set_index("customer_id")["name"]
    shown = view.selected_
    assert "name" in shown.columns and shown["name"].str.contains(r"\*").all()
    assert not any(full[c] in view.table.value for c in shown["customer_id"])


def test_controls_speak_one_language_with_tooltips(tiered) -> None:
    tiers, features = tiered
    zh = tier_explorer(tiers, features, lang="zh")
    assert all(c.description and c.tooltip for c in controls(zh))
    assert zh.tier.description == "客户分层" and zh.rule.description == "规则编号"
    for c in controls(zh):
        assert CJK.search(c.description + c.tooltip)
        assert not re.search(r"[A-Za-z]{2,}", c.description + c.tooltip)
    assert '<th class="ck-num">未结余额</th>' in zh.table.value
    en = tier_explorer(tiers, features, lang="en")
    texts = widget_text(en)
    # everything English but data values (none of these tables' values are Chinese)
    assert texts and not any(CJK.search(t) for t in texts), [t for t in texts if CJK.search(t)]
    assert en.tier.tooltip.startswith("Choose a tier")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda t, f: tier_explorer([1]), "needs the tiers of assign_tiers"),
        (lambda t, f: tier_explorer(t.drop(columns="rule_id")), r"\['rule_id'\]"),
        (lambda t, f: tier_explorer(pd.concat([t, t.head(1)])), "repeat customer"),
        (lambda t, f: tier_explorer(t.assign(tier="gold")), "not in"),
        (lambda t, f: tier_explorer(t, f, tier="gold"), "tier must be one of"),
        (lambda t, f: tier_explorer(t, f, max_rows=0), "max_rows"),
        (lambda t, f: tier_explorer(t, f, lang="fr"), "lang must be one of"),
        (lambda t, f: tier_explorer(t, f.drop(columns="customer_id")), "customer_id"),
        (lambda t, f: tier_explorer(t, f, customers=f), "customer_id and name"),
    ],
)
def test_errors_name_the_problem(tiered, call, match) -> None:
    with pytest.raises(ParameterError, match=match):
        call(*tiered)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_view_tells_rules_and_values_in_its_language(tiered, lang) -> None:
    """A zh reader sees neither rule ids nor feature names in English (nor en ones Chinese)."""
    tiers, features = tiered
    view = tier_explorer(tiers, features, lang=lang, tier="high_risk")
    table = view.table.value
    for rid in tiers.loc[tiers["tier"] == "high_risk", "rule_id"].unique():
        assert rid not in table and all(rid not in t for t, _ in view.rule.options)
    assert "worst_dpd_12m=" not in table and "pd=" not in table
    assert any(f"{label(f, lang)} = " in table for f in ("dpd", "pd", "worst_dpd_12m"))
