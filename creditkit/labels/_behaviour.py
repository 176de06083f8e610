"""zh/en labels of behaviour and collection scores, B卡 / C卡 (one section of ``creditkit.labels``).

Window features are named ``<name>_{w}m``; :data:`BEHAVIOUR_TEMPLATES` holds
their labels with ``{w}`` for the months, and :data:`BEHAVIOUR` the labels of
the usual windows (1, 3, 6, 9, 12, 18, 24 months) spelled out, so that
``relabel`` finds them.
"""

from __future__ import annotations

#: Labels of the window features, ``{w}`` standing for the window's months.
BEHAVIOUR_TEMPLATES: dict[str, tuple[str, str]] = {
    "worst_dpd_{w}m": ("近{w}个月最长逾期天数", "Worst dpd, last {w} months"),
    "avg_dpd_{w}m": ("近{w}个月平均逾期天数", "Average dpd, last {w} months"),
    "months_delinquent_{w}m": ("近{w}个月逾期月数", "Months delinquent, last {w} months"),
    "days_in_arrears_{w}m": ("近{w}个月逾期天数合计", "Days in arrears, last {w} months"),
    "arrears_per_due_{w}m": ("近{w}个月逾期金额天数÷应还金额",
                             "Amount-days past due ÷ amount due, last {w} months"),
    "late_share_{w}m": ("近{w}个月逾期还款账单占比", "Share of bills paid late, last {w} months"),
    "days_late_{w}m": ("近{w}个月账单平均逾期天数", "Mean days late per bill, last {w} months"),
    "payment_ratio_{w}m": ("近{w}个月还款比例(实还÷应还)",
                           "Payment ratio (paid ÷ due), last {w} months"),
    "utilisation_change_{w}m": ("近{w}个月额度使用率变化",
                                "Change in utilisation, last {w} months"),
    "outstanding_trend_{w}m": ("未结余额÷近{w}个月平均未结余额",
                               "Outstanding ÷ its average, last {w} months"),
    "spend_{w}m_minor": ("近{w}个月消费金额", "Spending, last {w} months"),
}

_WINDOWS = (1, 3, 6, 9, 12, 18, 24)

BEHAVIOUR: dict[str, tuple[str, str]] = {
    # features without a window
    "months_on_book": ("账龄月数(MOB)", "Months on book"),
    "months_since_delinquent": ("距最近一次逾期月数", "Months since last delinquency"),
    "utilisation": ("额度使用率", "Limit utilisation"),
    "auto_debit_share": ("自动扣款还款占比", "Share paid by auto-debit"),
    "n_channels": ("还款渠道数", "Payment channels used"),
    "active_plans": ("在途分期笔数", "Active instalment plans"),
    "spend_trend": ("消费趋势(近期÷长期月均)", "Spending trend (recent ÷ long-run monthly)"),
    # samples and targets
    "behaviour_card": ("行为评分卡(B卡)", "Behaviour scorecard (B-card)"),
    "collection_card": ("催收评分卡(C卡)", "Collection scorecard (C-card)"),
    "perf_dpd": ("表现期最长逾期天数", "Worst dpd in the performance window"),
    "written_off": ("已核销坏账", "Written off"),
    "in_sample": ("纳入建模样本", "In the fitting sample"),
    "n_in_sample": ("建模样本数", "In sample"),
    "included": ("纳入", "Included"),
    "indeterminate": ("不确定(灰样本)", "Indeterminate"),
    "already_bad": ("观察点已为坏客户", "Already bad at the date"),
    "no_history": ("无账单记录", "No bill yet"),
    "horizon_not_observed": ("表现期未满", "Performance window not observed yet"),
    "not_past_due": ("观察点未逾期", "Not past due at the date"),
    "model_version": ("模型版本", "Model version"),
    "fit_dates": ("建模观察点", "Fit dates"),
    "oot": ("跨时间验证样本(OOT)", "Out-of-time sample"),
    "development": ("开发样本", "Development sample"),
    "latent_risk": ("潜在风险(生成器真值)", "Latent risk (generator truth)"),
}

for _tpl, (_zh, _en) in BEHAVIOUR_TEMPLATES.items():
    for _w in _WINDOWS:
        BEHAVIOUR[_tpl.format(w=_w)] = (_zh.format(w=_w), _en.format(w=_w))
