"""The policy table of limits and terms: reading it from a file and checking it.

A policy has one row per customer kind and grade; :mod:`creditkit.scoring.policy`
describes its columns and applies it. This module owns the file side: the
shipped default (``creditkit/scoring/data/limit_policy.csv``), reading a CSV in
UTF-8, UTF-8 with BOM or GB18030, and the checks whose errors name the CSV
line (the header is line 1) and the fix.

Examples
--------
>>> policy = load_policy()
>>> sorted(policy["kind"].unique())
['business', 'consumer']
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError

__all__ = ["BASES", "KINDS", "POLICY_COLUMNS", "check_policy", "load_policy"]

POLICY_COLUMNS = ["kind", "grade", "min_score", "limit_basis", "multiple", "credit_period_days",
                  "cap_minor", "term_months", "term_days", "prepayment", "restricted"]
BASES = ("income", "purchases", "sales", "none")
KINDS = ("consumer", "business")


def load_policy(path=None) -> pd.DataFrame:
    """Read a policy table (default: the one shipped with creditkit) and check it.

    The file is a CSV in UTF-8 (with or without Excel's BOM) or GB18030/GBK,
    the encoding detected as :func:`creditkit.io.detect_encoding` does.

    Parameters
    ----------
    path : str or path-like, optional
        The policy CSV; ``None`` reads the shipped example.

    Returns
    -------
    pandas.DataFrame
        The typed policy (see :func:`check_policy`).

    Raises
    ------
    DataReadError
        The file is missing, empty, a workbook under a ``.csv`` name, or not
        text in a known encoding.
    ParameterError
        A value is wrong; the message names the CSV line (the header is line 1).

    Examples
    --------
    >>> load_policy().groupby("kind")["grade"].apply(list).to_dict()["business"]
    ['A', 'B', 'C', 'D']
    """
    if path is None:
        ref = resources.files("creditkit.scoring").joinpath("data/limit_policy.csv")
        with resources.as_file(ref) as p:
            raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    else:
        raw = _read_policy_file(path)
    return check_policy(raw)


def _read_policy_file(path) -> pd.DataFrame:
    """The policy CSV as text cells, or a DataReadError naming the problem and the fix."""
    from creditkit.io import detect_encoding

    if not isinstance(path, str | os.PathLike):
        raise DataReadError(f"policy path must be a file path (str or Path); got "
                            f"{type(path).__name__}")
    p = Path(path)
    if not p.is_file():
        raise DataReadError(f"policy file {str(p)!r} does not exist (working directory "
                            f"{os.getcwd()!r}); check the path, or call load_policy() for the "
                            "shipped example")
    with p.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataReadError(f"policy file {p.name} is an Excel workbook (xlsx/xls) saved under "
                            f"the name {p.suffix or '(no suffix)'}, not CSV text; open it in "
                            "Excel or WPS and save as 'CSV UTF-8'")
    try:
        encoding = detect_encoding(p)
    except DataReadError as exc:
        raise DataReadError(f"policy file {p.name} is not text in UTF-8 or GB18030/GBK (a binary "
                            "file, or another encoding); open it in Excel or WPS and save as "
                            "'CSV UTF-8'") from exc
    try:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False, encoding=encoding)
    except pd.errors.EmptyDataError as exc:
        raise DataReadError(f"policy file {p.name} is empty; it needs a header line with "
                            f"{POLICY_COLUMNS} and one line per kind and grade (copy "
                            "creditkit/scoring/data/limit_policy.csv)") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataReadError(f"policy file {p.name} is not a readable CSV ({exc}); save it "
                            "from Excel or WPS as 'CSV UTF-8'") from exc
    if raw.empty:
        raise DataReadError(f"policy file {p.name} has a header but no rows (it is empty); add "
                            "one line per kind and grade (see "
                            "creditkit/scoring/data/limit_policy.csv)")
    return raw


def _lines(mask) -> list[int]:
    """CSV line numbers (header = line 1) of the rows where ``mask`` holds."""
    return [int(i) + 2 for i in np.flatnonzero(np.asarray(mask, dtype=bool))]


def _bool(s: pd.Series, name: str) -> pd.Series:
    text = s.astype("string").str.strip().str.lower()
    ok = text.isin(["true", "false", "1", "0", ""])
    if not ok.all():
        raise ParameterError(f"policy column {name} must be true/false; got "
                             f"{s[~ok].tolist()[:3]} on line(s) {_lines(~ok)[:3]}")
    return text.isin(["true", "1"]).astype(bool)


_INT64 = np.iinfo("int64")


def _whole(text) -> int | None:
    """An exact whole number from policy text, or None (no float on the way)."""
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return int(d) if d.is_finite() and d == d.to_integral_value() else None


def _int(s: pd.Series, name: str) -> pd.Series:
    text = s.astype("string").str.strip().replace("", pd.NA)
    nums = [None if pd.isna(t) else _whole(str(t)) for t in text]
    bad = text.notna().to_numpy() & np.array([n is None for n in nums], dtype=bool)
    if bad.any():
        raise ParameterError(f"policy column {name} must hold whole numbers; got "
                             f"{s[bad].tolist()[:3]} on line(s) {_lines(bad)[:3]}")
    huge = np.array([n is not None and not _INT64.min <= n <= _INT64.max for n in nums],
                    dtype=bool)
    if huge.any():
        raise ParameterError(f"policy column {name} holds {s[huge].tolist()[:3]} on line(s) "
                             f"{_lines(huge)[:3]}, past what an int64 holds ({_INT64.max}); "
                             "write a smaller number (amounts are in minor units: fen, cents)")
    return pd.Series(pd.array([pd.NA if n is None or pd.isna(t) else n
                               for n, t in zip(nums, text, strict=True)], dtype="Int64"),
                     index=s.index)


def check_policy(policy: pd.DataFrame) -> pd.DataFrame:
    """Validate a policy table and return it typed (see the module docstring).

    Raises
    ------
    ParameterError
        Missing columns, unknown kinds or bases, non-decimal multiples,
        numbers past int64, or non-increasing ``min_score`` within a kind. A
        bad value is located by its CSV line: row ``i`` (from 0) is line
        ``i + 2``, the header being line 1.

    Examples
    --------
    >>> check_policy(load_policy())["cap_minor"].dtype
    Int64Dtype()
    """
    missing = [c for c in POLICY_COLUMNS if c not in policy.columns]
    if missing:
        raise ParameterError(f"policy lacks column(s) {missing}; got {list(policy.columns)}; see "
                             "creditkit/scoring/data/limit_policy.csv for the layout")
    out = pd.DataFrame({"kind": policy["kind"].astype("string").str.strip(),
                        "grade": policy["grade"].astype("string").str.strip()})
    bad_kind = ~out["kind"].isin(KINDS)
    if bad_kind.any():
        raise ParameterError(
            f"policy kind must be one of {KINDS}; got {out['kind'][bad_kind].tolist()} on line(s) "
            f"{_lines(bad_kind)[:3]}")
    out["min_score"] = pd.to_numeric(policy["min_score"].astype("string").str.strip(),
                                     errors="coerce").astype("float64")
    if out["min_score"].isna().any():
        raise ParameterError("policy min_score must be numbers (or -inf); got "
                             f"{policy['min_score'][out['min_score'].isna()].tolist()} on line(s) "
                             f"{_lines(out['min_score'].isna())[:3]}")
    out["limit_basis"] = policy["limit_basis"].astype("string").str.strip()
    bad_basis = ~out["limit_basis"].isin(BASES)
    if bad_basis.any():
        raise ParameterError(f"policy limit_basis must be one of {BASES}; got "
                             f"{out['limit_basis'][bad_basis].tolist()} on line(s) "
                             f"{_lines(bad_basis)[:3]}")
    fracs = []
    for text in policy["multiple"].astype("string").fillna("0"):  # one per policy row
        try:
            f = Fraction(str(text).strip() or "0")
        except (ValueError, ZeroDivisionError) as exc:
            raise ParameterError(f"policy multiple must be an exact decimal like '0.7'; got "
                                 f"{text!r} on line {len(fracs) + 2}") from exc
        if f < 0:
            raise ParameterError(f"policy multiple must be >= 0; got {text!r} on line "
                                 f"{len(fracs) + 2}")
        if not (f.numerator <= _INT64.max and f.denominator <= _INT64.max):
            raise ParameterError(f"policy multiple {text!r} on line {len(fracs) + 2} has too "
                                 "many digits; write a decimal of at most 18 digits")
        fracs.append(f)
    out["multiple"] = [str(f) for f in fracs]
    out["multiple_num"] = pd.array([f.numerator for f in fracs], dtype="int64")
    out["multiple_den"] = pd.array([f.denominator for f in fracs], dtype="int64")
    for col in ("credit_period_days", "cap_minor", "term_months", "term_days"):
        out[col] = _int(policy[col], col)
    for col in ("prepayment", "restricted"):
        out[col] = _bool(policy[col], col)
    for kind, grp in out.groupby("kind"):
        if not grp["min_score"].is_monotonic_decreasing or grp["min_score"].duplicated().any():
            raise ParameterError(
                f"policy rows of kind {kind!r} must list grades best first with strictly "
                f"decreasing min_score; got {grp['min_score'].tolist()}")
    return out.reset_index(drop=True)
