"""backtest_alerts: hand-checked precision, recall and lead time; no look-ahead; the sweep."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.alerts import BACKTEST_COLUMNS, backtest_alerts
from creditkit.exceptions import ParameterError

d = pd.to_datetime


def _rule(rid: str, field: str, op: str, value: object) -> dict:
    return {"id": rid, "when": [[field, op, value]], "severity": "low",
            "description_zh": "说明", "description_en": "what", "action_zh": "处理",
            "action_en": "do"}


DPD1 = [_rule("dpd1", "dpd", ">=", 1)]


def _book() -> dict[str, pd.DataFrame]:
    """A never pays its bill due 01-15 (dpd 30 on 02-14); B pays every bill on its due date."""
    dues = d(["2025-01-15", "2025-02-15", "2025-03-15", "2025-04-15", "2025-05-15",
              "2025-06-15"])
    bills = pd.DataFrame({
        "bill_id": ["A1", *[f"B{i}" for i in range(6)]],
        "invoice_id": ["A1", *[f"B{i}" for i in range(6)]],
        "customer_id": ["A", *["B"] * 6],
        "issue_date": d(["2024-12-15", *[x - pd.Timedelta(days=30) for x in dues]]),
        "due_date": d([dues[0], *dues]), "amount_minor": [1000] * 7, "currency": ["CNY"] * 7})
    pays = pd.DataFrame({"payment_id": [f"P{i}" for i in range(6)], "customer_id": ["B"] * 6,
                         "paid_date": dues, "amount_minor": [1000] * 6, "currency": ["CNY"] * 6,
                         "kind": ["payment"] * 6, "channel": ["bank_transfer"] * 6,
                         "bill_id": [f"B{i}" for i in range(6)]})
    customers = pd.DataFrame({"customer_id": ["A", "B"], "name": ["甲", "乙"],
                              "kind": ["consumer"] * 2, "open_date": d(["2024-12-01"] * 2),
                              "credit_limit_minor": [5000, 5000], "currency": ["CNY"] * 2,
                              "region": ["华东"] * 2})
    return {"customers": customers, "bills": bills, "payments": pays}


def test_hand_checked_precision_recall_and_lead() -> None:
    bt = backtest_alerts(_book(), DPD1, dates=["2025-01-20", "2025-01-31"])
    row = bt.table.set_index("rule_id").loc["dpd1"]
    assert list(bt.table.columns) == list(BACKTEST_COLUMNS)
    assert row["population"] == 4 and row["n_alerts"] == 2 and row["hits"] == 2
    assert row["precision"] == 1.0 and row["n_events"] == 1 and row["recall"] == 1.0
    # the event is dpd 30 on 02-14; first warned on 01-20: 25 days ahead
    assert row["lead_days_median"] == 25.0
    assert row["alerts_per_1000"] == 500.0
    assert bt.pairs["event_day"].dropna().unique().tolist() == [pd.Timestamp("2025-02-14")]
    assert bt.by_date["population"].tolist() == [2, 2]


def test_a_customer_already_bad_is_left_out_of_the_population() -> None:
    bt = backtest_alerts(_book(), DPD1, dates=["2025-01-31", "2025-02-28"])
    assert bt.by_date["population"].tolist() == [2, 1]  # A is 44 days late on 02-28
    assert bt.table.set_index("rule_id").loc["dpd1", "n_events"] == 1


def test_appending_the_future_changes_nothing_at_past_dates(small_portfolio) -> None:
    dates = ["2025-01-31", "2025-02-28"]
    base = backtest_alerts(small_portfolio, dates=dates, horizon_days=60)
    later = pd.Timestamp("2025-05-01")  # after the last date's horizon (04-29)
    b, p = small_portfolio["bills"], small_portfolio["payments"]
    # every customer with a bill gets a huge new bill, and payments move, after the horizon
    extra_b = b.drop_duplicates("customer_id").assign(
        bill_id=lambda x: "FUT" + x["bill_id"].astype(str), invoice_id=lambda x: x["bill_id"],
        issue_date=later, due_date=later + pd.Timedelta(days=1), amount_minor=10**9)
    extra_p = p.dropna(subset=["customer_id"]).drop_duplicates("customer_id").assign(
        payment_id=lambda x: "FUT" + x["payment_id"].astype(str), paid_date=later,
        channel="never_seen", bill_id=None, invoice_id=None)
    tables = {**small_portfolio, "bills": pd.concat([b, extra_b], ignore_index=True),
              "payments": pd.concat([p, extra_p], ignore_index=True)}
    again = backtest_alerts(tables, dates=dates, horizon_days=60)
    pd.testing.assert_frame_equal(base.table, again.table)
    pd.testing.assert_frame_equal(base.pairs, again.pairs)
    for day in base.features:
        pd.testing.assert_frame_equal(base.features[day], again.features[day])


def test_sweep_gives_volume_against_recall(small_portfolio) -> None:
    bt = backtest_alerts(small_portfolio, DPD1, dates=["2024-12-31", "2025-01-31", "2025-02-28"])
    curve = bt.sweep("dpd1", [1, 5, 15, 29])
    assert curve["sweep_value"].tolist() == [1, 5, 15, 29]
    # a higher threshold never raises more alerts nor catches more events
    assert (np.diff(curve["n_alerts"]) <= 0).all()
    assert (np.diff(curve["recall"].fillna(0)) <= 0).all()
    first = bt.table.set_index("rule_id").loc["dpd1"]
    assert curve["n_alerts"].iloc[0] == first["n_alerts"]
    with pytest.raises(ParameterError, match="no rule 'nope'"):
        bt.sweep("nope", [1])
    with pytest.raises(ParameterError, match="values must be"):
        bt.sweep("dpd1", [])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"dates": []}, "non-empty list of dates"),
    ({"dates": ["2025-01-31"], "outcome": "dpd"}, "outcome must be"),
    ({"dates": ["2025-01-31"], "outcome": "dpd0"}, "1 or more"),
    ({"dates": ["2025-01-31"], "horizon_days": 0}, "horizon_days"),
    ({"dates": ["2025-01-31"], "check_days": 1.5}, "check_days"),
    ({"dates": ["2025-06-01"]}, "horizon ends after the data"),
])
def test_bad_arguments_name_the_fix(kwargs: dict, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        backtest_alerts(_book(), DPD1, **kwargs)


def test_outcome_write_off_only() -> None:
    book = _book()
    wo = pd.DataFrame({"payment_id": ["W1"], "customer_id": ["A"], "paid_date": d(["2025-03-10"]),
                       "amount_minor": [1000], "currency": ["CNY"], "kind": ["write_off"],
                       "channel": [None], "bill_id": ["A1"]})
    book["payments"] = pd.concat([book["payments"], wo], ignore_index=True)
    bt = backtest_alerts(book, DPD1, dates=["2025-01-31"], outcome="write_off")
    assert bt.pairs["event_day"].dropna().tolist() == [pd.Timestamp("2025-03-10")]
    assert bt.table.set_index("rule_id").loc["dpd1", "lead_days_median"] == 38.0
