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

#: The formula of every behaviour feature in Chinese (the English one is in
#: ``creditkit.behaviour.FEATURES``), ``{w}`` standing for the window's months. A window
#: "近{w}个月" is the period (观察日 − {w} 个月, 观察日]; its observation dates are the
#: observation date and the month ends before it.
BEHAVIOUR_FORMULAS: dict[str, str] = {
    "months_on_book": "从客户开户日到观察日的整月数",
    "dpd": "观察日客户最长逾期天数(取自账龄报告;无未结余额时为0)",
    "worst_dpd_{w}m": "近{w}个观察日(观察日及其前的月末)客户最长逾期天数的最大值"
                      "(取自账龄报告;无未结余额时为0)",
    "avg_dpd_{w}m": "近{w}个观察日中开户日及之后各日最长逾期天数的平均值",
    "months_delinquent_{w}m": "近{w}个观察日中最长逾期天数大于0的个数",
    "months_since_delinquent": "距最近一个最长逾期天数大于0的观察日相隔的观察日个数"
                               "(0 = 观察日当日逾期);最长窗口内从未逾期时为空",
    "days_in_arrears_{w}m": "近{w}个月内客户有逾期金额的天数(应还与结清合并计算,先还最早到期)",
    "arrears_per_due_{w}m": "近{w}个月内每日逾期金额之和 ÷ 期间内到期账单金额"
                            "(约为每单位应还的逾期天数);期间内无到期账单时为空",
    "late_share_{w}m": "近{w}个月内到期的账单中,逾期后才结清或仍未结清的占比"
                       "(先还最早到期);无到期账单时为空",
    "days_late_{w}m": "近{w}个月内到期账单从到期日到结清日的平均天数"
                      "(未结清的算至观察日,按时结清为0);无到期账单时为空",
    "payment_ratio_{w}m": "近{w}个月内收到的现金还款(只计类型为“还款”的收款)÷ 期间内到期账单金额;"
                          "期间内无到期账单时为空",
    "outstanding_minor": "观察日未结余额总额(取自账龄报告)",
    "utilisation": "未结余额 ÷ 授信额度;无授信额度时为空",
    "utilisation_change_{w}m": "观察日额度使用率 − 近{w}个观察日中第一个观察日的额度使用率",
    "outstanding_trend_{w}m": "观察日未结余额 ÷ 近{w}个观察日未结余额的平均值;平均值为0时为空",
    "auto_debit_share": "最长窗口期间内经自动扣款渠道收到的还款 ÷ 全部收到的还款;无还款时为空",
    "n_channels": "最长窗口期间内收到还款所用的不同渠道数",
    "active_plans": "观察日及之前已出账的分期计划(按发票编号,分期账单)中,"
                    "观察日之后仍有分期到期的个数",
    "spend_{w}m_minor": "近{w}个月内的交易金额合计",
    "spend_trend": "(最短窗口消费额 ÷ 其月数)÷(最长窗口消费额 ÷ 其月数);"
                   "最长窗口无消费时为空",
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

# --- notebook 09-behaviour-scores, its figures and widget (helper "behaviour-nb") -----------
BEHAVIOUR.update({
    "behaviour_report_title": ("行为评分卡与催收评分卡模型文档",
                               "Behaviour and collection scorecards: model documentation"),
    "behaviour_sample": ("1. 样本构建：观察点、排除与坏账率", "1. Sample construction: dates, "
                         "exclusions and bad rate"),
    "behaviour_features_iv": ("2. 行为特征及其信息值", "2. Behaviour features and their IV"),
    "behaviour_card_points": ("3. B卡：分值表", "3. The B-card: points table"),
    "behaviour_card_reasons": ("4. B卡：原因码", "4. The B-card: reason codes"),
    "behaviour_card_deploy": ("5. B卡：部署 SQL", "5. The B-card: deployment SQL"),
    "behaviour_oot": ("6. 跨时间验证：AUC 与 KS", "6. Out-of-time validation: AUC and KS"),
    "behaviour_stability": ("7. 评分稳定性：开发期与近期", "7. Score stability: development and "
                            "recent dates"),
    "behaviour_vs_application": ("8. 与申请评分卡的对比(同一批客户)",
                                 "8. Against the application card on the same customers"),
    "behaviour_collection": ("9. C卡：30天内催回与仅用逾期天数的对比",
                             "9. The C-card: cure within 30 days against days past due alone"),
    "application_card": ("申请评分卡(A卡)", "Application scorecard (A-card)"),
    "recent": ("近期观察点", "Recent dates"),
    "b_card_oot_auc": ("B卡跨时间 AUC", "B-card out-of-time AUC"),
    "application_card_auc": ("A卡 AUC(同一批客户)", "A-card AUC (same customers)"),
    "b_card_score_psi": ("B卡评分 PSI(开发期→近期)", "B-card score PSI (development → recent)"),
    "c_card_oot_auc": ("C卡跨时间 AUC", "C-card out-of-time AUC"),
    "dpd_alone_auc": ("仅用逾期天数的 AUC", "AUC of days past due alone"),
    "customers_scored": ("近期评分客户数", "Customers scored at the latest date"),
    "features_shown": ("显示的特征", "Features shown"),
    "no_such_customer": ("未找到该客户编号", "No customer with this ID"),
    "feature_label": ("特征名称", "Feature"),
    "formula": ("计算公式", "Formula"),
    "n": ("样本行数", "Rows"),
    "oot_dates": ("跨时间验证观察点", "Out-of-time dates"),
})

#: Paragraphs of notebook 09 (read through ``creditkit.labels.prose``; merged into its section).
BEHAVIOUR_NOTES: dict[str, tuple[str, str]] = {
    "note_behaviour_intro": (
        "本报告供模型验证人员审阅行为评分卡(B卡)与催收评分卡(C卡)。B卡在每个月末观察点，"
        "根据客户截至该日的实际还款表现(逾期、还款比例、额度使用、消费)为未逾期或轻度逾期的"
        "存量客户评分；C卡为观察点已逾期的客户估计其能否在短期内催回。所有特征只使用观察点当日"
        "及之前已知的数据(已出账单、已收款项、已发生交易)，目标只使用观察点之后表现期内的数据。",
        "This report is for the model validator of the behaviour scorecard (B-card) and the "
        "collection scorecard (C-card). At each month end the B-card scores existing "
        "customers in good standing from how they have actually paid up to that date (days "
        "past due, payment ratio, limit use, spending); the C-card estimates, for customers "
        "already past due, whether they will be cured soon. Every feature uses only what was "
        "known on the date (bills issued, payments received, transactions made); every "
        "target uses only the performance window after it.",
    ),
    "note_behaviour_sample": (
        "开发样本由多个月末观察点的客户快照纵向堆叠而成，并保留观察点日期。每位在观察点前已开户"
        "的客户都有一行，并注明其是否纳入建模样本及原因：观察点已为坏客户(逾期达到坏客户标准)"
        "或已核销的客户不进入B卡样本(观察点已逾期且未核销的客户另构成C卡样本，见第 9 节)；"
        "表现期内最长逾期在 1 至坏客户标准之间的为不确定(灰)样本，计数但不参与拟合；尚无账单的"
        "客户无法评价行为。坏客户定义：表现期内逾期天数达到参数 `bad_dpd` 或发生核销。"
        "最后几个观察点留作跨时间验证样本，不参与拟合。付款人未识别的收款不计入任何客户，"
        "相关客户会显得逾期，坏账率因此偏高：建模前应先完成收款对账。",
        "The development sample stacks customer snapshots at several month ends, each row "
        "keeping its date. Every customer opened by a date has a row saying whether it is in "
        "the fitting sample and why not: customers already bad (at the bad dpd) or written "
        "off at the date are left out of the B-card sample (customers past due and not "
        "written off at the date form the C-card sample, section 9); those whose worst dpd "
        "in the performance window is between 1 and the bad dpd are indeterminate, counted "
        "but not fitted; customers without a bill yet have no behaviour. Bad means reaching "
        "the parameter `bad_dpd` or a write-off within the performance window. The latest "
        "dates are held out as the out-of-time sample and never fitted. Payments whose payer "
        "is not identified count for no customer, so their customers look past due and the "
        "bad rate reads high: reconcile payers before fitting.",
    ),
    "note_behaviour_features": (
        "每个特征的计算公式见下表，窗口特征按近 3/6/12 个月分别计算。信息值(IV)在开发样本上"
        "按分箱计算；IV 低于 0.02 的特征不进入模型，高度相关(相关系数高于 0.7)或共线"
        "(方差膨胀因子高于 10)的特征只保留其一。违约承诺与重组类特征需待催收模块(#8)上线后加入，"
        "目前未纳入，也未以其他数据替代。",
        "The table gives every feature's formula; window features are computed over the last "
        "3, 6 and 12 months. IV is computed per bin on the development sample; features "
        "below 0.02 are not used, and of features that are highly correlated (above 0.7) or "
        "collinear (VIF above 10) one is kept. Broken promises and restructurings wait for "
        "the collections concept (#8): they are left out, not imitated.",
    ),
    "note_behaviour_card": (
        "B卡沿用申请评分卡的分箱、证据权重(WoE)逻辑回归与分值刻度(基准分、基准好坏比、PDO)。"
        "下表为各分箱分值，客户评分等于其所落入各分箱的分值之和；拟合提示(如有)列于分值表之前。",
        "The B-card uses the application scorecard's binning, WoE logistic regression and "
        "points scaling (base score, base odds, PDO). The table gives the points of every "
        "bin; a customer's score is the sum of their bins' points. Fit warnings, if any, are "
        "listed before it.",
    ),
    "note_behaviour_reasons": (
        "原因码：对每位客户，列出与同一特征最优分箱相比失分最多的特征。此处展示跨时间验证样本中"
        "评分最低的几位客户，供额度调整与预警沟通使用。",
        "Reason codes: for each customer, the features that cost the most points against the "
        "best bin of the same feature. Shown here for the lowest-scored customers of the "
        "out-of-time sample, as used in limit reviews and early-warning contacts.",
    ),
    "note_behaviour_deploy": (
        "部署用 SQL(DuckDB 方言)：对行为特征表逐行计算分值，结果与软件包评分一致。",
        "Deployment SQL (DuckDB dialect): scores each row of a behaviour feature table, with "
        "the same result as the package.",
    ),
    "note_behaviour_oot": (
        "各观察点上的 AUC 与 KS。阴影部分为跨时间验证观察点：模型从未见过这些日期的数据，"
        "若其区分能力明显低于开发期，说明模型过拟合或客群已发生变化。",
        "AUC and KS at each date. The shaded dates are out of time: the card never saw them; "
        "a clear fall there against the development dates means overfitting or a changing "
        "book.",
    ),
    "note_behaviour_stability": (
        "开发期观察点与最近观察点的评分分布对比。PSI 以开发期为基准，按开发期评分等频分段计算，"
        "评分对象为观察点的全部客户(即模型实际使用时面对的客群)。PSI 低于 0.1 视为稳定，"
        "0.1–0.25 需关注，高于 0.25 需处理。",
        "The score distribution at the development dates against the latest date. The PSI "
        "takes the development dates as the base, over equal-count bands of their scores, "
        "and scores every customer at each date (the population the card meets in use). "
        "Below 0.1 is stable, 0.1–0.25 is watched, above 0.25 needs action.",
    ),
    "note_behaviour_vs_application": (
        "在同一批跨时间验证客户上，B卡与申请评分卡(用客户开户时的申请资料评分)的对比。"
        "B卡利用客户开户后的实际还款表现，区分能力应明显高于申请评分卡。",
        "The B-card against the application scorecard (scoring the application data from "
        "onboarding) on the same out-of-time customers. The B-card sees how the customer has "
        "actually paid since, so it should separate clearly better.",
    ),
    "note_behaviour_collection": (
        "C卡样本为观察点已逾期(逾期天数大于 0)且未核销的客户；目标为观察点后 `cure_days` "
        "天时仍有逾期或已核销(未催回)。C卡分值越高，催回可能性越大。基准为仅按逾期天数排序："
        "C卡应优于仅用逾期天数。",
        "The C-card sample is the customers past due (dpd above 0) and not written off at "
        "the date; its target is still past due, or written off, `cure_days` days after the "
        "date (not cured). A higher C-card score means a likelier cure. The baseline ranks "
        "by days past due alone: the C-card should beat it.",
    ),
}
