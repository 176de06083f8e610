"""The candidate search is blocked: candidate pairs grow linearly with the data."""

from __future__ import annotations

from creditkit.collections import reconcile
from creditkit.datasets import make_portfolio


def _pairs(n_customers: int) -> tuple[int, int, int]:
    book = make_portfolio(n_customers, seed=11, kind="mixed", start="2024-07-01",
                          end="2025-06-30")
    rec = reconcile(book["payments"], book["bills"], book["customers"], as_of="2025-06-30")
    return sum(rec.stats.values()), len(book["payments"]), len(book["bills"])


def test_candidate_pairs_grow_linearly() -> None:
    small, n_pay, n_bills = _pairs(250)
    large, n_pay4, n_bills4 = _pairs(1000)
    data_ratio = (n_pay4 + n_bills4) / (n_pay + n_bills)
    assert 3 < data_ratio < 5
    # all pairs (payments x bills) would grow ~16x; blocked search grows like the data
    assert large / small < 1.5 * data_ratio
    assert large < 0.01 * n_pay4 * n_bills4
