"""zh/en labels of the store's snapshots and the periodic update (a section of ``labels``).

``restriction_level`` carries the restricted concept's wording (限制级别 / Restriction
level): the snapshot column holds that concept's level.
"""

from __future__ import annotations

STORE: dict[str, tuple[str, str]] = {
    # snapshot columns added by store schema 2
    "scorecard_version": ("评分卡版本", "Scorecard version"),
    "tier_rule": ("分层规则", "Tier rule"),
    "tier_values": ("分层规则所见数值", "Values the tier rule saw"),
    "value_segment": ("价值分层", "Value segment"),
    "tags": ("客户标签", "Tags"),
    "restriction_level": ("限制级别", "Restriction level"),
    "restriction_reason": ("限制原因", "Restriction reason"),
    "open_alerts": ("未关闭预警数", "Open alerts"),
    "alert_ids": ("未关闭预警", "Open alert rules"),
    "dunning_level": ("催收提醒级别", "Dunning level"),
    # a credit file's changes (CreditFile.changes) and reviews due
    "field": ("变化项", "What changed"),
    "before": ("变化前", "Before"),
    "after": ("变化后", "After"),
    "review_date": ("复核日期", "Review date"),
    "last_review": ("上次复核", "Last review"),
    "every_months": ("复核周期(月)", "Review every (months)"),
    "never_reviewed": ("从未复核", "Never reviewed"),
    "review_due": ("到期复核", "Review due"),
}
