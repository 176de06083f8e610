"""The fit on all rows after the subsample: fixed-information steps, the same MLE as Newton."""

from __future__ import annotations

import numpy as np
import pytest

from creditkit.scoring import logit


def _sample(n=20_000, seed=11):
    rng = np.random.default_rng(seed)
    X = rng.choice(np.linspace(-1, 1, 7), size=(n, 5))
    eta = -2.5 + X @ [0.8, -0.5, 0.3, 0.0, 1.2]
    return X, (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)


@pytest.mark.parametrize("steps", [1, 3, 20])
def test_any_number_of_quasi_steps_ends_at_the_cold_estimate(monkeypatch, steps):
    X, y = _sample()
    cold = logit.fit_logit(X, y, l2=1.0)
    monkeypatch.setattr(logit, "SUBSAMPLE_ROWS", 5_000)
    monkeypatch.setattr(logit, "QUASI_STEPS", steps)  # too few: Newton takes over
    warm = logit.fit_logit(X, y, l2=1.0)
    np.testing.assert_allclose(warm.coef, cold.coef, atol=1e-10)
    np.testing.assert_allclose(warm.se, cold.se, rtol=1e-8)
    assert warm.converged


def test_design_matrix_view_is_fitted_without_a_copy_and_alike():
    X, y = _sample(n=3000)
    m = logit.design_matrix(len(X), X.shape[1])
    m[:, 1:] = X
    a, b = logit.fit_logit(m[:, 1:], y), logit.fit_logit(X.copy(order="C"), y)
    np.testing.assert_array_equal(a.coef, b.coef)
    m[5, 0] = 2.0  # not a column of ones any more: copied, still the right model
    np.testing.assert_array_equal(logit.fit_logit(m[:, 1:], y).coef, b.coef)
