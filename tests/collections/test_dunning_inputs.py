"""The side tables of a dunning run: history, promises, disputes; each bad row named."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.collections import HISTORY_COLUMNS, check_disputes, check_history, check_promises
from creditkit.exceptions import ParameterError, SchemaError

AS_OF = pd.Timestamp("2025-03-10")


def history(**cols) -> pd.DataFrame:
    base = {"run_date": ["2025-03-01", "2025-03-05"], "customer_id": ["A", "A"],
            "currency": ["cny", "CNY"], "level": [1, 2], "event": ["sent", "sent"]}
    return pd.DataFrame({**base, **cols})


def test_history_is_typed_and_cut_before_as_of():
    h = check_history(history(), pd.Timestamp("2025-03-05"))
    assert list(h.columns) == list(HISTORY_COLUMNS)
    assert h[["currency", "level", "previous_level", "reason"]].values.tolist() == [
        ["CNY", 1, 0, ""]]
    assert len(check_history(None, AS_OF)) == 0
    assert len(check_history(history().iloc[:0], AS_OF)) == 0


@pytest.mark.parametrize(("frame", "error", "message"), [
    (history().drop(columns="event"), SchemaError, r"missing column\(s\) \['event'\] in history"),
    ("history.csv", ParameterError, "history must be a DataFrame"),
    (history(level=[1, -1]), ParameterError, "history.level on row 1 is -1"),
    (history(level=[1, 1.5]), ParameterError, "history.level on row 1 is 1.5"),
    (history(event=["sent", "mailed"]), ParameterError, "history.event on row 1 is 'mailed'"),
    (history(run_date=["2025-03-01", "2025-03-01"]), ParameterError,
     "history has 2 rows for customer 'A' \\(CNY\\) on 2025-03-01"),
    (history(run_date=["2025-03-01", "someday"]), ParameterError,
     "history.run_date on row 1 is 'someday', not a date"),
    (history(run_date=pd.to_datetime(["2025-03-01", "2025-03-02"]).tz_localize("UTC")),
     ParameterError, "history.run_date is timezone-aware"),
    (history(run_date=["2025-03-01", "2025-03-12"]), ParameterError,
     "history holds runs after as_of 2025-03-10"),
])
def test_a_bad_history_is_named(frame, error, message):
    with pytest.raises(error, match=message):
        check_history(frame, AS_OF)


def promise(**cols) -> pd.DataFrame:
    base = {"customer_id": ["A"], "promise_date": ["2025-03-01"], "pay_by": ["2025-03-08"],
            "amount_minor": [5000]}
    return pd.DataFrame({**base, **cols})


def test_promises_take_the_only_currency_or_their_own():
    assert check_promises(promise(), ["USD"])["currency"].tolist() == ["USD"]
    p = check_promises(promise(currency=["hkd"]), ["CNY", "HKD"])
    assert p["currency"].tolist() == ["HKD"] and p["amount_minor"].dtype == "int64"
    assert len(check_promises(None, ["CNY"])) == 0


@pytest.mark.parametrize(("frame", "error", "message"), [
    (promise().drop(columns="pay_by"), SchemaError, r"missing column\(s\) \['pay_by'\]"),
    (promise(pay_by=["2025-02-28"]), ParameterError, "pay_by 2025-02-28 is before promise_date"),
    (promise(promise_date=[None]), ParameterError, "promises.promise_date on row 0"),
    (promise(amount_minor=[12.5]), ParameterError, "amount_minor on row 0 is 12.5"),
    (promise(amount_minor=[-1]), ParameterError, "whole, non-negative number of minor units"),
    (promise(pay_by=["2025-03-08T00:00+08:00"]), ParameterError, "timezone-aware"),
])
def test_a_bad_promise_is_named(frame, error, message):
    with pytest.raises(error, match=message):
        check_promises(frame, ["CNY"])


def test_a_promise_needs_its_currency_when_the_bills_hold_several():
    with pytest.raises(SchemaError, match="promises has no currency column but the bills hold"):
        check_promises(promise(), ["CNY", "USD"])


def test_disputes_are_open_until_resolved():
    d = check_disputes(pd.DataFrame({"bill_id": ["B1", "B2"],
                                     "dispute_date": ["2025-03-01", "2025-03-02"],
                                     "resolved_date": ["", "2025-03-04"]}))
    assert d["resolved_date"].isna().tolist() == [True, False]


@pytest.mark.parametrize(("frame", "error", "message"), [
    (pd.DataFrame({"bill_id": ["B1"]}), SchemaError, r"\['dispute_date'\] in disputes"),
    (pd.DataFrame({"bill_id": ["B1"], "dispute_date": ["2025-03-05"],
                   "resolved_date": ["2025-03-01"]}), ParameterError,
     "resolved_date is before dispute_date; check the dates of bill 'B1'"),
    (pd.DataFrame({"bill_id": ["B1"], "dispute_date": ["2025-03-05"],
                   "resolved_date": ["soon"]}), ParameterError,
     "disputes.resolved_date on row 0 is 'soon'"),
])
def test_a_bad_dispute_is_named(frame, error, message):
    with pytest.raises(error, match=message):
        check_disputes(frame)
