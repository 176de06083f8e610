"""The checks a validator signs a scorecard by, applied in its fit and run on any card.

A card is signed when every variable of it

- has a Wald p-value at most the limit (``max_pvalue``, 0.05 by default) in
  the model of all its variables;
- has a coefficient whose sign agrees with its WoE (its points move with its
  bad rates; tested as ``β_j · cov(WoE_j, y) > 0``, free of the WoE convention);
- has no clean bin with fewer bads or goods than the binning's minimum
  (``min_bin_bads``, ``min_bin_goods`` of :class:`~creditkit.scoring.BinningProcess`).

Variables the analyst forces into the card (``Scorecard(forced=...)``) are
exempt from the first two and listed as findings of the fit instead.
:func:`prune_variables` is the step ``Scorecard.fit`` takes (backward
elimination by :func:`~creditkit.scoring.selection.significance_filter`);
:func:`card_checks` lists what a fitted card breaks (nothing, for a card the
defaults produce).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError

__all__ = ["CHECK_COLUMNS", "card_checks", "prune_variables"]

CHECK_COLUMNS = ["variable", "check", "detail"]


def prune_variables(woe: np.ndarray, y: np.ndarray, names: Sequence[str], *,
                    max_pvalue: float | None, sign: bool, forced: Sequence[str] = (),
                    l2: float = 0.0) -> tuple[list[int], pd.DataFrame, Any]:
    """Columns of ``woe`` a validator signs, and why the others were dropped.

    Parameters
    ----------
    woe : numpy.ndarray
        WoE matrix, one column per name.
    y : numpy.ndarray
        0/1 target (1 = bad).
    names : sequence of str
        The column names.
    max_pvalue : float or None
        Largest Wald p-value kept; None checks no p-value.
    sign : bool
        Drop coefficients whose sign runs against their WoE.
    forced : sequence of str
        Names never dropped.
    l2 : float
        Ridge penalty of the card's regression (``1 / C``): the p-values tested
        are those the card will show.

    Returns
    -------
    (list of int, DataFrame, LogitFit or None)
        Indices of the kept columns; the dropped ones (variable, reason, detail);
        the fit of the kept columns when it was the first fit (nothing dropped),
        so the card need not fit it again.

    Raises
    ------
    ParameterError
        A forced name that is not a column, or ``max_pvalue`` outside (0, 1].

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> woe = rng.normal(size=(800, 2))
    >>> y = (rng.random(800) < 1 / (1 + np.exp(1 + 1.5 * woe[:, 0]))).astype(int)
    >>> keep, dropped, _ = prune_variables(woe, y, ["signal", "noise"], max_pvalue=0.05,
    ...                                    sign=True)
    >>> keep, dropped["reason"].tolist()
    ([0], ['pvalue_too_high'])
    """
    from creditkit.scoring.logit import fit_logit
    from creditkit.scoring.selection import significance_filter

    names = [str(v) for v in names]
    empty = pd.DataFrame({"variable": pd.Series(dtype="str"), "reason": pd.Series(dtype="str"),
                          "detail": pd.Series(dtype="str")})
    if not names or (max_pvalue is None and not sign):
        return list(range(len(names))), empty, None
    missing = [v for v in forced if v not in names]
    if not missing:  # the first fit: when nothing offends it is the card's fit
        yv = np.asarray(y, dtype="float64")
        first = fit_logit(woe, yv, l2=l2)
        direction = np.sign(woe.T @ (yv - yv.mean()))  # = the centred covariance, no copy
        offends = first.coef * direction < 0 if sign else np.zeros(len(names), dtype=bool)
        if max_pvalue is not None:
            offends |= ~(np.nan_to_num(first.pvalues, nan=1.0) <= max_pvalue)
        if not (offends & np.array([v not in forced for v in names])).any():
            return list(range(len(names))), empty, first
    table = significance_filter(pd.DataFrame(woe, columns=names), y,
                                max_pvalue=1.0 if max_pvalue is None else max_pvalue,
                                sign=sign, keep=list(forced), l2=l2)
    kept = set(table.loc[table["kept"], "variable"])
    out = table.loc[~table["kept"], ["variable", "reason", "detail"]].reset_index(drop=True)
    return [i for i, v in enumerate(names) if v in kept], out, None


def card_checks(card: Any, *, max_pvalue: float | None = None,
                min_bin_bads: int | None = None, min_bin_goods: int | None = None) -> pd.DataFrame:
    """What a fitted card breaks of the validator's checks: one row per finding.

    Checks: a Wald p-value above ``max_pvalue`` (``pvalue_too_high``), a
    coefficient sign against the WoE found by the fit (``sign_against_woe``),
    a clean bin with fewer bads or goods than the minimum (``thin_bin``).
    Forced variables are not checked for p-value and sign. Bins are checked
    where the card still has its binning (not on a card loaded from JSON).

    Parameters
    ----------
    card : Scorecard
        Fitted.
    max_pvalue : float, optional
        Default: the card's own ``max_pvalue`` (no p-value check when it is None).
    min_bin_bads, min_bin_goods : int, optional
        Default: the card's binning's own minimums.

    Returns
    -------
    DataFrame
        variable, check, detail; empty when the card passes.

    Raises
    ------
    ParameterError
        If ``card`` is not a fitted Scorecard.

    Examples
    --------
    >>> from creditkit.scoring import Scorecard, scoring_sample
    >>> X, y = scoring_sample("german")
    >>> len(card_checks(Scorecard().fit(X, y)))
    0
    """
    if not hasattr(card, "coef_table_") or not hasattr(card, "bins_"):
        raise ParameterError(f"card_checks needs a fitted Scorecard; got {type(card).__name__}; "
                             "fit it first")
    forced = set(getattr(card, "forced", None) or ())
    limit = getattr(card, "max_pvalue", None) if max_pvalue is None else max_pvalue
    rows = []
    coefs = card.coef_table_.iloc[1:]
    if limit is not None:
        for v, p in zip(coefs["variable"], coefs["p_value"], strict=True):
            if v not in forced and not p <= limit:
                rows.append((v, "pvalue_too_high", f"p {p:.3g} > {limit:g}"))
    review = getattr(card, "fit_review_", pd.DataFrame(columns=["variable", "issue"]))
    for v in review.loc[review["issue"] == "sign_against_woe", "variable"]:
        if v not in forced:
            rows.append((v, "sign_against_woe", "coefficient against the WoE"))
    binning = getattr(card, "binning_", None)
    if binning is not None and hasattr(binning, "binnings_"):
        for v in card.variables_:
            if v not in binning.binnings_:  # a pair: its thin cells carry no interaction
                continue
            ob = binning.binnings_[v]
            low_b = getattr(ob, "min_bin_bads", 0) if min_bin_bads is None else min_bin_bads
            low_g = getattr(ob, "min_bin_goods", 0) if min_bin_goods is None else min_bin_goods
            table = ob.table(totals=False).iloc[:ob.n_clean_bins_]
            if ob.n_clean_bins_ < 2:
                continue
            thin = table[(table["bads"] < low_b) | (table["goods"] < low_g)]
            for _, r in thin.iterrows():
                rows.append((v, "thin_bin", f"{r['bin']}: {int(r['bads'])} bads, "
                             f"{int(r['goods'])} goods"))
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)
