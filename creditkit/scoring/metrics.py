"""Validation metrics for scorecards: discrimination, bands, calibration, stability.

Conventions used throughout this module:

* Every function takes ``(y_true, y_score)`` in that order, as ``sklearn.metrics``
  does (see :func:`score_bands` for the old order that still works for one release).
* ``y_true`` is the outcome with **1 = bad** (default, the event) and 0 = good.
* ``y_score`` is a scorecard score where a **higher score means lower risk**
  (points). Pass ``higher_is_bad=True`` when the score is a probability of
  default or any other number that grows with risk.

Formulas (see Siddiqi, *Credit Risk Scorecards*, 2006, ch. 7 and Thomas,
Edelman & Crook, *Credit Scoring and its Applications*, 2002, ch. 7):

* AUC = P(score of a random good > score of a random bad) + ½ P(tie)
  (the Mann-Whitney statistic; equals scikit-learn's ``roc_auc_score`` on
  ``1 - y``); Gini (accuracy ratio) = 2·AUC − 1.
* KS = max over cut-offs c of \\|F_bad(c) − F_good(c)\\|, F the empirical
  cumulative distribution of the score within each class.

Population stability (PSI, CSI) is in :mod:`creditkit.scoring.stability`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from creditkit.checks import check_target
from creditkit.deprecation import renamed_keywords
from creditkit.exceptions import ParameterError
from creditkit.scoring._order import true_and_score

__all__ = [
    "auc",
    "calibration_table",
    "cutoff_table",
    "gini",
    "ks",
    "ks_table",
    "roc_table",
    "score_bands",
]



# --- input checks -----------------------------------------------------------
def _target_and_risk(y_true, y_score, *, higher_is_bad: bool = False
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(y_true as int8 0/1 by the shared check, score as float64 oriented higher = riskier)."""
    y_int = check_target(y_true, name="y_true", both_classes=True)
    s_arr = np.asarray(y_score, dtype="float64")
    if s_arr.shape != y_int.shape:
        raise ParameterError(
            f"y_true and y_score must be 1-d and of the same length; got shapes {y_int.shape} "
            f"and {s_arr.shape}; pass one outcome and one score per applicant")
    if np.isnan(s_arr).any():
        raise ParameterError(
            f"y_score has {int(np.isnan(s_arr).sum())} missing value(s); score every applicant "
            "or drop those rows"
        )
    return y_int, (s_arr if higher_is_bad else -s_arr)


# --- discrimination ---------------------------------------------------------
@renamed_keywords(y="y_true", score="y_score")
def auc(y_true, y_score, *, higher_is_bad: bool = False) -> float:
    """Area under the ROC curve of a score that separates goods from bads.

    AUC = P(good scores above bad) + ½ P(tie), computed from ranks (Mann-Whitney).

    Parameters
    ----------
    y_true : array-like of 0/1
        Outcome, 1 = bad.
    y_score : array-like of float
        Score, higher = lower risk (points); see ``higher_is_bad``.
    higher_is_bad : bool, default False
        Set True for a probability of default or another risk-ordered number.

    Returns
    -------
    float
        In [0, 1]; 0.5 is no better than chance.

    Raises
    ------
    ParameterError
        If ``y_true`` is not 0/1 with both classes, lengths differ or the score has NaN.

    Examples
    --------
    >>> auc([1, 1, 0, 0], [500, 560, 540, 600])
    0.75
    """
    y_int, risk = _target_and_risk(y_true, y_score, higher_is_bad=higher_is_bad)
    ranks = pd.Series(risk).rank(method="average").to_numpy()
    n_bad = int(y_int.sum())
    n_good = len(y_int) - n_bad
    u = ranks[y_int == 1].sum() - n_bad * (n_bad + 1) / 2.0
    return float(u / (n_bad * n_good))


@renamed_keywords(y="y_true", score="y_score")
def gini(y_true, y_score, *, higher_is_bad: bool = False) -> float:
    """Gini coefficient (accuracy ratio) = 2·AUC − 1.

    Examples
    --------
    >>> gini([1, 1, 0, 0], [500, 560, 540, 600])
    0.5
    """
    return 2.0 * auc(y_true, y_score, higher_is_bad=higher_is_bad) - 1.0


@renamed_keywords(y="y_true", score="y_score")
def ks_table(y_true, y_score, *, higher_is_bad: bool = False) -> pd.DataFrame:
    """Cumulative shares of bads and goods at each distinct score, riskiest first.

    Returns
    -------
    DataFrame
        Columns ``score``, ``cum_bad_share``, ``cum_good_share``, ``ks`` (their
        absolute difference), one row per distinct score, riskiest score first.

    Examples
    --------
    >>> float(ks_table([1, 0, 1, 0], [500, 600, 550, 650])["ks"].max())
    1.0
    """
    y_int, risk = _target_and_risk(y_true, y_score, higher_is_bad=higher_is_bad)
    frame = pd.DataFrame({"risk": risk, "bad": y_int, "good": 1 - y_int})
    grouped = frame.groupby("risk", sort=True)[["bad", "good"]].sum().iloc[::-1]
    cum_bad = grouped["bad"].cumsum() / y_int.sum()
    cum_good = grouped["good"].cumsum() / (len(y_int) - y_int.sum())
    shown = grouped.index.to_numpy() if higher_is_bad else -grouped.index.to_numpy()
    return pd.DataFrame(
        {
            "score": shown,
            "cum_bad_share": cum_bad.to_numpy(),
            "cum_good_share": cum_good.to_numpy(),
            "ks": (cum_bad - cum_good).abs().to_numpy(),
        }
    )


@renamed_keywords(y="y_true", score="y_score")
def ks(y_true, y_score, *, higher_is_bad: bool = False) -> float:
    """Kolmogorov-Smirnov statistic: max |F_bad − F_good| over cut-offs.

    Examples
    --------
    >>> ks([1, 1, 0, 0], [500, 560, 540, 600])
    0.5
    """
    return float(ks_table(y_true, y_score, higher_is_bad=higher_is_bad)["ks"].max())


@renamed_keywords(y="y_true", score="y_score")
def roc_table(y_true, y_score, *, higher_is_bad: bool = False) -> pd.DataFrame:
    """Points of the ROC curve: false-positive and true-positive rates per cut-off.

    "Positive" is a predicted bad; the curve starts at (0, 0).

    Examples
    --------
    >>> roc_table([1, 0], [500, 600])[["fpr", "tpr"]].values.tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    """
    tab = ks_table(y_true, y_score, higher_is_bad=higher_is_bad)
    start = pd.DataFrame({"score": [np.nan], "cum_bad_share": [0.0], "cum_good_share": [0.0]})
    tab = pd.concat([start, tab[["score", "cum_bad_share", "cum_good_share"]]], ignore_index=True)
    return tab.rename(columns={"cum_good_share": "fpr", "cum_bad_share": "tpr"})[
        ["score", "fpr", "tpr"]
    ]


# --- bands and calibration ----------------------------------------------------
def band_edges(score: np.ndarray, bands: int | Sequence[float]) -> np.ndarray:
    """Inner edges of score bands: ``bands`` equal-count bands (quantiles) or the edges given.

    Parameters
    ----------
    score : numpy.ndarray
        The scores the quantiles are taken of (no missing values).
    bands : int or sequence of float
        Number of bands, or the inner edges (strictly increasing).

    Returns
    -------
    numpy.ndarray
        Inner edges; band ``i`` is ``[edges[i-1], edges[i])``.

    Raises
    ------
    ParameterError
        ``bands`` below 1 or edges not strictly increasing.

    Examples
    --------
    >>> band_edges(np.array([1.0, 2.0, 3.0, 4.0]), 2).tolist()
    [2.5]
    """
    if isinstance(bands, int | np.integer):
        if bands < 1:
            raise ParameterError(f"bands must be >= 1 or a list of edges; got {bands}")
        edges = np.unique(np.quantile(score, np.linspace(0, 1, int(bands) + 1)[1:-1]))
    else:
        edges = np.asarray(list(bands), dtype="float64")
        if edges.ndim != 1 or not np.all(np.diff(edges) > 0):
            raise ParameterError(
                f"band edges must be strictly increasing numbers; got {list(bands)}; sort them "
                "and drop duplicates"
            )
    return edges


@renamed_keywords(y="y_true", score="y_score", bins="bands")
def score_bands(
    y_true, y_score, *, bands: int | Sequence[float] = 10, higher_is_bad: bool = False
) -> pd.DataFrame:
    """Score-band table: count, bad rate, cumulative bad share and lift per band.

    Bands are half-open ``[lo, hi)`` intervals of the score: ``bands`` equal-count
    bands (quantiles) or explicit inner edges. Rows are ordered riskiest first
    (lowest points first), so the cumulative columns read "if we reject up to here".

    Parameters
    ----------
    y_true : array-like of 0/1
        Outcome, 1 = bad.
    y_score : array-like
        Points (higher = lower risk) or, with ``higher_is_bad``, a PD.
    bands : int or sequence of float, default 10
        Number of quantile bands or the inner band edges.
    higher_is_bad : bool, default False
        The score grows with risk.

    Returns
    -------
    DataFrame
        ``band``, ``min_score``, ``max_score``, ``count``, ``share``, ``bads``,
        ``bad_rate``, ``cum_count_share``, ``cum_bad_share``, ``lift`` (band bad
        rate / overall bad rate), ``cum_lift``.

    Raises
    ------
    ParameterError
        Bad ``y_true``/``y_score`` or band edges not increasing.

    Notes
    -----
    Until creditkit 0.2 the order was ``(y_score, y_true)``. It still works for
    one release with a ``FutureWarning``: when the first argument is not a 0/1
    target and the second is, the two are swapped.

    Examples
    --------
    >>> t = score_bands([1, 1, 0, 0], [500, 520, 600, 640], bands=2)
    >>> t[["count", "bads", "lift"]].values.tolist()
    [[2.0, 2.0, 2.0], [2.0, 0.0, 0.0]]
    """
    y_true, y_score = true_and_score(y_true, y_score, who="score_bands")
    y_int, risk = _target_and_risk(y_true, y_score, higher_is_bad=higher_is_bad)
    raw = risk if higher_is_bad else -risk
    edges = band_edges(raw, bands)
    band = np.searchsorted(edges, raw, side="right")
    frame = pd.DataFrame({"band": band, "score": raw, "bad": y_int})
    tab = frame.groupby("band").agg(
        min_score=("score", "min"), max_score=("score", "max"),
        count=("bad", "size"), bads=("bad", "sum"),
    )
    tab = tab.astype({"count": "float64", "bads": "float64"})
    if higher_is_bad:
        tab = tab.iloc[::-1]
    lo = np.concatenate([[-np.inf], edges])[tab.index.to_numpy()]
    hi = np.concatenate([edges, [np.inf]])[tab.index.to_numpy()]
    tab.index = [f"[{a:g}, {b:g})" for a, b in zip(lo, hi, strict=True)]
    tab.index.name = "band"
    total, total_bad = float(len(y_int)), float(y_int.sum())
    overall = total_bad / total
    tab["share"] = tab["count"] / total
    tab["bad_rate"] = tab["bads"] / tab["count"]
    tab["cum_count_share"] = tab["count"].cumsum() / total
    tab["cum_bad_share"] = tab["bads"].cumsum() / total_bad
    tab["lift"] = tab["bad_rate"] / overall
    tab["cum_lift"] = (tab["bads"].cumsum() / tab["count"].cumsum()) / overall
    cols = ["min_score", "max_score", "count", "share", "bads", "bad_rate",
            "cum_count_share", "cum_bad_share", "lift", "cum_lift"]
    return tab[cols].reset_index()


@renamed_keywords(y="y_true", score="y_score", bins="bands")
def calibration_table(
    y_true, y_score, pd_pred, *, bands: int | Sequence[float] = 10, higher_is_bad: bool = False
) -> pd.DataFrame:
    """Predicted against observed bad rate per score band.

    Parameters
    ----------
    y_true : array-like of 0/1
        Outcome, 1 = bad.
    y_score : array-like
        What the bands are cut on (points by default).
    pd_pred : array-like of float in [0, 1]
        The model's probability of bad for each applicant.
    bands, higher_is_bad
        As in :func:`score_bands`.

    Returns
    -------
    DataFrame
        ``band``, ``count``, ``bads``, ``observed_bad_rate``, ``predicted_bad_rate``
        (mean PD) and ``difference`` (observed − predicted).

    Notes
    -----
    The old order ``(y_score, y_true, pd_pred)`` works for one release, as in
    :func:`score_bands`.

    Examples
    --------
    >>> t = calibration_table([1, 0, 0, 0], [500, 520, 600, 640], [0.6, 0.4, 0.1, 0.1], bands=2)
    >>> t[["observed_bad_rate", "predicted_bad_rate"]].round(2).values.tolist()
    [[0.5, 0.5], [0.0, 0.1]]
    """
    y_true, y_score = true_and_score(y_true, y_score, who="calibration_table")
    y_int, risk = _target_and_risk(y_true, y_score, higher_is_bad=higher_is_bad)
    p = np.asarray(pd_pred, dtype="float64")
    if p.shape != y_int.shape or np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ParameterError(
            f"pd_pred must be one probability in [0, 1] per applicant; got shape {p.shape} "
            f"for {len(y_int)} applicants; pass card.predict_proba(X)[:, 1]"
        )
    raw = risk if higher_is_bad else -risk
    edges = band_edges(raw, bands)
    band = np.searchsorted(edges, raw, side="right")
    frame = pd.DataFrame({"band": band, "bad": y_int, "p": p})
    tab = frame.groupby("band").agg(
        count=("bad", "size"), bads=("bad", "sum"), predicted=("p", "mean")
    )
    if higher_is_bad:
        tab = tab.iloc[::-1]
    lo = np.concatenate([[-np.inf], edges])[tab.index.to_numpy()]
    hi = np.concatenate([edges, [np.inf]])[tab.index.to_numpy()]
    out = pd.DataFrame(
        {
            "band": [f"[{a:g}, {b:g})" for a, b in zip(lo, hi, strict=True)],
            "count": tab["count"].to_numpy(),
            "bads": tab["bads"].to_numpy(),
            "observed_bad_rate": (tab["bads"] / tab["count"]).to_numpy(),
            "predicted_bad_rate": tab["predicted"].to_numpy(),
        }
    )
    out["difference"] = out["observed_bad_rate"] - out["predicted_bad_rate"]
    return out


# --- cut-offs -----------------------------------------------------------------
@renamed_keywords(y="y_true", score="y_score")
def cutoff_table(
    y_true,
    y_score,
    *,
    cutoffs: Sequence[float] | None = None,
    exposure_minor=None,
    lgd: str | Fraction = "0.45",
) -> pd.DataFrame:
    """Approval rate, bad rate and expected loss if applicants below each cut-off are declined.

    An applicant is approved when ``score >= cutoff``. Expected loss is the
    exposure of the approved bads times the loss given default:
    ``EL = Σ_{approved bads} exposure_minor × lgd``, computed in integer minor
    units (``lgd`` is an exact fraction given as a string such as ``"0.45"``;
    the product is rounded half-to-even once per row, never through a float).

    Parameters
    ----------
    y_true : array-like of 0/1
        Outcome, 1 = bad.
    y_score : array-like
        Points, higher = lower risk.
    cutoffs : sequence of float, optional
        Cut-offs to tabulate; default 20 quantiles of the score.
    exposure_minor : int or array-like of int, optional
        Exposure at default per applicant in minor units (a scalar applies to
        everyone); default 1 (so EL counts bads × LGD).
    lgd : str or Fraction, default "0.45"
        Loss given default in [0, 1].

    Returns
    -------
    DataFrame
        ``cutoff``, ``approved``, ``approval_rate``, ``approved_bads``,
        ``bad_rate`` (among approved), ``rejected_bads``, ``expected_loss_minor``
        (Int64).

    Raises
    ------
    ParameterError
        Bad ``y_true``/``y_score``, non-integer exposure or an LGD outside [0, 1].

    Notes
    -----
    The old order ``(y_score, y_true)`` works for one release, as in
    :func:`score_bands`.

    Examples
    --------
    >>> t = cutoff_table([1, 0, 1, 0], [500, 550, 600, 650], cutoffs=[550],
    ...                  exposure_minor=10000, lgd="0.5")
    >>> t[["approved", "approved_bads", "expected_loss_minor"]].values.tolist()
    [[3, 1, 5000]]
    """
    y_true, y_score = true_and_score(y_true, y_score, who="cutoff_table")
    y_int, risk = _target_and_risk(y_true, y_score)
    s = -risk
    try:
        lgd_f = Fraction(str(lgd)) if not isinstance(lgd, Fraction) else lgd
    except (ValueError, ZeroDivisionError) as exc:
        raise ParameterError(f"lgd must be a fraction like '0.45'; got {lgd!r}") from exc
    if not 0 <= lgd_f <= 1:
        raise ParameterError(f"lgd must be in [0, 1]; got {lgd!r}; e.g. '0.45'")
    if exposure_minor is None:
        expo = np.ones(len(s), dtype="int64")
    else:
        expo_raw = np.broadcast_to(np.asarray(exposure_minor), s.shape)
        if not np.issubdtype(expo_raw.dtype, np.integer):
            raise ParameterError(
                f"exposure_minor must be integer minor units; got dtype {expo_raw.dtype}; "
                "convert with creditkit.money.parse_amounts"
            )
        expo = expo_raw.astype("int64")
    cuts = (np.unique(np.quantile(s, np.linspace(0, 1, 21)[:-1])) if cutoffs is None
            else np.asarray(list(cutoffs), dtype="float64"))
    order = np.argsort(s, kind="stable")
    s_sorted = s[order]
    bad_sorted = y_int[order].astype("int64")
    loss_sorted = expo[order] * bad_sorted
    # suffix sums: everything at or above position k is approved
    suffix_n = len(s) - np.arange(len(s) + 1)
    suffix_bads = np.concatenate([np.cumsum(bad_sorted[::-1])[::-1], [0]])
    suffix_loss = np.concatenate([np.cumsum(loss_sorted[::-1])[::-1], [0]])
    k = np.searchsorted(s_sorted, cuts, side="left")
    approved = suffix_n[k]
    approved_bads = suffix_bads[k]
    num, den = lgd_f.numerator, lgd_f.denominator
    el = [_round_half_even(int(v) * num, den) for v in suffix_loss[k]]
    with np.errstate(invalid="ignore", divide="ignore"):
        bad_rate = np.where(approved > 0, approved_bads / np.maximum(approved, 1), np.nan)
    return pd.DataFrame(
        {
            "cutoff": cuts,
            "approved": approved,
            "approval_rate": approved / len(s),
            "approved_bads": approved_bads,
            "bad_rate": bad_rate,
            "rejected_bads": int(y_int.sum()) - approved_bads,
            "expected_loss_minor": pd.array(el, dtype="Int64"),
        }
    )


def _round_half_even(numerator: int, denominator: int) -> int:
    q, r = divmod(numerator, denominator)
    if 2 * r > denominator or (2 * r == denominator and q % 2 == 1):
        q += 1
    return q
