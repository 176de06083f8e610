"""zh/en labels and paragraphs of the collections report (notebook 04-collections).

One section of ``creditkit.labels`` (``collections_report``): the report's title, section
headings, first-screen figures of :func:`creditkit.collections.review.review_headline`;
its paragraphs (``COLLECTIONS_NOTES``) join the prose section. Column labels of the
tables it shows live in the concept's own sections (``_collections``, ``_dunning``,
``_worklist``).
"""

from __future__ import annotations

COLLECTIONS_REPORT: dict[str, tuple[str, str]] = {
    "collections_report_title": ("多渠道回款与催收工作复盘", "Multi-channel collection review"),
    "coll_sec_reconcile": ("1. 对账：回款与账单匹配",
                           "1. Reconciliation: payments matched to bills"),
    "coll_sec_exceptions": ("1.1 待处理回款(按渠道和原因)", "1.1 Exceptions by channel and reason"),
    "coll_sec_dunning": ("2. 催收提醒", "2. Dunning run"),
    "coll_sec_dunning_history": ("2.1 近几次催收提醒", "2.1 The latest runs"),
    "coll_sec_dunning_actions": ("2.2 今日提醒明细(金额最大的客户)",
                                 "2.2 Today's reminders (largest amounts)"),
    "coll_sec_worklist": ("3. 今日催收工作清单", "3. Today's worklist"),
    "coll_sec_collectors": ("3.1 各催收员今日队列与近期考核",
                            "3.1 Each collector: today's queue and recent results"),
    "coll_sec_worklist_rows": ("3.2 清单明细(按渠道和队列顺序)",
                               "3.2 The list (by channel and queue position)"),
    "coll_sec_channels": ("4. 渠道表现", "4. Channel performance"),
    "coll_sec_channel_matching": ("4.1 各渠道匹配率与到期后还款天数",
                                  "4.1 Match rate and days to pay by channel"),
    "coll_sec_explore": ("5. 待处理回款与催收队列浏览(仅在线笔记本)",
                         "5. Browse exceptions and queues (live notebook only)"),
    # first-screen figures (review_headline)
    "reminders_sent": ("今日发出提醒(户)", "Customers reminded today"),
    "credit_stopped_customers": ("已暂停赊销/移交(户)", "Credit stopped or handed over"),
    "worklist_past_due_minor": ("今日清单逾期金额", "Past due on today's list"),
    "assigned_recovery_minor": ("今日已分配预期回收", "Expected recovery assigned today"),
}

COLLECTIONS_NOTES: dict[str, tuple[str, str]] = {
    "note_collections_intro": (
        "本报告供催收主管每日复盘：各渠道(银行转账、刷卡、支付宝、微信支付、自动扣款、现金)"
        "的回款是否已与账单匹配、哪些回款仍待人工处理；按催收策略今日应提醒哪些客户、"
        "处于哪一级别；今日各催收员的工作清单及按预期回收排序的理由；催收员近期考核；"
        "以及各回款渠道的表现。客户姓名已脱敏，提醒内容以客户编号称呼客户。",
        "This report is for the collections team lead's daily review: whether the payments "
        "of every channel (bank transfer, card, Alipay, WeChat Pay, auto-debit, cash) are "
        "matched to their bills and which are left for an analyst; whom the dunning policy "
        "reminds today and at which level; today's worklist per collector, ranked by "
        "expected recovery, with the reason for each customer; how the collectors did "
        "recently; and how each payment channel performs. Names are masked; messages "
        "address the customer by customer ID.",
    ),
    "note_collections_reconcile": (
        "每笔回款先识别付款客户(客户编号、付款账户、附言中的编号、付款人名称)，再按附言中的"
        "账单号、唯一金额或金额组合匹配账单。只有置信度不低于自动核销线的匹配才自动核销，"
        "其余进入待处理并注明原因和候选账单；小额尾差在容差内单独记为尾差核销。"
        "自动核销 + 待处理 = 回款总额，精确到分。",
        "Each payment's payer is identified first (customer ID, payer account, an ID in the "
        "reference, the payer's name), then its bills: bill numbers in the reference, one "
        "open bill of exactly its amount, or an exact combination of open bills. Only "
        "matches at or above the auto-apply level are applied; the rest are exceptions with "
        "their reason and candidate bills. A small short payment within tolerance is booked "
        "as its own write-off line. Applied + exceptions = amount paid, to the cent.",
    ),
    "note_collections_dunning": (
        "按催收策略文件，每次运行每位逾期客户最多上调一级、不超过最后一级；同一天重复运行"
        "结果不变。为使级别贴近实际，报告按固定周期回放此前几次运行，今日的运行以其历史为准。"
        "已结清、已贷记或有争议的账单退出提醒；达到暂停赊销或移交级别的客户单独计数。",
        "Under the dunning policy file, each run raises an overdue customer at most one "
        "level, never past the last, and re-running a day changes nothing. So that the "
        "levels are realistic, the report replays the earlier runs of a fixed cycle and "
        "today's run stands on their history. Settled, credited or disputed bills leave "
        "the sequence; customers at a level that stops credit or hands the debt over are "
        "counted apart.",
    ),
    "note_collections_worklist": (
        "今日逾期的每位客户都在清单上一次。渠道由逾期天数决定；同一渠道内按预期回收"
        "(逾期金额 × 30天内结清逾期的概率，概率由校准后的C卡给出)排序，再依次分给该渠道的"
        "催收员，直至其日处理容量；其余客户留在清单上并注明未分配的原因。清单逾期金额"
        "等于账龄报告的逾期金额，精确到分。",
        "Every customer past due today is on the list once. The channel follows the days "
        "past due; within a channel customers are ranked by expected recovery (past due × "
        "the chance of clearing the arrears within 30 days, from the calibrated C-card) and "
        "given in turn to the channel's collectors up to their daily capacity; the others "
        "stay on the list with the reason they were not assigned. The list's past due "
        "equals the aging's, to the cent.",
    ),
    "note_collections_performance": (
        "左侧为今日分配(户数、逾期金额、预期回收)；右侧为考核：回放的各运行日(不含今日)"
        "分配给该催收员的客户，在考核窗口内的回款计入该催收员，以分配时的逾期金额为上限。",
        "On the left, today's queue (customers, past due, expected recovery); on the right, "
        "the results over the replayed run days before today: a payment counts for the "
        "collector who was given the customer within the window before it, capped at the "
        "past due assigned.",
    ),
    "note_collections_channels": (
        "各渠道每月回款金额与占比、从账单到期日到还款的天数(负数为提前)、对账匹配率，"
        "以及自动扣款的成功与失败。演示数据只记录成功的扣款。",
        "Cash and its share per channel and month, days from the due date to payment "
        "(negative: early), the reconciliation's match rate, and auto-debit successes and "
        "failures. The demo data records successful debits only.",
    ),
    "note_collections_explore": (
        "按原因和渠道浏览待处理回款及其候选账单与得分，或按催收员查看今日队列。"
        "姓名已脱敏；本节只在在线笔记本中显示，不进入导出的报告。",
        "Browse the exceptions by reason and channel with their candidate bills and scores, "
        "or each collector's queue today. Names are masked; this section shows in the live "
        "notebook only, not in the HTML report.",
    ),
}
