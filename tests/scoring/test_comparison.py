"""compare_auc: the two AUCs and DeLong's standard error of their difference, and the keep rule."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from creditkit.exceptions import ParameterError
from creditkit.scoring.comparison import compare_auc


def _brute_force_se(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """DeLong's variance from every (bad, good) pair, written out without ranks."""
    bad, good = y == 1, y == 0
    place_bad, place_good = [], []
    for s in (a, b):
        m = (s[good][None, :] > s[bad][:, None]) + 0.5 * (s[good][None, :] == s[bad][:, None])
        place_bad.append(m.mean(axis=1))
        place_good.append(m.mean(axis=0))
    c_bad, c_good = np.cov(np.vstack(place_bad)), np.cov(np.vstack(place_good))
    var = ((c_bad[0, 0] + c_bad[1, 1] - 2 * c_bad[0, 1]) / bad.sum()
           + (c_good[0, 0] + c_good[1, 1] - 2 * c_good[0, 1]) / good.sum())
    return float(np.sqrt(var))


def test_aucs_and_standard_error_match_the_pairwise_definition():
    rng = np.random.default_rng(1)
    y = (rng.random(500) < 0.3).astype(int)
    a = np.round(-(y + rng.normal(size=500)), 1)  # rounded: ties count half
    b = a + rng.normal(scale=0.5, size=500)
    c = compare_auc(y, a, b)
    assert c.base == pytest.approx(roc_auc_score(1 - y, a), abs=1e-12)
    assert c.challenger == pytest.approx(roc_auc_score(1 - y, b), abs=1e-12)
    assert c.se == pytest.approx(_brute_force_se(y, a, b), rel=1e-9)
    assert c.gain < 0 and not c.challenger_wins(z=0)


def test_the_standard_error_is_the_spread_over_repeated_samples():
    rng = np.random.default_rng(2)
    gains, ses = [], []
    for _ in range(200):
        y = (rng.random(400) < 0.3).astype(int)
        a = -(y + rng.normal(size=400))
        c = compare_auc(y, a, a + rng.normal(scale=0.5, size=400))
        gains.append(c.gain)
        ses.append(c.se)
    assert np.mean(ses) == pytest.approx(np.std(gains), rel=0.2)


def test_a_gain_must_exceed_min_gain_and_z_standard_errors():
    y = np.array([1, 0] * 200)
    rng = np.random.default_rng(3)
    base = -(y + rng.normal(size=400))
    same = compare_auc(y, base, base)
    assert same.gain == 0 and same.se == 0 and not same.challenger_wins(z=0)
    better = compare_auc(y, base, -(3 * y + rng.normal(size=400)))
    assert better.challenger_wins() and not better.challenger_wins(min_gain=0.5)
    assert not better.challenger_wins(z=better.gain / better.se + 0.01)


def test_bad_inputs_are_refused():
    with pytest.raises(ParameterError, match="both"):
        compare_auc([0, 0, 0], [1, 2, 3], [1, 2, 3])
    with pytest.raises(ParameterError, match="challenger must be 3 numbers"):
        compare_auc([0, 1, 0], [1, 2, 3], [1, 2])
    with pytest.raises(ParameterError, match="z must be"):
        compare_auc([0, 1, 0], [1, 2, 3], [1, 3, 2]).challenger_wins(z=-1)
