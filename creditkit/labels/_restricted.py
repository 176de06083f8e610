"""zh/en labels of restricted customers (限制类客户): levels, policy, order checks, reviews, legal.

Code values are labelled under a prefix (``rlevel_stop``, ``rchange_entered``,
``order_decision_refuse``, ``order_reason_over_limit``, ``limit_by_level_cap``,
``review_decision_keep``, ``legal_reason_broken_plan``, ``evidence_bills``), so
they never collide with other sections (``restricted`` alone is the scoring
policy's 限制准入, ``level`` the dunning level). ``RESTRICTED_NOTES`` holds the
paragraphs of notebook 06 (merged into the prose section).
"""

from __future__ import annotations

RESTRICTED: dict[str, tuple[str, str]] = {
    # levels and what changed
    "restriction_level": ("限制级别", "Restriction level"),
    "previous_restriction_level": ("上次限制级别", "Previous restriction level"),
    "rlevel_none": ("未限制", "Not restricted"),
    "rlevel_watch": ("关注", "Watch"),
    "rlevel_restricted": ("限制", "Restricted"),
    "rlevel_stop": ("停止赊销", "Stop credit"),
    "change": ("本期变化", "Change this period"),
    "rchange_entered": ("新进入", "Entered"),
    "rchange_left": ("已退出", "Left"),
    "rchange_level_up": ("级别上调", "Level up"),
    "rchange_level_down": ("级别下调", "Level down"),
    "rchange_reasons_changed": ("原因变化", "Reasons changed"),
    "rchange_unchanged": ("无变化", "Unchanged"),
    "rule_ids": ("触发规则", "Rules matched"),
    "reasons": ("原因", "Reasons"),
    "reasons_zh": ("原因(中文)", "Reasons (Chinese)"),
    "reasons_en": ("原因(英文)", "Reasons (English)"),
    "entered_on": ("进入限制日期", "Restricted since"),
    "level_since": ("本级别起始日期", "At this level since"),
    "returned_debits": ("自动扣款退回次数", "Returned auto-debits"),
    "legal_dispute": ("存在法律纠纷", "Legal dispute"),
    "industry_risk": ("行业风险", "Industry risk"),
    "region_risk": ("地区风险", "Region risk"),
    "restricted_share": ("限制类客户占比", "Share of customers restricted"),
    "restricted_customers": ("限制类客户数", "Restricted customers"),
    "restricted_balance_share": ("限制类客户余额占比", "Restricted share of balance"),
    "entered_this_period": ("本期新进入", "Entered this period"),
    "left_this_period": ("本期退出", "Left this period"),
    "outstanding_share": ("余额占比", "Share of outstanding"),
    # policy
    "limit_multiplier": ("额度系数", "Limit multiplier"),
    "limit_cap_minor": ("额度上限", "Limit cap"),
    "prepayment_share": ("预付比例", "Prepayment share"),
    "cash_before_delivery": ("款到发货", "Cash before delivery"),
    "approval_above_minor": ("超过此金额需审批", "Approval needed above"),
    "review_months": ("复评周期(月)", "Review every (months)"),
    "late_fee_daily_rate": ("滞纳金日费率", "Late fee per day"),
    "base_limit_minor": ("评分策略额度", "Limit by scoring policy"),
    "effective_limit_minor": ("限制后额度", "Effective limit"),
    "limit_set_by": ("额度依据", "Limit set by"),
    "base_term_days": ("评分策略信用期(天)", "Credit period by scoring policy (days)"),
    "terms_set_by": ("条件依据", "Terms set by"),
    "limit_by_scoring_policy": ("评分策略", "Scoring policy"),
    "limit_by_level_multiplier": ("限制级别额度系数", "Level multiplier"),
    "limit_by_level_cap": ("限制级别额度上限", "Level cap"),
    "limit_by_cash_before_delivery": ("款到发货(无赊销)", "Cash before delivery (no credit)"),
    "limit_by_unknown_base": ("无评分策略额度", "No scoring-policy limit on file"),
    "limit_by_level_terms": ("限制级别条件", "Level terms"),
    # order checks
    "order_id": ("订单编号", "Order ID"),
    "based_on": ("参照消费日期", "Based on purchase of"),
    "order_decision": ("订单决策", "Order decision"),
    "order_decision_approve": ("通过", "Approve"),
    "order_decision_approve_with_prepayment": ("预付后通过", "Approve with prepayment"),
    "order_decision_require_approval": ("需审批", "Requires approval"),
    "order_decision_refuse": ("拒绝", "Refuse"),
    "order_reason_within_limit": ("额度内", "Within the limit"),
    "order_reason_prepayment_required": ("本级别需部分预付", "This level pays part in advance"),
    "order_reason_cash_before_delivery": ("款到发货", "Cash before delivery"),
    "order_reason_above_approval_amount": ("金额超过审批线", "Amount above the approval line"),
    "order_reason_no_limit_on_file": ("无授信额度记录", "No limit on file"),
    "order_reason_over_limit": ("下单后超出额度", "Over the limit after the order"),
    "order_reason_unknown_customer": ("客户不存在", "Unknown customer"),
    "order_reason_currency_mismatch": ("订单币种与客户不符",
                                       "Order currency differs from the customer's"),
    "prepayment_minor": ("预付金额", "Prepayment"),
    "credit_minor": ("赊销金额", "On credit"),
    "open_orders_minor": ("在途订单金额", "Open orders"),
    "exposure_minor": ("敞口", "Exposure"),
    "exposure_before_minor": ("下单前敞口", "Exposure before the order"),
    "exposure_after_minor": ("下单后敞口", "Exposure after the order"),
    "headroom_after_minor": ("下单后剩余额度", "Headroom after the order"),
    "available_minor": ("可用额度", "Available credit"),
    "orders_checked": ("检查订单数", "Orders checked"),
    "orders_refused": ("将被拒绝订单", "Orders refused"),
    "orders_need_approval": ("需审批订单", "Orders needing approval"),
    "orders": ("订单数", "Orders"),
    # reviews
    "review_date": ("复评日期", "Review date"),
    "reviewer": ("复评人", "Reviewer"),
    "note": ("备注", "Note"),
    "last_review": ("上次复评", "Last review"),
    "last_decision": ("上次复评结论", "Last review decision"),
    "basis_date": ("复评起算日", "Counted from"),
    "next_review": ("下次复评", "Next review"),
    "overdue": ("已逾期未复评", "Review overdue"),
    "days_overdue": ("复评逾期天数", "Days overdue"),
    "reviews_overdue": ("逾期未复评客户", "Reviews overdue"),
    "reviews_due_30d": ("30天内到期复评", "Reviews due within 30 days"),
    "review_decision_keep": ("维持", "Keep"),
    "review_decision_tighten": ("收紧", "Tighten"),
    "review_decision_loosen": ("放宽", "Loosen"),
    "review_decision_release": ("解除限制", "Release"),
    "review_decision_escalate_legal": ("移交法务", "Escalate to legal"),
    # legal escalation and the evidence pack
    "legal_reason_past_last_dunning_level": ("已过最后催收级别", "Past the last dunning level"),
    "legal_reason_broken_plan": ("还款计划违约", "Recovery plan broken"),
    "escalation_reasons": ("移交原因", "Why escalated"),
    "legal_customers": ("移交法务客户数", "Customers for legal action"),
    "reached_on": ("到达最后级别日期", "Reached the last level on"),
    "late_fee_minor": ("滞纳金", "Late fee"),
    "claim_minor": ("主张金额(含滞纳金)", "Claim (with late fees)"),
    "legal_evidence_title": ("法务移交证据包", "Evidence pack for legal action"),
    "evidence_contract": ("合同条款(档案记录)", "Contract terms on file"),
    "evidence_bills": ("账单及到期日", "Bills and due dates"),
    "evidence_payments": ("全部回款记录", "Every payment received"),
    "evidence_reminders": ("全部催收提醒记录", "Every reminder sent"),
    "evidence_promises": ("还款承诺", "Promises to pay"),
    "evidence_plans": ("还款计划", "Recovery plans"),
    "evidence_balance": ("欠款余额及滞纳金", "Balance with late fees"),
    "evidence_none": ("无记录", "None on record"),
    # backtest
    "bad_rate_restricted": ("限制类客户坏账率", "Bad rate, restricted"),
    "bad_rate_not_restricted": ("非限制类客户坏账率", "Bad rate, not restricted"),
    # numbered sections of notebook 06 (the unnumbered keys above title its charts)
    "restricted_sec_who": ("1. 限制类客户及原因", "1. Who is restricted and why"),
    "restricted_sec_changes": ("2. 本期进入与退出", "2. Entered and left this period"),
    "restricted_sec_rules": ("3. 认定规则与授信策略", "3. Rules and policy"),
    "restricted_sec_exposure": ("4. 敞口与限制后额度", "4. Exposure against the effective limits"),
    "restricted_sec_orders": ("5. 订单审核", "5. Order checks"),
    "restricted_sec_reviews": ("6. 复评日程", "6. Review calendar"),
    "restricted_sec_plans": ("7. 信用恢复计划", "7. Recovery plans"),
    "restricted_sec_legal": ("8. 移交法务名单", "8. Legal list"),
    # the live table browser
    "table_restricted_current": ("当前限制类客户", "Restricted customers today"),
    "table_restricted_changes": ("本期进入与退出", "Entered and left"),
    "table_restricted_exposure": ("敞口与限制后额度", "Exposure and effective limits"),
    "table_restricted_flagged_orders": ("被拒绝或需审批的订单",
                                        "Orders refused or needing approval"),
    "table_restricted_schedule": ("复评日程", "Review calendar"),
    "table_restricted_plans": ("信用恢复计划", "Recovery plans"),
    "table_restricted_legal": ("移交法务名单", "Legal list"),
    "restricted_explore": ("浏览(仅限交互式笔记本)", "Explore (live notebook only)"),
    # report
    "restricted_report_title": ("限制类客户管理", "Restricted customers"),
    "restricted_who": ("限制类客户及原因", "Who is restricted and why"),
    "restricted_changes": ("本期进入与退出", "Entered and left this period"),
    "restricted_rules": ("认定规则与授信策略", "Rules and policy"),
    "restricted_exposure": ("敞口与限制后额度", "Exposure against the effective limits"),
    "restricted_orders": ("订单审核", "Order checks"),
    "restricted_reviews": ("复评日程", "Review calendar"),
    "restricted_plans": ("信用恢复计划", "Recovery plans"),
    "restricted_legal": ("移交法务名单", "Legal list"),
}

RESTRICTED_NOTES: dict[str, tuple[str, str]] = {
    "note_restricted_intro": (
        "本报告供信用经理使用：哪些客户被列为限制类及原因，本期谁进入、谁退出，限制后的额度与"
        "敞口，哪些订单将被拒绝或需要审批，复评日程，以及应移交法务的客户。限制级别由规则文件"
        "认定（关注、限制、停止赊销），各级别的额度和条件由策略文件规定；两者都可由信用团队编辑。"
        "客户姓名等个人信息已脱敏。",
        "For the credit manager: who is restricted and why, who entered and left this period, "
        "the limits after restriction against exposure, which orders would be refused or need "
        "approval, the review calendar, and who goes to legal. Levels (watch, restricted, "
        "stop credit) come from a rule file and each level's limit and terms from a policy "
        "file; the credit team edits both. Personal data is masked.",
    ),
    "note_restricted_who": (
        "客户触发的每条规则都列出，级别取其中最严重者。规则读取客户在统计日的特征（评分、"
        "逾期天数及其历史、核销、外部评级等）；未提供的字段（自动扣款退回、法律纠纷、行业和"
        "地区风险）视为缺失，缺失值不满足任何条件（除“为空”条件外）。",
        "Every rule a customer matches is listed, and the level is the most severe of them. "
        "Rules read the customer's features at the date (score, days past due and their "
        "history, write-offs, external rating, …); fields nobody supplied (returned "
        "auto-debits, legal disputes, industry and region risk) are missing, and a missing "
        "value satisfies no condition except *is missing*.",
    ),
    "note_restricted_changes": (
        "与上一次认定相比：新进入、退出、级别上调或下调、原因变化。进入日期从上一次认定结转。",
        "Against the previous evaluation: who entered, left, moved up or down a level, or "
        "matched other rules. Entry dates are carried over from the previous evaluation.",
    ),
    "note_restricted_rules": (
        "认定规则按顺序列出；策略表给出各级别的额度系数与上限、信用期、预付比例、是否款到发货、"
        "审批线、复评周期和滞纳金费率。限制只会收紧：限制后额度不高于评分策略给出的额度，"
        "信用期不长于原信用期。",
        "The rules in order, and the policy of each level: limit multiplier and cap, credit "
        "period, prepayment share, cash before delivery, approval line, review frequency and "
        "late-fee rate. A restriction only tightens: the effective limit is never above the "
        "scoring policy's, nor the credit period longer.",
    ),
    "note_restricted_exposure": (
        "敞口 = 未结余额 + 在途订单；可用额度 = 限制后额度 − 敞口（不低于零）。",
        "Exposure = outstanding + open orders; available credit = effective limit − exposure "
        "(never below zero).",
    ),
    "note_restricted_orders": (
        "报告无法预知明天的订单，因此假设近期有消费的每位客户再下一笔与其近期最大一笔消费相同"
        "金额的订单，并按限制策略审核：超出额度则拒绝，超过审批线需审批，需预付的按比例预付。",
        "A report cannot know tomorrow's orders, so it supposes every customer who bought "
        "recently places again the largest order of their recent purchases, and checks it "
        "against the restriction: over the limit is refused, above the approval line needs "
        "approval, and a level with a prepayment share pays that part in advance.",
    ),
    "note_restricted_reviews": (
        "下次复评日 = 上次复评日（无则为进入本级别之日）加上本级别的复评周期（月末对齐：1月31日"
        "加一个月为2月28日或29日）。关注、限制和停止赊销客户至少每季度复评一次。",
        "Next review = the last review (or the day the customer entered its level) plus the "
        "level's review period, month-end safe (31 January + 1 month = 28 or 29 February). "
        "Watch, restricted and stop customers are reviewed at least quarterly.",
    ),
    "note_restricted_plans": (
        "示意：假设在上次认定时，向当时处于“限制”级别且有逾期欠款的客户提供按月等额的还款计划"
        "（金额为当时的逾期金额），再用此后的实际回款跟踪：按期、逾期或未还；连续按期还款达到"
        "额度恢复策略的期数后，限制级别逐步下调、额度逐步恢复；计划违约的客户移交法务。"
        "有真实计划的团队应传入其计划表。",
        "An illustration: suppose customers at the *restricted* level with money past due at "
        "the previous evaluation had been offered monthly equal instalments for that amount, "
        "then follow them with the payments actually received: on time, late or missed. "
        "After the number of on-time instalments in a row the restoration policy asks for, "
        "the level steps down and the limit steps up; a broken plan goes to legal. A team "
        "with real plans passes those instead.",
    ),
    "note_restricted_legal": (
        "已过最后催收级别（移交法务）且仍有欠款的客户。滞纳金按策略文件的日费率 × 逾期天数 × "
        "未结金额逐笔计算，向下取整到分，单利不复利。每位客户的证据包（合同条款、账单、回款、"
        "催收记录、承诺、计划、余额）可导出为逗号分隔文本或电子表格文件，并附脱敏的网页摘要。",
        "Customers past the last dunning level (handed over to legal) who still owe. Late "
        "fees are the policy's daily rate × days past due × the amount open on each bill, "
        "rounded down to the minor unit, simple interest. Each customer's evidence pack "
        "(contract terms, bills, payments, reminders, promises, plans, balance) exports as "
        "CSV/XLSX and a masked HTML summary.",
    ),
}
