"""Shared shapes of the selection steps: WoE input as a frame, IV by variable, decision tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from creditkit.checks import check_frame
from creditkit.exceptions import ParameterError

DECISION_COLUMNS = ["variable", "iv", "kept", "reason", "detail"]
DIRECTIONS = ("forward", "backward", "both")
CRITERIA = ("aic", "bic", "pvalue")


def woe_frame(woe: Any, where: str) -> pd.DataFrame:
    """WoE columns as a float frame, by the shared feature-matrix check."""
    frame, was_frame = check_frame(woe, where)
    return frame if was_frame else frame.astype(float)


def iv_series(iv: Any, columns: list[str], where: str) -> pd.Series:
    """IV by variable, with a value for every column of the WoE frame."""
    iv = pd.Series(iv, dtype=float)
    lost = [c for c in columns if c not in iv.index]
    if lost:
        raise ParameterError(
            f"{where}: iv has no value for {lost[:10]}; got {list(iv.index)[:10]}; "
            "pass BinningProcess.iv_ or iv_from_woe(woe, y)")
    return iv


def decisions_table(rows: list[dict]) -> pd.DataFrame:
    """The decision table of a selection step (one row per variable)."""
    out = pd.DataFrame(rows, columns=DECISION_COLUMNS)
    out["kept"] = out["kept"].astype(bool)
    return out
