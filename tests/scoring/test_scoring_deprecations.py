"""Deprecated spellings of the scoring API: they work as before and warn once with the new one.

- The old argument order ``(y_score, y_true)`` of ``score_bands``,
  ``calibration_table``, ``cutoff_table``, ``grade_table``,
  ``score_distribution_chart`` and ``CutoffExplorer`` is swapped (``y_true``
  must be 0/1: when the first argument is not and the second is).
- ``bins=`` for score bands is ``bands=`` (``psi_table``, ``psi``, ``PSIMonitor``,
  ``score_bands``, ``calibration_table``).
- ``y=``/``score=``/``points=``/``scores=`` are ``y_true=``/``y_score=``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from creditkit.scoring import (
    PSIMonitor,
    auc,
    calibration_table,
    compare_models,
    cutoff_table,
    grade_table,
    psi,
    psi_table,
    score_bands,
)
from creditkit.scoring import plots as sp
from creditkit.scoring.widgets import CutoffExplorer

S = np.array([500.0, 520.0, 560.0, 600.0, 640.0, 700.0])
Y = np.array([1, 1, 0, 1, 0, 0])
P = np.array([0.6, 0.5, 0.3, 0.2, 0.1, 0.05])


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    """Each test sees the first use of a deprecated spelling."""
    monkeypatch.setattr("creditkit.deprecation._warned", set())


def _once(call, new: str):
    """Call twice: the first call warns (one FutureWarning per old spelling, one naming
    ``new``), the second is silent."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        first = call()
        n_first = len(seen)
        second = call()
    future = [str(w.message) for w in seen if issubclass(w.category, FutureWarning)]
    assert len(seen) == n_first, "the second call warned again"
    assert len(future) == len(set(future)) >= 1
    assert any(new in m for m in future), future
    return first, second


def _equal(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    else:
        assert a == b


@pytest.mark.parametrize(("old", "new", "name"), [
    (lambda: score_bands(S, Y, bands=2), lambda: score_bands(Y, S, bands=2), "score_bands"),
    (lambda: calibration_table(S, Y, P, bands=2), lambda: calibration_table(Y, S, P, bands=2),
     "calibration_table"),
    (lambda: cutoff_table(S, Y, cutoffs=[560]), lambda: cutoff_table(Y, S, cutoffs=[560]),
     "cutoff_table"),
    (lambda: grade_table(S, Y), lambda: grade_table(Y, S), "grade_table"),
])
def test_old_argument_order_is_swapped_with_one_warning(old, new, name):
    got, again = _once(old, f"{name}(y_true, y_score)")
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)  # the new order never warns
        want = new()
    _equal(got, want)
    _equal(again, want)


def test_old_order_of_the_charts_and_the_explorer():
    fig, _ = _once(lambda: sp.score_distribution_chart(S, Y, lang="en"),
                   "score_distribution_chart(y_true, y_score)")
    assert sorted(t.name for t in fig.data) == ["Bad", "Good"]
    ex, _ = _once(lambda: CutoffExplorer(S, Y, lang="en"), "CutoffExplorer(y_true, y_score)")
    assert ex.row_.equals(CutoffExplorer(Y, S, lang="en").row_)


def test_both_zero_one_reads_the_new_order():
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        tab = cutoff_table([1, 0, 1, 0], [0, 0, 1, 1], cutoffs=[1])
    assert tab["approved_bads"].tolist() == [1]


@pytest.mark.parametrize(("old", "new", "message"), [
    (lambda: psi_table(S, S + 10, bins=2), lambda: psi_table(S, S + 10, bands=2),
     "psi_table(bands=)"),
    (lambda: psi(S, S + 10, bins=2), lambda: psi(S, S + 10, bands=2), "psi(bands=)"),
    (lambda: score_bands(Y, S, bins=2), lambda: score_bands(Y, S, bands=2),
     "score_bands(bands=)"),
    (lambda: calibration_table(Y, S, P, bins=2), lambda: calibration_table(Y, S, P, bands=2),
     "calibration_table(bands=)"),
    (lambda: auc(y=Y, score=S), lambda: auc(Y, S), "auc(y_true=)"),
    (lambda: cutoff_table(score=S, y=Y, cutoffs=[560]), lambda: cutoff_table(Y, S, cutoffs=[560]),
     "cutoff_table(y_true=)"),
    (lambda: grade_table(scores=S, y=Y), lambda: grade_table(Y, S), "grade_table(y_true=)"),
    (lambda: compare_models(y=Y, pd_by_model={"m": P}), lambda: compare_models(Y, {"m": P}),
     "compare_models(y_true=)"),
])
def test_renamed_keywords_warn_once(old, new, message):
    got, _ = _once(old, message)
    _equal(got, new())


def test_psi_monitor_bins_keyword():
    m, _ = _once(lambda: PSIMonitor(bins=2), "PSIMonitor(bands=)")
    assert m.get_params()["bands"] == 2
    assert m.fit(S).psi(S) == PSIMonitor(bands=2).fit(S).psi(S)


def test_cutoff_explorer_keywords():
    ex, _ = _once(lambda: CutoffExplorer(y=Y, points=S, lang="en"), "CutoffExplorer(y_true=)")
    assert ex.row_.equals(CutoffExplorer(Y, S, lang="en").row_)


def test_chart_keywords():
    fig, _ = _once(lambda: sp.ks_chart(y=Y, points=S, lang="en"), "ks_chart(y_true=)")
    assert len(fig.data) == len(sp.ks_chart(Y, S, lang="en").data)
    roc, _ = _once(lambda: sp.roc_chart(y=Y, pd_by_model={"m": P}, lang="en"),
                   "roc_chart(y_true=)")
    assert roc.data[0].name.startswith("m (AUC")


def test_passing_old_and_new_keyword_is_an_error():
    with pytest.raises(TypeError, match="pass only bands="):
        psi_table(S, S, bins=2, bands=2)
