"""Credit assessment: binning, WoE/IV, selection, scorecards, validation, limits and terms.

The binning and selection modules are the binning engineer's; the scorecard,
SQL export, metrics, policy, challenger, plots and widgets build on them.
"""

from __future__ import annotations

from creditkit.scoring.metrics import (
    PSIMonitor,
    auc,
    calibration_table,
    csi,
    cutoff_table,
    gini,
    ks,
    ks_table,
    psi,
    psi_table,
    roc_table,
    score_bands,
    stability_status,
)
from creditkit.scoring.scorecard import Scorecard
from creditkit.scoring.sql import to_sql

__all__ = [
    "PSIMonitor",
    "Scorecard",
    "auc",
    "calibration_table",
    "csi",
    "cutoff_table",
    "gini",
    "ks",
    "ks_table",
    "psi",
    "psi_table",
    "roc_table",
    "score_bands",
    "stability_status",
    "to_sql",
]

try:  # binning engineer's modules; plain imports once they have landed
    from creditkit.scoring.binning import BinningProcess, OptimalBinning

    __all__ += ["BinningProcess", "OptimalBinning"]
except ImportError:  # pragma: no cover - development only
    pass
