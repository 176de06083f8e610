"""Reconciliation rules: the parameters an analyst tunes, as a validated data file.

The shipped default is ``creditkit/collections/data/reconcile_rules.csv`` (columns
``parameter,value,meaning``). A team's own file overrides some or all of them.
The file is read by :func:`creditkit.policy_files.read_policy_csv`, the reader of
every policy table (UTF-8 or GB18030, ``#`` lines and blank lines are notes, a
workbook saved as ``.csv`` told apart); whole numbers and shares are read by
:func:`~creditkit.policy_files.policy_int` and
:func:`~creditkit.policy_files.policy_share` (``0.005`` or ``0.5%``). A bad line
raises :class:`~creditkit.exceptions.ParameterError` naming the file and the line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.policy_files import policy_int, policy_share, read_policy_csv

__all__ = ["DEFAULT_RULES_FILE", "ReconcileRules", "load_rules"]

#: Name of the shipped default rules file in ``creditkit/collections/data/``.
DEFAULT_RULES_FILE = "reconcile_rules.csv"


@dataclass(frozen=True)
class ReconcileRules:
    """Parameters of :func:`creditkit.collections.reconcile` (see the shipped CSV for meanings).

    Examples
    --------
    >>> ReconcileRules().auto_apply_level
    0.9
    """

    auto_apply_level: float = 0.9
    tolerance_abs_minor: int = 100
    tolerance_pct: float = 0.005
    name_score_min: float = 90.0
    name_margin_min: float = 8.0
    max_combination_bills: int = 3
    combination_window: int = 10
    max_block: int = 200


# parameter -> (type, low, high)
_BOUNDS: dict[str, tuple[type, float, float]] = {
    "auto_apply_level": (float, 0.0, 1.0),
    "tolerance_abs_minor": (int, 0, 10**12),
    "tolerance_pct": (float, 0.0, 0.5),
    "name_score_min": (float, 0.0, 100.0),
    "name_margin_min": (float, 0.0, 100.0),
    "max_combination_bills": (int, 1, 4),
    "combination_window": (int, 1, 16),
    "max_block": (int, 1, 100_000),
}


def _value(name: str, raw: object, where: str) -> float | int:
    """A parameter given in code (a mapping), checked against its bounds."""
    kind, low, high = _BOUNDS[name]
    try:
        number = float(str(raw).strip())
    except ValueError:
        raise ParameterError(f"{where}: {name} must be a number; got {raw!r}; "
                             f"write e.g. {name},{getattr(ReconcileRules(), name)}") from None
    if math.isnan(number) or not low <= number <= high or (kind is int and number != int(number)):
        what = "a whole number" if kind is int else "a number"
        raise ParameterError(f"{where}: {name} must be {what} from {low:g} to {high:g}; "
                             f"got {raw!r}; fix the value on that line")
    return int(number) if kind is int else number


def _line_value(table: pd.DataFrame, i: int, name: str, kind: str) -> float | int:
    """The value on row ``i`` of a rules table, read by the policy-file cell readers."""
    cell = pd.DataFrame({name: [table["value"].iloc[i]], "line": [table["line"].iloc[i]]})
    where = f"{kind} line {int(cell['line'].iloc[0])}"
    if not cell[name].iloc[0]:
        raise ParameterError(f"{where}: {name} has no value; write '{name},<value>' (the "
                             f"default is {getattr(ReconcileRules(), name)})")
    typ, low, high = _BOUNDS[name]
    if typ is int:
        return int(policy_int(cell, name, kind=kind, minimum=int(low), maximum=int(high)).iloc[0])
    if high <= 1:  # a share: 0.005 or 0.5%
        value = float(policy_share(cell, name, kind=kind).iloc[0])
        if value > high:
            raise ParameterError(f"{where}: {name} must be a share from 0 to {high:g}, got "
                                 f"{cell[name].iloc[0]!r}; correct the cell")
        return value
    return _value(name, cell[name].iloc[0], where)  # points (0-100)


def _read(source: object) -> dict[str, float | int]:
    """The parameters a rules file sets (``None``: the shipped default), line by line."""
    table = read_policy_csv(source, kind="reconciliation rules", columns=("parameter", "value"),
                            shipped=("creditkit.collections", f"data/{DEFAULT_RULES_FILE}"))
    name = table.attrs["source"]
    kind = name if name == "reconciliation rules" else f"reconciliation rules {name}"
    out: dict[str, float | int] = {}
    for i, name in enumerate(table["parameter"]):
        where = f"{kind} line {int(table['line'].iloc[i])}"
        if name not in _BOUNDS:
            raise ParameterError(f"{where}: unknown parameter {name!r}; expected one of "
                                 f"{sorted(_BOUNDS)}")
        if name in out:
            raise ParameterError(f"{where}: {name} is set twice; keep one line")
        out[name] = _line_value(table, i, name, kind)
    return out


def load_rules(
    rules: str | Path | pd.DataFrame | Mapping[str, object] | ReconcileRules | None = None,
) -> ReconcileRules:
    """Reconciliation rules from a CSV file, a table, a mapping, or the shipped default.

    Parameters
    ----------
    rules : path, DataFrame, mapping, ReconcileRules or None
        ``None`` gives the shipped default; a path reads a ``parameter,value``
        CSV (read by :func:`creditkit.policy_files.read_policy_csv`) whose lines
        override the default; a DataFrame laid out like it (row ``i`` is line
        ``i + 2``) or a mapping does the same in code.

    Returns
    -------
    ReconcileRules

    Raises
    ------
    DataReadError
        The file is missing, a workbook under a ``.csv`` name, not text, or has
        no rows.
    ParameterError
        A missing column, an unknown or repeated parameter, a value that is not a
        number or is out of range: the message names the file, the line and the fix.

    Examples
    --------
    >>> load_rules({"auto_apply_level": 0.95}).auto_apply_level
    0.95
    >>> import pandas as pd
    >>> load_rules(pd.DataFrame({"parameter": ["tolerance_pct"], "value": ["0.2%"]})).tolerance_pct
    0.002
    >>> load_rules(pd.DataFrame({"parameter": ["max_block"], "value": ["many"]}))
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: reconciliation rules line 2: max_block must be a whole ...
    >>> load_rules({"tolerance_pct": 2})
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: rules tolerance_pct: tolerance_pct must be ...
    """
    base = ReconcileRules(**_read(None))
    if rules is None:
        return base
    if isinstance(rules, ReconcileRules):
        return rules
    if isinstance(rules, Mapping):
        unknown = sorted(set(map(str, rules)) - set(_BOUNDS))
        if unknown:
            raise ParameterError(f"unknown rule(s) {unknown}; expected some of {sorted(_BOUNDS)}")
        return replace(base, **{k: _value(k, v, f"rules {k}") for k, v in rules.items()})
    if isinstance(rules, (str, Path, pd.DataFrame)):
        return replace(base, **_read(rules))
    raise ParameterError(f"rules must be a path, a DataFrame, a mapping or ReconcileRules; got "
                         f"{type(rules).__name__}")
