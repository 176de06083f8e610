"""Collections (催收): reconciliation of multi-channel payments, dunning, worklists.

Modules of the worklist part: :mod:`~creditkit.collections.worklist` (today's
list per collector and channel, ranked by expected recovery),
:mod:`~creditkit.collections.worklist_model` (P(cure): the C card calibrated),
:mod:`~creditkit.collections.worklist_stages` (the channel of each dpd stage),
:mod:`~creditkit.collections.worklist_performance` (collector performance, 考核)
and :mod:`~creditkit.collections.channels` (channel performance).
"""

from __future__ import annotations

# worklist
from creditkit.collections.channels import (
    CHANNEL_PERIODS,
    DEBIT_STATUSES,
    ChannelPerformance,
    channel_performance,
)
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
    # worklist
    "CALIBRATION",
    "CHANNEL_PERIODS",
    "DEBIT_STATUSES",
    "WORKLIST_CHANNELS",
    "WORKLIST_REASONS",
    "ChannelPerformance",
    "RecoveryModel",
    "Worklist",
    "channel_performance",
    "check_collectors",
    "check_worklist_channels",
    "collection_worklist",
    "collector_performance",
    "fit_recovery_model",
    "load_recovery_model",
    "load_worklist_channels",
    "recovery_calibration",
    "refit_recovery_model",
]
