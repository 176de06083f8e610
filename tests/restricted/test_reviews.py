"""The review calendar: month-end safe, at least quarterly, review records checked."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.restricted import add_months, check_reviews, overdue_reviews, review_schedule


@pytest.mark.parametrize(("start", "months", "expected"), [
    ("2025-01-31", 1, "2025-02-28"), ("2024-01-31", 1, "2024-02-29"),
    ("2024-02-29", 12, "2025-02-28"), ("2024-02-29", 48, "2028-02-29"),
    ("2025-08-31", 3, "2025-11-30"), ("2025-11-30", 3, "2026-02-28"),
    ("2025-03-31", -1, "2025-02-28"), ("2025-12-15", 1, "2026-01-15")])
def test_add_months_is_month_end_safe(start: str, months: int, expected: str) -> None:
    assert add_months(pd.to_datetime([start]), months)[0] == pd.Timestamp(expected)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=pd.Timestamp("1990-01-01").date(),
                max_value=pd.Timestamp("2090-01-01").date()), st.integers(-120, 120))
def test_add_months_agrees_with_pandas(day, months) -> None:
    expected = pd.Timestamp(day) + pd.DateOffset(months=months)
    assert add_months(pd.to_datetime([day]), months)[0] == expected


def frame() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                         "restriction_level": ["stop", "restricted", "watch", "none"],
                         "review_months": [1, 3, 3, 12],
                         "level_since": pd.to_datetime(["2025-01-31", "2025-03-31",
                                                        "2025-05-31", None])})


def test_schedule_from_level_dates_and_overdue() -> None:
    s = review_schedule(frame(), as_of="2025-06-30").set_index("customer_id")
    assert "d" not in s.index  # not restricted: not on the calendar
    assert s.loc["a", "next_review"] == pd.Timestamp("2025-02-28")
    assert s.loc["b", "next_review"] == pd.Timestamp("2025-06-30")
    assert s.loc["c", "next_review"] == pd.Timestamp("2025-08-31")
    assert s["overdue"].to_dict() == {"a": True, "b": False, "c": False}  # due today: not late
    assert s.loc["a", "days_overdue"] == 122
    assert overdue_reviews(s.reset_index())["customer_id"].tolist() == ["a"]


def test_a_review_restarts_the_clock_but_not_one_before_the_level_or_after_as_of() -> None:
    reviews = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
                            "review_date": ["2025-06-15", "2025-07-15", "2025-02-01",
                                            "2025-06-01"],
                            "reviewer": ["王芳", "王芳", "李强", "李强"],
                            "decision": ["keep", "release", "keep", "tighten"],
                            "note": ["", None, "", "付款变慢"]})
    s = review_schedule(frame(), as_of="2025-06-30", reviews=reviews).set_index("customer_id")
    assert s.loc["a", "last_review"] == pd.Timestamp("2025-06-15")  # the July one is future
    assert s.loc["a", "next_review"] == pd.Timestamp("2025-07-15")
    assert not s.loc["a", "overdue"]
    assert s.loc["b", "basis_date"] == pd.Timestamp("2025-03-31")  # review before its level
    assert s.loc["c", "next_review"] == pd.Timestamp("2025-09-01")
    assert s.loc["c", "reviewer"] == "李强" and s.loc["c", "last_decision"] == "tighten"


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"decision": "hold"}, ParameterError, r"reviews row 2: unknown decision 'hold'"),
    ({"review_date": "31/02/2025"}, ParameterError, r"reviews row 2: review_date .* YYYY-MM-DD"),
    ({"reviewer": ""}, ParameterError, r"reviews row 2: no reviewer"),
    ({"customer_id": None}, ParameterError, r"reviews row 2: no customer_id"),
])
def test_bad_review_records_name_the_row(change, error, message) -> None:
    rows = [{"customer_id": "a", "review_date": "2025-03-01", "reviewer": "王芳",
             "decision": "keep", "note": ""},
            {"customer_id": "b", "review_date": "2025-03-02", "reviewer": "李强",
             "decision": "keep", "note": "", **change}]
    with pytest.raises(error, match=message):
        check_reviews(pd.DataFrame(rows))


def test_review_records_need_their_columns() -> None:
    with pytest.raises(SchemaError, match=r"lack column\(s\) \['reviewer'\]"):
        check_reviews(pd.DataFrame({"customer_id": ["a"], "review_date": ["2025-01-01"],
                                    "decision": ["keep"], "note": [""]}))
    assert check_reviews(None).empty
