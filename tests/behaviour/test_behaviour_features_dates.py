"""Features at many dates: the rows of behaviour_features at each date, and no look-ahead."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.behaviour import behaviour_features, behaviour_features_at_dates
from creditkit.exceptions import CreditkitError, ParameterError, SchemaError

MONTH_ENDS = [str(d.date()) for d in pd.date_range("2024-07-31", "2025-06-30", freq="ME")]
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def per_date(book, dates, windows=(3, 6, 12)) -> pd.DataFrame:
    """The reference: behaviour_features at each date, stacked."""
    return pd.concat([behaviour_features(book, as_of=d, windows=windows) for d in dates],
                     ignore_index=True)


def test_identical_to_one_call_per_date_on_generator_data(small_portfolio):
    got = behaviour_features_at_dates(small_portfolio, dates=MONTH_ENDS)
    pd.testing.assert_frame_equal(got, per_date(small_portfolio, MONTH_ENDS))
    assert got["as_of"].nunique() == 12
    assert not got.duplicated(["as_of", "customer_id"]).any()


def test_identical_on_dates_that_are_not_month_ends(small_portfolio):
    dates = ["2024-03-15", "2024-09-30", "2025-02-14"]
    got = behaviour_features_at_dates(small_portfolio, dates=dates, windows=(1, 3))
    pd.testing.assert_frame_equal(got, per_date(small_portfolio, dates, (1, 3)))


def dates_from(offsets: list[int]) -> list[pd.Timestamp]:
    start = pd.Timestamp("2024-01-01")
    return sorted({start + pd.Timedelta(days=o) for o in offsets})


@SETTINGS
@given(seed=st.integers(0, 10_000), offsets=st.lists(st.integers(0, 700), min_size=1,
                                                      max_size=5))
def test_identical_to_one_call_per_date_on_random_ledgers(make_random_book, seed, offsets):
    book, dates = make_random_book(seed), dates_from(offsets)
    if (book["customers"]["open_date"] > dates[0]).all():
        with pytest.raises(ParameterError, match="before every customer"):
            behaviour_features_at_dates(book, dates=dates)
        return
    got = behaviour_features_at_dates(book, dates=dates, windows=(1, 3, 6))
    pd.testing.assert_frame_equal(got, per_date(book, dates, (1, 3, 6)))


@SETTINGS
@given(seed=st.integers(0, 10_000), offsets=st.lists(st.integers(0, 700), min_size=2,
                                                      max_size=5), pick=st.integers(0, 4))
def test_features_at_a_date_unchanged_when_the_future_is_deleted(make_random_book, cut_future,
                                                                 seed, offsets, pick):
    book, dates = make_random_book(seed), dates_from(offsets)
    if (book["customers"]["open_date"] > dates[0]).all():
        return
    day = dates[min(pick, len(dates) - 1)]
    full = behaviour_features_at_dates(book, dates=dates, windows=(1, 3, 6))
    trimmed = behaviour_features_at_dates(cut_future(book, day),
                                          dates=[d for d in dates if d <= day],
                                          windows=(1, 3, 6))
    pd.testing.assert_frame_equal(full[full["as_of"] == day].reset_index(drop=True),
                                  trimmed[trimmed["as_of"] == day].reset_index(drop=True))


def test_on_generator_data_the_future_changes_nothing(small_portfolio, cut_future):
    day = pd.Timestamp(MONTH_ENDS[5])
    full = behaviour_features_at_dates(small_portfolio, dates=MONTH_ENDS)
    trimmed = behaviour_features_at_dates(cut_future(small_portfolio, day),
                                          dates=MONTH_ENDS[:6])
    pd.testing.assert_frame_equal(full[full["as_of"] <= day], trimmed)


def test_without_transactions_or_channels(tiny):
    del tiny["transactions"]
    tiny["payments"] = tiny["payments"].drop(columns="channel")
    dates = ["2025-03-31", "2025-04-30", "2025-05-31"]
    got = behaviour_features_at_dates(tiny, dates=dates, windows=(1, 3))
    pd.testing.assert_frame_equal(got, per_date(tiny, dates, (1, 3)))
    assert got["spend_3m_minor"].isna().all()


def test_a_bill_due_before_its_issue_date_is_still_computed_right(tiny):
    odd = tiny["bills"].iloc[[0]].assign(bill_id="BX", issue_date=pd.Timestamp("2025-04-20"),
                                        due_date=pd.Timestamp("2025-03-15"))
    tiny["bills"] = pd.concat([tiny["bills"], odd], ignore_index=True)
    dates = ["2025-03-31", "2025-04-30"]
    got = behaviour_features_at_dates(tiny, dates=dates, windows=(1, 3))
    pd.testing.assert_frame_equal(got, per_date(tiny, dates, (1, 3)))


def test_customers_appear_from_their_open_date(tiny):
    got = behaviour_features_at_dates(tiny, dates=["2025-03-31", "2025-05-31"], windows=(3,))
    assert got.groupby("as_of")["customer_id"].apply(list).tolist() == [["A"], ["A", "B", "C"]]


# --- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize("dates", [[], "2025-03-31", ["2025-04-30", "2025-03-31"],
                                   ["2025-03-31", "2025-03-31"], ["2025-13-01"], None])
def test_bad_dates(tiny, dates):
    with pytest.raises(ParameterError, match="dates"):
        behaviour_features_at_dates(tiny, dates=dates)


def test_first_date_before_every_customer(tiny):
    with pytest.raises(ParameterError, match="before every customer"):
        behaviour_features_at_dates(tiny, dates=["2024-06-30", "2025-03-31"])


@pytest.mark.parametrize("windows", [(), (6, 3), (0,)])
def test_bad_windows(tiny, windows):
    with pytest.raises(CreditkitError, match="window"):
        behaviour_features_at_dates(tiny, dates=["2025-04-30"], windows=windows)


def test_missing_table_is_named(tiny):
    del tiny["bills"]
    with pytest.raises(SchemaError, match="bills"):
        behaviour_features_at_dates(tiny, dates=["2025-04-30"])


def test_input_is_not_mutated(tiny):
    before = {k: v.copy() for k, v in tiny.items()}
    behaviour_features_at_dates(tiny, dates=["2025-03-31", "2025-04-30"])
    for k, v in tiny.items():
        pd.testing.assert_frame_equal(v, before[k])


@pytest.mark.parametrize("seed", range(6))
def test_identical_on_the_ledger_own_days(make_random_book, seed):
    """Dates falling on payments, due dates and issue dates: the boundaries of every window."""
    book = make_random_book(seed)
    p, b = book["payments"], book["bills"]
    days = pd.concat([p["paid_date"].head(3), b["due_date"].head(3), b["issue_date"].head(2)])
    first = book["customers"]["open_date"].min()
    dates = sorted({d for d in days if d >= first})
    got = behaviour_features_at_dates(book, dates=dates, windows=(1, 3))
    pd.testing.assert_frame_equal(got, per_date(book, dates, (1, 3)))
