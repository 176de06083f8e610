"""Tier migration (分层迁移) between two dates: the matrix, and who moved and why.

Rows are the tiers at the first date, plus ``new`` (customers tiered only at
the second date); columns the tiers at the second date, plus ``exited``
(customers tiered only at the first date). So the tier rows add up to the
customers at the first date, the tier columns to the customers at the second;
with balances, the outstanding at the first date adds up over the rows (the
``new`` row holds none) and at the second over the columns (``exited``
holds none), each to the total of the balances given, e.g.
:func:`creditkit.aging.customer_aging` at that date.

Examples
--------
>>> a = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "standard"]})
>>> b = pd.DataFrame({"customer_id": ["x", "z"], "tier": ["standard", "prime"]})
>>> m = tier_migration(a, b)
>>> m.loc[["prime", "standard", "new"], ["prime", "standard", "exited"]].values.tolist()
[[0, 1, 0], [0, 0, 1], [1, 0, 0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.segmentation.tiers import TIERS

__all__ = ["MIGRATION_VALUES", "tier_changes", "tier_migration"]

#: What a migration matrix cell can hold.
MIGRATION_VALUES: tuple[str, ...] = ("customers", "outstanding_from_minor", "outstanding_to_minor")

_RANK = {t: i for i, t in enumerate(TIERS)}


def _tiers(frame: object, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame) or not {"customer_id", "tier"} <= set(frame.columns):
        raise ParameterError(f"{name} must be a DataFrame with customer_id and tier, as "
                             f"assign_tiers returns; got {type(frame).__name__}")
    dup = frame["customer_id"].duplicated()
    if dup.any():
        raise ParameterError(f"{name} repeats customer(s) "
                             f"{frame['customer_id'][dup].unique()[:5].tolist()}; one row per "
                             "customer")
    bad = ~frame["tier"].isin(TIERS)
    if bad.any():
        raise ParameterError(f"{name} holds tier(s) {sorted(map(str, frame['tier'][bad].unique()))}"
                             f" not in {list(TIERS)}")
    return frame


def _balance(frame: object, name: str, ids: pd.Index) -> np.ndarray:  # in the order of ids
    """Outstanding per customer of ``ids`` (0 when absent), exact int64, one currency."""
    if not isinstance(frame, pd.DataFrame) or not {"customer_id", "outstanding_minor"} <= set(
            frame.columns):
        raise ParameterError(f"{name} must be a DataFrame with customer_id and "
                             "outstanding_minor (customer_aging or customer_features at that "
                             "date)")
    if "currency" in frame.columns and frame["currency"].nunique() > 1:
        raise ParameterError(f"{name} mixes currencies {sorted(frame['currency'].unique())}; "
                             "amounts of different currencies do not add up: pass one "
                             "currency's rows")
    sums = frame.groupby("customer_id")["outstanding_minor"].sum()
    unknown = sums.index.difference(ids)
    if len(unknown) and (sums[unknown] != 0).any():
        raise ParameterError(f"{name} has an amount outstanding for customer(s) "
                             f"{unknown[:5].tolist()} that have no tier at that date; tier every "
                             "customer of the balances (assign_tiers on the same date's features)")
    return sums.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)


def tier_migration(tiers_a: pd.DataFrame, tiers_b: pd.DataFrame, *,
                   balances: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                   value: str = "customers") -> pd.DataFrame:
    """Tier migration matrix from a first date to a second.

    Parameters
    ----------
    tiers_a, tiers_b : DataFrame
        :func:`creditkit.segmentation.assign_tiers` at the first and the
        second date (``customer_id``, ``tier``).
    balances : (DataFrame, DataFrame), optional
        Outstanding at the first and at the second date: frames with
        ``customer_id`` and ``outstanding_minor`` in one currency, e.g.
        :func:`creditkit.aging.customer_aging` or the features of each date.
        Needed for the outstanding values.
    value : {"customers", "outstanding_from_minor", "outstanding_to_minor"}
        What a cell holds: the customers who moved from the row's tier to the
        column's, or their outstanding at the first or at the second date.

    Returns
    -------
    DataFrame
        int64; index ``tier_from`` (the tiers, best first, then ``new``),
        columns ``tier_to`` (the tiers, then ``exited``); every tier shown
        even when empty.

    Raises
    ------
    ParameterError
        Frames without customer_id/tier, a repeated customer, an unknown
        tier; balances in several currencies or for untiered customers; an
        outstanding value without balances.

    Examples
    --------
    >>> a = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "prime"]})
    >>> b = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "high_risk"]})
    >>> bal_a = pd.DataFrame({"customer_id": ["x", "y"], "outstanding_minor": [100, 250]})
    >>> bal_b = pd.DataFrame({"customer_id": ["x", "y"], "outstanding_minor": [0, 300]})
    >>> m = tier_migration(a, b, balances=(bal_a, bal_b), value="outstanding_to_minor")
    >>> int(m.loc["prime", "high_risk"]), int(m.to_numpy().sum())
    (300, 300)
    """
    a, b = _tiers(tiers_a, "tiers_a"), _tiers(tiers_b, "tiers_b")
    if value not in MIGRATION_VALUES:
        raise ParameterError(f"value must be one of {list(MIGRATION_VALUES)}; got {value!r}")
    ids = pd.Index(a["customer_id"]).union(pd.Index(b["customer_id"]))
    frm = a.set_index("customer_id")["tier"].reindex(ids).astype(object).fillna("new")
    to = b.set_index("customer_id")["tier"].reindex(ids).astype(object).fillna("exited")
    if value == "customers":
        weight = np.ones(len(ids), dtype=np.int64)
    else:
        if balances is None or not isinstance(balances, tuple | list) or len(balances) != 2:
            raise ParameterError(f"value={value!r} needs balances=(at the first date, at the "
                                 "second date), each with customer_id and outstanding_minor")
        first = value == "outstanding_from_minor"
        weight = _balance(balances[0] if first else balances[1],
                          "balances[0]" if first else "balances[1]",
                          pd.Index(a["customer_id"] if first else b["customer_id"]))
        tiered = pd.Index(a["customer_id"] if first else b["customer_id"])
        weight = pd.Series(weight, index=tiered).reindex(ids, fill_value=0).to_numpy(np.int64)
    rows, cols = [*TIERS, "new"], [*TIERS, "exited"]
    r = pd.Index(rows).get_indexer(frm.to_numpy())
    c = pd.Index(cols).get_indexer(to.to_numpy())
    cells = np.zeros((len(rows), len(cols)), dtype=np.int64)
    np.add.at(cells, (r, c), weight)
    return pd.DataFrame(cells, index=pd.Index(rows, name="tier_from"),
                        columns=pd.Index(cols, name="tier_to"))


def tier_changes(tiers_a: pd.DataFrame, tiers_b: pd.DataFrame) -> pd.DataFrame:
    """The customers whose tier changed, with the rule that placed them at each date.

    Parameters
    ----------
    tiers_a, tiers_b : DataFrame
        :func:`creditkit.segmentation.assign_tiers` at the first and the
        second date (``rule_id`` and ``values_seen`` used when present).

    Returns
    -------
    DataFrame
        ``customer_id``, ``tier_from``, ``tier_to``, ``direction``
        (``upgrade``: to a better tier; ``downgrade``: to a worse one),
        ``steps`` (tiers moved, negative for an upgrade), ``rule_from``,
        ``rule_to``, ``values_from``, ``values_to``; worst moves first.
        Customers tiered at only one date are in the matrix (``new``,
        ``exited``), not here.

    Examples
    --------
    >>> a = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "high_risk"],
    ...                   "rule_id": ["prime", "high_risk_dpd_30"]})
    >>> b = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["restricted", "standard"],
    ...                   "rule_id": ["restricted_dpd_90", "standard"]})
    >>> tier_changes(a, b)[["customer_id", "direction", "steps", "rule_to"]].values.tolist()
    [['x', 'downgrade', 3, 'restricted_dpd_90'], ['y', 'upgrade', -1, 'standard']]
    """
    a, b = _tiers(tiers_a, "tiers_a"), _tiers(tiers_b, "tiers_b")
    keep = ["customer_id", "tier", "rule_id", "values_seen"]
    both = a[[c for c in keep if c in a.columns]].merge(
        b[[c for c in keep if c in b.columns]], on="customer_id", suffixes=("_from", "_to"))
    both = both.rename(columns={"rule_id_from": "rule_from", "rule_id_to": "rule_to",
                                "values_seen_from": "values_from",
                                "values_seen_to": "values_to"})
    for col in ("rule_from", "rule_to", "values_from", "values_to"):
        if col not in both.columns:
            both[col] = pd.NA
    steps = both["tier_to"].map(_RANK).astype("int64") - both["tier_from"].map(_RANK) \
        .astype("int64")
    both["steps"] = steps.to_numpy()
    both = both[both["steps"] != 0].copy()
    both["direction"] = np.where(both["steps"] > 0, "downgrade", "upgrade")
    both = both.sort_values(["steps", "customer_id"], ascending=[False, True], ignore_index=True)
    return both[["customer_id", "tier_from", "tier_to", "direction", "steps", "rule_from",
                 "rule_to", "values_from", "values_to"]]
