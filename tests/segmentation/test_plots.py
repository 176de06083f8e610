"""Segmentation figures: traces carry the tables' numbers, words follow the report language."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money import format_minor
from creditkit.segmentation import (
    TIERS,
    VALUE_SEGMENTS,
    RFMKMeans,
    assign_tags,
    assign_tiers,
    rfm_scores,
    rfm_table,
    tag_counts,
    tier_counts,
    tier_migration,
    tier_value_cross,
    value_segments,
)
from creditkit.segmentation import migration_plots as mp
from creditkit.segmentation import plots as sp

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
FIRST, SECOND = "2025-03-31", "2025-06-30"  # the dates of conftest.features_two_dates


def words(fig) -> list[str]:
    """Every text a reader sees: title, axis titles, panel titles, notes, trace names, ticks."""
    out = [fig.layout.title.text or ""]
    for name in dir(fig.layout):
        if re.fullmatch(r"[xy]axis\d*", name):
            out.append(getattr(fig.layout, name).title.text or "")
    out += [a.text for a in fig.layout.annotations]
    for t in fig.data:
        out.append(t.name or "")
        for axis in ("x", "y"):
            values = getattr(t, axis, None)
            if values is not None and len(values) and isinstance(values[0], str):
                out += list(values)
    return [w for w in out if w]


def assert_zh(fig) -> None:
    seen = " ".join(words(fig))
    assert CJK.search(seen)
    assert not LATIN_WORD.search(seen.replace("CNY", "")), seen  # the currency code aside


def assert_en(fig) -> None:
    seen = " ".join(words(fig))
    assert not CJK.search(seen), seen


@pytest.fixture(scope="module")
def book(small_portfolio, features_two_dates) -> dict:
    fa, fb = features_two_dates[FIRST], features_two_dates[SECOND]
    rfm = rfm_scores(rfm_table(small_portfolio["transactions"], as_of=SECOND,
                               customers=small_portfolio["customers"]))
    return {"fa": fa, "fb": fb, "ta": assign_tiers(fa), "tb": assign_tiers(fb), "rfm": rfm,
            "segments": value_segments(rfm)}


def test_tier_chart_carries_customers_and_outstanding_per_tier(book) -> None:
    fb, tb = book["fb"], book["tb"]
    counts = tier_counts(tb, balances=fb)
    fig = sp.tier_chart(counts, lang="zh")
    customers, outstanding = fig.data
    assert list(customers.x) == [label(f"tier_{t}", "zh") for t in TIERS]
    assert customers.y.tolist() == [int((tb["tier"] == t).sum()) for t in TIERS]
    assert sum(customers.y) == len(fb)  # every customer in one bar
    by_tier = fb.set_index("customer_id")["outstanding_minor"].groupby(
        tb.set_index("customer_id")["tier"]).sum()
    assert outstanding.y.tolist() == pytest.approx([by_tier.get(t, 0) / 100 for t in TIERS])
    assert outstanding.hovertext[2].startswith(format_minor(int(by_tier["high_risk"]), "CNY"))
    assert list(customers.marker.color) == [sp.TIER_COLOURS[t] for t in TIERS]
    assert fig.layout.title.text == label("tier_distribution", "zh") == "客户分层分布"
    assert_zh(fig)
    en = sp.tier_chart(counts, lang="en")
    assert list(en.data[0].x) == ["Prime", "Standard", "High risk", "Restricted"]
    assert_en(en)


def test_tier_chart_without_balances_and_with_an_empty_tier() -> None:
    tiers = pd.DataFrame({"customer_id": ["a", "b", "c"], "tier": ["prime", "prime", "standard"]})
    fig = sp.tier_chart(tier_counts(tiers), lang="en")
    assert len(fig.data) == 1 and fig.data[0].y.tolist() == [2, 1, 0, 0]
    assert fig.layout.yaxis.title.text == "Customers"


def test_migration_heatmap_counts_rows_sum_to_the_first_date(book) -> None:
    ta, tb = book["ta"], book["tb"]
    m = tier_migration(ta, tb)
    fig = mp.migration_heatmap(m, lang="zh")
    hm = fig.data[0]
    z = np.asarray(hm.z)
    assert z.tolist() == m.to_numpy().astype(float).tolist()
    assert z[: len(TIERS)].sum() == len(ta) and z[:, : len(TIERS)].sum() == len(tb)
    assert list(hm.y) == [label(f"tier_{t}", "zh") for t in TIERS] + ["新进入"]
    assert list(hm.x)[-1] == "已退出"
    assert hm.text[1][1] == f"{int(m.loc['standard', 'standard']):,}"
    share = np.asarray(hm.customdata)
    filled = m.to_numpy().sum(axis=1) > 0
    assert np.allclose(share[filled].sum(axis=1), 1.0)  # where each tier's customers went
    assert len(fig.layout.shapes) == len(TIERS)  # the diagonal outlined
    assert fig.layout.title.text == "分层迁移：客户数"
    assert_zh(fig)
    en = mp.migration_heatmap(m, lang="en")
    assert en.layout.yaxis.title.text == "Tier at the first date"
    assert_en(en)


def test_migration_heatmap_of_balances_shows_amounts_that_reconcile(book) -> None:
    ta, tb, fa, fb = book["ta"], book["tb"], book["fa"], book["fb"]
    m = tier_migration(ta, tb, balances=(fa, fb), value="outstanding_to_minor")
    fig = mp.migration_heatmap(m, value="outstanding_to_minor", lang="en")
    hm = fig.data[0]
    assert np.asarray(hm.z).sum() == pytest.approx(int(fb["outstanding_minor"].sum()) / 100)
    cell = int(m.loc["standard", "high_risk"])
    assert hm.text[1][2] == format_minor(cell, "CNY", lang="en")
    assert fig.layout.title.text == "Tier migration: outstanding at the second date"
    assert "(CNY)" in fig.data[0].colorbar.title.text
    assert hm.colorbar.exponentformat == "none"  # 1,200,000 on the colour bar, never 1.2M
    assert_en(fig)


def test_migration_sankey_flows_add_up_to_both_dates(book) -> None:
    ta, tb, fa, fb = book["ta"], book["tb"], book["fa"], book["fb"]
    m = tier_migration(ta, tb)
    fig = mp.migration_sankey(m, lang="zh")
    node, link = fig.data[0].node, fig.data[0].link
    n_rows = len(m.index)
    assert list(node.label) == [label(f"tier_{t}", "zh") for t in [*m.index, *m.columns]]
    flows = pd.DataFrame({"s": link.source, "t": link.target, "v": link.value})
    assert (flows["v"] > 0).all()  # one link per non-empty cell
    left = flows.groupby("s")["v"].sum()
    assert left.reindex(range(len(TIERS)), fill_value=0).sum() == len(ta)
    right = flows.groupby("t")["v"].sum()
    assert right.reindex(range(n_rows, n_rows + len(TIERS)), fill_value=0).sum() == len(tb)
    cell = flows[(flows["s"] == 1) & (flows["t"] == n_rows + 1)]["v"]  # standard → standard
    assert cell.tolist() == [m.loc["standard", "standard"]]
    assert list(node.y[: len(TIERS)]) == sorted(node.y[: len(TIERS)])  # tiers top to bottom
    assert [a.text for a in fig.layout.annotations] == ["期初分层", "期末分层"]
    mb = tier_migration(ta, tb, balances=(fa, fb), value="outstanding_from_minor")
    en = mp.migration_sankey(mb, value="outstanding_from_minor", lang="en")
    assert sum(en.data[0].link.value) == pytest.approx(int(fa["outstanding_minor"].sum()) / 100)
    first = en.data[0].link
    i, j = first.source[0], first.target[0] - n_rows
    assert first.customdata[0] == format_minor(int(mb.iloc[i, j]), "CNY", lang="en")
    assert not any(CJK.search(t) for t in en.data[0].node.label)


def test_value_profile_chart_of_rule_segments_best_first(book) -> None:
    rfm, seg = book["rfm"], book["segments"]
    profile = RFMKMeans.profile(rfm, seg["segment"].to_numpy())
    fig = sp.value_profile_chart(profile, lang="zh")
    present = [s for s in VALUE_SEGMENTS if s in set(seg["segment"])]
    assert list(fig.data[0].x) == [label(f"segment_{s}", "zh") for s in present]
    assert fig.data[0].y.tolist() == [int((seg["segment"] == s).sum()) for s in present]
    assert sum(fig.data[0].y) == len(rfm)
    mine = rfm.assign(segment=seg["segment"].to_numpy()).groupby("segment")
    assert fig.data[2].y.tolist() == pytest.approx(
        [round(mine["frequency"].mean()[s], 1) for s in present])
    assert fig.data[3].y.tolist() == pytest.approx(
        [round(mine["monetary_minor"].mean()[s]) / 100 for s in present])
    assert fig.layout.annotations[-1].text == "平均消费金额 (CNY)"
    assert_zh(fig)
    assert_en(sp.value_profile_chart(profile, lang="en"))


def test_value_profile_chart_of_kmeans_puts_no_purchase_last(book) -> None:
    model = RFMKMeans(k_range=(2, 3)).fit(book["rfm"])
    fig = sp.value_profile_chart(model.profiles_, lang="en")
    names = list(fig.data[0].x)
    assert names[: model.k_] == [f"Cluster {n}" for n in range(1, model.k_ + 1)]
    if (model.profiles_["segment"] == 0).any():
        assert names[-1] == "No purchase"
    assert sum(fig.data[0].y) == len(book["rfm"])
    zh = sp.value_profile_chart(model.profiles_, lang="zh")
    assert zh.data[0].x[0] == "第 1 群"


def test_tier_value_heatmap_names_the_valuable_customers_at_risk(book) -> None:
    cross = tier_value_cross(book["tb"], book["segments"])
    fig = sp.tier_value_heatmap(cross, lang="zh")
    hm = fig.data[0]
    assert np.asarray(hm.z).tolist() == cross.to_numpy().astype(float).tolist()
    assert np.asarray(hm.z).sum() == len(book["tb"])
    assert list(hm.y) == ["优质", "普通", "高风险", "限制类"]
    assert list(hm.x) == ["高价值", "潜力", "普通"]
    outlined = {(s.y0 + 0.5, s.x0 + 0.5) for s in fig.layout.shapes}
    assert outlined == {(2.0, 0.0), (3.0, 0.0)}  # high risk and restricted × high value
    assert fig.layout.annotations[0].text == "红框：高风险、限制类中的高价值客户"
    assert_zh(fig)
    en = sp.tier_value_heatmap(cross, lang="en", tiers_at_risk=("restricted",))
    assert len(en.layout.shapes) == 1 and "Restricted" in en.layout.annotations[0].text
    assert_en(en)


def test_tag_chart_lists_the_most_common_tags_and_says_how_many_are_left_out(book) -> None:
    tags = assign_tags(book["fb"])
    counts = tag_counts(tags, customers=book["fb"])
    fig = sp.tag_chart(counts, lang="zh", top=5)
    bar = fig.data[0]
    assert bar.x.tolist() == counts["customers"].head(5).tolist()
    assert list(bar.y) == [sp.tag_text(t, "zh") for t in counts["tag"].head(5)]
    assert bar.hovertext[0].endswith(f"({counts['share'].iloc[0]:.1%})")
    assert fig.layout.title.text == f"各标签客户数（另有 {len(counts) - 5} 个标签未列出）"
    assert_zh(fig)
    en = sp.tag_chart(counts, lang="en", top=len(counts))
    assert en.layout.title.text == "Customers per tag" and len(en.data[0].y) == len(counts)
    assert_en(en)


def test_tag_text_labels_shipped_and_field_tags_and_keeps_the_analysts_own() -> None:
    assert sp.tag_text("high_utilization", "zh") == "额度使用率高"
    assert sp.tag_text("industry:manufacturing", "zh") == "行业：制造业"
    assert sp.tag_text("industry:<b>x</b>", "en") == "Industry: <b>x</b>"  # escaped when drawn
    assert sp.tag_text("seasonal_buyer", "en") == "seasonal_buyer"
    fig = sp.tag_chart(pd.DataFrame({"tag": ["industry:<b>x</b>"], "customers": [1]}), lang="en")
    assert fig.data[0].y[0] == "Industry: &lt;b&gt;x&lt;/b&gt;"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: sp.tier_chart([1, 2]), "needs a DataFrame"),
        (lambda: sp.tier_chart(pd.DataFrame({"tier": ["prime"]})), r"\['customers'\]"),
        (lambda: sp.tier_chart(pd.DataFrame({"tier": ["gold"], "customers": [1]})),
         "one row per tier"),
        (lambda: sp.tier_chart(pd.DataFrame({"tier": ["prime"], "customers": [1]}), lang="fr"),
         "lang must be one of"),
        (lambda: mp.migration_heatmap(pd.DataFrame([[1]])), "matrix of"),
        (lambda: mp.migration_sankey(pd.DataFrame([[1]])), "migration_sankey needs the matrix"),
        (lambda: mp.migration_heatmap(pd.DataFrame(), value="balance"), "value must be one of"),
        (lambda: sp.value_profile_chart(pd.DataFrame({"segment": ["gold"], "customers": [1],
                                                      "recency_days": [1.0], "frequency": [1.0],
                                                      "monetary_minor": [1.0]})),
         "unknown value segment"),
        (lambda: sp.value_profile_chart(pd.DataFrame({"segment": [1]})), "recency_days"),
        (lambda: sp.tier_value_heatmap(pd.DataFrame([[1]])), "tier_value_cross"),
        (lambda: sp.tier_value_heatmap(
            pd.DataFrame(0, index=list(TIERS), columns=list(VALUE_SEGMENTS)),
            tiers_at_risk=("gold",)), "tiers_at_risk"),
        (lambda: sp.tag_chart(pd.DataFrame({"tag": ["x"], "customers": [1]}), top=0), "top"),
        (lambda: sp.segment_text("gold"), "unknown value segment"),
        (lambda: sp.tier_text("gold"), "unknown tier"),
    ],
)
def test_errors_name_the_problem(call, match) -> None:
    with pytest.raises(ParameterError, match=match):
        call()


def test_every_figure_has_the_package_look(book) -> None:
    model = RFMKMeans(k_range=(2,)).fit(book["rfm"])
    figures = [
        sp.tier_chart(tier_counts(book["tb"], balances=book["fb"])),
        mp.migration_heatmap(tier_migration(book["ta"], book["tb"])),
        sp.value_profile_chart(model.profiles_),
        sp.tier_value_heatmap(tier_value_cross(book["tb"], book["segments"])),
        sp.tag_chart(tag_counts(assign_tags(book["fb"]))),
    ]
    for fig in figures:
        assert fig.layout.template.layout.paper_bgcolor == "white"
        assert fig.layout.font.family.startswith("Noto Sans CJK SC")
        for name in dir(fig.layout):
            if re.fullmatch(r"[xy]axis\d*", name) and getattr(fig.layout, name).title.text:
                assert getattr(fig.layout, name).exponentformat == "none", name
