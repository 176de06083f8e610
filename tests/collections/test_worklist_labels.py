"""Every column the worklist, collector and channel tables show has a zh and an en label."""

from __future__ import annotations

from creditkit.collections import WORKLIST_REASONS, load_worklist_channels
from creditkit.labels import LABELS, label

WORKLIST_COLUMNS = [
    "customer_id", "currency", "past_due_minor", "outstanding_minor", "worst_dpd",
    "score_source", "p_cure", "driver", "stage", "channel", "expected_recovery_minor",
    "channel_rank", "collector_id", "collector_name", "queue_rank", "reason_code", "reason",
    "capacity", "assigned",
]
PERFORMANCE_COLUMNS = [
    "assignments", "customers_assigned", "assigned_minor", "recovered_minor", "recovery_rate",
    "customers_paid", "promises_made", "promises_kept", "promises_broken", "promises_pending",
    "promised_minor", "kept_minor", "promise_kept_rate",
]
# n_exceptions and exception_minor are labelled by the reconciliation section (its own tables)
CHANNEL_COLUMNS = [
    "period", "n_payments", "paid_minor", "share", "n_allocations", "applied_minor", "days_q1",
    "days_median", "days_q3", "on_time_share", "n_matched",
    "match_rate", "matched_share", "n_debits", "n_debits_succeeded", "n_debits_failed",
    "n_debits_returned", "debit_success_rate", "debit_succeeded_minor", "debit_failed_minor",
]


def test_every_column_and_code_has_both_languages():
    stages = [f"stage_{s}" for s in load_worklist_channels()["stage"]]
    keys = (WORKLIST_COLUMNS + PERFORMANCE_COLUMNS + CHANNEL_COLUMNS + stages
            + list(WORKLIST_REASONS) + [f"worklist_{r}" for r in WORKLIST_REASONS]
            + ["calibrated_card", "base_rate", "visit", "worklist_reason_template"])
    missing = [k for k in keys if k not in LABELS]
    assert not missing, f"no label for {missing}"
    for k in keys:
        assert LABELS[k]["zh"] and LABELS[k]["en"], k


def test_reason_template_has_the_same_fields_in_both_languages():
    import string

    fields = [sorted(f for _, f, _, _ in string.Formatter().parse(label(
        "worklist_reason_template", lang)) if f) for lang in ("zh", "en")]
    assert fields[0] == fields[1] == ["amount", "days", "dpd", "driver", "p", "stage"]
