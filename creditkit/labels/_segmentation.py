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
    # notebook 05-tiers-and-alerts (creditkit.segmentation.review)
    "tiers_report_title": ("客户分层、价值分层与客户标签", "Credit tiers, value segments and tags"),
    "tiers_today": ("1. 当前客户分层", "1. Credit tiers today"),
    "tiers_migration": ("2. 分层迁移", "2. Tier migration"),
    "tiers_changes": ("2.1 分层上调与下调及其规则", "2.1 Upgrades and downgrades, and their rules"),
    "tiers_value": ("3. 客户价值分层：规则与聚类", "3. Value segments: rules and clusters"),
    "tiers_cross": ("4. 客户分层 × 价值分层", "4. Credit tier × value segment"),
    "tiers_tags": ("5. 客户标签", "5. Customer tags"),
    "tiers_alerts": ("6. 今日风险预警", "6. Today's early warnings"),
    "tiers_backtest": ("7. 预警规则回测", "7. Backtest of the warning rules"),
    "tiers_sweep": ("7.1 移动一条规则的阈值", "7.1 Moving one rule's threshold"),
    "compare_to": ("对比日", "Date compared"),
    "customers_tiered": ("已分层客户数", "Customers tiered"),
    "prime_share": ("优质客户占比", "Prime share"),
    "at_risk_share": ("风险层客户占比", "Share in risky tiers"),
    "at_risk_outstanding_minor": ("风险层未结余额", "Outstanding in risky tiers"),
    "at_risk_outstanding_share": ("风险层未结余额占比", "Share of outstanding in risky tiers"),
    "downgrades": ("较对比日下调客户数", "Downgraded since the date compared"),
    "upgrades": ("较对比日上调客户数", "Upgraded since the date compared"),
    "high_value_at_risk": ("风险层中的高价值客户", "High-value customers in risky tiers"),
    "k": ("聚类数", "Clusters (k)"),
    "value_profile_rules_title": ("价值分层画像：规则分层", "Value segment profiles: rules"),
    "value_profile_kmeans_title": ("价值分层画像：K 均值聚类", "Value segment profiles: k-means"),
    "tag_overlap_title": ("标签重叠：同时拥有两个标签的客户数",
                          "Tag overlaps: customers holding both tags"),
}

#: The paragraphs of notebook 05 (read through ``creditkit.labels.prose``).
SEGMENTATION_NOTES: dict[str, tuple[str, str]] = {
    "note_tiers_intro": (
        "本报告供信用经理审阅客户资质：每位客户当前所在的信用分层(优质、普通、高风险、限制类)"
        "及把客户放入该层的规则，与对比日(默认上月末)相比的分层迁移及上调、下调客户，"
        "按消费行为划分的客户价值分层，风险层中的高价值客户，以及客户标签。分层、标签与价值"
        "分层的规则都是分析人员可编辑的规则文件(见报告参数)；客户名称已脱敏。",
        "This report is for the credit manager reviewing customer qualification: the credit "
        "tier of every customer today (prime, standard, high risk, restricted) and the rule "
        "that placed them there, the tier migration since the date compared (by default the "
        "previous month end) with the customers upgraded and downgraded, the value segments "
        "of customers by their purchases, the valuable customers in risky tiers, and the "
        "customer tags. Tier, tag and value rules are files the analyst edits (see the "
        "report's parameters); customer names are masked.",
    ),
    "note_tiers_today": (
        "分层规则按顺序逐条判断，客户满足的第一条规则决定其分层，最后一条为兜底规则，因此每位"
        "客户都有分层。下表按规则列出各规则放入的客户数与未结余额；未结余额取自账龄报告"
        "(客户本币)。",
        "Tier rules are tried in order and the first rule a customer meets places them; the "
        "last rule takes everyone else, so every customer has a tier. The table lists each "
        "rule with the customers it placed and their outstanding, from the aging report (in "
        "the customer's own currency).",
    ),
    "note_tiers_migration": (
        "纵轴(行)是对比日的分层，横轴(列)是报告日的分层；*新进入* 为对比日尚未开户的客户，"
        "*已退出* 为报告日已不在册的客户。各行之和等于对比日的客户数；按余额计的两张图"
        "分别与两个日期的账龄报告未结余额合计一致。对角线上的客户分层未变。",
        "Rows are the tiers at the date compared, columns the tiers today; *New since the "
        "first date* are customers not yet on file at the date compared, *Gone by the second "
        "date* those no longer on file today. The rows "
        "add up to the customers at the date compared; in amounts, the two charts add up to "
        "the outstanding of the aging report at each date. Customers on the diagonal kept "
        "their tier.",
    ),
    "note_tiers_changes": (
        "下调客户的 *期末规则* 即导致分层变化的规则；上调客户的 *期初规则* 在报告日已不再满足。"
        "各规则所见数值列出规则判断时读取的客户特征。下表先按变动方向、分层与规则汇总，"
        "再逐一列出下调与上调客户(变动最大、余额最大者在前)。",
        "For a downgraded customer the *rule at the second date* is the rule that changed the "
        "tier; for an upgraded one, the *rule at the first date* no longer holds. The values "
        "seen are the customer features each rule read. The first table sums the moves by "
        "direction, tiers and rules; the next ones list the customers downgraded and "
        "upgraded, largest move and balance first.",
    ),
    "note_tiers_value": (
        "价值分层基于客户在报告日前一段时间内的消费交易：最近一次消费距今天数、消费次数与"
        "消费金额，各按全体客户的分位数打分。规则分层按价值规则文件划分高价值、潜力与普通客户；"
        "聚类分群对标准化后的三项指标做 K 均值聚类，聚类数按轮廓系数选取，各群按平均消费金额"
        "从高到低编号，无消费的客户单列。两种划分并列展示，交叉表显示二者的一致程度。",
        "Value segments come from each customer's purchases in a window before the report "
        "date: days since the last purchase, number of purchases and amount spent, each scored "
        "by quantiles of the book. The rules split customers into high value, potential and "
        "ordinary by the value rule file; the clusters are k-means on the three measures "
        "standardised, k chosen by silhouette, numbered from the highest mean amount spent, "
        "customers without a purchase apart. The two views are shown side by side, and the "
        "cross table shows how far they agree.",
    ),
    "note_tiers_cross": (
        "红框标出风险层中的高价值客户：他们消费多、仍在购买，但当前处于高风险或限制类分层，"
        "是信用经理需要逐一跟进的客户。下表列出这些客户、把其放入该层的规则及规则所见数值，"
        "未结余额大者在前。",
        "Outlined in red: the high-value customers in a risky tier. They spend much and still "
        "buy, but sit in high risk or restricted today: the customers a credit manager follows "
        "up one by one. The table names them with the rule that placed them and the values it "
        "saw, largest outstanding first.",
    ),
    "note_tiers_tags": (
        "标签由标签规则文件定义，一位客户可有多个标签。图中为各标签的客户数(地区标签见下方按"
        "地区的表)，热力图为最常见标签两两同时出现的客户数，对角线为拥有该标签的客户数。",
        "Tags are defined by the tag rule file; a customer can hold several. The chart counts "
        "the customers per tag (region tags are in the table by region below); the heatmap "
        "counts the customers holding both of two of the most common tags, the diagonal "
        "those holding the tag.",
    ),
    "note_tiers_alerts": (
        "预警规则在对比日与报告日各评估一次：报告日仍成立、且在对比日已发出的预警保持未关闭，"
        "不再重复发出(*新增* 为否)；不再成立的预警关闭。评分下降按两次评估之间计算。"
        "图中为各严重程度的新增与未关闭预警及各规则的预警数；下表列出未关闭的预警，"
        "按严重程度、再按未结余额从高到低排列，附规则所见数值、触发条件与处理建议。",
        "The warning rules are evaluated at the date compared and again at the report date: "
        "an alert raised at the first date whose rule still holds stays open and is not "
        "raised again (*New* is no); one whose rule no longer holds is closed. The score "
        "drop is measured between the two evaluations. The charts count the alerts raised "
        "and open per severity and per rule; the table lists the open alerts, most severe "
        "first, then by outstanding, with what the rule saw, its condition and what to do.",
    ),
    "note_tiers_backtest": (
        "回测在过去的若干月末重新运行同一套规则，每个日期只使用当时已知的数据，再与其后"
        "表现期内实际发生的情况比较(默认：逾期达到30天或发生坏账核销)。*精确率*：发出的"
        "预警中其后确实发生风险事件的比例；*召回率*：实际发生的风险事件中事先被预警到的"
        "比例；*提前天数*：预警日到事件发生日的天数。每条规则单列，最后一行为整套规则"
        "(任一规则成立即预警)。",
        "The backtest replays the same rules at past month ends, each date reading only what "
        "was known then, and compares with what happened in the horizon after it (by "
        "default: reaching 30 days past due, or a write-off). *Precision*: the share of "
        "alerts followed by such an event; *recall*: the share of the events that were "
        "warned of; *lead time*: days from the warning to the event. Each rule has its row; "
        "the last row is the whole set (an alert when any rule holds).",
    ),
    "note_tiers_sweep": (
        "把一条规则的阈值在报告参数给出的取值间移动，在同一回测上重新计算：阈值越宽，"
        "预警越多、召回率越高，但精确率通常下降。在线笔记本中的滑块可逐个查看各取值。",
        "One rule's threshold moved over the values given in the report's parameters, "
        "measured on the same backtest: a looser threshold raises more alerts and catches "
        "more events, usually at a lower precision. In the live notebook a slider shows "
        "each value in turn.",
    ),
}
