"""zh/en labels of early-warning alerts and their backtest (one section of ``creditkit.labels``).

Severities are labelled under ``severity_<level>``.
"""

from __future__ import annotations

ALERTS: dict[str, tuple[str, str]] = {
    # alerts
    "severity": ("严重程度", "Severity"),
    "severity_info": ("提示", "Info"),
    "severity_low": ("低", "Low"),
    "severity_medium": ("中", "Medium"),
    "severity_high": ("高", "High"),
    "severity_critical": ("紧急", "Critical"),
    "observed": ("观察值", "Observed"),
    "threshold": ("触发条件", "Threshold"),
    "observed_value": ("观察数值", "Observed value"),
    "threshold_value": ("阈值", "Threshold value"),
    "opened": ("预警开始日期", "Opened on"),
    "closed_on": ("预警关闭日期", "Closed on"),
    "closed_today": ("本次关闭", "Closed today"),
    "open": ("未关闭", "Open"),
    "alert_new": ("新预警", "New alerts"),
    "alert_open": ("未关闭预警", "Open alerts"),
    "alert_closed": ("已关闭预警", "Closed alerts"),
    "alert_explanation": ("{}：{}（触发条件：{}）", "{}: {} (rule: {})"),
    "alert_rule_set": ("全部规则", "All rules"),
    # the features alert rules read
    "late_streak": ("连续逾期还款期数", "Late payments in a row"),
    "spend_ratio_1m": ("近1个月消费÷前6个月月均", "Last month's spending ÷ monthly average before"),
    "failed_debits_30d": ("近30天自动扣款失败次数", "Failed auto-debits, last 30 days"),
    "new_channel_30d": ("近30天使用新还款渠道", "New payment channel, last 30 days"),
    "score_drop": ("评分较上次下降", "Score drop since the last evaluation"),
    # backtest
    "backtest_date": ("回测日期", "Backtest date"),
    "population": ("客户数(客户×日期)", "Customers (customer × date)"),
    "n_alerts": ("预警数", "Alerts"),
    "n_events": ("实际发生的风险事件", "Events that happened"),
    "n_caught": ("提前预警到的事件", "Events warned of"),
    "hits": ("命中预警数", "Alerts followed by an event"),
    "precision": ("精确率", "Precision"),
    "recall": ("召回率", "Recall"),
    "lead_days_median": ("提前天数中位数", "Lead time, median (days)"),
    "lead_days_q1": ("提前天数下四分位", "Lead time, lower quartile (days)"),
    "lead_days_q3": ("提前天数上四分位", "Lead time, upper quartile (days)"),
    "alerts_per_1000": ("每千名客户预警数", "Alerts per 1,000 customers"),
    "new_per_1000": ("每千名客户新预警数", "New alerts per 1,000 customers"),
    "sweep_value": ("阈值取值", "Threshold value"),
    "alert_threshold_tip": ("移动阈值，查看预警量与召回率、精确率的变化",
                            "Move the threshold to see alert volume against recall and precision"),
}
