"""zh/en labels of the monthly portfolio review (月度资产质量回顾; a section of ``labels``).

The ``comment_*`` entries are sentence templates filled by
:func:`creditkit.review.commentary` (``{name}``, ``{a}``, ``{b}``, ``{d}``,
``{segment}``, ``{c}``); the words around the numbers are chosen by the
numbers' direction, never typed per report.
"""

from __future__ import annotations

REVIEW: dict[str, tuple[str, str]] = {
    # figures of review_kpis
    "kpi": ("指标", "Figure"),
    "value": ("本期", "This month"),
    "previous": ("上期", "Previous month"),
    "better": ("向好方向", "Better when"),
    "write_offs_minor": ("核销金额", "Write-offs"),
    "new_restrictions": ("新增限制类客户", "Newly restricted customers"),
    "up": ("上升", "Up"),
    "down": ("下降", "Down"),
    "neither": ("—", "—"),
    # share_drivers
    "driver_segment": ("分组", "Segment"),
    "late_minor": ("本期逾期金额", "Late now"),
    "late_previous_minor": ("上期逾期金额", "Late before"),
    "outstanding_previous_minor": ("上期未结余额", "Outstanding before"),
    "share_previous": ("上期占比", "Share before"),
    "contribution": ("对变化的贡献", "Part of the change"),
    "late_share_before": ("上期逾期占比", "Late share before"),
    # driver_explorer
    "driver_dimension": ("拆分维度", "Split by"),
    "driver_dimension_tip": ("按哪个客户属性拆分逾期占比的变化",
                             "The customer attribute the change in arrears is split by"),
    "driver_measure": ("逾期口径", "Late share"),
    "driver_measure_tip": ("拆分哪一个逾期占比（按金额）", "Which late share of the outstanding "
                           "amount is split"),
    "driver_total": ("整体：由{a}变为{b}", "Whole book: from {a} to {b}"),
    "review_sec_explore": ("9. 拆分逾期变化（仅在线笔记本）",
                           "9. Split the change in arrears (live notebook only)"),
    "late_share": ("本期逾期占比", "Late share now"),
    # sentence templates (zh, en)
    "comment_share_up": ("{name}由{a}升至{b}（{d}个百分点）",
                         "{name} rose from {a} to {b} ({d} pts)"),
    "comment_share_down": ("{name}由{a}降至{b}（{d}个百分点）",
                           "{name} fell from {a} to {b} ({d} pts)"),
    "comment_share_flat": ("{name}持平于{b}", "{name} was unchanged at {b}"),
    "comment_money_up": ("{name}由{a}增至{b}（{d}）", "{name} grew from {a} to {b} ({d})"),
    "comment_money_down": ("{name}由{a}减至{b}（{d}）", "{name} fell from {a} to {b} ({d})"),
    "comment_money_flat": ("{name}持平于{b}", "{name} was unchanged at {b}"),
    "comment_days_up": ("{name}由{a}天升至{b}天", "{name} rose from {a} to {b} days"),
    "comment_days_down": ("{name}由{a}天降至{b}天", "{name} fell from {a} to {b} days"),
    "comment_days_flat": ("{name}持平于{b}天", "{name} was unchanged at {b} days"),
    "comment_count": ("本期{name}{b}户（上期{a}户）",
                      "{name}: {b} this month ({a} the month before)"),
    "comment_driven": ("，主要来自{segment}（{c}个百分点）", ", driven by {segment} ({c} pts)"),
    "comment_spread": ("，变化分散于各组，最大一组为{segment}（{c}个百分点）",
                       ", spread across segments; the largest part from {segment} ({c} pts)"),
    "comment_missing": ("{name}无法计算（缺少数据）", "{name} could not be computed (no data)"),
    "review_commentary": ("本月要点", "This month in brief"),
    "scorecard_B": ("行为评分卡 (B卡)", "Behaviour card (B)"),
    "scorecard_C": ("催收评分卡 (C卡)", "Collection card (C)"),
    # notebook 07-portfolio-review: title and sections
    "portfolio_review": ("月度资产质量回顾", "Monthly portfolio review"),
    "review_sec_kpis": ("1. 本月核心指标", "1. This month's figures"),
    "review_sec_drivers": ("2. 逾期变化来自哪里", "2. Where the change in arrears comes from"),
    "review_sec_aging": ("3. 账龄结构与迁徙率", "3. Aging and flow rates"),
    "review_sec_vintage": ("4. 账龄分析曲线", "4. Vintage curves"),
    "review_sec_tiers": ("5. 客户分层与迁移", "5. Customer tiers and migration"),
    "review_sec_overdue": ("6. 逾期金额最大的客户", "6. The largest overdue customers"),
    "review_sec_channels": ("7. 各渠道回款", "7. Collections by channel"),
    "review_sec_stability": ("8. 评分稳定性", "8. Score stability"),
    "points_change": ("{d}个百分点", "{d} pts"),
    "assessment": ("评价", "Assessment"),
    "better_change": ("向好", "Better"),
    "previous_month": ("上月", "Previous month"),
    "this_month": ("本月", "This month"),
    "score_shift_title": ("{card}评分分布变化（PSI {psi}）",
                          "{card}: score distribution (PSI {psi})"),
    "n_before": ("上期客户数", "Customers before"),
    "n_now": ("本期客户数", "Customers now"),
    "mean_points_before": ("上期平均分", "Mean points before"),
    "mean_points": ("本期平均分", "Mean points now"),
    "worse_change": ("变差", "Worse"),
}

#: Paragraphs of notebook 07-portfolio-review (read through ``labels.prose``).
REVIEW_NOTES: dict[str, tuple[str, str]] = {
    "note_review_intro": (
        "本报告比较本月末与上月末的资产质量：核心指标及其变化、逾期变化的来源、账龄结构、"
        "客户分层迁移、逾期大户、各渠道回款与评分稳定性。下方要点由数字自动生成，不是手工撰写。"
        "客户姓名已脱敏。",
        "This report compares the book at this month end with the month end before: the "
        "headline figures and how they moved, where the change in arrears comes from, aging, "
        "tier migration, the largest overdue customers, collections by channel and score "
        "stability. The points below are generated from the numbers, not typed by hand. "
        "Customer names are masked.",
    ),
    "note_review_drivers": (
        "逾期 30 天以上占比的变化按分组拆开：每组的贡献 = 本月该组逾期金额 ÷ 本月全部余额 − "
        "上月该组逾期金额 ÷ 上月全部余额，各组贡献之和正好等于整体占比的变化。",
        "The change of the share over 30 days past due, split by segment: each segment's part "
        "is its late amount over the whole book this month minus the same a month before, so "
        "the parts add up exactly to the change of the whole.",
    ),
    "note_review_stability": (
        "每张评分卡分别比较：以上月末的分值分位数切成十段，比较两个月末客户在各段的占比。"
        "PSI 低于 0.1 为稳定，0.1 至 0.25 需关注，高于 0.25 需处理。",
        "Each card on its own: the points of the month end before are cut into ten equal "
        "bands, and the share of customers in each band is compared at the two month ends. "
        "A PSI below 0.1 is stable, 0.1 to 0.25 a shift to watch, above 0.25 one to act on.",
    ),
}
