"""collector_performance (催收员考核): payments credited to assignments, promises kept."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.collections import collector_performance
from creditkit.exceptions import CreditkitError, ParameterError, SchemaError

D = pd.Timestamp


def _asg(rows):
    return pd.DataFrame(rows, columns=["assigned_date", "collector_id", "customer_id",
                                       "currency", "past_due_minor"])


def _pay(rows):
    return pd.DataFrame(rows, columns=["customer_id", "paid_date", "amount_minor", "currency",
                                       "kind"])


ASG = _asg([
    (D("2025-03-01"), "K1", "A", "CNY", 10_000),
    (D("2025-03-02"), "K1", "A", "CNY", 10_000),   # the daily list again
    (D("2025-03-01"), "K2", "B", "CNY", 5_000),
    (D("2025-03-01"), "K2", "C", "CNY", 8_000),
    (D("2025-03-10"), "K1", "C", "CNY", 8_000),    # C moves to K1 on the 10th
])
PAY = _pay([
    ("A", D("2025-03-05"), 4_000, "CNY", "payment"),      # → K1 (latest A assignment: 03-02)
    ("A", D("2025-03-06"), 9_000, "CNY", "payment"),      # → K1, capped at 10 000 with the above
    ("B", D("2025-03-01"), 1_000, "CNY", "payment"),      # same day as the assignment: not counted
    ("B", D("2025-04-15"), 5_000, "CNY", "payment"),      # after the 30-day window: not counted
    ("C", D("2025-03-05"), 2_000, "CNY", "payment"),      # → K2 (C is K2's until the 10th)
    ("C", D("2025-03-12"), 3_000, "CNY", "payment"),      # → K1
    ("C", D("2025-03-13"), 500, "CNY", "credit_note"),    # not cash
    ("D", D("2025-03-05"), 7_000, "CNY", "payment"),      # never assigned
])


def test_last_touch_attribution_within_the_window_capped_at_past_due():
    perf = collector_performance(ASG, PAY, start="2025-03-01", end="2025-03-31").set_index(
        "collector_id")
    # K1: A 4 000 + 9 000 on the 03-02 assignment capped at 10 000; C 3 000 → 13 000
    assert perf.loc["K1", "recovered_minor"] == 13_000
    assert perf.loc["K2", "recovered_minor"] == 2_000
    assert perf.loc["K1", "assignments"] == 3 and perf.loc["K1", "customers_assigned"] == 2
    assert perf.loc["K1", "assigned_minor"] == 18_000  # A 10 000 + C 8 000
    assert perf.loc["K2", "customers_paid"] == 1  # C paid, B did not (in the window)
    assert perf.loc["K2", "recovery_rate"] == pytest.approx(2_000 / 13_000)
    assert perf.index.tolist() == ["K1", "K2"]  # largest recovery first
    # recovered never exceeds the cash the assigned customers paid
    assert perf["recovered_minor"].sum() <= PAY.loc[PAY["kind"] == "payment",
                                                    "amount_minor"].sum()


def test_window_and_period_are_parameters():
    perf = collector_performance(ASG, PAY, start="2025-03-01", end="2025-03-31",
                                 window_days=60).set_index("collector_id")
    assert perf.loc["K2", "recovered_minor"] == 2_000 + 5_000  # B's April payment now counts
    short = collector_performance(ASG, PAY, start="2025-03-01", end="2025-03-05",
                                  window_days=3).set_index("collector_id")
    # only assignments of 03-01..03-05, payments up to 3 days after: A on 03-05 (K1)
    assert short.loc["K1", "recovered_minor"] == 4_000
    assert short.loc["K1", "assignments"] == 2


def test_promises_kept_broken_pending_per_collector():
    prom = pd.DataFrame({
        "customer_id": ["A", "B", "C", "C", "D"],
        "promise_date": [D("2025-03-03"), D("2025-03-02"), D("2025-03-11"), D("2025-03-25"),
                         D("2025-03-04")],
        "pay_by": [D("2025-03-06"), D("2025-03-09"), D("2025-03-12"), D("2025-04-10"),
                   D("2025-03-06")],
        "amount_minor": [10_000, 2_000, 3_000, 1_000, 7_000],
    })
    perf = collector_performance(ASG, PAY, start="2025-03-01", end="2025-03-31",
                                 promises=prom)
    by = perf.set_index(perf["collector_id"].fillna("-"))
    # A paid 13 000 from 03-03 to 03-06 ≥ 10 000 → kept (K1); C 3 000 on 03-12 → kept (K1)
    assert by.loc["K1", "promises_kept"] == 2 and by.loc["K1", "kept_minor"] == 13_000
    # C's second promise: pay_by after end → pending (K1 holds C since 03-10)
    assert by.loc["K1", "promises_pending"] == 1 and by.loc["K1", "promises_made"] == 3
    # B paid nothing from 03-02 to 03-09 → broken (K2)
    assert by.loc["K2", "promises_broken"] == 1 and by.loc["K2", "promise_kept_rate"] == 0.0
    assert by.loc["K1", "promise_kept_rate"] == 1.0
    # D was never assigned: its promise shows unattributed, never dropped
    assert by.loc["-", "promises_made"] == 1 and by.loc["-", "promises_kept"] == 1
    assert int(perf["promises_made"].sum()) == len(prom)


def test_a_promise_names_its_collector():
    prom = pd.DataFrame({"customer_id": ["B"], "promise_date": [D("2025-03-02")],
                         "pay_by": [D("2025-03-09")], "amount_minor": [2_000],
                         "collector_id": ["K1"], "currency": ["cny"]})
    perf = collector_performance(ASG, PAY, start="2025-03-01", end="2025-03-31",
                                 promises=prom).set_index("collector_id")
    assert perf.loc["K1", "promises_broken"] == 1 and perf.loc["K2", "promises_made"] == 0


def test_worklist_assignments_feed_it_directly():
    from creditkit.collections import Worklist

    items = pd.DataFrame({"customer_id": ["A"], "currency": ["CNY"], "channel": ["call"],
                          "past_due_minor": [10_000], "expected_recovery_minor": [5_000],
                          "collector_id": ["K1"]})
    wl = Worklist(items=items, collectors=pd.DataFrame(), as_of=D("2025-03-01"),
                  model_version="t", aging_past_due={"CNY": 10_000})
    perf = collector_performance(wl.assignments(), PAY, start="2025-03-01", end="2025-03-01")
    assert perf["recovered_minor"].tolist() == [10_000]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"start": "2025-04-01", "end": "2025-03-01"}, "after end"),
    ({"window_days": 0}, "window_days"),
    ({"window_days": 1.5}, "window_days"),
    ({"assignments": ASG.drop(columns="collector_id")}, "missing column"),
    ({"assignments": pd.concat([ASG, ASG.head(1)])}, "assigned twice on 2025-03-01"),
    ({"assignments": ASG.assign(past_due_minor=ASG["past_due_minor"] / 3)}, "integer minor"),
    ({"assignments": ASG.assign(assigned_date=["x"] + [D("2025-03-01")] * 4)}, "row 0"),
    ({"payments": PAY.drop(columns="currency")}, "missing column"),
    ({"payments": "pay"}, "DataFrame"),
    ({"promises": pd.DataFrame({"customer_id": ["A"]})}, "missing column"),
    ({"promises": pd.DataFrame({"customer_id": ["A"], "promise_date": ["2025-03-05"],
                                "pay_by": ["2025-03-01"], "amount_minor": [1]})},
     "pay_by is before"),
    ({"start": pd.Timestamp("2025-03-01", tz="UTC")}, "timezone"),
])
def test_errors_name_the_problem_and_fix(kwargs, match):
    args = {"assignments": ASG, "payments": PAY, "start": "2025-03-01", "end": "2025-03-31"}
    args.update(kwargs)
    with pytest.raises(CreditkitError, match=match):
        collector_performance(args.pop("assignments"), args.pop("payments"), **args)


def test_promise_currency_needed_with_several():
    asg = pd.concat([ASG, _asg([(D("2025-03-01"), "K3", "U", "USD", 100)])])
    prom = pd.DataFrame({"customer_id": ["U"], "promise_date": ["2025-03-02"],
                         "pay_by": ["2025-03-05"], "amount_minor": [100]})
    with pytest.raises(SchemaError, match="add a currency column"):
        collector_performance(asg, PAY, start="2025-03-01", end="2025-03-31", promises=prom)
    with pytest.raises(ParameterError, match="blank collector_id"):
        collector_performance(ASG.assign(collector_id=None), PAY, start="2025-03-01",
                              end="2025-03-31")
