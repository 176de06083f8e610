"""Legal escalation (移交法务): who goes to legal, and the evidence pack a lawyer asks for.

A customer is escalated when its dunning sequence has reached the last level
of the dunning policy (:func:`creditkit.collections.dunning_run` history;
the shipped policy's last level is the hand-over to legal) with money still
owed, or when a recovery plan is broken (an optional plan-status frame:
``customer_id``, ``status``; ``broken`` escalates).

The evidence pack of a customer (:func:`evidence_pack`) holds, as tables:
the contract terms on file (the customers table: limit, currency, opening
date, kind), every bill with its due date and what is open, every payment
received up to ``as_of``, every reminder sent (the dunning history),
promises to pay and plans when given, and the balance with late fees as the
restriction policy states them (:func:`late_fees`: the level's
``late_fee_daily_rate`` × days past due × the amount still open on each bill,
rounded down to the minor unit; simple, not compounded).
:func:`creditkit.restricted.evidence_export.export_evidence` writes it.

Examples
--------
>>> ESCALATION_REASONS
('past_last_dunning_level', 'broken_plan')
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from creditkit.aging import bill_aging
from creditkit.checks import check_as_of
from creditkit.collections import load_dunning_policy
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.restricted.policy import load_restriction_policy

__all__ = ["ESCALATION_REASONS", "evidence_pack", "late_fees", "legal_escalation"]

#: Why a customer goes to legal (label keys ``legal_reason_<code>``).
ESCALATION_REASONS: tuple[str, ...] = ("past_last_dunning_level", "broken_plan")


def _rate(policy: pd.DataFrame | None, level: str) -> Fraction:
    pol = load_restriction_policy() if policy is None else policy
    if not isinstance(pol, pd.DataFrame) or "late_fee_daily_rate" not in pol.columns:
        raise ParameterError("policy must be load_restriction_policy's result")
    row = pol[pol["restriction_level"] == level]
    if row.empty:
        raise ParameterError(f"level {level!r} is not in the restriction policy; levels are "
                             f"{pol['restriction_level'].tolist()}")
    return Fraction(row["late_fee_daily_rate"].iloc[0])


def late_fees(aging: pd.DataFrame, *, rate: Fraction | str) -> pd.Series:
    """Late fee of each bill: ``floor(outstanding × rate × dpd)`` for bills past due, else 0.

    Parameters
    ----------
    aging : DataFrame
        :func:`creditkit.aging.bill_aging` (``outstanding_minor``, ``dpd``).
    rate : Fraction or decimal string
        Daily rate (``"0.0005"`` = 万分之五 a day).

    Returns
    -------
    Series
        int64 minor units, indexed like ``aging``.

    Examples
    --------
    >>> a = pd.DataFrame({"outstanding_minor": [1_000_000, 999, 500], "dpd": [30, 10, -3]})
    >>> late_fees(a, rate="0.0005").tolist()
    [15000, 4, 0]
    """
    from decimal import Decimal, InvalidOperation

    try:
        f = rate if isinstance(rate, Fraction) else Fraction(Decimal(str(rate)))
    except (InvalidOperation, ValueError):
        raise ParameterError(f"rate must be a decimal daily rate such as '0.0005'; got "
                             f"{rate!r}") from None
    if f < 0:
        raise ParameterError(f"rate must be 0 or more; got {rate!r}")
    out = aging["outstanding_minor"].to_numpy(dtype="int64")
    dpd = np.clip(aging["dpd"].to_numpy(dtype="int64"), 0, None)
    base = np.where(out > 0, out, 0).astype(object) * dpd.astype(object)
    fee = np.asarray(base * f.numerator // f.denominator, dtype="int64")
    return pd.Series(fee, index=aging.index, dtype="int64")


def _last_level(dunning_policy: object) -> int:
    pol = load_dunning_policy(dunning_policy) if dunning_policy is None or isinstance(
        dunning_policy, str) else dunning_policy
    if not isinstance(pol, pd.DataFrame) or "level" not in pol.columns:
        raise ParameterError("dunning_policy must be a path or load_dunning_policy's result")
    return int(pol["level"].max())


def legal_escalation(bills: pd.DataFrame, payments: pd.DataFrame, *, as_of: object,
                     dunning_history: pd.DataFrame | None = None,
                     plan_status: pd.DataFrame | None = None,
                     dunning_policy: object = None, policy: pd.DataFrame | None = None,
                     level: str = "stop") -> pd.DataFrame:
    """The customers to hand over to legal at ``as_of``, why, and what they owe with late fees.

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical tables.
    as_of : date-like
    dunning_history : DataFrame, optional
        ``DunningRun.history`` (``run_date``, ``customer_id``, ``level``,
        ``event``); runs after ``as_of`` are ignored.
    plan_status : DataFrame, optional
        ``customer_id``, ``status`` (a plan whose status is ``broken``
        escalates). Recovery plans give it.
    dunning_policy : path or DataFrame, optional
        Its last level is the one that escalates (default: the shipped policy).
    policy : DataFrame, optional
        Restriction policy, for the late-fee rate (default: the shipped one).
    level : str, default "stop"
        The policy level whose late-fee rate applies.

    Returns
    -------
    DataFrame
        One row per (customer, currency) with money outstanding, largest
        claim first: ``customer_id``, ``currency``, ``escalation_reasons`` (``a|b`` of
        :data:`ESCALATION_REASONS`), ``reached_on`` (first run at the last
        level), ``outstanding_minor``, ``past_due_minor``, ``late_fee_minor``,
        ``claim_minor`` (outstanding + late fee), ``worst_dpd``.

    Raises
    ------
    SchemaError, ParameterError
        Missing columns; bad ``as_of``.

    Examples
    --------
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["B1"], "customer_id": ["A"],
    ...     "issue_date": d(["2025-01-01"]), "due_date": d(["2025-01-31"]),
    ...     "amount_minor": [100_000], "currency": ["CNY"], "kind": ["invoice"]})
    >>> pay = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-05-01"]), "amount_minor": [1], "currency": ["CNY"],
    ...     "kind": ["payment"]})
    >>> hist = pd.DataFrame({"run_date": d(["2025-04-01"]), "customer_id": ["A"],
    ...                      "level": [6], "event": ["sent"]})
    >>> legal_escalation(bills, pay, as_of="2025-04-01", dunning_history=hist)[
    ...     ["customer_id", "escalation_reasons", "late_fee_minor", "claim_minor"]].values.tolist()
    [['A', 'past_last_dunning_level', 3000, 103000]]
    """
    day = check_as_of(as_of)
    last = _last_level(dunning_policy)
    rate = _rate(policy, level)
    reasons: dict[str, list[str]] = {}
    reached: dict[str, pd.Timestamp] = {}
    if dunning_history is not None:
        need = {"run_date", "customer_id", "level", "event"}
        if not isinstance(dunning_history, pd.DataFrame) or not need <= set(
                dunning_history.columns):
            raise SchemaError(f"dunning_history must have {sorted(need)} (DunningRun.history)")
        h = dunning_history[(pd.to_datetime(dunning_history["run_date"]) <= day)
                            & (dunning_history["event"] == "sent")
                            & (dunning_history["level"] >= last)]
        first = h.groupby("customer_id")["run_date"].min()
        for cid, when in first.items():
            reasons.setdefault(cid, []).append("past_last_dunning_level")
            reached[cid] = pd.Timestamp(when)
    if plan_status is not None:
        if not isinstance(plan_status, pd.DataFrame) or not {"customer_id", "status"} <= set(
                plan_status.columns):
            raise SchemaError("plan_status must have customer_id and status (broken escalates)")
        for cid in plan_status.loc[plan_status["status"] == "broken", "customer_id"].unique():
            reasons.setdefault(cid, []).append("broken_plan")
    ids = list(reasons)
    ag = bill_aging(bills[bills["customer_id"].isin(ids)], payments[
        payments["customer_id"].isin(ids)], as_of=day) if ids else None
    cols = ["customer_id", "currency", "escalation_reasons", "reached_on", "outstanding_minor",
            "past_due_minor", "late_fee_minor", "claim_minor", "worst_dpd"]
    if ag is None or ag.empty:
        return pd.DataFrame({c: [] for c in cols})
    ag = ag.assign(past_due_minor=np.where(ag["dpd"] > 0, ag["outstanding_minor"], 0),
                   late_fee_minor=late_fees(ag, rate=rate),
                   open_dpd=np.where(ag["outstanding_minor"] > 0, ag["dpd"], 0))
    out = ag.groupby(["customer_id", "currency"], as_index=False).agg(
        outstanding_minor=("outstanding_minor", "sum"), past_due_minor=("past_due_minor", "sum"),
        late_fee_minor=("late_fee_minor", "sum"), worst_dpd=("open_dpd", "max"))
    out = out[out["outstanding_minor"] > 0]
    out["escalation_reasons"] = out["customer_id"].map(lambda c: "|".join(reasons[c]))
    out["reached_on"] = pd.to_datetime(out["customer_id"].map(reached))
    out["claim_minor"] = out["outstanding_minor"] + out["late_fee_minor"]
    out = out.sort_values(["claim_minor", "customer_id"], ascending=[False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def _rows(frame: pd.DataFrame | None, customer_id: str, name: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    if not isinstance(frame, pd.DataFrame) or "customer_id" not in frame.columns:
        raise ParameterError(f"{name} must be a DataFrame with customer_id")
    return frame[frame["customer_id"] == customer_id].reset_index(drop=True)


def evidence_pack(tables: Mapping[str, pd.DataFrame], customer_id: str, *, as_of: object,
                  dunning_history: pd.DataFrame | None = None,
                  promises: pd.DataFrame | None = None, plans: pd.DataFrame | None = None,
                  policy: pd.DataFrame | None = None, level: str = "stop"
                  ) -> dict[str, pd.DataFrame]:
    """Everything a lawyer asks for about one customer, as of a date, one table per item.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``customers``, ``bills``, ``payments``.
    customer_id : str
    as_of : date-like
        Nothing after it is included.
    dunning_history, promises, plans : DataFrame, optional
        The dunning history, promises to pay and recovery plans (their rows
        of this customer are included as they are).
    policy : DataFrame, optional
        Restriction policy, for the late-fee rate.
    level : str, default "stop"
        The level whose late-fee rate applies.

    Returns
    -------
    dict
        ``contract`` (the customer's terms on file and the late-fee rate),
        ``bills`` (issue and due dates, amount, applied, open, dpd, late fee),
        ``payments`` (every payment, credit note and write-off up to
        ``as_of``), ``reminders``, ``promises``, ``plans`` (empty when not
        given), ``balance`` (per currency: billed, settled, outstanding,
        past due, late fee, claim). Billed − applied = outstanding per bill.

    Raises
    ------
    ParameterError
        An unknown customer; missing tables.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(100, seed=3, end="2025-06-30")
    >>> pack = evidence_pack(book, "C00000001", as_of="2025-06-30")
    >>> sorted(pack)
    ['balance', 'bills', 'contract', 'payments', 'plans', 'promises', 'reminders']
    """
    day = check_as_of(as_of)
    for name in ("customers", "bills", "payments"):
        if not isinstance(tables, Mapping) or name not in tables:
            raise SchemaError(f"evidence_pack needs the table {name!r}; pass the tables of "
                              "make_portfolio or load_portfolio")
    cust = tables["customers"]
    row = cust[cust["customer_id"] == customer_id]
    if row.empty:
        raise ParameterError(f"customer {customer_id!r} is not in the customers table; check "
                             "the id (legal_escalation lists who is escalated)")
    rate = _rate(policy, level)
    contract = row.head(1).reset_index(drop=True).copy()
    contract["late_fee_daily_rate"] = str(float(rate))
    contract["as_of"] = day
    bills = tables["bills"][tables["bills"]["customer_id"] == customer_id]
    pays = tables["payments"][tables["payments"]["customer_id"] == customer_id]
    pays = pays[pd.to_datetime(pays["paid_date"]) <= day]
    ag = bill_aging(bills, pays, as_of=day)
    ag = ag.assign(late_fee_minor=late_fees(ag, rate=rate))
    bill_cols = ["bill_id", "invoice_id", "currency", "issue_date", "due_date", "amount_minor",
                 "applied_minor", "outstanding_minor", "dpd", "late_fee_minor"]
    bill_tab = ag[bill_cols].sort_values(["due_date", "bill_id"], kind="stable") \
        .reset_index(drop=True)
    pay_cols = [c for c in ("payment_id", "paid_date", "amount_minor", "currency", "kind",
                            "channel", "reference", "bill_id", "invoice_id") if c in pays]
    pay_tab = pays[pay_cols].sort_values("paid_date", kind="stable").reset_index(drop=True)
    hist = _rows(dunning_history, customer_id, "dunning_history")
    if hist is not None:
        hist = hist[pd.to_datetime(hist["run_date"]) <= day].reset_index(drop=True)
    bal = ag.assign(past_due_minor=np.where(ag["dpd"] > 0, ag["outstanding_minor"], 0)) \
        .groupby("currency", as_index=False).agg(
            billed_minor=("amount_minor", "sum"), applied_minor=("applied_minor", "sum"),
            outstanding_minor=("outstanding_minor", "sum"),
            past_due_minor=("past_due_minor", "sum"), late_fee_minor=("late_fee_minor", "sum"))
    bal["claim_minor"] = bal["outstanding_minor"] + bal["late_fee_minor"]
    empty = pd.DataFrame({"customer_id": []})
    return {"contract": contract, "bills": bill_tab, "payments": pay_tab,
            "reminders": hist if hist is not None else empty.copy(),
            "promises": _rows(promises, customer_id, "promises")
            if promises is not None else empty.copy(),
            "plans": _rows(plans, customer_id, "plans") if plans is not None else empty.copy(),
            "balance": bal}

