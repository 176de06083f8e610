"""alert_features: the signals alert rules read beyond customer_features, on hand-made ledgers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.alerts import ALERT_FEATURES, alert_features, alert_fields
from creditkit.alerts.features import late_streaks, score_drop
from creditkit.exceptions import ParameterError, SchemaError

d = pd.to_datetime
AS_OF = pd.Timestamp("2025-06-30")


def _bills(*dues: str, customer: str = "A") -> pd.DataFrame:
    n = len(dues)
    return pd.DataFrame({"bill_id": [f"{customer}{i}" for i in range(n)],
                         "invoice_id": [f"{customer}{i}" for i in range(n)],
                         "customer_id": [customer] * n,
                         "issue_date": d(["2025-01-01"] * n), "due_date": d(list(dues)),
                         "amount_minor": [1000] * n, "currency": ["CNY"] * n})


def _pays(*rows: tuple[str, str, str], customer: str = "A") -> pd.DataFrame:
    return pd.DataFrame({"payment_id": [f"P{customer}{i}" for i in range(len(rows))],
                         "customer_id": [customer] * len(rows),
                         "paid_date": d([r[1] for r in rows]),
                         "amount_minor": [1000] * len(rows), "currency": ["CNY"] * len(rows),
                         "bill_id": [r[0] for r in rows]}).astype(
        {"payment_id": object, "customer_id": object, "amount_minor": "int64",
         "currency": object, "bill_id": object})


@pytest.mark.parametrize(("paid", "streak"), [
    # bill due 02-28, 03-31, 04-30, 05-31: paid on time, then late, late, open
    ([("A0", "2025-02-20"), ("A1", "2025-04-05"), ("A2", "2025-05-03")], 3),
    ([("A0", "2025-02-20"), ("A1", "2025-03-31"), ("A2", "2025-05-03")], 2),  # due day = on time
    ([("A0", "2025-03-20"), ("A1", "2025-03-31"), ("A2", "2025-04-30"), ("A3", "2025-05-31")], 0),
    ([], 4),
])
def test_late_streak_counts_the_latest_late_bills_in_a_row(paid, streak) -> None:
    bills = _bills("2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31",
                   "2025-07-31")  # the last is not due yet: it does not count
    got = late_streaks(bills, _pays(*paid), AS_OF, pd.Series(["A", "Z"]))
    assert got.tolist() == [streak, 0]


def test_late_streak_ignores_payments_after_as_of() -> None:
    bills = _bills("2025-05-31")
    pays = _pays(("A0", "2025-07-02"))
    assert late_streaks(bills, pays, AS_OF, pd.Series(["A"])).tolist() == [1]
    assert late_streaks(bills, pays, pd.Timestamp("2025-07-03"), pd.Series(["A"])).tolist() == [1]
    on_time = _pays(("A0", "2025-05-30"))
    assert late_streaks(bills, on_time, AS_OF, pd.Series(["A"])).tolist() == [0]


def test_score_drop_compares_the_same_card_only() -> None:
    now = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "scorecard": ["B", "B", "C", "B"],
                        "points": [500.0, 560.0, 400.0, 550.0]})
    prev = pd.DataFrame({"customer_id": ["a", "b", "c"], "scorecard": ["B", "B", "B"],
                         "points": [530.0, 550.0, 600.0]})
    got = score_drop(now, prev)
    assert got[:2].tolist() == [30.0, -10.0]
    assert np.isnan(got[2]) and np.isnan(got[3])  # card changed; no previous score
    assert np.isnan(score_drop(now, None)).all()


@pytest.fixture(scope="module")
def book(small_portfolio) -> dict[str, pd.DataFrame]:
    return small_portfolio


def test_the_signals_on_a_portfolio(book) -> None:
    f = alert_features(book, as_of="2025-06-30")
    assert list(f.columns[-len(ALERT_FEATURES):]) == list(ALERT_FEATURES)
    assert set(f.columns) - {"as_of"} <= set(alert_fields())
    assert (f["late_streak"] >= 0).all()
    # no status column: failures unknown, not zero
    assert f["failed_debits_30d"].isna().all()
    ratio = f["spend_ratio_1m"].dropna()
    assert (ratio >= 0).all() and len(ratio) > 0
    assert f["score_drop"].isna().all()


def test_failed_debits_and_new_channels(book) -> None:
    pays = book["payments"].copy()
    cid = pays["customer_id"].dropna().iloc[0]
    cur = pays.loc[pays["customer_id"] == cid, "currency"].iloc[0]
    extra = pd.DataFrame({"payment_id": ["X1", "X2", "X3"], "customer_id": [cid] * 3,
                          "paid_date": d(["2025-06-20", "2025-05-01", "2025-06-25"]),
                          "amount_minor": [100, 100, 100], "currency": [cur] * 3,
                          "kind": ["payment"] * 3,
                          "channel": ["auto_debit", "auto_debit", "never_used_channel"],
                          "status": ["failed", "failed", None]})
    tables = {**book, "payments": pd.concat([pays, extra], ignore_index=True)}
    f = alert_features(tables, as_of="2025-06-30").set_index("customer_id")
    assert f.loc[cid, "failed_debits_30d"] == 1  # the May failure is older than 30 days
    assert (f.drop(index=cid)["failed_debits_30d"] == 0).all()  # recorded: zero, not missing
    assert bool(f.loc[cid, "new_channel_30d"])
    bad = {**tables, "payments": tables["payments"].assign(status="bounced")}
    with pytest.raises(ParameterError, match="status 'bounced'"):
        alert_features(bad, as_of="2025-06-30")


def test_nothing_after_as_of_is_read(book) -> None:
    cut = pd.Timestamp("2025-04-30")
    full = alert_features(book, as_of=cut)
    known = {"customers": book["customers"],
             "bills": book["bills"][book["bills"]["issue_date"] <= cut],
             "payments": book["payments"][book["payments"]["paid_date"] <= cut],
             "transactions": book["transactions"][book["transactions"]["txn_date"] <= cut]}
    pd.testing.assert_frame_equal(full, alert_features(known, as_of=cut))


def test_previous_must_hold_scores(book) -> None:
    with pytest.raises(ParameterError, match="previous must be a DataFrame"):
        alert_features(book, as_of="2025-06-30", previous=pd.DataFrame({"x": [1]}))


def test_failed_debits_from_the_attempts_table(book) -> None:
    cid, other = book["customers"]["customer_id"].iloc[:2]
    attempts = pd.DataFrame({
        "attempt_id": ["D1", "D2", "D3", "D4", "D5"], "customer_id": [cid, cid, cid, other, other],
        "bill_id": ["b"] * 5,
        # 30 days back is outside the window; 1 July is after as_of
        "attempt_date": d(["2025-06-01", "2025-05-31", "2025-07-01", "2025-06-20", "2025-06-21"]),
        "amount_minor": [100] * 5, "currency": ["CNY"] * 5,
        "status": ["failed", "failed", "failed", "succeeded", " Returned "],
        "payment_id": [None] * 5})
    tables = {**book, "debit_attempts": attempts}
    f = alert_features(tables, as_of="2025-06-30").set_index("customer_id")
    assert f.loc[cid, "failed_debits_30d"] == 1
    assert f.loc[other, "failed_debits_30d"] == 1  # the return counts, the success does not
    assert (f.drop(index=[cid, other])["failed_debits_30d"] == 0).all()  # logged: zero
    bad = {**book, "debit_attempts": attempts.assign(status=["failed"] * 4 + ["bounced"])}
    with pytest.raises(ParameterError, match="debit_attempts row 4: status 'bounced'"):
        alert_features(bad, as_of="2025-06-30")
    with pytest.raises(SchemaError, match="attempt_date"):
        alert_features({**book, "debit_attempts": attempts.drop(columns="attempt_date")},
                       as_of="2025-06-30")


def test_debit_and_promise_rules_fire_on_a_book_with_signals() -> None:
    from creditkit.alerts import evaluate_alerts
    from creditkit.datasets import make_portfolio

    book = make_portfolio(1500, seed=4, kind="mixed", end="2025-06-30", signals=True)
    f = alert_features(book, as_of="2025-06-30")
    assert f["failed_debits_30d"].notna().all() and (f["failed_debits_30d"] > 0).any()
    assert f["broken_promises"].notna().all() and (f["broken_promises"] > 0).any()
    raised = set()
    for day in ("2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"):
        raised |= set(evaluate_alerts(book, as_of=day).alerts["rule_id"])
    assert {"failed_auto_debit", "promise_broken"} <= raised
    # nothing logged after as_of is read: attempts and promises cut by hand give the same
    cut = pd.Timestamp("2025-04-30")
    known = {"customers": book["customers"],
             "bills": book["bills"][book["bills"]["issue_date"] <= cut],
             "payments": book["payments"][book["payments"]["paid_date"] <= cut],
             "transactions": book["transactions"][book["transactions"]["txn_date"] <= cut],
             "debit_attempts": book["debit_attempts"][book["debit_attempts"]["attempt_date"]
                                                      <= cut],
             "promises": book["promises"][book["promises"]["promise_date"] <= cut]}
    pd.testing.assert_frame_equal(alert_features(book, as_of=cut),
                                  alert_features(known, as_of=cut))
