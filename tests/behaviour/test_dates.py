"""development_dates: the month ends a sample can be fitted on, from the data's last day."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.behaviour.dates import development_dates
from creditkit.exceptions import ParameterError


@pytest.mark.parametrize(("as_of", "horizon", "last"), [
    ("2025-12-31", 6, "2025-06-30"),
    ("2025-06-30", 6, "2024-12-31"),  # the small test store's last day
    ("2025-12-15", 6, "2025-05-31"),  # mid-month: June's window is not over yet
    ("2025-03-31", 12, "2024-03-31"),
])
def test_the_latest_date_is_the_last_whose_window_has_passed(as_of, horizon, last) -> None:
    dates = development_dates(as_of, n_dates=4, horizon_months=horizon)
    assert [d.is_month_end for d in dates] == [True] * 4
    assert str(dates[-1].date()) == last
    assert dates == sorted(dates) and len(set(dates)) == 4
    end_of_window = dates[-1] + pd.offsets.MonthEnd(horizon)
    assert end_of_window <= pd.Timestamp(as_of)
    assert dates[-1] + pd.offsets.MonthEnd(horizon + 1) > pd.Timestamp(as_of)


def test_no_row_of_a_sample_on_these_dates_waits_for_its_horizon() -> None:
    from creditkit.behaviour import development_sample
    from creditkit.datasets import make_portfolio

    book = make_portfolio(300, seed=2, kind="mixed", start="2024-01-01", end="2025-06-30")
    dates = development_dates("2025-06-30", n_dates=2, horizon_months=6)
    sample = development_sample(book, dates=dates, windows=(3,), horizon_months=6)
    assert not (sample["reason"] == "horizon_not_observed").any()
    later = development_sample(book, dates=[dates[-1] + pd.offsets.MonthEnd(1)], windows=(3,),
                               horizon_months=6)
    assert not later["in_sample"].any()  # one month later is too late
    assert (later["reason"] == "horizon_not_observed").any()


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_dates": 0}, "n_dates must be a positive whole number"),
    ({"n_dates": 2.0}, "n_dates must be a positive whole number"),
    ({"horizon_months": True}, "horizon_months must be a positive whole number"),
    ({"horizon_months": -6}, "horizon_months must be a positive whole number"),
])
def test_bad_counts_are_refused(kwargs, match) -> None:
    with pytest.raises(ParameterError, match=match):
        development_dates("2025-12-31", **kwargs)


def test_a_bad_as_of_is_refused() -> None:
    with pytest.raises(ParameterError):
        development_dates("2025-13-40")
