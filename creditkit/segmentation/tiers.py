"""Credit tiers (客户分层): prime, standard, high risk, restricted, by a rule table.

The tier rules are data: the shipped default is
``creditkit/segmentation/data/tier_rules.csv`` (an example to copy and
edit, not a recommendation), read and checked by the one rule engine
(:mod:`creditkit.rules`). Rules are tried in order and the first that holds
places the customer; the last rule is a catch-all, so everyone is placed.
Each customer's tier comes with the rule that placed it and the values that
rule saw. The fields a rule may read are the columns of
:func:`creditkit.segmentation.customer_features`.

Examples
--------
>>> [r.id for r in load_tier_rules().rules][:2]
['restricted_write_off', 'restricted_dpd_90']
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.rules import RuleSchema, RuleSet, first_match, load_rules, shipped_rules_path
from creditkit.segmentation.features import feature_fields

__all__ = ["TIERS", "TIER_SCHEMA", "assign_tiers", "load_tier_rules", "tier_counts",
           "tier_label"]

#: The tiers, best first (优质, 普通, 高风险, 限制类).
TIERS: tuple[str, ...] = ("prime", "standard", "high_risk", "restricted")

#: What a tier rule may say: a tier, a description in zh and en; conditions on the
#: columns of customer_features; a catch-all last rule.
TIER_SCHEMA = RuleSchema("tier rules",
                         outputs={"tier": TIERS, "description_zh": None, "description_en": None},
                         required=("tier",), fields=feature_fields(), catch_all_last=True)


def load_tier_rules(source: Any = None) -> RuleSet:
    """The tier rules from a CSV/YAML file, a table or a list (default: the shipped CSV).

    Raises
    ------
    DataReadError, ParameterError
        As :func:`creditkit.rules.load_rules`: the message names the file, the
        line, the rule and the fix.

    Examples
    --------
    >>> load_tier_rules().rules[-1].id
    'standard'
    """
    if source is None:
        source = shipped_rules_path("creditkit.segmentation", "tier_rules.csv")
    return load_rules(source, TIER_SCHEMA)


def assign_tiers(features: pd.DataFrame, rules: Any = None) -> pd.DataFrame:
    """The tier of each customer, the rule that placed it and the values it saw.

    Parameters
    ----------
    features : DataFrame
        One row per customer, as :func:`creditkit.segmentation.customer_features`
        (``customer_id`` and every column the rules read).
    rules : RuleSet, path, DataFrame or list, optional
        Tier rules (default: the shipped ``tier_rules.csv``).

    Returns
    -------
    DataFrame
        ``customer_id``, ``tier`` (one of :data:`TIERS`), ``rule_id``,
        ``values_seen`` (``field=value; …``), ``description_zh``,
        ``description_en``, in the order of ``features``.

    Raises
    ------
    ParameterError
        ``features`` is not a frame, lacks ``customer_id`` or a column a rule
        reads, repeats a customer; a rule is wrong (named, with the fix).

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b", "c"], "written_off_minor": [0, 0, 0],
    ...     "dpd": [95, 0, 0], "worst_dpd_12m": [95, 0, 3], "scorecard": ["C", "B", "B"],
    ...     "pd": [0.9, 0.02, 0.02],
    ...     "utilisation": [1.0, 0.5, 0.5], "broken_promises": [None, None, None]})
    >>> assign_tiers(f)[["tier", "rule_id"]].values.tolist()
    [['restricted', 'restricted_dpd_90'], ['prime', 'prime'], ['standard', 'standard']]
    """
    ruleset = load_tier_rules(rules)
    if not isinstance(features, pd.DataFrame) or "customer_id" not in features.columns:
        raise ParameterError("features must be a DataFrame with a customer_id column, as "
                             "customer_features returns; got "
                             f"{type(features).__name__}")
    if not pd.Index(features["customer_id"]).is_unique:  # the fast test; name them only if not
        dup = features["customer_id"].duplicated()
        raise ParameterError(f"features repeat customer(s) "
                             f"{features['customer_id'][dup].unique()[:5].tolist()}; one row "
                             "per customer (one as_of)")
    out = first_match(features, ruleset)
    cols = ["customer_id", "tier", "rule_id", "values_seen", "description_zh", "description_en"]
    return out[cols]


def tier_label(tier: str, lang: str = "zh") -> str:
    """The label of a tier in the report language.

    Examples
    --------
    >>> tier_label("restricted", "zh"), tier_label("high_risk", "en")
    ('限制类', 'High risk')
    """
    check_lang(lang)
    if tier not in TIERS:
        raise ParameterError(f"unknown tier {tier!r}; tiers are {list(TIERS)}")
    return label(f"tier_{tier}", lang)


def tier_counts(tiers: pd.DataFrame, *, balances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Customers (and outstanding) per tier, best tier first, every tier shown.

    Parameters
    ----------
    tiers : DataFrame
        As :func:`assign_tiers`.
    balances : DataFrame, optional
        ``customer_id`` and ``outstanding_minor`` (e.g. the features).

    Returns
    -------
    DataFrame
        ``tier``, ``customers``, ``share`` and, with balances,
        ``outstanding_minor`` (int64) and ``outstanding_share``.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["prime", "prime"]})
    >>> tier_counts(t)["customers"].tolist()
    [2, 0, 0, 0]
    """
    if not isinstance(tiers, pd.DataFrame) or not {"customer_id", "tier"} <= set(tiers.columns):
        raise ParameterError("tiers must be a DataFrame with customer_id and tier, as "
                             "assign_tiers returns")
    counts = tiers["tier"].value_counts().reindex(list(TIERS), fill_value=0)
    out = pd.DataFrame({"tier": list(TIERS), "customers": counts.to_numpy(dtype="int64")})
    out["share"] = out["customers"] / max(len(tiers), 1)
    if balances is not None:
        bal = balances.set_index("customer_id")["outstanding_minor"].reindex(
            tiers["customer_id"]).fillna(0).astype("int64").to_numpy()
        sums = pd.Series(bal).groupby(tiers["tier"].to_numpy()).sum()
        out["outstanding_minor"] = sums.reindex(list(TIERS), fill_value=0).astype("int64") \
            .to_numpy()
        total = int(out["outstanding_minor"].sum())
        out["outstanding_share"] = out["outstanding_minor"] / total if total else 0.0
    return out
