"""Property tests of the worklist's assignment: nothing lost, capacity held, best served first."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.behaviour import shipped_cards
from creditkit.collections import RecoveryModel, collection_worklist

AS_OF = pd.Timestamp("2025-06-30")
MODEL = RecoveryModel(card=shipped_cards()["C"], points=np.array([-1e9, 1e9]),
                      p_cure=np.array([0.3, 0.3]), base_rate=0.3, source="test")

customers_st = st.lists(st.tuples(st.integers(-20, 200), st.integers(1, 10**9)), min_size=1,
                        max_size=25)
team_st = st.lists(st.tuples(st.sampled_from(["sms", "call", "visit", "legal"]),
                             st.integers(0, 6)), min_size=0, max_size=6)


def _book(rows):
    ids = [f"C{i:03d}" for i in range(len(rows))]
    bills = pd.DataFrame({
        "bill_id": [f"B{i}" for i in range(len(rows))], "invoice_id": [f"B{i}" for i in
                                                                       range(len(rows))],
        "customer_id": ids,
        "issue_date": [AS_OF - pd.Timedelta(days=max(d, 0) + 30) for d, _ in rows],
        "due_date": [AS_OF - pd.Timedelta(days=d) for d, _ in rows],
        "amount_minor": np.array([a for _, a in rows], dtype="int64"), "currency": "CNY"})
    customers = pd.DataFrame({"customer_id": ids, "name": ids, "kind": "consumer",
                              "open_date": pd.Timestamp("2024-01-01"), "currency": "CNY"})
    payments = pd.DataFrame({"payment_id": pd.Series([], dtype=object),
                             "customer_id": pd.Series([], dtype=object),
                             "paid_date": pd.Series([], dtype="datetime64[ns]"),
                             "amount_minor": pd.Series([], dtype="int64"),
                             "currency": pd.Series([], dtype=object)})
    return {"customers": customers, "bills": bills, "payments": payments}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=customers_st, team=team_st, order=st.randoms(use_true_random=False))
def test_assignment_properties(rows, team, order):
    book = _book(rows)
    coll = pd.DataFrame({"collector_id": [f"K{i}" for i in range(len(team))],
                         "name": [f"n{i}" for i in range(len(team))],
                         "channel": [c for c, _ in team], "capacity": [k for _, k in team]})
    wl = collection_worklist(book, as_of=AS_OF, collectors=coll, model=MODEL)
    it = wl.items
    # nothing lost: every customer past due is listed, the money adds up
    assert sorted(it["customer_id"]) == sorted(
        f"C{i:03d}" for i, (d, _) in enumerate(rows) if d > 0)
    assert wl.invariants()["ok"].all()
    for chan, g in it.groupby("channel"):
        cap = int(coll.loc[coll["channel"] == chan, "capacity"].sum())
        assigned = g["collector_id"].notna()
        # capacity is used in full before anyone is left over, and never exceeded
        assert int(assigned.sum()) == min(len(g), cap)
        # the best expected recoveries are served first
        if assigned.any() and (~assigned).any():
            assert g.loc[assigned, "channel_rank"].max() < g.loc[~assigned, "channel_rank"].min()
    for _, q in it[it["collector_id"].notna()].groupby("collector_id"):
        assert sorted(q["queue_rank"].astype(int)) == list(range(1, len(q) + 1))
    # the result does not depend on the order of the rows
    shuffled = {k: v.sample(frac=1, random_state=order.randint(0, 999)) for k, v in book.items()}
    again = collection_worklist(shuffled, as_of=AS_OF, collectors=coll, model=MODEL).items
    pd.testing.assert_frame_equal(it.reset_index(drop=True), again.reset_index(drop=True))
