"""zh/en labels of the collectors' worklist, collector performance and channel performance.

One section of ``creditkit.labels`` (催收工作清单、催收员考核、渠道表现). The channels
``sms``, ``email``, ``call``, ``letter`` and ``legal`` are labelled by the dunning section,
the columns ``n_exceptions`` and ``exception_minor`` by the reconciliation section.
"""

from __future__ import annotations

WORKLIST: dict[str, tuple[str, str]] = {
    # worklist columns
    "collector_id": ("催收员编号", "Collector ID"),
    "collector_name": ("催收员", "Collector"),
    "stage": ("催收阶段", "Collection stage"),
    "p_cure": ("30天内结清逾期概率", "Chance of clearing arrears within 30 days"),
    "expected_recovery_minor": ("预期回收金额", "Expected recovery"),
    "score_source": ("概率来源", "Probability from"),
    "calibrated_card": ("C卡校准概率", "Calibrated C-card"),
    "base_rate": ("整体结清率(无评分)", "Overall cure rate (no score)"),
    "driver": ("主要风险因素", "Main risk factor"),
    "channel_rank": ("渠道内排名", "Rank in channel"),
    "queue_rank": ("队列顺序", "Queue position"),
    "reason_code": ("原因代码", "Reason code"),
    "capacity": ("日处理容量(户)", "Daily capacity (customers)"),
    "assigned": ("已分配", "Assigned"),
    "over_capacity": ("超出容量未分配", "Over capacity, not assigned"),
    "no_collector": ("该渠道无催收员", "No collector for the channel"),
    "promise_pending": ("承诺还款期内", "Promise to pay running"),
    "n_assigned": ("分配户数", "Customers assigned"),
    # stages and channels of the shipped stage table
    "stage_early": ("早期", "Early"),
    "stage_mid": ("中期", "Mid"),
    "stage_late": ("后期", "Late"),
    "stage_legal": ("法务", "Legal"),
    "visit": ("上门催收", "Field visit"),
    "agency": ("委外催收", "Collection agency"),
    # the reason sentence: {dpd} {stage} {amount} {p} {days} {driver}, then one of the endings
    "worklist_reason_template": (
        "逾期{dpd}天({stage})，逾期金额{amount}，{days}天内结清逾期概率{p}，主要风险因素：{driver}",
        "{dpd} days past due ({stage}), {amount} past due, {p} chance of clearing it within "
        "{days} days, main risk factor: {driver}"),
    "worklist_assigned": ("；已分配", "; assigned"),
    "worklist_over_capacity": ("；今日超出催收员容量，未分配",
                               "; over today's capacity, not assigned"),
    "worklist_no_collector": ("；该渠道无催收员，未分配",
                              "; nobody works this channel, not assigned"),
    "worklist_promise_pending": ("；客户承诺还款期内，暂不催收",
                                 "; a promise to pay is running, not chased today"),
    # collector performance (催收员考核)
    "assignments": ("分配次数", "Assignments"),
    "customers_assigned": ("分配客户数", "Customers assigned"),
    "assigned_minor": ("分配逾期金额", "Past due assigned"),
    "recovered_minor": ("回收金额", "Recovered"),
    "recovery_rate": ("回收率", "Recovery rate"),
    "customers_paid": ("回款客户数", "Customers who paid"),
    "promises_made": ("承诺还款笔数", "Promises to pay"),
    "promises_kept": ("履约笔数", "Promises kept"),
    "promises_broken": ("违约笔数", "Promises broken"),
    "promises_pending": ("未到期承诺", "Promises pending"),
    "promised_minor": ("承诺金额", "Amount promised"),
    "kept_minor": ("履约金额", "Amount of promises kept"),
    "promise_kept_rate": ("承诺履约率", "Promise-kept rate"),
    # channel performance (渠道表现)
    "period": ("期间", "Period"),
    "n_allocations": ("核销笔数", "Allocations"),
    "days_q1": ("到期后还款天数(下四分位)", "Days from due to payment (lower quartile)"),
    "days_median": ("到期后还款天数(中位数)", "Days from due to payment (median)"),
    "days_q3": ("到期后还款天数(上四分位)", "Days from due to payment (upper quartile)"),
    "on_time_share": ("到期日前还款金额占比", "Share of amount paid by the due date"),
    "n_matched": ("自动匹配笔数", "Payments matched"),
    "match_rate": ("匹配率(笔数)", "Match rate (count)"),
    "matched_share": ("匹配金额占比", "Share of amount matched"),
    "n_debits": ("自动扣款笔数", "Auto-debits attempted"),
    "n_debits_succeeded": ("扣款成功笔数", "Auto-debits succeeded"),
    "n_debits_failed": ("扣款失败笔数", "Auto-debits failed"),
    "n_debits_returned": ("扣款退回笔数", "Auto-debits returned"),
    "debit_success_rate": ("扣款成功率", "Auto-debit success rate"),
    "debit_succeeded_minor": ("扣款成功金额", "Amount debited"),
    "debit_failed_minor": ("扣款失败/退回金额", "Amount failed or returned"),
    "debit_succeeded": ("扣款成功", "Succeeded"),
    "debit_failed": ("扣款失败", "Failed"),
    "debit_returned": ("扣款退回", "Returned"),
    # figures of collections.plots
    "channel_cash_chart": ("各渠道每月回款金额", "Cash received by channel and month"),
    "channel_share_chart": ("各渠道每月回款占比", "Share of the month's cash by channel"),
    "channel_days_chart": ("各渠道到期后还款天数", "Days from due date to payment by channel"),
    "days_from_due": ("到期后还款天数(负数为提前)",
                      "Days from due date to payment (negative: early)"),
    "dunning_chart": ("本次催收提醒(按级别和渠道)", "This dunning run by level and channel"),
    "worklist_chart": ("预期回收金额(按催收员和渠道)",
                       "Expected recovery by collector and channel"),
    "reconciliation_chart": ("对账结果：自动核销与待处理(按渠道和原因)",
                             "Reconciliation: applied automatically and exceptions by reason, "
                             "per channel"),
    "auto_applied": ("自动核销", "Applied automatically"),
    # controls of collections.widgets (each with its tooltip)
    "exception_reason": ("待处理原因", "Exception reason"),
    "exception_reason_tip": ("只显示这一原因的待处理回款；括号内为笔数",
                             "Show only the exceptions of this reason; the number of payments "
                             "in brackets"),
    "all_reasons": ("全部原因", "All reasons"),
    "channel_pick_tip": ("只显示这一回款渠道", "Show only this payment channel"),
    "all_channels": ("全部渠道", "All channels"),
    "collector_pick_tip": ("选择催收员，查看其今日队列；也可查看未分配的客户",
                           "Pick a collector to see today's queue, or the customers nobody "
                           "was given"),
    "all_collectors": ("全部催收员", "All collectors"),
    "no_rows": ("没有符合条件的记录", "No row matches"),
}
