"""DSO / BPDSO / ADD / CEI formulas beyond the reference numbers."""

from __future__ import annotations

import math

import pytest

from creditkit.aging import (
    average_days_delinquent,
    best_possible_dso,
    cei,
    count_back_dso,
    simple_dso,
)
from creditkit.exceptions import ParameterError


def test_zero_sales_is_nan_not_an_error():
    assert math.isnan(simple_dso(100, 0, 30))
    assert math.isnan(cei(0, 0, 0, 0))


def test_count_back_runs_out_of_months():
    assert count_back_dso(1000, [100, 100], [31, 30]) == 61
    assert count_back_dso(50, [100], [31]) == pytest.approx(15.5)


def test_add_is_dso_minus_bpdso():
    assert average_days_delinquent(200, 50, 400, 30) == pytest.approx(
        simple_dso(200, 400, 30) - best_possible_dso(50, 400, 30))


def test_raises():
    with pytest.raises(ParameterError, match="days must be > 0"):
        simple_dso(1, 1, 0)
    with pytest.raises(ParameterError, match="ending_ar must be >= 0"):
        simple_dso(-1, 1, 30)
    with pytest.raises(ParameterError, match="credit_sales must be a number"):
        best_possible_dso(1, "x", 30)
    with pytest.raises(ParameterError, match="cannot exceed ending_ar"):
        average_days_delinquent(10, 20, 100, 30)
    with pytest.raises(ParameterError, match="one day count per month"):
        count_back_dso(10, [1, 2], [30])
    with pytest.raises(ParameterError, match="beginning_ar must be >= 0"):
        cei(-5, 1, 1, 1)
