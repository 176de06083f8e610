"""Bin editor and cut-off explorer, driven headless through their traits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.scoring import BinningProcess, cutoff_table
from creditkit.scoring.widgets import BinEditor, CutoffExplorer


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(5)
    n = 1500
    X = pd.DataFrame({"age": rng.integers(18, 70, n).astype(float),
                      "home": rng.choice(["rent", "own", "free"], n)})
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


def test_bad_edit_shows_a_message_instead_of_raising(sample):
    X, y, _, _ = sample
    ed = BinEditor(BinningProcess().fit(X, y), X, y, lang="en")
    ed.variable.value = "age"
    ed.split_value.value = "not a number"
    ed.split_button.click()
    assert "could not convert" in ed.message.value or "float" in ed.message.value
    ed.merge_index.value = 99
    ed.merge_button.click()
    assert ed.message.value != ""


def test_cutoff_explorer_matches_cutoff_table():
    points = np.array([500, 520, 560, 600, 640, 700.0])
    y = np.array([1, 1, 0, 1, 0, 0])
    ex = CutoffExplorer(y, points, exposure_minor=1000, lgd="0.5", lang="zh")
    ex.cutoff.value = 560
    expected = cutoff_table(y, points, cutoffs=[560], exposure_minor=1000, lgd="0.5").iloc[0]
    assert ex.row_["approved"] == expected["approved"] == 4
    assert ex.row_["expected_loss_minor"] == 500
    assert "通过率" in ex.result.value


def test_errors(sample):
    X, y, _, _ = sample
    with pytest.raises(ParameterError, match="fitted creditkit BinningProcess"):
        BinEditor(BinningProcess(), X, y)
    with pytest.raises(ParameterError, match="lang must be one of"):
        BinEditor(BinningProcess().fit(X, y), X, y, lang="fr")
    with pytest.raises(ParameterError, match="lang must be one of"):
        CutoffExplorer([0, 1], [1, 2], lang="fr")
