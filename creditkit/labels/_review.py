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
    "change": ("变化", "Change"),
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
}
