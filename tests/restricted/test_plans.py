"""Recovery plans: exact to the minor unit, month ends kept, every instalment positive."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.exceptions import ParameterError
from creditkit.restricted import recovery_plan, recovery_plans
from creditkit.restricted.plans import plan_due_dates


def dates(plan: pd.DataFrame) -> list[str]:
    return plan["due_date"].dt.strftime("%Y-%m-%d").tolist()


def test_1000_01_over_three_sums_exactly_with_the_residue_on_the_last():
    plan = recovery_plan(100001, start="2025-03-15", n=3)
    assert plan["amount_minor"].tolist() == [33334, 33334, 33333]
    assert plan["remaining_minor"].tolist() == [66667, 33333, 0]


def test_equal_principal_puts_the_residue_on_the_last_instalment():
    plan = recovery_plan(100001, start="2025-03-15", n=3, method="equal_principal")
    assert plan["principal_minor"].tolist() == [33333, 33333, 33335]


def test_two_fen_over_three_is_refused_with_how_many_it_can_take():
    with pytest.raises(ParameterError, match="use at most 2 instalments"):
        recovery_plan(2, start="2025-01-01", n=3)
    assert recovery_plan(2, start="2025-01-01", n=2)["amount_minor"].tolist() == [1, 1]


def test_large_balance_over_36_with_interest_matches_the_annuity():
    rate = Decimal("0.12") / 12
    plan = recovery_plan(999_999_999, start="2025-01-15", n=36, annual_rate="0.12",
                         fee_minor=3600)
    annuity = Decimal(999_999_999) * rate / (1 - (1 + rate) ** -36)
    assert int(plan["principal_minor"].sum()) == 999_999_999
    assert int(plan["fee_minor"].sum()) == 3600
    assert (plan["fee_minor"] == 100).all()
    # every instalment but the last is the annuity rounded half up, plus its fee part
    assert set(plan["amount_minor"].iloc[:-1] - 100) == {int(annuity.quantize(Decimal(1)))}
    assert abs(int(plan["amount_minor"].iloc[-1]) - 100 - annuity) < 36
    first_interest = (Decimal(999_999_999) * rate).quantize(Decimal(1))
    assert plan["interest_minor"].iloc[0] == int(first_interest)
    assert plan["amount_minor"].sum() == (plan["principal_minor"] + plan["interest_minor"]
                                          + plan["fee_minor"]).sum()


def test_interest_is_charged_on_the_principal_still_owed():
    plan = recovery_plan(120000, start="2025-01-01", n=12, method="equal_principal",
                         annual_rate="0.24")
    owed_before = [120000, *plan["remaining_minor"].iloc[:-1]]
    assert plan["interest_minor"].tolist() == [round(o * 0.02) for o in owed_before]


def test_jan_31_start_keeps_month_ends():
    assert dates(recovery_plan(400, start="2025-01-31", n=4)) == [
        "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31"]
    assert dates(recovery_plan(400, start="2024-01-31", n=2)) == ["2024-02-29", "2024-03-31"]


def test_feb_29_start_and_its_anniversary():
    assert dates(recovery_plan(1200, start="2024-02-29", n=12))[-1] == "2025-02-28"
    assert dates(recovery_plan(100, start="2024-02-29", n=1)) == ["2024-03-29"]


def test_day_of_month_31_means_each_months_last_day():
    assert plan_due_dates("2025-01-10", 3, day_of_month=31).strftime("%m-%d").tolist() == [
        "02-28", "03-31", "04-30"]


@pytest.mark.parametrize("kwargs, match", [
    ({"balance_minor": 1000.5}, "integer of minor units"),
    ({"balance_minor": 0}, "at least 1"),
    ({"n": 0}, "from 1 to 600"),
    ({"n": 2.0}, "whole number"),
    ({"annual_rate": "12%"}, "from 0 to below 1"),
    ({"annual_rate": 1.5}, "from 0 to below 1"),
    ({"method": "balloon"}, "method must be one of"),
    ({"day_of_month": 32}, "from 1 to 31"),
    ({"fee_minor": -1}, "at least 0"),
    ({"start": "2025-02-30"}, "start must be a date"),
    ({"rounding": "HALF"}, "rounding"),
])
def test_bad_arguments_say_what_to_pass(kwargs, match):
    args = {"balance_minor": 10000, "start": "2025-01-01", "n": 3} | kwargs
    balance = args.pop("balance_minor")
    with pytest.raises(ParameterError, match=match):
        recovery_plan(balance, **args)


def test_plans_for_many_customers_take_row_overrides_and_name_a_bad_row():
    balances = pd.DataFrame({"customer_id": ["A", "B"], "balance_minor": [1000, 5000],
                             "currency": ["CNY", "usd"], "n": [2, None],
                             "annual_rate": [None, "0.06"]})
    plans = recovery_plans(balances, start="2025-06-30", n=5)
    assert plans.groupby("customer_id").size().to_dict() == {"A": 2, "B": 5}
    assert plans.loc[plans["customer_id"] == "B", "currency"].unique().tolist() == ["USD"]
    assert plans.loc[plans["customer_id"] == "B", "interest_minor"].sum() > 0
    with pytest.raises(ParameterError, match="customer 'A'"):
        recovery_plans(balances.assign(n=[9999, 2]), start="2025-06-30", n=5)
    with pytest.raises(ParameterError, match="repeats customer 'A'"):
        recovery_plans(pd.concat([balances, balances.iloc[:1]]), start="2025-06-30", n=5)


@settings(max_examples=300, deadline=None)
@given(balance=st.integers(1, 10**12), n=st.integers(1, 120),
       rate=st.decimals("0", "0.36", places=4), fee=st.integers(0, 10**6),
       method=st.sampled_from(["equal_instalment", "equal_principal"]),
       start=st.dates(pd.Timestamp("2000-01-01").date(), pd.Timestamp("2090-12-31").date()))
def test_any_plan_sums_exactly_and_every_instalment_is_positive(balance, n, rate, fee, method,
                                                                 start):
    if balance < n:
        with pytest.raises(ParameterError, match="cannot be split"):
            recovery_plan(balance, start=start, n=n, annual_rate=rate, method=method)
        return
    plan = recovery_plan(balance, start=start, n=n, annual_rate=rate, fee_minor=fee,
                         method=method)
    assert len(plan) == n
    assert int(plan["principal_minor"].sum()) == balance
    assert int(plan["fee_minor"].sum()) == fee
    assert (plan["principal_minor"] >= 0).all() and (plan["interest_minor"] >= 0).all()
    assert (plan["amount_minor"] > 0).all()
    assert (plan["amount_minor"] == plan["principal_minor"] + plan["interest_minor"]
            + plan["fee_minor"]).all()
    assert plan["due_date"].is_monotonic_increasing and plan["due_date"].is_unique
    assert plan["remaining_minor"].iloc[-1] == 0
