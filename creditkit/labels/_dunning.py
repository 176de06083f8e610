"""zh/en labels of dunning (催收提醒; one section of ``creditkit.labels``)."""

from __future__ import annotations

# --- collections: dunning (04) -----------------------------------------------
DUNNING: dict[str, tuple[str, str]] = {
    # columns of DunningRun.actions / .status / .history / .table()
    "level": ("催收级别", "Dunning level"),
    "previous_level": ("上次级别", "Previous level"),
    "event": ("本次处理", "This run"),
    "run_date": ("催收日期", "Run date"),
    "bill_ids": ("账单编号", "Bills"),
    "dunning_message": ("催收内容", "Message"),
    "message_zh": ("催收内容（中文）", "Message (Chinese)"),
    "message_en": ("催收内容（英文）", "Message (English)"),
    "disputed_minor": ("争议金额", "Disputed"),
    "next_level_on": ("下一级最早日期", "Next level from"),
    "credit_stopped": ("暂停新增赊销", "New credit stopped"),
    "promise_date": ("承诺日期", "Promise date"),
    "pay_by": ("承诺还款日", "Promised pay-by date"),
    "dispute_date": ("争议日期", "Dispute date"),
    "resolved_date": ("争议解决日期", "Resolved on"),
    # channels of a level
    "sms": ("短信", "SMS"),
    "email": ("电子邮件", "E-mail"),
    "call": ("电话催收", "Phone call"),
    "letter": ("催收函", "Letter"),
    "legal": ("法务/委外催收", "Legal or agency"),
    # actions of a level
    "remind": ("提醒", "Reminder"),
    "stop_credit": ("暂停新增赊销", "Stop new credit"),
    "handover": ("移交法务/委外", "Hand over to legal or an agency"),
    # events of a run
    "sent": ("发送", "Sent"),
    "hold": ("保持当前级别", "Level kept"),
    "paused": ("暂停催收", "Paused"),
    "stopped": ("终止催收", "Stopped"),
    # reasons (keys prefixed: the words alone mean other things elsewhere)
    "dunning_due_soon": ("账单即将到期", "Bills fall due soon"),
    "dunning_due_today": ("账单今日到期", "Bills due today"),
    "dunning_overdue": ("逾期天数达到本级", "Days past due reached this level"),
    "dunning_promise_broken": ("承诺还款未兑现，升一级", "Promise to pay broken: one level up"),
    "dunning_promise_pending": ("承诺还款期内，暂停", "Promise to pay pending: paused"),
    "dunning_promise_kept": ("已兑现承诺还款", "Promise to pay kept"),
    "dunning_waiting": ("未到下一级天数", "Next level not due yet"),
    "dunning_last_level": ("已到最后一级", "At the last level"),
    "dunning_settled": ("账单已结清（回款、红字或核销）",
                        "Bills settled (paid, credited or written off)"),
    "dunning_disputed": ("剩余账单有争议", "Remaining bills disputed"),
    "dunning_default_salutation": ("客户", "Customer"),
}
