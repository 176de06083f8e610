"""The ``restrict`` stage: restriction levels and open alerts, once their concepts are here.

``creditkit.restricted`` (levels watch / restricted / stop by its rule file)
and ``creditkit.alerts`` (early-warning rules) are built beside the store;
each is used as soon as it is importable. Until then :func:`restrict_stage`
returns ``None`` for it and the snapshot's columns stay NULL ("not
evaluated", said in the run record) — never an empty list that would read
as "no restriction".

- Restrictions: :func:`creditkit.restricted.restriction_features` of the
  customer features, then :func:`creditkit.restricted.restricted_customers`
  by the stored (or given) ``restriction_rules``; the level and the rules
  that placed it (``a|b``) go into ``restriction_level`` and
  ``restriction_reason``. The evaluation continues from the previous one
  (the store's ``restriction_state`` of the latest date before ``as_of``):
  entry dates (``entered_on``, ``level_since``) are kept while a customer
  stays restricted, and who entered, left or moved is said (``change``).
- Alerts: :func:`creditkit.alerts.evaluate_alerts` by the stored (or given)
  ``alert_rules``, from the previous state (the store's ``alert_state`` and
  the previous snapshot's scores): an alert is raised once, keeps the day it
  opened while its rule holds, and closes when the rule stops holding; the
  alerts open at ``as_of`` give ``open_alerts`` and ``alert_ids`` (rule ids, ``a|b``).
- Recovery plans: a customer at level ``restricted`` with money past due and
  no plan offered before gets one (:func:`creditkit.restricted.recovery_plans`,
  :data:`PLAN_INSTALMENTS` equal monthly instalments of the past-due balance
  from ``as_of``, no interest); the plans are kept in the store's
  ``recovery_plans``, each once, at the date it was offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any

import pandas as pd

__all__ = ["OPTIONAL_ARTEFACTS", "PLAN_INSTALMENTS", "CarriedState", "available",
           "restrict_stage"]

#: Instalments of a recovery plan offered by the update (monthly, equal, no interest).
PLAN_INSTALMENTS = 6

#: Artefact kind -> (package, file in its ``data/``), used when the package exists.
OPTIONAL_ARTEFACTS = {
    "restriction_rules": ("creditkit.restricted", "restriction_rules.csv"),
    "alert_rules": ("creditkit.alerts", "alert_rules.yaml"),
}
_NEEDS = {"restriction_rules": "creditkit.restricted.classify",
          "alert_rules": "creditkit.alerts.evaluate"}


def available() -> dict[str, tuple[str, str]]:
    """The optional artefacts whose concept is part of this creditkit.

    Examples
    --------
    >>> set(available()) <= set(OPTIONAL_ARTEFACTS)
    True
    """
    out = {}
    for kind, module in _NEEDS.items():
        try:
            present = find_spec(module) is not None
        except ModuleNotFoundError:
            present = False
        if present:
            out[kind] = OPTIONAL_ARTEFACTS[kind]
    return out


@dataclass
class CarriedState:
    """What the previous update handed on (empty frames: nothing before).

    Attributes
    ----------
    as_of : Timestamp or None
        The previous update's date.
    restrictions : DataFrame
        ``restriction_state`` rows of that date (``restricted_customers`` columns).
    alerts : DataFrame
        ``alert_state`` rows: ``customer_id``, ``rule_id``, ``severity``, ``opened``.
    scores : DataFrame
        ``customer_id``, ``scorecard``, ``points`` of the previous snapshot.
    plans : DataFrame
        Every recovery-plan instalment offered before.
    """

    as_of: pd.Timestamp | None = None
    restrictions: pd.DataFrame = field(default_factory=pd.DataFrame)
    alerts: pd.DataFrame = field(default_factory=pd.DataFrame)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    plans: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class RestrictOutcome:
    """The ``restrict`` stage's results: snapshot columns and the state to store."""

    restrictions: pd.DataFrame | None = None
    alerts: pd.DataFrame | None = None
    state: dict = field(default_factory=dict)


def restrict_stage(ledger: Mapping[str, pd.DataFrame], features: pd.DataFrame, *,
                   as_of: pd.Timestamp, arts: Mapping[str, Mapping[str, Any]],
                   cards: Mapping[str, Any], carried: CarriedState | None = None
                   ) -> RestrictOutcome:
    """Restrictions, open alerts and new recovery plans at ``as_of``, from the carried state.

    A concept not in this creditkit gives None (its snapshot columns stay NULL).

    Returns
    -------
    RestrictOutcome
        ``restrictions``: ``customer_id``, ``level``, ``reason`` (restricted
        customers only); ``alerts``: ``customer_id``, ``alert_id`` (one row
        per open alert); ``state``: rows of ``restriction_state``,
        ``alert_state`` and ``recovery_plans`` for ``as_of``.
    """
    carried = carried or CarriedState()
    out = RestrictOutcome()
    if "restriction_rules" in arts:
        from creditkit.restricted import restricted_customers, restriction_features

        prev = carried.restrictions if len(carried.restrictions) else None
        r = restricted_customers(restriction_features(features),
                                 arts["restriction_rules"]["path"], as_of=as_of, previous=prev)
        out.state["restriction_state"] = r.reindex(columns=[
            "customer_id", "restriction_level", "previous_restriction_level", "change",
            "rule_ids", "entered_on", "level_since"]).astype({"customer_id": object})
        r = r.loc[r["restriction_level"] != "none"]
        out.state["recovery_plans"] = _new_plans(r, features, carried.plans, as_of)
        out.restrictions = pd.DataFrame({"customer_id": r["customer_id"].astype(str).to_numpy(),
                                     "level": r["restriction_level"].astype(object).to_numpy(),
                                     "reason": r["rule_ids"].astype(object).to_numpy()})
    if "alert_rules" in arts:
        from creditkit.alerts import AlertState, evaluate_alerts

        state = None
        if carried.as_of is not None:
            state = AlertState(carried.as_of, carried.alerts.reindex(
                columns=["customer_id", "rule_id", "severity", "opened"]),
                carried.scores.reindex(columns=["customer_id", "scorecard", "points"]))
        if "late_streak" in features.columns:  # alert_features already built (score stage)
            run = evaluate_alerts(None, arts["alert_rules"]["path"], as_of=as_of, lang="en",
                                  state=state, features=features)
        else:
            run = evaluate_alerts(ledger, arts["alert_rules"]["path"], as_of=as_of, lang="en",
                                  cards=cards, state=state)
        o = run.open.sort_values(["customer_id", "rule_id"], kind="stable")
        out.state["alert_state"] = o.reindex(
            columns=["customer_id", "rule_id", "severity", "opened"]).reset_index(drop=True)
        out.alerts = pd.DataFrame({"customer_id": o["customer_id"].astype(str).to_numpy(),
                                   "alert_id": o["rule_id"].astype(str).to_numpy()})
    return out


def _new_plans(restricted: pd.DataFrame, features: pd.DataFrame, plans: pd.DataFrame,
               day: pd.Timestamp) -> pd.DataFrame:
    """Plans for customers at ``restricted`` with money past due and no plan offered before."""
    from creditkit.restricted import recovery_plans

    had = set(plans["customer_id"]) if len(plans) else set()
    who = restricted.loc[(restricted["restriction_level"] == "restricted")
                         & ~restricted["customer_id"].isin(had), "customer_id"]
    f = features[features["customer_id"].isin(who) & (features["past_due_minor"] > 0)]
    f = f.sort_values("customer_id", kind="stable")
    balances = pd.DataFrame({"customer_id": f["customer_id"].astype(object).to_numpy(),
                             "balance_minor": f["past_due_minor"].to_numpy(dtype="int64"),
                             "currency": f["currency"].fillna("CNY").to_numpy()})
    # a balance smaller than the instalments cannot be split: fewer instalments then
    balances["n"] = balances["balance_minor"].clip(upper=PLAN_INSTALMENTS).astype("int64")
    return recovery_plans(balances, start=day, n=PLAN_INSTALMENTS)
