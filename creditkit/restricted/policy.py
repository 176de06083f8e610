"""What each restriction level does to a customer's limit and terms (限制类客户授信策略).

The policy is a CSV the credit manager edits, one line per level of
:data:`~creditkit.restricted.classify.LEVELS` (shipped default
``creditkit/restricted/data/restriction_policy.csv``, an example, not a
recommendation):

========================  =========================================================
column                    meaning
========================  =========================================================
``restriction_level``                 none, watch, restricted, stop (each once, in that order)
``limit_multiplier``      exact decimal 0 … 1: share of the scoring policy's limit kept
``limit_cap_minor``       highest limit in minor units (blank: no cap)
``credit_period_days``    longest credit period (blank: the scoring policy's)
``prepayment_share``      exact decimal 0 … 1 of each order paid before delivery
``cash_before_delivery``  true: no credit at all (款到发货)
``approval_above_minor``  an order above this needs approval (blank: never)
``review_months``         months between reviews; at most 3 for watch, restricted, stop
``late_fee_daily_rate``   late fee per day on the past-due amount (0.0005 = 万分之五)
========================  =========================================================

A more severe level may not be looser than a milder one (multiplier, cap,
credit period, prepayment, approval amount), and a restriction only tightens:
:func:`apply_restrictions` never gives a limit above the one
:func:`creditkit.scoring.apply_policy` set, nor a longer credit period.
Money stays integer: the multiplier is an exact fraction and the limit is
rounded down to the minor unit.

Examples
--------
>>> load_restriction_policy()["restriction_level"].tolist()
['none', 'watch', 'restricted', 'stop']
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.policy_files import read_policy_csv
from creditkit.restricted.classify import LEVELS, level_rank

__all__ = ["LIMIT_SET_BY", "POLICY_COLUMNS", "apply_restrictions", "check_restriction_policy",
           "load_restriction_policy"]

#: The columns of a restriction policy file, in order.
POLICY_COLUMNS: tuple[str, ...] = ("restriction_level", "limit_multiplier", "limit_cap_minor",
                                   "credit_period_days", "prepayment_share",
                                   "cash_before_delivery", "approval_above_minor",
                                   "review_months", "late_fee_daily_rate")
SHIPPED = "creditkit/restricted/data/restriction_policy.csv"
#: What set an effective limit (``limit_set_by``), in code order.
LIMIT_SET_BY: tuple[str, ...] = ("scoring_policy", "level_multiplier", "level_cap",
                                 "unknown_base", "cash_before_delivery")
_MAX_REVIEW = 3  # watch, restricted and stop are reviewed at least quarterly


def load_restriction_policy(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read a restriction policy file (default: the shipped one) and check it.

    The file is read by :func:`creditkit.policy_files.read_policy_csv`, the one
    reader of policy tables; the cells are checked by
    :func:`check_restriction_policy`.

    Raises
    ------
    DataReadError
        The file is missing, a workbook under a ``.csv`` name, or not text.
    ParameterError
        A line is wrong; the message names the file, the line and the fix.

    Examples
    --------
    >>> p = load_restriction_policy()
    >>> p.loc[p["restriction_level"] == "restricted", ["limit_cap_minor", "line"]].values.tolist()
    [[10000000, 9]]
    """
    source = path if path is None or isinstance(path, str | os.PathLike) else None
    if path is not None and source is None:
        raise DataReadError(f"restriction policy path must be a file path; got "
                            f"{type(path).__name__}; pass e.g. 'my_restriction_policy.csv'")
    name = "restriction_policy.csv (shipped)" if path is None else Path(path).name
    table = read_policy_csv(source, kind="restriction policy", columns=POLICY_COLUMNS,
                            shipped=("creditkit.restricted", "data/restriction_policy.csv"))
    return check_restriction_policy(table, where=name)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == "" or v is pd.NA


def _share(v: object, at: str, col: str) -> Fraction:
    if isinstance(v, Fraction | int) and not isinstance(v, bool) and 0 <= v <= 1:
        return Fraction(v)
    try:
        d = Decimal(str(v).strip())
    except (InvalidOperation, ValueError):
        d = Decimal("NaN")
    if not d.is_finite() or not 0 <= d <= 1:
        raise ParameterError(f"{at}: {col} must be a decimal from 0 to 1 (0.5 = half); got "
                             f"{v!r}")
    return Fraction(d)


def _whole(v: object, at: str, col: str, *, blank_ok: bool) -> int | None:
    if _blank(v):
        if blank_ok:
            return None
        raise ParameterError(f"{at}: {col} is blank; write a whole number")
    try:
        d = Decimal(str(v).strip())
    except (InvalidOperation, ValueError):
        d = Decimal("NaN")
    if not d.is_finite() or d != d.to_integral_value() or d < 0 or d > 9 * 10**18:
        raise ParameterError(f"{at}: {col} must be a whole number, 0 or more (minor units for "
                             f"amounts: 1000000 = 10,000.00 yuan){', or blank' if blank_ok else ''}"
                             f"; got {v!r}")
    return int(d)


def _flag(v: object, at: str, col: str) -> bool:
    text = str(v).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise ParameterError(f"{at}: {col} must be true or false; got {v!r}")


def check_restriction_policy(policy: pd.DataFrame, *, where: str = "policy") -> pd.DataFrame:
    """Check a restriction policy table and return it typed.

    Parameters
    ----------
    policy : DataFrame
        Columns :data:`POLICY_COLUMNS`; an optional ``line`` column gives each
        row's line in its file (else row ``i`` is line ``i + 2``).
    where : str
        The file's name in messages.

    Returns
    -------
    DataFrame
        One row per level in :data:`LEVELS` order; amounts and days as
        ``Int64`` (missing: no cap / as the scoring policy / never),
        ``limit_multiplier``, ``prepayment_share`` and ``late_fee_daily_rate``
        as exact ``Fraction`` objects, ``cash_before_delivery`` bool,
        ``review_months`` int, ``line``.

    Raises
    ------
    ParameterError
        A missing column or level, a level twice or out of order, a value out
        of range, review of watch/restricted/stop less than quarterly, or a
        level looser than a milder one; the message names the line and fix.

    Examples
    --------
    >>> bad = load_restriction_policy().drop(columns="line")
    >>> bad.loc[2, "limit_multiplier"] = "1.5"
    >>> check_restriction_policy(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: policy line 4: limit_multiplier must be a decimal ...
    """
    if not isinstance(policy, pd.DataFrame):
        raise ParameterError(f"a restriction policy is a DataFrame or a CSV path; got "
                             f"{type(policy).__name__}; call load_restriction_policy(path)")
    missing = [c for c in POLICY_COLUMNS if c not in policy.columns]
    if missing:
        raise ParameterError(f"{where} lacks column(s) {missing}; the header must be "
                             f"{','.join(POLICY_COLUMNS)} (see {SHIPPED})")
    lines = (policy["line"].astype(int).tolist() if "line" in policy.columns
             else list(range(2, len(policy) + 2)))
    out: dict[str, list] = {c: [] for c in (*POLICY_COLUMNS, "line")}
    for i, (row, line) in enumerate(zip(policy.to_dict("records"), lines, strict=True)):
        at = f"{where} line {line}"
        level = str(row["restriction_level"]).strip().lower()
        if i >= len(LEVELS) or level != LEVELS[i]:
            expect = LEVELS[i] if i < len(LEVELS) else "no further line"
            raise ParameterError(f"{at}: restriction_level {row['restriction_level']!r} where "
                                 f"{expect!r} is expected; one line per level, in the order "
                                 f"{', '.join(LEVELS)}")
        mult = _share(row["limit_multiplier"], at, "limit_multiplier")
        cap = _whole(row["limit_cap_minor"], at, "limit_cap_minor", blank_ok=True)
        period = _whole(row["credit_period_days"], at, "credit_period_days", blank_ok=True)
        prepay = _share(row["prepayment_share"], at, "prepayment_share")
        cbd = _flag(row["cash_before_delivery"], at, "cash_before_delivery")
        approval = _whole(row["approval_above_minor"], at, "approval_above_minor", blank_ok=True)
        months = _whole(row["review_months"], at, "review_months", blank_ok=False)
        if not 1 <= months <= 24 or (level != "none" and months > _MAX_REVIEW):
            raise ParameterError(f"{at}: review_months {months} is out of range; a {level} "
                                 "customer is reviewed at least "
                                 + ("quarterly (1 to 3 months)" if level != "none"
                                    else "every 24 months (1 to 24)"))
        try:
            raw_fee = row["late_fee_daily_rate"]
            fee = Fraction(raw_fee) if isinstance(raw_fee, Fraction | int) else \
                Fraction(Decimal(str(raw_fee).strip() or "0"))
        except (InvalidOperation, ValueError):
            fee = Fraction(-1)
        if not 0 <= fee <= Fraction(1, 100):
            raise ParameterError(f"{at}: late_fee_daily_rate must be a daily rate from 0 to "
                                 "0.01 (0.0005 = 万分之五 a day); got "
                                 f"{row['late_fee_daily_rate']!r}")
        if i:
            _not_looser(out, at, level, mult, cap, period, prepay, approval)
        for col, v in zip((*POLICY_COLUMNS, "line"), (level, mult, cap, period, prepay, cbd,
                                                      approval, months, fee, line), strict=True):
            out[col].append(v)
    if len(out["restriction_level"]) != len(LEVELS):
        raise ParameterError(f"{where} has levels {out['restriction_level']}; it needs one "
                             f"line for each of {list(LEVELS)} (see {SHIPPED})")
    typed = pd.DataFrame(out)
    for col in ("limit_cap_minor", "credit_period_days", "approval_above_minor"):
        typed[col] = pd.array(typed[col].tolist(), dtype="Int64")
    return typed.astype({"review_months": "int64", "line": "int64",
                         "cash_before_delivery": bool})


def _not_looser(prev: dict[str, list], at: str, level: str, mult: Fraction, cap: int | None,
                period: int | None, prepay: Fraction, approval: int | None) -> None:
    """A more severe level may not be looser than the level before it."""
    def looser(new, old, higher_is_looser=True):
        if old is None:
            return False
        if new is None:
            return True
        return new > old if higher_is_looser else new < old
    checks = (("limit_multiplier", mult, True), ("limit_cap_minor", cap, True),
              ("credit_period_days", period, True), ("prepayment_share", prepay, False),
              ("approval_above_minor", approval, True))
    for col, value, higher in checks:
        if looser(value, prev[col][-1], higher):
            raise ParameterError(f"{at}: {col} of {level} is looser than that of "
                                 f"{prev['restriction_level'][-1]} ({prev[col][-1]}); a more "
                                 "severe level may only tighten: fix the value")


def _column(frame: pd.DataFrame, name: str, what: str) -> pd.Series:
    if name not in frame.columns:
        raise ParameterError(f"{what} has no column {name!r}; got {list(frame.columns)}")
    return frame[name]


def apply_restrictions(customers: pd.DataFrame, restricted: pd.DataFrame,
                       policy: pd.DataFrame | str | os.PathLike[str] | None = None, *,
                       limit_col: str = "limit_minor",
                       term_col: str | None = "term_days") -> pd.DataFrame:
    """Each customer's effective limit and terms under its level, and what set them.

    Parameters
    ----------
    customers : DataFrame
        ``customer_id`` and the limit the scoring policy gave
        (:func:`creditkit.scoring.apply_policy`'s ``limit_minor``, or the
        customers table's ``credit_limit_minor`` with ``limit_col=``), and
        optionally its credit period in days (``term_col``).
    restricted : DataFrame
        :func:`~creditkit.restricted.restricted_customers` (``customer_id``,
        ``restriction_level``, optionally ``rule_ids``); a customer not in it is ``none``.
    policy : DataFrame or path, optional
        The restriction policy (default: the shipped one).
    limit_col, term_col : str
        Columns of ``customers``; ``term_col=None`` when there is none.

    Returns
    -------
    DataFrame
        In the order of ``customers``: ``customer_id``, ``restriction_level``,
        ``rule_ids``, ``base_limit_minor``, ``effective_limit_minor`` (Int64:
        ``min(base, floor(base × multiplier), cap)``, missing when the base is
        unknown and the level does not set it to 0), ``limit_set_by``
        (``scoring_policy``, ``level_multiplier``, ``level_cap``,
        ``cash_before_delivery``, ``unknown_base``), ``base_term_days``,
        ``credit_period_days`` (the shorter of the two), ``terms_set_by``,
        ``prepayment_share`` (float), ``cash_before_delivery``,
        ``approval_above_minor``, ``review_months``.

    Raises
    ------
    ParameterError
        Missing columns, repeated customers, a negative or non-integer limit,
        an unknown level.

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "c"], "limit_minor": [1_000_001, 500_000,
    ...                   50_000_000], "term_days": [60, 60, 10]})
    >>> r = pd.DataFrame({"customer_id": ["a", "c"], "restriction_level": ["watch", "restricted"]})
    >>> out = apply_restrictions(c, r)
    >>> cols = ["restriction_level", "effective_limit_minor", "limit_set_by", "credit_period_days"]
    >>> for row in out[cols].values.tolist():
    ...     print(row)
    ['watch', 800000, 'level_multiplier', 30]
    ['none', 500000, 'scoring_policy', 60]
    ['restricted', 10000000, 'level_cap', 10]
    """
    pol = load_restriction_policy(policy) if policy is None or isinstance(
        policy, str | os.PathLike) else check_restriction_policy(policy)
    if not isinstance(customers, pd.DataFrame) or not isinstance(restricted, pd.DataFrame):
        raise ParameterError("customers and restricted must be DataFrames (customer_id and the "
                             "limit; restricted_customers' result)")
    ids = _column(customers, "customer_id", "customers")
    if ids.duplicated().any():
        raise ParameterError(f"customers repeat {ids[ids.duplicated()].tolist()[:5]}; one row "
                             "per customer")
    base = _column(customers, limit_col, "customers (pass limit_col=)")
    if not (pd.api.types.is_integer_dtype(base) or base.isna().all()):
        raise ParameterError(f"{limit_col} must be integer minor units; got {base.dtype}; "
                             "convert with creditkit.money.parse_amounts")
    base = base.astype("Int64")
    if (base < 0).any():
        raise ParameterError(f"{limit_col} holds negative limits; a limit is 0 or more")
    _column(restricted, "restriction_level", "restricted")
    r_rank = level_rank(restricted["restriction_level"])
    rst = restricted[r_rank > 0]
    rid = _column(rst, "customer_id", "restricted")
    if rid.duplicated().any():
        raise ParameterError("restricted repeats customers; pass one evaluation's result")
    pos = pd.Index(rid).get_indexer(ids)  # one lookup; no frame reindexed
    found = pos >= 0
    rank = np.where(found, r_rank[r_rank > 0][np.maximum(pos, 0)] if len(rst) else 0, 0)
    known = base.notna().to_numpy()
    b = base.to_numpy(dtype="int64", na_value=0)
    scaled = np.zeros(len(b), dtype="int64")
    for i, f in enumerate(pol["limit_multiplier"]):  # per level: exact, rounded down
        at = rank == i
        if f.denominator * max(f.numerator, 1) < 2**62:  # b·n//d without overflow
            q, r = np.divmod(b[at], f.denominator)
            scaled[at] = q * f.numerator + r * f.numerator // f.denominator
        else:
            scaled[at] = np.asarray(b[at].astype(object) * f.numerator // f.denominator,
                                    dtype="int64")

    def per_level(values, dtype, missing):
        return np.array([missing if pd.isna(v) else v for v in values], dtype=dtype)[rank]

    num = per_level([f.numerator for f in pol["limit_multiplier"]], "int64", 0)
    big = np.iinfo("int64").max
    cap = per_level(pol["limit_cap_minor"].tolist(), "int64", big)
    cbd = per_level(pol["cash_before_delivery"].tolist(), bool, False)
    effective = np.where(cbd, 0, np.minimum(np.minimum(b, scaled), cap))
    by = np.select([cbd, ~known, cap < np.minimum(b, scaled), scaled < b],
                   [4, 3, 2, 1], 0)  # codes of LIMIT_SET_BY
    zero = cbd | (num == 0) | (cap == 0)
    eff = pd.array(effective, dtype="Int64")
    eff[~(known | zero)] = pd.NA
    out = pd.DataFrame({"customer_id": ids.reset_index(drop=True),
                        "restriction_level": pd.Categorical.from_codes(rank, list(LEVELS))})
    if "rule_ids" in rst.columns:
        cat = pd.Categorical(rst["rule_ids"].fillna("").astype(str))
        if "" not in cat.categories:
            cat = cat.add_categories([""])
        blank = list(cat.categories).index("")
        out["rule_ids"] = pd.Categorical.from_codes(
            np.where(found, cat.codes[np.maximum(pos, 0)] if len(rst) else blank, blank),
            cat.categories)
    else:
        out["rule_ids"] = pd.Categorical.from_codes(np.zeros(len(out), dtype="int8"), [""])
    out["base_limit_minor"] = base.reset_index(drop=True)
    out["effective_limit_minor"] = eff
    out["limit_set_by"] = pd.Categorical.from_codes(by, list(LIMIT_SET_BY))
    bterm = customers[term_col].astype("Int64") if term_col is not None and \
        term_col in customers.columns else pd.Series(pd.NA, index=customers.index, dtype="Int64")
    bt = bterm.to_numpy(dtype="float64", na_value=np.nan)
    pt = per_level(pol["credit_period_days"].tolist(), "float64", np.nan)
    term = np.fmin(bt, pt)
    out["base_term_days"] = bterm.reset_index(drop=True)
    out["credit_period_days"] = pd.array(np.where(np.isnan(term), pd.NA, term), dtype="Int64") \
        if np.isnan(term).any() else term.astype("int64")
    out["terms_set_by"] = pd.Categorical.from_codes(
        (~np.isnan(pt) & ((pt < bt) | np.isnan(bt))).astype("int8"),
        ["scoring_policy", "level_terms"])
    share = per_level([float(f) for f in pol["prepayment_share"]], "float64", 0.0)
    out["prepayment_share"] = np.where(cbd, 1.0, share)
    out["cash_before_delivery"] = cbd
    out["approval_above_minor"] = pd.array(pol["approval_above_minor"].to_numpy()[rank],
                                           dtype="Int64")
    out["review_months"] = pol["review_months"].to_numpy(dtype="int64")[rank]
    return out
