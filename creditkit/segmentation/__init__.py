"""Customer qualification (客户资质管理): credit tiers, tags and tier migration.

Modules: :mod:`~creditkit.segmentation.features` (the customer features at a
date that tier, tag and alert rules read), :mod:`~creditkit.segmentation.tiers`
(prime / standard / high risk / restricted by a rule table),
:mod:`~creditkit.segmentation.value` (RFM value segments by rules and by
k-means (:mod:`~creditkit.segmentation.kmeans`), the tier × value cross),
:mod:`~creditkit.segmentation.tags` (rule-based tags, their counts and
overlaps) and :mod:`~creditkit.segmentation.migration` (tier migration
between two dates); :mod:`~creditkit.segmentation.review` assembles them for
the credit manager's report (notebook 05) in one call, and
:mod:`~creditkit.segmentation.review_tables` gives its tables in the report
language. Tier and tag rules are data files read by :mod:`creditkit.rules`, the
one rule engine.
"""

from __future__ import annotations

from creditkit.segmentation.features import HISTORY_WINDOWS, customer_features, feature_fields
from creditkit.segmentation.kmeans import RFMKMeans
from creditkit.segmentation.migration import MIGRATION_VALUES, tier_changes, tier_migration
from creditkit.segmentation.review import (
    TierReview,
    previous_month_end,
    tier_review,
    values_text,
)
from creditkit.segmentation.tags import (
    TAG_SCHEMA,
    assign_tags,
    load_tag_rules,
    tag_counts,
    tag_overlaps,
)
from creditkit.segmentation.tiers import (
    TIER_SCHEMA,
    TIERS,
    assign_tiers,
    load_tier_rules,
    tier_counts,
    tier_label,
)
from creditkit.segmentation.value import (
    RFM_COLUMNS,
    VALUE_SCHEMA,
    VALUE_SEGMENTS,
    load_value_rules,
    rfm_scores,
    rfm_table,
    segment_label,
    tier_value_cross,
    value_at_risk,
    value_segments,
)

__all__ = [
    "HISTORY_WINDOWS",
    "MIGRATION_VALUES",
    "RFM_COLUMNS",
    "TAG_SCHEMA",
    "TIERS",
    "TIER_SCHEMA",
    "VALUE_SCHEMA",
    "VALUE_SEGMENTS",
    "RFMKMeans",
    "TierReview",
    "assign_tags",
    "assign_tiers",
    "customer_features",
    "feature_fields",
    "load_tag_rules",
    "load_tier_rules",
    "load_value_rules",
    "previous_month_end",
    "rfm_scores",
    "rfm_table",
    "segment_label",
    "tag_counts",
    "tag_overlaps",
    "tier_changes",
    "tier_counts",
    "tier_label",
    "tier_migration",
    "tier_review",
    "tier_value_cross",
    "value_at_risk",
    "value_segments",
    "values_text",
]
