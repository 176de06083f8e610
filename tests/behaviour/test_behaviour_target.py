"""B-card and C-card targets: the rules on a hand-built ledger, no look-ahead, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.behaviour import REASONS, behaviour_target
from creditkit.exceptions import ParameterError, SchemaError

D = pd.to_datetime
AS_OF = "2025-01-31"
END = "2025-12-31"


@pytest.fixture
def book() -> dict[str, pd.DataFrame]:
    ids = ["G", "X", "I", "M", "W", "O", "Q", "N", "R"]
    customers = pd.DataFrame({"customer_id": ids, "name": ids, "kind": "consumer",
                              "open_date": D(["2024-06-01"] * len(ids)), "currency": "CNY"})
    due = {"G": "2025-02-10", "X": "2025-02-15", "I": "2025-02-20", "M": "2025-03-01",
           "W": "2025-01-20", "O": "2024-12-01", "Q": "2024-12-20", "R": "2025-01-21"}
    bills = pd.DataFrame({"bill_id": [f"B{c}" for c in due], "invoice_id": [f"I{c}" for c in due],
                          "customer_id": list(due), "issue_date": D(["2024-11-01"] * len(due)),
                          "due_date": D(list(due.values())),
                          "amount_minor": np.full(len(due), 1000, dtype=np.int64),
                          "currency": "CNY"})
    pays = [("G", "2025-02-05", "payment"), ("I", "2025-03-10", "payment"),
            ("M", "2025-04-05", "payment"), ("W", "2025-02-10", "write_off"),
            ("Q", "2025-01-10", "write_off"), ("R", "2025-02-15", "payment")]
    payments = pd.DataFrame({"payment_id": [f"P{c}" for c, _, _ in pays],
                             "customer_id": [c for c, _, _ in pays],
                             "paid_date": D([d for _, d, _ in pays]),
                             "amount_minor": np.full(len(pays), 1000, dtype=np.int64),
                             "currency": "CNY", "kind": [k for _, _, k in pays],
                             "bill_id": [f"B{c}" for c, _, _ in pays]})
    return {"customers": customers, "bills": bills, "payments": payments}


def _by_id(t: pd.DataFrame) -> pd.DataFrame:
    return t.set_index("customer_id")


def test_b_card_rules(book):
    t = _by_id(behaviour_target(book, as_of=AS_OF, horizon_months=3, data_end=END))
    want = {"G": ("included", 0), "X": ("included", 1), "I": ("indeterminate", None),
            "M": ("included", 1), "W": ("included", 1), "O": ("already_bad", None),
            "Q": ("written_off", None), "N": ("no_history", None), "R": ("included", 0)}
    for cid, (reason, target) in want.items():
        assert t.loc[cid, "reason"] == reason, cid
        assert (pd.isna(t.loc[cid, "target"]) if target is None
                else t.loc[cid, "target"] == target), cid
    assert t.loc["M", "perf_dpd"] == 30  # reaches bad_dpd exactly at the 03-31 month end
    assert t.loc["I", "perf_dpd"] == 8  # 8 days late at 02-28, paid before 03-31
    assert t.loc["W", "written_off"] and t.loc["W", "perf_dpd"] == 0
    assert t.loc["O", "dpd"] == 61 and t.loc["R", "dpd"] == 10
    assert (t["in_sample"] == t["target"].notna()).all()
    assert (t["kind"] == "B").all()


def test_c_card_rules(book):
    t = _by_id(behaviour_target(book, as_of=AS_OF, kind="C", cure_days=30, data_end=END))
    want = {"O": ("included", 1), "W": ("included", 1), "R": ("included", 0),
            "X": ("not_past_due", None), "G": ("not_past_due", None),
            "N": ("not_past_due", None), "Q": ("written_off", None)}
    for cid, (reason, target) in want.items():
        assert t.loc[cid, "reason"] == reason, cid
        assert (pd.isna(t.loc[cid, "target"]) if target is None
                else t.loc[cid, "target"] == target), cid


def test_every_customer_gets_a_row_and_a_known_reason(book):
    for kind in ("B", "C"):
        t = behaviour_target(book, as_of=AS_OF, kind=kind, data_end=END)
        assert sorted(t["customer_id"]) == sorted(book["customers"]["customer_id"])
        assert set(t["reason"]) <= set(REASONS)
        assert str(t["target"].dtype) == "Int8"


def test_horizon_not_observed(book):
    t = _by_id(behaviour_target(book, as_of=AS_OF, horizon_months=3, data_end="2025-04-29"))
    assert (t.loc[["G", "X", "I", "M", "W", "R"], "reason"] == "horizon_not_observed").all()
    assert t.loc["O", "reason"] == "already_bad"  # an earlier reason wins
    c = _by_id(behaviour_target(book, as_of=AS_OF, kind="C", data_end="2025-03-01"))
    assert c.loc["O", "reason"] == "horizon_not_observed"
    assert c.loc["G", "reason"] == "not_past_due"


def test_data_end_defaults_to_the_latest_date(book):
    # the last payment is 2025-04-05, so a 3-month horizon from January ends after it
    t = behaviour_target(book, as_of=AS_OF, horizon_months=3)
    assert "horizon_not_observed" in set(t["reason"])
    t = behaviour_target(book, as_of=AS_OF, horizon_months=2)
    assert "horizon_not_observed" not in set(t["reason"])


def test_unidentified_write_off_is_found_through_its_bill(book):
    p = book["payments"]
    book["payments"] = p.assign(customer_id=p["customer_id"].where(p["payment_id"] != "PQ"))
    t = _by_id(behaviour_target(book, as_of=AS_OF, data_end=END))
    assert t.loc["Q", "reason"] == "written_off"


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), offset=st.integers(120, 500) | st.sampled_from([365, 424]),
       horizon=st.integers(1, 6), kind=st.sampled_from(["B", "C"]))
def test_targets_unchanged_when_rows_after_the_horizon_are_deleted(
        make_random_book, cut_future, seed, offset, horizon, kind):
    tables = make_random_book(seed)
    as_of = pd.Timestamp("2024-01-01") + pd.Timedelta(days=offset)
    if (tables["customers"]["open_date"] > as_of).all():
        return
    if kind == "B":  # the horizon's last day; a month end stays a month end
        end = as_of + pd.DateOffset(months=horizon)
        end = end + pd.offsets.MonthEnd(0) if as_of.is_month_end else end
    else:
        end = as_of + pd.Timedelta(days=30)
    kw = {"as_of": as_of, "kind": kind, "horizon_months": horizon, "data_end": "2026-12-31"}
    full = behaviour_target(tables, **kw)
    trimmed = behaviour_target(cut_future(tables, end), **kw)
    pd.testing.assert_frame_equal(full, trimmed)


@pytest.mark.parametrize(("kw", "match"), [
    ({"kind": "A"}, "kind must be"),
    ({"horizon_months": 0}, "horizon_months"),
    ({"horizon_months": 2.5}, "horizon_months"),
    ({"bad_dpd": -1}, "bad_dpd"),
    ({"cure_days": True}, "cure_days"),
    ({"as_of": "not a date"}, "as_of"),
    ({"data_end": "2025-02-30"}, "data_end"),
])
def test_bad_parameters(book, kw, match):
    args = {"as_of": AS_OF, **kw}
    with pytest.raises(ParameterError, match=match):
        behaviour_target(book, **args)


def test_missing_table(book):
    del book["bills"]
    with pytest.raises(SchemaError, match="bills"):
        behaviour_target(book, as_of=AS_OF)
