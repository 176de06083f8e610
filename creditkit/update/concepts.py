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
  ``restriction_reason``. Each evaluation starts afresh (no ``previous``):
  a level's entry date is read from the snapshots (``credit_file``).
- Alerts: :func:`creditkit.alerts.evaluate_alerts` by the stored (or given)
  ``alert_rules``; the alerts open at ``as_of`` (those whose rule holds)
  give ``open_alerts`` and ``alert_ids`` (rule ids, ``a|b``).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.util import find_spec
from typing import Any

import pandas as pd

__all__ = ["OPTIONAL_ARTEFACTS", "available", "restrict_stage"]

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


def restrict_stage(ledger: Mapping[str, pd.DataFrame], features: pd.DataFrame, *,
                   as_of: pd.Timestamp, arts: Mapping[str, Mapping[str, Any]],
                   cards: Mapping[str, Any]) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(restrictions, open alerts) at ``as_of``, or None for a concept not in this creditkit.

    Returns
    -------
    tuple
        ``restrictions``: ``customer_id``, ``level``, ``reason`` (restricted
        customers only); ``alerts``: ``customer_id``, ``alert_id`` (one row
        per open alert).
    """
    restrictions = alerts = None
    if "restriction_rules" in arts:
        from creditkit.restricted import restricted_customers, restriction_features

        r = restricted_customers(restriction_features(features),
                                 arts["restriction_rules"]["path"], as_of=as_of)
        r = r.loc[r["restriction_level"] != "none"]
        restrictions = pd.DataFrame({"customer_id": r["customer_id"].astype(str).to_numpy(),
                                     "level": r["restriction_level"].astype(object).to_numpy(),
                                     "reason": r["rule_ids"].astype(object).to_numpy()})
    if "alert_rules" in arts:
        from creditkit.alerts import evaluate_alerts

        run = evaluate_alerts(ledger, arts["alert_rules"]["path"], as_of=as_of, lang="en",
                              cards=cards)
        o = run.open.sort_values(["customer_id", "rule_id"], kind="stable")
        alerts = pd.DataFrame({"customer_id": o["customer_id"].astype(str).to_numpy(),
                               "alert_id": o["rule_id"].astype(str).to_numpy()})
    return restrictions, alerts
