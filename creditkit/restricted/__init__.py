"""Restricted customers (限制类客户管理), end to end.

Who is restricted and why (:mod:`~creditkit.restricted.classify`: levels
watch → restricted → stop by the one rule engine), what the policy of each
level does to the limit and terms (:mod:`~creditkit.restricted.policy`),
every new order checked against it (:mod:`~creditkit.restricted.orders`),
the review calendar and review records (:mod:`~creditkit.restricted.reviews`),
and the customers handed to legal with their evidence pack
(:mod:`~creditkit.restricted.legal`, exported by
:mod:`~creditkit.restricted.evidence_export`). Recovery plans and their
tracking (信用恢复计划): a balance repaid in monthly instalments exact to the
minor unit (:mod:`~creditkit.restricted.plans`: :func:`recovery_plan`,
:func:`recovery_plans`), a plan against the payments received
(:mod:`~creditkit.restricted.plan_tracking`: :func:`track_plans`), the limit's
way back after instalments paid on time (:mod:`~creditkit.restricted.restoration`:
:func:`restoration_path`) and their figures (:mod:`~creditkit.restricted.plan_plots`).
"""

from __future__ import annotations

from creditkit.restricted.book import (
    RestrictedBook,
    illustrative_plans,
    level_counts,
    report_view,
    restricted_book,
)
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
from creditkit.restricted.evidence_export import (
    EVIDENCE_ITEMS,
    evidence_summary_html,
    export_evidence,
)
from creditkit.restricted.legal import (
    ESCALATION_REASONS,
    evidence_pack,
    late_fees,
    legal_escalation,
)
from creditkit.restricted.orders import (
    DECISIONS,
    ORDER_REASONS,
    candidate_orders,
    check_order,
    customer_state,
)
from creditkit.restricted.plan_plots import plan_chart, plan_status_chart
from creditkit.restricted.plan_tracking import PlanTracking, track_plans
from creditkit.restricted.plans import recovery_plan, recovery_plans
from creditkit.restricted.policy import (
    LIMIT_SET_BY,
    POLICY_COLUMNS,
    apply_restrictions,
    check_restriction_policy,
    load_restriction_policy,
)
from creditkit.restricted.restoration import load_restoration_policy, restoration_path
from creditkit.restricted.reviews import (
    REVIEW_COLUMNS,
    REVIEW_DECISIONS,
    add_months,
    check_reviews,
    overdue_reviews,
    review_schedule,
)

__all__ = [
    "CHANGES",
    "DECISIONS",
    "ESCALATION_REASONS",
    "EVIDENCE_ITEMS",
    "EXTRA_FIELDS",
    "LEVELS",
    "LIMIT_SET_BY",
    "ORDER_REASONS",
    "POLICY_COLUMNS",
    "RESTRICTION_SCHEMA",
    "REVIEW_COLUMNS",
    "REVIEW_DECISIONS",
    "RULE_LEVELS",
    "PlanTracking",
    "RestrictedBook",
    "add_months",
    "apply_restrictions",
    "candidate_orders",
    "check_order",
    "check_restriction_policy",
    "check_reviews",
    "customer_state",
    "evidence_pack",
    "evidence_summary_html",
    "export_evidence",
    "illustrative_plans",
    "late_fees",
    "legal_escalation",
    "level_counts",
    "level_rank",
    "load_restoration_policy",
    "load_restriction_policy",
    "load_restriction_rules",
    "overdue_reviews",
    "plan_chart",
    "plan_status_chart",
    "recovery_plan",
    "recovery_plans",
    "report_view",
    "restoration_path",
    "restricted_book",
    "restricted_customers",
    "restriction_features",
    "review_schedule",
    "track_plans",
]
