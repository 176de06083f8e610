"""zh/en labels of customer tiers, tags and tier migration (one section of ``creditkit.labels``).

Tier values are labelled under ``tier_<tier>`` (``tier_restricted`` is 限制类,
the tier; ``restricted`` alone is the limit policy's 限制准入 column).
"""

from __future__ import annotations

SEGMENTATION: dict[str, tuple[str, str]] = {
    # tiers (客户分层)
    "tier_prime": ("优质", "Prime"),
    "tier_standard": ("普通", "Standard"),
    "tier_high_risk": ("高风险", "High risk"),
    "tier_restricted": ("限制类", "Restricted"),
    "rule_id": ("规则编号", "Rule"),
    "values_seen": ("规则所见数值", "Values the rule saw"),
    "conditions": ("条件", "Conditions"),
    "order": ("顺序", "Order"),
    "description": ("说明", "Description"),
    "description_zh": ("说明(中文)", "Description (Chinese)"),
    "description_en": ("说明(英文)", "Description (English)"),
    # customer features
    "score_band": ("评分等级", "Score band"),
    "has_write_off": ("有核销记录", "Has a write-off"),
    "broken_promises": ("违约承诺次数", "Broken promises"),
    "outstanding_other_currency": ("其他币种有未结余额", "Outstanding in another currency"),
    # tags
    "tag": ("标签", "Tag"),
    "tag_new_customer": ("新客户", "New customer"),
    "tag_high_utilization": ("额度使用率高", "High utilisation"),
    "tag_auto_debit_user": ("自动扣款用户", "Auto-debit user"),
    "tag_multi_channel_payer": ("多渠道还款", "Pays through several channels"),
    "tag_industry": ("行业", "Industry"),
    "tag_region": ("地区", "Region"),
    # value segments (RFM, k-means)
    "segment": ("价值分层", "Value segment"),
    "segment_high_value": ("高价值", "High value"),
    "segment_potential": ("潜力", "Potential"),
    "segment_ordinary": ("普通", "Ordinary"),
    "recency_days": ("最近一次消费距今天数", "Days since last purchase"),
    "frequency": ("消费次数", "Purchases"),
    "monetary_minor": ("消费金额", "Amount spent"),
    "recency_days_score": ("最近消费得分", "Recency score"),
    "frequency_score": ("消费频次得分", "Frequency score"),
    "monetary_minor_score": ("消费金额得分", "Monetary score"),
    "silhouette": ("轮廓系数", "Silhouette"),
    # migration
    "tier_from": ("期初分层", "Tier at the first date"),
    "tier_to": ("期末分层", "Tier at the second date"),
    "rule_from": ("期初规则", "Rule at the first date"),
    "rule_to": ("期末规则", "Rule at the second date"),
    "values_from": ("期初所见数值", "Values seen at the first date"),
    "values_to": ("期末所见数值", "Values seen at the second date"),
    "direction": ("变动方向", "Direction"),
    "upgrade": ("上调", "Upgrade"),
    "downgrade": ("下调", "Downgrade"),
    "tier_new": ("新进入", "New since the first date"),
    "tier_exited": ("已退出", "Gone by the second date"),
    "outstanding_from_minor": ("期初未结余额", "Outstanding at the first date"),
    "outstanding_to_minor": ("期末未结余额", "Outstanding at the second date"),
    # figures (creditkit.segmentation.plots)
    "tier_distribution": ("客户分层分布", "Customers by tier"),
    "migration_title_customers": ("分层迁移：客户数", "Tier migration: customers"),
    "migration_title_outstanding_from_minor": ("分层迁移：期初未结余额",
                                               "Tier migration: outstanding at the first date"),
    "migration_title_outstanding_to_minor": ("分层迁移：期末未结余额",
                                             "Tier migration: outstanding at the second date"),
    "share_of_row": ("占本行", "share of the row"),
    "share_of_all": ("占全部客户", "share of all customers"),
    "value_profile_title": ("价值分层画像", "Value segment profiles"),
    "profile_recency_days": ("平均最近一次消费距今天数", "Mean days since last purchase"),
    "profile_frequency": ("平均消费次数", "Mean purchases"),
    "profile_monetary_minor": ("平均消费金额", "Mean amount spent"),
    "segment_no_purchase": ("无消费", "No purchase"),
    "segment_cluster": ("第 {n} 群", "Cluster {n}"),
    "tier_value_title": ("客户分层 × 价值分层", "Credit tier × value segment"),
    "cross_outline": ("红框：{tiers}中的{segment}客户",
                      "Outlined in red: {segment} customers in {tiers}"),
    "tag_counts_title": ("各标签客户数", "Customers per tag"),
    "tags_left_out": ("（另有 {n} 个标签未列出）", " ({n} more tags not shown)"),
    # the tier explorer (creditkit.segmentation.widgets)
    "tier_pick_tip": ("选择客户分层：下面列出该层客户、把客户放入该层的规则及规则所见数值",
                      "Choose a tier: its customers are listed below with the rule that placed "
                      "them and the values it saw"),
    "tier_rule_tip": ("只看由所选规则放入该层的客户", "Show only the customers the chosen rule "
                      "placed in the tier"),
    "all_rules": ("全部规则", "All rules"),
    "tier_explorer_summary": ("{tier}：{n} 位客户", "{tier}: {n} customer(s)"),
}
