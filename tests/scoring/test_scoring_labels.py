"""The scorecard report speaks one language: German credit variables and categories are labelled."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from creditkit.datasets import load_german_credit
from creditkit.labels import LABELS, label
from creditkit.scoring.binlabels import bin_label, label_bins

GERMAN = load_german_credit()
VARIABLES = [c for c in GERMAN.columns if c != "target"]
CATEGORIES = sorted({v for c in VARIABLES if not pd.api.types.is_numeric_dtype(GERMAN[c])
                     for v in GERMAN[c].unique()})
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("key", VARIABLES + CATEGORIES)
def test_every_german_variable_and_category_has_both_labels(key):
    assert key in LABELS, f"no label for {key!r}"
    zh, en = LABELS[key]["zh"], LABELS[key]["en"]
    assert zh and en
    assert not LATIN_WORD.search(zh), f"zh label of {key!r} holds Latin words: {zh!r}"
    assert not CJK.search(en), f"en label of {key!r} holds Chinese: {en!r}"


def test_a_group_of_categories_is_labelled_category_by_category():
    car = "car or other, not in attribute Savings account/bonds"
    group = f"no checking account, {car}"
    assert bin_label(group, "zh") == label("no checking account", "zh") + "、" + label(car, "zh")
    assert bin_label(group, "en") == "No checking account, Car or other (not savings or bonds)"


@pytest.mark.parametrize(("text", "zh", "en"), [
    ("(-inf, 9)", "(-∞, 9)", "(-∞, 9)"),
    ("[48, inf)", "[48, ∞)", "[48, ∞)"),
    ("Missing", "缺失", "Missing"),
    ("Unknown", "未知类别", "Unknown"),
    ("Special -1", "特殊值 -1", "Special values -1"),
    ("a category without a label", "a category without a label", "a category without a label"),
])
def test_bin_label(text, zh, en):
    assert bin_label(text, "zh") == zh
    assert bin_label(text, "en") == en


def test_label_bins_does_not_mutate_and_skips_other_columns():
    table = pd.DataFrame({"variable": ["housing"], "bin": ["own, for free"]})
    before = table.copy()
    out = label_bins(table, "zh")
    pd.testing.assert_frame_equal(table, before)
    assert out.loc[0, "bin"] == "自有住房、免费居住" and out.loc[0, "variable"] == "housing"


def test_charts_show_labels_not_raw_names():
    from creditkit.scoring import BinningProcess
    from creditkit.scoring import plots as sp

    X, y = GERMAN[["property_magnitude", "housing"]], GERMAN["target"]
    binning = BinningProcess().fit(X, y)
    iv = sp.iv_chart(binning.iv_, lang="zh")
    assert set(iv.data[0].y) == {label("property_magnitude", "zh"), label("housing", "zh")}
    for fig in sp.woe_charts(binning, lang="zh"):
        texts = [fig.layout.title.text, *map(str, fig.data[0].x)]
        assert not any(LATIN_WORD.search(t) for t in texts), texts
    for fig in sp.woe_charts(binning, lang="en"):
        texts = [fig.layout.title.text, *map(str, fig.data[0].x)]
        assert not any(CJK.search(t) for t in texts), texts


def test_interval_bins_show_large_and_small_edges_in_plain_digits() -> None:
    # cardspec writes edges with :g ("1.98157e+07"); a report reads digits, not e-notation,
    # and the zh report's language scan reads "e" as an English word.
    from creditkit.scoring.binlabels import bin_label

    assert bin_label("[426000, 1.98157e+07)", "zh") == "[426000, 19815700)"
    assert bin_label("[1.98157e+07, inf)", "en") == "[19815700, ∞)"
    assert bin_label("(-inf, 1.2e-05)", "zh") == "(-∞, 0.000012)"
    assert bin_label("[-2.5e+06, 3)", "en") == "[-2500000, 3)"
    assert bin_label("[0.5, 1)", "en") == "[0.5, 1)"  # plain edges stay as written
