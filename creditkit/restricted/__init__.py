"""Restricted customers (限制类客户管理), end to end.

Who is restricted and why (:mod:`~creditkit.restricted.classify`: levels
watch → restricted → stop by the one rule engine), what the policy of each
level does to the limit and terms (:mod:`~creditkit.restricted.policy`),
every new order checked against it (:mod:`~creditkit.restricted.orders`),
the review calendar and review records (:mod:`~creditkit.restricted.reviews`),
and the customers handed to legal with their evidence pack
(:mod:`~creditkit.restricted.legal`, exported by
:mod:`~creditkit.restricted.evidence_export`). Recovery plans and their
tracking (信用恢复计划) live in ``plans`` and ``plan_tracking``.
"""

from __future__ import annotations

from creditkit.restricted.classify import (
    CHANGES,
    EXTRA_FIELDS,
    LEVELS,
    RESTRICTION_SCHEMA,
    RULE_LEVELS,
    level_rank,
    load_restriction_rules,
    restricted_customers,
    restriction_features,
)

__all__ = [
    "CHANGES",
    "EXTRA_FIELDS",
    "LEVELS",
    "RESTRICTION_SCHEMA",
    "RULE_LEVELS",
    "level_rank",
    "load_restriction_rules",
    "restricted_customers",
    "restriction_features",
]
