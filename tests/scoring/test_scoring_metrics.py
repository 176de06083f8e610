"""Validation metrics hand-checked on tiny cases and against scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from creditkit.exceptions import ParameterError
from creditkit.scoring import (
    PSIMonitor,
    auc,
    calibration_table,
    csi,
    cutoff_table,
    gini,
    ks,
    ks_table,
    psi,
    psi_table,
    roc_table,
    score_bands,
    stability_status,
)

Y = [1, 1, 0, 0, 1, 0]
S = [500, 540, 560, 600, 560, 620]  # points: higher = safer


def test_auc_by_hand_with_a_tie():
    # bads 500, 540, 560 vs goods 560, 600, 620: 9 pairs, goods above in 8, one tie
    assert auc(Y, S) == pytest.approx(8.5 / 9)
    assert gini(Y, S) == pytest.approx(2 * 8.5 / 9 - 1)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 20)), min_size=2, max_size=60))
def test_auc_matches_sklearn(pairs):
    y = [p[0] for p in pairs]
    s = [p[1] for p in pairs]
    if len(set(y)) < 2:
        return
    assert auc(y, s) == pytest.approx(roc_auc_score(1 - np.array(y), s))
    assert auc(y, [-v for v in s], higher_is_bad=True) == pytest.approx(auc(y, s))


def test_ks_by_hand():
    # riskiest first: 500 (b) 540 (b) 560 (b,g) 600 (g) 620 (g)
    # cum bad 1/3, 2/3, 1, 1, 1 ; cum good 0, 0, 1/3, 2/3, 1 → max gap 2/3
    assert ks(Y, S) == pytest.approx(2 / 3)
    tab = ks_table(Y, S)
    assert tab["score"].tolist() == [500, 540, 560, 600, 620]
    assert tab["cum_bad_share"].round(4).tolist() == [0.3333, 0.6667, 1.0, 1.0, 1.0]


def test_roc_table_ends_at_one_one():
    roc = roc_table(Y, S)
    assert roc[["fpr", "tpr"]].iloc[0].tolist() == [0.0, 0.0]
    assert roc[["fpr", "tpr"]].iloc[-1].tolist() == [1.0, 1.0]
    area = np.trapezoid(roc["tpr"], roc["fpr"])
    assert area == pytest.approx(auc(Y, S))


def test_score_bands_by_hand():
    tab = score_bands(Y, S, bands=[550, 610])
    assert tab["band"].tolist() == ["[-inf, 550)", "[550, 610)", "[610, inf)"]
    assert tab["count"].tolist() == [2, 3, 1]
    assert tab["bads"].tolist() == [2, 1, 0]
    assert tab["cum_bad_share"].tolist() == pytest.approx([2 / 3, 1.0, 1.0])
    assert tab["lift"].tolist() == pytest.approx([2.0, (1 / 3) / 0.5, 0.0])
    assert tab["cum_lift"].iloc[-1] == pytest.approx(1.0)


def test_score_bands_for_a_pd_put_riskiest_first():
    tab = score_bands([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2], bands=[0.5], higher_is_bad=True)
    assert tab["bad_rate"].tolist() == [1.0, 0.0]


def test_calibration_by_band():
    tab = calibration_table(Y, S, [0.6, 0.5, 0.3, 0.1, 0.4, 0.1], bands=[550])
    assert tab["observed_bad_rate"].tolist() == pytest.approx([1.0, 0.25])
    assert tab["predicted_bad_rate"].tolist() == pytest.approx([0.55, 0.225])
    assert tab["difference"].tolist() == pytest.approx([0.45, 0.025])


def test_psi_by_hand_with_epsilon_for_an_empty_bin():
    base = [1, 2, 3, 4]
    current = [1, 1, 1, 1]  # bin [2.5, inf) empty now
    e, a, eps = 0.5, 1.0, 1e-4
    expected = (a - e) * math.log(a / e) + (eps - e) * math.log(eps / e)
    assert psi(base, current, bands=[2.5]) == pytest.approx(expected)
    assert psi(base, current, bands=[2.5], epsilon=1e-3) != pytest.approx(expected)


def test_psi_breakpoints_come_from_the_base_only():
    base = np.arange(100.0)
    shifted = base + 1000  # all of it above the base's top breakpoint
    tab = psi_table(base, shifted, bands=4)
    assert tab["bin"].tolist()[-1].endswith("inf)")
    assert tab["current_count"].tolist() == [0, 0, 0, 100]
    assert psi(base, base, bands=4) == 0.0


def test_psi_missing_values_get_their_own_bin():
    tab = psi_table([1.0, 2.0, np.nan, 4.0], [1.0, np.nan, np.nan, 4.0], bands=[2.5])
    assert tab["bin"].tolist()[-1] == "missing"
    assert tab["current_count"].tolist() == [1, 1, 2]


@pytest.mark.parametrize(("value", "status"), [(0.0, "stable"), (0.0999, "stable"),
                                               (0.1, "watch"), (0.2499, "watch"),
                                               (0.25, "act"), (3.0, "act")])
def test_stability_thresholds(value, status):
    assert stability_status(value) == status


def test_stability_thresholds_are_parameters():
    assert stability_status(0.15, thresholds=(0.2, 0.3)) == "stable"


def test_csi_per_variable():
    base = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]})
    cur = pd.DataFrame({"a": ["x", "x", "x", "x"], "b": ["p", "q", "p", "q"]})
    tab = csi(base, cur)
    assert tab["variable"].tolist() == ["a", "b"]
    assert tab.loc[1, "csi"] == 0.0 and tab.loc[1, "status"] == "stable"
    assert tab.loc[0, "csi"] == pytest.approx(psi([0, 0, 1, 1], [0, 0, 0, 0], bands=[0.5]))


def test_psi_monitor():
    m = PSIMonitor(bands=4).fit(np.arange(100.0))
    assert len(m.breakpoints_) == 3
    assert m.psi(np.arange(100.0)) == 0.0
    assert m.status(np.arange(100.0) + 60) == "act"
    assert m.table(np.arange(10.0))["base_count"].sum() == 100


def test_cutoff_table_by_hand_with_integer_expected_loss():
    tab = cutoff_table([1, 0, 1, 0], [500, 550, 600, 650], cutoffs=[0, 550, 601, 700],
                       exposure_minor=[10_001, 20_000, 30_001, 40_000], lgd="0.5")
    assert tab["approved"].tolist() == [4, 3, 1, 0]
    assert tab["approval_rate"].tolist() == [1.0, 0.75, 0.25, 0.0]
    assert tab["approved_bads"].tolist() == [2, 1, 0, 0]
    assert tab["rejected_bads"].tolist() == [0, 1, 2, 2]
    # (10001 + 30001) * 1/2 = 20001 ; 30001 / 2 = 15000.5 → half to even 15000
    assert tab["expected_loss_minor"].tolist() == [20001, 15000, 0, 0]
    assert str(tab["expected_loss_minor"].dtype) == "Int64"
    assert np.isnan(tab["bad_rate"].iloc[-1])


def test_cutoff_table_default_cutoffs_are_score_quantiles():
    tab = cutoff_table(np.arange(100) % 2, np.arange(100.0))
    assert tab["approval_rate"].iloc[0] == 1.0 and tab["approved"].is_monotonic_decreasing


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: auc([0, 1], [1.0]), "same length"),
        (lambda: auc([], []), "y_true is empty"),
        (lambda: auc([0, 2], [1, 2]), r"y_true must hold only 0 \(good\).*got also \[2\]"),
        (lambda: auc(["a", "b"], [1, 2]), "map the target to 0/1"),
        (lambda: auc([0, 0], [1, 2]), r"y_true holds only 1 class \(goods\)"),
        (lambda: auc([0, 1], [1, np.nan]), "1 missing value"),
        (lambda: score_bands([0, 1], [1, 2], bands=0), "bands must be >= 1"),
        (lambda: score_bands([0, 1], [1, 2], bands=[2, 1]), "strictly increasing"),
        (lambda: calibration_table([0, 1], [1, 2], [0.5, 1.5]), "pd_pred must be"),
        (lambda: stability_status(0.1, thresholds=(0.3, 0.2)), "0 <= watch < act"),
        (lambda: stability_status(0.1, thresholds="x"), "two numbers"),
        (lambda: psi([1, 2], [1, 2], epsilon=0), "epsilon must be a number in"),
        (lambda: psi(["a"], [1.0]), "base must be numeric"),
        (lambda: psi([], [1.0]), "non-empty 1-d"),
        (lambda: csi(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]})), r"\['a'\] not in both"),
        (lambda: cutoff_table([0, 1], [1, 2], lgd="x"), "lgd must be a fraction"),
        (lambda: cutoff_table([0, 1], [1, 2], lgd="1.5"), r"lgd must be in \[0, 1\]"),
        (lambda: cutoff_table([0, 1], [1, 2], exposure_minor=[1.5, 2.0]), "integer minor units"),
    ],
)
def test_errors(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_inputs_not_mutated():
    s = pd.Series(S, dtype="float64")
    y = pd.Series(Y)
    s0, y0 = s.copy(), y.copy()
    score_bands(y, s, bands=2)
    cutoff_table(y, s)
    pd.testing.assert_series_equal(s, s0)
    pd.testing.assert_series_equal(y, y0)
