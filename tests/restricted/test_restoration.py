"""The limit's way back: steps reached by on-time instalments in a row, and the policy file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.restricted import (
    load_restoration_policy,
    recovery_plans,
    restoration_path,
    track_plans,
)


def tracked(paid_dates, as_of, n=12, balance=120000):
    plans = recovery_plans(pd.DataFrame({"customer_id": ["C1"], "balance_minor": [balance],
                                         "currency": "CNY"}), start="2025-01-05", n=n)
    pays = pd.DataFrame({"customer_id": "C1", "currency": "CNY",
                         "amount_minor": balance // n, "paid_date": pd.to_datetime(paid_dates)})
    return track_plans(plans, pays, as_of=as_of)


def monthly(k, day=5, start="2025-02"):
    return [d.replace(day=day) for d in pd.date_range(start, periods=k, freq="MS")]


def test_steps_follow_the_on_time_streak():
    policy = load_restoration_policy()
    assert [str(s) for s in policy["limit_share"]] == ["0.25", "0.5", "1"]
    two = restoration_path(tracked(monthly(2), "2025-03-31")).iloc[0]
    assert (two["step"], two["level"], two["next_step"], two["instalments_to_next"]) == (
        0, None, 1, 1)
    three = restoration_path(tracked(monthly(3), "2025-04-30")).iloc[0]
    assert (three["step"], three["level"], three["limit_share"]) == (1, "restricted",
                                                                    Decimal("0.25"))
    six = restoration_path(tracked(monthly(6), "2025-07-31")).iloc[0]
    assert (six["step"], six["level"], six["restoration"]) == (2, "watch", "stepping")
    assert six["next_step_due"] == pd.Timestamp("2026-01-05")


def test_a_late_instalment_starts_the_path_again():
    dates = monthly(5)
    dates[3] = dates[3] + pd.Timedelta(days=10)  # the 4th paid 10 days late
    r = restoration_path(tracked(dates, "2025-06-30")).iloc[0]
    assert (r["on_time_streak"], r["step"]) == (1, 0)


def test_broken_plan_stops_and_completed_plan_restores_fully():
    broken = restoration_path(tracked(monthly(3), "2025-06-30")).iloc[0]
    assert (broken["status"], broken["step"], broken["restoration"]) == (
        "broken", 0, "restoration_stopped")
    assert pd.isna(broken["next_step"])
    done = restoration_path(tracked(monthly(2), "2025-04-01", n=2, balance=20000)).iloc[0]
    assert (done["status"], done["step"], done["level"], done["restoration"]) == (
        "completed", 3, "none", "restored")


def test_custom_policy_from_a_file(tmp_path: Path):
    f = tmp_path / "steps.csv"
    f.write_text("# notes\nstep,on_time_instalments,level,limit_share\n1,2,watch,50%\n",
                 encoding="gb18030")
    r = restoration_path(tracked(monthly(2), "2025-03-31"), f).iloc[0]
    assert (r["step"], r["level"], r["limit_share"], r["restoration"]) == (
        1, "watch", Decimal("0.5"), "restored")


@pytest.mark.parametrize("line, cells, match", [
    (6, "1,3,restricted,0.25,9", "5 cells where the header has 4"),
    (6, "1,three,restricted,0.25", "line 6: on_time_instalments must be a whole number"),
    (7, "2,3,watch,0.5", "line 7: on_time_instalments must grow"),
    (7, "2,6,stop,0.5", "line 7: level 'stop' is more severe"),
    (7, "2,6,watch,0.2", "line 7: limit_share 0.2 is lower"),
    (7, "2,6,soon,0.5", "line 7: level 'soon' is not one of"),
    (8, "3,12,none,1.5", "line 8: limit_share must be a share from 0 to 1"),
    (8, "4,12,none,1", r"steps must be numbered \[1, 2, 3\]"),
])
def test_a_malformed_policy_names_the_line(tmp_path: Path, line, cells, match):
    from importlib import resources
    lines = resources.files("creditkit.restricted").joinpath(
        "data/restoration_policy.csv").read_text(encoding="utf-8").splitlines()
    assert lines[4].startswith("step,")
    lines[line - 1] = cells
    f = tmp_path / "policy.csv"
    f.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ParameterError, match=match):
        load_restoration_policy(f)


def test_missing_or_wrong_files_say_what_to_do(tmp_path: Path):
    with pytest.raises(DataReadError, match="does not exist"):
        load_restoration_policy(tmp_path / "nope.csv")
    book = tmp_path / "policy.csv"
    book.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(DataReadError, match="Excel workbook"):
        load_restoration_policy(book)
    empty = tmp_path / "empty.csv"
    empty.write_text("# only a note\n", encoding="utf-8")
    with pytest.raises(DataReadError, match="no rows"):
        load_restoration_policy(empty)
    with pytest.raises(ParameterError, match="no column 'level'"):
        load_restoration_policy(pd.DataFrame({"step": [1], "on_time_instalments": [2],
                                              "limit_share": [1]}))
    with pytest.raises(ParameterError, match="PlanTracking"):
        restoration_path(pd.DataFrame())
