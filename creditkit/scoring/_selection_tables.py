"""Shared shapes of the selection steps: WoE input as a frame, IV by variable, decision tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError

DECISION_COLUMNS = ["variable", "iv", "kept", "reason", "detail"]
DIRECTIONS = ("forward", "backward", "both")
CRITERIA = ("aic", "bic", "pvalue")


def _frame(woe: Any, where: str) -> pd.DataFrame:
    if isinstance(woe, pd.DataFrame):
        return woe
    arr = np.asarray(woe, dtype=float)
    if arr.ndim != 2:
        raise ParameterError(f"{where}: WoE must be a 2-D table; got shape {arr.shape}; "
                             "pass BinningProcess.transform(X)")
    return pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])


def _iv_series(iv: Any, columns: list[str], where: str) -> pd.Series:
    iv = pd.Series(iv, dtype=float)
    lost = [c for c in columns if c not in iv.index]
    if lost:
        raise ParameterError(
            f"{where}: iv has no value for {lost[:10]}; got {list(iv.index)[:10]}; "
            "pass BinningProcess.iv_ or iv_from_woe(woe, y)")
    return iv


def _decisions(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=DECISION_COLUMNS)
    out["kept"] = out["kept"].astype(bool)
    return out
