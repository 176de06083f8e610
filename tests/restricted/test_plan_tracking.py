"""Plan tracking: instalments on time, late, missed or pending, oldest first, nothing lost."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.restricted import recovery_plans, track_plans


def plan(balance=30000, n=3, start="2025-01-10", customer="C1", currency="CNY"):
    return recovery_plans(pd.DataFrame({"customer_id": [customer], "balance_minor": [balance],
                                        "currency": [currency]}), start=start, n=n)


def pays(*rows, customer="C1", currency="CNY", kind=None):
    out = pd.DataFrame(rows, columns=["paid_date", "amount_minor"]).assign(
        customer_id=customer, currency=currency)
    out["paid_date"] = pd.to_datetime(out["paid_date"])
    if kind is not None:
        out["kind"] = kind
    return out


def test_each_status_at_its_boundary():
    p = plan()  # 10000 due 02-10, 03-10, 04-10
    t = track_plans(p, pays(("2025-02-10", 10000), ("2025-03-13", 10000)), as_of="2025-04-13",
                    grace_days=3)
    assert t.instalments["status"].tolist() == ["on_time", "on_time", "pending"]
    t = track_plans(p, pays(("2025-02-10", 10000), ("2025-03-14", 10000)), as_of="2025-04-14",
                    grace_days=3)
    assert t.instalments["status"].tolist() == ["on_time", "late", "missed"]
    assert t.instalments["days_late"].tolist() == [0, 4, 4]


def test_payments_after_as_of_are_not_known():
    p = plan()
    later = pays(("2025-02-10", 10000), ("2025-05-01", 20000))
    t = track_plans(p, later, as_of="2025-04-30")
    assert t.instalments["paid_minor"].tolist() == [10000, 0, 0]
    assert t.plans["status"].item() == "broken"
    assert t.unapplied["counted_minor"].item() == 10000


def test_payments_before_the_plan_and_non_cash_kinds_do_not_count():
    p = plan()
    rows = pays(("2025-01-09", 5000), ("2025-02-01", 10000), ("2025-02-02", 10000),
                kind=["payment", "write_off", None])
    t = track_plans(p, rows, as_of="2025-02-28")
    assert t.instalments["paid_minor"].tolist() == [10000, 0, 0]


def test_partial_payment_fills_oldest_first_and_the_rest_stays_owed():
    t = track_plans(plan(), pays(("2025-02-05", 15000)), as_of="2025-03-31")
    assert t.instalments["paid_minor"].tolist() == [10000, 5000, 0]
    assert t.instalments["status"].tolist() == ["on_time", "missed", "pending"]
    row = t.plans.iloc[0]
    assert (row["paid_minor"], row["owed_minor"], row["overdue_minor"]) == (15000, 15000, 5000)
    assert row["next_due_date"] == pd.Timestamp("2025-04-10")


def test_overpayment_stays_visible_as_unapplied():
    t = track_plans(plan(), pays(("2025-02-05", 35000)), as_of="2025-05-01")
    assert t.plans["status"].item() == "completed"
    assert t.unapplied["unapplied_minor"].item() == 5000
    t.invariants()


def test_streak_restarts_after_a_late_instalment():
    p = plan(120000, n=12)
    paid = pays(*[(d, 10000) for d in ["2025-02-10", "2025-03-20", "2025-04-10", "2025-05-10",
                                       "2025-06-10"]])
    t = track_plans(p, paid, as_of="2025-06-30")
    assert t.plans[["late", "on_time", "on_time_streak"]].values.tolist() == [[1, 4, 3]]


def test_two_missed_break_a_plan_by_default():
    t = track_plans(plan(), pays(("2025-02-10", 10000)), as_of="2025-04-11")
    assert t.plans["status"].item() == "broken"
    assert track_plans(plan(), pays(("2025-02-10", 10000)), as_of="2025-04-11",
                       broken_after=3).plans["status"].item() == "behind"


def test_currencies_and_customers_are_kept_apart():
    both = pd.concat([plan(customer="A"), plan(customer="B"), plan(customer="A", currency="USD")])
    paid = pd.concat([pays(("2025-02-01", 30000), customer="A"),
                      pays(("2025-02-01", 10000), customer="B", currency="USD")])
    t = track_plans(both, paid, as_of="2025-02-28")
    got = t.plans.set_index("plan_id")["paid_minor"].to_dict()
    assert got == {"A@2025-01-10/CNY": 30000, "A@2025-01-10/USD": 0, "B@2025-01-10/CNY": 0}
    assert len(t.instalments) == 9
    by = t.instalments.groupby(["customer_id", "currency"])["paid_minor"].sum().to_dict()
    assert by == {("A", "CNY"): 30000, ("A", "USD"): 0, ("B", "CNY"): 0}
    # B's dollars pay no plan: they are not counted towards plans at all
    assert t.unapplied[["customer_id", "currency", "unapplied_minor"]].values.tolist() == [
        ["A", "CNY", 0]]
    with pytest.raises(SchemaError, match="more than one customer"):
        track_plans(both.assign(plan_id="P"), paid, as_of="2025-02-28")


def test_missing_columns_and_bad_parameters_name_the_fix():
    with pytest.raises(SchemaError, match="recovery_plans"):
        track_plans(plan().drop(columns="due_date"), pays(), as_of="2025-03-01")
    with pytest.raises(SchemaError, match="paid_date"):
        track_plans(plan(), pays().drop(columns="paid_date"), as_of="2025-03-01")
    with pytest.raises(ParameterError, match="grace_days"):
        track_plans(plan(), pays(), as_of="2025-03-01", grace_days=-1)
    with pytest.raises(ParameterError, match="broken_after"):
        track_plans(plan(), pays(), as_of="2025-03-01", broken_after=0)


@settings(max_examples=40, deadline=None)
@given(amounts=st.lists(st.integers(1, 50000), max_size=8),
       offsets=st.lists(st.integers(-40, 400), min_size=8, max_size=8),
       as_of=st.integers(0, 420), balance=st.integers(6, 200000), n=st.integers(1, 6))
def test_nothing_is_lost_and_order_of_rows_does_not_matter(amounts, offsets, as_of, balance, n):
    p = plan(balance, n=n)
    start = pd.Timestamp("2025-01-10")
    rows = pays(*[(start + pd.Timedelta(days=o), a)
                  for a, o in zip(amounts, offsets, strict=False)])
    day = start + pd.Timedelta(days=as_of)
    t = track_plans(p, rows, as_of=day)
    t.invariants()
    counted = rows.loc[(rows["paid_date"] >= start) & (rows["paid_date"] <= day), "amount_minor"]
    assert int(t.instalments["paid_minor"].sum() + t.unapplied["unapplied_minor"].sum()) == int(
        counted.sum())
    shuffled = track_plans(p.sample(frac=1, random_state=1), rows.iloc[::-1], as_of=day)
    pd.testing.assert_frame_equal(t.instalments, shuffled.instalments)
    pd.testing.assert_frame_equal(t.plans, shuffled.plans)
