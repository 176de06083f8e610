"""Collections (催收): reconciliation of multi-channel payments, dunning, worklists.

Modules: :mod:`~creditkit.collections.dunning` (催收提醒: levels by days from
the due date, one level per run, promises and disputes),
:mod:`~creditkit.collections.dunning_policy` (the policy file and its message
templates), :mod:`~creditkit.collections.dunning_inputs` (the run history,
promises to pay and disputes, checked), :mod:`~creditkit.collections.dunning_result`
(the run's result and its report views).
"""

from __future__ import annotations

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

__all__ = [
    # dunning
    "DUNNING_ACTIONS",
    "DUNNING_CHANNELS",
    "DUNNING_POLICY_COLUMNS",
    "HISTORY_COLUMNS",
    "PLACEHOLDERS",
    "DunningRun",
    "check_disputes",
    "check_dunning_policy",
    "check_history",
    "check_promises",
    "dunning_run",
    "load_dunning_policy",
]
