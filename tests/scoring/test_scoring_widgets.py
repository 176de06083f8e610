"""Bin editor and cut-off explorer, driven headless through their traits."""

from __future__ import annotations

import re
import time

import numpy as np
import pandas as pd
import pytest

from creditkit.display.widgets import widget_text
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.scoring import BinningProcess, cutoff_table
from creditkit.scoring.widgets import BinEditor, CutoffExplorer

ALLOWED_LATIN = {"AUC", "IV", "WoE", "KS", "LGD", "CNY"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def foreign_words(texts, lang):
    """Words of the other script: Latin words in zh (ids with digits allowed), CJK in en."""
    if lang == "en":
        return sorted({c for t in texts for c in _CJK.findall(t)})
    return sorted({w for t in texts for w in _LATIN.findall(t)
                   if w not in ALLOWED_LATIN and not any(c.isdigit() for c in w)})


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(5)
    n = 1500
    X = pd.DataFrame({"age": rng.integers(18, 70, n).astype(float),
                      "home": rng.choice(["rent", "own", "for free"], n)})
    logit = -1 - 0.04 * (X["age"] - 40) + 0.8 * (X["home"] == "rent")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X.iloc[:1000], y.iloc[:1000], X.iloc[1000:], y.iloc[1000:]


def test_merge_split_reset_update_table_iv_and_auc(sample):
    X, y, Xt, yt = sample
    bp = BinningProcess().fit(X, y)
    ed = BinEditor(bp, X, y, Xt, yt, lang="en")
    ed.variable.value = "age"
    n0 = len(ed.binning_.table("age", totals=False))
    iv0, auc0 = float(ed.binning_.iv_["age"]), ed.auc_
    assert f"{auc0:.4f}" in ed.summary.value and "WoE" in ed.table.value
    ed.merge_index.value = 0
    ed.merge_button.click()
    assert len(ed.binning_.table("age", totals=False)) == n0 - 1
    assert float(ed.binning_.iv_["age"]) <= iv0 + 1e-12  # merging never adds information
    assert f"{ed.auc_:.4f}" in ed.summary.value
    assert ed.card_.bins_["age"].n_regular == ed.binning_.binnings_["age"].n_clean_bins_
    ed.split_value.value = "30"
    ed.split_button.click()
    assert 30.0 in ed.binning_.binnings_["age"].splits_.tolist()
    ed.reset_button.click()
    assert len(ed.binning_.table("age", totals=False)) == n0
    assert ed.auc_ == pytest.approx(auc0)
    # the caller's binning is never edited
    assert len(bp.table("age", totals=False)) == n0


def test_bad_edit_shows_a_message_in_the_language_instead_of_raising(sample):
    X, y, _, _ = sample
    for lang in ("zh", "en"):
        ed = BinEditor(BinningProcess().fit(X, y), X, y, lang=lang)
        ed.variable.value = "age"
        n = len(ed.binning_.table("age", totals=False))
        ed.split_value.value = "not a number"
        ed.split_button.click()
        assert label("edit_bad_number", lang) in ed.message.value
        ed.variable.value = "home"
        ed.split_value.value = "no such category"
        ed.split_button.click()
        assert label("edit_unknown_category", lang) in ed.message.value
        ed.variable.value = "age"
        n_clean = ed.binning_.binnings_["age"].n_clean_bins_
        ed.merge_index.value = 99  # the box stops at the last bin that has a next one
        assert ed.merge_index.value == n_clean - 2
        ed.merge_button.click()
        assert ed.message.value == "" and len(ed.binning_.table("age", totals=False)) == n - 1
        assert foreign_words([ed.message.value], lang) == []


def test_doubts_about_an_edit_are_said_in_the_language(sample):
    X, y, _, _ = sample
    ed = BinEditor(BinningProcess().fit(X, y), X, y, lang="zh")
    ed.variable.value = "age"
    assert ed.binning_.binnings_["age"].monotonic_trend_ == "descending"
    ed.split_value.value = "20"  # young applicants split off: the fitted trend breaks
    ed.split_button.click()
    assert 20.0 in ed.binning_.binnings_["age"].splits_.tolist()
    assert label("edit_trend_broken", "zh") in ed.message.value
    ed.reset_button.click()
    assert ed.message.value == ""
    ed.split_value.value = "1000000"  # beyond the data: the split lands on a stored value
    ed.split_button.click()
    last = ed.binning_.binnings_["age"].splits_[-1]
    assert label("edit_split_moved", "zh").format(value=f"{last:g}") in ed.message.value


def test_categories_split_by_their_label(sample):
    X, y, _, _ = sample
    ed = BinEditor(BinningProcess().fit(X, y), X, y, lang="zh")
    ed.variable.value = "home"
    ed.merge_index.value = 0
    ed.merge_button.click()  # two categories share a bin now
    before = len(ed.binning_.table("home", totals=False))
    grouped = [b for b in ed.binning_.table("home", totals=False)["bin"] if ", " in b]
    first = grouped[0].split(", ")[0]
    assert label(first, "zh") in ed.table.value  # shown by its label
    ed.split_value.value = label(first, "zh")  # typed as the table shows it
    ed.split_button.click()
    assert ed.message.value == ""
    assert len(ed.binning_.table("home", totals=False)) == before + 1


def test_cutoff_explorer_matches_cutoff_table():
    points = np.array([500, 520, 560, 600, 640, 700.0])
    y = np.array([1, 1, 0, 1, 0, 0])
    ex = CutoffExplorer(y, points, exposure_minor=1000, lgd="0.5", lang="zh")
    ex.cutoff.value = 560
    expected = cutoff_table(y, points, cutoffs=[560], exposure_minor=1000, lgd="0.5").iloc[0]
    assert ex.row_["approved"] == expected["approved"] == 4
    assert ex.row_["expected_loss_minor"] == 500
    assert "通过率" in ex.result.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cutoff_explorer_reads_like_a_report_table(lang):
    points = np.array([500, 520, 560, 600, 640, 700.0])
    y = np.array([1, 1, 0, 1, 0, 0])
    ex = CutoffExplorer(y, points, exposure_minor=1000, lgd="0.5", lang=lang)
    ex.cutoff.value = 560
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", ex.result.value)
    # cut-off a whole number, rates as percentages, expected loss as money with its currency
    assert cells[0] == "560" and "560.0" not in ex.result.value
    assert "66.7%" in cells and "25.0%" in cells  # approval rate 4/6, bad rate 1/4
    assert ("¥5.00" if lang == "zh" else "CN¥5.00") in cells  # 1 bad × ¥10.00 × 0.5
    assert "CNY" in cells  # the currency column of a money table
    assert "12.5%" in cells  # expected loss over approved exposure: 500 / 4,000
    assert "0.6667" not in ex.result.value and "0.25" not in cells
    assert foreign_words(widget_text(ex), lang) == []
    assert ex.cutoff.description == label("cutoff", lang) and ex.cutoff.tooltip


def test_cutoff_explorer_slider_moves_in_whole_points_from_a_round_start():
    rng = np.random.default_rng(3)
    points = rng.normal(525.66, 40, 400)
    y = (rng.random(400) < 0.3).astype(int)
    ex = CutoffExplorer(y, points, lang="en")
    assert isinstance(ex.cutoff.value, int) and ex.cutoff.step in (1, 5)
    assert ex.cutoff.value % 10 == 0 and abs(ex.cutoff.value - np.median(points)) <= 5
    assert ex.cutoff.min <= points.min() and ex.cutoff.max >= points.max()
    # without an exposure the loss is a rate of the approved (bad rate × LGD), not "9" fen
    row = ex.row_
    rate = f"{row['bad_rate'] * 0.45:.1%}"
    assert f">{rate}<" in ex.result.value and "¥" not in ex.result.value
    assert label("expected_loss_rate", "en") in ex.result.value
    assert "LGD 45%" in ex.result.value


def test_empty_missing_bin_shows_a_dash_under_aligned_headers(sample):
    X, y, _, _ = sample
    ed = BinEditor(BinningProcess().fit(X, y), X, y, lang="zh")
    ed.variable.value = "age"
    tab = ed.binning_.table("age", totals=False)
    assert np.isnan(tab["bad_rate"].iloc[-1])  # the fixture has no missing ages
    rows = re.findall(r"<tr>(.*?)</tr>", ed.table.value)
    head = re.findall(r"<th( class=\"ck-num\")?>([^<]*)</th>", rows[0])
    last = re.findall(r"<td( class=\"ck-num\")?>([^<]*)</td>", rows[-1])
    assert [c for c, _ in head] == [c for c, _ in last]  # each header over its values
    assert [h for _, h in head][:3] == [label("bin_index", "zh"), label("bin", "zh"),
                                        label("count", "zh")]
    missing = dict(zip([h for _, h in head], [v for _, v in last], strict=True))
    assert missing[label("bin", "zh")] == label("Missing", "zh")
    assert missing[label("bad_rate", "zh")] == "–"  # undefined, not NaN
    assert missing[label("bin_index", "zh")] == ""  # the Missing bin does not merge
    assert "nan" not in ed.table.value.lower()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bin_editor_controls_come_from_the_label_table_and_say_what_they_do(sample, lang):
    X, y, _, _ = sample
    ed = BinEditor(BinningProcess().fit(X, y), X, y, lang=lang)
    controls = {ed.variable: "variable", ed.merge_index: "edit_bin_number",
                ed.merge_button: "edit_merge", ed.split_value: "edit_split_value",
                ed.split_button: "edit_split", ed.reset_button: "edit_reset"}
    for control, key in controls.items():
        assert control.description == label(key, lang)
        assert control.tooltip, key  # each control says what it does
    assert label("edit_merge_tip", lang) == ed.merge_button.tooltip
    assert [name for name, _ in ed.variable.options] == [label(v, lang) for v in ("age", "home")]
    texts = widget_text(ed)
    assert foreign_words(texts, lang) == []
    ed.variable.value = "home"
    assert foreign_words(widget_text(ed), lang) == []


def test_bin_editor_answers_within_a_second(sample):
    X, y, Xt, yt = sample
    ed = BinEditor(BinningProcess().fit(X, y), X, y, Xt, yt, lang="zh")
    ed.variable.value = "age"
    start = time.perf_counter()
    ed.merge_button.click()
    ed.reset_button.click()
    assert time.perf_counter() - start < 2.0  # two edits, each well under a second


def test_errors(sample):
    X, y, _, _ = sample
    with pytest.raises(ParameterError, match="fitted creditkit BinningProcess"):
        BinEditor(BinningProcess(), X, y)
    with pytest.raises(ParameterError, match="lang must be one of"):
        BinEditor(BinningProcess().fit(X, y), X, y, lang="fr")
    with pytest.raises(ParameterError, match="lang must be one of"):
        CutoffExplorer([0, 1], [1, 2], lang="fr")
    with pytest.raises(ParameterError, match="unknown currency 'XXQ'"):
        CutoffExplorer([0, 1], [1, 2], exposure_minor=100, currency="XXQ")
    with pytest.raises(ParameterError, match="exposure_minor must be integer minor units"):
        CutoffExplorer([0, 1], [1, 2], exposure_minor=1.5)
