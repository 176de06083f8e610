"""The restricted book at a date in one call, and its tables in the report language.

:func:`restricted_book` runs the whole path for a report or a benchmark:
features at ``as_of`` (and at the previous evaluation date, to say who
entered and left), levels, limits and terms, the state an order check
reads, candidate orders and their checks, the review calendar and the legal
list. Each step is the public function of its module; nothing is computed
here that they do not compute. :func:`level_counts` summarises the levels
and :func:`report_view` turns code values into labels of one language.

Examples
--------
>>> report_view(pd.DataFrame({"restriction_level": ["stop"], "reasons_zh": ["逾期"],
...                           "reasons_en": ["Late"]}), "en").to_dict("records")
[{'restriction_level': 'Stop credit', 'reasons': 'Late'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of, check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.restricted.classify import (
    LEVELS,
    level_rank,
    restricted_customers,
    restriction_features,
)
from creditkit.restricted.legal import legal_escalation
from creditkit.restricted.orders import candidate_orders, check_order, customer_state
from creditkit.restricted.plan_tracking import PlanTracking, track_plans
from creditkit.restricted.plans import recovery_plans
from creditkit.restricted.policy import apply_restrictions, load_restriction_policy
from creditkit.restricted.restoration import restoration_path
from creditkit.restricted.reviews import add_months, review_schedule
from creditkit.segmentation import customer_features

__all__ = ["RestrictedBook", "illustrative_plans", "level_counts", "report_view",
           "restricted_book"]

#: Columns of code a report leaves out (the live frames keep them).
_CODE_COLUMNS = ("rule_id", "rule_ids", "conditions", "values_seen", "as_of")
#: Columns holding codes, and the label prefix of their values.
_CODES = {"restriction_level": "rlevel_", "previous_restriction_level": "rlevel_",
          "change": "rchange_", "decision": "order_decision_", "reason": "order_reason_",
          "limit_set_by": "limit_by_", "terms_set_by": "limit_by_",
          "last_decision": "review_decision_", "restoration": "restoration_",
          "status": "plan_"}


@dataclass
class RestrictedBook:
    """Every table of the restricted-customer path at one date (see :func:`restricted_book`)."""

    as_of: pd.Timestamp
    features: pd.DataFrame
    restricted: pd.DataFrame
    previous: pd.DataFrame | None
    policy: pd.DataFrame
    restrictions: pd.DataFrame
    state: pd.DataFrame
    orders: pd.DataFrame
    order_checks: pd.DataFrame
    schedule: pd.DataFrame
    legal: pd.DataFrame
    dunning_history: pd.DataFrame | None = None
    plans: pd.DataFrame | None = None
    tracking: PlanTracking | None = None
    restoration: pd.DataFrame | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def headline(self) -> dict[str, Any]:
        """The manager's first figures: counts, shares, orders refused, reviews overdue, legal.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> b = restricted_book(make_portfolio(200, seed=3, end="2025-06-30"),
        ...                     as_of="2025-06-30", dunning_runs=1)
        >>> list(b.headline())[:2]
        ['restricted_customers', 'restricted_share']
        """
        counts = level_counts(self.restricted, self.features)
        on = counts[counts["restriction_level"] != "none"]
        changes = self.restricted["change"].value_counts()
        decided = self.order_checks["decision"].astype(str).value_counts()
        return {"restricted_customers": int(on["customers"].sum()),
                "restricted_share": float(on["share"].sum()),
                "restricted_balance_share": float(on["outstanding_share"].sum()),
                "entered_this_period": int(changes.get("entered", 0)),
                "left_this_period": int(changes.get("left", 0)),
                "orders_refused": int(decided.get("refuse", 0)),
                "orders_need_approval": int(decided.get("require_approval", 0)),
                "reviews_overdue": int(self.schedule["overdue"].sum()),
                "legal_customers": int(self.legal["customer_id"].nunique())}


    def current(self) -> pd.DataFrame:
        """The customers restricted today (level not ``none``), most severe first.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> b = restricted_book(make_portfolio(120, seed=3, end="2025-06-30"),
        ...                     as_of="2025-06-30", dunning_runs=0)
        >>> set(b.current()["restriction_level"]) <= {"watch", "restricted", "stop"}
        True
        """
        r = self.restricted
        on = r[level_rank(r["restriction_level"]) > 0]
        order = np.argsort(-level_rank(on["restriction_level"]), kind="stable")
        return on.iloc[order].reset_index(drop=True)

    def changes(self) -> pd.DataFrame:
        """Who entered, left or changed level since the previous evaluation.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> b = restricted_book(make_portfolio(120, seed=3, end="2025-06-30"),
        ...                     as_of="2025-06-30", dunning_runs=0)
        >>> set(b.changes()["change"]) <= {"entered", "left", "level_up", "level_down"}
        True
        """
        r = self.restricted
        moved = r["change"].isin(["entered", "left", "level_up", "level_down"]).to_numpy()
        return r[moved].sort_values(["change", "customer_id"], kind="stable") \
            .reset_index(drop=True)

    def exposure(self) -> pd.DataFrame:
        """Restricted customers' limits and exposure, the most over their limit first.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> b = restricted_book(make_portfolio(120, seed=3, end="2025-06-30"),
        ...                     as_of="2025-06-30", dunning_runs=0)
        >>> e = b.exposure()
        >>> bool((e["exposure_minor"] == e["outstanding_minor"] + e["open_orders_minor"]).all())
        True
        """
        s = self.state[level_rank(self.state["restriction_level"]) > 0]
        cols = ["customer_id", "restriction_level", "base_limit_minor", "effective_limit_minor",
                "limit_set_by", "outstanding_minor", "open_orders_minor", "exposure_minor",
                "available_minor", "credit_period_days", "prepayment_share",
                "cash_before_delivery"]
        over = (s["exposure_minor"] - s["effective_limit_minor"].astype("Int64")).fillna(0)
        order = np.argsort(-over.to_numpy(dtype="int64"), kind="stable")
        return s.iloc[order][[c for c in cols if c in s.columns]].reset_index(drop=True)

    def order_summary(self) -> pd.DataFrame:
        """Candidate orders by level and decision: count and amount.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> b = restricted_book(make_portfolio(120, seed=3, end="2025-06-30"),
        ...                     as_of="2025-06-30", dunning_runs=0)
        >>> int(b.order_summary()["orders"].sum()) == len(b.order_checks)
        True
        """
        c = self.order_checks.assign(decision=self.order_checks["decision"].astype(str))
        out = c.groupby(["restriction_level", "decision"], as_index=False).agg(
            orders=("order_id", "size"), amount_minor=("amount_minor", "sum"))
        out = out.assign(_r=level_rank(out["restriction_level"]))
        return out.sort_values(["_r", "decision"], kind="stable").drop(columns="_r") \
            .reset_index(drop=True)

    def flagged_orders(self) -> pd.DataFrame:
        """Candidate orders that would be refused or need approval, largest first.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> b = restricted_book(make_portfolio(120, seed=3, end="2025-06-30"),
        ...                     as_of="2025-06-30", dunning_runs=0)
        >>> set(b.flagged_orders()["decision"].astype(str)) <= {"refuse", "require_approval"}
        True
        """
        c = self.order_checks
        flagged = c["decision"].astype(str).isin(["refuse", "require_approval"]).to_numpy()
        cols = ["order_id", "customer_id", "restriction_level", "amount_minor", "decision",
                "reason", "prepayment_minor", "exposure_before_minor", "exposure_after_minor",
                "limit_minor", "headroom_after_minor"]
        return c[flagged][cols].sort_values(["amount_minor", "order_id"], ascending=[False, True],
                                            kind="stable").reset_index(drop=True)

    def policy_table(self) -> pd.DataFrame:
        """The restriction policy as shown to people (shares and rates as decimals).

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> b = restricted_book(make_portfolio(120, seed=3, end="2025-06-30"),
        ...                     as_of="2025-06-30", dunning_runs=0)
        >>> b.policy_table()["limit_multiplier"].tolist()
        [1.0, 0.8, 0.5, 0.0]
        """
        p = self.policy.drop(columns="line").copy()
        for col in ("limit_multiplier", "prepayment_share", "late_fee_daily_rate"):
            p[col] = [float(v) for v in p[col]]
        return p


def level_counts(restricted: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """Customers and outstanding per level, every level shown, ``none`` first.

    Parameters
    ----------
    restricted : DataFrame
        :func:`~creditkit.restricted.restricted_customers`.
    features : DataFrame
        ``customer_id`` and ``outstanding_minor`` of every customer evaluated.

    Returns
    -------
    DataFrame
        ``restriction_level``, ``customers``, ``share``, ``outstanding_minor``,
        ``outstanding_share``; the rows add up to the customers and the
        outstanding of ``features``.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b", "c"], "outstanding_minor": [100, 300, 0]})
    >>> r = pd.DataFrame({"customer_id": ["b"], "restriction_level": ["stop"]})
    >>> level_counts(r, f)[["customers", "outstanding_minor"]].values.tolist()
    [[2, 100], [0, 0], [0, 0], [1, 300]]
    """
    lv = restricted.set_index("customer_id")["restriction_level"].reindex(
        features["customer_id"]).fillna("none").to_numpy()
    rank = level_rank(lv)
    bal = features["outstanding_minor"].to_numpy(dtype="int64")
    n = np.bincount(rank, minlength=len(LEVELS))
    money = np.array([int(bal[rank == i].sum()) for i in range(len(LEVELS))], dtype="int64")
    total = int(money.sum())
    return pd.DataFrame({"restriction_level": list(LEVELS), "customers": n,
                         "share": n / max(len(lv), 1), "outstanding_minor": money,
                         "outstanding_share": money / total if total else 0.0})


def illustrative_plans(previous: pd.DataFrame, previous_features: pd.DataFrame, *,
                       start: object, n: int, levels: tuple[str, ...] = ("restricted",)
                       ) -> pd.DataFrame:
    """Recovery plans as if offered at the previous evaluation, for a report without real ones.

    Each customer at one of ``levels`` at the previous evaluation gets an
    ``n``-instalment plan (:func:`~creditkit.restricted.recovery_plans`, equal
    instalments, no interest) for what was past due then, starting on
    ``start``. Tracked against the payments that followed, they show how
    such plans would be going; a team that keeps real plans passes those
    instead.

    Examples
    --------
    >>> prev = pd.DataFrame({"customer_id": ["a", "b"], "restriction_level": ["restricted",
    ...                      "stop"]})
    >>> feats = pd.DataFrame({"customer_id": ["a", "b"], "past_due_minor": [90_000, 5],
    ...                       "currency": ["CNY", "CNY"]})
    >>> p = illustrative_plans(prev, feats, start="2025-03-31", n=3)
    >>> p["amount_minor"].tolist(), p["due_date"].dt.strftime("%m-%d").tolist()
    ([30000, 30000, 30000], ['04-30', '05-31', '06-30'])
    """
    chosen = previous.loc[previous["restriction_level"].isin(levels), "customer_id"]
    f = previous_features[previous_features["customer_id"].isin(chosen)
                          & (previous_features["past_due_minor"] > 0)]
    balances = pd.DataFrame({"customer_id": f["customer_id"].to_numpy(),
                             "balance_minor": f["past_due_minor"].to_numpy(dtype="int64"),
                             "currency": f["currency"].fillna("CNY").to_numpy()})
    return recovery_plans(balances, start=start, n=n)


def report_view(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy for a report: codes labelled in ``lang``, one ``reasons`` column in it.

    The columns that hold code rather than words (``rule_id``, ``rule_ids``,
    ``conditions``, ``values_seen``) and the date of the run (``as_of``, in the
    report's manifest) are left out: a report speaks one language, and the
    reasons say in words what the rules test. The live frames keep them.

    Examples
    --------
    >>> report_view(pd.DataFrame({"decision": ["refuse"]}), "zh")["decision"].tolist()
    ['拒绝']
    """
    check_lang(lang)
    out = frame.drop(columns=[c for c in _CODE_COLUMNS if c in frame.columns])
    for col, prefix in _CODES.items():
        if col in out.columns:
            out[col] = out[col].astype(object).map(
                lambda v, p=prefix: label(v if v.startswith(p) else f"{p}{v}", lang)
                if isinstance(v, str) else v)
    if "escalation_reasons" in out.columns:
        sep = "、" if lang == "zh" else ", "
        out["escalation_reasons"] = out["escalation_reasons"].map(
            lambda v: sep.join(label(f"legal_reason_{r}", lang) for r in v.split("|"))
            if isinstance(v, str) else v)
    if f"reasons_{lang}" in out.columns:
        at = list(out.columns).index(f"reasons_{lang}")
        reasons = out.pop(f"reasons_{lang}")
        out = out.drop(columns=[c for c in ("reasons_zh", "reasons_en") if c in out.columns])
        out.insert(min(at, len(out.columns)), "reasons", reasons)
    for col in ("reason_zh", "reason_en"):
        if col in out.columns:
            out = out.drop(columns=col)
    return out


def restricted_book(tables: Mapping[str, pd.DataFrame], *, as_of: object,
                    previous_as_of: object = None, period_months: int = 1, rules: Any = None,
                    policy: Any = None,
                    extra: pd.DataFrame | None = None,
                    industry_risk: Mapping[str, str] | None = None,
                    region_risk: Mapping[str, str] | None = None,
                    reviews: pd.DataFrame | None = None, order_days: int = 90,
                    open_orders: pd.DataFrame | None = None, dunning_runs: int = 6,
                    dunning_step_days: int = 14, dunning_policy: Any = None,
                    plans: pd.DataFrame | None = None, plan_instalments: int = 0,
                    plan_levels: tuple[str, ...] = ("restricted",), plan_grace_days: int = 0,
                    restoration_policy: Any = None,
                    limit_col: str = "credit_limit_minor") -> RestrictedBook:
    """Levels, limits, order checks, reviews and the legal list at ``as_of``, in one call.

    Parameters
    ----------
    tables : dict
        ``customers``, ``bills``, ``payments``, ``transactions``.
    as_of : date-like
    previous_as_of : date-like, optional
        The previous evaluation (entry dates and who entered and left);
        default ``period_months`` before ``as_of`` (a month end stays one).
    period_months : int, default 1
        The period between evaluations when ``previous_as_of`` is not given.
    rules, policy : optional
        Restriction rules and policy (defaults: the shipped files).
    extra, industry_risk, region_risk : optional
        As :func:`~creditkit.restricted.restriction_features`.
    reviews : DataFrame, optional
        Review records.
    order_days : int, default 90
        Window of the candidate orders (:func:`candidate_orders`).
    open_orders : DataFrame, optional
        Orders accepted and not yet billed.
    dunning_runs, dunning_step_days : int
        Without a stored history, the dunning runs are rebuilt on this many
        dates, this many days apart, ending at ``as_of``, for the customers
        whose worst dpd at ``as_of`` has reached the last level's days. A
        customer who reached the last level earlier and has since paid its
        oldest bills is then missed: keep ``DunningRun.history`` and call
        :func:`~creditkit.restricted.legal_escalation` with it for the full list.
    dunning_policy : path or DataFrame, optional
    plans : DataFrame, optional
        Recovery plans (:func:`~creditkit.restricted.recovery_plans`), tracked
        against the payments at ``as_of`` (:func:`~creditkit.restricted.track_plans`,
        ``plan_grace_days``) with their restoration path
        (``restoration_policy``); a broken plan escalates to legal.
    plan_instalments : int, default 0
        Without ``plans``, a positive number builds :func:`illustrative_plans`
        of that many instalments for the customers at ``plan_levels`` at the
        previous evaluation, starting on its date.
    limit_col : str, default "credit_limit_minor"
        The customers table's limit, set by the scoring policy.

    Returns
    -------
    RestrictedBook

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = restricted_book(make_portfolio(300, seed=3, end="2025-06-30"), as_of="2025-06-30",
    ...                        dunning_runs=2)
    >>> set(book.restricted["restriction_level"]) <= {"none", "watch", "restricted", "stop"}
    True
    """
    day = check_as_of(as_of)
    if previous_as_of is None:
        prev_day = add_months(pd.DatetimeIndex([day]), -int(period_months))[0]
        if day.is_month_end:  # month end to month end (30 June - 3 months = 31 March)
            prev_day = prev_day + pd.offsets.MonthEnd(0)
    else:
        prev_day = check_as_of(previous_as_of, "previous_as_of")
    if prev_day >= day:
        raise ParameterError(f"previous_as_of {prev_day.date()} is not before as_of "
                             f"{day.date()}; the previous evaluation comes first")
    pol = load_restriction_policy(policy) if policy is None or not isinstance(
        policy, pd.DataFrame) else policy
    kw = {"industry_risk": industry_risk, "region_risk": region_risk}
    before = restriction_features(customer_features(tables, as_of=prev_day), extra, **kw)
    previous = restricted_customers(before, rules, as_of=prev_day)
    feats = restriction_features(customer_features(tables, as_of=day), extra, **kw)
    now = restricted_customers(feats, rules, as_of=day, previous=previous)
    cust = tables["customers"].drop_duplicates("customer_id")
    cust = cust[cust["customer_id"].isin(feats["customer_id"])]
    limits = apply_restrictions(cust, now, pol, limit_col=limit_col, term_col=None)
    state = customer_state(limits, feats[["customer_id", "outstanding_minor", "currency"]],
                           open_orders)
    orders = candidate_orders(tables["transactions"], as_of=day, days=order_days)
    checks = check_order(orders, state)
    since = now.set_index("customer_id")["level_since"]
    sched_in = limits.assign(level_since=since.reindex(limits["customer_id"]).to_numpy())
    schedule = review_schedule(sched_in, as_of=day, reviews=reviews)
    # the rebuilt runs cover the customers old enough for the last dunning level today (a
    # customer sent it earlier whose oldest bills were paid since is missed: store history)
    from creditkit.collections import load_dunning_policy

    dun = load_dunning_policy(dunning_policy) if dunning_policy is None or not isinstance(
        dunning_policy, pd.DataFrame) else dunning_policy
    late = feats.loc[feats["dpd"] >= int(dun["days"].max()), "customer_id"]
    dates = [day - pd.Timedelta(days=dunning_step_days * k) for k in
             range(dunning_runs - 1, -1, -1)]
    hist = None
    if dunning_runs > 0:
        from creditkit.collections import dunning_history

        t = {k: tables[k][tables[k]["customer_id"].isin(late)]
             for k in ("customers", "bills", "payments")}
        hist = dunning_history(t["bills"], t["payments"], t["customers"], dates=dates,
                               policy=dunning_policy).history
    if plans is None and plan_instalments > 0:
        plans = illustrative_plans(previous, before, start=prev_day, n=plan_instalments,
                                   levels=plan_levels)
    tracking = restoration = plan_status = None
    if plans is not None and len(plans):
        tracking = track_plans(plans, tables["payments"], as_of=day, grace_days=plan_grace_days)
        restoration = restoration_path(tracking, restoration_policy).rename(
            columns={"level": "restriction_level"})  # "level" alone is the dunning level
        plan_status = tracking.plans[["customer_id", "status"]]
    legal = legal_escalation(tables["bills"], tables["payments"], as_of=day,
                             dunning_history=hist, plan_status=plan_status,
                             dunning_policy=dunning_policy, policy=pol)
    return RestrictedBook(day, feats, now, previous, pol, limits, state, orders, checks,
                          schedule, legal, hist, plans, tracking, restoration)
