"""reconcile() feeds channel performance: match rate and exceptions per channel."""

from __future__ import annotations

from creditkit.collections import channel_performance, reconcile
from creditkit.datasets import make_portfolio


def test_channel_matching_agrees_with_the_reconciliation() -> None:
    book = make_portfolio(150, seed=5, kind="mixed", start="2025-01-01", end="2025-06-30")
    pays, bills = book["payments"], book["bills"]
    rec = reconcile(pays, bills, book["customers"], as_of="2025-06-30")
    perf = channel_performance(pays, bills, as_of="2025-06-30", reconciliation=rec)
    m = perf.matching
    cash = pays[pays["kind"] == "payment"]
    assert int(m["paid_minor"].sum()) == int(cash["amount_minor"].sum())
    mine = rec.by_payment[rec.by_payment["payment_id"].isin(cash["payment_id"])]
    assert int(m["applied_minor"].sum()) == int(mine["applied_minor"].sum())
    assert int(m["exception_minor"].sum()) == int(mine["exception_minor"].sum())
    assert (m["applied_minor"] + m["exception_minor"] == m["paid_minor"]).all()
