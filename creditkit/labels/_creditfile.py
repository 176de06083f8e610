"""zh/en labels of a customer's credit file (资信档案; one section of ``creditkit.labels``).

The snapshot columns and the change log's columns are the store's section
(``_store``); this one holds the reviews' columns, the report's headings and
(``CREDITFILE_NOTES``, merged into the prose section) its paragraphs.
"""

from __future__ import annotations

CREDITFILE: dict[str, tuple[str, str]] = {
    "review_outcome": ("复核结论", "Review outcome"),
    "review_note": ("复核说明", "Review note"),
    # headline figures
    "creditfile_snapshots": ("档案期数", "Snapshots on file"),
    "creditfile_first_date": ("首次建档", "First snapshot"),
    "creditfile_changes": ("变化记录数", "Changes recorded"),
    "creditfile_open_bills": ("未结账单数", "Open bills"),
    # headings
    "creditfile_report_title": ("客户资信档案", "Customer credit file"),
    "creditfile_identity": ("1. 客户身份信息", "1. Identity"),
    "creditfile_history": ("2. 资信档案历史：评分、分层、额度与逾期",
                           "2. History: score, tier, limit and arrears"),
    "creditfile_charts": ("3. 评分与逾期走势", "3. Score and days past due over time"),
    "creditfile_changes_title": ("4. 变化记录及原因", "4. Changes and their reasons"),
    "creditfile_actions": ("5. 催收提醒、复核与信用恢复计划",
                           "5. Dunning, reviews and recovery plans"),
    "creditfile_bills": ("6. 未结账单与近期回款", "6. Open bills and recent payments"),
    "creditfile_score_chart": ("评分与违约概率走势", "Score and probability of default"),
    "creditfile_dpd_chart": ("逾期天数与逾期金额走势", "Days past due and past-due amount"),
    "creditfile_explore": ("浏览档案（仅在线笔记本）", "Browse the file (live notebook only)"),
    "creditfile_history_table": ("档案历史", "History"),
    "creditfile_changes_table": ("变化记录", "Changes"),
    "creditfile_dunning_table": ("催收提醒", "Dunning"),
    "creditfile_reviews_table": ("复核记录", "Reviews"),
    "creditfile_plans_table": ("信用恢复计划", "Recovery plans"),
    "creditfile_bills_table": ("未结账单", "Open bills"),
    "creditfile_payments_table": ("近期回款", "Recent payments"),
    "creditfile_picker_help": ("选择客户：下方显示其资信档案摘要（按逾期金额从大到小列出）",
                               "Choose a customer: their credit-file summary is shown below "
                               "(the largest past due first)"),
    "creditfile_none": ("无记录", "None recorded"),
}

CREDITFILE_NOTES: dict[str, tuple[str, str]] = {
    "note_creditfile_intro": (
        "本报告供信用审批委员会审阅单个客户的资信档案：客户身份（默认脱敏）、每期快照中的评分与违约概率"
        "（含评分卡版本）、客户分层、授信额度与账期、未结与逾期金额、逾期天数、限制等级、预警与催收提醒级别，"
        "以及每一项变化的原因。数据来自存储库中按期写入的快照。",
        "For the credit committee: one customer's credit file: identity (masked by default), "
        "the score and probability of default of every snapshot (with the scorecard version), "
        "tier, limit and terms, outstanding and past due, days past due, restriction level, "
        "alerts and dunning level, and the reason for every change. The figures come from the "
        "dated snapshots in the store.",
    ),
    "note_creditfile_identity": (
        "姓名、证件号码与手机号默认脱敏（参数 ``mask``）。",
        "Name, ID number and mobile are masked by default (parameter ``mask``).",
    ),
    "note_creditfile_history": (
        "每行是一期快照（统计日期），截至报告的统计日期。空白表示该期未评估该项。",
        "One row per snapshot date up to the report's date. A blank cell means the item was "
        "not evaluated on that date.",
    ),
    "note_creditfile_changes": (
        "与上一期快照相比发生变化的每一项，附上当期的原因：分层规则及其依据的数值、评分卡版本、"
        "限制原因、预警规则。首期快照列出每一项的初始值。",
        "Every item that changed since the customer's previous snapshot, with the reason of "
        "its date: the tier rule and the values it saw, the scorecard version, the restriction's "
        "reason, the alert rules. The first snapshot lists every item's first value.",
    ),
    "note_creditfile_actions": (
        "催收提醒的每次运行、已记录的信用复核，以及存在时的信用恢复计划。",
        "Every dunning run, the credit reviews recorded, and recovery plans when there are any.",
    ),
    "note_creditfile_bills": (
        "截至统计日期仍有未结金额的账单（按本客户名下的回款先到期先核销），以及最近的回款"
        "（不含付款人与附言）。",
        "Bills with an amount still open at the report's date (the customer's own payments "
        "applied oldest due first), and the latest payments (without payer or reference).",
    ),
}
