"""Every new order checked against the customer's restriction (订单审核), vectorised.

:func:`customer_state` puts together what an order check needs per customer:
the effective limit and terms (:func:`~creditkit.restricted.apply_restrictions`),
the amount outstanding today and the orders already open. :func:`check_order`
then decides each order:

1. an unknown customer, or an order in another currency than the customer's
   state, is refused;
2. the part paid before delivery is ``ceil(amount × prepayment_share)`` (all
   of it under cash before delivery); the rest is credit;
3. exposure after the order = outstanding + open orders + the credit part;
   above the effective limit the order is **refused** (a customer without a
   known limit **requires approval**);
4. an order above the level's approval amount **requires approval**;
5. an order with a prepayment is **approved with prepayment**, any other is
   **approved**.

Each order is checked on its own against the state (two orders of one
customer in the same batch do not see each other: add the approved ones to
the open orders before the next check). Money is integer minor units
throughout. :func:`candidate_orders` makes a documented set of plausible
next orders from recent consumption, for a report to show which would pass.

Examples
--------
>>> DECISIONS
('approve', 'approve_with_prepayment', 'require_approval', 'refuse')
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["DECISIONS", "ORDER_REASONS", "candidate_orders", "check_order", "customer_state"]

#: The decisions, most lenient first.
DECISIONS: tuple[str, ...] = ("approve", "approve_with_prepayment", "require_approval",
                              "refuse")
#: Why: each a label key ``order_reason_<code>`` in zh and en.
ORDER_REASONS: tuple[str, ...] = ("within_limit", "prepayment_required",
                                  "cash_before_delivery", "above_approval_amount",
                                  "no_limit_on_file", "over_limit", "unknown_customer",
                                  "currency_mismatch")
_STATE = ("customer_id", "restriction_level", "effective_limit_minor", "prepayment_share",
          "cash_before_delivery", "approval_above_minor", "outstanding_minor",
          "open_orders_minor")


def _whole_money(s: pd.Series, what: str) -> pd.Series:
    if not (pd.api.types.is_integer_dtype(s) or s.isna().all()):
        raise ParameterError(f"{what} must be integer minor units; got {s.dtype}; convert with "
                             "creditkit.money.parse_amounts")
    return s.astype("Int64")


def customer_state(restrictions: pd.DataFrame, balances: pd.DataFrame,
                   open_orders: pd.DataFrame | None = None) -> pd.DataFrame:
    """What an order check needs per customer: limit, terms and exposure before the order.

    Parameters
    ----------
    restrictions : DataFrame
        :func:`~creditkit.restricted.apply_restrictions`.
    balances : DataFrame
        ``customer_id`` and ``outstanding_minor`` (the customer features, or
        ``customer_aging`` summed per customer), optionally ``currency``.
    open_orders : DataFrame, optional
        Orders accepted but not yet billed: ``customer_id``, ``amount_minor``.

    Returns
    -------
    DataFrame
        ``restrictions`` with ``outstanding_minor``, ``open_orders_minor``,
        ``exposure_minor`` (their sum), ``available_minor`` (effective limit −
        exposure, at least 0; missing without a limit) and ``currency`` when
        ``balances`` has one.

    Examples
    --------
    >>> from creditkit.restricted.policy import apply_restrictions
    >>> lim = apply_restrictions(pd.DataFrame({"customer_id": ["a"], "limit_minor": [100_000]}),
    ...                          pd.DataFrame({"customer_id": [], "restriction_level": []}))
    >>> s = customer_state(lim, pd.DataFrame({"customer_id": ["a"], "outstanding_minor": [30_000]}),
    ...                    pd.DataFrame({"customer_id": ["a"], "amount_minor": [20_000]}))
    >>> s[["exposure_minor", "available_minor"]].values.tolist()
    [[50000, 50000]]
    """
    for frame, name, cols in ((restrictions, "restrictions", ("customer_id",
                                                               "effective_limit_minor")),
                              (balances, "balances", ("customer_id", "outstanding_minor"))):
        if not isinstance(frame, pd.DataFrame) or not set(cols) <= set(frame.columns):
            raise ParameterError(f"{name} must be a DataFrame with {list(cols)}")
    if balances["customer_id"].duplicated().any():
        raise ParameterError("balances repeat customers; sum them per customer first")
    out = restrictions.copy()
    bal = balances.set_index("customer_id").reindex(out["customer_id"])
    out["outstanding_minor"] = _whole_money(bal["outstanding_minor"], "outstanding_minor") \
        .fillna(0).to_numpy()
    if "currency" in bal.columns and "currency" not in out.columns:
        out["currency"] = bal["currency"].to_numpy()
    opened = pd.Series(0, index=out["customer_id"], dtype="int64")
    if open_orders is not None:
        if not isinstance(open_orders, pd.DataFrame) or not {"customer_id", "amount_minor"} \
                <= set(open_orders.columns):
            raise ParameterError("open_orders must be a DataFrame with customer_id and "
                                 "amount_minor")
        amounts = _whole_money(open_orders["amount_minor"], "open_orders.amount_minor")
        sums = amounts.groupby(open_orders["customer_id"].to_numpy()).sum()
        opened = sums.reindex(out["customer_id"]).fillna(0).astype("int64")
    out["open_orders_minor"] = opened.to_numpy(dtype="int64")
    out["exposure_minor"] = out["outstanding_minor"].astype("int64") + out["open_orders_minor"]
    lim = out["effective_limit_minor"].astype("Int64")
    out["available_minor"] = (lim - out["exposure_minor"]).clip(lower=0)
    return out


def _ceil_share(amount: np.ndarray, share: np.ndarray) -> np.ndarray:
    """``ceil(amount × share)`` exactly, the share read as the decimal it was written as."""
    out = np.zeros(len(amount), dtype="int64")
    for value in np.unique(share):
        f = Fraction(Decimal(repr(float(value))))
        at = share == value
        out[at] = -((-amount[at] * f.numerator) // f.denominator)
    return out


def check_order(orders: pd.DataFrame, customer_state: pd.DataFrame) -> pd.DataFrame:
    """Approve, approve with prepayment, require approval or refuse each order, and why.

    Parameters
    ----------
    orders : DataFrame
        ``order_id``, ``customer_id``, ``amount_minor`` (positive integers),
        optionally ``currency``.
    customer_state : DataFrame
        :func:`customer_state` (one row per customer).

    Returns
    -------
    DataFrame
        In the order of ``orders``: ``order_id``, ``customer_id``, ``restriction_level``,
        ``amount_minor``, ``decision`` (:data:`DECISIONS`), ``reason``
        (:data:`ORDER_REASONS`), ``reason_zh``, ``reason_en``,
        ``prepayment_minor``, ``credit_minor``, ``exposure_before_minor``,
        ``exposure_after_minor``, ``limit_minor``, ``headroom_after_minor``
        (limit − exposure after: what is left, negative when over; missing
        without a limit), ``available_minor`` (most credit the customer can
        take now).

    Raises
    ------
    ParameterError
        A missing column, a repeated order id, an amount not a positive
        integer, a state repeating a customer.

    Examples
    --------
    >>> state = pd.DataFrame({"customer_id": ["a"], "restriction_level": ["none"],
    ...     "effective_limit_minor": [100_000], "prepayment_share": [0.0],
    ...     "cash_before_delivery": [False], "approval_above_minor": [pd.NA],
    ...     "outstanding_minor": [60_000], "open_orders_minor": [0]})
    >>> o = pd.DataFrame({"order_id": ["o1", "o2"], "customer_id": ["a", "a"],
    ...                   "amount_minor": [40_000, 40_001]})
    >>> check_order(o, state)[["decision", "headroom_after_minor"]].values.tolist()
    [['approve', 0], ['refuse', -1]]
    """
    need = ("order_id", "customer_id", "amount_minor")
    if not isinstance(orders, pd.DataFrame) or not set(need) <= set(orders.columns):
        got = list(orders.columns) if isinstance(orders, pd.DataFrame) else \
            type(orders).__name__
        raise ParameterError(f"orders must be a DataFrame with {list(need)}; got {got}")
    if not isinstance(customer_state, pd.DataFrame) or not set(_STATE) <= set(
            customer_state.columns):
        raise ParameterError(f"customer_state must have {list(_STATE)}; build it with "
                             "creditkit.restricted.customer_state")
    if orders["order_id"].duplicated().any():
        dup = orders["order_id"][orders["order_id"].duplicated()].tolist()[:5]
        raise ParameterError(f"order ids repeat: {dup}; give each order its own id")
    if customer_state["customer_id"].duplicated().any():
        raise ParameterError("customer_state repeats customers; one row per customer")
    amount = _whole_money(orders["amount_minor"], "amount_minor")
    if amount.isna().any() or (amount <= 0).any():
        bad = orders["order_id"][amount.isna() | (amount <= 0).fillna(True)].tolist()[:5]
        raise ParameterError(f"orders {bad} have no positive amount; an order's amount_minor is "
                             "a positive integer")
    a = amount.to_numpy(dtype="int64")
    st = customer_state.set_index("customer_id").reindex(orders["customer_id"])
    known = st["restriction_level"].notna().to_numpy()
    cbd = st["cash_before_delivery"].fillna(False).to_numpy(dtype=bool)
    share = st["prepayment_share"].fillna(0).to_numpy(dtype="float64")
    prepay = np.where(cbd, a, _ceil_share(a, share))
    credit = a - prepay
    before = (st["outstanding_minor"].fillna(0).to_numpy(dtype="int64")
              + st["open_orders_minor"].fillna(0).to_numpy(dtype="int64"))
    after = before + credit
    lim = st["effective_limit_minor"].astype("Int64")
    has_lim = lim.notna().to_numpy()
    limv = lim.to_numpy(dtype="int64", na_value=0)
    appr = st["approval_above_minor"].astype("Int64")
    above = appr.notna().to_numpy() & (a > appr.to_numpy(dtype="int64", na_value=0))
    other_ccy = np.zeros(len(a), dtype=bool)
    if "currency" in orders.columns and "currency" in st.columns:
        oc = orders["currency"].astype("string").reset_index(drop=True)
        sc = st["currency"].astype("string").reset_index(drop=True)
        other_ccy = (oc != sc).fillna(False).to_numpy(dtype=bool)
    over = has_lim & (credit > 0) & (after > limv)
    conds = [~known, other_ccy, over, ~has_lim & (credit > 0), above, cbd, prepay > 0]
    reason = np.select(conds, ["unknown_customer", "currency_mismatch", "over_limit",
                               "no_limit_on_file", "above_approval_amount",
                               "cash_before_delivery", "prepayment_required"], "within_limit")
    decision = np.select(conds, ["refuse", "refuse", "refuse", "require_approval",
                                 "require_approval", "approve_with_prepayment",
                                 "approve_with_prepayment"], "approve")
    headroom = pd.array(limv - after, dtype="Int64")
    headroom[~has_lim] = pd.NA
    codes = pd.Categorical(reason, categories=list(ORDER_REASONS))
    out = pd.DataFrame({"order_id": orders["order_id"].to_numpy(),
                        "customer_id": orders["customer_id"].to_numpy(),
                        "restriction_level": st["restriction_level"].to_numpy(), "amount_minor": a,
                        "decision": pd.Categorical(decision, categories=list(DECISIONS)),
                        "reason": codes})
    for lang in ("zh", "en"):
        out[f"reason_{lang}"] = codes.rename_categories(
            [label(f"order_reason_{c}", lang) for c in ORDER_REASONS])
    out["prepayment_minor"] = prepay
    out["credit_minor"] = credit
    out["exposure_before_minor"] = before
    out["exposure_after_minor"] = after
    out["limit_minor"] = lim.to_numpy()
    out["headroom_after_minor"] = headroom
    out["available_minor"] = (lim - pd.Series(before, index=lim.index)).clip(lower=0).to_numpy()
    if "currency" in st.columns:
        out["currency"] = st["currency"].to_numpy()
    return out


def candidate_orders(transactions: pd.DataFrame, *, as_of: object, days: int = 90,
                     customers: pd.Series | list | None = None) -> pd.DataFrame:
    """One plausible next order per customer: the largest purchase of its last ``days`` days.

    A report cannot know tomorrow's orders, so it asks what would happen if
    each customer who bought recently placed again the largest order they
    placed in the window (``(as_of − days, as_of]``). The amounts are the
    customer's own, in its own currency; nothing is invented.

    Parameters
    ----------
    transactions : DataFrame
        ``customer_id``, ``txn_date``, ``amount_minor``, optionally ``currency``.
    as_of : date-like
    days : int, default 90
    customers : list-like, optional
        Only these customers.

    Returns
    -------
    DataFrame
        ``order_id`` (``next-<customer_id>``), ``customer_id``,
        ``amount_minor``, ``currency`` (when known), ``based_on`` (the date of
        the purchase repeated), sorted by customer.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount_minor": [500, 900, 100],
    ...                   "txn_date": pd.to_datetime(["2025-06-01", "2025-06-20", "2024-01-01"])})
    >>> candidate_orders(t, as_of="2025-06-30")[["order_id", "amount_minor"]].values.tolist()
    [['next-a', 900]]
    """
    day = check_as_of(as_of)
    if isinstance(days, bool) or not isinstance(days, int | np.integer) or days < 1:
        raise ParameterError(f"days must be a positive whole number; got {days!r}")
    need = {"customer_id", "txn_date", "amount_minor"}
    if not isinstance(transactions, pd.DataFrame) or not need <= set(transactions.columns):
        raise ParameterError(f"transactions must be a DataFrame with {sorted(need)}")
    t = transactions
    when = pd.to_datetime(t["txn_date"])
    keep = ((when <= day) & (when > day - pd.Timedelta(days=int(days)))).to_numpy() & \
        (t["amount_minor"] > 0).to_numpy()
    if customers is not None:
        keep &= t["customer_id"].isin(pd.Index(customers)).to_numpy()
    t = t.loc[keep].assign(based_on=when[keep])
    t = t.sort_values(["customer_id", "amount_minor", "based_on"],
                      ascending=[True, False, False], kind="stable")
    t = t.drop_duplicates("customer_id")
    cols = ["customer_id", "amount_minor"] + (["currency"] if "currency" in t.columns else [])
    out = t[[*cols, "based_on"]].reset_index(drop=True)
    out.insert(0, "order_id", "next-" + out["customer_id"].astype(str))
    out["amount_minor"] = _whole_money(out["amount_minor"], "amount_minor").astype("int64")
    return out
