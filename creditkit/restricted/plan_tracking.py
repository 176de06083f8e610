"""Recovery plans against the payments received: each instalment on time, late, missed or pending.

:func:`track_plans` follows every plan of :func:`~creditkit.restricted.recovery_plans`
at ``as_of``, using only payments dated on or before it.

What it decides
---------------
- **Which payments count.** A customer's payments (``kind`` ``payment`` or
  missing: cash received, not credit notes or write-offs) in the plan's
  currency, dated from the start of their earliest plan to ``as_of``. Pass
  only the payments made under the plans if the customer also pays other bills.
- **Oldest instalment first.** The payments fill the instalments in due-date
  order (several plans of one customer and currency: one queue). An
  instalment is paid on the day the running total of payments first covers it.
- **Status of an instalment.** ``on_time``: fully paid by its due date plus
  ``grace_days`` (paid early included); ``late``: fully paid after that;
  ``missed``: not fully paid and past due date plus grace; ``pending``: not
  fully paid and not yet past it (it may be partly paid).
- **Status of a plan.** ``completed`` (all paid), ``broken`` (at least
  ``broken_after`` instalments missed), ``behind`` (one missed), ``on_track``.
  ``on_time_streak`` counts the instalments paid on time in a row up to the
  latest one that is settled or missed: a late or missed instalment starts it
  again from zero (连续按期还款).
- **Nothing is lost.** Money beyond everything scheduled stays visible as
  ``unapplied_minor``; :meth:`PlanTracking.invariants` checks that applied plus
  unapplied equals the payments counted, per customer and currency.

Examples
--------
>>> import pandas as pd
>>> from creditkit.restricted import recovery_plans
>>> plans = recovery_plans(pd.DataFrame({"customer_id": ["C1"], "balance_minor": [30000],
...                                      "currency": "CNY"}), start="2025-01-10", n=3)
>>> pays = pd.DataFrame({"customer_id": ["C1", "C1"], "amount_minor": [10000, 10000],
...                      "paid_date": pd.to_datetime(["2025-02-10", "2025-03-20"]),
...                      "currency": "CNY"})
>>> t = track_plans(plans, pays, as_of="2025-04-30")
>>> t.instalments["status"].tolist(), t.plans["status"].item()
(['on_time', 'late', 'missed'], 'behind')
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["INSTALMENT_STATUSES", "PLAN_STATUSES", "PlanTracking", "track_plans"]

#: What became of an instalment, best first.
INSTALMENT_STATUSES = ("on_time", "late", "pending", "missed")
#: What became of a plan.
PLAN_STATUSES = ("completed", "on_track", "behind", "broken")
_KEY = ["customer_id", "currency"]
_PLAN_COLS = ("plan_id", "customer_id", "start", "instalment", "due_date", "amount_minor",
              "currency")
_PAY_COLS = ("customer_id", "paid_date", "amount_minor", "currency")


@dataclass(frozen=True)
class PlanTracking:
    """Plans followed at ``as_of``: per instalment, per plan, and money left over.

    Attributes
    ----------
    instalments : DataFrame
        The plans' rows plus ``paid_minor``, ``paid_date`` (when it was fully
        paid), ``days_late`` and ``status``.
    plans : DataFrame
        Per plan: amounts scheduled, paid, owed and overdue, counts by status,
        ``on_time_streak``, ``next_due_date`` and ``status``.
    unapplied : DataFrame
        Per customer and currency: payments counted and the part beyond the plans.
    as_of : Timestamp
    """

    instalments: pd.DataFrame
    plans: pd.DataFrame
    unapplied: pd.DataFrame
    as_of: pd.Timestamp

    def invariants(self) -> None:
        """Raise ``AssertionError`` unless no money is lost or made up.

        Applied plus unapplied equals the payments counted, per customer and
        currency; no instalment is paid beyond its amount.

        Examples
        --------
        >>> import pandas as pd
        >>> from creditkit.restricted import recovery_plan
        >>> p = recovery_plan(500, start="2025-01-01", n=2).assign(
        ...     plan_id="P", customer_id="C", start=pd.Timestamp("2025-01-01"))
        >>> pay = pd.DataFrame({"customer_id": ["C"], "amount_minor": [900],
        ...                     "paid_date": pd.Timestamp("2025-01-05"), "currency": "CNY"})
        >>> t = track_plans(p, pay, as_of="2025-03-31")
        >>> t.invariants(), t.unapplied["unapplied_minor"].item()
        (None, 400)
        """
        i = self.instalments
        assert (i["paid_minor"] <= i["amount_minor"]).all(), "an instalment paid beyond its amount"
        assert (i["paid_minor"] >= 0).all(), "a negative payment applied"
        applied = i.groupby(_KEY)["paid_minor"].sum()
        u = self.unapplied.set_index(_KEY)
        both = u.join(applied.rename("applied"), how="outer").fillna(0)
        gap = both["counted_minor"] - both["applied"] - both["unapplied_minor"]
        assert (gap == 0).all(), f"payments counted != applied + unapplied: {gap[gap != 0].head()}"


def _frame(df: Any, cols: tuple[str, ...], what: str, fix: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"{what} must be a DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise SchemaError(f"{what} has no column {missing[0]!r}; it needs {list(cols)} ({fix})")
    return df


def _days(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or int(value) < 0:
        raise ParameterError(f"{name} must be a whole number of days from 0, got {value!r}")
    return int(value)


def track_plans(plans: pd.DataFrame, payments: pd.DataFrame, *, as_of: Any,
                grace_days: int = 0, broken_after: int = 2) -> PlanTracking:
    """Follow recovery plans at ``as_of``: what was paid, when, and what it means.

    Parameters
    ----------
    plans : DataFrame
        From :func:`~creditkit.restricted.recovery_plans` (``plan_id``,
        ``customer_id``, ``start``, ``instalment``, ``due_date``,
        ``amount_minor``, ``currency``).
    payments : DataFrame
        The canonical ``payments`` table, or the payments made under the plans
        (``customer_id``, ``paid_date``, ``amount_minor``, ``currency``,
        optional ``kind``).
    as_of : date-like
        The evaluation date; later payments are not known yet.
    grace_days : int, default 0
        Days after a due date an instalment still counts as paid on time.
    broken_after : int, default 2
        Missed instalments that make a plan ``broken``.

    Returns
    -------
    PlanTracking

    Raises
    ------
    SchemaError
        A table lacks a column it needs.
    ParameterError
        A bad ``as_of``, ``grace_days`` or ``broken_after``.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.restricted import recovery_plans
    >>> plans = recovery_plans(pd.DataFrame({"customer_id": ["C1"], "balance_minor": [90000],
    ...                                      "currency": "CNY"}), start="2025-01-10", n=3)
    >>> pay = pd.DataFrame({"customer_id": ["C1"], "amount_minor": [45000],
    ...                     "paid_date": pd.Timestamp("2025-02-12"), "currency": "CNY"})
    >>> t = track_plans(plans, pay, as_of="2025-03-31", grace_days=3)
    >>> t.instalments[["status", "paid_minor"]].values.tolist()
    [['on_time', 30000], ['missed', 15000], ['pending', 0]]
    >>> t.plans[["paid_minor", "overdue_minor", "on_time_streak", "status"]].values.tolist()
    [[45000, 15000, 0, 'behind']]
    """
    day = check_as_of(as_of)
    grace = _days(grace_days, "grace_days")
    if isinstance(broken_after, bool) or not isinstance(broken_after, Integral) or broken_after < 1:
        raise ParameterError(f"broken_after must be a whole number of missed instalments from 1, "
                             f"got {broken_after!r}; pass e.g. broken_after=2")
    _frame(plans, _PLAN_COLS, "plans", "make them with creditkit.restricted.recovery_plans")
    _frame(payments, _PAY_COLS, "payments", "the canonical payments table")
    owners = plans.drop_duplicates(["plan_id", "customer_id", "currency"])["plan_id"]
    if owners.duplicated().any():
        raise SchemaError(f"plan {owners[owners.duplicated()].iloc[0]!r} belongs to more than one "
                          "customer or currency; give every plan its own plan_id (recovery_plans "
                          "does)")
    inst = _queue(plans)
    pays = _counted(payments, inst, day)
    inst = _apply(inst, pays)
    due_by = inst["due_date"] + pd.Timedelta(days=grace)
    full = inst["paid_minor"] == inst["amount_minor"]
    inst["status"] = np.select(
        [full & (inst["paid_date"] <= due_by), full, day > due_by],
        ["on_time", "late", "missed"], "pending")
    inst["days_late"] = pd.array(np.where(
        inst["status"] == "late", (inst["paid_date"] - inst["due_date"]).dt.days,
        np.where(inst["status"] == "missed", (day - inst["due_date"]).dt.days, 0)), dtype="Int64")
    inst.loc[inst["status"] == "pending", "days_late"] = pd.NA
    summary = _plans(inst, int(broken_after))
    totals = pays.groupby(_KEY)["amount_minor"].sum().rename("counted_minor")
    applied = inst.groupby(_KEY)["paid_minor"].sum()
    left = totals.to_frame().join(applied, how="left").fillna(0).astype("int64")
    left["unapplied_minor"] = left["counted_minor"] - left["paid_minor"]
    cols = [*_PLAN_COLS, *[c for c in plans.columns if c not in _PLAN_COLS and c != "_order"],
            "paid_minor", "paid_date", "days_late", "status"]
    return PlanTracking(instalments=inst[cols].reset_index(drop=True), plans=summary,
                        unapplied=left[["counted_minor", "unapplied_minor"]].reset_index(),
                        as_of=day)


def _queue(plans: pd.DataFrame) -> pd.DataFrame:
    """Instalments in payment order per customer and currency, with the running amount due."""
    inst = plans.copy()
    inst["currency"] = inst["currency"].astype(str).str.upper()
    for col in ("start", "due_date"):
        inst[col] = pd.to_datetime(inst[col]).astype("datetime64[ns]")
    inst["amount_minor"] = inst["amount_minor"].astype("int64")
    inst = inst.sort_values([*_KEY, "due_date", "start", "plan_id", "instalment"], kind="stable")
    inst["due_through"] = inst.groupby(_KEY)["amount_minor"].cumsum()
    return inst.reset_index(drop=True)


def _counted(payments: pd.DataFrame, inst: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The payments that count towards the plans, with their running total."""
    p = payments[list(_PAY_COLS) + (["kind"] if "kind" in payments.columns else [])].copy()
    p["currency"] = p["currency"].astype(str).str.upper()
    p["paid_date"] = pd.to_datetime(p["paid_date"]).astype("datetime64[ns]")
    if "kind" in p.columns:
        p = p[p["kind"].isna() | (p["kind"] == "payment")]
    first = inst.groupby(_KEY)["start"].min().rename("first_start")
    p = p.merge(first.reset_index(), on=_KEY, how="inner")
    p = p[(p["paid_date"] >= p["first_start"]) & (p["paid_date"] <= day)]
    p = p.sort_values([*_KEY, "paid_date"], kind="stable").reset_index(drop=True)
    p["amount_minor"] = p["amount_minor"].astype("int64")
    p["paid_through"] = p.groupby(_KEY)["amount_minor"].cumsum()
    return p


def _apply(inst: pd.DataFrame, pays: pd.DataFrame) -> pd.DataFrame:
    """Oldest instalment first: the part paid and the day the running total covered it."""
    total = pays.groupby(_KEY)["amount_minor"].sum().rename("paid_total")
    inst = inst.merge(total.reset_index(), on=_KEY, how="left")
    paid_total = inst["paid_total"].fillna(0).astype("int64")
    before = inst["due_through"] - inst["amount_minor"]
    inst["paid_minor"] = (paid_total - before).clip(lower=0).clip(upper=inst["amount_minor"])
    inst["paid_date"] = pd.Series(pd.NaT, index=inst.index, dtype="datetime64[ns]")
    if len(pays) and len(inst):
        left = inst[[*_KEY, "due_through"]].reset_index().sort_values("due_through",
                                                                      kind="stable")
        right = pays[[*_KEY, "paid_through", "paid_date"]].sort_values("paid_through",
                                                                       kind="stable")
        hit = pd.merge_asof(left, right, left_on="due_through", right_on="paid_through",
                            by=_KEY, direction="forward").set_index("index").sort_index()
        inst["paid_date"] = hit["paid_date"].astype("datetime64[ns]")
    inst.loc[inst["paid_minor"] < inst["amount_minor"], "paid_date"] = pd.NaT
    return inst.drop(columns=["paid_total", "due_through"])


def _plans(inst: pd.DataFrame, broken_after: int) -> pd.DataFrame:
    g = inst.groupby("plan_id", sort=True)
    out = g.agg(customer_id=("customer_id", "first"), currency=("currency", "first"),
                start=("start", "first"), instalments=("instalment", "size"),
                scheduled_minor=("amount_minor", "sum"), paid_minor=("paid_minor", "sum"))
    out["owed_minor"] = out["scheduled_minor"] - out["paid_minor"]
    missed = inst["status"] == "missed"
    out["overdue_minor"] = (inst["amount_minor"] - inst["paid_minor"]).where(missed, 0).groupby(
        inst["plan_id"]).sum()
    for s in INSTALMENT_STATUSES:
        out[s] = (inst["status"] == s).groupby(inst["plan_id"]).sum().astype("int64")
    out["on_time_streak"] = _streaks(inst)
    nxt = inst[inst["status"] == "pending"].groupby("plan_id")["due_date"].min()
    out["next_due_date"] = nxt.reindex(out.index)
    out["status"] = np.select(
        [out["owed_minor"] == 0, out["missed"] >= broken_after, out["missed"] > 0],
        ["completed", "broken", "behind"], "on_track")
    return out.reset_index()


def _streaks(inst: pd.DataFrame) -> pd.Series:
    """Instalments paid on time in a row, counted back from the latest settled or missed one."""
    s = inst[inst["status"] != "pending"].sort_values(["plan_id", "instalment"], kind="stable")
    broken = (s["status"] != "on_time").astype(int)
    # a run id that grows at every late or missed instalment; the streak is the last run's on-times
    run = broken.groupby(s["plan_id"]).cumsum()
    last = run.groupby(s["plan_id"]).transform("max")
    streak = ((run == last) & (s["status"] == "on_time")).groupby(s["plan_id"]).sum()
    plans = inst["plan_id"].drop_duplicates().sort_values()
    return streak.reindex(plans, fill_value=0).astype("int64").set_axis(plans.to_numpy())
