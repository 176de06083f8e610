"""Collections (催收): reconciliation of multi-channel payments, dunning, worklists.

Modules of the reconciliation part (对账): :mod:`~creditkit.collections.reconcile`
(:func:`reconcile`, the orchestration), :mod:`~creditkit.collections.payers` (who paid),
:mod:`~creditkit.collections.references` (bill numbers in free text),
:mod:`~creditkit.collections.amounts` (amount rules), :mod:`~creditkit.collections.rules`
(the rules file), :mod:`~creditkit.collections.manual` (analysts' decisions) and
:mod:`~creditkit.collections.posting` (:func:`apply_reconciliation`, the hand-over to aging).

Modules of the dunning part: :mod:`~creditkit.collections.dunning` (催收提醒: levels by days
from the due date, one level per run, promises and disputes),
:mod:`~creditkit.collections.dunning_policy` (the policy file and its message templates),
:mod:`~creditkit.collections.dunning_inputs` (the run history, promises to pay and disputes,
checked), :mod:`~creditkit.collections.dunning_result` (the run's result and its report views),
:mod:`~creditkit.collections.promises` (promises to pay kept, broken or pending at a date).

Modules of the worklist part: :mod:`~creditkit.collections.worklist` (today's list per
collector and channel, ranked by expected recovery),
:mod:`~creditkit.collections.worklist_model` (P(cure): the C card calibrated),
:mod:`~creditkit.collections.worklist_stages` (the channel of each dpd stage),
:mod:`~creditkit.collections.worklist_performance` (collector performance, 考核) and
:mod:`~creditkit.collections.channels` (channel performance).

The review of notebook 04: :mod:`~creditkit.collections.review` (:func:`collections_review`,
everything above at one ``as_of`` in one call, on a dunning history replayed by
:func:`dunning_history`; :func:`collection_team`) and
:mod:`~creditkit.collections.review_tables` (its first screen :func:`review_headline` and
its masked report tables).
"""

from __future__ import annotations

# worklist
from creditkit.collections.channels import (
    CHANNEL_PERIODS,
    DEBIT_STATUSES,
    ChannelPerformance,
    channel_performance,
)

# dunning
from creditkit.collections.dunning import DunningRun, dunning_run
from creditkit.collections.dunning_inputs import (
    HISTORY_COLUMNS,
    check_disputes,
    check_history,
    check_promises,
)
from creditkit.collections.dunning_policy import (
    DUNNING_ACTIONS,
    DUNNING_CHANNELS,
    DUNNING_POLICY_COLUMNS,
    PLACEHOLDERS,
    check_dunning_policy,
    load_dunning_policy,
)
from creditkit.collections.manual import DECISIONS, check_decisions
from creditkit.collections.payers import identify_payers, normalise_name
from creditkit.collections.posting import apply_reconciliation
from creditkit.collections.promises import PROMISE_STATES, promise_outcomes
from creditkit.collections.reconcile import (
    REASONS,
    Reconciliation,
    reconcile,
    reconciliation_parts,
)
from creditkit.collections.references import match_references, reference_tokens
from creditkit.collections.review import (
    CollectionsReview,
    collection_team,
    collections_review,
    dunning_history,
)
from creditkit.collections.review_tables import review_headline
from creditkit.collections.rules import ReconcileRules, load_rules
from creditkit.collections.worklist import (
    WORKLIST_REASONS,
    Worklist,
    check_collectors,
    collection_worklist,
)
from creditkit.collections.worklist_model import (
    CALIBRATION,
    RecoveryModel,
    fit_recovery_model,
    load_recovery_model,
    recovery_calibration,
    refit_recovery_model,
)
from creditkit.collections.worklist_performance import collector_performance
from creditkit.collections.worklist_stages import (
    WORKLIST_CHANNELS,
    check_worklist_channels,
    load_worklist_channels,
)

__all__ = [
    "CALIBRATION",
    "CHANNEL_PERIODS",
    "DEBIT_STATUSES",
    "DECISIONS",
    "DUNNING_ACTIONS",
    "DUNNING_CHANNELS",
    "DUNNING_POLICY_COLUMNS",
    "HISTORY_COLUMNS",
    "PLACEHOLDERS",
    "PROMISE_STATES",
    "REASONS",
    "WORKLIST_CHANNELS",
    "WORKLIST_REASONS",
    "ChannelPerformance",
    "CollectionsReview",
    "DunningRun",
    "ReconcileRules",
    "Reconciliation",
    "RecoveryModel",
    "Worklist",
    "apply_reconciliation",
    "channel_performance",
    "check_collectors",
    "check_decisions",
    "check_disputes",
    "check_dunning_policy",
    "check_history",
    "check_promises",
    "check_worklist_channels",
    "collection_team",
    "collection_worklist",
    "collections_review",
    "collector_performance",
    "dunning_history",
    "dunning_run",
    "fit_recovery_model",
    "identify_payers",
    "load_dunning_policy",
    "load_recovery_model",
    "load_rules",
    "load_worklist_channels",
    "match_references",
    "normalise_name",
    "promise_outcomes",
    "reconcile",
    "reconciliation_parts",
    "recovery_calibration",
    "reference_tokens",
    "refit_recovery_model",
    "review_headline",
]
