"""zh/en labels of recovery plans (信用恢复计划; one section of ``creditkit.labels``).

Status values are labelled under a prefix (``instalment_<status>``,
``plan_<status>``, ``restoration_<state>``): the bare words mean other things
elsewhere.
"""

from __future__ import annotations

RECOVERY: dict[str, tuple[str, str]] = {
    # columns of a schedule (recovery_plan / recovery_plans)
    "plan_id": ("计划编号", "Plan"),
    "start": ("计划开始日", "Plan start"),
    "principal_minor": ("本金", "Principal"),
    "interest_minor": ("利息", "Interest"),
    "fee_minor": ("手续费", "Fee"),
    "remaining_minor": ("剩余本金", "Principal remaining"),
    # columns of PlanTracking
    "days_late": ("逾期天数(分期)", "Days late"),
    "instalments": ("期数", "Instalments"),
    "scheduled_minor": ("计划应还", "Scheduled"),
    "owed_minor": ("尚欠金额", "Still owed"),
    "overdue_minor": ("逾期未还", "Overdue"),
    "on_time_streak": ("连续按期还款期数", "On time in a row"),
    "next_due_date": ("下期还款日", "Next due date"),
    "counted_minor": ("计入计划的回款", "Payments counted"),
    # columns of restoration_path
    "step": ("恢复阶段", "Restoration step"),
    "limit_share": ("恢复额度比例", "Limit share restored"),
    "next_step": ("下一阶段", "Next step"),
    "instalments_to_next": ("距下一阶段还需期数", "Instalments to next step"),
    "next_step_due": ("下一阶段预计日期", "Next step due"),
    "restoration": ("额度恢复", "Restoration"),
    "on_time_instalments": ("连续按期期数要求", "On-time instalments needed"),
    # instalment statuses
    "instalment_on_time": ("按期还款", "Paid on time"),
    "instalment_late": ("逾期还款", "Paid late"),
    "instalment_pending": ("未到期", "Not yet due"),
    "instalment_missed": ("未还", "Missed"),
    # plan statuses
    "plan_completed": ("已结清", "Completed"),
    "plan_on_track": ("正常履约", "On track"),
    "plan_behind": ("有逾期", "Behind"),
    "plan_broken": ("计划违约", "Broken"),
    # restoration states
    "restoration_stepping": ("逐步恢复中", "Stepping up"),
    "restoration_restored": ("已全部恢复", "Restored"),
    "restoration_stopped": ("恢复中止", "Restoration stopped"),
    # figures
    "plan_schedule_title": ("还款计划与实际还款", "Plan schedule and payments"),
    "plan_status_title": ("恢复计划状态", "Recovery plans by status"),
    "scheduled": ("计划应还", "Scheduled"),
    "plans_count": ("计划数", "Plans"),
}
