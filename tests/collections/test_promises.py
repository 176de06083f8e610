"""promise_outcomes: the one kept / broken / pending rule (the dunning run's)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.collections import PROMISE_STATES, promise_outcomes
from creditkit.exceptions import ParameterError, SchemaError

d = pd.to_datetime


def _pays(*rows: tuple[str, str, int]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [r[0] for r in rows], "currency": ["CNY"] * len(rows),
                         "paid_date": d([r[1] for r in rows]),
                         "amount_minor": [r[2] for r in rows]})


PROMISE = pd.DataFrame({"customer_id": ["A"], "currency": ["CNY"], "promise_date": ["2025-03-01"],
                        "pay_by": ["2025-03-10"], "amount_minor": [5000]})


@pytest.mark.parametrize(("as_of", "pays", "state", "paid"), [
    ("2025-03-10", [("A", "2025-03-02", 5000)], "pending", 5000),   # pay_by day: still pending
    ("2025-03-11", [("A", "2025-03-02", 5000)], "kept", 5000),
    ("2025-03-11", [("A", "2025-03-02", 4999)], "broken", 4999),    # one fen short
    ("2025-03-11", [("A", "2025-02-28", 5000)], "broken", 0),       # paid before the promise
    ("2025-03-11", [("A", "2025-03-11", 5000)], "broken", 0),       # paid after pay_by
    ("2025-03-11", [("B", "2025-03-05", 5000)], "broken", 0),       # someone else paid
    ("2025-03-11", [("A", "2025-03-01", 2000), ("A", "2025-03-10", 3000)], "kept", 5000),
])
def test_kept_broken_pending(as_of, pays, state, paid) -> None:
    got = promise_outcomes(PROMISE, _pays(*pays), as_of=as_of)
    assert got["promise"].tolist() == [state]
    assert got["paid_minor"].tolist() == [paid]
    assert set(got["promise"]) <= set(PROMISE_STATES)


def test_a_promise_not_made_yet_is_not_listed_and_later_cash_is_unknown() -> None:
    pays = _pays(("A", "2025-03-05", 5000))
    assert promise_outcomes(PROMISE, pays, as_of="2025-02-28").empty
    # judged on 2025-03-04, the payment of 03-05 has not happened
    got = promise_outcomes(PROMISE, pays, as_of="2025-03-04")
    assert got["paid_minor"].tolist() == [0]


def test_credit_notes_are_not_cash_and_input_is_not_mutated() -> None:
    pays = _pays(("A", "2025-03-05", 5000)).assign(kind=["credit_note"])
    before = pays.copy()
    assert promise_outcomes(PROMISE, pays, as_of="2025-03-20")["promise"].tolist() == ["broken"]
    pd.testing.assert_frame_equal(pays, before)


def test_bad_inputs_name_the_fix() -> None:
    with pytest.raises(SchemaError, match="missing column"):
        promise_outcomes(PROMISE, _pays().drop(columns="paid_date"), as_of="2025-03-20")
    with pytest.raises(SchemaError, match="promise_date"):
        promise_outcomes(PROMISE.drop(columns="promise_date"), _pays(), as_of="2025-03-20")
    with pytest.raises(ParameterError, match="pay_by"):
        promise_outcomes(PROMISE.assign(pay_by="2025-02-01"), _pays(), as_of="2025-03-20")
    with pytest.raises(ParameterError, match="payments must be a DataFrame"):
        promise_outcomes(PROMISE, None, as_of="2025-03-20")
