"""The worklist's stage table: which channel works a past-due customer, by days past due.

A small CSV the analyst edits (shipped default ``collections/data/worklist_channels.csv``):
``stage``, ``min_dpd``, ``max_dpd`` (blank on the last line), ``channel``. Stages start at
1 day past due and follow each other without gap or overlap, so every past-due customer has
exactly one channel; a bad line raises :class:`~creditkit.exceptions.ParameterError` naming it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from creditkit.checks import check_table
from creditkit.exceptions import ParameterError
from creditkit.policy_files import read_policy_csv

__all__ = ["WORKLIST_CHANNELS", "check_worklist_channels", "load_worklist_channels"]

#: Channels a stage or a collector may name.
WORKLIST_CHANNELS: tuple[str, ...] = ("sms", "email", "call", "visit", "letter", "legal", "agency")
CHANNELS_FILE = Path(__file__).with_name("data") / "worklist_channels.csv"
_STAGE_COLUMNS = ("stage", "min_dpd", "max_dpd", "channel")
_KIND = "worklist channels"


def check_worklist_channels(channels: pd.DataFrame, *, lines: list[str] | None = None,
                            where: str = "channels") -> pd.DataFrame:
    """The stage table, checked: stages by days past due, each with its channel.

    Parameters
    ----------
    channels : DataFrame
        ``stage``, ``min_dpd``, ``max_dpd`` (blank on the last line),
        ``channel`` (one of :data:`WORKLIST_CHANNELS`). Stages start at dpd 1
        and follow each other without gap or overlap.
    lines : list of str, optional
        How to name each row in an error (a file's line numbers); default ``row i``.
    where : str
        What the table is, in an error.

    Returns
    -------
    DataFrame
        ``stage``, ``min_dpd`` (int64), ``max_dpd`` (Int64, NA on the last), ``channel``.

    Raises
    ------
    SchemaError
        A column is missing.
    ParameterError
        A bad value, a gap or an overlap, naming the line.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"stage": ["early", "late"], "min_dpd": [1, 31],
    ...                   "max_dpd": [30, None], "channel": ["sms", "call"]})
    >>> check_worklist_channels(t)["max_dpd"].tolist()
    [30, <NA>]
    >>> t.loc[1, "min_dpd"] = 40
    >>> check_worklist_channels(t)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: channels row 1: min_dpd 40 must be 31, the day after ...
    """
    check_table(channels, _STAGE_COLUMNS, name=where,
                fix=f"the header is '{','.join(_STAGE_COLUMNS)}' (or pass a CSV file path)")
    if len(channels) == 0:
        raise ParameterError(f"{where} has no stage; add at least one line (e.g. 'all,1,,call')")
    names = lines or [f"{where} row {i}" for i in range(len(channels))]
    out = {"stage": [], "min_dpd": [], "max_dpd": [], "channel": []}
    for i, row in enumerate(channels[list(_STAGE_COLUMNS)].itertuples(index=False)):
        name, last = names[i], i == len(channels) - 1
        stage = "" if pd.isna(row.stage) else str(row.stage).strip()
        chan = "" if pd.isna(row.channel) else str(row.channel).strip().lower()
        if not stage:
            raise ParameterError(f"{name}: the stage has no name; name it (e.g. early)")
        if stage in out["stage"]:
            raise ParameterError(f"{name}: stage {stage!r} is named twice; give each a new name")
        if chan not in WORKLIST_CHANNELS:
            raise ParameterError(f"{name}: channel {chan!r} is not one of {WORKLIST_CHANNELS}; "
                                 "write one of them")
        lo = _whole(row.min_dpd, name, "min_dpd", blank_ok=False)
        hi = _whole(row.max_dpd, name, "max_dpd", blank_ok=last)
        want = 1 if i == 0 else out["max_dpd"][-1] + 1
        if lo != want:
            raise ParameterError(
                f"{name}: min_dpd {lo} must be {want}, " + ("the first stage starts at 1 day past "
                                                            "due; fix it" if i == 0 else
                f"the day after the previous stage's max_dpd {want - 1}; close the gap or "
                "overlap"))
        if hi is not None and hi < lo:
            raise ParameterError(f"{name}: max_dpd {hi} is below min_dpd {lo}; fix that line")
        if last and hi is not None:
            raise ParameterError(f"{name}: the last stage must leave max_dpd blank so every dpd "
                                 "has a channel; blank it or add a stage after it")
        for k, v in (("stage", stage), ("min_dpd", lo), ("max_dpd", hi), ("channel", chan)):
            out[k].append(v)
    return pd.DataFrame({"stage": out["stage"], "min_dpd": np.array(out["min_dpd"], np.int64),
                         "max_dpd": pd.array(out["max_dpd"], dtype="Int64"),
                         "channel": out["channel"]})


def _whole(value: object, name: str, col: str, *, blank_ok: bool) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()) or (
            not isinstance(value, str) and pd.isna(value)):
        if blank_ok:
            return None
        raise ParameterError(f"{name}: {col} is blank; write a whole number of days")
    try:
        f = float(str(value).strip())
    except ValueError:
        f = float("nan")
    if not np.isfinite(f) or f != int(f) or f < 1:
        raise ParameterError(f"{name}: {col} {value!r} is not a whole number of days >= 1; "
                             "fix that line")
    return int(f)


def load_worklist_channels(path: str | Path | None = None) -> pd.DataFrame:
    """The stage table from a CSV file (default the shipped one), checked line by line.

    The file is read by :func:`creditkit.policy_files.read_policy_csv`, the
    reader of every policy table (notes, GB18030, a workbook told apart); its
    stages are checked by :func:`check_worklist_channels`, naming the line.

    Parameters
    ----------
    path : str or Path, optional
        The analyst's CSV; default ``collections/data/worklist_channels.csv``.

    Returns
    -------
    DataFrame
        As :func:`check_worklist_channels`.

    Raises
    ------
    DataReadError
        The file is missing, a workbook, not text, or has no stage line.
    ParameterError
        A bad line (named), or a missing column.

    Examples
    --------
    >>> load_worklist_channels()[["stage", "channel"]].values.tolist()
    [['early', 'sms'], ['mid', 'call'], ['late', 'visit'], ['legal', 'legal']]
    """
    table = read_policy_csv(path, kind=_KIND, columns=_STAGE_COLUMNS,
                            shipped=("creditkit.collections", "data/worklist_channels.csv"))
    where = f"{_KIND} {table.attrs['source']}"
    return check_worklist_channels(table.drop(columns="line"), where=where,
                                   lines=[f"{where} line {n}" for n in table["line"]])
