"""Order checks at the boundary: exactly reaching the limit passes, one fen over is refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.exceptions import ParameterError
from creditkit.restricted import (
    apply_restrictions,
    candidate_orders,
    check_order,
    customer_state,
)


def state(levels: dict[str, str], limits: dict[str, int | None],
          outstanding: dict[str, int], open_orders: dict[str, int] | None = None
          ) -> pd.DataFrame:
    ids = list(limits)
    customers = pd.DataFrame({"customer_id": ids,
                              "limit_minor": pd.array([limits[i] for i in ids], dtype="Int64")})
    restricted = pd.DataFrame({"customer_id": list(levels),
                               "restriction_level": list(levels.values())})
    lim = apply_restrictions(customers, restricted)
    bal = pd.DataFrame({"customer_id": ids, "outstanding_minor": [outstanding[i] for i in ids],
                        "currency": "CNY"})
    opened = None if open_orders is None else pd.DataFrame(
        {"customer_id": list(open_orders), "amount_minor": list(open_orders.values())})
    return customer_state(lim, bal, opened)


def orders(*rows: tuple[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"order_id": [f"o{i}" for i in range(len(rows))],
                         "customer_id": [r[0] for r in rows],
                         "amount_minor": [r[1] for r in rows]})


def test_exactly_reaching_the_limit_passes_one_fen_over_is_refused() -> None:
    s = state({}, {"a": 1_000_000}, {"a": 600_000}, {"a": 100_000})
    got = check_order(orders(("a", 300_000), ("a", 300_001)), s)
    assert got["decision"].tolist() == ["approve", "refuse"]
    assert got["reason"].tolist() == ["within_limit", "over_limit"]
    assert got["exposure_after_minor"].tolist() == [1_000_000, 1_000_001]
    assert got["headroom_after_minor"].tolist() == [0, -1]
    assert got["available_minor"].tolist() == [300_000, 300_000]
    assert got["reason_zh"].tolist() == ["额度内", "下单后超出额度"]
    assert got["reason_en"].tolist()[1] == "Over the limit after the order"


def test_watch_boundary_uses_the_effective_limit() -> None:
    # watch keeps 80 %: limit 1,000,000 -> 800,000
    s = state({"a": "watch"}, {"a": 1_000_000}, {"a": 0})
    got = check_order(orders(("a", 800_000), ("a", 800_001)), s)
    assert got["decision"].tolist() == ["approve", "refuse"]
    assert got["limit_minor"].tolist() == [800_000, 800_000]


def test_prepayment_is_rounded_up_and_only_credit_counts_against_the_limit() -> None:
    # restricted: half the limit, 30 % prepaid, approval above 1,000,000
    s = state({"a": "restricted"}, {"a": 2_000_000}, {"a": 0})
    got = check_order(orders(("a", 1_000_000), ("a", 999_999), ("a", 1_000_001)), s)
    assert got["prepayment_minor"].tolist() == [300_000, 300_000, 300_001]
    assert got["credit_minor"].tolist() == [700_000, 699_999, 700_000]
    assert got["decision"].tolist() == ["approve_with_prepayment", "approve_with_prepayment",
                                        "require_approval"]
    assert (got["prepayment_minor"] + got["credit_minor"] == got["amount_minor"]).all()


def test_stop_is_cash_before_delivery_and_needs_approval() -> None:
    s = state({"a": "stop"}, {"a": 2_000_000}, {"a": 5_000_000})
    got = check_order(orders(("a", 10_000)), s).iloc[0]
    assert got["decision"] == "require_approval" and got["reason"] == "above_approval_amount"
    assert got["prepayment_minor"] == 10_000 and got["credit_minor"] == 0
    assert got["exposure_after_minor"] == got["exposure_before_minor"] == 5_000_000


def test_unknown_customer_currency_and_missing_limit() -> None:
    s = state({}, {"a": 1_000, "b": None}, {"a": 0, "b": 0})
    o = orders(("zz", 5), ("a", 5), ("b", 5))
    o["currency"] = ["CNY", "USD", "CNY"]
    got = check_order(o, s)
    assert got["reason"].tolist() == ["unknown_customer", "currency_mismatch",
                                      "no_limit_on_file"]
    assert got["decision"].tolist() == ["refuse", "refuse", "require_approval"]
    assert got["headroom_after_minor"].isna().tolist() == [True, False, True]


@pytest.mark.parametrize(("amount", "message"), [(0, "no positive amount"),
                                                 (-5, "no positive amount"),
                                                 (1.5, "integer minor units")])
def test_bad_orders_are_refused(amount, message) -> None:
    s = state({}, {"a": 1_000}, {"a": 0})
    with pytest.raises(ParameterError, match=message):
        check_order(pd.DataFrame({"order_id": ["o"], "customer_id": ["a"],
                                  "amount_minor": [amount]}), s)


def test_repeated_order_ids_and_a_bad_state_are_refused() -> None:
    s = state({}, {"a": 1_000}, {"a": 0})
    with pytest.raises(ParameterError, match="give each order its own id"):
        check_order(pd.DataFrame({"order_id": ["o", "o"], "customer_id": ["a", "a"],
                                  "amount_minor": [1, 2]}), s)
    with pytest.raises(ParameterError, match="build it with"):
        check_order(orders(("a", 1)), s.drop(columns="open_orders_minor"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**9), st.integers(0, 10**9)), min_size=1,
                max_size=30), st.sampled_from(["none", "watch", "restricted", "stop"]))
def test_vectorised_matches_one_by_one(rows, level) -> None:
    limit = 500_000_000
    s = state({"a": level}, {"a": limit}, {"a": rows[0][1]})
    o = orders(*[("a", amount) for amount, _ in rows])
    together = check_order(o, s)
    alone = pd.concat([check_order(o.iloc[[i]], s) for i in range(len(o))], ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)
    # refused exactly when the credit part pushes exposure past the limit
    over = (together["credit_minor"] > 0) & (together["exposure_after_minor"]
                                             > together["limit_minor"].astype("int64"))
    assert np.array_equal(over.to_numpy(), (together["decision"] == "refuse").to_numpy())


def test_candidate_orders_repeat_the_largest_recent_purchase() -> None:
    t = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
                      "txn_date": pd.to_datetime(["2025-05-01", "2025-06-01", "2025-07-01",
                                                  "2025-01-01"]),
                      "amount_minor": [700, 900, 5_000, 100], "currency": "CNY"})
    got = candidate_orders(t, as_of="2025-06-30", days=90)
    assert got[["order_id", "amount_minor"]].values.tolist() == [["next-a", 900]]
    assert got["based_on"].iloc[0] == pd.Timestamp("2025-06-01")
    with pytest.raises(ParameterError, match="positive whole number"):
        candidate_orders(t, as_of="2025-06-30", days=0)
