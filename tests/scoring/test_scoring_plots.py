"""Scoring figures: the right traces from the tables, labels by language, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.scoring import cutoff_table, psi_table, score_bands
from creditkit.scoring import plots as sp
from creditkit.scoring.binlabels import bin_label

Y = np.array([1, 0, 1, 0, 0, 0, 1, 0])
S = np.array([500, 600, 540, 650, 610, 580, 560, 700.0])


def test_figures_carry_the_tables():
    fig = sp.iv_chart(pd.Series({"age_years": 0.3, "x_unlabelled": 0.1, "housing": 0.2}),
                      lang="zh")
    # labelled names in lang; a name without a label is shown as it is
    assert list(fig.data[0].y) == ["x_unlabelled", label("housing", "zh"), label("age_years", "zh")]
    assert fig.layout.xaxis.title.text == "信息值 (IV)"
    table = pd.DataFrame({"bin": ["a", "b", "Totals"], "bad_rate": [0.4, 0.1, 0.2],
                          "woe": [-0.5, 0.7, np.nan]})
    woe = sp.woe_chart(table, lang="en")
    assert list(woe.data[0].x) == ["a", "b"]  # the Totals row is left out
    roc = sp.roc_chart(Y, {"scorecard": -S}, lang="en")
    assert roc.data[0].name.startswith("Scorecard (AUC")
    ks = sp.ks_chart(Y, S, lang="en")
    assert ks.data[-1].name.startswith("KS ")
    dist = sp.score_distribution_chart(Y, S, lang="zh")
    assert sorted(t.name for t in dist.data) == ["坏客户", "好客户"]
    bands = sp.bands_chart(score_bands(Y, S, bands=2), lang="en")
    assert list(bands.data[0].y) == [4, 4]
    psi = sp.psi_chart(psi_table(S, S + 30, bands=[550, 600]), lang="en")
    assert psi.layout.title.text.startswith("PSI ")
    cut = sp.cutoff_chart(cutoff_table(Y, S, cutoffs=[500, 600]), lang="en")
    assert list(cut.data[0].y) == [1.0, 0.5]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: sp.iv_chart(pd.Series({"a": 1.0}), lang="fr"), "lang must be one of"),
        (lambda: sp.iv_chart({"a": 1.0}), "iv must be a Series"),
        (lambda: sp.woe_chart(pd.DataFrame({"bin": ["a"]})), r"\['bad_rate', 'woe'\] not in"),
    ],
)
def test_errors(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_woe_charts_of_the_strongest_variables():
    from creditkit.scoring import BinningProcess

    rng = np.random.default_rng(3)
    X = pd.DataFrame({"weak": rng.normal(size=2000), "strong": rng.normal(size=2000),
                      "mid": rng.normal(size=2000)})
    logit = -1 + 1.5 * X["strong"] + 0.5 * X["mid"]
    y = (rng.random(2000) < 1 / (1 + np.exp(-logit))).astype(int)
    bp = BinningProcess().fit(X, y)
    figs = sp.woe_charts(bp, top=2, lang="zh")
    assert [f.layout.title.text for f in figs] == ["strong", "mid"]
    raw = bp.table("strong").query("bin != 'Totals'")["bin"].astype(str)
    assert list(figs[0].data[0].x) == [bin_label(b, "zh") for b in raw]
    assert "∞" in figs[0].data[0].x[0]
    assert len(sp.woe_charts(bp, top=10, lang="en")) == 3
    with pytest.raises(ParameterError, match="top must be a positive integer"):
        sp.woe_charts(bp, top=0)
    with pytest.raises(ParameterError, match="fitted BinningProcess"):
        sp.woe_charts(BinningProcess())
