"""Limits and terms (额度 / 期限) from a score and a policy table.

A policy is a table with one row per customer kind and grade (score band):

=====================  ==========================================================
column                 meaning
=====================  ==========================================================
``kind``               ``consumer`` or ``business``
``grade``              band name (A, B, …)
``min_score``          lowest score of the grade (inclusive); a grade runs up to
                       the next ``min_score`` of the same kind; ``-inf`` allowed
``limit_basis``        ``income`` (monthly income), ``purchases`` (average monthly
                       purchases), ``sales`` (B2B average monthly sales) or ``none``
``multiple``           exact decimal string: consumer limit = basis × multiple;
                       B2B limit = sales × credit_period_days / 30 × multiple
                       (the risk coefficient of the grade)
``credit_period_days`` B2B credit period (days)
``cap_minor``          highest limit in minor units
``term_months``        consumer instalment term; ``term_days`` B2B payment term
``prepayment``         true: no credit, sell on prepayment (B2B grade C)
``restricted``         true: decline (限制类)
=====================  ==========================================================

Money stays integer: the basis is an int64 amount in minor units and the
multiple an exact fraction (``Fraction("0.7") = 7/10``), so a limit is
``basis × numerator // denominator`` in integer arithmetic — rounded *down*
to the minor unit (a policy never grants more than it says), then down to
``step_minor`` and capped at ``cap_minor``. No float touches money.

External ratings enter two ways: as an ordinal feature for the scorecard
(:func:`rating_to_ordinal`) or as an override here (``min_rating``: a rating
worse than it declines the application whatever the score).

The default policy ships as ``creditkit/scoring/data/limit_policy.csv``
(:func:`load_policy`, in :mod:`creditkit.scoring.policy_file` with the checks of a
policy file): an example to copy and adapt, not a recommendation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditkit.checks import check_target
from creditkit.deprecation import renamed_keywords
from creditkit.exceptions import ParameterError
from creditkit.scoring._order import true_and_score
from creditkit.scoring.policy_file import check_policy, load_policy

__all__ = [
    "RATING_SCALE",
    "apply_policy",
    "assign_grades",
    "check_policy",
    "grade_table",
    "load_policy",
    "rating_to_ordinal",
]

RATING_SCALE: tuple[str, ...] = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C")

def rating_to_ordinal(ratings, scale: Sequence[str] = RATING_SCALE) -> pd.Series:
    """Map external ratings to an ordinal (best = 1); unknown or missing → <NA>.

    Examples
    --------
    >>> rating_to_ordinal(pd.Series(["AAA", "bb", None, "X"])).tolist()
    [1, 5, <NA>, <NA>]
    """
    s = pd.Series(ratings)
    codes = {r.upper(): i + 1 for i, r in enumerate(scale)}
    return s.astype("string").str.strip().str.upper().map(codes).astype("Int64")


def _policy_rows(s: np.ndarray, kind: pd.Series, pol: pd.DataFrame) -> np.ndarray:
    row = np.full(len(s), -1, dtype="int64")
    for k, grp in pol.groupby("kind"):  # one pass per customer kind, vectorised within
        mins = grp["min_score"].to_numpy()[::-1]  # ascending
        pos = np.searchsorted(mins, s, side="right") - 1
        rows = grp.index.to_numpy()[::-1]
        hit = (kind == k).to_numpy(dtype=bool)
        row[hit] = np.where(pos[hit] >= 0, rows[np.maximum(pos[hit], 0)], -1)
    if (row < 0).any():
        raise ParameterError(f"scores {s[row < 0][:3].tolist()} are below every grade's min_score;"
                             " give the worst grade min_score -inf")
    return row


def assign_grades(scores, kind: str = "consumer", policy: pd.DataFrame | None = None) -> pd.Series:
    """The policy grade of each score for one customer kind.

    Examples
    --------
    >>> assign_grades([650, 605, 100]).tolist()
    ['A', 'B', 'E']
    """
    pol = load_policy() if policy is None else check_policy(policy)
    if kind not in set(pol["kind"]):
        raise ParameterError(f"kind {kind!r} has no rows in the policy; it covers "
                             f"{sorted(set(pol['kind']))}")
    s = np.asarray(scores, dtype="float64")
    row = _policy_rows(s, pd.Series([kind] * len(s), dtype="string"), pol)
    return pd.Series(pol["grade"].to_numpy()[row], name="grade")


@renamed_keywords(y="y_true", scores="y_score")
def grade_table(y_true, y_score, kind: str = "consumer",
                policy: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count, share and bad rate per policy grade (best grade first).

    Parameters
    ----------
    y_true : array-like of 0/1
        Outcome, 1 = bad.
    y_score : array-like of float
        Scores (points).
    kind : str, default "consumer"
        The customer kind whose grades are used.
    policy : DataFrame, optional
        Policy table (default :func:`load_policy`).

    Returns
    -------
    DataFrame
        ``grade``, ``count``, ``share``, ``bads``, ``bad_rate``.

    Notes
    -----
    The order is scikit-learn's ``(y_true, y_score)``. The old order
    ``(scores, y)`` works for one release with a ``FutureWarning``: when the first
    argument is not a 0/1 target and the second is, the two are swapped.

    Examples
    --------
    >>> t = grade_table([0, 0, 1, 0], [650, 605, 100, 90])
    >>> t[["grade", "count", "bad_rate"]].values.tolist()
    [['A', 1, 0.0], ['B', 1, 0.0], ['E', 2, 0.5]]
    """
    y_true, y_score = true_and_score(y_true, y_score, who="grade_table")
    pol = load_policy() if policy is None else check_policy(policy)
    grades = assign_grades(y_score, kind, pol)
    order = pol.loc[pol["kind"] == kind, "grade"].tolist()
    y_arr = check_target(y_true, len(grades), name="y_true").astype("int64")
    tab = pd.DataFrame({"grade": grades, "bad": y_arr}).groupby("grade").agg(
        count=("bad", "size"), bads=("bad", "sum"))
    tab = tab.reindex([g for g in order if g in tab.index]).reset_index()
    tab["share"] = tab["count"] / len(y_arr)
    tab["bad_rate"] = tab["bads"] / tab["count"]
    return tab[["grade", "count", "share", "bads", "bad_rate"]]


def _col(frame: pd.DataFrame, name: str | None, what: str, fix: str) -> pd.Series | None:
    if name is None:
        return None
    if name not in frame.columns:
        raise ParameterError(f"column {name!r} ({what}) not in applicants; got "
                             f"{list(frame.columns)}; {fix}")
    return frame[name]


def apply_policy(
    applicants: pd.DataFrame,
    policy: pd.DataFrame | None = None,
    *,
    score_col: str = "score",
    kind_col: str = "kind",
    income_col: str | None = "monthly_income_minor",
    purchases_col: str | None = "avg_monthly_purchases_minor",
    sales_col: str | None = "avg_monthly_sales_minor",
    rating_col: str | None = None,
    min_rating: str = "B",
    rating_scale: Sequence[str] = RATING_SCALE,
    bureau_col: str | None = None,
    min_bureau_score: float | None = None,
    step_minor: int = 1,
) -> pd.DataFrame:
    """Grade, limit, term and decision per applicant, with the reason for each decision.

    The steps, each a small function below: check the scores and kinds; find
    each applicant's policy row (grade); take the limit basis its grade names;
    compute the limit exactly (multiple of the basis, rounded down to
    ``step_minor``, capped); decide by grade (decline, prepayment, approve, or
    refer when the basis is missing); then decline a rating or bureau score
    below its floor. Only an approval keeps a limit.

    Parameters
    ----------
    applicants : DataFrame
        One row per applicant with a score, a kind (consumer / business) and the
        amounts (int minor units) the policy's bases need.
    policy : DataFrame, optional
        Policy table (default :func:`load_policy`).
    score_col, kind_col, income_col, purchases_col, sales_col : str
        Column names; a basis column may be None when no grade uses it.
    rating_col : str, optional
        External rating column; a rating worse than ``min_rating`` declines.
    min_rating : str
        Worst acceptable rating on ``rating_scale``.
    bureau_col, min_bureau_score : optional
        A bureau score column and the lowest acceptable score: below it the
        application is declined (a missing bureau score does not decline).
    step_minor : int
        Limits are rounded down to a multiple of this (e.g. 10000 = 100 yuan).

    Returns
    -------
    DataFrame
        Indexed like ``applicants``: ``grade``, ``decision`` (approve /
        prepayment / decline / refer), ``reason``, ``limit_minor`` (Int64),
        ``term_months``, ``term_days``.

    Raises
    ------
    ParameterError
        Missing columns, unknown kinds, missing scores, non-integer amounts,
        an unknown ``min_rating`` or a bad ``step_minor``.

    Examples
    --------
    >>> apps = pd.DataFrame({"score": [650, 580, 500], "kind": ["consumer"] * 3,
    ...                      "monthly_income_minor": [1_000_000, 800_000, 900_000]})
    >>> apply_policy(apps)[["grade", "decision", "limit_minor"]].values.tolist()
    [['A', 'approve', 3000000], ['C', 'approve', 800000], ['E', 'decline', 0]]
    """
    pol = load_policy() if policy is None else check_policy(policy)
    if not isinstance(step_minor, int | np.integer) or step_minor < 1:
        raise ParameterError(f"step_minor must be a positive integer; got {step_minor!r}")
    score, kind = _scores_and_kinds(applicants, pol, score_col, kind_col)
    p = pol.iloc[_policy_rows(score, kind, pol)].reset_index(drop=True)
    basis, has_basis = _limit_basis(applicants, p, {"income": income_col,
                                                   "purchases": purchases_col,
                                                   "sales": sales_col})
    raw, cap = _policy_amount(basis, p)
    limit = np.minimum(raw - raw % step_minor, cap)
    decision, reason = _grade_decision(p, raw > cap, has_basis)
    if rating_col is not None:
        worse = _rating_below_floor(applicants, rating_col, min_rating, rating_scale)
        decision, reason = _overrule(decision, reason, worse, "rating_below_floor")
    if bureau_col is not None:
        low = _bureau_below_floor(applicants, bureau_col, min_bureau_score)
        decision, reason = _overrule(decision, reason, low, "bureau_below_floor")
    limit = np.where(decision == "approve", limit, 0)  # no limit unless approved
    return pd.DataFrame(
        {"grade": p["grade"].to_numpy(), "decision": decision, "reason": reason,
         "limit_minor": pd.array(limit, dtype="Int64"),
         "term_months": p["term_months"].to_numpy(), "term_days": p["term_days"].to_numpy()},
        index=applicants.index,
    )


# --- the steps of apply_policy, in order ------------------------------------------------
def _scores_and_kinds(applicants: pd.DataFrame, pol: pd.DataFrame, score_col: str,
                      kind_col: str) -> tuple[np.ndarray, pd.Series]:
    """Step 1: the score and customer kind of each applicant; every one scored, every kind known."""
    score = _col(applicants, score_col, "score", "pass score_col=")
    kind = _col(applicants, kind_col, "customer kind", "pass kind_col=").astype("string")
    if score.isna().any():
        raise ParameterError(f"{int(score.isna().sum())} applicant(s) have no score; score them "
                             "first (card.predict_points)")
    unknown = sorted(set(kind.dropna().unique()) - set(pol["kind"]))
    if unknown or kind.isna().any():
        raise ParameterError(f"kinds {unknown or ['<NA>']} have no rows in the policy; it covers "
                             f"{sorted(set(pol['kind']))}; fix the kind column or the policy")
    return score.to_numpy(dtype="float64"), kind


def _limit_basis(applicants: pd.DataFrame, p: pd.DataFrame,
                 columns: dict[str, str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Step 2: the amount (int64 minor units) each limit is a multiple of, and whether it is known.

    Each applicant's grade names its basis (income, purchases or sales); a
    basis that no grade uses need not be a column. ``"none"`` has basis 0.
    """
    basis = np.zeros(len(p), dtype="int64")
    known = np.ones(len(p), dtype=bool)
    for name, col in columns.items():
        use = (p["limit_basis"] == name).to_numpy(dtype=bool)
        if not use.any():
            continue
        values = _col(applicants, col, f"{name} basis", f"pass {name}_col=")
        if values is None:
            raise ParameterError(f"the policy uses the {name} basis but {name}_col is None")
        if not (pd.api.types.is_integer_dtype(values) or values.isna().all()):
            raise ParameterError(f"{col} must be integer minor units; got dtype {values.dtype}; "
                                 "convert with creditkit.money.parse_amounts")
        v = values.astype("Int64").to_numpy(dtype="int64", na_value=-1)
        basis[use] = np.maximum(v[use], 0)
        known[use] = v[use] >= 0
    return basis, known


def _policy_amount(basis: np.ndarray, p: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Step 3: the policy's limit before rounding, exactly, and the grade's cap.

    ``basis × multiple`` (the multiple an exact fraction ``num / den``); on the
    sales basis, ``× credit_period_days / 30`` (a month of sales per 30 days of
    credit). Integer product, then floor division: no float touches money.
    """
    num = p["multiple_num"].to_numpy(dtype="int64")
    den = p["multiple_den"].to_numpy(dtype="int64")
    sales = (p["limit_basis"] == "sales").to_numpy(dtype=bool)
    period = p["credit_period_days"].fillna(0).to_numpy(dtype="int64")
    num = np.where(sales, num * period, num)
    den = np.where(sales, den * 30, den)
    cap = p["cap_minor"].fillna(np.iinfo("int64").max).to_numpy(dtype="int64")
    return basis * num // den, cap


def _grade_decision(p: pd.DataFrame, capped: np.ndarray,
                    has_basis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Step 4: the decision the grade alone gives, and why.

    A restricted grade declines, a prepayment grade asks for prepayment, any
    other grade approves (its limit by policy, or capped); an approval whose
    basis amount is missing is referred to a person.
    """
    restricted = p["restricted"].to_numpy(dtype=bool)
    prepay = p["prepayment"].to_numpy(dtype=bool)
    decision = np.where(restricted, "decline", np.where(prepay, "prepayment", "approve"))
    reason = np.where(restricted, "restricted_grade",
                      np.where(prepay, "prepayment_grade",
                               np.where(capped, "limit_capped", "limit_by_policy")))
    no_basis = ~has_basis & ~restricted & ~prepay
    return _overrule(decision, reason, no_basis, "missing_basis", to="refer")


def _rating_below_floor(applicants: pd.DataFrame, rating_col: str, min_rating: str,
                        rating_scale: Sequence[str]) -> np.ndarray:
    """Step 5: whether the external rating is worse than ``min_rating`` (missing: not worse)."""
    scale = [r.upper() for r in rating_scale]
    if str(min_rating).upper() not in scale:
        raise ParameterError(f"min_rating {min_rating!r} is not on the scale {list(scale)}")
    ordinal = rating_to_ordinal(_col(applicants, rating_col, "external rating",
                                     "pass rating_col="), scale)
    worse = (ordinal > scale.index(str(min_rating).upper()) + 1).fillna(False)
    return worse.to_numpy(dtype=bool)


def _bureau_below_floor(applicants: pd.DataFrame, bureau_col: str,
                        min_bureau_score: float | None) -> np.ndarray:
    """Step 6: whether the bureau score is below ``min_bureau_score`` (missing: not below)."""
    if min_bureau_score is None:
        raise ParameterError("bureau_col needs min_bureau_score=, the lowest acceptable score")
    bureau = pd.to_numeric(_col(applicants, bureau_col, "bureau score", "pass bureau_col="),
                           errors="coerce")
    return (bureau < float(min_bureau_score)).fillna(False).to_numpy(dtype=bool)


def _overrule(decision: np.ndarray, reason: np.ndarray, where: np.ndarray, why: str,
              *, to: str = "decline") -> tuple[np.ndarray, np.ndarray]:
    """Set the decision ``to`` (default decline) with reason ``why`` where ``where`` holds."""
    return np.where(where, to, decision), np.where(where, why, reason)
