"""Reconciliation rules: the parameters an analyst tunes, as a validated data file.

The shipped default is ``creditkit/collections/data/reconcile_rules.csv`` (columns
``parameter,value,meaning``). A team's own file overrides some or all of them;
a bad line raises :class:`~creditkit.exceptions.ParameterError` naming the file
and the line.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from creditkit.exceptions import ParameterError

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


def _parse(text: str, source: str) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip() for c in rows[0][:2]] != ["parameter", "value"]:
        raise ParameterError(f"{source} line 1: the header must start with 'parameter,value'; "
                             f"got {rows[0] if rows else 'an empty file'}")
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        where = f"{source} line {number}"
        name = row[0].strip()
        if name not in _BOUNDS:
            raise ParameterError(f"{where}: unknown parameter {name!r}; expected one of "
                                 f"{sorted(_BOUNDS)}")
        if len(row) < 2:
            raise ParameterError(f"{where}: {name} has no value; write '{name},<value>'")
        if name in out:
            raise ParameterError(f"{where}: {name} is set twice; keep one line")
        out[name] = _value(name, row[1], where)
    return out


def load_rules(
    rules: str | Path | Mapping[str, object] | ReconcileRules | None = None,
) -> ReconcileRules:
    """Reconciliation rules from a CSV file, a mapping, or the shipped default.

    Parameters
    ----------
    rules : path, mapping, ReconcileRules or None
        ``None`` gives the shipped default; a path reads a ``parameter,value``
        CSV whose lines override the default; a mapping does the same in code.

    Returns
    -------
    ReconcileRules

    Raises
    ------
    ParameterError
        An unreadable file, an unknown parameter, a value that is not a number
        or is out of range: the message names the line.

    Examples
    --------
    >>> load_rules({"auto_apply_level": 0.95}).auto_apply_level
    0.95
    >>> load_rules({"tolerance_pct": 2})
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: rules tolerance_pct: tolerance_pct must be ...
    """
    default_text = resources.files("creditkit.collections").joinpath(
        "data", DEFAULT_RULES_FILE).read_text(encoding="utf-8")
    base = ReconcileRules(**_parse(default_text, DEFAULT_RULES_FILE))
    if rules is None:
        return base
    if isinstance(rules, ReconcileRules):
        return rules
    if isinstance(rules, Mapping):
        unknown = sorted(set(map(str, rules)) - set(_BOUNDS))
        if unknown:
            raise ParameterError(f"unknown rule(s) {unknown}; expected some of {sorted(_BOUNDS)}")
        return replace(base, **{k: _value(k, v, f"rules {k}") for k, v in rules.items()})
    if isinstance(rules, (str, Path)):
        path = Path(rules)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ParameterError(f"cannot read the rules file {path}: {exc.strerror}; "
                                 "pass an existing CSV or rules=None for the default") from None
        return replace(base, **_parse(text, str(path)))
    raise ParameterError(f"rules must be a path, a mapping or ReconcileRules; got "
                         f"{type(rules).__name__}")


